import { elasticacheFailover } from "../../../../policies/rules/aws/elasticacheFailover";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, unset } from "../support";
import { elasticacheReplicationGroup } from "./factories";

const type = "aws:elasticache/replicationGroup:ReplicationGroup";
const subject = `${type} "sessions"`;
const check = checker(elasticacheFailover, type, "sessions");

describe("elasticache-failover", () => {
    it("Compliance: accepts a primary and a replica with automatic failover and Multi-AZ", async () => {
        expectNone(await check(elasticacheReplicationGroup()));
    });

    it("Noncompliance 1: reports automatic failover off with the fix", async () => {
        expectOne(await check({ ...elasticacheReplicationGroup(), automaticFailoverEnabled: false }), "elasticache-failover", subject, "automaticFailoverEnabled is false", "Set automaticFailoverEnabled: true");
    });

    it("Noncompliance 2: reports Multi-AZ not set", async () => {
        expectOne(await check(unset(elasticacheReplicationGroup(), "multiAzEnabled")), "elasticache-failover", subject, "multiAzEnabled is not set", "multiAzEnabled: true");
    });

    it("Noncompliance 2b: reports both switches off in one finding (together they are the standby in another zone)", async () => {
        expectOne(await check(unset(unset(elasticacheReplicationGroup(), "multiAzEnabled"), "automaticFailoverEnabled")), "elasticache-failover", subject, "automaticFailoverEnabled is not set and multiAzEnabled is not set", "no replica is promoted");
    });

    it("Noncompliance 3: reports a single cache node", async () => {
        expectOne(await check({ ...elasticacheReplicationGroup(), numCacheClusters: 1 }), "elasticache-failover", subject, "numCacheClusters is 1 (0 replicas)", "Set numCacheClusters: 2 or more");
    });

    it("Noncompliance 4: reports cluster mode without replicas per shard", async () => {
        const props = { ...unset(elasticacheReplicationGroup(), "numCacheClusters"), numNodeGroups: 3, replicasPerNodeGroup: 0 };
        expectOne(await check(props), "elasticache-failover", subject, "replicasPerNodeGroup is 0", "replicasPerNodeGroup: 1 or more");
    });

    it("Noncompliance 5: reports a group that never sets a node count (one node)", async () => {
        expectOne(await check(unset(elasticacheReplicationGroup(), "numCacheClusters")), "elasticache-failover", subject, "numCacheClusters, replicasPerNodeGroup and nodeGroupConfigurations are not set");
    });

    it("Noncompliance 6: takes minReplicas from config", async () => {
        expectOne(await check(elasticacheReplicationGroup(), { minReplicas: 2 }), "elasticache-failover", subject, "fewer than 2 replicas per shard", "numCacheClusters: 3");
    });

    it("Unknown: does not judge counts or flags unknown at preview", async () => {
        expectNone(await check({ ...elasticacheReplicationGroup(), numCacheClusters: UNKNOWN, automaticFailoverEnabled: UNKNOWN, multiAzEnabled: UNKNOWN }));
    });
});
