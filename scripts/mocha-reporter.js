// mocha's spec reporter, plus one plain closing line `N passed, N failed` that CI counts.
"use strict";
const Mocha = require("mocha");
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SpecWithSummary extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        runner.once(EVENT_RUN_END, () => {
            const { passes = 0, failures = 0, pending = 0 } = runner.stats || {};
            // After the spec reporter's epilogue, on its own line.
            process.nextTick(() => console.log(`${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ""}`));
        });
    }
}
module.exports = SpecWithSummary;
