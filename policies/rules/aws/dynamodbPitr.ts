import type * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, resourceOf, thresholds } from "../../lib/rule";

const config = {
    requireDeletionProtection: { type: "boolean", default: true, description: "Whether deletionProtectionEnabled must be on (turn off for throwaway dev stacks)." },
} as const;

/**
 * A DynamoDB table must have point-in-time recovery on (itself and in each global-table replica)
 * and deletion protection, so that a bad write or a mistaken delete can be undone.
 */
export const dynamodbPitr: ResourceValidationPolicy = {
    name: "dynamodb-pitr",
    description: "DynamoDB tables must have point-in-time recovery (in every replica) and deletion protection enabled.",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourceOf<aws.dynamodb.TableArgs>("aws:dynamodb/table:Table", (table, say, args) => {
        const { requireDeletionProtection } = thresholds(args, config);
        const pitr = table.at("pointInTimeRecovery");
        if (table.absent("pointInTimeRecovery") || pitr.bool("enabled") === false || pitr.absent("enabled")) {
            say(
                table.absent("pointInTimeRecovery") ? `${table.is("pointInTimeRecovery")} (DynamoDB defaults to off)` : pitr.is("enabled"),
                "a bad write or a bug that corrupts items cannot be rolled back to a point in time",
                "Set pointInTimeRecovery: { enabled: true }.",
            );
        }
        for (const replica of table.items("replicas") ?? []) {
            if (replica.bool("pointInTimeRecovery") === false || (replica.isObject && replica.absent("pointInTimeRecovery"))) {
                const region = replica.str("regionName");
                say(
                    `${replica.is("pointInTimeRecovery")}${region ? ` for the replica in ${region}` : ""}`,
                    "after a failover to that replica, the table has no point-in-time recovery",
                    "Set pointInTimeRecovery: true on every replica.",
                );
            }
        }
        if (requireDeletionProtection && (table.bool("deletionProtectionEnabled") === false || table.absent("deletionProtectionEnabled"))) {
            say(table.is("deletionProtectionEnabled"), "a mistaken delete or a replacement in a deployment destroys the table and its data", "Set deletionProtectionEnabled: true.");
        }
    }),
};
