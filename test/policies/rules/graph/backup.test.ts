import { expect } from "chai";
import { backupCrossRegionCopy, backupPlanCoverage, backupVaultLockRequired, veleroScheduleCoverage } from "../../../../policies/rules/graph";
import { arnMatches } from "../../../../policies/rules/graph/backupPlanCoverage";
import { UNKNOWN } from "../../../harness";
import { expectNone, expectOne } from "../support";
import { expectOn, from, judge, Ref, TestStack } from "./stack";

const table = "aws:dynamodb/table:Table";
const vault = "aws:backup/vault:Vault";
const plan = "aws:backup/plan:Plan";
const selection = "aws:backup/selection:Selection";

/** A vault and plan in `provider`'s region whose one rule copies to `copyTo` (if given). */
function backupPlan(stack: TestStack, name: string, provider: Ref | undefined, copyTo?: Ref): Ref {
    const v = stack.add(vault, `${name}-vault`, { name: `${name}-vault` }, { provider });
    return stack.add(
        plan,
        name,
        {
            rules: [
                {
                    ruleName: "daily",
                    targetVaultName: from(v, `${name}-vault`),
                    schedule: "cron(0 5 * * ? *)",
                    ...(copyTo ? { copyActions: [{ destinationVaultArn: from(copyTo) }] } : {}),
                },
            ],
        },
        { provider },
    );
}

describe("backup-plan-coverage", () => {
    it("Compliance: accepts a table listed (by its unknown ARN) in a selection of a plan in its region", async () => {
        const stack = new TestStack();
        const east = stack.awsProvider("east", "us-east-1");
        const t = stack.add(table, "orders", { hashKey: "id" }, { provider: east });
        const p = backupPlan(stack, "plan", east);
        stack.add(selection, "sel", { planId: from(p), iamRoleArn: "arn:aws:iam::123456789012:role/backup", resources: [from(t)] }, { provider: east });
        expectNone(await judge(backupPlanCoverage, stack));
    });

    it("Noncompliance 1: reports a table no selection picks, naming the fix", async () => {
        const stack = new TestStack();
        const t = stack.add(table, "orders", { hashKey: "id" });
        const other = stack.add(table, "sessions", { hashKey: "id" });
        const p = backupPlan(stack, "plan", undefined);
        stack.add(selection, "sel", { planId: from(p), iamRoleArn: "r", resources: [from(other)] });
        void t;
        expectOne(await judge(backupPlanCoverage, stack), "backup-plan-coverage", 'aws:dynamodb/table:Table "orders"', "no AWS Backup selection picks it", "aws.backup.Selection");
    });

    it("Compliance: does not ask a replication destination bucket (a copy of a backed-up bucket) for a plan of its own, nor an EC2 instance (single-machine judges those)", async () => {
        const stack = new TestStack();
        const west = stack.awsProvider("west", "us-west-2");
        const source = stack.add("aws:s3/bucket:Bucket", "uploads", {});
        const copy = stack.add("aws:s3/bucket:Bucket", "uploads-copy", {}, { provider: west });
        stack.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "uploads", { bucket: from(source), role: "r", rules: [{ status: "Enabled", destination: { bucket: from(copy) } }] });
        stack.add("aws:ec2/instance:Instance", "bastion", { ami: "ami-1", instanceType: "t3.micro" });
        const p = backupPlan(stack, "plan", undefined);
        stack.add(selection, "sel", { planId: from(p), iamRoleArn: "r", resources: [from(source)] });
        expectNone(await judge(backupPlanCoverage, stack));
    });

    it("Noncompliance 2: reports every stateful resource of a stack without AWS Backup", async () => {
        const stack = new TestStack();
        stack.add("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql" });
        stack.add("aws:efs/fileSystem:FileSystem", "fs", {});
        stack.add("aws:s3/bucket:Bucket", "assets", {});
        stack.add("aws:rds/instance:Instance", "replica", { replicateSourceDb: "db" });
        const v = await judge(backupPlanCoverage, stack);
        expectOn(v, "assets", "db", "fs");
        expect(v[0].message).to.include("the stack has no aws:backup/selection:Selection");
        expectOn(await judge(backupPlanCoverage, stack, { includeBuckets: false }), "db", "fs");
    });

    it("Noncompliance 3: a selection in another region does not cover the resource", async () => {
        const stack = new TestStack();
        const east = stack.awsProvider("east", "us-east-1");
        const west = stack.awsProvider("west", "us-west-2");
        const t = stack.add(table, "orders", { hashKey: "id" }, { provider: east });
        const p = backupPlan(stack, "plan", west);
        stack.add(selection, "sel", { planId: from(p), iamRoleArn: "r", resources: [from(t)] }, { provider: west });
        expectOne(await judge(backupPlanCoverage, stack), "backup-plan-coverage", '"orders"', "in us-east-1");
    });

    it("Compliance: accepts selection by tag (provider default tags included) and by ARN wildcard", async () => {
        const stack = new TestStack();
        const tagged = stack.add("pulumi:providers:aws", "tagged", { region: "us-east-1", defaultTags: { tags: { backup: "daily" } } });
        stack.add(table, "orders", { hashKey: "id" }, { provider: tagged });
        stack.add("aws:rds/instance:Instance", "db", { identifier: "orders-db", tags: { backup: "daily" } });
        stack.add("aws:efs/fileSystem:FileSystem", "fs", {});
        const p = backupPlan(stack, "plan", undefined);
        stack.add(selection, "by-tag", { planId: from(p), iamRoleArn: "r", selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] });
        stack.add(selection, "by-arn", { planId: from(p), iamRoleArn: "r", resources: ["arn:aws:elasticfilesystem:*:*:file-system/*"] });
        expectNone(await judge(backupPlanCoverage, stack));
    });

    it("Noncompliance 4: a tag selection whose tag the resource lacks, and a notResources exclusion, do not cover", async () => {
        const stack = new TestStack();
        stack.add(table, "orders", { hashKey: "id", tags: { backup: "none" } });
        stack.add(table, "excluded", { hashKey: "id", name: "excluded" });
        const p = backupPlan(stack, "plan", undefined);
        stack.add(selection, "by-tag", { planId: from(p), iamRoleArn: "r", selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] });
        stack.add(selection, "all-but", { planId: from(p), iamRoleArn: "r", resources: ["*"], notResources: ["arn:aws:dynamodb:*:*:table/excluded"], conditions: [{ stringEquals: [{ key: "aws:ResourceTag/backup", value: "daily" }] }] });
        expectOn(await judge(backupPlanCoverage, stack), "excluded", "orders");
    });

    it("Unknown: does not report a resource a selection may pick (unknown list without sources, unknown tags)", async () => {
        const stack = new TestStack();
        stack.add(table, "a", { hashKey: "id", tags: UNKNOWN });
        stack.add(table, "b", { hashKey: "id" });
        const p = backupPlan(stack, "plan", undefined);
        stack.add(selection, "tags", { planId: from(p), iamRoleArn: "r", selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] });
        stack.add(selection, "list", { planId: from(p), iamRoleArn: "r", resources: [UNKNOWN] });
        expectNone(await judge(backupPlanCoverage, stack));
    });

    it("matches ARN patterns against ARNs with unknown parts", () => {
        const arn: Parameters<typeof arnMatches>[1] = ["aws", "rds", "us-east-1", undefined, ["cluster:", undefined]];
        expect(arnMatches("arn:aws:rds:*:*:cluster:*", arn)).to.equal(true);
        expect(arnMatches("arn:aws:rds:us-west-2:*:cluster:*", arn)).to.equal(false);
        expect(arnMatches("arn:aws:dynamodb:*:*:table/*", arn)).to.equal(false);
        expect(arnMatches("arn:aws:rds:*:*:cluster:prod-*", arn)).to.equal(undefined);
        expect(arnMatches("*", arn)).to.equal(true);
    });
});

describe("backup-cross-region-copy", () => {
    it("Compliance: accepts a plan rule copying to a vault in another region", async () => {
        const stack = new TestStack();
        const east = stack.awsProvider("east", "us-east-1");
        const west = stack.awsProvider("west", "us-west-2");
        const dr = stack.add(vault, "dr", {}, { provider: west });
        backupPlan(stack, "plan", east, dr);
        expectNone(await judge(backupCrossRegionCopy, stack));
    });

    it("Noncompliance 1: reports a rule without copyActions", async () => {
        const stack = new TestStack();
        backupPlan(stack, "plan", stack.awsProvider("east", "us-east-1"));
        expectOne(await judge(backupCrossRegionCopy, stack), "backup-cross-region-copy", 'aws:backup/plan:Plan "plan"', 'its rule "daily" has no copyActions', "in us-east-1", "copyActions: [{ destinationVaultArn");
        // requireCrossRegion false (dev) turns the rule off.
        expectNone(await judge(backupCrossRegionCopy, stack, { requireCrossRegion: false }));
    });

    it("Noncompliance 2: reports a rule copying only to a vault in the plan's own region", async () => {
        const stack = new TestStack();
        const east = stack.awsProvider("east", "us-east-1");
        const second = stack.add(vault, "second", {}, { provider: east });
        backupPlan(stack, "plan", east, second);
        expectOne(await judge(backupCrossRegionCopy, stack), "backup-cross-region-copy", 'copies recovery points only within us-east-1 (to aws:backup/vault:Vault "second")');
    });

    it("Noncompliance 3: reads the destination region from a known vault ARN", async () => {
        const stack = new TestStack();
        const east = stack.awsProvider("east", "us-east-1");
        stack.add(plan, "plan", { rules: [{ ruleName: "daily", targetVaultName: "main", copyActions: [{ destinationVaultArn: "arn:aws:backup:us-east-1:123456789012:backup-vault:other" }] }] }, { provider: east });
        expectOne(await judge(backupCrossRegionCopy, stack), "backup-cross-region-copy", "only within us-east-1");
        expectNone(await judge(backupCrossRegionCopy, stack, { requireCrossRegion: false }));
    });

    it("Noncompliance 4: reports Cloud SQL backups pinned to the instance's own region", async () => {
        const stack = new TestStack();
        stack.add("gcp:sql/databaseInstance:DatabaseInstance", "db", { region: "us-central1", settings: { backupConfiguration: { enabled: true, location: "us-central1" } } });
        stack.add("gcp:sql/databaseInstance:DatabaseInstance", "ok", { region: "us-central1", settings: { backupConfiguration: { enabled: true, location: "us" } } });
        stack.add("gcp:sql/databaseInstance:DatabaseInstance", "default", { region: "us-central1", settings: { backupConfiguration: { enabled: true } } });
        expectOne(await judge(backupCrossRegionCopy, stack), "backup-cross-region-copy", 'gcp:sql/databaseInstance:DatabaseInstance "db"', 'settings.backupConfiguration.location is "us-central1"');
    });

    it("Unknown: does not judge unknown rules, copy actions or regions", async () => {
        const stack = new TestStack();
        stack.add(plan, "a", { rules: UNKNOWN });
        stack.add(plan, "b", { rules: [{ ruleName: "r", targetVaultName: "v", copyActions: UNKNOWN }] });
        const p = stack.add("pulumi:providers:aws", "p", { region: UNKNOWN });
        const v = stack.add(vault, "v", {}, { provider: p });
        stack.add(plan, "c", { rules: [{ ruleName: "r", targetVaultName: "x", copyActions: [{ destinationVaultArn: from(v) }] }] });
        expectNone(await judge(backupCrossRegionCopy, stack));
    });
});

describe("backup-vault-lock-required", () => {
    it("Compliance: says nothing unless requireVaultLock is set", async () => {
        const stack = new TestStack();
        stack.add(vault, "main", {});
        expectNone(await judge(backupVaultLockRequired, stack));
    });

    it("Noncompliance 1: with requireVaultLock, reports a vault without a lock", async () => {
        const stack = new TestStack();
        const locked = stack.add(vault, "locked", {});
        stack.add("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "lock", { backupVaultName: from(locked), minRetentionDays: 7 });
        stack.add(vault, "open", {});
        expectOne(await judge(backupVaultLockRequired, stack, { requireVaultLock: true }), "backup-vault-lock-required", 'aws:backup/vault:Vault "open"', "aws.backup.VaultLockConfiguration");
    });

    it("Unknown: a lock whose vault cannot be told may be any vault's", async () => {
        const stack = new TestStack();
        stack.add(vault, "a", {});
        stack.add("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "lock", { backupVaultName: UNKNOWN });
        expectNone(await judge(backupVaultLockRequired, stack, { requireVaultLock: true }));
    });
});

describe("velero-schedule-coverage", () => {
    const pg = { metadata: { name: "pg", namespace: "data" }, spec: { replicas: 3, template: { spec: { containers: [{ name: "pg", image: "postgres:16" }] } } } };
    const schedule = (template: Record<string, unknown>) => ({ apiVersion: "velero.io/v1", kind: "Schedule", metadata: { name: "daily", namespace: "velero" }, spec: { schedule: "0 3 * * *", template } });

    it("Compliance: accepts a schedule including the namespace, and one including every namespace", async () => {
        const stack = new TestStack();
        stack.add("kubernetes:apps/v1:StatefulSet", "pg", pg);
        stack.add("kubernetes:velero.io/v1:Schedule", "daily", schedule({ includedNamespaces: ["data"], snapshotVolumes: true }));
        expectNone(await judge(veleroScheduleCoverage, stack));
        const all = new TestStack();
        all.add("kubernetes:apps/v1:StatefulSet", "pg", pg);
        all.add("kubernetes:velero.io/v1:Schedule", "daily", schedule({ includedNamespaces: ["*"] }));
        expectNone(await judge(veleroScheduleCoverage, all));
    });

    it("Noncompliance 1: reports stateful workloads when the stack has no Velero schedule", async () => {
        const stack = new TestStack();
        stack.add("kubernetes:apps/v1:StatefulSet", "pg", pg);
        stack.add("kubernetes:core/v1:PersistentVolumeClaim", "uploads", { metadata: { namespace: "web" }, spec: { resources: { requests: { storage: "1Gi" } } } });
        stack.add("kubernetes:apps/v1:Deployment", "web", { metadata: { namespace: "web" } });
        const v = await judge(veleroScheduleCoverage, stack);
        expectOn(v, "pg", "uploads");
        expect(v.map((x) => x.message).join("\n")).to.include("the stack has no velero.io/v1 Schedule").and.to.include('includedNamespaces contains "data"');
    });

    it("Noncompliance 2: reports a namespace the schedule leaves out, or excludes, or whose volumes it skips", async () => {
        const stack = new TestStack();
        stack.add("kubernetes:apps/v1:StatefulSet", "pg", pg);
        stack.add("kubernetes:velero.io/v1:Schedule", "other", schedule({ includedNamespaces: ["web"] }));
        stack.add("kubernetes:velero.io/v1:Schedule", "excluding", schedule({ excludedNamespaces: ["data"] }));
        stack.add("kubernetes:velero.io/v1:Schedule", "manifests-only", schedule({ includedNamespaces: ["data"], snapshotVolumes: false }));
        expectOne(await judge(veleroScheduleCoverage, stack), "velero-schedule-coverage", 'kubernetes:apps/v1:StatefulSet "pg"', 'namespace "data"');
    });

    it("Noncompliance 3: a schedule in another cluster does not cover the workload", async () => {
        const stack = new TestStack();
        const east = stack.awsProvider("east", "us-east-1");
        const a = stack.add("aws:eks/cluster:Cluster", "a", {}, { provider: east });
        const b = stack.add("aws:eks/cluster:Cluster", "b", {}, { provider: east });
        const ka = stack.add("pulumi:providers:kubernetes", "a", { kubeconfig: from(a) });
        const kb = stack.add("pulumi:providers:kubernetes", "b", { kubeconfig: from(b) });
        stack.add("kubernetes:apps/v1:StatefulSet", "pg", pg, { provider: ka });
        stack.add("kubernetes:velero.io/v1:Schedule", "daily", schedule({ includedNamespaces: ["*"] }), { provider: kb });
        expectOne(await judge(veleroScheduleCoverage, stack), "velero-schedule-coverage", '"pg"', 'aws:eks/cluster:Cluster "a"');
    });

    it("Compliance: accepts schedules from a Velero Helm release's values, and a CloudNativePG ScheduledBackup", async () => {
        const stack = new TestStack();
        stack.add("kubernetes:apps/v1:StatefulSet", "pg", pg);
        stack.add("kubernetes:helm.sh/v3:Release", "velero", { chart: "velero", values: { schedules: { daily: { schedule: "0 3 * * *", template: { includedNamespaces: ["data"] } } } } });
        stack.add("kubernetes:postgresql.cnpg.io/v1:Cluster", "orders", { metadata: { name: "orders", namespace: "db" }, spec: { instances: 3 } });
        stack.add("kubernetes:postgresql.cnpg.io/v1:ScheduledBackup", "orders-daily", { metadata: { namespace: "db" }, spec: { schedule: "0 0 3 * * *", cluster: { name: "orders" } } });
        expectNone(await judge(veleroScheduleCoverage, stack));
    });

    it("Unknown: a namespace from a Namespace resource, or a schedule template, that is unknown is not judged", async () => {
        const stack = new TestStack();
        const ns = stack.add("kubernetes:core/v1:Namespace", "data", {});
        stack.add("kubernetes:apps/v1:StatefulSet", "pg", { ...pg, metadata: { namespace: from(ns) } });
        stack.add("kubernetes:velero.io/v1:Schedule", "daily", schedule({ includedNamespaces: [from(ns)] }));
        stack.add("kubernetes:core/v1:PersistentVolumeClaim", "pvc", { metadata: { namespace: "x" } });
        stack.add("kubernetes:velero.io/v1:Schedule", "unknown", { spec: { template: UNKNOWN } });
        expectNone(await judge(veleroScheduleCoverage, stack));
    });
});
