// `npm test`: the type check and the mocha suite, side by side. `tsc --noEmit` takes about 18 s on
// one core and mocha about 40 s mostly on the other, so running them together instead of one after
// the other keeps `npm test` well under a minute (BENCHMARKS.md). Mocha's output streams as it
// comes; its closing `N passed, N failed` line stays the last line, after any type errors, so CI
// can count it. Fails when either fails.
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const bin = (pkg, file) => path.join(path.dirname(require.resolve(`${pkg}/package.json`, { paths: [root] })), file);

function run(file, args, onStdout) {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [file, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (onStdout ? onStdout(String(d)) : (out += d)));
        child.stderr.on("data", (d) => (onStdout ? process.stderr.write(d) : (err += d)));
        child.on("error", (e) => resolve({ code: 1, out, err: `${err}${e.message}\n` }));
        child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out, err }));
    });
}

// Mocha's stdout, passed through line by line except the summary line, which is held back.
const SUMMARY = /^\d+ passed, \d+ failed(, \d+ skipped)?$/;
let pending = "";
let summary;
function mochaOut(text) {
    pending += text;
    const lines = pending.split("\n");
    pending = lines.pop();
    for (const line of lines) {
        if (SUMMARY.test(line)) summary = line;
        else process.stdout.write(`${line}\n`);
    }
}

(async () => {
    const [types, tests] = await Promise.all([
        run(bin("typescript", "bin/tsc"), ["-p", "tsconfig.json", "--noEmit"]),
        run(bin("mocha", "bin/mocha.js"), process.argv.slice(2), mochaOut),
    ]);
    if (pending) mochaOut("\n");
    if (types.code !== 0) process.stdout.write(`\ntype check (tsc --noEmit) failed:\n${types.out}${types.err}`);
    // No summary means mocha itself failed (it said why on stderr); no count is made up for it.
    if (summary) process.stdout.write(`${summary}\n`);
    else process.stdout.write(`mocha ended (exit ${tests.code}) without reporting its results\n`);
    process.exitCode = types.code !== 0 || tests.code !== 0 || !summary ? 1 : 0;
})();
