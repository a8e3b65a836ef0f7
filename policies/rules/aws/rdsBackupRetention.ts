import type * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { check, configSchema, resourcesOf, Say, thresholds, View } from "../../lib/rule";

const config = {
    minRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: 7, description: "Fewest days of automated backups (point-in-time recovery window) a database must keep." },
    requireDeletionProtection: { type: "boolean", default: true, description: "Whether deletionProtection must be on (turn off for throwaway dev stacks)." },
} as const;

/** The settings RDS instances and clusters share, by the same names. */
type Shared = Pick<aws.rds.InstanceArgs, "backupRetentionPeriod" | "deletionProtection" | "skipFinalSnapshot" | "storageEncrypted">;

interface Judged {
    readonly db: View<Shared>;
    /**
     * The retention RDS applies when backupRetentionPeriod is not set, or undefined when it cannot
     * be told (a restore inherits the source's setting).
     */
    readonly defaultRetention: number | undefined;
    /** A read replica instance: RDS takes no backups or final snapshot of it, and it inherits its source's encryption. */
    readonly replica: boolean;
    /** Whether storage is encrypted when storageEncrypted is not set. */
    readonly encryptedByDefault: boolean;
}

function judge({ db, defaultRetention, replica, encryptedByDefault }: Judged, say: Say, cfg: { minRetentionDays: number; requireDeletionProtection: boolean }): void {
    if (!replica) {
        const days = db.num("backupRetentionPeriod") ?? (db.absent("backupRetentionPeriod") ? defaultRetention : undefined);
        if (days !== undefined && days < cfg.minRetentionDays) {
            say(
                `${db.is("backupRetentionPeriod")}${db.absent("backupRetentionPeriod") ? ` (RDS then keeps ${days} day${days === 1 ? "" : "s"} of automated backups)` : ""}, below the minimum of ${cfg.minRetentionDays} days`,
                days === 0 ? "automated backups and point-in-time recovery are off" : "corruption noticed later than that cannot be recovered from",
                `Set backupRetentionPeriod: ${cfg.minRetentionDays} or more.`,
            );
        }
        if (db.bool("skipFinalSnapshot") === true) {
            say(db.is("skipFinalSnapshot"), "deleting or replacing the database destroys its data with no final snapshot", "Remove skipFinalSnapshot (or set it to false) and set finalSnapshotIdentifier.");
        }
    }
    if (cfg.requireDeletionProtection && (db.bool("deletionProtection") === false || db.absent("deletionProtection"))) {
        say(
            db.is("deletionProtection"),
            "a mistaken delete or a replacement in a deployment destroys the database",
            "Set deletionProtection: true.",
        );
    }
    if (!replica && (db.bool("storageEncrypted") === false || (db.absent("storageEncrypted") && !encryptedByDefault))) {
        say(
            db.is("storageEncrypted"),
            "encryption cannot be turned on in place later (only by restoring a snapshot into a new database), and unencrypted snapshots cannot be copied under a KMS key to a recovery region",
            "Set storageEncrypted: true (with a kmsKeyId for cross-region copies).",
        );
    }
}

/**
 * An RDS database must keep at least `minRetentionDays` of automated backups, be protected from
 * deletion, take a final snapshot when deleted, and be encrypted (the only way snapshots can be
 * copied to another region under a key). Read replica instances are judged on deletion protection
 * only: RDS takes no automated backups or final snapshots of them and they inherit encryption.
 */
export const rdsBackupRetention: ResourceValidationPolicy = {
    name: "rds-backup-retention",
    description: "RDS instances and clusters must keep at least seven days of backups, deletion protection, a final snapshot and encrypted storage.",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourcesOf({
        "aws:rds/instance:Instance": check<aws.rds.InstanceArgs>((db, say, args) => {
            // Unset, the provider sends no BackupRetentionPeriod (its schema is optional and computed,
            // whatever the .d.ts says) and CreateDBInstance applies its default of 1 day. A restore
            // (snapshot, point in time, S3 import) inherits its source's retention instead.
            const restored = !db.absent("snapshotIdentifier") || !db.absent("restoreToPointInTime") || !db.absent("s3Import");
            // Restored from a snapshot, the database takes the snapshot's encryption.
            judge(
                { db, defaultRetention: restored ? undefined : 1, replica: !db.absent("replicateSourceDb"), encryptedByDefault: !db.absent("snapshotIdentifier") },
                say,
                thresholds(args, config),
            );
        }),
        "aws:rds/cluster:Cluster": check<aws.rds.ClusterArgs>((db, say, args) => {
            const mode = db.str("engineMode");
            judge(
                // Aurora replica clusters keep their own continuous backups: judged like any cluster.
                { db, defaultRetention: 1, replica: false, encryptedByDefault: mode === "serverless" || db.unknown("engineMode") || !db.absent("snapshotIdentifier") },
                say,
                thresholds(args, config),
            );
        }),
    }),
};
