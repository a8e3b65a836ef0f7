// The site's database, sized by its replication factor:
//   1      one single-AZ RDS instance,
//   2      one Multi-AZ RDS instance (a synchronous standby in a second zone),
//   >= 3   an Aurora cluster with that many instances (one writer, the rest readers), each in a
//          different zone while there are zones left, round-robin after that.
// A primary may be made an Aurora Global Database; an AWS site whose `replicaOf` is such a
// database joins it as a secondary cluster in its own region instead of creating a primary.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { SiteDatabase } from "../site";
import { AwsSiteContext, childOptions, physicalName, statefulChildOptions, tagsNamed } from "./context";
import { Network } from "./network";

/** Aurora allows one writer and 15 readers; we count copies, writer included, and cap at 15. */
export const MAX_AURORA_INSTANCES = 15;

export type DatabaseLayout =
    | { readonly kind: "instance"; readonly multiAz: boolean }
    | { readonly kind: "aurora"; readonly role: "primary" | "global-primary" | "global-secondary"; readonly instanceZones: readonly number[] };

export interface DatabaseLayoutArgs {
    readonly replicationFactor: number;
    readonly azCount: number;
    /** This primary founds an Aurora Global Database. */
    readonly global: boolean;
    /** This site joins another AWS site's Aurora Global Database. */
    readonly joinsGlobal: boolean;
}

/** Which database a replication factor maps to, and the zone index of each Aurora instance. */
export function databaseLayout(args: DatabaseLayoutArgs): DatabaseLayout {
    const rf = args.replicationFactor;
    if (!Number.isInteger(rf) || rf < 1 || rf > MAX_AURORA_INSTANCES) {
        throw new Error(`data.replicationFactor: ${rf} is not an integer from 1 to ${MAX_AURORA_INSTANCES} (Aurora's limit of one writer and readers in one cluster)`);
    }
    // Global databases exist only for Aurora, so either global role implies Aurora at any factor.
    if (rf < 3 && !args.global && !args.joinsGlobal) return { kind: "instance", multiAz: rf === 2 };
    const role = args.joinsGlobal ? "global-secondary" : args.global ? "global-primary" : "primary";
    return { kind: "aurora", role, instanceZones: auroraZoneIndexes(rf, args.azCount) };
}

/** Instance i goes to zone i while zones last, then round-robin: never two in one zone while one is empty. */
export function auroraZoneIndexes(instances: number, azCount: number): number[] {
    return Array.from({ length: instances }, (_, i) => i % azCount);
}

export const ENGINE_PORT = { postgres: 5432, mysql: 3306 } as const;

/** Engine versions the defaults use; a global primary and its secondaries must run the same one. */
export const DEFAULT_ENGINE_VERSIONS = {
    instance: { postgres: "16.6", mysql: "8.0.40" },
    aurora: { postgres: "16.6", mysql: "8.0.mysql_aurora.3.08.0" },
} as const;

export interface DatabaseArgs {
    readonly service: string;
    readonly engine: "postgres" | "mysql";
    readonly layout: DatabaseLayout;
    /** Overrides DEFAULT_ENGINE_VERSIONS. */
    readonly engineVersion?: string;
    readonly instanceClass: string;
    readonly storageGb: number;
    readonly backupRetentionDays: number;
    readonly kmsKey: aws.kms.Key;
    readonly securityGroup: aws.ec2.SecurityGroup;
    /** The AWS global database this site joins (layout role global-secondary). */
    readonly replicaOf?: SiteDatabase;
    /** Turn logical replication on (a parameter group), so change data capture can read the log. @default false */
    readonly logicalReplication?: boolean;
}

export interface Database {
    readonly site: SiteDatabase;
    /** The ARN AWS Backup selects (instance or cluster). */
    readonly arn: pulumi.Output<string>;
    readonly instance?: aws.rds.Instance;
    readonly cluster?: aws.rds.Cluster;
    readonly clusterInstances: aws.rds.ClusterInstance[];
    readonly globalCluster?: aws.rds.GlobalCluster;
    /** Secrets Manager secret holding the master password, for the tasks. */
    readonly passwordSecret: aws.secretsmanager.Secret;
    readonly subnetGroup: aws.rds.SubnetGroup;
    /** DBInstanceIdentifier or DBClusterIdentifier, for metrics. */
    readonly identifier: pulumi.Output<string>;
}

export const MASTER_USERNAME = "nonstop_admin";

/**
 * The parameter group family of an engine and version: "aurora-postgresql16", "aurora-mysql8.0",
 * "postgres16", "mysql8.0" (RDS names families after the major version).
 */
export function parameterGroupFamily(engine: string, version: string): string {
    const parts = version.split(".");
    const major = engine.includes("mysql") ? `${parts[0]}.${parts[1] ?? "0"}` : parts[0];
    return `${engine}${major}`;
}

/**
 * What change data capture needs from the source's log: PostgreSQL logical decoding
 * (rds.logical_replication, which sets wal_level = logical), MySQL a full row-based binary log.
 * Both are static parameters: they apply when the writer reboots (at creation, right away).
 */
export function logicalReplicationParameters(engine: "postgres" | "mysql"): { name: string; value: string; applyMethod: string }[] {
    return engine === "postgres"
        ? [{ name: "rds.logical_replication", value: "1", applyMethod: "pending-reboot" }]
        : [
              { name: "binlog_format", value: "ROW", applyMethod: "pending-reboot" },
              { name: "binlog_row_image", value: "full", applyMethod: "pending-reboot" },
          ];
}

/** A database name both engines accept: letters, digits and underscores, starting with a letter. */
export function databaseName(service: string): string {
    return service.replace(/[^A-Za-z0-9]/g, "_").slice(0, 63);
}

export function createDatabase(ctx: AwsSiteContext, network: Network, args: DatabaseArgs): Database {
    const opts = childOptions(ctx);
    const port = ENGINE_PORT[args.engine];
    const subnetGroup = new aws.rds.SubnetGroup(`${ctx.name}-db`, {
        description: `Private subnets of ${ctx.name}, one per zone`,
        subnetIds: network.privateSubnets.map((s) => s.id),
        tags: tagsNamed(ctx, `${ctx.name}-db`),
    }, opts);

    const joining = args.layout.kind === "aurora" && args.layout.role === "global-secondary";
    if (joining && !args.replicaOf) throw new Error("data.replicaOf is required to join a global database");
    // A secondary shares the primary's credentials; only a new primary gets a new password.
    const password: pulumi.Output<string> = joining && args.replicaOf
        ? pulumi.secret(args.replicaOf.password)
        : new random.RandomPassword(`${ctx.name}-db-password`, {
            length: 32,
            special: true,
            // RDS refuses '/', '@', '"' and spaces in master passwords.
            overrideSpecial: "!#$%^&*()-_=+[]{}<>:?",
        }, { parent: ctx.parent }).result;
    const username = joining && args.replicaOf ? args.replicaOf.username : MASTER_USERNAME;
    const dbName = joining && args.replicaOf ? args.replicaOf.databaseName : databaseName(args.service);

    const passwordSecret = new aws.secretsmanager.Secret(`${ctx.name}-db-password`, {
        description: `Master password of the ${ctx.name} database`,
        kmsKeyId: args.kmsKey.arn,
        recoveryWindowInDays: ctx.protectStateful ? 30 : 7,
        tags: tagsNamed(ctx, `${ctx.name}-db-password`),
    }, opts);
    new aws.secretsmanager.SecretVersion(`${ctx.name}-db-password`, { secretId: passwordSecret.id, secretString: password }, opts);

    const common = {
        storageEncrypted: true,
        kmsKeyId: args.kmsKey.arn,
        backupRetentionPeriod: args.backupRetentionDays,
        copyTagsToSnapshot: true,
        deletionProtection: ctx.protectStateful,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: physicalName([ctx.name, pulumi.getStack(), "final"], { maxLength: 255, separator: "-", lowercase: true }),
        vpcSecurityGroupIds: [args.securityGroup.id],
        dbSubnetGroupName: subnetGroup.name,
        port,
        // Minor versions are patched in the maintenance window; majors only on purpose.
        allowMajorVersionUpgrade: false,
        applyImmediately: false,
    };

    if (args.layout.kind === "instance") {
        const engineVersion = args.engineVersion ?? DEFAULT_ENGINE_VERSIONS.instance[args.engine];
        // Changing an instance's parameter group is an in-place update (no replacement).
        const parameterGroup = args.logicalReplication
            ? new aws.rds.ParameterGroup(`${ctx.name}-db`, {
                family: parameterGroupFamily(args.engine, engineVersion),
                description: `${ctx.name}: logical replication on for change data capture`,
                parameters: logicalReplicationParameters(args.engine),
                tags: tagsNamed(ctx, `${ctx.name}-db`),
            }, opts)
            : undefined;
        const instance = new aws.rds.Instance(`${ctx.name}-db`, {
            ...common,
            ...(parameterGroup ? { parameterGroupName: parameterGroup.name } : {}),
            engine: args.engine,
            engineVersion,
            instanceClass: args.instanceClass,
            multiAz: args.layout.multiAz,
            allocatedStorage: args.storageGb,
            // Storage grows by itself up to five times the configured size instead of filling up.
            maxAllocatedStorage: args.storageGb * 5,
            storageType: "gp3",
            dbName,
            username,
            password,
            publiclyAccessible: false,
            autoMinorVersionUpgrade: true,
            enabledCloudwatchLogsExports: args.engine === "postgres" ? ["postgresql", "upgrade"] : ["error", "slowquery"],
            tags: tagsNamed(ctx, `${ctx.name}-db`),
        }, statefulChildOptions(ctx, { additionalSecretOutputs: ["password"] }));
        return {
            // A Multi-AZ standby is not readable: reads and writes both go to the instance.
            site: siteDatabase(ctx, args, { host: instance.address, writerHost: instance.address, readerHost: instance.address, id: instance.arn, username, password, dbName, global: false }),
            arn: instance.arn,
            instance,
            clusterInstances: [],
            passwordSecret,
            subnetGroup,
            identifier: instance.identifier,
        };
    }

    const layout = args.layout;
    const engine = args.engine === "postgres" ? "aurora-postgresql" : "aurora-mysql";
    const engineVersion = args.engineVersion ?? DEFAULT_ENGINE_VERSIONS.aurora[args.engine];

    let globalCluster: aws.rds.GlobalCluster | undefined;
    if (layout.role === "global-primary") {
        globalCluster = new aws.rds.GlobalCluster(`${ctx.name}-global`, {
            // Global cluster identifiers are unique per account, across regions and stacks.
            globalClusterIdentifier: physicalName([ctx.name, pulumi.getStack()], { maxLength: 63, separator: "-", lowercase: true }),
            engine,
            engineVersion,
            databaseName: dbName,
            storageEncrypted: true,
            deletionProtection: ctx.protectStateful,
            tags: tagsNamed(ctx, `${ctx.name}-global`),
        }, statefulChildOptions(ctx));
    }

    // Every cluster of a global database gets it: after a promotion the new writer is the source.
    // Changing a cluster's parameter group is an in-place update (no replacement).
    const clusterParameterGroup = args.logicalReplication
        ? new aws.rds.ClusterParameterGroup(`${ctx.name}-db`, {
            family: parameterGroupFamily(engine, engineVersion),
            description: `${ctx.name}: logical replication on for change data capture`,
            parameters: logicalReplicationParameters(args.engine),
            tags: tagsNamed(ctx, `${ctx.name}-db`),
        }, opts)
        : undefined;
    const cluster = new aws.rds.Cluster(`${ctx.name}-db`, {
        ...common,
        engine,
        engineVersion,
        ...(clusterParameterGroup ? { dbClusterParameterGroupName: clusterParameterGroup.name } : {}),
        ...(layout.role === "global-secondary"
            ? { globalClusterIdentifier: args.replicaOf?.id }
            : { databaseName: dbName, masterUsername: username, masterPassword: password, globalClusterIdentifier: globalCluster?.globalClusterIdentifier }),
        enabledCloudwatchLogsExports: args.engine === "postgres" ? ["postgresql"] : ["error", "slowquery"],
        tags: tagsNamed(ctx, `${ctx.name}-db`),
    }, statefulChildOptions(ctx, {
        additionalSecretOutputs: ["masterPassword"],
        // A secondary reads back the primary it replicates from; that is not drift.
        ignoreChanges: layout.role === "global-secondary" ? ["replicationSourceIdentifier"] : [],
    }));

    const clusterInstances = layout.instanceZones.map((zoneIndex, i) => new aws.rds.ClusterInstance(`${ctx.name}-db-${i}`, {
        clusterIdentifier: cluster.id,
        engine,
        engineVersion,
        instanceClass: args.instanceClass,
        availabilityZone: network.zones[zoneIndex],
        dbSubnetGroupName: subnetGroup.name,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        // Instance 0 is the preferred writer; the readers are equal failover candidates.
        promotionTier: i === 0 ? 0 : 1,
        // Burstable classes have no Performance Insights.
        ...(args.instanceClass.startsWith("db.t") ? {} : { performanceInsightsEnabled: true, performanceInsightsKmsKeyId: args.kmsKey.arn }),
        tags: tagsNamed(ctx, `${ctx.name}-db-${i}`),
    }, statefulChildOptions(ctx)));

    // Secondaries attach to the global id; resolving it only once the primary has a writer keeps
    // another site from joining a global database whose primary cluster is not ready yet.
    const id = globalCluster
        ? pulumi.all([globalCluster.globalClusterIdentifier, cluster.id, ...clusterInstances.map((ci) => ci.id)]).apply(([globalId]) => globalId)
        : layout.role === "global-secondary" && args.replicaOf
            ? args.replicaOf.id
            : cluster.arn;
    // The app writes through the endpoint that follows a promotion: the global writer endpoint of
    // a global database (resolving to the current primary cluster's writer, in whichever region),
    // else the cluster's own. Global databases created before AWS added that endpoint report it
    // empty; the primary's cluster endpoint stands in until the first promotion.
    const writerHost = globalCluster
        ? pulumi.all([globalCluster.endpoint, cluster.endpoint]).apply(([global, own]) => global || own)
        : layout.role === "global-secondary" && args.replicaOf
            ? args.replicaOf.writerHost
            : cluster.endpoint;
    return {
        site: {
            ...siteDatabase(ctx, args, { host: cluster.endpoint, writerHost, readerHost: cluster.readerEndpoint, id, username, password, dbName, global: layout.role !== "primary" }),
            clusterArn: cluster.arn,
        },
        arn: cluster.arn,
        cluster,
        clusterInstances,
        globalCluster,
        passwordSecret,
        subnetGroup,
        // A cluster's id is its identifier (an instance's id is its resource id, hence `identifier` above).
        identifier: cluster.id,
    };
}

function siteDatabase(
    ctx: AwsSiteContext,
    args: DatabaseArgs,
    v: {
        host: pulumi.Output<string>;
        writerHost: pulumi.Output<string>;
        readerHost: pulumi.Output<string>;
        id: pulumi.Output<string>;
        username: string;
        password: pulumi.Output<string>;
        dbName: string;
        global: boolean;
    },
): SiteDatabase {
    return {
        engine: args.engine,
        cloud: "aws",
        location: ctx.region,
        host: v.host,
        writerHost: v.writerHost,
        readerHost: v.readerHost,
        port: ENGINE_PORT[args.engine],
        databaseName: v.dbName,
        username: v.username,
        password: pulumi.secret(v.password),
        id: v.id,
        global: v.global,
    };
}
