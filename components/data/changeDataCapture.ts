// Keeps a database on another cloud in step with the primary's: a full load of every table, then
// change data capture (CDC) from the primary's log. The same pipeline is the zero-downtime
// migration path between clouds: full load, CDC until the lag is near zero, then switch traffic.
//
//   either side on AWS      AWS DMS in the AWS side's VPC: a Multi-AZ replication instance (a
//                           standby in a second zone takes over within minutes), source and
//                           target endpoints over TLS, one full-load-and-cdc task over all tables,
//                           an EventBridge rule on the task's state changes and alarms on its CDC
//                           latency (source and target), all to the AWS side's alert topic
//   Kubernetes → GCP        GCP Database Migration Service CONTINUOUS job into the Cloud SQL
//                           instance the GCP site runs
//   GCP → Kubernetes        no managed service writes to a self-run database: not created, a
//                           warning says so (use native logical replication or Debezium)
//
// Same-cloud pairs never come here: AWS sites join an Aurora Global Database, GCP sites run a
// Cloud SQL cross-region replica and Kubernetes sites run a CloudNativePG replica cluster
// (SiteDataArgs.replicaOf), all with lower lag than CDC.
//
// Following the writer: an AWS source is read through its `writerHost`, the Aurora global writer
// endpoint, so after a promotion the task reconnects to the new writer by itself (when the DMS
// instance survives and the peering reaches it). Logical replication slots do not move with a
// promotion, so the task then fails and its state alarm fires: reload it (docs/services.md).
//
// The network path: the replication instance is private and leaves through the AWS site's NAT
// gateways; the other side admits exactly those addresses (`SiteDatabaseNetwork.egressIps`: Cloud
// SQL authorized networks, the CloudNativePG external Service's source ranges) and every
// connection is TLS (`sslMode: require`; Cloud SQL refuses unencrypted ones). The service
// component wires that; here the other side is reached at its `externalHost`.
//
// Prerequisites outside this component (see docs/services.md): logical replication on the source
// (Aurora `rds.logical_replication=1`, Cloud SQL `cloudsql.logical_decoding=on`, binlog_format ROW
// for MySQL) and the account-wide `dms-vpc-role`.
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Cloud, SiteDatabase } from "../site/site";
import { dmsIdentifier } from "./names";

export { dmsIdentifier };

export type CdcMechanism = "aws-dms" | "gcp-dms" | "none";

/** How sites of one cloud replicate between themselves, given `data.replicaOf`. */
export const SAME_CLOUD_REPLICATION: Readonly<Record<Cloud, string>> = {
    aws: "Aurora Global Database",
    gcp: "Cloud SQL cross-region replica",
    kubernetes: "streaming replication from the upstream cluster",
};

export function cdcMechanism(source: Cloud, target: Cloud): CdcMechanism {
    if (source === "aws" || target === "aws") return "aws-dms";
    if (target === "gcp") return "gcp-dms";
    return "none";
}

/** Every table of every schema (system schemas are never replicated by DMS). */
export const INCLUDE_ALL_TABLES = JSON.stringify({
    rules: [{ "rule-type": "selection", "rule-id": "1", "rule-name": "include-all", "object-locator": { "schema-name": "%", "table-name": "%" }, "rule-action": "include" }],
});

/** Task settings: tables already exist on the target (the site created the schema owner), validate rows, log to CloudWatch. */
export const DMS_TASK_SETTINGS = JSON.stringify({
    TargetMetadata: { SupportLobs: true, LimitedSizeLobMode: true, LobMaxSize: 32 },
    FullLoadSettings: { TargetTablePrepMode: "DO_NOTHING" },
    ValidationSettings: { EnableValidation: true },
    Logging: { EnableLogging: true },
});

export interface ChangeDataCaptureArgs {
    /** The primary's database (the writer). */
    readonly source: SiteDatabase;
    /** The other site's database, kept in step. */
    readonly target: SiteDatabase;
    /** DMS replication instance class. @default "dms.r6i.large" */
    readonly instanceClass?: string;
    /** DMS instance storage for logs and cached changes, GiB. @default 100 */
    readonly allocatedStorageGb?: number;
    /** Give the DMS instance a public IP (only without a VPN between the clouds). @default false */
    readonly publiclyAccessible?: boolean;
    /** Project of GCP Database Migration Service resources. @default the provider's project */
    readonly gcpProject?: string;
    /** Region of GCP Database Migration Service resources. @default the target's location */
    readonly gcpRegion?: string;
    /** PEM CA of the source server, so GCP DMS connects over TLS. @default none */
    readonly sourceCaCertificate?: pulumi.Input<string>;
    /** SNS topic in the AWS side's region for the task's state changes and latency alarms (AWS DMS). @default none: the alarms have no action */
    readonly alertTopicArn?: pulumi.Input<string>;
    /** CDC latency (source or target) above which the alarm fires, in seconds, for 3 of 5 minutes. @default 60 */
    readonly maxLatencySeconds?: number;
    /** @default {} */
    readonly tags?: Readonly<Record<string, string>>;
}

interface ResolvedArgs {
    readonly source: SiteDatabase;
    readonly target: SiteDatabase;
    readonly instanceClass: string;
    readonly allocatedStorageGb: number;
    readonly publiclyAccessible: boolean;
    readonly gcpProject?: string;
    readonly gcpRegion: string;
    readonly sourceCaCertificate?: pulumi.Input<string>;
    readonly alertTopicArn?: pulumi.Input<string>;
    readonly maxLatencySeconds: number;
    readonly tags: Readonly<Record<string, string>>;
}

export function resolveCdcDefaults(args: ChangeDataCaptureArgs): ResolvedArgs {
    return {
        ...args,
        instanceClass: args.instanceClass ?? "dms.r6i.large",
        allocatedStorageGb: args.allocatedStorageGb ?? 100,
        publiclyAccessible: args.publiclyAccessible ?? false,
        gcpRegion: args.gcpRegion ?? args.target.location,
        maxLatencySeconds: args.maxLatencySeconds ?? 60,
        tags: args.tags ?? {},
    };
}

export function validateChangeDataCaptureArgs(args: ChangeDataCaptureArgs): string[] {
    const issues: string[] = [];
    const { source, target } = args;
    if (source.engine !== target.engine) {
        issues.push(`target.engine: "${target.engine}" differs from source.engine "${source.engine}"; change data capture here is homogeneous, use the same engine on both sites`);
    }
    if (source.cloud === target.cloud) {
        issues.push(`source/target: both databases are on ${source.cloud}; replicate within a cloud with the site's replicaOf (${SAME_CLOUD_REPLICATION[source.cloud]}), not change data capture`);
    }
    if (source.cloud === target.cloud && source.location === target.location) {
        issues.push(`target: is in ${target.cloud} ${target.location}, the source's own location; a copy there does not survive its outage`);
    }
    if (cdcMechanism(source.cloud, target.cloud) === "aws-dms") {
        const aws = source.cloud === "aws" ? source : target;
        const side = aws === source ? "source" : "target";
        if (!aws.network) {
            issues.push(`${side}.network: the AWS database in ${aws.location} does not say which VPC, subnets and security group reach it; DMS must run there (the AWS site sets SiteDatabase.network)`);
        } else if (aws.network.subnetIds.length < 2) {
            issues.push(`${side}.network.subnetIds: ${aws.network.subnetIds.length} subnet(s); a Multi-AZ DMS instance needs subnets in at least 2 availability zones`);
        }
    }
    if (args.instanceClass !== undefined && !/^dms\.[a-z0-9]+\.[a-z0-9]+$/.test(args.instanceClass)) {
        issues.push(`instanceClass: "${args.instanceClass}" is not a DMS instance class; expected e.g. dms.r6i.large`);
    }
    if (args.maxLatencySeconds !== undefined && !(args.maxLatencySeconds > 0)) issues.push(`maxLatencySeconds: ${args.maxLatencySeconds} must be a positive number of seconds`);
    const storage = args.allocatedStorageGb;
    if (storage !== undefined && (!Number.isInteger(storage) || storage < 5 || storage > 6144)) issues.push(`allocatedStorageGb: ${storage} is out of range; expected 5-6144 GiB`);
    return issues;
}

/** What the pipeline is made of, for outputs and tests. */
export interface CdcPipeline {
    readonly mechanism: CdcMechanism;
    /** DMS task ARN or GCP migration job name. */
    readonly jobId?: pulumi.Output<string>;
}

/**
 * The address DMS connects to: an AWS source through the endpoint that follows a promotion (the
 * global writer endpoint), an AWS target at its own primary, another cloud's database at the
 * address it publishes outside its network.
 */
export function replicationAddress(db: SiteDatabase, role: "source" | "target"): pulumi.Output<string> {
    if (db.cloud === "aws") return role === "source" ? db.writerHost : db.host;
    return db.externalHost ?? db.host;
}

export class ChangeDataCapture extends pulumi.ComponentResource {
    public readonly mechanism: CdcMechanism;
    public readonly jobId?: pulumi.Output<string>;

    constructor(name: string, args: ChangeDataCaptureArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:data:ChangeDataCapture", name, {}, opts);
        const issues = validateChangeDataCaptureArgs(args);
        if (issues.length > 0) throw new pulumi.ResourceError(`ChangeDataCapture "${name}" has invalid args:\n  ${issues.join("\n  ")}`, this);
        const a = resolveCdcDefaults(args);
        const mechanism = cdcMechanism(a.source.cloud, a.target.cloud);
        let pipeline: CdcPipeline;
        switch (mechanism) {
            case "aws-dms":
                pipeline = createAwsDms(this, name, a);
                break;
            case "gcp-dms":
                pipeline = createGcpDms(this, name, a);
                break;
            case "none":
                pulumi.log.warn(
                    `ChangeDataCapture ${name}: no managed service replicates ${a.source.cloud} ${a.source.location} into a self-run ${a.target.engine} on ${a.target.cloud} ${a.target.location}; ` +
                        `that site's data is NOT kept in step. Use native logical replication (${a.target.engine === "postgres" ? "CREATE SUBSCRIPTION" : "a binlog replica"}) or Debezium in the cluster`,
                    this,
                );
                pipeline = { mechanism };
                break;
        }
        this.mechanism = pipeline.mechanism;
        this.jobId = pipeline.jobId;
        this.registerOutputs({ mechanism: this.mechanism, jobId: this.jobId });
    }
}

/** DMS in the AWS side's VPC and region. */
export function createAwsDms(parent: pulumi.Resource, name: string, a: ResolvedArgs): CdcPipeline {
    const awsSide = a.source.cloud === "aws" ? a.source : a.target;
    const network = awsSide.network;
    if (!network) throw new pulumi.ResourceError(`ChangeDataCapture ${name}: the AWS database has no network`, parent);
    const region = awsSide.location;
    // Identifiers are unique per account and region: several stacks may share an account.
    const stack = pulumi.getStack();
    const tags = { ...a.tags, "nonstop:replication": `${a.source.cloud}-${a.source.location}->${a.target.cloud}-${a.target.location}` };
    const opts = { parent };

    const securityGroup = new aws.ec2.SecurityGroup(`${name}-dms`, { region, vpcId: network.vpcId, description: `DMS replication ${name}: reaches both databases`, tags }, opts);
    for (const port of [...new Set([a.source.port, a.target.port])]) {
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-dms-out-${port}`,
            { region, securityGroupId: securityGroup.id, description: `databases on ${port}`, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0", tags },
            opts,
        );
    }
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-db-in-dms`,
        {
            region,
            securityGroupId: network.securityGroupId,
            description: `DMS replication ${name}`,
            ipProtocol: "tcp",
            fromPort: awsSide.port,
            toPort: awsSide.port,
            referencedSecurityGroupId: securityGroup.id,
            tags,
        },
        opts,
    );
    const subnetGroup = new aws.dms.ReplicationSubnetGroup(
        `${name}-dms`,
        { region, replicationSubnetGroupId: dmsIdentifier(name, stack, "dms"), replicationSubnetGroupDescription: `DMS replication ${name}`, subnetIds: [...network.subnetIds], tags },
        opts,
    );
    const instance = new aws.dms.ReplicationInstance(
        `${name}-dms`,
        {
            region,
            replicationInstanceId: dmsIdentifier(name, stack, "dms"),
            replicationInstanceClass: a.instanceClass,
            allocatedStorage: a.allocatedStorageGb,
            // A standby instance in a second zone: the pipeline survives the loss of a zone.
            multiAz: true,
            publiclyAccessible: a.publiclyAccessible,
            replicationSubnetGroupId: subnetGroup.replicationSubnetGroupId,
            vpcSecurityGroupIds: [securityGroup.id],
            autoMinorVersionUpgrade: true,
            tags,
        },
        opts,
    );
    const endpoint = (role: "source" | "target", db: SiteDatabase) =>
        new aws.dms.Endpoint(
            `${name}-${role}`,
            {
                region,
                endpointId: dmsIdentifier(name, stack, role),
                endpointType: role,
                engineName: db.engine,
                serverName: replicationAddress(db, role),
                port: db.port,
                databaseName: db.databaseName,
                username: db.username,
                password: db.password,
                sslMode: "require",
                ...(db.engine === "postgres"
                    ? {
                          postgresSettings:
                              role === "source"
                                  ? // Heartbeats keep the replication slot advancing when the source is idle, so WAL does not pile up.
                                    { heartbeatEnable: true, captureDdls: true }
                                  : // Applying changes must not fire the target's triggers or foreign-key checks twice.
                                    { afterConnectScript: "SET session_replication_role = replica" },
                      }
                    : {}),
                tags,
            },
            opts,
        );
    const source = endpoint("source", a.source);
    const target = endpoint("target", a.target);
    const task = new aws.dms.ReplicationTask(
        `${name}-cdc`,
        {
            region,
            replicationTaskId: dmsIdentifier(name, stack, "cdc"),
            migrationType: "full-load-and-cdc",
            replicationInstanceArn: instance.replicationInstanceArn,
            sourceEndpointArn: source.endpointArn,
            targetEndpointArn: target.endpointArn,
            tableMappings: INCLUDE_ALL_TABLES,
            replicationTaskSettings: DMS_TASK_SETTINGS,
            startReplicationTask: true,
            tags,
        },
        opts,
    );
    createDmsAlarms(parent, name, a, region, instance, task, tags);
    return { mechanism: "aws-dms", jobId: task.replicationTaskArn };
}

/**
 * The task's state (EventBridge: every state change of this task, stopped and failed included)
 * and its CDC latency on both sides, to the AWS side's alert topic. The topic must accept
 * EventBridge (AwsSite's does).
 */
function createDmsAlarms(
    parent: pulumi.Resource,
    name: string,
    a: ResolvedArgs,
    region: string,
    instance: aws.dms.ReplicationInstance,
    task: aws.dms.ReplicationTask,
    tags: Record<string, string>,
): void {
    const opts = { parent };
    const actions = a.alertTopicArn !== undefined ? [a.alertTopicArn] : [];
    const stateRule = new aws.cloudwatch.EventRule(
        `${name}-dms-state`,
        {
            region,
            description: `State changes of the DMS task of ${name} (stopped, failed, after a promotion of its source)`,
            eventPattern: pulumi.jsonStringify({ source: ["aws.dms"], "detail-type": ["DMS Replication Task State Change"], resources: [task.replicationTaskArn] }),
            tags,
        },
        opts,
    );
    if (a.alertTopicArn !== undefined) {
        new aws.cloudwatch.EventTarget(`${name}-dms-state`, { region, rule: stateRule.name, arn: a.alertTopicArn }, opts);
    }
    // CloudWatch names a task by the resource id at the end of its ARN.
    const dimensions = {
        ReplicationInstanceIdentifier: instance.replicationInstanceId,
        ReplicationTaskIdentifier: task.replicationTaskArn.apply((arn) => String(arn ?? "").split(":").pop() ?? ""),
    };
    for (const side of ["Source", "Target"] as const) {
        new aws.cloudwatch.MetricAlarm(
            `${name}-dms-latency-${side.toLowerCase()}`,
            {
                region,
                alarmDescription: `${name}: DMS change data capture is more than ${a.maxLatencySeconds} s behind ${side === "Source" ? "the source (reading its log)" : "on the target (applying changes)"}: the copy on ${a.target.cloud} ${a.target.location} is stale; see docs/services.md`,
                namespace: "AWS/DMS",
                metricName: `CDCLatency${side}`,
                dimensions,
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 5,
                datapointsToAlarm: 3,
                threshold: a.maxLatencySeconds,
                comparisonOperator: "GreaterThanThreshold",
                // A stopped or failed task stops reporting: the state rule says so.
                treatMissingData: "notBreaching",
                alarmActions: actions,
                okActions: actions,
                tags,
            },
            opts,
        );
    }
}

/** GCP Database Migration Service: a CONTINUOUS job into the target site's Cloud SQL instance. */
export function createGcpDms(parent: pulumi.Resource, name: string, a: ResolvedArgs): CdcPipeline {
    const opts = { parent };
    const stack = pulumi.getStack();
    const settings = (db: SiteDatabase, extra: { readonly ssl?: { caCertificate: pulumi.Input<string> }; readonly cloudSqlId?: pulumi.Output<string> }) => {
        const common = { host: db.externalHost ?? db.host, port: db.port, username: db.username, password: db.password, ...extra };
        return db.engine === "postgres" ? { postgresql: common } : { mysql: common };
    };
    const labels = { ...a.tags, "managed-by": "nonstop" };
    const ssl = a.sourceCaCertificate !== undefined ? { ssl: { caCertificate: a.sourceCaCertificate } } : {};
    const source = new gcp.databasemigrationservice.ConnectionProfile(
        `${name}-source`,
        {
            project: a.gcpProject,
            location: a.gcpRegion,
            connectionProfileId: dmsIdentifier(name, stack, "source"),
            displayName: `${a.source.cloud} ${a.source.location} (source of ${name})`,
            ...settings(a.source, ssl),
            labels,
        },
        opts,
    );
    // The destination is the Cloud SQL instance the GCP site already runs (an existing destination instance).
    const destination = new gcp.databasemigrationservice.ConnectionProfile(
        `${name}-target`,
        {
            project: a.gcpProject,
            location: a.gcpRegion,
            connectionProfileId: dmsIdentifier(name, stack, "target"),
            displayName: `Cloud SQL ${a.target.location} (target of ${name})`,
            ...settings(a.target, { cloudSqlId: a.target.id }),
            labels,
        },
        opts,
    );
    const job = new gcp.databasemigrationservice.MigrationJob(
        `${name}-cdc`,
        {
            project: a.gcpProject,
            location: a.gcpRegion,
            migrationJobId: dmsIdentifier(name, stack, "cdc"),
            displayName: `${name}: full dump then continuous changes`,
            type: "CONTINUOUS",
            source: source.name,
            destination: destination.name,
            staticIpConnectivity: {},
            labels,
        },
        opts,
    );
    return { mechanism: "gcp-dms", jobId: job.name };
}
