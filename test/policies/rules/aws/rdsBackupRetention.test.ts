import { expect } from "chai";
import { rdsBackupRetention } from "../../../../policies/rules/aws/rdsBackupRetention";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, unset } from "../support";
import { rdsCluster, rdsInstance } from "./factories";

const instanceType = "aws:rds/instance:Instance";
const clusterType = "aws:rds/cluster:Cluster";
const checkInstance = checker(rdsBackupRetention, instanceType, "orders-db");
const checkCluster = checker(rdsBackupRetention, clusterType, "orders");
const db = `${instanceType} "orders-db"`;
const cluster = `${clusterType} "orders"`;

describe("rds-backup-retention", () => {
    describe("aws:rds/instance:Instance", () => {
        it("Compliance: accepts seven days of backups, deletion protection, a final snapshot and encryption", async () => {
            expectNone(await checkInstance(rdsInstance()));
        });

        it("Noncompliance 1: reports a short retention with the value and the fix", async () => {
            expectOne(await checkInstance({ ...rdsInstance(), backupRetentionPeriod: 3 }), "rds-backup-retention", db, "backupRetentionPeriod is 3", "below the minimum of 7 days", "Set backupRetentionPeriod: 7 or more");
        });

        it("Noncompliance 2: reports an absent retention as RDS's default of 1 day (the provider sends none; backups stay on)", async () => {
            const [v] = await checkInstance(unset(rdsInstance(), "backupRetentionPeriod"));
            expectOne([v], "rds-backup-retention", db, "backupRetentionPeriod is not set (RDS then keeps 1 day of automated backups), below the minimum of 7 days", "corruption noticed later");
            expect(v.message).to.not.include("backups and point-in-time recovery are off");
        });

        it("Compliance: an absent retention meets a 1-day minimum (dev), and a restore inherits its source's, which is not judged", async () => {
            expectNone(await checkInstance(unset(rdsInstance(), "backupRetentionPeriod"), { minRetentionDays: 1 }));
            expectNone(await checkInstance({ ...unset(rdsInstance(), "backupRetentionPeriod"), snapshotIdentifier: "orders-2024-01-01" }));
        });

        it("Noncompliance 2b: still reports an explicit 0 as backups off", async () => {
            expectOne(await checkInstance({ ...rdsInstance(), backupRetentionPeriod: 0 }), "rds-backup-retention", db, "backupRetentionPeriod is 0", "automated backups and point-in-time recovery are off");
        });

        it("Noncompliance 3: takes minRetentionDays from config (prod: 14)", async () => {
            expectOne(await checkInstance(rdsInstance(), { minRetentionDays: 14 }), "rds-backup-retention", db, "backupRetentionPeriod is 7", "below the minimum of 14 days");
        });

        it("Noncompliance 4: reports deletion protection off", async () => {
            expectOne(await checkInstance({ ...rdsInstance(), deletionProtection: false }), "rds-backup-retention", db, "deletionProtection is false", "Set deletionProtection: true");
        });

        it("Compliance: does not require deletion protection when config turns it off (dev)", async () => {
            expectNone(await checkInstance({ ...rdsInstance(), deletionProtection: false }, { requireDeletionProtection: false }));
        });

        it("Noncompliance 5: reports skipFinalSnapshot: true", async () => {
            expectOne(await checkInstance({ ...rdsInstance(), skipFinalSnapshot: true }), "rds-backup-retention", db, "skipFinalSnapshot is true", "no final snapshot", "set finalSnapshotIdentifier");
        });

        it("Noncompliance 6: reports unencrypted storage", async () => {
            expectOne(await checkInstance(unset(rdsInstance(), "storageEncrypted")), "rds-backup-retention", db, "storageEncrypted is not set", "Set storageEncrypted: true");
        });

        it("Compliance: judges a read replica on deletion protection only", async () => {
            const replica = { ...unset(unset(rdsInstance(), "backupRetentionPeriod"), "storageEncrypted"), replicateSourceDb: "orders-db-primary", skipFinalSnapshot: true };
            expectNone(await checkInstance(replica));
            expectOne(await checkInstance({ ...replica, deletionProtection: false }), "rds-backup-retention", db, "deletionProtection is false");
        });

        it("Compliance: does not require storageEncrypted on an instance restored from a snapshot", async () => {
            expectNone(await checkInstance({ ...unset(rdsInstance(), "storageEncrypted"), snapshotIdentifier: "orders-snap" }));
        });

        it("Unknown: does not judge values unknown at preview", async () => {
            expectNone(await checkInstance({ ...rdsInstance(), backupRetentionPeriod: UNKNOWN, deletionProtection: UNKNOWN, skipFinalSnapshot: UNKNOWN, storageEncrypted: UNKNOWN }));
        });
    });

    describe("aws:rds/cluster:Cluster", () => {
        it("Compliance: accepts a protected, encrypted cluster with seven days of backups", async () => {
            expectNone(await checkCluster(rdsCluster()));
        });

        it("Noncompliance 1: reports an absent retention as Aurora's default of 1 day", async () => {
            expectOne(await checkCluster(unset(rdsCluster(), "backupRetentionPeriod")), "rds-backup-retention", cluster, "backupRetentionPeriod is not set (RDS then keeps 1 day of automated backups)", "below the minimum of 7 days");
        });

        it("Noncompliance 2: reports skipFinalSnapshot: true", async () => {
            expectOne(await checkCluster({ ...rdsCluster(), skipFinalSnapshot: true }), "rds-backup-retention", cluster, "skipFinalSnapshot is true");
        });

        it("Noncompliance 3: reports an unencrypted provisioned cluster", async () => {
            expectOne(await checkCluster({ ...rdsCluster(), storageEncrypted: false }), "rds-backup-retention", cluster, "storageEncrypted is false");
        });

        it("Compliance: Serverless v1 clusters are encrypted by default", async () => {
            expectNone(await checkCluster({ ...unset(rdsCluster(), "storageEncrypted"), engineMode: "serverless" }));
        });

        it("Unknown: does not judge an engine mode unknown at preview as unencrypted", async () => {
            expectNone(await checkCluster({ ...unset(rdsCluster(), "storageEncrypted"), engineMode: UNKNOWN }));
        });
    });
});
