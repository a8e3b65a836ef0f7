// Property-based tests of every resource rule of the aws, gcp and kubernetes domains: whatever the
// engine sends (random property bags, happy-path resources with fields deleted, replaced by values
// of the wrong type or UNKNOWN), a rule never throws, every message names its resource, and an
// unknown value is never a violation.
//
// Resources go through the real analyzer code (test/harness `judge`), in batches: one configure
// and one analyze call per batch keeps ~450 resources per rule (~14,000 in all, with the unknown-
// value property) within about 15 s on two shared cores (10 s of CPU). NONSTOP_PROPERTY_RUNS
// raises the number of batches for a longer soak.
import { expect } from "chai";
import fc from "fast-check";
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { Policy } from "../../policies/lib/policy";
import { policies as awsPolicies } from "../../policies/rules/aws";
import { policies as gcpPolicies } from "../../policies/rules/gcp";
import { policies as kubernetesPolicies } from "../../policies/rules/kubernetes";
import { judge, testResource, UNKNOWN, Violation } from "../harness";
import { awsFactories } from "./rules/aws/factories";
import { gcpFactories } from "./rules/gcp/factories";
import { kubernetesFactories } from "./rules/kubernetes/factories";

/** The resource rules (stack rules of these domains are fuzzed with the graph rules). */
const rules: readonly Policy[] = [...awsPolicies, ...gcpPolicies, ...kubernetesPolicies].filter((p) => "validateResource" in p);
const factories = [...awsFactories, ...gcpFactories, ...kubernetesFactories];

/** Batches per rule and resources per batch: RUNS batches of 1..BATCH (mostly near BATCH) resources per rule. */
const RUNS = Number(process.env.NONSTOP_PROPERTY_RUNS ?? 16);
const BATCH = 64;

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

/** The sentinels the policy SDK leaves for unknown values of each kind (besides the string one UNKNOWN encodes to). */
const sdkUnknowns = [
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];

function keysOf(value: unknown, into: Set<string>): Set<string> {
    if (Array.isArray(value)) value.forEach((v) => keysOf(v, into));
    else if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
            into.add(k);
            keysOf(v, into);
        }
    }
    return into;
}

/** Property names the rules read, so random bags hit judged paths (factory keys plus the rest). */
const vocabulary = [
    ...keysOf(
        factories.map((f) => f.props()),
        new Set([
            "schedulingStrategy", "deploymentController", "type", "subnetMappings", "subnetId", "availabilityZones", "replicateSourceDb",
            "snapshotIdentifier", "engineMode", "replicasPerNodeGroup", "nodeGroupConfigurations", "replicaCount", "numNodeGroups",
            "versioning", "versionings", "status", "enabled", "disabled", "childHealthThreshold", "aliases", "evaluateTargetHealth",
            "weightedRoutingPolicies", "latencyRoutingPolicies", "geolocationRoutingPolicies", "geoproximityRoutingPolicy",
            "cidrRoutingPolicy", "multivalueAnswerRoutingPolicy", "masterInstanceName", "instanceType", "edition", "scalingMode",
            "manualInstanceCount", "maxInstanceCount", "minInstanceCount", "totalMinNodeCount", "nodeCount", "initialNodeCount",
            "retentionDurationSeconds", "tier", "targetSize", "zone", "distributionPolicyZones", "strategy", "rollingUpdate",
            "maxUnavailable", "minAvailable", "affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
            "preferredDuringSchedulingIgnoredDuringExecution", "podAffinityTerm", "topologyKey", "limits", "requests", "cpu", "memory",
            "persistentVolumeClaimRetentionPolicy", "whenDeleted", "minReplicas", "maxReplicas", "changeableForDays", "annotations",
            "autoscaling.knative.dev/minScale", "autoscaling.knative.dev/maxScale", "binaryLogEnabled", "pointInTimeRecoveryEnabled",
            "backupRetentionSettings", "retainedBackups", "retentionUnit", "deletionProtectionEnabled", "location", "nodeLocations",
            "regionName", "healthCheckId", "ttl", "regions", "requestInterval", "failureThreshold", "targetType", "healthCheck",
            // Keys that name Object.prototype members (not "__proto__": no engine can send it as a plain key).
            "constructor", "toString", "hasOwnProperty", "length", "0",
        ]),
    ),
];

const interestingStrings = [
    "Enabled", "Suspended", "Disabled", "DAEMON", "REPLICA", "ECS", "CODE_DEPLOY", "EXTERNAL", "serverless", "provisioned", "REGIONAL",
    "ZONAL", "POSTGRES_15", "POSTGRES_16", "POSTGRES_9_6", "MYSQL_8_0", "SQLSERVER_2019_STANDARD", "ENTERPRISE", "ENTERPRISE_PLUS",
    "MANUAL", "AUTOMATIC", "STANDARD_HA", "BASIC", "Recreate", "RollingUpdate", "0%", "100%", "50%", "150%", "0", "1", "2", "-1",
    "1e3", " 7 ", "us-central1", "us-central1-a", "US", "topology.kubernetes.io/zone", "kubernetes.io/hostname", "TCP", "HTTPS",
    "CALCULATED", "RECOVERY_CONTROL", "lambda", "ip", "COUNT", "DAYS", "Delete", "Retain", "true", "false", "", "ecs:service:DesiredCount",
    "dynamodb:table:ReadCapacityUnits", "CLOUD_SQL_INSTANCE", "READ_REPLICA_INSTANCE", "PRIMARY", "SECONDARY", ...sdkUnknowns,
];

const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...vocabulary) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });

const leaf: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 3, arbitrary: fc.constant(UNKNOWN) },
    { weight: 3, arbitrary: fc.constantFrom(...interestingStrings) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 3, arbitrary: fc.integer({ min: -3, max: 120 }) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double({ noNaN: false }) },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
);

/** Random JSON-like values with UNKNOWN anywhere, nested a few levels. */
const { value } = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
    value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object")),
    array: fc.array(tie("value"), { maxLength: 4 }),
    object: fc.dictionary(key, tie("value"), { maxKeys: 5 }),
}));

interface Bag {
    readonly type: string;
    readonly props: Record<string, unknown>;
}

const allTypes = [...new Set(factories.map((f) => f.type)), "random:index/randomPassword:RandomPassword"];

/** A random bag of properties for one of `types`. */
const randomBag = (types: readonly string[]): fc.Arbitrary<Bag> => fc.record({ type: fc.constantFrom(...types), props: fc.dictionary(key, value, { maxKeys: 8 }) });

type Path = readonly (string | number)[];

/** Every path to a value inside `v` (objects and arrays included), root excluded. */
function pathsOf(v: unknown, prefix: Path = []): Path[] {
    if (Array.isArray(v)) return v.flatMap((x, i) => [[...prefix, i], ...pathsOf(x, [...prefix, i])]);
    if (v !== null && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => [[...prefix, k], ...pathsOf(x, [...prefix, k])]);
    return [];
}

function clone<T>(v: T): T {
    return JSON.parse(JSON.stringify(v)) as T;
}

type Op = { readonly kind: "delete" } | { readonly kind: "unknown" } | { readonly kind: "replace"; readonly value: unknown };

/** `props` with the value at `path` deleted, made UNKNOWN or replaced (paths made stale by earlier edits are skipped). */
function apply(props: Record<string, unknown>, path: Path, op: Op): void {
    let node: unknown = props;
    for (const p of path.slice(0, -1)) {
        if (node === null || typeof node !== "object") return;
        node = (node as Record<string | number, unknown>)[p];
    }
    if (node === null || typeof node !== "object") return;
    const last = path[path.length - 1];
    if (Array.isArray(node)) {
        // Only existing elements: the engine never sends arrays with holes.
        if (typeof last !== "number" || last >= node.length) return;
        if (op.kind === "delete") node.splice(last, 1);
        else node[last] = op.kind === "unknown" ? UNKNOWN : op.value;
        return;
    }
    const holder = node as Record<string | number, unknown>;
    if (op.kind === "delete") delete holder[last];
    else holder[last] = op.kind === "unknown" ? UNKNOWN : op.value;
}

const op: fc.Arbitrary<Op> = fc.oneof(
    fc.constant<Op>({ kind: "delete" }),
    fc.constant<Op>({ kind: "unknown" }),
    value.map((v): Op => ({ kind: "replace", value: v })),
);

/** A happy-path factory (one of `of`) with a few fields deleted, made UNKNOWN, or replaced by random (often wrongly typed) values. */
const mutatedFactory = (of: typeof factories): fc.Arbitrary<Bag> =>
    fc.record({ f: fc.nat(of.length - 1), edits: fc.array(fc.tuple(fc.nat(), op), { minLength: 1, maxLength: 4 }) }).map(({ f, edits }) => {
        const props = clone(of[f].props()) as Record<string, unknown>;
        const paths = pathsOf(props);
        for (const [i, o] of edits) if (paths.length) apply(props, paths[i % paths.length], o);
        return { type: of[f].type, props };
    });

/** A happy-path factory with a random subset of its values (leaves or whole blocks) made UNKNOWN. */
const unknownifiedFactory: fc.Arbitrary<Bag> = fc
    .record({ f: fc.nat(factories.length - 1), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 12 }) })
    .map(({ f, picks }) => {
        const props = clone(factories[f].props()) as Record<string, unknown>;
        const paths = pathsOf(props);
        for (const i of picks) if (paths.length) apply(props, paths[i % paths.length], { kind: "unknown" });
        return { type: factories[f].type, props };
    });

/**
 * Resources for one rule: mostly of the types it judges (random bags and mutated factories), some
 * of every other type (the rule must leave them alone).
 */
function resourcesFor(rule: Policy): fc.Arbitrary<Bag> {
    const own = factories.filter((f) => appliesTo(rule, f.type));
    const ownTypes = [...new Set(own.map((f) => f.type))];
    return fc.oneof(
        { weight: 3, arbitrary: randomBag(ownTypes) },
        { weight: 4, arbitrary: mutatedFactory(own) },
        { weight: 1, arbitrary: fc.oneof(randomBag(allTypes), mutatedFactory(factories)) },
    );
}

/** What a stub `args.notApplicable` throws. */
class NotApplicable extends Error {}

/** Whether a rule judges a type: it does unless it declares the type not applicable. */
function appliesTo(rule: Policy, type: string): boolean {
    const validations = "validateResource" in rule ? [rule.validateResource ?? []].flat() : [];
    return validations.some((validate) => {
        try {
            void validate(stubArgs(type, {}, () => ({})), () => undefined);
            return true;
        } catch (e) {
            if (e instanceof NotApplicable) return false;
            throw e;
        }
    });
}

function stubArgs(type: string, props: Record<string, unknown>, getConfig: () => object): ResourceValidationArgs {
    return {
        type,
        name: "r",
        urn: `urn:pulumi:test::nonstop::${type}::r`,
        props,
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: getConfig as ResourceValidationArgs["getConfig"],
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

const names = (bags: readonly Bag[]) => bags.map((b, i) => ({ ...b, name: `r${i}` }));

async function judgeBags(policies: readonly Policy[], bags: readonly Bag[]): Promise<{ violations: Violation[]; named: { type: string; name: string }[] }> {
    const named = names(bags);
    const violations = await judge(
        policies,
        named.map((b) => testResource({ type: b.type, name: b.name, props: b.props })),
    );
    return { violations, named };
}

/** Every message names its resource and shows no placeholder of a value it failed to read. */
function expectWellFormed(violations: readonly Violation[], named: readonly { type: string; name: string }[]): void {
    for (const v of violations) {
        const r = named.find((n) => v.urn === `urn:pulumi:test::nonstop::${n.type}::${n.name}`);
        expect(r, `violation for an unknown resource: ${v.urn}`).to.not.equal(undefined);
        expect(v.message).to.include(`${r?.type} "${r?.name}"`);
        expect(v.message).to.not.match(/\bundefined\b|\[object Object\]|\bNaN\b/);
    }
}

describe("resource rules under random input (property-based)", function () {
    this.timeout(120000);

    it("covers every rule of the aws, gcp and kubernetes domains", () => {
        expect(rules.length).to.be.greaterThan(20);
        for (const r of rules) expect(r.enforcementLevel, r.name).to.equal("advisory");
    });

    for (const rule of rules) {
        it(`${rule.name}: never throws on random or mutated resources, and names the resource in every message`, async () => {
            await fc.assert(
                fc.asyncProperty(fc.array(resourcesFor(rule), { minLength: 1, maxLength: BATCH, size: "max" }), async (bags) => {
                    const { violations, named } = await judgeBags([rule], bags);
                    expectWellFormed(violations, named);
                }),
                { numRuns: RUNS },
            );
        });
    }

    it("never reports a compliant resource whose values (any subset) are unknown at preview", async () => {
        await fc.assert(
            fc.asyncProperty(fc.array(unknownifiedFactory, { minLength: 1, maxLength: BATCH, size: "max" }), async (bags) => {
                const { violations } = await judgeBags(rules, bags);
                expect(violations.map((v) => v.message)).to.deep.equal([]);
            }),
            { numRuns: RUNS * 4 },
        );
    });

    it("never reports a compliant resource, nor one whose every value is unknown", async () => {
        const allUnknown = (v: unknown): unknown =>
            Array.isArray(v) ? v.map(allUnknown) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, allUnknown(x)])) : UNKNOWN;
        const bags = factories.flatMap((f) => [
            { type: f.type, props: f.props() as Record<string, unknown> },
            { type: f.type, props: allUnknown(f.props()) as Record<string, unknown> },
            { type: f.type, props: Object.fromEntries(Object.keys(f.props()).map((k) => [k, UNKNOWN])) },
        ]);
        const { violations } = await judgeBags(rules, bags);
        expect(violations.map((v) => v.message)).to.deep.equal([]);
    });

    it("falls back to the declared defaults when config is missing, mistyped or throws", async () => {
        const configs: (() => object)[] = [
            () => ({}),
            () => ({ minCapacity: "2", minZones: null, minRetentionDays: 3.5, requireDeletionProtection: "yes", allowedTypes: [1, 2], topologyKey: "" }),
            () => {
                throw new Error("no config");
            },
        ];
        for (const rule of rules as ResourceValidationPolicy[]) {
            const validations = [rule.validateResource ?? []].flat();
            for (const f of factories) {
                for (const getConfig of configs) {
                    const reported: string[] = [];
                    const args = stubArgs(f.type, f.props() as Record<string, unknown>, getConfig);
                    for (const validate of validations) {
                        try {
                            await validate(args, (m) => reported.push(m));
                        } catch (e) {
                            if (!(e instanceof NotApplicable)) throw e;
                        }
                    }
                    expect(reported, `${rule.name} on ${f.type}`).to.deep.equal([]);
                }
            }
        }
    });
});
