// What the stack rules share: the rule factory (graph built once from the engine's resources,
// thresholds with in-code defaults, findings reported per resource, and a rule that cannot judge
// a stack steps aside instead of failing the preview), and small helpers for messages.
import type { StackValidationPolicy } from "@pulumi/policy";
import { Graph, graphOf, GraphResource } from "../../lib/graph";
import { isUnknown, read } from "../../lib/props";
import { configSchema, message, thresholds, Thresholds, ThresholdValues } from "../../lib/rule";
import { isDataStoreWorkload as isDataStore } from "../../lib/workloads";

/** One violation: the resource it is reported on and the message. */
export interface Finding {
    readonly urn: string;
    readonly message: string;
}

/** A stack rule, with its judgement callable without the engine (tests, the resilience model). */
export interface GraphRule<T extends Thresholds = Thresholds> extends StackValidationPolicy {
    readonly thresholds: T;
    /** Judges a graph; thresholds not given take their defaults. */
    check(graph: Graph | readonly GraphResource[], config?: Partial<Record<keyof T, unknown>>): Finding[];
}

export interface GraphRuleSpec<T extends Thresholds> {
    /** kebab-case */
    readonly name: string;
    /** One sentence. */
    readonly description: string;
    readonly thresholds: T;
    readonly check: (graph: Graph, config: ThresholdValues<T>) => Finding[];
}

/** A stack rule (advisory by default) from its judgement of the resource graph. */
export function graphRule<T extends Thresholds>(spec: GraphRuleSpec<T>): GraphRule<T> {
    const judge = (graph: Graph | readonly GraphResource[], config: ThresholdValues<T>): Finding[] => {
        const g = graph instanceof Graph ? graph : new Graph(graph);
        return dedupe(spec.check(g, config));
    };
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: "advisory",
        configSchema: configSchema(spec.thresholds),
        thresholds: spec.thresholds,
        check: (graph, config = {}) => judge(graph, thresholds({ getConfig: <C>() => config as C }, spec.thresholds)),
        validateStack: (args, reportViolation) => {
            const config = thresholds(args, spec.thresholds);
            let findings: Finding[];
            try {
                findings = judge(graphOf(args.resources), config);
            } catch (e) {
                // A bug in a rule must not fail every preview: the rule steps aside and says why.
                return args.notApplicable(`${spec.name} could not judge this stack (${e instanceof Error ? e.message : String(e)}); this is a bug in the policy pack`);
            }
            for (const f of findings) reportViolation(f.message, f.urn);
        },
    };
}

function dedupe(findings: readonly Finding[]): Finding[] {
    const seen = new Set<string>();
    return findings.filter((f) => {
        const k = `${f.urn}\u0000${f.message}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
    });
}

/** A finding on `r`: `<type> "<name>": <finding>; <consequence>. <fix>` */
export function finding(r: GraphResource, what: string, consequence: string, fix: string): Finding {
    return { urn: r.urn, message: message(r, what, consequence, fix) };
}

/** `aws:rds/cluster:Cluster "orders"` */
export function subject(r: GraphResource): string {
    return `${r.type} "${r.name}"`;
}

/** `"a", "b" and "c"` */
export function names(rs: readonly GraphResource[], max = 6): string {
    const ns = [...new Set(rs.map((r) => `"${r.name}"`))];
    const shown = ns.length > max ? [...ns.slice(0, max), `${ns.length - max} more`] : ns;
    return shown.length <= 1 ? (shown[0] ?? "") : `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}

/** `a, b and c` */
export function andList(items: readonly string[]): string {
    return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Groups values by key, keeping first-seen order. */
export function groupBy<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, T[]> {
    const out = new Map<string, T[]>();
    for (const item of items) {
        const k = key(item);
        if (k === undefined) continue;
        const list = out.get(k);
        if (list) list.push(item);
        else out.set(k, [item]);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Three-valued logic: true / false when proven, undefined when not known.
// ---------------------------------------------------------------------------------------------

export type Maybe = boolean | undefined;

export function and3(...xs: Maybe[]): Maybe {
    if (xs.some((x) => x === false)) return false;
    return xs.every((x) => x === true) ? true : undefined;
}

export function or3(...xs: Maybe[]): Maybe {
    if (xs.some((x) => x === true)) return true;
    return xs.every((x) => x === false) ? false : undefined;
}

export function not3(x: Maybe): Maybe {
    return x === undefined ? undefined : !x;
}

// ---------------------------------------------------------------------------------------------
// Resource kinds several rules judge
// ---------------------------------------------------------------------------------------------

export const types = {
    rdsInstance: "aws:rds/instance:Instance",
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    docdbCluster: "aws:docdb/cluster:Cluster",
    docdbClusterInstance: "aws:docdb/clusterInstance:ClusterInstance",
    neptuneCluster: "aws:neptune/cluster:Cluster",
    neptuneClusterInstance: "aws:neptune/clusterInstance:ClusterInstance",
    dynamoTable: "aws:dynamodb/table:Table",
    efs: "aws:efs/fileSystem:FileSystem",
    ebsVolume: "aws:ebs/volume:Volume",
    ec2Instance: "aws:ec2/instance:Instance",
    gceInstance: "gcp:compute/instance:Instance",
    s3Bucket: "aws:s3/bucket:Bucket",
    s3BucketV2: "aws:s3/bucketV2:BucketV2",
    elasticacheReplicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    elasticacheCluster: "aws:elasticache/cluster:Cluster",
    backupVault: "aws:backup/vault:Vault",
    backupPlan: "aws:backup/plan:Plan",
    backupSelection: "aws:backup/selection:Selection",
    kmsKey: "aws:kms/key:Key",
    gcpSql: "gcp:sql/databaseInstance:DatabaseInstance",
    gcsBucket: "gcp:storage/bucket:Bucket",
    gcpRedis: "gcp:redis/instance:Instance",
    gcpDisk: "gcp:compute/disk:Disk",
    gcpRegionDisk: "gcp:compute/regionDisk:RegionDisk",
    gcpKmsKey: "gcp:kms/cryptoKey:CryptoKey",
    k8sStatefulSet: "kubernetes:apps/v1:StatefulSet",
    k8sDeployment: "kubernetes:apps/v1:Deployment",
    k8sPvc: "kubernetes:core/v1:PersistentVolumeClaim",
    k8sNamespace: "kubernetes:core/v1:Namespace",
    cnpgCluster: "kubernetes:postgresql.cnpg.io/v1:Cluster",
    cnpgScheduledBackup: "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup",
    veleroSchedule: "kubernetes:velero.io/v1:Schedule",
} as const;

export const s3BucketTypes = [types.s3Bucket, types.s3BucketV2] as const;

/** True when a workload (StatefulSet, Deployment) runs a data store: see ../../lib/workloads. */
export function isDataStoreWorkload(r: GraphResource): boolean {
    return isDataStore(r.props);
}

// ---------------------------------------------------------------------------------------------
// Kubernetes label selectors
// ---------------------------------------------------------------------------------------------

/**
 * Whether a label selector (`{ matchLabels, matchExpressions }`) selects pods with `labels`.
 * `emptySelectsAll`: an empty selector selects every pod (PDB policy/v1) or none.
 */
export function selectorMatches(selector: unknown, labels: unknown, emptySelectsAll = true): Maybe {
    if (isUnknown(selector) || isUnknown(labels)) return undefined;
    if (selector === undefined || selector === null || typeof selector !== "object") return false;
    const ml = read(selector, "matchLabels");
    const me = read(selector, "matchExpressions");
    if (isUnknown(ml) || isUnknown(me)) return undefined;
    const pairs = ml && typeof ml === "object" ? Object.entries(ml as Record<string, unknown>) : [];
    const exprs = Array.isArray(me) ? me : [];
    if (pairs.length === 0 && exprs.length === 0) return emptySelectsAll;
    const pod = labels && typeof labels === "object" ? (labels as Record<string, unknown>) : {};
    const results: Maybe[] = pairs.map(([k, v]) => labelEquals(pod, k, v));
    for (const e of exprs) results.push(expressionMatches(e, pod));
    return and3(...results);
}

/** Whether a plain `{ key: value }` selector (a Service's) selects pods with `labels`; an empty one selects none. */
export function mapSelectorMatches(selector: unknown, labels: unknown): Maybe {
    if (isUnknown(selector) || isUnknown(labels)) return undefined;
    if (selector === undefined || selector === null || typeof selector !== "object") return false;
    const pairs = Object.entries(selector as Record<string, unknown>);
    if (pairs.length === 0) return false;
    const pod = labels && typeof labels === "object" ? (labels as Record<string, unknown>) : {};
    return and3(...pairs.map(([k, v]) => labelEquals(pod, k, v)));
}

function labelEquals(pod: Record<string, unknown>, key: string, value: unknown): Maybe {
    const v = pod[key];
    if (isUnknown(v) || isUnknown(value)) return undefined;
    return v === value;
}

function expressionMatches(e: unknown, pod: Record<string, unknown>): Maybe {
    const key = read(e, "key");
    const op = read(e, "operator");
    const values = read(e, "values");
    if (typeof key !== "string" || typeof op !== "string" || isUnknown(values)) return undefined;
    const v = pod[key];
    if (isUnknown(v)) return undefined;
    const list = Array.isArray(values) ? values : [];
    if (list.some(isUnknown)) return undefined;
    switch (op) {
        case "In":
            return v !== undefined && list.includes(v);
        case "NotIn":
            return v === undefined || !list.includes(v);
        case "Exists":
            return v !== undefined;
        case "DoesNotExist":
            return v === undefined;
        default:
            return undefined;
    }
}
