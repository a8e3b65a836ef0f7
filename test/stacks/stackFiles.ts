// The stack files of the repository, read as the Pulumi CLI reads them.
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { MockRun, runUnderMocks } from "../harness";

/** The repository root: the nearest directory above this file holding Pulumi.yaml. */
export function repoRoot(): string {
    let dir = __dirname;
    while (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
        const up = path.dirname(dir);
        if (up === dir) throw new Error(`no Pulumi.yaml above ${__dirname}`);
        dir = up;
    }
    return dir;
}

/** The `config` map of Pulumi.<stack>.yaml. */
export function stackConfig(stack: string): Record<string, unknown> {
    const text = fs.readFileSync(path.join(repoRoot(), `Pulumi.${stack}.yaml`), "utf8");
    const doc = YAML.parse(text) as { config?: Record<string, unknown> };
    if (!doc.config) throw new Error(`Pulumi.${stack}.yaml has no config`);
    return doc.config;
}

/**
 * Runs stacks/index.ts (a fresh module) for a stack's config, as `pulumi preview` (preview) or as
 * `pulumi up` (the outputs providers compute are known).
 */
export function runStackProgram(stack: string, config: Record<string, unknown> = stackConfig(stack), preview = true): Promise<MockRun> {
    // Runs are chained: the mocks are one runtime per process.
    const run = queue.then(() => {
        const program = require.resolve("../../stacks");
        delete require.cache[program];
        return runUnderMocks(() => require(program) as unknown, { stack, config, preview });
    });
    queue = run.catch(() => undefined);
    return run;
}

let queue: Promise<unknown> = Promise.resolve();

const shared = new Map<string, Promise<MockRun>>();

/**
 * One run of a stack file's own config per mode, shared by every spec that only reads it (the
 * stack program, the model, the failover specs, the deploy-time rules): a prod run costs about a
 * second.
 */
export function sharedStackRun(stack: string, preview: boolean): Promise<MockRun> {
    const key = `${stack}|${preview}`;
    let run = shared.get(key);
    if (!run) {
        run = runStackProgram(stack, stackConfig(stack), preview);
        shared.set(key, run);
    }
    return run;
}
