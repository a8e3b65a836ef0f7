// nonstop's own stacks previewed once per test run: running stacks/index.ts under mocks costs about
// a second for prod, and several specs assert on the same plan (the program's shape, the
// deploy-time rules). Runs are chained, since the mocks are one runtime.
import { MockRun, runUnderMocks } from "../harness";
import { stackConfig } from "./stackFiles";

const runs = new Map<string, Promise<MockRun>>();
let queue: Promise<unknown> = Promise.resolve();

/** stacks/index.ts with Pulumi.<stack>.yaml, as `pulumi preview` plans it (outputs of new resources unknown). */
export function previewStack(stack: string): Promise<MockRun> {
    let run = runs.get(stack);
    if (!run) {
        run = queue.then(() => {
            const program = require.resolve("../../stacks");
            delete require.cache[program];
            return runUnderMocks(() => require(program) as unknown, { stack, config: stackConfig(stack), preview: true });
        });
        queue = run.catch(() => undefined);
        runs.set(stack, run);
    }
    return run;
}
