// A process started when a spec file is loaded and awaited by its `before`. Mocha loads every spec
// before running any, and the suite runs on one core: a slow, self-contained check (npm pack from a
// fresh copy, the WebAssembly workflow validators) started here runs on the other core while the
// rest of the suite runs, instead of adding its seconds to the wall time.
import { spawn, SpawnOptions } from "child_process";

export interface Finished {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

export function startEarly(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<Finished> {
    const result = new Promise<Finished>((resolve, reject) => {
        const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    // Awaited by a `before`; a spec filtered out by --grep must not turn it into an unhandled rejection.
    result.catch(() => undefined);
    return result;
}
