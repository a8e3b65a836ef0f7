import { expect } from "chai";
import { replicationFactor } from "../../../../policies/rules/graph";
import { UNKNOWN } from "../../../harness";
import { expectNone, expectOne } from "../support";
import { expectOn, from, judge, TestStack } from "./stack";

const rds = "aws:rds/instance:Instance";
const cluster = "aws:rds/cluster:Cluster";
const clusterInstance = "aws:rds/clusterInstance:ClusterInstance";
const sql = "gcp:sql/databaseInstance:DatabaseInstance";
const sts = "kubernetes:apps/v1:StatefulSet";

function aurora(stack: TestStack, zones: readonly unknown[]) {
    const c = stack.add(cluster, "orders", { engine: "aurora-postgresql" });
    zones.forEach((zone, i) => stack.add(clusterInstance, `orders-${i}`, { clusterIdentifier: from(c), instanceClass: "db.r6g.large", engine: "aurora-postgresql", ...(zone === undefined ? {} : { availabilityZone: zone }) }));
    return c;
}

function postgresStatefulSet(replicas: unknown) {
    return {
        metadata: { name: "pg", namespace: "data" },
        spec: { replicas, serviceName: "pg", selector: { matchLabels: { app: "pg" } }, template: { metadata: { labels: { app: "pg" } }, spec: { containers: [{ name: "pg", image: "postgres:16" }] } } },
    };
}

describe("replication-factor", () => {
    it("Compliance: accepts an Aurora cluster with three instances in three zones", async () => {
        const stack = new TestStack();
        aurora(stack, ["us-east-1a", "us-east-1b", "us-east-1c"]);
        expectNone(await judge(replicationFactor, stack));
    });

    it("Noncompliance 1: reports a single-AZ RDS instance (1 copy), naming the prop and the fix", async () => {
        const stack = new TestStack();
        stack.add(rds, "orders", { engine: "postgres", instanceClass: "db.t4g.micro", multiAz: false });
        expectOne(
            await judge(replicationFactor, stack),
            "replication-factor",
            'aws:rds/instance:Instance "orders"',
            "keeps 1 copy of its data (multiAz is false, no read replicas), fewer than the 3 required",
            "Set multiAz: true",
        );
    });

    it("Counts Multi-AZ as 2 copies and each read replica as 1 more (dev threshold 2, prod threshold 3)", async () => {
        const stack = new TestStack();
        const primary = stack.add(rds, "orders", { engine: "postgres", multiAz: true });
        expectNone(await judge(replicationFactor, stack, { minReplicationFactor: 2 }));
        expectOne(await judge(replicationFactor, stack), "replication-factor", "keeps 2 copies");
        stack.add(rds, "orders-replica", { replicateSourceDb: from(primary), instanceClass: "db.t4g.micro" });
        expectNone(await judge(replicationFactor, stack));
    });

    it("Noncompliance 2: reports an Aurora cluster with fewer cluster instances than required", async () => {
        const stack = new TestStack();
        aurora(stack, ["us-east-1a", "us-east-1b"]);
        expectOne(await judge(replicationFactor, stack), "replication-factor", 'aws:rds/cluster:Cluster "orders"', 'keeps 2 copies of its data (cluster instances "orders-0" and "orders-1")', "aws.rds.ClusterInstance");
    });

    it("Noncompliance 3: reports cluster instances that all sit in one zone", async () => {
        const stack = new TestStack();
        aurora(stack, ["us-east-1a", "us-east-1a", "us-east-1a"]);
        expectOne(await judge(replicationFactor, stack), "replication-factor", 'all 3 copies ("orders-0", "orders-1" and "orders-2") have availabilityZone "us-east-1a"', "Spread them over availability zones");
    });

    it("Finds cluster instances by identifier when the values are known (an update)", async () => {
        const stack = new TestStack(false);
        stack.add(cluster, "orders", { engine: "aurora-postgresql", clusterIdentifier: "orders-db" });
        stack.add(clusterInstance, "orders-0", { clusterIdentifier: "orders-db", instanceClass: "db.r6g.large", engine: "aurora-postgresql" });
        expectOne(await judge(replicationFactor, stack), "replication-factor", "keeps 1 copy");
    });

    it("Counts Cloud SQL: REGIONAL 2, ZONAL 1, each read replica 1", async () => {
        const stack = new TestStack();
        const db = stack.add(sql, "orders", { databaseVersion: "POSTGRES_15", region: "us-central1", settings: { tier: "db-custom-2-7680", availabilityType: "REGIONAL" } });
        expectOne(await judge(replicationFactor, stack), "replication-factor", 'gcp:sql/databaseInstance:DatabaseInstance "orders"', 'settings.availabilityType is "REGIONAL", no read replicas', "keeps 2 copies");
        stack.add(sql, "orders-replica", { databaseVersion: "POSTGRES_15", region: "us-east1", masterInstanceName: from(db), settings: { tier: "db-custom-2-7680" } });
        expectNone(await judge(replicationFactor, stack));
    });

    it("Counts database-like StatefulSets by spec.replicas, and CloudNativePG clusters by spec.instances", async () => {
        const stack = new TestStack();
        stack.add(sts, "pg", postgresStatefulSet(1));
        stack.add("kubernetes:postgresql.cnpg.io/v1:Cluster", "cnpg", { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "cnpg" }, spec: { storage: { size: "10Gi" } } });
        stack.add(sts, "web", { spec: { replicas: 1, template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } } });
        const v = await judge(replicationFactor, stack);
        expectOn(v, "cnpg", "pg");
        expect(v.map((x) => x.message).join("\n")).to.include("spec.replicas is 1").and.to.include("spec.instances is not set (1)");
    });

    it("Counts ElastiCache, Memorystore and DynamoDB", async () => {
        const stack = new TestStack();
        stack.add("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { description: "c", numCacheClusters: 2 });
        stack.add("gcp:redis/instance:Instance", "redis", { memorySizeGb: 1, tier: "BASIC" });
        stack.add("aws:dynamodb/table:Table", "table", { hashKey: "id" });
        const v = await judge(replicationFactor, stack);
        expectOn(v, "cache", "redis");
        expectOn(await judge(replicationFactor, stack, { minReplicationFactor: 2 }), "redis");
    });

    it("Noncompliance 4: reports ElastiCache nodes pinned to one zone", async () => {
        const stack = new TestStack();
        stack.add("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { description: "c", numCacheClusters: 3, preferredCacheClusterAzs: ["us-east-1a", "us-east-1a", "us-east-1a"] });
        expectOne(await judge(replicationFactor, stack), "replication-factor", "preferredCacheClusterAzs places all 3 nodes in us-east-1a");
    });

    it("Unknown: does not count copies from unknown values", async () => {
        const stack = new TestStack();
        stack.add(rds, "a", { multiAz: UNKNOWN });
        stack.add(sql, "b", { settings: UNKNOWN });
        stack.add(sts, "pg", postgresStatefulSet(UNKNOWN));
        stack.add("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { numCacheClusters: UNKNOWN });
        // Cluster instances whose cluster cannot be told: the cluster may have any of them.
        stack.add(cluster, "c", { engine: "aurora-postgresql" });
        stack.add(clusterInstance, "ci", { clusterIdentifier: UNKNOWN });
        expectNone(await judge(replicationFactor, stack));
        // Zones unknown: no one-zone finding.
        const zonesUnknown = new TestStack();
        aurora(zonesUnknown, [UNKNOWN, UNKNOWN, UNKNOWN]);
        expectNone(await judge(replicationFactor, zonesUnknown));
    });
});
