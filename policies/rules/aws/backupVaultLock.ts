import type * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, resourceOf, thresholds } from "../../lib/rule";

const config = {
    minRetentionDays: { type: "integer", minimum: 1, default: 7, description: "Fewest days the vault lock must keep every recovery point." },
    requireComplianceMode: {
        type: "boolean",
        default: false,
        description: "Whether the lock must be in compliance mode (changeableForDays set: after that grace period nobody, not even the root user, can remove it).",
    },
} as const;

/**
 * An AWS Backup vault lock must keep recovery points for at least `minRetentionDays`, so that a
 * compromised account or a mistake cannot delete the backups a recovery depends on.
 */
export const backupVaultLock: ResourceValidationPolicy = {
    name: "backup-vault-lock",
    description: "AWS Backup vault locks must enforce a minimum retention of at least seven days (and compliance mode where configured).",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourceOf<aws.backup.VaultLockConfigurationArgs>("aws:backup/vaultLockConfiguration:VaultLockConfiguration", (lock, say, args) => {
        const { minRetentionDays, requireComplianceMode } = thresholds(args, config);
        const days = lock.num("minRetentionDays");
        if (lock.absent("minRetentionDays") || (days !== undefined && days < minRetentionDays)) {
            say(
                `${lock.is("minRetentionDays")}${days !== undefined ? `, below the minimum of ${minRetentionDays}` : ""}`,
                "recovery points can be deleted before they are old enough to recover from a mistake or an attack noticed late",
                `Set minRetentionDays: ${minRetentionDays} or more.`,
            );
        }
        if (requireComplianceMode && lock.absent("changeableForDays")) {
            say(
                `${lock.is("changeableForDays")} (governance mode)`,
                "anyone with enough IAM permissions can remove the lock and then the recovery points",
                "Set changeableForDays (at least 3) to put the lock in compliance mode once that grace period ends.",
            );
        }
    }),
};
