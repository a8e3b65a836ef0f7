import { cloudsqlBackups } from "../../../../policies/rules/gcp/cloudsqlBackups";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { mysqlInstance, sqlInstance } from "./factories";

const type = "gcp:sql/databaseInstance:DatabaseInstance";
const subject = `${type} "orders-db"`;
const check = checker(cloudsqlBackups, type, "orders-db");

describe("cloudsql-backups", () => {
    it("Compliance: accepts backups with PITR, seven retained, deletion protection on", async () => {
        expectNone(await check(sqlInstance()));
        expectNone(await check(mysqlInstance()));
    });

    it("Noncompliance 1: reports backups off with the fix", async () => {
        expectOne(await check(set(sqlInstance(), "settings.backupConfiguration.enabled", false)), "cloudsql-backups", subject, "settings.backupConfiguration.enabled is false", "Set settings.backupConfiguration.enabled: true");
    });

    it("Noncompliance 2: reports PostgreSQL without point-in-time recovery", async () => {
        expectOne(await check(unset(sqlInstance(), "settings.backupConfiguration.pointInTimeRecoveryEnabled")), "cloudsql-backups", subject, "pointInTimeRecoveryEnabled is not set for POSTGRES_15", "pointInTimeRecoveryEnabled: true");
    });

    it("Compliance: PITR is on by default for Enterprise Plus", async () => {
        expectNone(await check(set(unset(sqlInstance(), "settings.backupConfiguration.pointInTimeRecoveryEnabled"), "settings.edition", "ENTERPRISE_PLUS")));
        expectNone(await check({ ...unset(unset(sqlInstance(), "settings.backupConfiguration.pointInTimeRecoveryEnabled"), "settings.edition"), databaseVersion: "POSTGRES_16" }));
    });

    it("Noncompliance 3: reports MySQL without binary logging", async () => {
        expectOne(await check(set(mysqlInstance(), "settings.backupConfiguration.binaryLogEnabled", false)), "cloudsql-backups", subject, "binaryLogEnabled is false for MYSQL_8_0", "binaryLogEnabled: true");
    });

    it("Noncompliance 4: reports too few retained backups", async () => {
        expectOne(await check(set(sqlInstance(), "settings.backupConfiguration.backupRetentionSettings.retainedBackups", 3)), "cloudsql-backups", subject, "retainedBackups is 3", "below the minimum of 7", "retainedBackups: 7 or more");
    });

    it("Noncompliance 5: takes minRetainedBackups from config, judging Cloud SQL's default of 7", async () => {
        expectOne(await check(unset(sqlInstance(), "settings.backupConfiguration.backupRetentionSettings"), { minRetainedBackups: 14 }), "cloudsql-backups", subject, "retainedBackups is not set (Cloud SQL keeps 7), below the minimum of 14");
    });

    it("Compliance: leaves deletionProtection: false (Pulumi may delete it) to stateful-resource-protected (one owner per fact)", async () => {
        expectNone(await check({ ...sqlInstance(), deletionProtection: false }));
    });

    it("Noncompliance 7: reports Cloud SQL deletion protection not enabled", async () => {
        expectOne(await check(unset(sqlInstance(), "settings.deletionProtectionEnabled")), "cloudsql-backups", subject, "settings.deletionProtectionEnabled is not set", "Set settings.deletionProtectionEnabled: true");
    });

    it("Compliance: does not require deletion protection when config turns it off (dev)", async () => {
        expectNone(await check({ ...unset(sqlInstance(), "settings.deletionProtectionEnabled"), deletionProtection: false }, { requireDeletionProtection: false }));
    });

    it("Compliance: does not judge the backups of a read replica", async () => {
        expectNone(await check({ ...unset(sqlInstance(), "settings.backupConfiguration"), masterInstanceName: "orders-db-primary" }));
    });

    it("Unknown: does not judge values unknown at preview", async () => {
        expectNone(await check(set(sqlInstance(), "settings.backupConfiguration", UNKNOWN)));
        expectNone(await check({ ...set(sqlInstance(), "settings.backupConfiguration.pointInTimeRecoveryEnabled", false), databaseVersion: UNKNOWN }));
        expectNone(await check({ ...sqlInstance(), settings: UNKNOWN }));
    });
});
