import { Graph, GraphResource } from "../../lib/graph";
import { isUnknown, list, num, read, str } from "../../lib/props";
import { resolve } from "../../lib/refs";
import { show } from "../../lib/rule";
import { andList, finding, Finding, graphRule, isDataStoreWorkload, names, types } from "./lib";

/** How many copies of its data a data store keeps, and where, as the graph proves it. */
export interface Copies {
    readonly store: GraphResource;
    readonly copies: number;
    /** How the count was made, for the message. */
    readonly how: string;
    /** The fix, for the message. */
    readonly fix: string;
    /** Members whose zones are all known (for the one-zone check); empty when not applicable. */
    readonly members: readonly GraphResource[];
    /** The zone prop of each member. */
    readonly zoneProp?: string;
}

const clusterFamilies = [
    { cluster: types.rdsCluster, instance: types.rdsClusterInstance, label: "aws.rds.ClusterInstance" },
    { cluster: types.docdbCluster, instance: types.docdbClusterInstance, label: "aws.docdb.ClusterInstance" },
    { cluster: types.neptuneCluster, instance: types.neptuneClusterInstance, label: "aws.neptune.ClusterInstance" },
];

const set = (v: unknown) => v !== undefined && v !== null && v !== "";

/** A prop's value for a message (never throws on unknowns inside it). */
const shown = (v: unknown, unset: string) => (v === undefined || v === null ? unset : show(v));

/** Every data store whose number of copies the graph proves. */
export function dataStoreCopies(graph: Graph): Copies[] {
    const out: Copies[] = [];

    // RDS instances: Multi-AZ keeps a standby; read replicas add copies.
    const rdsInstances = graph.ofType(types.rdsInstance);
    const replicaRefs = rdsInstances
        .filter((r) => set(read(r.props, "replicateSourceDb")))
        .map((r) => ({ replica: r, ref: resolve(graph, r, "replicateSourceDb", [types.rdsInstance], { identity: ["identifier", "arn", "id"] }) }));
    const openReplica = replicaRefs.some((x) => x.ref.open);
    for (const db of rdsInstances) {
        if (set(read(db.props, "replicateSourceDb"))) continue;
        const multiAz = read(db.props, "multiAz");
        if (isUnknown(multiAz) || openReplica) continue;
        const replicas = replicaRefs.filter((x) => x.ref.targets.includes(db)).map((x) => x.replica);
        if (replicas.some((r) => isUnknown(read(r.props, "multiAz")))) continue;
        const copies = (multiAz === true ? 2 : 1) + replicas.reduce((n, r) => n + (read(r.props, "multiAz") === true ? 2 : 1), 0);
        const how = `multiAz is ${shown(multiAz, "not set")}${replicas.length ? `, read replicas ${names(replicas)}` : ", no read replicas"}`;
        out.push({
            store: db,
            copies,
            how,
            fix: "Set multiAz: true and add read replicas (aws.rds.Instance with replicateSourceDb) in other zones, or move to an Aurora cluster with one aws.rds.ClusterInstance per zone",
            members: multiAz === true ? [] : [db, ...replicas],
            zoneProp: "availabilityZone",
        });
    }

    // Aurora / DocumentDB / Neptune clusters: one copy per cluster instance.
    for (const family of clusterFamilies) {
        const instances = graph.ofType(family.instance).map((i) => ({ i, ref: resolve(graph, i, "clusterIdentifier", [family.cluster], { identity: ["clusterIdentifier", "id", "arn"] }) }));
        if (instances.some((x) => x.ref.open)) continue;
        for (const cluster of graph.ofType(family.cluster)) {
            const mode = read(cluster.props, "engineMode");
            if (isUnknown(mode) || (typeof mode === "string" && mode !== "provisioned")) continue; // serverless v1 / parallel query: capacity managed by AWS
            if (set(read(cluster.props, "dbClusterInstanceClass"))) {
                // A Multi-AZ DB cluster: one writer and two readable standbys in three zones.
                if (isUnknown(read(cluster.props, "dbClusterInstanceClass"))) continue;
                out.push({ store: cluster, copies: 3, how: "a Multi-AZ DB cluster (dbClusterInstanceClass is set)", fix: "", members: [] });
                continue;
            }
            const members = instances.filter((x) => x.ref.targets.includes(cluster)).map((x) => x.i);
            out.push({
                store: cluster,
                copies: members.length,
                how: members.length ? `cluster instances ${names(members)}` : "no cluster instances",
                fix: `Add ${family.label} resources (clusterIdentifier from this cluster), one per availability zone`,
                members,
                zoneProp: "availabilityZone",
            });
        }
    }

    // Cloud SQL: REGIONAL keeps a standby in another zone; read replicas add copies.
    const sql = graph.ofType(types.gcpSql);
    const sqlReplicas = sql.filter((s) => set(read(s.props, "masterInstanceName"))).map((s) => ({ s, ref: resolve(graph, s, "masterInstanceName", [types.gcpSql], { identity: ["name", "id"] }) }));
    if (!sqlReplicas.some((x) => x.ref.open)) {
        for (const db of sql) {
            if (set(read(db.props, "masterInstanceName"))) continue;
            const availability = read(db.props, "settings.availabilityType");
            if (isUnknown(availability)) continue;
            const replicas = sqlReplicas.filter((x) => x.ref.targets.includes(db)).map((x) => x.s);
            const copies = (availability === "REGIONAL" ? 2 : 1) + replicas.length;
            out.push({
                store: db,
                copies,
                how: `settings.availabilityType is ${shown(availability, "not set (ZONAL)")}${replicas.length ? `, read replicas ${names(replicas)}` : ", no read replicas"}`,
                fix: 'Set settings.availabilityType: "REGIONAL" and add read replicas (gcp.sql.DatabaseInstance with masterInstanceName from this instance)',
                members: [],
            });
        }
    }

    // Kubernetes data stores: StatefulSets that look like databases, CloudNativePG clusters.
    for (const sts of graph.ofType(types.k8sStatefulSet)) {
        if (!isDataStoreWorkload(sts)) continue;
        const replicas = read(sts.props, "spec.replicas");
        if (isUnknown(replicas)) continue;
        const n = replicas === undefined || replicas === null ? 1 : num(sts.props, "spec.replicas");
        if (n === undefined) continue;
        out.push({ store: sts, copies: n, how: `spec.replicas is ${shown(replicas, "not set (1)")}`, fix: "Raise spec.replicas (and configure the data store's own replication across them)", members: [] });
    }
    for (const pg of graph.ofType(types.cnpgCluster)) {
        const instances = read(pg.props, "spec.instances");
        if (isUnknown(instances)) continue;
        const n = instances === undefined || instances === null ? 1 : num(pg.props, "spec.instances");
        if (n === undefined) continue;
        out.push({ store: pg, copies: n, how: `spec.instances is ${shown(instances, "not set (1)")}`, fix: "Raise spec.instances", members: [] });
    }

    // ElastiCache and MemoryDB.
    for (const rg of graph.ofType(types.elasticacheReplicationGroup)) {
        const clusters = read(rg.props, "numCacheClusters");
        const groups = read(rg.props, "numNodeGroups");
        const perGroup = read(rg.props, "replicasPerNodeGroup");
        const configs = read(rg.props, "nodeGroupConfigurations");
        if ([clusters, groups, perGroup, configs].some(isUnknown) || set(configs)) continue;
        let copies: number | undefined;
        let how: string;
        if (set(clusters)) {
            copies = num(rg.props, "numCacheClusters");
            how = `numCacheClusters is ${shown(clusters, "not set")}`;
        } else if (set(groups) || set(perGroup)) {
            copies = 1 + (set(perGroup) ? (num(rg.props, "replicasPerNodeGroup") ?? NaN) : 0);
            how = `replicasPerNodeGroup is ${shown(perGroup, "not set (0)")}`;
        } else {
            copies = 1;
            how = "numCacheClusters is not set (1)";
        }
        if (copies === undefined || Number.isNaN(copies)) continue;
        out.push({ store: rg, copies, how, fix: "Raise numCacheClusters (or replicasPerNodeGroup in cluster mode) and set automaticFailoverEnabled and multiAzEnabled", members: [], zoneProp: undefined });
    }
    for (const c of graph.ofType(types.elasticacheCluster)) {
        if (set(read(c.props, "replicationGroupId"))) continue;
        const engine = str(c.props, "engine");
        if (engine !== "redis" && engine !== "valkey") continue; // memcached keeps no copies by design
        out.push({ store: c, copies: 1, how: `a single-node ${engine} cluster`, fix: "Use an aws.elasticache.ReplicationGroup with numCacheClusters, automaticFailoverEnabled and multiAzEnabled", members: [] });
    }
    for (const m of graph.ofType("aws:memorydb/cluster:Cluster")) {
        const r = read(m.props, "numReplicasPerShard");
        if (isUnknown(r)) continue;
        const n = r === undefined || r === null ? 1 : num(m.props, "numReplicasPerShard");
        if (n === undefined) continue;
        out.push({ store: m, copies: 1 + n, how: `numReplicasPerShard is ${shown(r, "not set (1)")}`, fix: "Raise numReplicasPerShard", members: [] });
    }
    for (const redis of graph.ofType(types.gcpRedis)) {
        const tier = read(redis.props, "tier");
        const count = read(redis.props, "replicaCount");
        if (isUnknown(tier) || isUnknown(count)) continue;
        const ha = tier === "STANDARD_HA";
        const copies = ha ? 1 + (set(count) ? (num(redis.props, "replicaCount") ?? NaN) : 1) : 1;
        if (Number.isNaN(copies)) continue;
        out.push({ store: redis, copies, how: ha ? `tier is "STANDARD_HA", replicaCount is ${shown(count, "not set (1)")}` : `tier is ${shown(tier, "not set (BASIC)")}`, fix: 'Set tier: "STANDARD_HA" and raise replicaCount', members: [] });
    }

    // DynamoDB keeps three copies across zones in each region; global table replicas add regions.
    for (const t of graph.ofType(types.dynamoTable)) {
        const replicas = read(t.props, "replicas");
        if (isUnknown(replicas)) continue;
        const regions = 1 + (Array.isArray(replicas) ? replicas.length : 0);
        out.push({ store: t, copies: 3 * regions, how: `DynamoDB keeps 3 copies per region, in ${regions} region${regions === 1 ? "" : "s"}`, fix: "Add replicas (global table regions)", members: [] });
    }
    return out;
}

/**
 * A data store with fewer copies than the threshold loses data or availability when a node or a
 * zone fails; copies that all sit in one zone are lost together.
 */
export const replicationFactor = graphRule({
    name: "replication-factor",
    description: "Every data store must keep at least the minimum number of copies of its data, not all in one availability zone.",
    thresholds: {
        minReplicationFactor: { type: "integer", minimum: 1, default: 3, description: "Fewest copies of its data every data store must keep (RDS Multi-AZ counts 2, each Aurora instance 1, DynamoDB 3)." },
    },
    check: (graph, { minReplicationFactor }) => {
        const findings: Finding[] = [];
        for (const c of dataStoreCopies(graph)) {
            if (c.copies < minReplicationFactor) {
                findings.push(
                    finding(
                        c.store,
                        `it keeps ${c.copies} cop${c.copies === 1 ? "y" : "ies"} of its data (${c.how}), fewer than the ${minReplicationFactor} required`,
                        c.copies <= 1 ? "losing the one node or its zone loses the data store until it is restored from backup" : "one more failure during a failover or maintenance leaves it without a copy to serve from",
                        `${c.fix || "Add copies"} to keep at least ${minReplicationFactor}.`,
                    ),
                );
            }
            if (c.members.length >= 2 && c.zoneProp) {
                const zones = c.members.map((m) => str(m.props, c.zoneProp as string));
                const known = zones.filter((z): z is string => z !== undefined);
                if (known.length === zones.length && new Set(known).size === 1) {
                    findings.push(
                        finding(
                            c.store,
                            `all ${c.members.length} copies (${names(c.members)}) have ${c.zoneProp} ${JSON.stringify(known[0])}`,
                            `an outage of ${known[0]} takes every copy down together`,
                            `Spread them over availability zones: give each a different ${c.zoneProp}, or leave it unset so AWS places them.`,
                        ),
                    );
                }
            }
        }
        // ElastiCache replicas pinned to one zone.
        for (const rg of graph.ofType(types.elasticacheReplicationGroup)) {
            const azs = list(rg.props, "preferredCacheClusterAzs");
            if (!azs || azs.length < 2 || !azs.every((z) => typeof z === "string")) continue;
            const distinct = [...new Set(azs as string[])];
            if (distinct.length === 1) {
                findings.push(
                    finding(
                        rg,
                        `preferredCacheClusterAzs places all ${azs.length} nodes in ${distinct[0]}`,
                        `an outage of ${distinct[0]} takes the primary and every replica down together`,
                        `List different availability zones in preferredCacheClusterAzs (e.g. ${andList(["a", "b", "c"].map((s) => distinct[0].replace(/[a-z]$/, s)))}).`,
                    ),
                );
            }
        }
        return findings;
    },
});
