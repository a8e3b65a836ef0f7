import { GraphResource } from "../../lib/graph";
import { isUnknown, read } from "../../lib/props";
import { show } from "../../lib/rule";
import { facts, says } from "../../lib/facts";
import { finding, Finding, graphRule, isDataStoreWorkload, types } from "./lib";

const statefulResourceProtectedName = "stateful-resource-protected";

/** The provider's own deletion protection of a stateful type: the prop and its default when unset. */
interface DeletionProtection {
    readonly prop: string;
    readonly whenUnset: boolean;
}

/**
 * Stateful types, with their deletion-protection prop where the provider has one. Where a resource
 * rule owns that fact (RDS, DynamoDB, Cloud SQL: see lib/facts) this rule defers to it.
 */
export const statefulTypes: Readonly<Record<string, DeletionProtection | undefined>> = {
    [types.rdsInstance]: { prop: "deletionProtection", whenUnset: false },
    [types.rdsCluster]: { prop: "deletionProtection", whenUnset: false },
    [types.docdbCluster]: { prop: "deletionProtection", whenUnset: false },
    [types.neptuneCluster]: { prop: "deletionProtection", whenUnset: false },
    [types.dynamoTable]: { prop: "deletionProtectionEnabled", whenUnset: false },
    [types.efs]: undefined,
    [types.ebsVolume]: undefined,
    [types.s3Bucket]: undefined,
    [types.s3BucketV2]: undefined,
    [types.backupVault]: undefined,
    [types.kmsKey]: undefined,
    [types.elasticacheReplicationGroup]: undefined,
    "aws:memorydb/cluster:Cluster": undefined,
    [types.gcpSql]: { prop: "settings.deletionProtectionEnabled", whenUnset: false },
    [types.gcsBucket]: undefined,
    [types.gcpRedis]: undefined,
    [types.gcpDisk]: undefined,
    [types.gcpRegionDisk]: undefined,
    [types.gcpKmsKey]: undefined,
    "gcp:spanner/database:Database": { prop: "deletionProtection", whenUnset: true },
    "gcp:bigtable/instance:Instance": { prop: "deletionProtection", whenUnset: true },
    [types.k8sStatefulSet]: undefined,
    [types.k8sPvc]: undefined,
    "kubernetes:core/v1:PersistentVolume": undefined,
    [types.cnpgCluster]: undefined,
};

/**
 * A stateful resource must not be deleted by a `pulumi up` that drops or renames it: protect it
 * (and retain it on delete) in the program, and switch on the provider's own deletion protection
 * so a console click or another tool cannot delete it either.
 */
export const statefulResourceProtected = graphRule({
    name: statefulResourceProtectedName,
    description: "Stateful resources (databases, buckets, vaults, keys, volumes) must be protected from deletion, in Pulumi and in the provider.",
    thresholds: {
        requireProtect: { type: "boolean", default: true, description: "Whether every stateful resource must have the protect resource option." },
        requireDeletionProtection: { type: "boolean", default: true, description: "Whether stateful resources whose provider offers deletion protection must have it on." },
    },
    check: (graph, { requireProtect, requireDeletionProtection }) => {
        const findings: Finding[] = [];
        for (const r of graph.ofType(...Object.keys(statefulTypes))) {
            if (r.type === types.k8sStatefulSet && !isDataStoreWorkload(r)) continue;
            const problems: string[] = [];
            const fixes: string[] = [];
            if (requireProtect && !r.protect) {
                problems.push("the protect resource option is not set");
                fixes.push("set { protect: true, retainOnDelete: true } in its resource options (policies cannot see retainOnDelete, so set both)");
                // The gcp provider's own guard against Pulumi deleting the instance: part of the same fact.
                if (r.type === types.gcpSql && read(r.props, "deletionProtection") === false) {
                    problems.push("deletionProtection is false (the gcp provider defaults it to true; false lets Pulumi delete the instance and every automated backup it owns)");
                    fixes.push("remove deletionProtection: false");
                }
            }
            const dp = statefulTypes[r.type];
            if (requireDeletionProtection && dp && says(statefulResourceProtectedName, facts.providerDeletionProtection, r)) {
                const v = read(r.props, dp.prop);
                const on = v === undefined || v === null ? dp.whenUnset : isUnknown(v) ? undefined : v === true || v === "true";
                if (on === false) {
                    problems.push(`${dp.prop} is ${show(v)}`);
                    fixes.push(`set ${dp.prop}: true`);
                }
            }
            if (problems.length === 0) continue;
            findings.push(
                finding(
                    r,
                    problems.join(" and "),
                    `${consequence(r)}`,
                    `${fixes.map((f, i) => (i === 0 ? f[0].toUpperCase() + f.slice(1) : f)).join(", and ")}.`,
                ),
            );
        }
        return findings;
    },
});

function consequence(r: GraphResource): string {
    if (r.type.startsWith("kubernetes:")) return "a rename, a refactor or a `pulumi destroy` deletes it, and with it the data it holds";
    return "a rename, a refactor, a `pulumi destroy` or (without provider protection) a console click deletes it and the data it holds";
}
