// The test harness every component and policy test uses: run a program or a component under
// Pulumi mocks and get the resources the engine would see; run policies against resources with
// the engine's own semantics (real AnalyzeRequests through the policy SDK's analyzer handlers).
import { Policy } from "../policies/lib/policy";
import { toGraph } from "../preview/graph";
import { Diagnostic, LoadedPack, PackConfig } from "../preview/policyHost";
import { ProgramRun, RecordedResource, runProgram, UNKNOWN } from "../preview/program";
import { encodeValue } from "../preview/values";

export { RecordedResource, toGraph, UNKNOWN };

export interface MockRun extends ProgramRun {
    /** Resources of one type, in registration order. */
    ofType(type: string): RecordedResource[];
    /** The one resource of `type` (whose name includes `nameIncludes`); throws if none or several. */
    one(type: string, nameIncludes?: string): RecordedResource;
    byUrn(urn: string): RecordedResource | undefined;
    /** Direct children of a resource. */
    children(parentUrn: string): RecordedResource[];
}

export interface MockOptions {
    /** @default "test" */
    readonly stack?: string;
    /** @default "nonstop" */
    readonly project?: string;
    /** Stack config, full keys. @default { "aws:region": "us-east-1" } */
    readonly config?: Readonly<Record<string, unknown>>;
    /**
     * Preview mode: outputs of new resources are UNKNOWN, as at `pulumi preview`. Off by default in
     * tests so that ids are "<name>-id" and wiring between resources can be asserted.
     * @default false
     */
    readonly preview?: boolean;
    /** Answers for data sources the mocks do not know, by token. */
    readonly dataSources?: Readonly<Record<string, unknown>>;
    /** Config keys whose values are secret (as `secure:` values in a stack file). @default none */
    readonly secretKeys?: readonly string[];
}

export async function runUnderMocks(program: () => unknown, options: MockOptions = {}): Promise<MockRun> {
    const run = await runProgram(program, {
        project: options.project ?? "nonstop",
        stack: options.stack ?? "test",
        config: options.config ?? { "aws:region": "us-east-1" },
        preview: options.preview ?? false,
        dataSources: options.dataSources,
        secretKeys: options.secretKeys,
    });
    return withQueries(run);
}

export function withQueries(run: ProgramRun): MockRun {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    return {
        ...run,
        ofType: (type) => run.resources.filter((r) => r.type === type),
        one: (type, nameIncludes) => {
            const found = run.resources.filter((r) => r.type === type && (nameIncludes === undefined || r.name.includes(nameIncludes)));
            if (found.length !== 1) {
                throw new Error(`expected exactly one ${type}${nameIncludes ? ` named *${nameIncludes}*` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ") || "none"}`);
            }
            return found[0];
        },
        byUrn: (urn) => byUrn.get(urn),
        children: (parentUrn) => run.resources.filter((r) => r.parent === parentUrn),
    };
}

export interface Violation {
    readonly policy: string;
    readonly enforcementLevel: string;
    readonly urn?: string;
    readonly message: string;
}

/** A resource given to a policy in a test; props may hold UNKNOWN anywhere. */
export interface TestResource {
    readonly type: string;
    readonly props: Readonly<Record<string, unknown>>;
    /** @default derived from the type */
    readonly name?: string;
    /** @default urn:pulumi:test::nonstop::<type>::<name> */
    readonly urn?: string;
    readonly parent?: string;
    readonly dependencies?: readonly string[];
    /** Property name -> URNs its value came from. */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly protect?: boolean;
    readonly retainOnDelete?: boolean;
    /** Provider reference: the provider resource's URN (its props come from that resource in the list). */
    readonly provider?: string;
}

const packs = new WeakMap<Policy, Promise<LoadedPack>>();

function packFor(policies: readonly Policy[]): Promise<LoadedPack> {
    if (policies.length === 1) {
        const cached = packs.get(policies[0]);
        if (cached) return cached;
        const p = LoadedPack.fromPolicies("test-pack", policies);
        packs.set(policies[0], p);
        return p;
    }
    return LoadedPack.fromPolicies("test-pack", policies);
}

export function testResource(r: TestResource): RecordedResource {
    const name = r.name ?? (r.type.split(":").pop() ?? "resource").toLowerCase();
    const encoded = encodeValue(r.props);
    const providerRef = r.provider ? `${r.provider}::provider-id` : undefined;
    return {
        type: r.type,
        name,
        urn: r.urn ?? `urn:pulumi:test::nonstop::${r.type}::${name}`,
        custom: true,
        remote: false,
        parent: r.parent,
        provider: providerRef,
        inputs: r.props,
        secretPaths: [],
        rawInputs: { toJavaScript: () => encoded },
        protect: r.protect ?? false,
        retainOnDelete: r.retainOnDelete ?? false,
        dependencies: r.dependencies ?? [],
        propertyDependencies: r.propertyDependencies ?? {},
        ignoreChanges: [],
        additionalSecretOutputs: [],
        aliases: [],
    };
}

/** Judges resources with the given policies; `config` maps policy name -> settings (or a whole pack config). */
export async function judge(policies: readonly Policy[], resources: readonly RecordedResource[], config: PackConfig = {}): Promise<Violation[]> {
    const pack = await packFor(policies);
    await pack.configure(config, "test config");
    const verdict = await pack.analyze(resources);
    return verdict.violations.map((d: Diagnostic) => ({ policy: d.policy, enforcementLevel: d.enforcementLevel, urn: d.urn, message: d.message }));
}

/** Runs one policy (resource or stack) on one resource. `config` is that policy's settings. */
export function checkResource(policy: Policy, resource: TestResource, config: Readonly<Record<string, unknown>> = {}): Promise<Violation[]> {
    return judge([policy], [testResource(resource)], { [policy.name]: config });
}

/** Runs one policy on a set of resources (a stack). `config` is that policy's settings. */
export function checkStack(policy: Policy, resources: readonly TestResource[], config: Readonly<Record<string, unknown>> = {}): Promise<Violation[]> {
    return judge([policy], resources.map(testResource), { [policy.name]: config });
}

/** Runs policies on the resources of a program run. `config` is a pack config (policy name -> settings). */
export function checkRun(policies: readonly Policy[], run: ProgramRun, config: PackConfig = {}): Promise<Violation[]> {
    return judge(policies, run.resources, config);
}
