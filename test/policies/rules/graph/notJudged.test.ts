import { expect } from "chai";
import { notJudged } from "../../../../policies/rules/graph";
import { UNKNOWN } from "../../../harness";
import { expectNone, expectOne } from "../support";
import { expectOn, judge, TestStack } from "./stack";

describe("not-judged", () => {
    it("Noncompliance 1: lists a Helm release, saying when its chart runs a data store", async () => {
        const stack = new TestStack();
        stack.add("kubernetes:helm.sh/v3:Release", "orders-db", { chart: "postgresql", repositoryOpts: { repo: "https://charts.bitnami.com/bitnami" } });
        const v = expectOne(await judge(notJudged, stack), "not-judged", 'kubernetes:helm.sh/v3:Release "orders-db"', 'NOT JUDGED: a Helm release (chart "postgresql")', "the chart runs a data store", "a clean verdict says nothing about it");
        expect(v.enforcementLevel).to.equal("advisory");
    });

    it("Noncompliance 2: lists a component whose resources are absent (a multi-language component under mocks), not one with children", async () => {
        const stack = new TestStack();
        stack.add("eks:index:Cluster", "cluster", { desiredCapacity: 2, instanceType: "t3.medium" });
        const parent = stack.add("nonstop:service:Web", "web", { image: "nginx" });
        stack.add("aws:s3/bucket:Bucket", "assets", {}, { parent });
        stack.add("kubernetes:helm.sh/v4:Chart", "ingress", { chart: "ingress-nginx" });
        expectOn(await judge(notJudged, stack), "cluster", "ingress");
    });

    it("Noncompliance 3: lists data stores no rule judges: AWS and GCP services, operators' resources, another provider's databases", async () => {
        const stack = new TestStack();
        stack.add("aws:opensearch/domain:Domain", "search", {});
        stack.add("gcp:alloydb/cluster:Cluster", "alloy", {});
        stack.add("kubernetes:redis.redis.opstreelabs.in/v1beta2:RedisCluster", "cache", { spec: { clusterSize: 3 } });
        stack.add("mongodbatlas:index/cluster:Cluster", "atlas", {});
        stack.add("digitalocean:index/databaseCluster:DatabaseCluster", "do-pg", {});
        const v = await judge(notJudged, stack);
        expectOn(v, "search", "alloy", "cache", "atlas", "do-pg");
        expect(v.map((x) => x.message).join("\n")).to.include("an OpenSearch domain: it holds data").and.to.include("a RedisCluster of redis.redis.opstreelabs.in").and.to.include("no rule of this pack knows the mongodbatlas provider");
    });

    it("Compliance: judged types, operators' resources the pack counts, their configuration objects and other providers' non-data resources are not listed", async () => {
        const stack = new TestStack();
        stack.add("aws:rds/instance:Instance", "db", {});
        stack.add("kubernetes:postgresql.cnpg.io/v1:Cluster", "pg", { spec: { instances: 3 } });
        stack.add("kubernetes:kafka.strimzi.io/v1beta2:Kafka", "events", { spec: { kafka: { replicas: 3 } } });
        stack.add("kubernetes:kafka.strimzi.io/v1beta2:KafkaTopic", "orders", { spec: { partitions: 3 } });
        stack.add("kubernetes:postgresql.cnpg.io/v1:ScheduledBackup", "nightly", {});
        stack.add("kubernetes:apps/v1:Deployment", "web", {});
        stack.add("kubernetes:networking.k8s.io/v1:Ingress", "web", {});
        stack.add("cloudflare:index/record:Record", "www", {});
        stack.add("pulumi:providers:aws", "east", { region: "us-east-1" });
        stack.add("nonstop:empty:Thing", "nothing", {});
        expectNone(await judge(notJudged, stack));
    });

    it("Unknown: an unknown chart is still a release the pack cannot see into", async () => {
        const stack = new TestStack();
        stack.add("kubernetes:helm.sh/v3:Release", "r", { chart: UNKNOWN });
        expectOne(await judge(notJudged, stack), "not-judged", "NOT JUDGED: a Helm release:");
    });
});
