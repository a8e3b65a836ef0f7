// Hosts policy packs in-process with the engine's semantics.
//
// `new PolicyPack(...)` starts the analyzer's gRPC server and never returns control, so a pack is
// loaded with the gRPC server's `addService`/`bindAsync` intercepted: we keep the very handlers the
// Pulumi CLI would call (getAnalyzerInfo, configure, analyze, analyzeStack) and drive them with the
// engine's requests (protobuf for configure, views that read as the engine's messages for analyze:
// analyzerRequests.ts). Props wrapping, unknown-value skips, config lookup and enforcement levels
// are therefore the pack's own SDK code, not a re-implementation.
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import Ajv from "ajv";
import { analyzeRequest, analyzeStackRequest } from "./analyzerRequests";
import { keptCode } from "./compileCache";
import { DEFAULT_TIME_LIMIT_SECONDS, settle, Stop } from "./deadline";
import { Incomplete, resourceLabel } from "./incomplete";
import { guardExit, RecordedResource } from "./program";
import { registerTypeScript } from "./project";

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
    /** Policies that threw, and resources or stack policies the pack did not finish judging. */
    readonly incomplete: readonly Incomplete[];
}

/** Config for one pack, as `--policy-pack-config` takes it: policy name (or "all") -> level or object. */
export type PackConfig = Readonly<Record<string, unknown>>;

/** One policy's reconciled config: its enforcement level and its settings. */
interface PolicySetting {
    level: string;
    props: Record<string, unknown>;
}

/** One layer of config (schema defaults, the pack's initialConfig, the config file), normalized. */
type ConfigLayer = ReadonlyMap<string, { readonly level?: string; readonly props?: Readonly<Record<string, unknown>> }>;

export interface AnalyzeOptions {
    /** Stop waiting for the pack after this many seconds. @default DEFAULT_TIME_LIMIT_SECONDS */
    readonly timeLimitSeconds?: number;
}

type Handler = (call: { request: unknown }, cb: (err: unknown, resp?: unknown) => void) => unknown;
type Handlers = Record<"analyze" | "analyzeStack" | "getAnalyzerInfo" | "configure", Handler>;
type Proto = Record<string, new () => Record<string, (...args: unknown[]) => unknown>> & {
    EnforcementLevel: Record<string, number>;
    AnalyzerResourceOptions: new () => Record<string, (...args: unknown[]) => unknown>;
};
type StructModule = { Struct: { new (): unknown; fromJavaScript(v: unknown): unknown } };

export class PolicyPackError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyPackError";
    }
}

/** A pack loaded in this process, ready to judge resources. */
export interface DeserializeModule {
    deserializeProperties(struct: object, proxySecrets: boolean): unknown;
}

/**
 * The SDK decodes a resource's props once per policy (in Analyze and in AnalyzeStack: about fifty
 * times per resource with nonstop's pack), which was a quarter of the time of a large preview and
 * most of its garbage. This SDK instance serves one pack in this process, and every request the
 * host builds carries its own props object per resource (a provider's shared by the resources of
 * one request), so the policies of one call share one decoded copy. The one difference from the CLI: a policy that mutates the props it is given (none should)
 * would be seen by the policies after it in that call. Remediation (proxySecrets) is left as is.
 */
export function decodeOncePerCall(mod: DeserializeModule): void {
    const decode = mod.deserializeProperties;
    const decoded = new WeakMap<object, unknown>();
    mod.deserializeProperties = (struct, proxySecrets) => {
        if (proxySecrets || struct === null || typeof struct !== "object") return decode(struct, proxySecrets);
        if (!decoded.has(struct)) decoded.set(struct, decode(struct, proxySecrets));
        return decoded.get(struct);
    };
}

export class LoadedPack {
    private constructor(
        readonly name: string,
        readonly version: string,
        readonly dir: string | undefined,
        readonly policies: readonly PolicyInfo[],
        /** The pack's programmatic config (third argument of `new PolicyPack`), applied before the config file. */
        readonly initialConfig: ConfigLayer,
        private readonly handlers: Handlers,
        private readonly proto: Proto,
        private readonly struct: StructModule,
    ) {}

    /**
     * Loads the pack in `dir` without serving it, as the CLI's nodejs analyzer plugin starts it: the
     * package's `main`, else its index.js, else its index.ts (a TypeScript pack needs no build step;
     * it is compiled on load, transpile-only).
     */
    static fromDirectory(dir: string): Promise<LoadedPack> {
        const abs = path.resolve(dir);
        const pkgFile = path.join(abs, "package.json");
        if (!fs.existsSync(pkgFile)) throw new PolicyPackError(`policy pack ${dir}: no package.json (a pack folder has PulumiPolicy.yaml, package.json and its entry point)`);
        if (!fs.existsSync(path.join(abs, "PulumiPolicy.yaml"))) throw new PolicyPackError(`policy pack ${dir}: no PulumiPolicy.yaml`);
        let pkg: { main?: unknown };
        try {
            pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: unknown };
        } catch (e) {
            throw new PolicyPackError(`policy pack ${dir}: package.json is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
        }
        const entry = packEntry(abs, typeof pkg.main === "string" ? pkg.main : undefined);
        if (entry.endsWith(".ts")) registerTypeScript();
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
        decodeOncePerCall(require(path.join(policyDir, "deserialize.js")) as DeserializeModule);

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
        // Unset enforcement levels arrive as 0, ADVISORY: the CLI reads them that way too (it converts
        // each initial-config entry's level with convertEnforcementLevel and applies any valid one).
        const initialConfig = new Map<string, { level?: string; props?: Record<string, unknown> }>();
        (info.getInitialconfigMap() as { forEach(f: (v: Record<string, () => unknown>, k: string) => void): void }).forEach((v, k) => {
            const props = (v.getProperties() as { toJavaScript(): Record<string, unknown> } | undefined)?.toJavaScript();
            initialConfig.set(k, { level: levels[v.getEnforcementlevel() as number], props: props && Object.keys(props).length ? props : undefined });
        });
        return new LoadedPack(info.getName() as string, info.getVersion() as string, packDir, policies, initialConfig, handlers, proto, struct);
    }

    /**
     * Sends the pack its config as the CLI's ReconcilePolicyPackConfig builds it: every policy
     * starts from its schema defaults and its own level, then the pack's initialConfig is applied,
     * then the config file; in each layer "all" sets every policy's level before the policy's own
     * entry. The result is validated against each policy's schema.
     */
    async configure(config: PackConfig = {}, source = "policy config"): Promise<void> {
        const errors: string[] = [];
        const known = new Set(this.policies.map((p) => p.name));
        for (const key of Object.keys(config)) {
            if (key !== "all" && !known.has(key)) errors.push(`${source}: "${key}" is not a policy of pack ${this.name} (policies: ${[...known].join(", ")})`);
        }
        const settings = new Map<string, PolicySetting>();
        for (const p of this.policies) {
            const props: Record<string, unknown> = {};
            for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
                if (s && typeof s === "object" && "default" in s) props[k] = (s as { default: unknown }).default;
            }
            settings.set(p.name, { level: p.enforcementLevel, props });
        }
        applyLayer(settings, this.initialConfig);
        applyLayer(settings, fileLayer(config));
        const withSchema = this.policies.filter((p) => p.configSchema);
        const validators = validatorsFor(withSchema.map((p) => ({ type: "object", properties: p.configSchema?.properties, required: [...(p.configSchema?.required ?? [])] })));
        const validatorOf = new Map(withSchema.map((p, i) => [p, validators[i]]));
        for (const p of this.policies) {
            const { level, props } = settings.get(p.name) as PolicySetting;
            const validate = validatorOf.get(p);
            if (validate) {
                if (!validate(props)) {
                    for (const e of validate.errors ?? []) errors.push(`${source}: ${p.name}${e.instancePath.replace(/\//g, ".")}: ${e.message ?? "invalid"}`);
                }
            }
            if (!LEVELS.includes(level)) errors.push(`${source}: ${p.name}: enforcement level "${level}" is not advisory, mandatory, remediate or disabled`);
        }
        if (errors.length) throw new PolicyPackError(errors.join("\n"));
        this.settings = settings;
        await this.sendConfig(new Set());
    }

    private settings: ReadonlyMap<string, PolicySetting> = new Map();

    /** The reconciled config: each policy's enforcement level and settings (after configure). */
    get effectiveConfig(): ReadonlyMap<string, { readonly level: string; readonly props: Readonly<Record<string, unknown>> }> {
        return this.settings;
    }

    /** Sends the reconciled config, with `disabled` policies disabled (to judge around one that throws). */
    private async sendConfig(disabled: ReadonlySet<string>): Promise<void> {
        const req = new this.proto.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap() as { set(k: string, v: unknown): void };
        for (const [name, { level, props }] of this.settings) {
            const pc = new this.proto.PolicyConfig();
            pc.setEnforcementlevel(this.proto.EnforcementLevel[(disabled.has(name) ? "disabled" : level).toUpperCase()] ?? 0);
            pc.setProperties(this.struct.Struct.fromJavaScript(props));
            map.set(name, pc);
        }
        await callHandler(this.handlers.configure, req);
    }

    /**
     * Runs every resource policy on each resource (Analyze) and every stack policy once
     * (AnalyzeStack). A policy that throws is reported as incomplete and the resource is judged
     * again without it; a pack that never settles or outlives the time limit stops the analysis
     * there, and what it did not judge is reported.
     */
    async analyze(resources: readonly RecordedResource[], options: AnalyzeOptions = {}): Promise<PackVerdict> {
        // The SDK signals "policy not applicable to this type" by throwing; thousands of those
        // per stack make stack-trace capture the main cost. Messages are all we report.
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        const cwd = process.cwd();
        try {
            // The CLI starts a pack in its own directory; a policy may read files relative to it.
            if (this.dir) process.chdir(this.dir);
            return await this.analyzeAll(resources, Date.now() + (options.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS) * 1000);
        } finally {
            Error.stackTraceLimit = limit;
            process.chdir(cwd);
        }
    }

    private async analyzeAll(resources: readonly RecordedResource[], deadline: number): Promise<PackVerdict> {
        const byUrn = new Map(resources.map((r) => [r.urn, r]));
        const out: Diagnostic[] = [];
        const failures = new PolicyFailures(this.name);
        const incomplete: Incomplete[] = [];
        const judged = resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
        let stalls = 0;
        for (let i = 0; i < judged.length; i++) {
            const r = judged[i];
            const label = resourceLabel(r.type, r.name);
            const result = await this.judge(this.handlers.analyze, () => analyzeRequest(r, byUrn), label, failures, deadline);
            if (result.resp) out.push(...this.diagnostics(result.resp, r.urn));
            if (result.stop === "stalled" && ++stalls <= 3) {
                incomplete.push({ kind: "timeout", what: `${label} (policy pack ${this.name})`, urn: r.urn, why: "not judged: a policy never settled on it (it awaits a promise nothing resolves)" });
                continue;
            }
            if (result.stop) {
                incomplete.push({
                    kind: "timeout",
                    what: `policy pack ${this.name}`,
                    why: `${result.stop === "timeout" ? "did not finish within the time limit (--time-limit SECONDS changes it)" : "stopped settling its calls"} while judging ${label}; ${judged.length - i - 1} resource(s) after it and the stack policies were not judged`,
                });
                return this.verdict(out, failures, incomplete);
            }
        }
        const stack = await this.judge(this.handlers.analyzeStack, () => analyzeStackRequest(resources, byUrn), "the stack", failures, deadline);
        if (stack.resp) out.push(...this.diagnostics(stack.resp, undefined));
        if (stack.stop) incomplete.push({ kind: "timeout", what: `policy pack ${this.name}`, why: `its stack policies did not finish (${stack.stop === "timeout" ? "time limit" : "a promise nothing resolves"}), so they judged nothing` });
        return this.verdict(out, failures, incomplete);
    }

    private verdict(out: Diagnostic[], failures: PolicyFailures, incomplete: Incomplete[]): PackVerdict {
        const skipped = out.filter((d) => d.message.startsWith("can't run policy"));
        return { violations: out.filter((d) => !skipped.includes(d)), skipped, incomplete: [...failures.items(), ...incomplete] };
    }

    /**
     * One Analyze or AnalyzeStack call. When a policy throws, the SDK abandons the whole call; the
     * policy is recorded and the call made again with it disabled, so the other policies still judge.
     */
    private async judge(handler: Handler, request: () => unknown, what: string, failures: PolicyFailures, deadline: number): Promise<{ resp?: Record<string, () => unknown>; stop?: Stop }> {
        const disabled = new Set<string>();
        try {
            for (;;) {
                if (disabled.size) await this.sendConfig(disabled);
                const unguard = guardExit(`a policy of pack ${this.name}`, []);
                try {
                    const settled = await settle(callHandler(handler, request()), deadline - Date.now());
                    return settled.done ? { resp: settled.value as Record<string, () => unknown> } : { stop: settled.stop };
                } catch (e) {
                    const policy = failingPolicy(e);
                    failures.add(policy, what, e);
                    if (policy === undefined || disabled.has(policy) || disabled.size >= this.policies.length) return {};
                    disabled.add(policy);
                } finally {
                    unguard();
                }
            }
        } finally {
            if (disabled.size) await this.sendConfig(new Set());
        }
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

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

/** The entry point the CLI would load from a pack directory: `main`, else index.js, else index.ts. */
function packEntry(dir: string, main: string | undefined): string {
    const candidates: string[] = [];
    if (main !== undefined) {
        const m = path.resolve(dir, main);
        candidates.push(m, `${m}.js`, `${m}.ts`, path.join(m, "index.js"), path.join(m, "index.ts"));
    }
    candidates.push(path.join(dir, "index.js"), path.join(dir, "index.ts"));
    const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    if (!found) {
        const shown = (f: string) => path.relative(process.cwd(), f) || f;
        throw new PolicyPackError(`policy pack ${shown(dir)}: no entry point (${main !== undefined ? `main ${JSON.stringify(main)} not found, ` : ""}no index.js or index.ts)${main !== undefined ? "; build it first (npm run build)" : ""}`);
    }
    return found;
}

/** A config file as a layer: a string is a level, an object an optional level plus settings. */
function fileLayer(config: PackConfig): ConfigLayer {
    const layer = new Map<string, { level?: string; props?: Record<string, unknown> }>();
    for (const [k, v] of Object.entries(config)) {
        if (typeof v === "string") layer.set(k, { level: v });
        else if (v && typeof v === "object" && !Array.isArray(v)) {
            const { enforcementLevel, ...props } = v as Record<string, unknown>;
            layer.set(k, { level: typeof enforcementLevel === "string" ? enforcementLevel : undefined, props: Object.keys(props).length ? props : undefined });
        } else layer.set(k, { level: String(v) });
    }
    return layer;
}

/** The CLI's applyConfig: "all" sets every level first, then each policy's entry overrides its level and overlays its settings. */
function applyLayer(settings: Map<string, PolicySetting>, layer: ConfigLayer): void {
    const all = layer.get("all")?.level;
    if (all !== undefined) for (const s of settings.values()) s.level = all;
    for (const [name, given] of layer) {
        const s = settings.get(name);
        if (name === "all" || !s) continue;
        if (given.level !== undefined) s.level = given.level;
        if (given.props) Object.assign(s.props, given.props);
    }
}

/** The policy named by the policy SDK's error for a policy that threw ("... with policy 'x' from policy pack ..."). */
function failingPolicy(e: unknown): string | undefined {
    const message = e instanceof Error ? e.message : String(e);
    return /with policy '([^']+)' from policy pack/.exec(message)?.[1];
}

/** Policies that threw, grouped: one line per policy however many resources it failed on. */
class PolicyFailures {
    private readonly byPolicy = new Map<string, { count: number; first: string; error: string }>();

    constructor(private readonly pack: string) {}

    add(policy: string | undefined, what: string, e: unknown): void {
        const key = policy ?? "";
        const entry = this.byPolicy.get(key);
        if (entry) entry.count++;
        else this.byPolicy.set(key, { count: 1, first: what, error: innerError(e) });
    }

    items(): Incomplete[] {
        return [...this.byPolicy].map(([policy, f]) => ({
            kind: "policy" as const,
            what: policy ? `policy "${policy}" of pack ${this.pack}` : `policy pack ${this.pack}`,
            why: `${policy ? "threw" : "failed"} ${f.count === 1 ? `on ${f.first}` : `${f.count} times (first on ${f.first})`}, so it judged nothing there: ${f.error}`,
        }));
    }
}

/** The error a policy threw, from the SDK's wrapper ("Error validating ...:\n<stack>"): its first line and first frame in the pack. */
function innerError(e: unknown): string {
    const lines = (e instanceof Error ? e.message : String(e)).split("\n");
    const body = /^Error validating/.test(lines[0]) ? lines.slice(1) : lines;
    const head = body.find((l) => l.trim() !== "" && !/^\s+at /.test(l)) ?? lines[0];
    const frame = body.find((l) => /^\s+at /.test(l) && !l.includes("node_modules") && !l.includes("node:internal"));
    return `${head.trim()}${frame ? ` (${frame.trim()})` : ""}`;
}

const AJV_OPTIONS = { allErrors: true, strict: false } as const;
type Validator = ReturnType<Ajv["compile"]>;
const validatorSets = new Map<string, Validator[]>();

/**
 * One validator per schema, in order. Ajv generates code for each schema and compiles it, about a
 * millisecond apiece: some 50 ms of every preview for nonstop's pack. So the code Ajv generates
 * for a pack's schemas is kept between runs (keptCode, beside the compile cache), keyed by the
 * schemas themselves and Ajv's version; later runs load it and generate nothing. Within a process
 * each set is made once (every stack configures every pack).
 */
function validatorsFor(schemas: readonly Record<string, unknown>[]): Validator[] {
    const key = JSON.stringify({ ajv: (require("ajv/package.json") as { version: string }).version, options: AJV_OPTIONS, schemas });
    let validators = validatorSets.get(key);
    if (validators) return validators;
    try {
        const code = keptCode("ajv", key, () => standaloneValidators(schemas));
        const module = { exports: {} as { validators?: Validator[] } };
        // The generated code requires Ajv's runtime helpers (ucs2length, deep equality) by name.
        new Function("module", "require", code)(module, createRequire(require.resolve("ajv")));
        validators = module.exports.validators;
    } catch {
        validators = undefined;
    }
    if (!Array.isArray(validators) || validators.length !== schemas.length) {
        const ajv = new Ajv(AJV_OPTIONS);
        validators = schemas.map((s) => ajv.compile(s));
    }
    validatorSets.set(key, validators);
    return validators;
}

/** Ajv's generated code for `schemas`, as one CommonJS module exporting `validators` in order. */
function standaloneValidators(schemas: readonly Record<string, unknown>[]): string {
    const standaloneCode = (require("ajv/dist/standalone") as typeof import("ajv/dist/standalone")).default;
    const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
    const parts = schemas.map((schema) => `(function () {\nconst module = { exports: {} }, exports = module.exports;\n${standaloneCode(ajv, ajv.compile(schema))}\nreturn module.exports;\n})()`);
    return `"use strict";\nmodule.exports.validators = [\n${parts.join(",\n")}\n];\n`;
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

function invert(e: Record<string, number>): Record<number, string> {
    return Object.fromEntries(Object.entries(e).map(([k, v]) => [v, k.toLowerCase()]));
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
