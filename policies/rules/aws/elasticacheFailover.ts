import type * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, resourceOf, thresholds } from "../../lib/rule";

const config = {
    minReplicas: { type: "integer", minimum: 1, default: 1, description: "Fewest read replicas per shard (node group) a replication group must keep to fail over to." },
} as const;

/**
 * A Redis/Valkey replication group survives the loss of its primary (or its zone) only with a
 * replica in another zone and automatic failover with Multi-AZ on.
 */
export const elasticacheFailover: ResourceValidationPolicy = {
    name: "elasticache-failover",
    description: "ElastiCache replication groups must have a replica per shard, automatic failover and Multi-AZ enabled.",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourceOf<aws.elasticache.ReplicationGroupArgs>("aws:elasticache/replicationGroup:ReplicationGroup", (group, say, args) => {
        const { minReplicas } = thresholds(args, config);
        // One finding for both switches: together they are the standby in another zone (one fact, see lib/facts).
        const off = (["automaticFailoverEnabled", "multiAzEnabled"] as const).filter((k) => group.bool(k) === false || group.absent(k));
        if (off.length > 0) {
            say(
                off.map((k) => group.is(k)).join(" and "),
                off.includes("automaticFailoverEnabled")
                    ? "when the primary or its zone fails, no replica is promoted and writes fail until it is replaced"
                    : "ElastiCache may keep the primary and its replicas in the same zone and does not fail over across zones",
                "Set automaticFailoverEnabled: true and multiAzEnabled: true, with at least one replica per shard.",
            );
        }

        const replicasFix = `Set numCacheClusters: ${minReplicas + 1} or more (cluster mode disabled), or replicasPerNodeGroup: ${minReplicas} or more (cluster mode enabled).`;
        const noReplicas = "a shard without a replica is lost with its node or zone";
        const clusters = group.num("numCacheClusters");
        const perGroup = group.num("replicasPerNodeGroup");
        if (clusters !== undefined && clusters - 1 < minReplicas) {
            say(`${group.is("numCacheClusters")} (${clusters - 1} replica${clusters - 1 === 1 ? "" : "s"}), fewer than ${minReplicas} replica${minReplicas === 1 ? "" : "s"} per shard`, noReplicas, replicasFix);
        }
        if (perGroup !== undefined && perGroup < minReplicas) {
            say(`${group.is("replicasPerNodeGroup")}, fewer than ${minReplicas}`, noReplicas, replicasFix);
        }
        for (const shard of group.items("nodeGroupConfigurations") ?? []) {
            const count = shard.num("replicaCount");
            if (count !== undefined && count < minReplicas) say(`${shard.is("replicaCount")}, fewer than ${minReplicas}`, noReplicas, replicasFix);
        }
        if (group.absent("numCacheClusters") && group.absent("replicasPerNodeGroup") && group.absent("nodeGroupConfigurations")) {
            say(
                "numCacheClusters, replicasPerNodeGroup and nodeGroupConfigurations are not set (ElastiCache creates one node)",
                noReplicas,
                replicasFix,
            );
        }
    }),
};
