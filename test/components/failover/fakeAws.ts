// Runs a Lambda function's source (index.mjs, as nonstop ships it) in Node against stand-ins for
// the AWS SDK v3 clients it imports: every command is recorded with the client's region, and the
// test decides the answer. Node's own modules (net, http) stay real, so probes hit local servers.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";

export interface SdkCall {
    readonly client: string;
    /** The region the client was created for (undefined: the function's own region). */
    readonly region?: string;
    readonly command: string;
    readonly input: Record<string, unknown>;
}

export interface FakeAws {
    calls: SdkCall[];
    /** Returns the answer, or throws to fail the call. */
    answer: (call: SdkCall) => unknown;
}

/** An AWS SDK error as the SDK raises it (with an HTTP status), or a network failure (without). */
export function sdkError(name: string, httpStatusCode?: number): Error {
    const e = new Error(name) as Error & { $metadata?: { httpStatusCode?: number } };
    e.name = name;
    if (httpStatusCode !== undefined) e.$metadata = { httpStatusCode };
    return e;
}

const fakeModule = (client: string, commands: readonly string[]) =>
    [
        `export class ${client} { constructor(config) { this.region = config?.region; } async send(cmd) { const f = globalThis.__nonstopFakeAws; const call = { client: "${client}", region: this.region, command: cmd.constructor.name, input: cmd.input }; f.calls.push(call); return f.answer(call); } }`,
        ...commands.map((c) => `export class ${c} { constructor(input) { this.input = input; } }`),
    ].join("\n");

/** Writes the source and fake SDK packages to a temporary directory and imports the module. */
export async function loadFunction<M>(source: string, sdk: Readonly<Record<string, { readonly client: string; readonly commands: readonly string[] }>>): Promise<M> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nonstop-lambda-"));
    fs.writeFileSync(path.join(dir, "index.mjs"), source);
    for (const [pkg, { client, commands }] of Object.entries(sdk)) {
        const at = path.join(dir, "node_modules", "@aws-sdk", pkg);
        fs.mkdirSync(at, { recursive: true });
        fs.writeFileSync(path.join(at, "package.json"), JSON.stringify({ name: `@aws-sdk/${pkg}`, type: "module", exports: "./index.mjs" }));
        fs.writeFileSync(path.join(at, "index.mjs"), fakeModule(client, commands));
    }
    // A real dynamic import (TypeScript would turn `import()` into require, which cannot load ESM).
    const importModule = new Function("url", "return import(url)") as (url: string) => Promise<M>;
    return importModule(pathToFileURL(path.join(dir, "index.mjs")).href);
}

/** Installs a fresh fake for the functions to call; returns it. */
export function installFakeAws(): FakeAws {
    const fake: FakeAws = { calls: [], answer: () => ({}) };
    (globalThis as { __nonstopFakeAws?: FakeAws }).__nonstopFakeAws = fake;
    return fake;
}

/** Sets environment variables for one test, returning a function that restores them. */
export function withEnv(values: Readonly<Record<string, string | undefined>>): () => void {
    const saved = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(values)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    return () => {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    };
}
