import { resolve } from "../../lib/refs";
import { finding, Finding, graphRule, types } from "./lib";

const lockType = "aws:backup/vaultLockConfiguration:VaultLockConfiguration";

/**
 * Where required, every AWS Backup vault must be locked, so that neither a mistake nor a
 * compromised account can delete the recovery points before their retention ends.
 */
export const backupVaultLockRequired = graphRule({
    name: "backup-vault-lock-required",
    description: "Where required, every AWS Backup vault must have a vault lock configuration.",
    thresholds: {
        requireVaultLock: { type: "boolean", default: false, description: "Whether every aws:backup/vault:Vault must have an aws:backup/vaultLockConfiguration:VaultLockConfiguration." },
    },
    check: (graph, { requireVaultLock }) => {
        if (!requireVaultLock) return [];
        const locks = graph.ofType(lockType).map((l) => resolve(graph, l, "backupVaultName", [types.backupVault], { identity: ["name", "id"] }));
        // A lock whose vault cannot be told could be any vault's.
        if (locks.some((l) => l.open)) return [];
        const locked = new Set(locks.flatMap((l) => l.targets.map((t) => t.urn)));
        const findings: Finding[] = [];
        for (const vault of graph.ofType(types.backupVault)) {
            if (locked.has(vault.urn)) continue;
            findings.push(
                finding(
                    vault,
                    "no aws:backup/vaultLockConfiguration:VaultLockConfiguration locks it",
                    "anyone with enough IAM permissions (or an attacker with them) can delete its recovery points before their retention ends",
                    "Add an aws.backup.VaultLockConfiguration with backupVaultName from this vault, minRetentionDays and, for compliance mode, changeableForDays.",
                ),
            );
        }
        return findings;
    },
});
