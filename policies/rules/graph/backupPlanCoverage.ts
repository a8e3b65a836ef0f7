import { Graph, GraphResource } from "../../lib/graph";
import { awsRegion, DEFAULT_REGION, sameRegion, showRegion } from "../../lib/location";
import { isUnknown, list, read, str } from "../../lib/props";
import { dependencyUrns, stringsIn } from "../../lib/refs";
import { s3ReplicationDestinations } from "./bucketReplicationCoverage";
import { and3, finding, Finding, graphRule, Maybe, not3, or3, s3BucketTypes, types } from "./lib";

/**
 * What AWS Backup can protect, and how its ARN is built. `optional`: a selection may cover it, but
 * this rule does not require one (an EC2 instance may hold nothing; single-machine judges those
 * that matter).
 */
const protectable: Readonly<Record<string, { readonly service: string; readonly resource: (r: GraphResource) => [string, string | undefined]; readonly global?: boolean; readonly optional?: boolean }>> = {
    [types.rdsInstance]: { service: "rds", resource: (r) => ["db:", str(r.props, "identifier")] },
    [types.rdsCluster]: { service: "rds", resource: (r) => ["cluster:", str(r.props, "clusterIdentifier")] },
    [types.docdbCluster]: { service: "rds", resource: (r) => ["cluster:", str(r.props, "clusterIdentifier")] },
    [types.neptuneCluster]: { service: "rds", resource: (r) => ["cluster:", str(r.props, "clusterIdentifier")] },
    [types.dynamoTable]: { service: "dynamodb", resource: (r) => ["table/", str(r.props, "name")] },
    [types.efs]: { service: "elasticfilesystem", resource: () => ["file-system/", undefined] },
    [types.ebsVolume]: { service: "ec2", resource: () => ["volume/", undefined] },
    [types.s3Bucket]: { service: "s3", resource: (r) => ["", str(r.props, "bucket")], global: true },
    [types.s3BucketV2]: { service: "s3", resource: (r) => ["", str(r.props, "bucket")], global: true },
    [types.ec2Instance]: { service: "ec2", resource: () => ["instance/", undefined], optional: true },
};

/** The types every one of which must be covered by a backup plan. */
export const backupProtectedTypes = Object.keys(protectable).filter((t) => !protectable[t].optional);

/** The ARN of a resource: each part a known string or undefined (unknown). */
export type ArnParts = [partition: string | undefined, service: string, region: string | undefined, account: string | undefined, resource: [string, string | undefined]];

function arnOf(r: GraphResource): ArnParts {
    const kind = protectable[r.type];
    const arn = str(r.props, "arn");
    if (arn && arn.startsWith("arn:")) {
        const p = arn.split(":");
        return [p[1], p[2] ?? "", p[3], p[4], ["", p.slice(5).join(":")]];
    }
    const region = awsRegion(r);
    const knownRegion = typeof region === "string" && region !== DEFAULT_REGION ? region : undefined;
    const partition = knownRegion?.startsWith("cn-") ? "aws-cn" : knownRegion?.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    return [partition, kind.service, kind.global ? "" : knownRegion, kind.global ? "" : undefined, kind.resource(r)];
}

function globRegex(glob: string): RegExp {
    return new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[\\s\\S]*")}$`);
}

/** Whether an ARN pattern (with `*` wildcards) matches a resource whose ARN may be partly unknown. */
export function arnMatches(pattern: string, parts: ArnParts): Maybe {
    if (pattern === "*") return true;
    const p = pattern.split(":");
    if (p.length < 6 || p[0] !== "arn") return false;
    const segment = (glob: string, value: string | undefined): Maybe => (value === undefined ? (glob === "*" ? true : undefined) : globRegex(glob).test(value));
    const [prefix, id] = parts[4];
    const resourceGlob = p.slice(5).join(":");
    let resource: Maybe;
    if (id !== undefined) resource = globRegex(resourceGlob).test(prefix + id);
    else if (globRegex(resourceGlob).test(`${prefix}\u0000`)) resource = true; // the unknown part falls under a trailing wildcard
    else {
        const literal = resourceGlob.split("*")[0];
        resource = literal.startsWith(prefix) || prefix.startsWith(literal) ? undefined : false;
    }
    return and3(segment(p[1], parts[0]), segment(p[2], parts[1]), segment(p[3], parts[2]), segment(p[4], parts[3]), resource);
}

/** The tags AWS sees on a resource: its tags (or tagsAll) and its provider's default tags. */
export function tagsOf(r: GraphResource): Record<string, unknown> | undefined {
    const all = read(r.props, "tagsAll");
    if (all !== null && typeof all === "object" && !isUnknown(all)) return all as Record<string, unknown>;
    const own = read(r.props, "tags");
    const defaults = r.providerProps ? read(r.providerProps, "defaultTags.tags") : undefined;
    if (isUnknown(own) || isUnknown(defaults)) return undefined;
    const out: Record<string, unknown> = {};
    if (defaults && typeof defaults === "object") Object.assign(out, defaults);
    if (own && typeof own === "object") Object.assign(out, own);
    return out;
}

function tagEquals(r: GraphResource, key: unknown, value: unknown): Maybe {
    if (typeof key !== "string" || (typeof value !== "string" && !isUnknown(value))) return undefined;
    const tags = tagsOf(r);
    if (!tags) return undefined;
    const v = tags[key];
    if (isUnknown(v) || isUnknown(value)) return v === undefined ? false : undefined;
    return v === value;
}

function tagLike(r: GraphResource, key: unknown, value: unknown): Maybe {
    if (typeof key !== "string" || typeof value !== "string") return undefined;
    const tags = tagsOf(r);
    if (!tags) return undefined;
    const v = tags[key];
    if (isUnknown(v)) return undefined;
    return typeof v === "string" && globRegex(value).test(v);
}

/** Whether a Selection's list of ARNs (`resources` / `notResources`) names `r`. */
function listNames(selection: GraphResource, prop: string, r: GraphResource): Maybe {
    const value = read(selection.props, prop);
    if (value === undefined || value === null) return false;
    if (isUnknown(value)) return dependencyUrns(selection, prop).includes(r.urn) ? true : dependencyUrns(selection, prop).length > 0 ? false : undefined;
    const { known, unknown } = stringsIn(value);
    const deps = dependencyUrns(selection, prop);
    if (deps.includes(r.urn)) return true;
    const parts = arnOf(r);
    const matches = known.map((pattern) => arnMatches(pattern, parts));
    // Unknown entries came from the resources the engine names; none of them is `r`.
    const fromUnknown: Maybe = unknown ? (deps.length > 0 ? false : undefined) : false;
    return or3(...matches, fromUnknown);
}

function conditionsHold(selection: GraphResource, r: GraphResource): Maybe {
    const conditions = list(selection.props, "conditions");
    if (conditions === undefined) return isUnknown(read(selection.props, "conditions")) ? undefined : true;
    const results: Maybe[] = [];
    for (const c of conditions) {
        const kinds: [string, (key: unknown, value: unknown) => Maybe][] = [
            ["stringEquals", (k, v) => tagEquals(r, k, v)],
            ["stringNotEquals", (k, v) => not3(tagEquals(r, k, v))],
            ["stringLikes", (k, v) => tagLike(r, k, v)],
            ["stringNotLikes", (k, v) => not3(tagLike(r, k, v))],
        ];
        for (const [kind, test] of kinds) {
            const entries = read(c, kind);
            if (isUnknown(entries)) results.push(undefined);
            else if (Array.isArray(entries)) {
                for (const e of entries) {
                    const key = read(e, "key");
                    const tagKey = typeof key === "string" ? key.replace(/^aws:ResourceTag\//, "") : key;
                    results.push(test(tagKey, read(e, "value")));
                }
            }
        }
    }
    return and3(...results);
}

/** Whether an AWS Backup selection picks resource `r`. */
export function selects(graph: Graph, selection: GraphResource, r: GraphResource): Maybe {
    const byList = listNames(selection, "resources", r);
    const tags = read(selection.props, "selectionTags");
    let byTag: Maybe = false;
    if (isUnknown(tags)) byTag = undefined;
    else if (Array.isArray(tags)) {
        byTag = or3(
            ...tags.map((t): Maybe => {
                const type = read(t, "type");
                if (isUnknown(type)) return undefined;
                return type === "STRINGEQUALS" ? tagEquals(r, read(t, "key"), read(t, "value")) : undefined;
            }),
        );
    }
    // AWS Backup is regional: a plan backs up resources of its own region only.
    const sameRegionAsResource: Maybe = sameRegion(awsRegion(selection), awsRegion(r));
    return and3(or3(byList, byTag), conditionsHold(selection, r), not3(listNames(selection, "notResources", r)), sameRegionAsResource);
}

/**
 * Every stateful AWS resource must be picked by an AWS Backup selection of a backup plan: a
 * database, table, file system or bucket that no plan backs up cannot be restored after a
 * deletion, corruption or ransomware.
 */
export const backupPlanCoverage = graphRule({
    name: "backup-plan-coverage",
    description: "Every stateful AWS resource must be selected by an AWS Backup plan in its region.",
    thresholds: {
        includeBuckets: { type: "boolean", default: true, description: "Whether S3 buckets must be covered by AWS Backup too (their versioning and replication are judged by other rules)." },
    },
    check: (graph, { includeBuckets }) => {
        const findings: Finding[] = [];
        const selections = graph.ofType(types.backupSelection);
        // A replica bucket is a copy: its source is backed up (as read replicas' sources are).
        const replicas = s3ReplicationDestinations(graph);
        for (const r of graph.ofType(...backupProtectedTypes)) {
            if (replicas.has(r.urn)) continue;
            if ((s3BucketTypes as readonly string[]).includes(r.type) && !includeBuckets) continue;
            // Read replicas are not backed up: their source is.
            if (r.type === types.rdsInstance && read(r.props, "replicateSourceDb") !== undefined) continue;
            if (r.type === types.rdsCluster && read(r.props, "replicationSourceIdentifier") !== undefined) continue;
            const covered = or3(...selections.map((s) => selects(graph, s, r)));
            if (covered !== false) continue;
            const region = awsRegion(r);
            findings.push(
                finding(
                    r,
                    `no AWS Backup selection picks it (${selections.length === 0 ? "the stack has no aws:backup/selection:Selection" : "no selection lists its ARN or matches its tags in its region"})`,
                    "after a deletion, corruption or ransomware there is no recovery point to restore it from",
                    `Add an aws.backup.Selection to an aws.backup.Plan in ${showRegion(region)} whose resources include its ARN (or whose selectionTags match one of its tags).`,
                ),
            );
        }
        return findings;
    },
});
