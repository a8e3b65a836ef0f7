// Runs a Pulumi program under mocks and records every resource exactly as the engine would see it:
// the register-resource request (inputs, parent, provider, dependencies and the options policies
// read), not the mocks' newResource call, which never receives resource options.
//
// In preview mode outputs of resources not yet created are unknown, as in `pulumi preview`.
import * as path from "path";
import type * as pulumiType from "@pulumi/pulumi";
import { DataSourceAnswers, InvokeRecorder } from "./invokes";
import { deferClosureSupport } from "./lazySdk";
import { decodeStruct, UNKNOWN } from "./values";

export { UNKNOWN };

/** One resource as the engine sees it when the program registers it. */
export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly custom: boolean;
    /** URN of the parent, if any (the root stack for top-level resources). */
    readonly parent?: string;
    /** Provider reference `urn::id` for custom resources with an explicit provider. */
    readonly provider?: string;
    /** Inputs as plain values; unknown values are `UNKNOWN`, secrets are unwrapped. */
    readonly inputs: Readonly<Record<string, unknown>>;
    /** The inputs exactly as sent to the engine (protobuf Struct), for the analyzer. */
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
}

export interface RunOptions {
    readonly project: string;
    readonly stack: string;
    /** Stack config, full keys (`aws:region`) to values (objects allowed). */
    readonly config: Readonly<Record<string, unknown>>;
    /** @default true */
    readonly preview?: boolean;
    /** Answers for data sources, by token, merged over the built-in answers. @default {} */
    readonly dataSources?: DataSourceAnswers;
    /**
     * Where to resolve `@pulumi/pulumi` from: the program's own copy, so the mocks reach the
     * runtime the program registers with. @default this package's copy
     */
    readonly resolveFrom?: string;
}

/** Error thrown by the program itself (not by the preview), with what threw. */
export class ProgramError extends Error {
    constructor(message: string, override readonly cause: unknown) {
        super(message);
        this.name = "ProgramError";
    }
}

let running = false;

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

async function runUnlocked(program: (() => unknown) | string, options: RunOptions): Promise<ProgramRun> {
    const preview = options.preview ?? true;
    deferClosureSupport(options.resolveFrom ?? __dirname);
    const pulumiPath = require.resolve("@pulumi/pulumi", { paths: [options.resolveFrom ?? __dirname] });
    const pulumi = require(pulumiPath) as typeof pulumiType;
    const runtime = pulumi.runtime;

    const stringConfig: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.config)) stringConfig[k] = typeof v === "string" ? v : JSON.stringify(v);
    runtime.setAllConfig(stringConfig, []);

    const resources: RecordedResource[] = [];
    const byUrn = new Map<string, RecordedResource>();
    const invokes = new InvokeRecorder(options.config, options.dataSources ?? {}, byUrn);

    await runtime.setMocks(
        {
            newResource: (args) => ({ id: preview ? undefined : `${args.name}-id`, state: preview ? args.inputs : mockOutputs(args.type, args.name, args.inputs, invokes) }),
            call: (args) => invokes.answer(args.token, args.inputs, args.provider),
        },
        options.project,
        options.stack,
        preview,
    );

    type Callback = (err: unknown, resp?: unknown) => void;
    type Request = Record<string, (...a: unknown[]) => unknown>;
    const monitor = runtime.getMonitor() as unknown as {
        registerResource(req: Request, cb: Callback): Promise<void>;
        newUrn(parent: string, type: string, name: string): string;
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
    monitor.registerResource = (req: Request, cb: Callback) =>
        register(req, (err: unknown, resp?: unknown) => {
            if (!err && resp) {
                const r = recordRequest(req, (resp as { getUrn(): string }).getUrn());
                resources.push(r);
                byUrn.set(r.urn, r);
            }
            cb(err, resp);
        });

    // The SDK wraps every internal promise for its exit-time leak report: a stack trace, three
    // properties and a registry entry per promise. At preview that bookkeeping costs more than the
    // program itself (and its report would only talk about the mocks), so the promises go unwrapped.
    const debuggable = require(require.resolve("@pulumi/pulumi/runtime/debuggable", { paths: [path.dirname(pulumiPath)] })) as {
        debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown>;
    };
    const debuggablePromise = debuggable.debuggablePromise;
    debuggable.debuggablePromise = (p) => p;

    const failures: unknown[] = [];
    const onFailure = (e: unknown) => failures.push(e);
    process.on("unhandledRejection", onFailure);
    let outputs: unknown;
    try {
        outputs = await runtime.runInPulumiStack(async () => {
            const result = typeof program === "function" ? program() : loadProgramModule(program);
            return await result;
        });
        // Internal to the SDK but exported at run time: wait until every registration has settled.
        await (runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs?.();
        // Let resources registered from callbacks that settle late be recorded too.
        await new Promise((r) => setImmediate(r));
    } catch (e) {
        throw new ProgramError(`the program threw: ${describeError(e)}${unansweredNote(invokes)}`, e);
    } finally {
        process.removeListener("unhandledRejection", onFailure);
        debuggable.debuggablePromise = debuggablePromise;
    }
    if (failures.length > 0) {
        throw new ProgramError(`the program failed while registering resources: ${failures.map(describeError).join("; ")}${unansweredNote(invokes)}`, failures[0]);
    }
    return {
        project: options.project,
        stack: options.stack,
        preview,
        resources,
        outputs: (decodePlain(outputs) as Record<string, unknown>) ?? {},
        unansweredInvokes: invokes.unanswered(),
    };
}

function unansweredNote(invokes: InvokeRecorder): string {
    const missing = invokes.unanswered();
    return missing.length ? ` (data sources the preview could not answer: ${missing.join(", ")}; answer them with --data-sources FILE)` : "";
}

export function describeError(e: unknown): string {
    if (e instanceof Error) {
        const where = (e.stack ?? "").split("\n").find((l) => /^\s+at /.test(l) && !l.includes("node_modules") && !l.includes("node:internal"));
        return `${e.name === "Error" ? "" : e.name + ": "}${e.message}${where ? ` (${where.trim().replace(/^at /, "at ")})` : ""}`;
    }
    return String(e);
}

/** Loads a program module; a module that exports a function is a program to call (as the CLI does). */
function loadProgramModule(file: string): unknown {
    const resolved = require.resolve(path.resolve(file));
    const dir = path.dirname(resolved);
    // A fresh run must execute the program again: drop the program's own modules from the cache.
    for (const k of Object.keys(require.cache)) {
        if (k.startsWith(dir) && !k.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[k];
    }
    const mod = require(resolved) as unknown;
    if (typeof mod === "function") return (mod as () => unknown)();
    const def = (mod as { default?: unknown } | undefined)?.default;
    if (typeof def === "function") return (def as () => unknown)();
    return mod;
}

function recordRequest(req: Record<string, (...a: unknown[]) => unknown>, urn: string): RecordedResource {
    const call = <T>(m: string, fallback: T): T => (typeof req[m] === "function" ? ((req[m]() as T) ?? fallback) : fallback);
    const propDepsMap = call<{ forEach?: (f: (v: { getUrnsList(): string[] }, k: string) => void) => void } | undefined>("getPropertydependenciesMap", undefined);
    const propertyDependencies: Record<string, string[]> = {};
    propDepsMap?.forEach?.((v, k) => (propertyDependencies[k] = v.getUrnsList()));
    const timeouts = call<{ getCreate(): string; getUpdate(): string; getDelete(): string } | undefined>("getCustomtimeouts", undefined);
    const struct = call<{ toJavaScript(): Record<string, unknown> } | undefined>("getObject", undefined);
    const deleteBeforeReplaceDefined = call<boolean>("getDeletebeforereplacedefined", false);
    return {
        type: call("getType", ""),
        name: call("getName", ""),
        urn,
        custom: call("getCustom", false),
        parent: call<string>("getParent", "") || undefined,
        provider: call<string>("getProvider", "") || undefined,
        inputs: (decodeStruct(struct?.toJavaScript() ?? {}) as Record<string, unknown>) ?? {},
        rawInputs: struct,
        protect: call<boolean>("getProtect", false) === true,
        retainOnDelete: call<boolean>("getRetainondelete", false) === true,
        dependencies: call<string[]>("getDependenciesList", []),
        propertyDependencies,
        ignoreChanges: call<string[]>("getIgnorechangesList", []),
        deleteBeforeReplace: deleteBeforeReplaceDefined ? call("getDeletebeforereplace", false) : undefined,
        additionalSecretOutputs: call<string[]>("getAdditionalsecretoutputsList", []),
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
