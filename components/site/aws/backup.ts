// The site's backups with AWS Backup: an encrypted (and, in prod, locked) vault, a plan on the
// configured schedule with continuous backups for point-in-time restore, an optional copy to a
// vault in another region, a selection covering the site's database and bucket, and a weekly
// restore test that proves the recovery points actually restore.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkBackupSchedule, CronError, toAwsCron } from "../../backup/awsCron";
import { assumeRolePolicy, AwsSiteContext, childOptions, managedPolicyArn, physicalName, statefulChildOptions, tagsNamed } from "./context";

// The AWS cron dialect lives beside the five-field parser (pure, for the stack config check).
export { checkBackupSchedule, CronError, toAwsCron };

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

/** Weekly, Sunday 06:00 UTC: restore the latest recovery point of the past week and check it. */
export const RESTORE_TEST_SCHEDULE = "cron(0 6 ? * 1 *)";
/** Days an operator has to remove a vault lock before it becomes immutable (compliance mode). */
export const VAULT_LOCK_GRACE_DAYS = 3;

export interface BackupTarget {
    readonly arn: pulumi.Input<string>;
    /** Restore testing resource type: "Aurora", "RDS" or "S3". */
    readonly restoreTestType: "Aurora" | "RDS" | "S3";
    /** Where a test restore of a database goes (it must land in the site's VPC, not a default one). */
    readonly restoreOverrides?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Short word for names: "db", "objects". */
    readonly label: string;
}

export interface BackupArgs {
    readonly schedule: string;
    readonly retentionDays: number;
    readonly vaultLock: boolean;
    readonly copyRegion?: string;
    readonly targets: readonly BackupTarget[];
}

export interface Backups {
    readonly vault: aws.backup.Vault;
    readonly vaultKey: aws.kms.Key;
    readonly vaultLock?: aws.backup.VaultLockConfiguration;
    readonly plan: aws.backup.Plan;
    readonly selection: aws.backup.Selection;
    readonly role: aws.iam.Role;
    readonly copyProvider?: aws.Provider;
    readonly copyVault?: aws.backup.Vault;
    readonly copyVaultLock?: aws.backup.VaultLockConfiguration;
    readonly restoreTestingPlan: aws.backup.RestoreTestingPlan;
    readonly restoreTestingSelections: aws.backup.RestoreTestingSelection[];
}

export function createBackups(ctx: AwsSiteContext, args: BackupArgs): Backups {
    const opts = childOptions(ctx);
    const vaultKey = new aws.kms.Key(`${ctx.name}-backup`, {
        description: `Encrypts the backup vault of ${ctx.name}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags: tagsNamed(ctx, `${ctx.name}-backup`),
    }, statefulChildOptions(ctx));
    const vault = new aws.backup.Vault(`${ctx.name}-vault`, {
        kmsKeyArn: vaultKey.arn,
        forceDestroy: false,
        tags: tagsNamed(ctx, `${ctx.name}-vault`),
    }, statefulChildOptions(ctx));
    const vaultLock = args.vaultLock ? lockVault(ctx, `${ctx.name}-vault`, vault, args.retentionDays, {}) : undefined;

    let copyProvider: aws.Provider | undefined;
    let copyVault: aws.backup.Vault | undefined;
    let copyVaultLock: aws.backup.VaultLockConfiguration | undefined;
    if (args.copyRegion) {
        // A second provider for the copy region: the copy must survive the loss of the site's region.
        copyProvider = new aws.Provider(`${ctx.name}-backup-copy`, { region: args.copyRegion }, { parent: ctx.parent });
        const copyKey = new aws.kms.Key(`${ctx.name}-backup-copy`, {
            description: `Encrypts the ${args.copyRegion} copy vault of ${ctx.name}`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            tags: tagsNamed(ctx, `${ctx.name}-backup-copy`),
        }, statefulChildOptions(ctx, { provider: copyProvider }));
        copyVault = new aws.backup.Vault(`${ctx.name}-vault-copy`, {
            kmsKeyArn: copyKey.arn,
            forceDestroy: false,
            tags: { ...tagsNamed(ctx, `${ctx.name}-vault-copy`), "copy-of": ctx.region },
        }, statefulChildOptions(ctx, { provider: copyProvider }));
        if (args.vaultLock) copyVaultLock = lockVault(ctx, `${ctx.name}-vault-copy`, copyVault, args.retentionDays, { provider: copyProvider });
    }

    const role = new aws.iam.Role(`${ctx.name}-backup`, {
        assumeRolePolicy: assumeRolePolicy("backup.amazonaws.com"),
        description: `Lets AWS Backup back up and restore ${ctx.name}`,
        tags: tagsNamed(ctx, `${ctx.name}-backup`),
    }, opts);
    const policies = [
        "service-role/AWSBackupServiceRolePolicyForBackup",
        "service-role/AWSBackupServiceRolePolicyForRestores",
        // S3 needs its own pair of managed policies.
        "AWSBackupServiceRolePolicyForS3Backup",
        "AWSBackupServiceRolePolicyForS3Restore",
    ];
    const attachments = policies.map((p) => new aws.iam.RolePolicyAttachment(`${ctx.name}-backup-${p.split("/").pop()?.replace("AWSBackupServiceRolePolicyFor", "").toLowerCase()}`, {
        role: role.name,
        policyArn: managedPolicyArn(ctx, p),
    }, opts));

    const plan = new aws.backup.Plan(`${ctx.name}-backup`, {
        rules: [{
            ruleName: "scheduled",
            targetVaultName: vault.name,
            schedule: toAwsCron(args.schedule),
            // Continuous backups give point-in-time restore (RDS, Aurora, S3) within the retention.
            enableContinuousBackup: true,
            startWindow: 60,
            completionWindow: 24 * 60,
            lifecycle: { deleteAfter: args.retentionDays },
            copyActions: copyVault ? [{ destinationVaultArn: copyVault.arn, lifecycle: { deleteAfter: args.retentionDays } }] : [],
            recoveryPointTags: ctx.tags,
        }],
        tags: tagsNamed(ctx, `${ctx.name}-backup`),
    }, { ...opts, dependsOn: [vaultLock, copyVaultLock].filter((l): l is aws.backup.VaultLockConfiguration => l !== undefined) });

    const selection = new aws.backup.Selection(`${ctx.name}-backup`, {
        name: physicalName([ctx.name, "site"], { maxLength: 50, separator: "-" }),
        planId: plan.id,
        iamRoleArn: role.arn,
        resources: args.targets.map((t) => t.arn),
    }, { ...opts, dependsOn: attachments });

    // Restore testing names allow only letters, digits and underscores, and are unique per account.
    const testPlanName = physicalName([ctx.name, pulumi.getStack()], { maxLength: 40, separator: "_" });
    const restoreTestingPlan = new aws.backup.RestoreTestingPlan(`${ctx.name}-restore-test`, {
        name: testPlanName,
        scheduleExpression: RESTORE_TEST_SCHEDULE,
        startWindowHours: 24,
        recoveryPointSelection: {
            algorithm: "LATEST_WITHIN_WINDOW",
            includeVaults: [vault.arn],
            recoveryPointTypes: ["CONTINUOUS", "SNAPSHOT"],
            selectionWindowDays: 7,
        },
        tags: tagsNamed(ctx, `${ctx.name}-restore-test`),
    }, opts);
    const restoreTestingSelections = args.targets.map((t) => new aws.backup.RestoreTestingSelection(`${ctx.name}-restore-test-${t.label}`, {
        name: physicalName([t.label, ctx.name], { maxLength: 50, separator: "_" }),
        restoreTestingPlanName: restoreTestingPlan.name,
        protectedResourceType: t.restoreTestType,
        protectedResourceArns: [t.arn],
        iamRoleArn: role.arn,
        restoreMetadataOverrides: t.restoreOverrides,
        validationWindowHours: 1,
    }, { ...opts, dependsOn: attachments }));

    return { vault, vaultKey, vaultLock, plan, selection, role, copyProvider, copyVault, copyVaultLock, restoreTestingPlan, restoreTestingSelections };
}

/**
 * Compliance-mode lock: after the grace period nobody, root included, can delete recovery points
 * before `retentionDays` or shorten their retention. The lock itself is as stateful as the vault.
 */
function lockVault(ctx: AwsSiteContext, name: string, vault: aws.backup.Vault, retentionDays: number, extra: pulumi.CustomResourceOptions): aws.backup.VaultLockConfiguration {
    return new aws.backup.VaultLockConfiguration(name, {
        backupVaultName: vault.name,
        minRetentionDays: retentionDays,
        changeableForDays: VAULT_LOCK_GRACE_DAYS,
    }, statefulChildOptions(ctx, extra));
}
