// Hosts policy packs in-process with the engine's semantics.
//
// `new PolicyPack(...)` starts the analyzer's gRPC server and never returns control, so a pack is
// loaded with the gRPC server's `addService`/`bindAsync` intercepted: we keep the very handlers the
// Pulumi CLI would call (getAnalyzerInfo, configure, analyze, analyzeStack) and drive them with real
// protobuf requests. Props wrapping, unknown-value skips, config lookup and enforcement levels are
// therefore the pack's own SDK code, not a re-implementation.
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import type { RecordedResource } from "./program";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface PolicyInfo {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    /** JSON Schema `properties` of the policy's config. */
    readonly configSchema?: { readonly properties: Record<string, unknown>; readonly required: readonly string[] };
}

export interface Diagnostic {
    readonly policyPack: string;
    readonly policyPackVersion: string;
    readonly policy: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly urn?: string;
    readonly message: string;
}

export interface PackVerdict {
    /** Violations reported by policies. */
    readonly violations: readonly Diagnostic[];
    /** Policies the engine could not run on a resource because a value was unknown at preview. */
    readonly skipped: readonly Diagnostic[];
}

/** Config for one pack, as `--policy-pack-config` takes it: policy name (or "all") -> level or object. */
export type PackConfig = Readonly<Record<string, unknown>>;

type Handler = (call: { request: unknown }, cb: (err: unknown, resp?: unknown) => void) => unknown;
type Handlers = Record<"analyze" | "analyzeStack" | "getAnalyzerInfo" | "configure", Handler>;
type Proto = Record<string, new () => Record<string, (...args: unknown[]) => unknown>> & {
    EnforcementLevel: Record<string, number>;
    AnalyzerResourceOptions: new () => Record<string, (...args: unknown[]) => unknown>;
};
type StructModule = { Struct: { fromJavaScript(v: unknown): unknown } };

export class PolicyPackError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyPackError";
    }
}

/** A pack loaded in this process, ready to judge resources. */
export class LoadedPack {
    private constructor(
        readonly name: string,
        readonly version: string,
        readonly dir: string | undefined,
        readonly policies: readonly PolicyInfo[],
        private readonly handlers: Handlers,
        private readonly proto: Proto,
        private readonly struct: StructModule,
    ) {}

    /** Loads the pack in `dir` (its package.json `main`, compiled JavaScript) without serving it. */
    static fromDirectory(dir: string): Promise<LoadedPack> {
        const abs = path.resolve(dir);
        const pkgFile = path.join(abs, "package.json");
        if (!fs.existsSync(pkgFile)) throw new PolicyPackError(`policy pack ${dir}: no package.json (a pack folder has PulumiPolicy.yaml, package.json and its entry point)`);
        if (!fs.existsSync(path.join(abs, "PulumiPolicy.yaml"))) throw new PolicyPackError(`policy pack ${dir}: no PulumiPolicy.yaml`);
        const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: string };
        const main = path.resolve(abs, pkg.main ?? "index.js");
        let entry: string;
        try {
            entry = require.resolve(main);
        } catch {
            throw new PolicyPackError(`policy pack ${dir}: entry point ${path.relative(process.cwd(), main)} not found; build it first (npm run build)`);
        }
        return LoadedPack.capture(abs, abs, () => {
            for (const k of Object.keys(require.cache)) {
                if (k.startsWith(abs + path.sep) && !k.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[k];
            }
            require(entry);
        });
    }

    /** A pack made of policy objects in memory (tests and embedding); same engine semantics. */
    static fromPolicies(name: string, policies: readonly unknown[], enforcementLevel: EnforcementLevel = "advisory", version = "0.0.0"): Promise<LoadedPack> {
        return LoadedPack.capture(__dirname, undefined, (server) => {
            (server.serve as (...a: unknown[]) => void)(name, version, enforcementLevel, { policies }, undefined);
        });
    }

    private static async capture(resolveFrom: string, packDir: string | undefined, load: (server: Record<string, unknown>) => void): Promise<LoadedPack> {
        const policyMain = require.resolve("@pulumi/policy", { paths: [resolveFrom] });
        const policyDir = path.dirname(policyMain);
        // A fresh instance of the policy SDK per pack: it keeps one served pack and its config in module state.
        for (const k of Object.keys(require.cache)) {
            if (k.startsWith(policyDir + path.sep)) delete require.cache[k];
        }
        const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] })) as { Server: { prototype: Record<string, unknown> } };
        const proto = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [policyDir] })) as Proto;
        const struct = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [path.dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [policyDir] }))] })) as StructModule;
        const server = require(path.join(policyDir, "server.js")) as Record<string, unknown>;

        let captured: Record<string, Handler> | undefined;
        const proto0 = grpc.Server.prototype;
        const saved = { addService: proto0.addService, bindAsync: proto0.bindAsync };
        const savedExit = process.exit;
        const savedCwd = process.cwd();
        const errors: string[] = [];
        const savedConsoleError = console.error;
        proto0.addService = function (_svc: unknown, impl: Record<string, Handler>) {
            captured = impl;
        };
        proto0.bindAsync = function () {
            /* not served: the preview calls the handlers directly */
        };
        process.exit = ((code?: number) => {
            throw new PolicyPackError(`the policy pack exited (code ${code ?? 0}): ${errors.join("; ")}`);
        }) as typeof process.exit;
        console.error = (...a: unknown[]) => errors.push(a.map(String).join(" "));
        try {
            // PolicyPack reads its version from ./package.json relative to the working directory.
            if (packDir) process.chdir(packDir);
            load(server);
        } catch (e) {
            if (e instanceof PolicyPackError) throw e;
            throw new PolicyPackError(`the policy pack ${packDir ?? ""} threw while loading: ${e instanceof Error ? e.message : String(e)}`);
        } finally {
            proto0.addService = saved.addService;
            proto0.bindAsync = saved.bindAsync;
            process.exit = savedExit;
            console.error = savedConsoleError;
            process.chdir(savedCwd);
        }
        if (!captured) throw new PolicyPackError(`policy pack ${packDir ?? "(in memory)"}: loading it did not create a PolicyPack`);
        const handlers = captured as Handlers;
        const info = (await callHandler(handlers.getAnalyzerInfo, undefined)) as Record<string, () => unknown>;
        const levels = invert(proto.EnforcementLevel);
        const policies: PolicyInfo[] = (info.getPoliciesList() as Record<string, () => unknown>[]).map((p) => {
            const schema = p.getConfigschema() as Record<string, () => unknown> | undefined;
            const props = schema?.getProperties() as { toJavaScript(): Record<string, unknown> } | undefined;
            return {
                name: p.getName() as string,
                description: p.getDescription() as string,
                enforcementLevel: levels[p.getEnforcementlevel() as number] as EnforcementLevel,
                configSchema: schema ? { properties: props?.toJavaScript() ?? {}, required: (schema.getRequiredList() as string[]) ?? [] } : undefined,
            };
        });
        return new LoadedPack(info.getName() as string, info.getVersion() as string, packDir, policies, handlers, proto, struct);
    }

    /**
     * Sends the pack its config as the CLI does: every policy gets its schema defaults, overlaid
     * with the config file, validated against its schema; levels from config over policy over pack.
     */
    async configure(config: PackConfig = {}, source = "policy config"): Promise<void> {
        const errors: string[] = [];
        const known = new Set(this.policies.map((p) => p.name));
        for (const key of Object.keys(config)) {
            if (key !== "all" && !known.has(key)) errors.push(`${source}: "${key}" is not a policy of pack ${this.name} (policies: ${[...known].join(", ")})`);
        }
        const allLevel = levelOf(config.all);

        const req = new this.proto.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap() as { set(k: string, v: unknown): void };
        for (const p of this.policies) {
            const entry = config[p.name];
            const level = levelOf(entry) ?? allLevel ?? p.enforcementLevel;
            const props: Record<string, unknown> = {};
            for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
                if (s && typeof s === "object" && "default" in s) props[k] = (s as { default: unknown }).default;
            }
            if (entry && typeof entry === "object") {
                for (const [k, v] of Object.entries(entry)) if (k !== "enforcementLevel") props[k] = v;
            }
            if (p.configSchema) {
                const validate = compileSchema({ type: "object", properties: p.configSchema.properties, required: [...p.configSchema.required] });
                if (!validate(props)) {
                    for (const e of validate.errors ?? []) errors.push(`${source}: ${p.name}${e.instancePath.replace(/\//g, ".")}: ${e.message ?? "invalid"}`);
                }
            }
            if (!["advisory", "mandatory", "remediate", "disabled"].includes(level)) errors.push(`${source}: ${p.name}: enforcement level "${level}" is not advisory, mandatory, remediate or disabled`);
            const pc = new this.proto.PolicyConfig();
            pc.setEnforcementlevel(this.proto.EnforcementLevel[level.toUpperCase()] ?? 0);
            pc.setProperties(this.struct.Struct.fromJavaScript(props));
            map.set(p.name, pc);
        }
        if (errors.length) throw new PolicyPackError(errors.join("\n"));
        await callHandler(this.handlers.configure, req);
    }

    /** Runs every resource policy on each resource (Analyze) and every stack policy once (AnalyzeStack). */
    async analyze(resources: readonly RecordedResource[]): Promise<PackVerdict> {
        // The SDK signals "policy not applicable to this type" by throwing; thousands of those
        // per stack make stack-trace capture the main cost. Messages are all we report.
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return await this.analyzeAll(resources);
        } finally {
            Error.stackTraceLimit = limit;
        }
    }

    private async analyzeAll(resources: readonly RecordedResource[]): Promise<PackVerdict> {
        const byUrn = new Map(resources.map((r) => [r.urn, r]));
        const out: Diagnostic[] = [];
        for (const r of resources) {
            if (r.type === "pulumi:pulumi:Stack") continue;
            const req = new this.proto.AnalyzeRequest();
            req.setType(r.type);
            req.setProperties(this.structOf(r));
            req.setUrn(r.urn);
            req.setName(r.name);
            req.setOptions(this.optionsOf(r));
            const provider = this.providerOf(r, byUrn);
            if (provider) req.setProvider(provider);
            const resp = (await callHandler(this.handlers.analyze, req)) as Record<string, () => unknown>;
            out.push(...this.diagnostics(resp, r.urn));
        }
        const stackReq = new this.proto.AnalyzeStackRequest();
        stackReq.setResourcesList(
            resources.map((r) => {
                const ar = new this.proto.AnalyzerResource();
                ar.setType(r.type);
                ar.setProperties(this.structOf(r));
                ar.setUrn(r.urn);
                ar.setName(r.name);
                ar.setOptions(this.optionsOf(r));
                const provider = this.providerOf(r, byUrn);
                if (provider) ar.setProvider(provider);
                if (r.parent) ar.setParent(r.parent);
                ar.setDependenciesList([...r.dependencies]);
                const deps = ar.getPropertydependenciesMap() as { set(k: string, v: unknown): void };
                for (const [k, urns] of Object.entries(r.propertyDependencies)) {
                    const pd = new this.proto.AnalyzerPropertyDependencies();
                    pd.setUrnsList([...urns]);
                    deps.set(k, pd);
                }
                return ar;
            }),
        );
        const stackResp = (await callHandler(this.handlers.analyzeStack, stackReq)) as Record<string, () => unknown>;
        out.push(...this.diagnostics(stackResp, undefined));
        const skipped = out.filter((d) => d.message.startsWith("can't run policy"));
        return { violations: out.filter((d) => !skipped.includes(d)), skipped };
    }

    /**
     * The props a request carries. The SDK reads them with `toJavaScript()` once per policy (about
     * fifty times per resource here), so the wire form is converted once and handed out from then
     * on; the SDK builds its own objects from it and never mutates it.
     */
    private structOf(r: RecordedResource): unknown {
        let struct = this.structs.get(r);
        if (!struct) {
            const raw = r.rawInputs as { toJavaScript?: () => unknown } | undefined;
            const js = raw?.toJavaScript ? raw.toJavaScript() : {};
            const real = this.struct.Struct.fromJavaScript(js) as { toJavaScript(): unknown };
            real.toJavaScript = () => js;
            struct = real;
            this.structs.set(r, struct);
        }
        return struct;
    }

    private readonly structs = new WeakMap<RecordedResource, { toJavaScript(): unknown }>();

    private optionsOf(r: RecordedResource): unknown {
        const o = new this.proto.AnalyzerResourceOptions();
        o.setProtect(r.protect);
        o.setIgnorechangesList([...r.ignoreChanges]);
        if (r.deleteBeforeReplace !== undefined) {
            o.setDeletebeforereplace(r.deleteBeforeReplace);
            o.setDeletebeforereplacedefined(true);
        }
        o.setAdditionalsecretoutputsList([...r.additionalSecretOutputs]);
        o.setAliasesList([...r.aliases]);
        if (r.parent) o.setParent(r.parent);
        if (r.customTimeouts) {
            const Timeouts = (this.proto.AnalyzerResourceOptions as unknown as { CustomTimeouts: new () => Record<string, (v: number) => void> }).CustomTimeouts;
            const t = new Timeouts();
            t.setCreate(durationSeconds(r.customTimeouts.create));
            t.setUpdate(durationSeconds(r.customTimeouts.update));
            t.setDelete(durationSeconds(r.customTimeouts.delete));
            o.setCustomtimeouts(t);
        }
        return o;
    }

    private providerOf(r: RecordedResource, byUrn: ReadonlyMap<string, RecordedResource>): unknown {
        if (!r.provider) return undefined;
        const urn = r.provider.split("::").slice(0, -1).join("::");
        const p = byUrn.get(urn);
        if (!p) return undefined;
        const apr = new this.proto.AnalyzerProviderResource();
        apr.setType(p.type);
        apr.setProperties(this.structOf(p));
        apr.setUrn(p.urn);
        apr.setName(p.name);
        return apr;
    }

    private diagnostics(resp: Record<string, () => unknown>, urn: string | undefined): Diagnostic[] {
        const levels = invert(this.proto.EnforcementLevel);
        return (resp.getDiagnosticsList() as Record<string, () => unknown>[]).map((d) => ({
            policyPack: d.getPolicypackname() as string,
            policyPackVersion: d.getPolicypackversion() as string,
            policy: d.getPolicyname() as string,
            description: d.getDescription() as string,
            enforcementLevel: levels[d.getEnforcementlevel() as number] as EnforcementLevel,
            urn: (d.getUrn() as string) || urn,
            message: d.getMessage() as string,
        }));
    }
}

const ajv = new Ajv({ allErrors: true, strict: false });
const compiledSchemas = new Map<string, ReturnType<typeof ajv.compile>>();

/** A validator per distinct schema, compiled once per process (every stack configures every pack). */
function compileSchema(schema: Record<string, unknown>): ReturnType<typeof ajv.compile> {
    const key = JSON.stringify(schema);
    let validate = compiledSchemas.get(key);
    if (!validate) {
        validate = ajv.compile(schema);
        compiledSchemas.set(key, validate);
    }
    return validate;
}

/** Reads a `--policy-pack-config` file. */
export function readPackConfig(file: string): PackConfig {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new PolicyPackError(`policy pack config ${file}: cannot be read`);
    }
    try {
        const v = JSON.parse(text) as unknown;
        if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error("expected a JSON object of policy name -> level or settings");
        return v as PackConfig;
    } catch (e) {
        throw new PolicyPackError(`policy pack config ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
}

function levelOf(v: unknown): EnforcementLevel | undefined {
    if (typeof v === "string") return v as EnforcementLevel;
    if (v && typeof v === "object" && typeof (v as { enforcementLevel?: unknown }).enforcementLevel === "string") return (v as { enforcementLevel: EnforcementLevel }).enforcementLevel;
    return undefined;
}

function invert(e: Record<string, number>): Record<number, string> {
    return Object.fromEntries(Object.entries(e).map(([k, v]) => [v, k.toLowerCase()]));
}

function durationSeconds(d: string | undefined): number {
    if (!d) return 0;
    let total = 0;
    for (const [, n, unit] of d.matchAll(/([\d.]+)(h|m|s)/g)) total += Number(n) * (unit === "h" ? 3600 : unit === "m" ? 60 : 1);
    return total;
}

function callHandler(handler: Handler, request: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
        try {
            const r = handler({ request }, (err, resp) => (err ? reject(err) : resolve(resp)));
            if (r && typeof (r as Promise<unknown>).catch === "function") (r as Promise<unknown>).catch(reject);
        } catch (e) {
            reject(e);
        }
    });
}
