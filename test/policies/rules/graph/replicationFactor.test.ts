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

    it("Noncompliance 1: defers the missing Multi-AZ standby of an RDS instance to rds-multi-az, and counts copies as if it were on", async () => {
        const stack = new TestStack();
        stack.add(rds, "orders", { engine: "postgres", instanceClass: "db.t4g.micro", multiAz: false });
        const [v] = await judge(replicationFactor, stack);
        expectOne(
            [v],
            "replication-factor",
            'aws:rds/instance:Instance "orders"',
            "it would keep 2 copies of its data even with the standby in another zone that rds-multi-az asks for (multiAz is false, no read replicas), fewer than the 3 required",
            "Add read replicas",
        );
        expect(v.message).to.not.include("Set multiAz");
        // With the dev threshold (2), the standby rds-multi-az asks for is enough: nothing more to say.
        expectNone(await judge(replicationFactor, stack, { minReplicationFactor: 2 }));
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

    it("Counts Memorystore (BASIC as the STANDARD_HA memorystore-ha asks for) and DynamoDB, and leaves ElastiCache replicas to elasticache-failover", async () => {
        const stack = new TestStack();
        stack.add("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { description: "c", numCacheClusters: 1 });
        stack.add("gcp:redis/instance:Instance", "redis", { memorySizeGb: 1, tier: "BASIC" });
        stack.add("aws:dynamodb/table:Table", "table", { hashKey: "id" });
        const v = await judge(replicationFactor, stack);
        expectOn(v, "redis");
        expect(v[0].message).to.include("that memorystore-ha asks for").and.to.include("replicaCount is not set (1 with STANDARD_HA)");
        expectNone(await judge(replicationFactor, stack, { minReplicationFactor: 2 }));
    });

    it("Counts Kubernetes data stores run as Deployments, and advises replication, not more pods", async () => {
        const stack = new TestStack();
        stack.add("kubernetes:apps/v1:Deployment", "redis-leader", { metadata: { name: "redis-leader" }, spec: { template: { spec: { containers: [{ name: "leader", image: "docker.io/redis:6.0.5" }] } } } });
        stack.add("kubernetes:apps/v1:Deployment", "web", { metadata: { name: "web" }, spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } } });
        const v = await judge(replicationFactor, stack);
        expectOne(v, "replication-factor", 'kubernetes:apps/v1:Deployment "redis-leader"', "spec.replicas is not set: Kubernetes runs 1 pod", "More pods of a single-writer database do not replicate its data", "operator");
    });

    it("Counts operators' clusters: Zalando, Crunchy, Percona, MongoDB, RabbitMQ and Strimzi (Kafka's default replication factor is 1)", async () => {
        const stack = new TestStack();
        stack.add("kubernetes:acid.zalan.do/v1:postgresql", "zalando", { spec: { numberOfInstances: 2 } });
        stack.add("kubernetes:postgres-operator.crunchydata.com/v1beta1:PostgresCluster", "crunchy", { spec: { instances: [{ name: "a" }, { name: "b", replicas: 2 }] } });
        stack.add("kubernetes:pxc.percona.com/v1:PerconaXtraDBCluster", "pxc", { spec: { pxc: { size: 3 } } });
        stack.add("kubernetes:psmdb.percona.com/v1:PerconaServerMongoDB", "psmdb", { spec: { replsets: [{ name: "rs0", size: 3 }, { name: "rs1", size: 1 }] } });
        stack.add("kubernetes:mongodbcommunity.mongodb.com/v1:MongoDBCommunity", "mongo", { spec: { members: 3 } });
        stack.add("kubernetes:rabbitmq.com/v1beta1:RabbitmqCluster", "rabbit", { spec: {} });
        stack.add("kubernetes:kafka.strimzi.io/v1beta2:Kafka", "kafka", { spec: { kafka: { replicas: 3, config: {} } } });
        stack.add("kubernetes:kafka.strimzi.io/v1beta2:Kafka", "kafka-rf3", { spec: { kafka: { replicas: 3, config: { "default.replication.factor": 3 } } } });
        const v = await judge(replicationFactor, stack);
        expectOn(v, "zalando", "psmdb", "rabbit", "kafka");
        const text = v.map((x) => x.message).join("\n");
        expect(text).to.include("spec.numberOfInstances is 2").and.to.include("spec.replicas is not set (1)").and.to.include("default.replication.factor is not set (Kafka's default is 1)");
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
