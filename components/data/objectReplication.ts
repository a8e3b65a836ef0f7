// Copies the objects of one site's bucket to the buckets of the other sites, with the mechanism
// each cloud pair offers:
//   AWS → AWS  S3 cross-region replication (one configuration per source bucket, one rule per
//              destination; delete markers replicated; Replication Time Control: 99.99 % of
//              objects within 15 minutes, with metrics)
//   AWS → GCP  Storage Transfer Service job reading S3 through a web-identity role, every hour
//   GCP → GCP  Storage Transfer Service event-driven replication job (replicationSpec)
//   GCP → AWS  DataSync agentless cross-cloud task (GCS XML API with an HMAC key), every hour
// Kubernetes sites keep no managed bucket: nothing to replicate (warned).
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Cloud, SiteBucket } from "../site/site";
import { hash } from "./names";

export type ObjectReplicationMechanism = "s3-replication" | "storage-transfer" | "storage-transfer-replication" | "datasync" | "none";

/** Replication Time Control: the one threshold S3 offers. */
export const S3_REPLICATION_TIME_MINUTES = 15;

/** A date in the past: scheduled transfers start at once and then repeat. Fixed so that it never shows as a diff. */
export const TRANSFER_START_DATE = { year: 2025, month: 1, day: 1 } as const;

export function objectReplicationMechanism(from: Cloud, to: Cloud): ObjectReplicationMechanism {
    if (from === "aws" && to === "aws") return "s3-replication";
    if (from === "aws" && to === "gcp") return "storage-transfer";
    if (from === "gcp" && to === "gcp") return "storage-transfer-replication";
    if (from === "gcp" && to === "aws") return "datasync";
    return "none";
}

export interface AwsAccessKey {
    readonly accessKeyId: pulumi.Input<string>;
    /** Pass a Pulumi secret. */
    readonly secretAccessKey: pulumi.Input<string>;
}

export interface ObjectReplicationArgs {
    readonly source: SiteBucket;
    readonly destinations: readonly SiteBucket[];
    /** How often a scheduled transfer (S3 → GCS, GCS → S3) copies new and changed objects. @default 3600 */
    readonly transferIntervalSeconds?: number;
    /** Project of Storage Transfer jobs and the HMAC key's service account. @default the provider's project */
    readonly gcpProject?: string;
    /**
     * Role Storage Transfer assumes to read S3 (trusting Google's web identity for the project's
     * transfer service account). @default a role this component creates
     */
    readonly awsRoleArn?: pulumi.Input<string>;
    /** Access keys Storage Transfer reads S3 with, instead of a role. Pass secrets. @default none: a role */
    readonly awsAccessKey?: AwsAccessKey;
    /** @default {} */
    readonly tags?: Readonly<Record<string, string>>;
}

interface ResolvedArgs {
    readonly source: SiteBucket;
    readonly destinations: readonly SiteBucket[];
    readonly transferIntervalSeconds: number;
    readonly gcpProject?: string;
    readonly awsRoleArn?: pulumi.Input<string>;
    readonly awsAccessKey?: AwsAccessKey;
    readonly tags: Readonly<Record<string, string>>;
}

export function resolveObjectReplicationDefaults(args: ObjectReplicationArgs): ResolvedArgs {
    return { ...args, transferIntervalSeconds: args.transferIntervalSeconds ?? 3600, tags: args.tags ?? {} };
}

export function validateObjectReplicationArgs(args: ObjectReplicationArgs): string[] {
    const issues: string[] = [];
    if (args.destinations.length === 0) issues.push("destinations: is empty; give at least one bucket to replicate to");
    args.destinations.forEach((d, i) => {
        if (d.cloud === args.source.cloud && d.location === args.source.location) {
            issues.push(`destinations[${i}]: is in ${d.cloud} ${d.location}, the source bucket's own region; a copy there does not survive a regional outage`);
        }
    });
    const interval = args.transferIntervalSeconds;
    if (interval !== undefined && (!Number.isInteger(interval) || interval % 3600 !== 0 || interval < 3600 || interval > 86400 * 7)) {
        issues.push(`transferIntervalSeconds: ${interval} is not a whole number of hours from 1 to 168; scheduled transfers repeat at most hourly (e.g. 3600)`);
    }
    if (args.awsRoleArn !== undefined && args.awsAccessKey !== undefined) issues.push("awsRoleArn and awsAccessKey: give one way for Storage Transfer to read S3, not both");
    return issues;
}

/** A name for one source → destination pair. */
function pairName(name: string, to: SiteBucket): string {
    return `${name}-to-${to.cloud}-${to.location}`;
}

export class ObjectReplication extends pulumi.ComponentResource {
    /** How each destination is fed, by `<cloud>-<location>`. */
    public readonly mechanisms: Readonly<Record<string, ObjectReplicationMechanism>>;

    constructor(name: string, args: ObjectReplicationArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:data:ObjectReplication", name, {}, opts);
        const issues = validateObjectReplicationArgs(args);
        if (issues.length > 0) throw new pulumi.ResourceError(`ObjectReplication "${name}" has invalid args:\n  ${issues.join("\n  ")}`, this);
        const a = resolveObjectReplicationDefaults(args);
        const mechanisms: Record<string, ObjectReplicationMechanism> = {};
        const s3Destinations: SiteBucket[] = [];
        for (const dest of a.destinations) {
            const mechanism = objectReplicationMechanism(a.source.cloud, dest.cloud);
            mechanisms[`${dest.cloud}-${dest.location}`] = mechanism;
            switch (mechanism) {
                case "s3-replication":
                    s3Destinations.push(dest); // one configuration for all of them, below
                    break;
                case "storage-transfer":
                    transferS3ToGcs(this, name, a, dest);
                    break;
                case "storage-transfer-replication":
                    replicateGcsToGcs(this, name, a, dest);
                    break;
                case "datasync":
                    syncGcsToS3(this, name, a, dest);
                    break;
                case "none":
                    pulumi.log.warn(
                        `ObjectReplication ${name}: no managed object replication from ${a.source.cloud} ${a.source.location} to ${dest.cloud} ${dest.location}; ` +
                            "replicate the objects with the application or an in-cluster tool (e.g. rclone), or keep objects on AWS or GCP",
                        this,
                    );
                    break;
            }
        }
        if (s3Destinations.length > 0) replicateS3ToS3(this, name, a, s3Destinations);
        this.mechanisms = mechanisms;
        this.registerOutputs({ mechanisms });
    }
}

// ---------------------------------------------------------------------------------------------
// AWS → AWS
// ---------------------------------------------------------------------------------------------

function s3Arn(bucket: SiteBucket): pulumi.Output<string> {
    return pulumi.interpolate`arn:aws:s3:::${bucket.name}`;
}

/** S3 allows one replication configuration per bucket: every AWS destination is one rule of it. */
export function replicateS3ToS3(parent: pulumi.Resource, name: string, a: ResolvedArgs, destinations: readonly SiteBucket[]): aws.s3.BucketReplicationConfig {
    const source = a.source;
    const role = new aws.iam.Role(
        `${name}-s3-replication`,
        {
            description: `S3 replication of ${source.location} objects to ${destinations.map((d) => d.location).join(", ")}`,
            assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
            tags: { ...a.tags },
        },
        { parent },
    );
    const keyStatements = [
        ...(source.kmsKeyArn ? [{ Effect: "Allow", Action: ["kms:Decrypt"], Resource: [source.kmsKeyArn] }] : []),
        ...destinations.filter((d) => d.kmsKeyArn).map((d) => ({ Effect: "Allow", Action: ["kms:Encrypt"], Resource: [d.kmsKeyArn] })),
    ];
    new aws.iam.RolePolicy(
        `${name}-s3-replication`,
        {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: [s3Arn(source)] },
                    {
                        Effect: "Allow",
                        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                        Resource: [pulumi.interpolate`${s3Arn(source)}/*`],
                    },
                    {
                        Effect: "Allow",
                        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                        Resource: destinations.map((d) => pulumi.interpolate`${s3Arn(d)}/*`),
                    },
                    ...keyStatements,
                ],
            }),
        },
        { parent },
    );
    return new aws.s3.BucketReplicationConfig(
        `${name}-s3-replication`,
        {
            // The configuration lives with the source bucket, in its region.
            region: source.location,
            bucket: source.name,
            role: role.arn,
            rules: destinations.map((dest, i) => ({
                id: `to-${dest.location}`,
                priority: i,
                status: "Enabled",
                // An empty filter selects every object (V2 schema, required for delete-marker replication).
                filter: {},
                deleteMarkerReplication: { status: "Enabled" },
                ...(source.kmsKeyArn ? { sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } } } : {}),
                destination: {
                    bucket: s3Arn(dest),
                    storageClass: "STANDARD",
                    replicationTime: { status: "Enabled", time: { minutes: S3_REPLICATION_TIME_MINUTES } },
                    metrics: { status: "Enabled", eventThreshold: { minutes: S3_REPLICATION_TIME_MINUTES } },
                    ...(dest.kmsKeyArn ? { encryptionConfiguration: { replicaKmsKeyId: dest.kmsKeyArn } } : {}),
                },
            })),
        },
        { parent },
    );
}

// ---------------------------------------------------------------------------------------------
// AWS → GCP
// ---------------------------------------------------------------------------------------------

/**
 * The project's Storage Transfer service account. The lookup calls the Storage Transfer API, so it
 * waits for the destination bucket, which the GCP site creates only after enabling that API (on a
 * fresh project the lookup would otherwise fail at preview with SERVICE_DISABLED).
 */
function transferServiceAccount(parent: pulumi.Resource, a: ResolvedArgs, dest: SiteBucket): pulumi.Output<gcp.storage.GetTransferProjectServiceAccountResult> {
    return gcp.storage.getTransferProjectServiceAccountOutput({ project: dest.name.apply(() => a.gcpProject) }, { parent });
}

/** Hourly (by default) Storage Transfer job S3 → GCS; never deletes from either side. */
export function transferS3ToGcs(parent: pulumi.Resource, name: string, a: ResolvedArgs, dest: SiteBucket): gcp.storage.TransferJob {
    const base = pairName(name, dest);
    const transferAccount = transferServiceAccount(parent, a, dest);
    const sinkGrants = ["roles/storage.objectAdmin", "roles/storage.legacyBucketWriter"].map(
        (role) =>
            new gcp.storage.BucketIAMMember(
                `${base}-sts-${role.split(".").pop()}`,
                { bucket: dest.name, role, member: pulumi.interpolate`serviceAccount:${transferAccount.email}` },
                { parent },
            ),
    );
    const credentials = a.awsAccessKey
        ? { awsAccessKey: { accessKeyId: a.awsAccessKey.accessKeyId, secretAccessKey: pulumi.secret(a.awsAccessKey.secretAccessKey) } }
        : { roleArn: a.awsRoleArn ?? storageTransferReaderRole(parent, base, a, transferAccount.subjectId).arn };
    return new gcp.storage.TransferJob(
        base,
        {
            project: a.gcpProject,
            description: `nonstop: copy objects of S3 ${a.source.location} to GCS ${dest.location}`,
            transferSpec: {
                awsS3DataSource: { bucketName: a.source.name, ...credentials },
                gcsDataSink: { bucketName: dest.name },
                // Deletions are not propagated: a standby keeps what the primary lost by mistake.
                transferOptions: { overwriteWhen: "DIFFERENT", deleteObjectsUniqueInSink: false, deleteObjectsFromSourceAfterTransfer: false },
            },
            schedule: { scheduleStartDate: { ...TRANSFER_START_DATE }, repeatInterval: `${a.transferIntervalSeconds}s` },
            status: "ENABLED",
        },
        { parent, dependsOn: sinkGrants },
    );
}

/** Read-only role on the source bucket that Google's transfer service assumes with its own identity. */
function storageTransferReaderRole(parent: pulumi.Resource, base: string, a: ResolvedArgs, googleSubject: pulumi.Output<string>): aws.iam.Role {
    const role = new aws.iam.Role(
        `${base}-reader`,
        {
            description: `Storage Transfer Service reads S3 ${a.source.location} objects`,
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Federated: "accounts.google.com" },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: { StringEquals: { "accounts.google.com:sub": googleSubject } },
                    },
                ],
            }),
            tags: { ...a.tags },
        },
        { parent },
    );
    new aws.iam.RolePolicy(
        `${base}-reader`,
        {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: [s3Arn(a.source)] },
                    { Effect: "Allow", Action: ["s3:GetObject"], Resource: [pulumi.interpolate`${s3Arn(a.source)}/*`] },
                    ...(a.source.kmsKeyArn ? [{ Effect: "Allow", Action: ["kms:Decrypt"], Resource: [a.source.kmsKeyArn] }] : []),
                ],
            }),
        },
        { parent },
    );
    return role;
}

// ---------------------------------------------------------------------------------------------
// GCP → GCP
// ---------------------------------------------------------------------------------------------

/** Event-driven cross-bucket replication: new and changed objects are copied as they are written. */
export function replicateGcsToGcs(parent: pulumi.Resource, name: string, a: ResolvedArgs, dest: SiteBucket): gcp.storage.TransferJob {
    const base = pairName(name, dest);
    const transferAccount = transferServiceAccount(parent, a, dest);
    const member = pulumi.interpolate`serviceAccount:${transferAccount.email}`;
    const grants = [
        ...["roles/storage.objectViewer", "roles/storage.legacyBucketReader"].map((role) => ({ bucket: a.source.name, role, side: "source" })),
        ...["roles/storage.objectAdmin", "roles/storage.legacyBucketWriter"].map((role) => ({ bucket: dest.name, role, side: "sink" })),
    ].map((g) => new gcp.storage.BucketIAMMember(`${base}-sts-${g.side}-${g.role.split(".").pop()}`, { bucket: g.bucket, role: g.role, member }, { parent }));
    return new gcp.storage.TransferJob(
        base,
        {
            project: a.gcpProject,
            description: `nonstop: replicate objects of GCS ${a.source.location} to GCS ${dest.location}`,
            replicationSpec: {
                gcsDataSource: { bucketName: a.source.name },
                gcsDataSink: { bucketName: dest.name },
                transferOptions: { overwriteWhen: "DIFFERENT", deleteObjectsUniqueInSink: false },
            },
            status: "ENABLED",
        },
        { parent, dependsOn: grants },
    );
}

// ---------------------------------------------------------------------------------------------
// GCP → AWS
// ---------------------------------------------------------------------------------------------

/**
 * Storage Transfer cannot write to S3, so AWS DataSync pulls from GCS through its S3-compatible
 * XML API (agentless, Enhanced mode) with an HMAC key of a read-only service account.
 */
export function syncGcsToS3(parent: pulumi.Resource, name: string, a: ResolvedArgs, dest: SiteBucket): aws.datasync.Task {
    const base = pairName(name, dest);
    const reader = new gcp.serviceaccount.Account(
        `${base}-reader`,
        { project: a.gcpProject, accountId: `nonstop-ds-${hash(`${pulumi.getProject()}/${pulumi.getStack()}/${base}`)}`, displayName: `DataSync reads GCS ${a.source.location} objects` },
        { parent },
    );
    const grants = ["roles/storage.objectViewer", "roles/storage.legacyBucketReader"].map(
        (role) => new gcp.storage.BucketIAMMember(`${base}-reader-${role.split(".").pop()}`, { bucket: a.source.name, role, member: pulumi.interpolate`serviceAccount:${reader.email}` }, { parent }),
    );
    const hmac = new gcp.storage.HmacKey(`${base}-reader`, { project: a.gcpProject, serviceAccountEmail: reader.email }, { parent, dependsOn: grants });
    const source = new aws.datasync.LocationObjectStorage(
        `${base}-gcs`,
        {
            region: dest.location,
            serverHostname: "storage.googleapis.com",
            serverProtocol: "HTTPS",
            serverPort: 443,
            bucketName: a.source.name,
            accessKey: hmac.accessId,
            secretKey: hmac.secret,
            tags: { ...a.tags },
        },
        { parent },
    );
    const writer = new aws.iam.Role(
        `${base}-writer`,
        {
            description: `DataSync writes GCS ${a.source.location} objects into S3 ${dest.location}`,
            assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "datasync.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
            tags: { ...a.tags },
        },
        { parent },
    );
    new aws.iam.RolePolicy(
        `${base}-writer`,
        {
            role: writer.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], Resource: [s3Arn(dest)] },
                    {
                        Effect: "Allow",
                        Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:GetObjectTagging", "s3:ListMultipartUploadParts", "s3:PutObject", "s3:PutObjectTagging"],
                        Resource: [pulumi.interpolate`${s3Arn(dest)}/*`],
                    },
                    ...(dest.kmsKeyArn ? [{ Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"], Resource: [dest.kmsKeyArn] }] : []),
                ],
            }),
        },
        { parent },
    );
    const target = new aws.datasync.S3Location(
        `${base}-s3`,
        { region: dest.location, s3BucketArn: s3Arn(dest), subdirectory: "/", s3Config: { bucketAccessRoleArn: writer.arn }, tags: { ...a.tags } },
        { parent },
    );
    return new aws.datasync.Task(
        base,
        {
            region: dest.location,
            name: base,
            sourceLocationArn: source.arn,
            destinationLocationArn: target.arn,
            taskMode: "ENHANCED",
            schedule: { scheduleExpression: a.transferIntervalSeconds === 3600 ? "rate(1 hour)" : `rate(${a.transferIntervalSeconds / 3600} hours)` },
            // Changed objects only; objects deleted at the source are kept (as with the other mechanisms).
            options: { transferMode: "CHANGED", preserveDeletedFiles: "PRESERVE", overwriteMode: "ALWAYS", verifyMode: "ONLY_FILES_TRANSFERRED", logLevel: "OFF" },
            tags: { ...a.tags },
        },
        { parent },
    );
}
