import type * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, resourceOf, thresholds } from "../../lib/rule";

const config = {
    minRetainedBackups: { type: "integer", minimum: 1, default: 7, description: "Fewest automated backups (one a day) a Cloud SQL instance must keep." },
    requireDeletionProtection: { type: "boolean", default: true, description: "Whether Cloud SQL deletion protection (settings.deletionProtectionEnabled) must be on (turn off for throwaway dev stacks)." },
} as const;

/** Cloud SQL keeps this many automated backups when retainedBackups is not set. */
const defaultRetainedBackups = 7;

/** Whether point-in-time recovery is on by default: Enterprise Plus PostgreSQL and SQL Server. */
function pitrByDefault(version: string, edition: string | undefined, editionUnknown: boolean): boolean {
    if (editionUnknown || edition === "ENTERPRISE_PLUS") return true;
    // Without an edition, POSTGRES_16 and later are created as Enterprise Plus.
    const pg = /^POSTGRES_(\d+)/.exec(version);
    return edition === undefined && pg !== null && Number(pg[1]) >= 16;
}

/**
 * A Cloud SQL primary must take automated backups with point-in-time recovery (binary logs for
 * MySQL), keep at least `minRetainedBackups`, and be protected from deletion in Cloud SQL
 * (settings.deletionProtectionEnabled; deletion by Pulumi is stateful-resource-protected's to
 * judge). Read replicas are judged on deletion protection only (Cloud SQL backs up the primary).
 */
export const cloudsqlBackups: ResourceValidationPolicy = {
    name: "cloudsql-backups",
    description: "Cloud SQL instances must have automated backups with point-in-time recovery, keep at least seven backups, and have Cloud SQL deletion protection on.",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourceOf<gcp.sql.DatabaseInstanceArgs>("gcp:sql/databaseInstance:DatabaseInstance", (db, say, args) => {
        const { minRetainedBackups, requireDeletionProtection } = thresholds(args, config);
        const settings = db.at("settings");
        const replica = !db.absent("masterInstanceName");
        const backups = settings.at("backupConfiguration");

        if (!replica && !settings.isUnknown && !settings.unknown("backupConfiguration")) {
            if (backups.bool("enabled") === false || backups.absent("enabled")) {
                say(backups.is("enabled"), "the instance has no automated backups and no point-in-time recovery", "Set settings.backupConfiguration.enabled: true.");
            }
            const version = db.str("databaseVersion");
            if (version !== undefined && /^(POSTGRES|SQLSERVER)_/.test(version)) {
                const off = backups.bool("pointInTimeRecoveryEnabled") === false;
                const unset = backups.absent("pointInTimeRecoveryEnabled") && !pitrByDefault(version, settings.str("edition"), settings.unknown("edition"));
                if (off || unset) {
                    say(
                        `${backups.is("pointInTimeRecoveryEnabled")} for ${version}`,
                        "the database can be restored only to the last daily backup, losing up to a day of writes",
                        "Set settings.backupConfiguration.pointInTimeRecoveryEnabled: true.",
                    );
                }
            } else if (version !== undefined && version.startsWith("MYSQL_")) {
                if (backups.bool("binaryLogEnabled") === false || backups.absent("binaryLogEnabled")) {
                    say(
                        `${backups.is("binaryLogEnabled")} for ${version}`,
                        "MySQL has point-in-time recovery (and can feed replicas) only with binary logging, so a restore loses up to a day of writes",
                        "Set settings.backupConfiguration.binaryLogEnabled: true.",
                    );
                }
            }
            const retention = backups.at("backupRetentionSettings");
            const unit = retention.str("retentionUnit");
            if (unit === undefined || unit === "COUNT") {
                const kept = retention.num("retainedBackups") ?? (backups.absent("backupRetentionSettings") ? defaultRetainedBackups : undefined);
                if (kept !== undefined && kept < minRetainedBackups) {
                    say(
                        `${retention.is("retainedBackups")}${backups.absent("backupRetentionSettings") ? ` (Cloud SQL keeps ${defaultRetainedBackups})` : ""}, below the minimum of ${minRetainedBackups}`,
                        "corruption noticed later than that cannot be recovered from",
                        `Set settings.backupConfiguration.backupRetentionSettings.retainedBackups: ${minRetainedBackups} or more.`,
                    );
                }
            }
        }

        if (!requireDeletionProtection) return;
        // deletionProtection (the provider's guard against Pulumi itself) is part of what
        // stateful-resource-protected says about Pulumi deleting the instance (lib/facts).
        if (!settings.isUnknown && (settings.bool("deletionProtectionEnabled") === false || settings.absent("deletionProtectionEnabled"))) {
            say(
                settings.is("deletionProtectionEnabled"),
                "the instance can be deleted from the console, gcloud or the API, outside of Pulumi",
                "Set settings.deletionProtectionEnabled: true.",
            );
        }
    }),
};
