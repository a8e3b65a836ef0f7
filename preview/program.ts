// Runs a Pulumi program under mocks and records every resource exactly as the engine would see it:
// the register-resource request (inputs, parent, provider, dependencies and the options policies
// read), not the mocks' newResource call, which never receives resource options.
//
// In preview mode outputs of resources not yet created are unknown, as in `pulumi preview`.
//
// The run is waited for for real: until the program and every registration it started have
// settled, the SDK's RPC queue has drained, the process has nothing left that could settle them,
// or the time limit passes. Whatever did not happen (a resource whose input rejected or that waits
// on one, an apply that threw, a data source nobody answered, a remote component, a program that
// called process.exit) is returned as `incomplete`, never silently dropped.
import * as fs from "fs";
import * as path from "path";
import * as url from "url";
import type * as pulumiType from "@pulumi/pulumi";
import { afterMicrotasks, activeHandles, DEFAULT_TIME_LIMIT_SECONDS, liveHandles, settle } from "./deadline";
import { Incomplete, resourceLabel } from "./incomplete";
import { DataSourceAnswers, InvokeRecorder } from "./invokes";
import { SecretValues } from "./redact";
import { deferOutputProperties } from "./lazyOutputs";
import { deferUnusedSdkModules } from "./lazySdk";
import { registerEsmLoader } from "./esm";
import { collectStrings, decodeStruct, PathKey, SecretSink, toAnalyzerWire, UNKNOWN } from "./values";

export { UNKNOWN };

/** One resource as the engine sees it when the program registers it. */
export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly custom: boolean;
    /** A multi-language component constructed by a provider plugin (`remote: true`): not expanded offline. */
    readonly remote: boolean;
    /** URN of the parent, if any (the root stack for top-level resources). */
    readonly parent?: string;
    /** Provider reference `urn::id` for custom resources with an explicit provider. */
    readonly provider?: string;
    /** Inputs as an analyzer sees them, as plain values: unknowns are `UNKNOWN`, secrets unwrapped. */
    readonly inputs: Readonly<Record<string, unknown>>;
    /** Paths in `inputs` whose values the program marked secret (output shows them as `[secret]`). */
    readonly secretPaths: readonly (readonly PathKey[])[];
    /**
     * The inputs as the engine hands them to analyzers, in wire form: the JSON value of the request's
     * Struct, with the SDK's markers for unknowns and secrets (resource references already ids or
     * URNs, see values.ts). It shares every part without a marker with `inputs`; neither is mutated.
     * Hand-built resources (tests) may give the SDK's own wire form, or an object with `toJavaScript()`.
     */
    readonly rawInputs: unknown;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly dependencies: readonly string[];
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly ignoreChanges: readonly string[];
    readonly deleteBeforeReplace?: boolean;
    readonly additionalSecretOutputs: readonly string[];
    readonly aliases: readonly string[];
    readonly customTimeouts?: { readonly create?: string; readonly update?: string; readonly delete?: string };
}

export interface ProgramRun {
    readonly project: string;
    readonly stack: string;
    readonly preview: boolean;
    readonly resources: readonly RecordedResource[];
    /** Stack outputs (unknown values are `UNKNOWN`). */
    readonly outputs: Readonly<Record<string, unknown>>;
    /** Data-source calls the preview could not answer, by token. */
    readonly unansweredInvokes: readonly string[];
    /** What the run could not evaluate (empty when the program ran to the end and everything was answered). */
    readonly incomplete: readonly Incomplete[];
    /** Secret string values met in the run (resource inputs the program or provider marked secret), to scrub from free text. */
    readonly secretValues: ReadonlySet<string>;
    /** True when the program did not finish (time limit or stall): its code may still run, so this process must not run another. */
    readonly abandoned: boolean;
}

export interface RunOptions {
    readonly project: string;
    readonly stack: string;
    /** Stack config, full keys (`aws:region`) to values (objects allowed). */
    readonly config: Readonly<Record<string, unknown>>;
    /** Config keys whose values are secret (`secure:` in the stack file): config.getSecret and friends mark them. @default none */
    readonly secretKeys?: readonly string[];
    /** @default true */
    readonly preview?: boolean;
    /** Answers for data sources (and for `.get()` reads, by resource type), by token, merged over the built-in answers. @default {} */
    readonly dataSources?: DataSourceAnswers;
    /**
     * Where to resolve `@pulumi/pulumi` from: the program's own copy, so the mocks reach the
     * runtime the program registers with. @default this package's copy
     */
    readonly resolveFrom?: string;
    /** Working directory of the program while it runs, as the Pulumi CLI sets it (the project directory). @default unchanged */
    readonly cwd?: string;
    /** Stop waiting for the program after this many seconds. @default DEFAULT_TIME_LIMIT_SECONDS */
    readonly timeLimitSeconds?: number;
}

/** Error thrown by the program itself (not by the preview), with what threw. */
export class ProgramError extends Error {
    constructor(message: string, override readonly cause: unknown) {
        super(message);
        this.name = "ProgramError";
    }
}

/** What `process.exit` throws while foreign code runs under the preview: it may not end the run. */
export class ExitCalled extends Error {
    constructor(readonly code: number | string | undefined, readonly by: string) {
        super(`${by} called process.exit(${code ?? ""})`);
        this.name = "ExitCalled";
    }
}

/**
 * Replaces process.exit until the returned undo is called: every call is recorded and throws
 * ExitCalled instead. The undo is the caller's to run in a `finally`: foreign code that never
 * settles must not keep the guard installed.
 */
export function guardExit(by: string, calls: ExitCalled[]): () => void {
    const saved = process.exit;
    process.exit = ((code?: number | string) => {
        const e = new ExitCalled(code, by);
        calls.push(e);
        throw e;
    }) as typeof process.exit;
    return () => {
        process.exit = saved;
    };
}

let running = false;
let runCount = 0;

/** Failures already reported in a run's incomplete list: the same error often rejects several chained promises. */
const reportedFailures = new WeakSet<object>();

/** Whether this error was already reported by a run (so a later rejection of it is not news). */
export function isReportedFailure(e: unknown): boolean {
    return e !== null && typeof e === "object" && reportedFailures.has(e);
}

/**
 * Runs `program` (a function, or a path to a module whose top level or default export is the
 * program) under mocks. Runs are serialized: the Pulumi runtime's state is process-global.
 */
export async function runProgram(program: (() => unknown) | string, options: RunOptions): Promise<ProgramRun> {
    if (running) throw new Error("runProgram: a program is already running in this process; await the previous run");
    running = true;
    try {
        return await runUnlocked(program, options);
    } finally {
        running = false;
    }
}

/** A registration the program started, until its request reaches the engine. */
interface Started {
    readonly res: object;
    readonly type: string;
    readonly name: string;
    readonly props: unknown;
    readonly opts: Readonly<Record<string, unknown>>;
}

/** Registrations started (the SDK's registerResource) but whose request has not reached the engine yet. */
class PendingRegistrations {
    private readonly waiting = new Map<string, Started[]>();

    started(s: Started): void {
        const key = `${s.type}\u0000${s.name}`;
        const list = this.waiting.get(key);
        if (list) list.push(s);
        else this.waiting.set(key, [s]);
    }

    sent(type: string, name: string): void {
        const key = `${type}\u0000${name}`;
        const list = this.waiting.get(key);
        if (!list) return;
        list.shift();
        if (list.length === 0) this.waiting.delete(key);
    }

    unsent(): Started[] {
        return [...this.waiting.values()].flat();
    }
}

type Callback = (err: unknown, resp?: unknown) => void;
type Request = Record<string, (...a: unknown[]) => unknown>;

async function runUnlocked(program: (() => unknown) | string, options: RunOptions): Promise<ProgramRun> {
    const preview = options.preview ?? true;
    const limitMs = (options.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS) * 1000;
    deferUnusedSdkModules(options.resolveFrom ?? __dirname);
    const pulumiPath = require.resolve("@pulumi/pulumi", { paths: [options.resolveFrom ?? __dirname] });
    const pulumi = require(pulumiPath) as typeof pulumiType;
    const runtime = pulumi.runtime;
    const sdkFile = (rel: string) => require.resolve(`@pulumi/pulumi/${rel}`, { paths: [path.dirname(pulumiPath)] });

    const stringConfig: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.config)) stringConfig[k] = typeof v === "string" ? v : JSON.stringify(v);
    runtime.setAllConfig(stringConfig, [...(options.secretKeys ?? [])]);

    const resources: RecordedResource[] = [];
    const byUrn = new Map<string, RecordedResource>();
    const answers = options.dataSources ?? {};
    const invokes = new InvokeRecorder(options.config, answers, byUrn);
    const secretValues = new Set<string>();
    const incomplete: Incomplete[] = [];

    // `.get()` reads an existing resource's state from the cloud; offline only --data-sources can answer it.
    let reading: { type: string; name: string; id: string } | undefined;
    const reads: { type: string; name: string; id: string }[] = [];
    const readState = (type: string, name: string, id: string, inputs: Record<string, unknown>): Record<string, unknown> => {
        const answer = answers[type];
        if (answer === undefined) {
            reads.push({ type, name, id });
            return inputs;
        }
        return { ...inputs, ...((typeof answer === "function" ? (answer as (i: unknown) => unknown)({ ...inputs, id }) : answer) as Record<string, unknown>) };
    };

    await runtime.setMocks(
        {
            newResource: (args) => {
                if (reading && reading.type === args.type && reading.name === args.name) {
                    return { id: args.id, state: readState(args.type, args.name, String(args.id ?? ""), args.inputs) };
                }
                // (At preview, registrations are answered without the mocks: see answerWithInputs.)
                return { id: preview ? undefined : `${args.name}-id`, state: preview ? args.inputs : mockOutputs(args.type, args.name, args.inputs, invokes) };
            },
            call: (args) => invokes.answer(args.token, args.inputs, args.provider),
        },
        options.project,
        options.stack,
        preview,
    );

    const pending = new PendingRegistrations();
    const monitor = runtime.getMonitor() as unknown as {
        registerResource(req: Request, cb: Callback): Promise<void>;
        readResource(req: Request, cb: Callback): Promise<void>;
        newUrn(parent: string, type: string, name: string): string;
        /** MockMonitor's record of each resource's state, which its `pulumi:pulumi:getResource` invoke answers from. */
        resources: Map<string, { urn: string; id: string | null; state: Record<string, unknown> }>;
    };
    // The engine's URN: the parent's full qualified type, and no type for the root stack.
    monitor.newUrn = (parent: string, type: string, name: string) => {
        let qualified = type;
        if (parent) {
            const parentType = parent.split("::")[2];
            if (parentType !== "pulumi:pulumi:Stack") qualified = `${parentType}$${type}`;
        }
        return `urn:pulumi:${options.stack}::${options.project}::${qualified}::${name}`;
    };
    const register = monitor.registerResource.bind(monitor);
    const record = (req: Request, urn: string, wire: Record<string, unknown>) => {
        const r = recordRequest(req, urn, wire, secretValues);
        resources.push(r);
        byUrn.set(r.urn, r);
    };
    // At preview a new resource's state is its inputs (newResource above). MockMonitor gets there by
    // decoding the request, encoding the answer into a new protobuf Struct and leaving the SDK to
    // decode it again (after printing the whole message into a debug string nobody reads): about a
    // tenth of a program's run. The request's own wire value is that same state, so the answer is
    // made from it directly, in the shape the SDK reads (the one it builds itself without a monitor).
    const answerWithInputs = (req: Request, cb: Callback): Promise<void> => {
        let resp: unknown;
        try {
            const state = wireOf(req);
            const urn = monitor.newUrn(req.getParent() as string, req.getType() as string, req.getName() as string);
            record(req, urn, state);
            monitor.resources.set(urn, { urn, id: null, state });
            const object = { toJavaScript: () => state };
            resp = { getUrn: () => urn, getId: () => "", getObject: () => object, getPropertydependenciesMap: () => undefined, getResult: () => 0 };
        } catch (e) {
            cb(e);
            return Promise.resolve();
        }
        cb(null, resp);
        return Promise.resolve();
    };
    monitor.registerResource = (req: Request, cb: Callback) => {
        pending.sent(req.getType() as string, req.getName() as string);
        if (preview) return answerWithInputs(req, cb);
        return register(req, (err: unknown, resp?: unknown) => {
            if (!err && resp) record(req, (resp as { getUrn(): string }).getUrn(), wireOf(req));
            cb(err, resp);
        });
    };
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (req: Request, cb: Callback) => {
        reading = { type: req.getType() as string, name: req.getName() as string, id: req.getId() as string };
        try {
            return read(req, cb);
        } finally {
            reading = undefined;
        }
    };

    // Every registration the program starts, so that one that never reaches the engine is named.
    const resourceModule = require(sdkFile("runtime/resource")) as Record<string, (...a: unknown[]) => unknown>;
    const registerResource = resourceModule.registerResource;
    resourceModule.registerResource = function (this: unknown, ...a: unknown[]) {
        const [res, , type, name, , , , props, opts] = a as [object, unknown, string, string, unknown, unknown, unknown, unknown, Record<string, unknown>];
        pending.started({ res, type, name, props, opts: opts ?? {} });
        return registerResource.apply(this, a);
    };

    // The SDK wraps every internal promise for its exit-time leak report: a stack trace, three
    // properties and a registry entry per promise. At preview that bookkeeping costs more than the
    // program itself (and its report would only talk about the mocks), so the promises go unwrapped.
    const debuggable = require(sdkFile("runtime/debuggable")) as { debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown> };
    const debuggablePromise = debuggable.debuggablePromise;
    debuggable.debuggablePromise = (p) => p;
    // Every resource's constructor captures the whole JavaScript stack (formatted, source-mapped and
    // parsed) for the engine's record of where it was declared. Analyzers never receive it, and at
    // a few hundred services it costs as much as running the program, so the preview skips it.
    const resourceClass = pulumi.Resource as unknown as { stackTrace: (skip: number) => unknown[] };
    const stackTrace = resourceClass.stackTrace;
    resourceClass.stackTrace = () => [];
    const undoDeferOutputs = deferOutputProperties(path.dirname(pulumiPath));

    const failures: unknown[] = [];
    const onFailure = (e: unknown) => {
        // The error of an earlier run (its program threw) may reject more of its promises later.
        if (isReportedFailure(e) && !failures.includes(e)) return;
        if (!failures.includes(e)) failures.push(e);
        if (e !== null && typeof e === "object") reportedFailures.add(e);
    };
    process.on("unhandledRejection", onFailure);
    process.on("uncaughtException", onFailure);
    const exits: ExitCalled[] = [];
    const savedCwd = process.cwd();
    const baseline = activeHandles();
    const run = ++runCount;
    let bodyReturned = false;
    let outputs: unknown;
    let stop: "timeout" | "stalled" | undefined;
    const unguard = guardExit("the program", exits);
    try {
        if (options.cwd) process.chdir(options.cwd);
        const work = (async () => {
            let result: unknown;
            try {
                result = await runtime.runInPulumiStack(async () => {
                    const value = await (typeof program === "function" ? program() : loadProgramModule(program, run));
                    bodyReturned = true;
                    return value;
                });
            } catch (e) {
                // A program that called process.exit stops there; what it started still registers.
                if (!(e instanceof ExitCalled)) throw e;
            }
            // Internal to the SDK but exported at run time: wait until every registration has settled.
            await (runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs?.();
            // Let resources registered from callbacks that settle late be recorded too.
            await afterMicrotasks();
            return result;
        })();
        const settled = await settle(work, limitMs);
        if (settled.done) outputs = settled.value;
        else stop = settled.stop;
    } catch (e) {
        if (e !== null && typeof e === "object") reportedFailures.add(e);
        if (!(e instanceof ExitCalled)) {
            const text = new SecretValues();
            text.add(secretValues);
            throw new ProgramError(text.scrub(`the program threw: ${describeError(e)}${unansweredNote(invokes)}`), e);
        }
    } finally {
        unguard();
        process.chdir(savedCwd);
        process.removeListener("unhandledRejection", onFailure);
        process.removeListener("uncaughtException", onFailure);
        debuggable.debuggablePromise = debuggablePromise;
        resourceModule.registerResource = registerResource;
        resourceClass.stackTrace = stackTrace;
        undoDeferOutputs();
    }

    // Why each registration that never reached the engine did not: its failed input, or what it waits on.
    const attributed = new Set<unknown>();
    const unsent = pending.unsent();
    const unsentByRes = new Map(unsent.map((s) => [s.res, s]));
    for (const e of exits) incomplete.push({ kind: "program", what: "the program", why: `${e.message}${where(e)}; the preview does not let a program end the run early, and what it had not registered yet was not judged` });
    for (const s of unsent) {
        incomplete.push({ kind: "registration", what: resourceLabel(s.type, s.name), why: await whyUnsent(s, unsentByRes, attributed) });
    }
    for (const f of failures) {
        if (attributed.has(f) || f instanceof ExitCalled) continue;
        incomplete.push({ kind: "program", what: "the program", why: `failed while running: ${describeError(f)}` });
    }
    if (stop) {
        const limit = `${Math.round(limitMs / 1000)} s`;
        const state = `${bodyReturned ? "its main code had returned" : "its main code had not returned"}; ${unsent.length} resource registration(s) never completed`;
        incomplete.push({
            kind: "timeout",
            what: "the program",
            why:
                stop === "timeout"
                    ? `did not finish within the time limit (${limit}; --time-limit SECONDS changes it): ${state}; still running: ${liveHandles(baseline)}`
                    : `never finished: it waits for something nothing left in the process can settle (a promise nobody resolves); ${state}`,
        });
    }
    for (const r of resources.filter((x) => x.remote)) {
        const pkg = r.type.split(":")[0];
        incomplete.push({
            kind: "remote-component",
            what: resourceLabel(r.type, r.name),
            urn: r.urn,
            why: `a multi-language component constructed by the ${pkg} provider plugin (remote: true); the preview cannot expand it without that plugin, so the resources it creates were not judged`,
        });
    }
    for (const token of invokes.unanswered()) {
        incomplete.push({
            kind: "data-source",
            what: token,
            why: `no built-in answer and none in --data-sources, so the program got an empty result and whatever it built from it was not judged as deployed; answer it with --data-sources FILE ({"${token}": {...}})`,
        });
    }
    for (const r of reads) {
        incomplete.push({
            kind: "read",
            what: `${resourceLabel(r.type, r.name)} (id ${JSON.stringify(r.id)})`,
            why: `an existing resource read with .get(): its state comes from the cloud, so the program got none; answer it with --data-sources FILE ({"${r.type}": {...}})`,
        });
    }
    // The run is over: what the SDK and the program hold (every resource object with its outputs, the
    // mocks' copy of every state) is garbage from here, unless the program may still be running.
    if (stop !== "timeout") {
        releaseRuntime(runtime);
        if (typeof program === "string") forgetProgramModules(program);
    }
    return {
        project: options.project,
        stack: options.stack,
        preview,
        // An abandoned program may still register resources: the run keeps what it had when it stopped.
        resources: stop === "timeout" ? [...resources] : resources,
        outputs: (decodePlain(outputs) as Record<string, unknown>) ?? {},
        unansweredInvokes: invokes.unanswered(),
        incomplete,
        secretValues,
        abandoned: stop === "timeout",
    };
}

function unansweredNote(invokes: InvokeRecorder): string {
    const missing = invokes.unanswered();
    return missing.length ? ` (data sources the preview could not answer: ${missing.join(", ")}; answer them with --data-sources FILE)` : "";
}

/** ` (at file:line:col)` for the first frame of `e` outside the SDK and the preview. */
function where(e: Error): string {
    const frame = (e.stack ?? "").split("\n").find((l) => /^\s+at /.test(l) && !l.includes("node_modules") && !l.includes("node:internal") && !l.includes(`${path.sep}preview${path.sep}program.`));
    return frame ? ` (${frame.trim()})` : "";
}

export function describeError(e: unknown): string {
    if (e instanceof Error) {
        const location = syntaxErrorLocation(e);
        if (location) return `${e.name}: ${e.message} (in ${location})`;
        const w = (e.stack ?? "").split("\n").find((l) => /^\s+at /.test(l) && !l.includes("node_modules") && !l.includes("node:internal"));
        return `${e.name === "Error" ? "" : e.name + ": "}${e.message}${w ? ` (${w.trim()})` : ""}`;
    }
    return String(e);
}

/** `file:line` of a syntax error in a program file (V8 puts it on the first line of the stack). */
function syntaxErrorLocation(e: Error): string | undefined {
    if (e.name !== "SyntaxError") return undefined;
    const fromTs = (e as { location?: string }).location;
    if (fromTs) return fromTs;
    const first = (e.stack ?? "").split("\n")[0];
    const m = /^(.+):(\d+)$/.exec(first);
    if (!m) return undefined;
    const file = m[1].startsWith("file://") ? url.fileURLToPath(m[1]) : m[1];
    return `${file}:${m[2]}`;
}

/** The SDK's Output: a value that settles later, and the resources it comes from. */
interface OutputLike {
    promise(withUnknowns?: boolean): Promise<unknown>;
    resources?(): Set<object>;
}

function isOutput(v: unknown): v is OutputLike {
    return v !== null && typeof v === "object" && (v as { __pulumiOutput?: unknown }).__pulumiOutput === true && typeof (v as OutputLike).promise === "function";
}

type Probe = { readonly state: "resolved" } | { readonly state: "rejected"; readonly error: unknown } | { readonly state: "pending" };

/** Whether a promise has settled by now (settled promises win over the next macrotask). */
async function probe(p: Promise<unknown>): Promise<Probe> {
    const pendingMark = Symbol("pending");
    try {
        const v = await Promise.race([p, afterMicrotasks().then(() => pendingMark)]);
        return v === pendingMark ? { state: "pending" } : { state: "resolved" };
    } catch (error) {
        return { state: "rejected", error };
    }
}

/** The promises and outputs inside an input value, with their paths (bounded: this runs only on failure). */
function awaitables(value: unknown, at: string, out: { path: string; value: unknown }[], depth: number): void {
    if (out.length >= 200 || depth > 4) return;
    if (value instanceof Promise || isOutput(value)) out.push({ path: at, value });
    else if (Array.isArray(value)) value.forEach((v, i) => awaitables(v, `${at}[${i}]`, out, depth + 1));
    else if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        for (const [k, v] of Object.entries(value)) awaitables(v, at ? `${at}.${k}` : k, out, depth + 1);
    }
}

async function whyUnsent(s: Started, unsent: ReadonlyMap<object, Started>, attributed: Set<unknown>): Promise<string> {
    const reasons: string[] = [];
    const label = (r: object) => {
        const u = unsent.get(r);
        return u ? resourceLabel(u.type, u.name) : undefined;
    };
    const parent = s.opts.parent as object | undefined;
    if (parent && unsent.has(parent)) reasons.push(`waits for its parent ${label(parent)}, which never registered`);
    const values: { path: string; value: unknown }[] = [];
    awaitables(s.props, "", values, 0);
    for (const { path: at, value } of values) {
        const result = await probe(isOutput(value) ? value.promise(true) : (value as Promise<unknown>));
        if (result.state === "rejected") {
            attributed.add(result.error);
            reasons.push(`input "${at}" failed: ${describeError(result.error)}`);
        } else if (result.state === "pending") {
            const from = isOutput(value) ? [...(value.resources?.() ?? [])].map(label).filter((l): l is string => l !== undefined) : [];
            reasons.push(from.length ? `input "${at}" waits for ${from.join(", ")}, which never registered` : `input "${at}" never settled (a promise or output nothing resolves)`);
        }
    }
    const dependsOn = s.opts.dependsOn;
    for (const d of Array.isArray(dependsOn) ? dependsOn : dependsOn ? [dependsOn] : []) {
        const l = typeof d === "object" && d !== null ? label(d) : undefined;
        if (l) reasons.push(`dependsOn ${l}, which never registered`);
    }
    return reasons.length ? reasons.join("; ") : "its registration never reached the engine (the program stopped before it)";
}

/**
 * Loads a program module as the Pulumi Node runtime does: ES modules (`"type": "module"`, .mjs,
 * .mts) by dynamic import, taking the default export when there is one; CommonJS by require. A
 * module whose export is a function is a program to call.
 */
async function loadProgramModule(file: string, run: number): Promise<unknown> {
    const resolved = require.resolve(path.resolve(file));
    if (isEsm(resolved)) {
        registerEsmLoader();
        // A query per run makes the loader evaluate the program (and, through the loader, its own
        // files) again for every stack: ES modules are cached by URL.
        const ns = (await dynamicImport(`${url.pathToFileURL(resolved).href}?nonstop-run=${run}`)) as Record<string, unknown>;
        let exported: unknown = ns;
        if (Object.getOwnPropertyDescriptor(ns, "default") !== undefined) {
            if (Object.keys(ns).length !== 1) throw new Error(`${resolved}: expected the entry module to have either a default export or named exports but not both (as the Pulumi CLI requires)`);
            exported = ns.default;
        }
        return typeof exported === "function" ? (exported as () => unknown)() : exported;
    }
    // A fresh run must execute the program again.
    forgetProgramModules(resolved);
    const mod = require(resolved) as unknown;
    if (typeof mod === "function") return (mod as () => unknown)();
    const def = (mod as { default?: unknown } | undefined)?.default;
    if (typeof def === "function") return (def as () => unknown)();
    return mod;
}

/**
 * Drops a CommonJS program's own modules (its directory, outside node_modules) from the module
 * cache, and the links cached modules keep to them (`parent`, `children`): a module the program
 * loaded first keeps it as its parent, and through its exports every resource it created.
 */
function forgetProgramModules(entry: string): void {
    const dir = path.dirname(require.resolve(path.resolve(entry)));
    const dropped = new Set<NodeModule>();
    for (const k of Object.keys(require.cache)) {
        const m = require.cache[k];
        if (m && k.startsWith(dir) && !k.includes(`${path.sep}node_modules${path.sep}`)) {
            dropped.add(m);
            delete require.cache[k];
        }
    }
    if (dropped.size === 0) return;
    const unlink = (m: NodeModule | undefined) => {
        if (!m) return;
        if (m.parent && dropped.has(m.parent)) (m as { parent: NodeModule | null | undefined }).parent = undefined;
        if (m.children.some((c) => dropped.has(c))) m.children = m.children.filter((c) => !dropped.has(c));
    };
    for (const m of Object.values(require.cache)) unlink(m);
    unlink(require.main);
}

/** Resets the SDK's process-wide state after a run: its stack resource (which holds every resource) and the mocks' records. */
function releaseRuntime(runtime: typeof pulumiType.runtime): void {
    (runtime as unknown as { _reset?: () => void })._reset?.();
    (globalThis as { stackResource?: unknown }).stackResource = undefined;
}

// TypeScript compiles `import()` to `require()` in CommonJS output; this keeps a real dynamic import.
const dynamicImport = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

/** Is this program file an ES module, by its extension or its package's "type"? */
export function isEsm(file: string): boolean {
    if (/\.m[jt]s$/.test(file)) return true;
    if (/\.c[jt]s$/.test(file)) return false;
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
        const pkg = path.join(dir, "package.json");
        if (fs.existsSync(pkg)) {
            try {
                return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { type?: string }).type === "module";
            } catch {
                return false;
            }
        }
        if (path.dirname(dir) === dir) return false;
    }
}

/** A registration request's inputs as the SDK encoded them (the JSON value of its Struct). */
function wireOf(req: Request): Record<string, unknown> {
    const struct = typeof req.getObject === "function" ? (req.getObject() as { toJavaScript(): Record<string, unknown> } | undefined) : undefined;
    return struct?.toJavaScript() ?? {};
}

function recordRequest(req: Request, urn: string, sdkWire: Record<string, unknown>, secretValues: Set<string>): RecordedResource {
    const call = <T>(m: string, fallback: T): T => (typeof req[m] === "function" ? ((req[m]() as T) ?? fallback) : fallback);
    const propDepsMap = call<{ forEach?: (f: (v: { getUrnsList(): string[] }, k: string) => void) => void } | undefined>("getPropertydependenciesMap", undefined);
    const propertyDependencies: Record<string, string[]> = {};
    propDepsMap?.forEach?.((v, k) => (propertyDependencies[k] = v.getUrnsList()));
    const timeouts = call<{ getCreate(): string; getUpdate(): string; getDelete(): string } | undefined>("getCustomtimeouts", undefined);
    const deleteBeforeReplaceDefined = call<boolean>("getDeletebeforereplacedefined", false);
    const sink: SecretSink = { paths: [], values: secretValues };
    // Decoded once: the analyzer's wire form, and the plain inputs sharing its unmarked parts.
    const wire = toAnalyzerWire(sdkWire);
    const inputs = (decodeStruct(wire, sink) as Record<string, unknown>) ?? {};
    const additionalSecretOutputs = call<string[]>("getAdditionalsecretoutputsList", []);
    // Fields the provider declares secret are secret whatever the program passed.
    for (const k of additionalSecretOutputs) if (inputs[k] !== undefined && inputs[k] !== UNKNOWN) collectStrings(inputs[k], secretValues);
    return {
        type: call("getType", ""),
        name: call("getName", ""),
        urn,
        custom: call("getCustom", false),
        remote: call<boolean>("getRemote", false) === true,
        parent: call<string>("getParent", "") || undefined,
        provider: call<string>("getProvider", "") || undefined,
        inputs,
        secretPaths: sink.paths,
        rawInputs: wire,
        protect: call<boolean>("getProtect", false) === true,
        retainOnDelete: call<boolean>("getRetainondelete", false) === true,
        dependencies: call<string[]>("getDependenciesList", []),
        propertyDependencies,
        ignoreChanges: call<string[]>("getIgnorechangesList", []),
        deleteBeforeReplace: deleteBeforeReplaceDefined ? call("getDeletebeforereplace", false) : undefined,
        additionalSecretOutputs,
        aliases: call<unknown[]>("getAliasesList", []).map(String),
        customTimeouts: timeouts && (timeouts.getCreate() || timeouts.getUpdate() || timeouts.getDelete())
            ? { create: timeouts.getCreate() || undefined, update: timeouts.getUpdate() || undefined, delete: timeouts.getDelete() || undefined }
            : undefined,
    };
}

/** Outputs of a created resource in update mode: its inputs plus the identifiers providers compute. */
function mockOutputs(type: string, name: string, inputs: Record<string, unknown>, invokes: InvokeRecorder): Record<string, unknown> {
    const out: Record<string, unknown> = { ...inputs };
    const [pkg] = type.split(":");
    if (pkg === "aws") {
        const service = type.split(":")[1]?.split("/")[0] ?? "aws";
        out.arn ??= `arn:aws:${service}:${invokes.defaultAwsRegion()}:123456789012:${name}`;
        out.name ??= name;
        if (type === "aws:lb/loadBalancer:LoadBalancer" || type === "aws:lb/targetGroup:TargetGroup") {
            out.arnSuffix ??= `${type.endsWith("TargetGroup") ? "targetgroup" : "app"}/${name}/0123456789abcdef`;
        }
        if (type === "aws:lb/loadBalancer:LoadBalancer") {
            out.dnsName ??= `${name}-1234567890.${invokes.defaultAwsRegion()}.elb.amazonaws.com`;
            out.zoneId ??= "Z35SXDOTRQ7X7K";
        }
        if (type === "aws:rds/cluster:Cluster" || type === "aws:rds/instance:Instance") out.endpoint ??= `${name}.cluster-abc.${invokes.defaultAwsRegion()}.rds.amazonaws.com`;
        if (type === "aws:rds/cluster:Cluster") out.readerEndpoint ??= `${name}.cluster-ro-abc.${invokes.defaultAwsRegion()}.rds.amazonaws.com`;
        if (type === "aws:rds/globalCluster:GlobalCluster") out.endpoint ??= `${String(inputs.globalClusterIdentifier ?? name)}.global-abc.global.rds.amazonaws.com`;
        if (type === "aws:ec2/eip:Eip") out.publicIp ??= `198.51.100.${(name.length * 7) % 250}`;
    }
    if (pkg === "gcp") {
        out.selfLink ??= `https://www.googleapis.com/compute/v1/projects/${invokes.gcpProject()}/global/${name}`;
        out.name ??= name;
        if (type === "gcp:compute/globalAddress:GlobalAddress") out.address ??= "203.0.113.10";
        if (type === "gcp:sql/databaseInstance:DatabaseInstance") {
            out.connectionName ??= `${invokes.gcpProject()}:${String(inputs.region ?? "region")}:${name}`;
            out.publicIpAddress ??= "203.0.113.20";
        }
    }
    return out;
}

function decodePlain(value: unknown): unknown {
    return decodeStruct(JSON.parse(JSON.stringify(value ?? {}, (_k, v) => (v === undefined ? null : v))));
}
