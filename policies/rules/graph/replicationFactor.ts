import { Graph, GraphResource } from "../../lib/graph";
import { isUnknown, list, num, read, str } from "../../lib/props";
import { resolve } from "../../lib/refs";
import { show } from "../../lib/rule";
import { facts, ownerOf, says } from "../../lib/facts";
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
    /**
     * Set when the store lacks the standby in another zone and another rule owns that fact
     * (see ../../lib/facts): `copies` then counts that standby as the owner asks for it, and
     * the message says so instead of reporting the missing standby a second time.
     */
    readonly standbyOwner?: string;
}

const clusterFamilies = [
    { cluster: types.rdsCluster, instance: types.rdsClusterInstance, label: "aws.rds.ClusterInstance" },
    { cluster: types.docdbCluster, instance: types.docdbClusterInstance, label: "aws.docdb.ClusterInstance" },
    { cluster: types.neptuneCluster, instance: types.neptuneClusterInstance, label: "aws.neptune.ClusterInstance" },
];

const set = (v: unknown) => v !== undefined && v !== null && v !== "";

/** A prop's value for a message (never throws on unknowns inside it). */
const shown = (v: unknown, unset: string) => (v === undefined || v === null ? unset : show(v));

/** The rule that says "no standby in another zone" about `store`, when it is not this rule. */
function standbyOwnerOf(store: GraphResource): string | undefined {
    return says(replicationFactorName, facts.zoneStandby, store) ? undefined : ownerOf(facts.zoneStandby, store);
}

const replicationFactorName = "replication-factor";

/** A count at `path`: the number, `fallback` when absent, undefined when unknown or not a number. */
function countAt(props: unknown, path: string, fallback: number | undefined): number | undefined {
    const v = read(props, path);
    if (isUnknown(v)) return undefined;
    if (v === undefined || v === null) return fallback;
    return num(props, path);
}

/** A list at `path` of objects each with a count at `field` (default `fallback`): their counts, or undefined if any is unknown. */
function countsIn(props: unknown, path: string, field: string, fallback: number | undefined): number[] | undefined {
    const items = read(props, path);
    if (!Array.isArray(items)) return undefined;
    const out: number[] = [];
    for (const item of items) {
        if (isUnknown(item)) return undefined;
        const n = countAt(item, field, fallback);
        if (n === undefined) return undefined;
        out.push(n);
    }
    return out;
}

type OperatorStore = { readonly type: string; readonly count: (props: unknown) => { n: number; how: string } | undefined; readonly fix: string };

/** A store whose copies are one count at `path` (`fallback` when unset, as the operator defaults it; undefined: required). */
function countedAt(type: string, path: string, fallback: number | undefined, fix: string): OperatorStore {
    return {
        type,
        count: (p) => {
            const n = countAt(p, path, fallback);
            return n === undefined ? undefined : { n, how: `${path} is ${shown(read(p, path), `not set (${fallback})`)}` };
        },
        fix,
    };
}

/**
 * Data stores run by Kubernetes operators: how many copies of its data each custom resource asks
 * for. CloudNativePG is nonstop's own (contract C7); the others are common operators' resources.
 */
const operatorStores: readonly OperatorStore[] = [
    countedAt(types.cnpgCluster, "spec.instances", 1, "Raise spec.instances (one primary and streaming replicas, with spec.affinity spreading them over zones)"),
    // Zalando postgres-operator: numberOfInstances is required.
    countedAt("kubernetes:acid.zalan.do/v1:postgresql", "spec.numberOfInstances", undefined, "Raise spec.numberOfInstances"),
    countedAt("kubernetes:pxc.percona.com/v1:PerconaXtraDBCluster", "spec.pxc.size", undefined, "Raise spec.pxc.size"),
    countedAt("kubernetes:mongodbcommunity.mongodb.com/v1:MongoDBCommunity", "spec.members", undefined, "Raise spec.members"),
    // Quorum queues keep a copy per node (classic queues keep one copy whatever the node count).
    countedAt("kubernetes:rabbitmq.com/v1beta1:RabbitmqCluster", "spec.replicas", 1, "Raise spec.replicas (and declare queues as quorum queues, which replicate across nodes)"),
    ...["kubernetes:postgres-operator.crunchydata.com/v1beta1:PostgresCluster", "kubernetes:pgv2.percona.com/v2:PerconaPGCluster"].map((type) => ({
        // Crunchy PGO and Percona's PG operator: instance sets, each with replicas (default 1).
        type,
        count: (p: unknown) => {
            const sets = countsIn(p, "spec.instances", "replicas", 1);
            return sets === undefined ? undefined : { n: sets.reduce((a, b) => a + b, 0), how: `spec.instances[].replicas add up to ${sets.reduce((a, b) => a + b, 0)}` };
        },
        fix: "Raise spec.instances[].replicas",
    })),
    {
        // Each MongoDB replica set keeps its own copies: the smallest one counts.
        type: "kubernetes:psmdb.percona.com/v1:PerconaServerMongoDB",
        count: (p) => {
            const sizes = countsIn(p, "spec.replsets", "size", undefined);
            return sizes === undefined || sizes.length === 0 ? undefined : { n: Math.min(...sizes), how: `its smallest replica set has spec.replsets[].size ${Math.min(...sizes)}` };
        },
        fix: "Raise spec.replsets[].size",
    },
    {
        // Strimzi: a topic keeps default.replication.factor copies (Kafka's default is 1), at most one per broker.
        type: "kubernetes:kafka.strimzi.io/v1beta2:Kafka",
        count: (p) => {
            const brokers = countAt(p, "spec.kafka.replicas", undefined);
            if (brokers === undefined) return undefined; // brokers in KafkaNodePools (or unknown): not counted here
            const factor = readFactor(p);
            if (factor === undefined) return undefined;
            const given = read(p, ["spec", "kafka", "config", "default.replication.factor"]);
            return { n: Math.min(brokers, factor), how: `spec.kafka.replicas is ${brokers}, default.replication.factor is ${shown(given, "not set (Kafka's default is 1)")}` };
        },
        fix: 'Run at least 3 brokers and set spec.kafka.config["default.replication.factor"] (and "min.insync.replicas" to 2)',
    },
];

/** Strimzi's default.replication.factor (a key with dots, so read as one path segment). */
function readFactor(p: unknown): number | undefined {
    const v = read(p, ["spec", "kafka", "config", "default.replication.factor"]);
    if (isUnknown(v)) return undefined;
    if (v === undefined || v === null) return 1;
    return num(p, ["spec", "kafka", "config", "default.replication.factor"]);
}

/** Kubernetes data stores run as plain workloads: their pods are single writers unless something replicates them. */
const workloadFix =
    "More pods of a single-writer database do not replicate its data: run it through an operator that replicates it (CloudNativePG Cluster with spec.instances, Percona, Strimzi, the RabbitMQ cluster operator) or a managed service with replicas, on persistent volumes";

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
        const owner = multiAz === true ? undefined : standbyOwnerOf(db);
        const copies = (multiAz === true || owner ? 2 : 1) + replicas.reduce((n, r) => n + (read(r.props, "multiAz") === true ? 2 : 1), 0);
        const how = `multiAz is ${shown(multiAz, "not set")}${replicas.length ? `, read replicas ${names(replicas)}` : ", no read replicas"}`;
        out.push({
            store: db,
            copies,
            how,
            fix: owner
                ? "Add read replicas (aws.rds.Instance with replicateSourceDb) in other zones, or move to an Aurora cluster with one aws.rds.ClusterInstance per zone"
                : "Set multiAz: true and add read replicas (aws.rds.Instance with replicateSourceDb) in other zones, or move to an Aurora cluster with one aws.rds.ClusterInstance per zone",
            members: multiAz === true ? [] : [db, ...replicas],
            zoneProp: "availabilityZone",
            standbyOwner: owner,
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
            const owner = availability === "REGIONAL" ? undefined : standbyOwnerOf(db);
            const copies = (availability === "REGIONAL" || owner ? 2 : 1) + replicas.length;
            out.push({
                store: db,
                copies,
                how: `settings.availabilityType is ${shown(availability, "not set: ZONAL")}${replicas.length ? `, read replicas ${names(replicas)}` : ", no read replicas"}`,
                fix: owner
                    ? "Add read replicas (gcp.sql.DatabaseInstance with masterInstanceName from this instance)"
                    : 'Set settings.availabilityType: "REGIONAL" and add read replicas (gcp.sql.DatabaseInstance with masterInstanceName from this instance)',
                members: [],
                standbyOwner: owner,
            });
        }
    }

    // Kubernetes data stores run as workloads (database images, volume claim templates): one copy per pod.
    for (const w of graph.ofType(types.k8sStatefulSet, types.k8sDeployment)) {
        if (!isDataStoreWorkload(w)) continue;
        const replicas = read(w.props, "spec.replicas");
        if (isUnknown(replicas)) continue;
        const n = replicas === undefined || replicas === null ? 1 : num(w.props, "spec.replicas");
        if (n === undefined || n === 0) continue; // 0: scaled to nothing, no data served from it
        out.push({ store: w, copies: n, how: `spec.replicas is ${shown(replicas, "not set: Kubernetes runs 1 pod")}`, fix: workloadFix, members: [] });
    }
    for (const op of operatorStores) {
        for (const r of graph.ofType(op.type)) {
            const c = op.count(r.props);
            if (c === undefined) continue;
            out.push({ store: r, copies: c.n, how: c.how, fix: op.fix, members: [] });
        }
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
            how = "numCacheClusters is not set (ElastiCache creates 1 node)";
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
        const owner = ha ? undefined : standbyOwnerOf(redis);
        const replicas = set(count) ? (num(redis.props, "replicaCount") ?? NaN) : 1;
        const copies = ha || owner ? 1 + replicas : 1;
        if (Number.isNaN(copies)) continue;
        out.push({
            store: redis,
            copies,
            how: ha || owner ? `tier is ${shown(tier, "not set (BASIC)")}, replicaCount is ${shown(count, "not set (1 with STANDARD_HA)")}` : `tier is ${shown(tier, "not set (BASIC)")}`,
            fix: owner ? "Raise replicaCount" : 'Set tier: "STANDARD_HA" and raise replicaCount',
            members: [],
            standbyOwner: owner,
        });
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
    name: replicationFactorName,
    description: "Every data store must keep at least the minimum number of copies of its data, not all in one availability zone.",
    thresholds: {
        minReplicationFactor: { type: "integer", minimum: 1, default: 3, description: "Fewest copies of its data every data store must keep (RDS Multi-AZ counts 2, each Aurora instance 1, DynamoDB 3)." },
    },
    check: (graph, { minReplicationFactor }) => {
        const findings: Finding[] = [];
        for (const c of dataStoreCopies(graph)) {
            if (c.copies < minReplicationFactor && says(replicationFactorName, facts.dataCopies, c.store)) {
                const counted = c.standbyOwner
                    ? `it would keep ${c.copies} cop${c.copies === 1 ? "y" : "ies"} of its data even with the standby in another zone that ${c.standbyOwner} asks for (${c.how})`
                    : `it keeps ${c.copies} cop${c.copies === 1 ? "y" : "ies"} of its data (${c.how})`;
                findings.push(
                    finding(
                        c.store,
                        `${counted}, fewer than the ${minReplicationFactor} required`,
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
