// One AWS region running a service: network over several zones, Fargate behind a load balancer,
// a database sized by its replication factor, a bucket, backups and alarms. Each site has its
// own provider for its region, so several regions coexist in one stack.
//
// The class wires; the work is in ./aws/*.ts (network, compute, database, storage, backup,
// monitoring), one plain function each.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupTarget, checkBackupSchedule, createBackups } from "./aws/backup";
import { createCertificate } from "./aws/certificate";
import { createCompute, MAX_TRACKS } from "./aws/compute";
import { AwsSiteContext, statefulChildOptions } from "./aws/context";
import { createDatabase, Database, databaseLayout, DatabaseLayout, ENGINE_PORT, MAX_AURORA_INSTANCES } from "./aws/database";
import { createMonitoring } from "./aws/monitoring";
import { createNetwork, createSecurityGroups } from "./aws/network";
import { createBucket } from "./aws/storage";
import { FARGATE_SIZES, fargateSizeProblem, isHttpsUrl } from "./providerLimits";
import { ResolvedSiteArgs, ResolvedSiteData, resolveSiteDataDefaults, resolveSiteDefaults, Site, SiteArgs, SiteBucket, SiteDatabase, siteDatabaseEnvironment, SiteEndpoint, SiteRole } from "./site";

export { toAwsCron } from "./aws/backup";
export { FARGATE_SIZES };

export interface AwsSiteArgs extends SiteArgs {
    /** AWS region of the site, e.g. us-east-1. */
    readonly region: string;
    /** Availability zones the network, the tasks and the database span. @default 3 in prod, 2 in dev */
    readonly azCount?: number;
    /**
     * ACM certificate (in `region`) for the HTTPS listener on 443; port 80 then redirects to it.
     * Exclusive with `domain`.
     * @default none - the site requests its own certificate when `domain` is given, else the load
     * balancer serves plain HTTP on 80 and the endpoint reports port 80
     */
    readonly certificateArn?: string;
    /**
     * The name clients reach the service on and the public Route 53 hosted zone that holds it. The
     * site then requests an ACM certificate for `name` in its own region, validates it by DNS in
     * that zone and serves HTTPS on 443 with it (port 80 redirects). Exclusive with `certificateArn`.
     * @default none - `certificateArn` if given, else plain HTTP on 80
     */
    readonly domain?: AwsSiteDomain;
    /** The VPC's address range, a /16. @default "10.0.0.0/16" */
    readonly vpcCidr?: string;
    /** Retention of application and VPC flow logs, in days (a CloudWatch Logs value). @default 30 in dev, 365 in prod */
    readonly logRetentionDays?: number;
    /** Average CPU the service scales to keep. @default 60 */
    readonly targetCpuPercent?: number;
    /** Requests per task per minute the service scales to keep. @default 1000 */
    readonly targetRequestsPerTask?: number;
    /** p99 response time above which the latency alarm fires, in seconds. @default 1 */
    readonly latencyP99Seconds?: number;
    /** Share of 5xx responses above which the error alarm fires, in percent. @default 5 */
    readonly errorRatePercent?: number;
    /**
     * Container health check command (Docker HEALTHCHECK form).
     * @default ["CMD-SHELL", "curl -fsS http://localhost:<port><healthCheckPath> >/dev/null || exit 1"] (the image needs curl)
     */
    readonly containerHealthCheckCommand?: readonly string[];
    /** RDS / Aurora instance class. @default "db.t4g.medium" in dev, "db.r6g.large" in prod and for global databases */
    readonly dbInstanceClass?: string;
    /** Database engine version; a global primary and its secondaries must match. @default see DEFAULT_ENGINE_VERSIONS */
    readonly dbEngineVersion?: string;
}

/** Answered 200 by a pilot light's load balancer itself (no task needed): the path DNS probes on a pilot-light standby. */
export const LOAD_BALANCER_PROBE_PATH = "/.nonstop/load-balancer";

/** The ECS services of a site, for automation that scales them (a pilot light's scale-out). */
export interface AwsSiteScaling {
    readonly clusterName: pulumi.Output<string>;
    readonly versions: readonly {
        /** Release track; undefined without tracks. */
        readonly track?: string;
        /** Share of the site's requests, 0-100. */
        readonly percent: number;
        readonly serviceName: pulumi.Output<string>;
        readonly serviceArn: pulumi.Output<string>;
        readonly scalableTargetArn: pulumi.Output<string>;
        /** `service/<cluster>/<service>`: the Application Auto Scaling resource id. */
        readonly scalableTargetResourceId: pulumi.Output<string>;
        readonly maxCapacity: number;
    }[];
}

/** A name the site serves HTTPS on, with its own certificate. */
export interface AwsSiteDomain {
    /** The name, e.g. "checkout.example.com" (lowercase, no trailing dot). */
    readonly name: string;
    /** Public Route 53 hosted zone that holds `name`, e.g. "example.com"; the certificate's validation record goes there. */
    readonly zoneName: string;
}

/** Where the HTTPS listener's certificate comes from, or plain HTTP without one. */
export type AwsSiteTls =
    | { readonly kind: "plain-http" }
    | { readonly kind: "certificate"; readonly certificateArn: string }
    | { readonly kind: "own-certificate"; readonly domainName: string; readonly zoneName: string };

/** AwsSiteArgs with every default applied. */
export interface ResolvedAwsSiteArgs extends ResolvedSiteArgs {
    readonly azCount: number;
    readonly vpcCidr: string;
    readonly logRetentionDays: number;
    readonly targetCpuPercent: number;
    readonly targetRequestsPerTask: number;
    readonly latencyP99Seconds: number;
    readonly errorRatePercent: number;
    readonly containerHealthCheckCommand: readonly string[];
    readonly tls: AwsSiteTls;
    /** What every child is tagged with: `tags` plus the site's service, site key, environment and managed-by. */
    readonly childTags: Readonly<Record<string, string>>;
    /** Present when args.data is. */
    readonly data?: ResolvedSiteData & {
        readonly layout: DatabaseLayout;
        readonly vaultLock: boolean;
        readonly objectStorage: boolean;
        readonly instanceClass: string;
        readonly global: boolean;
    };
}

/** CloudWatch Logs accepts only these retention periods. */
export const AWS_LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Does this AWS site join another AWS site's global database? */
function joinsGlobal(args: AwsSiteArgs): boolean {
    return args.data?.replicaOf?.cloud === "aws";
}

/** Every default of AwsSiteArgs, in one place (the common ones by resolveSiteDefaults). */
export function resolveAwsSiteDefaults(args: AwsSiteArgs): ResolvedAwsSiteArgs {
    const common = resolveSiteDefaults(args);
    const prod = args.environment === "prod";
    const azCount = args.azCount ?? (prod ? 3 : 2);
    const data = args.data;
    let resolvedData: ResolvedAwsSiteArgs["data"];
    if (data) {
        const global = data.global ?? false;
        const layout = databaseLayout({ replicationFactor: data.replicationFactor, azCount, global, joinsGlobal: joinsGlobal(args) });
        // Global databases do not run on burstable classes.
        const needsMemoryOptimized = prod || (layout.kind === "aurora" && layout.role !== "primary");
        resolvedData = {
            ...resolveSiteDataDefaults(data, args.environment),
            layout,
            vaultLock: data.vaultLock ?? prod,
            objectStorage: data.objectStorage ?? true,
            instanceClass: args.dbInstanceClass ?? (needsMemoryOptimized ? "db.r6g.large" : "db.t4g.medium"),
            global,
        };
    }
    return {
        ...common,
        azCount,
        vpcCidr: args.vpcCidr ?? "10.0.0.0/16",
        logRetentionDays: args.logRetentionDays ?? (prod ? 365 : 30),
        targetCpuPercent: args.targetCpuPercent ?? 60,
        targetRequestsPerTask: args.targetRequestsPerTask ?? 1000,
        latencyP99Seconds: args.latencyP99Seconds ?? 1,
        errorRatePercent: args.errorRatePercent ?? 5,
        containerHealthCheckCommand: args.containerHealthCheckCommand ?? ["CMD-SHELL", `curl -fsS http://localhost:${args.port}${args.healthCheckPath} >/dev/null || exit 1`],
        tls: args.certificateArn !== undefined
            ? { kind: "certificate", certificateArn: args.certificateArn }
            : args.domain !== undefined
                ? { kind: "own-certificate", domainName: args.domain.name, zoneName: withoutTrailingDot(args.domain.zoneName) }
                : { kind: "plain-http" },
        childTags: {
            ...common.tags,
            service: args.service,
            site: `aws-${args.region}`,
            environment: args.environment,
            "managed-by": "nonstop",
        },
        data: resolvedData,
    };
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** A lowercase DNS name: labels of letters, digits and inner hyphens, at most 253 characters, no trailing dot. */
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

function withoutTrailingDot(name: string): string {
    return name.endsWith(".") ? name.slice(0, -1) : name;
}

/**
 * Checks AwsSiteArgs before anything is created. Throws one Error listing every problem (each
 * names the arg, shows the value and says the fix); returns warnings for what is allowed but
 * unwise, for the caller to log.
 */
export function validateAwsSiteArgs(args: AwsSiteArgs): string[] {
    const errors: string[] = [];
    const warnings: string[] = [];
    const prod = args.environment === "prod";
    const show = (v: unknown) => JSON.stringify(v);
    const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

    if (!/^[a-z][a-z0-9-]*$/.test(args.service ?? "")) errors.push(`service: ${show(args.service)} is not a lowercase name; use letters, digits and '-', starting with a letter`);
    if (!REGION.test(args.region ?? "")) errors.push(`region: ${show(args.region)} is not an AWS region; use one such as "us-east-1"`);
    if (args.environment !== "dev" && args.environment !== "prod") errors.push(`environment: ${show(args.environment)} is not "dev" or "prod"`);

    const azCount = args.azCount ?? (prod ? 3 : 2);
    if (!isInt(azCount) || azCount < 1 || azCount > 6) {
        errors.push(`azCount: ${show(args.azCount)} is not a whole number of availability zones from 1 to 6`);
    } else if (prod && azCount < 2) {
        errors.push(`azCount: ${azCount} in prod leaves the site in one availability zone, so one zone outage takes it down; use 2 or more (3 recommended)`);
    } else if (azCount === 1) {
        warnings.push(`azCount: 1 puts the whole site (tasks, NAT gateway, database) in one availability zone; acceptable for dev, use 2 or more for anything that must stay up`);
    }

    if (!isInt(args.minCapacity) || args.minCapacity < 0) errors.push(`minCapacity: ${show(args.minCapacity)} is not a whole number >= 0 (0 makes a pilot light)`);
    if (!isInt(args.maxCapacity) || args.maxCapacity < 1) errors.push(`maxCapacity: ${show(args.maxCapacity)} is not a whole number >= 1`);
    if (isInt(args.minCapacity) && isInt(args.maxCapacity) && args.minCapacity > args.maxCapacity) {
        errors.push(`minCapacity: ${args.minCapacity} is greater than maxCapacity ${args.maxCapacity}; raise maxCapacity or lower minCapacity`);
    }
    if (prod && args.minCapacity === 1) warnings.push(`minCapacity: 1 in prod means a single task serves the site; a task or zone failure drops it until a replacement starts. Use 2 or more`);
    if (args.weight !== undefined && (!isInt(args.weight) || args.weight < 0 || args.weight > 255)) errors.push(`weight: ${show(args.weight)} is not a whole number from 0 to 255`);

    if (!isInt(args.port) || args.port < 1 || args.port > 65535) errors.push(`port: ${show(args.port)} is not a TCP port from 1 to 65535`);
    if (typeof args.healthCheckPath !== "string" || !args.healthCheckPath.startsWith("/")) errors.push(`healthCheckPath: ${show(args.healthCheckPath)} must be a path starting with '/', e.g. "/healthz"`);

    const { cpu, memoryMb } = resolveSiteDefaults(args);
    const size = fargateSizeProblem(cpu, memoryMb);
    if (size) errors.push(`${size.key}: ${size.message}`);

    if (args.certificateArn !== undefined) {
        const m = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[A-Za-z0-9-]+$/.exec(args.certificateArn);
        if (!m) errors.push(`certificateArn: ${show(args.certificateArn)} is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)`);
        else if (m[1] !== args.region) errors.push(`certificateArn: ${show(args.certificateArn)} is in ${m[1]}, but a load balancer in ${args.region} needs a certificate from ACM in ${args.region}`);
    } else if (prod && args.domain === undefined) {
        warnings.push(
            `certificateArn: not set in prod (nor domain), so the site serves plain HTTP on port 80; give domain (the service's name and its Route 53 zone) ` +
                `for a certificate the site requests and validates itself, or request an ACM certificate in ${args.region} and pass its ARN`,
        );
    }
    if (args.domain !== undefined) {
        const { name, zoneName } = args.domain;
        const zone = typeof zoneName === "string" ? withoutTrailingDot(zoneName) : zoneName;
        const nameOk = typeof name === "string" && DNS_NAME.test(name);
        const zoneOk = typeof zone === "string" && DNS_NAME.test(zone);
        if (args.certificateArn !== undefined) {
            errors.push(`domain: ${show(args.domain)} is given together with certificateArn; give one: certificateArn to use a certificate you manage, or domain for a certificate the site requests and validates itself`);
        }
        if (!nameOk) errors.push(`domain.name: ${show(name)} is not a lowercase DNS name; give the name clients reach the service on, e.g. "checkout.example.com" (no scheme, no trailing dot, no wildcard)`);
        if (!zoneOk) errors.push(`domain.zoneName: ${show(zoneName)} is not a lowercase DNS name; give the public Route 53 hosted zone that holds domain.name, e.g. "example.com"`);
        if (nameOk && zoneOk && name !== zone && !name.endsWith(`.${zone}`)) {
            errors.push(`domain.name: ${show(name)} is not inside zone ${show(zoneName)}, so the certificate cannot be validated there; use a name ending in ".${zone}", or the hosted zone that holds ${show(name)}`);
        }
    }
    if (args.vpcCidr !== undefined && !/^(\d{1,3})\.(\d{1,3})\.0\.0\/16$/.test(args.vpcCidr)) errors.push(`vpcCidr: ${show(args.vpcCidr)} is not a /16 such as "10.0.0.0/16"`);
    if (args.logRetentionDays !== undefined && !(AWS_LOG_RETENTION_DAYS as readonly number[]).includes(args.logRetentionDays)) {
        errors.push(`logRetentionDays: ${show(args.logRetentionDays)} is not a CloudWatch Logs retention; use one of ${AWS_LOG_RETENTION_DAYS.join(", ")}`);
    }
    const positive = (key: keyof AwsSiteArgs, max?: number) => {
        const v = args[key];
        if (v !== undefined && (typeof v !== "number" || !(v > 0) || (max !== undefined && v > max))) errors.push(`${String(key)}: ${show(v)} must be a number above 0${max !== undefined ? ` and at most ${max}` : ""}`);
    };
    positive("targetCpuPercent", 100);
    positive("targetRequestsPerTask");
    positive("latencyP99Seconds");
    positive("errorRatePercent", 100);
    if (args.containerHealthCheckCommand !== undefined && !(args.containerHealthCheckCommand.length >= 2 && ["CMD", "CMD-SHELL"].includes(args.containerHealthCheckCommand[0]))) {
        errors.push(`containerHealthCheckCommand: ${show(args.containerHealthCheckCommand)} must start with "CMD" or "CMD-SHELL" followed by the command`);
    }
    (args.alertEmails ?? []).forEach((e, i) => {
        if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) errors.push(`alertEmails[${i}]: ${show(e)} is not an email address`);
    });
    (args.alertWebhooks ?? []).forEach((u, i) => {
        // Webhook URLs carry tokens: never echoed.
        if (!isHttpsUrl(u)) errors.push(`alertWebhooks[${i}]: is not an https:// URL (value not shown: webhooks carry tokens); SNS delivers alerts only to HTTPS endpoints here`);
    });
    if (args.tracks !== undefined && args.tracks.length > 0) {
        const tracks = args.tracks;
        if (tracks.length > MAX_TRACKS) errors.push(`tracks: ${tracks.length} tracks, but a load balancer splits requests between at most ${MAX_TRACKS}; run fewer versions at once`);
        const names = new Set<string>();
        tracks.forEach((t, i) => {
            if (!/^[a-z][a-z0-9-]{0,19}$/.test(t.name)) errors.push(`tracks[${i}].name: ${show(t.name)} is not a short lowercase name (letters, digits, '-', up to 20), e.g. "blue" or "canary"`);
            if (names.has(t.name)) errors.push(`tracks[${i}].name: ${show(t.name)} is used twice; every track needs its own name`);
            names.add(t.name);
            if (!t.image) errors.push(`tracks[${i}].image: is empty; give the image this track runs`);
            if (!isInt(t.percent) || t.percent < 0 || t.percent > 100) errors.push(`tracks[${i}].percent: ${show(t.percent)} is not a whole percentage from 0 to 100`);
        });
        const total = tracks.reduce((sum, t) => sum + (typeof t.percent === "number" ? t.percent : 0), 0);
        if (total !== 100) errors.push(`tracks: the percentages add up to ${total}; they must add up to 100 (${tracks.map((t) => `${t.name} ${t.percent}`).join(", ")})`);
    }
    if (args.protectStateful === false && prod) warnings.push("protectStateful: false in prod lets `pulumi destroy` or a replacement delete the database, bucket and backup vaults");

    const data = args.data;
    if (data) {
        const at = "data";
        const rf = data.replicationFactor;
        if (!isInt(rf) || rf < 1) {
            errors.push(`${at}.replicationFactor: ${show(rf)} is not a whole number of copies >= 1`);
        } else if (rf > MAX_AURORA_INSTANCES) {
            errors.push(`${at}.replicationFactor: ${rf} is more than ${MAX_AURORA_INSTANCES}, the most instances this site runs in one Aurora cluster; use ${MAX_AURORA_INSTANCES} or fewer and add another site for more copies`);
        } else {
            if (isInt(azCount) && rf > azCount && azCount >= 1) {
                warnings.push(`${at}.replicationFactor: ${rf} copies over ${azCount} availability zones puts more than one copy in some zones; they add read capacity but not zone resilience`);
            }
            if (prod && rf < 3) warnings.push(`${at}.replicationFactor: ${rf} in prod keeps fewer than 3 copies; the policy pack expects 3 or more (Aurora with a writer and two readers)`);
        }
        if (data.engine !== "postgres" && data.engine !== "mysql") errors.push(`${at}.engine: ${show(data.engine)} is not "postgres" or "mysql"`);
        if (!isInt(data.backupRetentionDays) || data.backupRetentionDays < 1 || data.backupRetentionDays > 35) {
            errors.push(`${at}.backupRetentionDays: ${show(data.backupRetentionDays)} must be a whole number of days from 1 to 35 (the RDS and continuous-backup limit)`);
        }
        try {
            checkBackupSchedule(data.backupSchedule);
        } catch (e) {
            errors.push(`${at}.backupSchedule: ${(e as Error).message}`);
        }
        if (data.backupCopyRegion !== undefined) {
            if (!REGION.test(data.backupCopyRegion)) errors.push(`${at}.backupCopyRegion: ${show(data.backupCopyRegion)} is not an AWS region; use one such as "us-west-2"`);
            else if (data.backupCopyRegion === args.region) errors.push(`${at}.backupCopyRegion: ${show(data.backupCopyRegion)} is the site's own region; a copy there does not survive a regional outage, pick another region`);
        } else if (prod) {
            warnings.push(`${at}.backupCopyRegion: not set in prod, so every backup lives in ${args.region} only; set another region to survive a regional outage`);
        }
        if (data.vaultLock === false && prod) warnings.push(`${at}.vaultLock: false in prod lets anyone with vault permissions delete recovery points early`);
        if (data.storageGb !== undefined && (!isInt(data.storageGb) || data.storageGb < 20 || data.storageGb > 65536)) {
            errors.push(`${at}.storageGb: ${show(data.storageGb)} must be a whole number of GiB from 20 to 65536 (the gp3 range)`);
        }
        const source = data.replicaOf;
        if (source?.cloud === "aws") {
            if (!source.global) {
                errors.push(`${at}.replicaOf: the AWS database in ${source.location} is not an Aurora Global Database; set data.global: true on that primary site so this site can join it`);
            }
            if (source.location === args.region) errors.push(`${at}.replicaOf: the primary is in ${source.location}, this site's own region; a secondary must be in another region`);
            if (source.engine !== data.engine) errors.push(`${at}.engine: ${show(data.engine)} differs from the primary's ${show(source.engine)}; a global secondary runs the primary's engine`);
            if (data.global) errors.push(`${at}.global: true on a site that joins another global database (replicaOf); only the primary sets global`);
        }
    }

    if (errors.length > 0) {
        throw new Error(`invalid AwsSite args for service ${show(args.service)} in ${show(args.region)} (${errors.length} problem${errors.length === 1 ? "" : "s"}):\n${errors.map((e) => `  - ${e}`).join("\n")}`);
    }
    return warnings;
}

/**
 * A service in one AWS region. Implements Site: `endpoint` (the load balancer, as a Route 53
 * alias target), capacities, release `tracks` (one ECS service and target group per track,
 * weighted at the listener), and when `data` is set `database` and `bucket`.
 */
export class AwsSite extends pulumi.ComponentResource implements Site {
    public readonly endpoint: SiteEndpoint;
    public readonly role?: SiteRole;
    public readonly weight?: number;
    public readonly minCapacity: number;
    public readonly maxCapacity: number;
    public readonly database?: SiteDatabase;
    public readonly bucket?: SiteBucket;
    public readonly tracks?: readonly string[];

    public readonly region: string;
    /** The provider of this site's region: create anything else that belongs to the site with it. */
    public readonly provider: aws.Provider;
    public readonly vpcId: pulumi.Output<string>;
    public readonly publicSubnetIds: pulumi.Output<string>[];
    public readonly privateSubnetIds: pulumi.Output<string>[];
    /** Security group of the tasks (e.g. to let another component's resources accept them). */
    public readonly taskSecurityGroupId: pulumi.Output<string>;
    /** Security group of the database; add ingress to it for replication tools such as DMS. */
    public readonly databaseSecurityGroupId?: pulumi.Output<string>;
    public readonly loadBalancerArn: pulumi.Output<string>;
    /** The load balancer's ARN suffix (`app/<name>/<id>`): its `LoadBalancer` dimension in CloudWatch. */
    public readonly loadBalancerArnSuffix: pulumi.Output<string>;
    /** The HTTPS listener's certificate (the given one, or the one the site requested for `domain`); none with plain HTTP. */
    public readonly certificateArn?: pulumi.Output<string>;
    public readonly clusterArn: pulumi.Output<string>;
    /** ECS service names, one per release track (one without tracks). */
    public readonly serviceNames: pulumi.Output<string>[];
    /** What scales the site's compute: the ECS cluster and, per release track, its service and scalable target. */
    public readonly scaling: AwsSiteScaling;
    /** SNS topic every alarm of the site notifies. */
    public readonly alertTopicArn: pulumi.Output<string>;
    public readonly backupVaultArn?: pulumi.Output<string>;
    public readonly backupCopyVaultArn?: pulumi.Output<string>;

    constructor(name: string, args: AwsSiteArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const warnings = validateAwsSiteArgs(args);
        super("nonstop:site:AwsSite", name, {}, opts);
        for (const w of warnings) pulumi.log.warn(w, this);
        const r = resolveAwsSiteDefaults(args);

        this.region = args.region;
        this.role = args.role;
        this.weight = args.weight;
        this.minCapacity = args.minCapacity;
        this.maxCapacity = args.maxCapacity;

        this.provider = new aws.Provider(`${name}-aws`, { region: args.region }, { parent: this });
        const ctx: AwsSiteContext = {
            name,
            parent: this,
            provider: this.provider,
            region: args.region,
            tags: r.childTags,
            protectStateful: r.protectStateful,
            partition: aws.getPartitionOutput({}, { parent: this, provider: this.provider }).partition,
        };

        const network = createNetwork(ctx, { azCount: r.azCount, vpcCidr: r.vpcCidr, flowLogRetentionDays: r.logRetentionDays });
        const data = args.data;
        const securityGroups = createSecurityGroups(ctx, network.vpc, args.port, data ? ENGINE_PORT[data.engine] : undefined);
        const databaseSecurityGroup = securityGroups.database;

        let database: Database | undefined;
        let dataKey: aws.kms.Key | undefined;
        let bucket: aws.s3.Bucket | undefined;
        if (data && r.data && databaseSecurityGroup) {
            dataKey = new aws.kms.Key(`${name}-data`, {
                description: `Encrypts the database, bucket and secrets of ${name}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                tags: { ...r.childTags, Name: `${name}-data` },
            }, statefulChildOptions(ctx));
            database = createDatabase(ctx, network, {
                service: args.service,
                engine: data.engine,
                layout: r.data.layout,
                engineVersion: args.dbEngineVersion,
                instanceClass: r.data.instanceClass,
                storageGb: r.data.storageGb,
                backupRetentionDays: data.backupRetentionDays,
                kmsKey: dataKey,
                securityGroup: databaseSecurityGroup,
                replicaOf: data.replicaOf?.cloud === "aws" ? data.replicaOf : undefined,
                logicalReplication: r.data.logicalReplication,
            });
            if (r.data.objectStorage) bucket = createBucket(ctx, dataKey).bucket;
        }

        const environment: Record<string, pulumi.Input<string>> = {
            SERVICE_NAME: args.service,
            SITE_KEY: `aws-${args.region}`,
            SITE_REGION: args.region,
            ...(args.role ? { SITE_ROLE: args.role } : {}),
        };
        const secrets: Record<string, pulumi.Input<string>> = {};
        const taskPolicyStatements: pulumi.Input<Record<string, unknown>>[] = [];
        if (database && data) {
            // The global writer endpoint for a member of a global database (it follows a promotion);
            // nothing for a read-only site, whose database is a copy.
            Object.assign(environment, siteDatabaseEnvironment(database.site, data));
            secrets.DATABASE_PASSWORD = database.passwordSecret.arn;
        }
        if (bucket) {
            environment.BUCKET_NAME = bucket.bucket;
            taskPolicyStatements.push({
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetObjectVersion"],
                Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            });
        }
        if (dataKey) taskPolicyStatements.push({ Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: [dataKey.arn] });

        const certificateArn = r.tls.kind === "own-certificate"
            ? createCertificate(ctx, { domainName: r.tls.domainName, zoneName: r.tls.zoneName }).certificateArn
            : r.tls.kind === "certificate" ? r.tls.certificateArn : undefined;

        const compute = createCompute(ctx, network, securityGroups, {
            service: args.service,
            image: args.image,
            port: args.port,
            healthCheckPath: args.healthCheckPath,
            cpu: r.cpu,
            memoryMb: r.memoryMb,
            minCapacity: args.minCapacity,
            maxCapacity: args.maxCapacity,
            tracks: args.tracks,
            certificateArn,
            stableHealthPath: r.dnsHealthCheckPath,
            loadBalancerProbePath: args.minCapacity === 0 ? LOAD_BALANCER_PROBE_PATH : undefined,
            logRetentionDays: r.logRetentionDays,
            targetCpuPercent: r.targetCpuPercent,
            targetRequestsPerTask: r.targetRequestsPerTask,
            containerHealthCheckCommand: r.containerHealthCheckCommand,
            environment,
            secrets,
            taskPolicyStatements,
            secretKeyArns: dataKey ? [dataKey.arn] : [],
        });

        let backupVaultArn: pulumi.Output<string> | undefined;
        let backupCopyVaultArn: pulumi.Output<string> | undefined;
        if (data && r.data) {
            const targets: BackupTarget[] = [];
            if (database && databaseSecurityGroup) {
                targets.push({
                    arn: database.arn,
                    label: "db",
                    restoreTestType: database.cluster ? "Aurora" : "RDS",
                    // Test restores land in this site's VPC (there may be no default VPC to fall back to).
                    restoreOverrides: {
                        dbsubnetgroupname: database.subnetGroup.name,
                        vpcsecuritygroupids: pulumi.jsonStringify([databaseSecurityGroup.id]),
                    },
                });
            }
            if (bucket) targets.push({ arn: bucket.arn, label: "objects", restoreTestType: "S3" });
            const backups = createBackups(ctx, {
                schedule: data.backupSchedule,
                retentionDays: data.backupRetentionDays,
                vaultLock: r.data.vaultLock,
                copyRegion: data.backupCopyRegion,
                targets,
            });
            backupVaultArn = backups.vault.arn;
            backupCopyVaultArn = backups.copyVault?.arn;
        }

        const monitoring = createMonitoring(ctx, {
            alertEmails: r.alertEmails,
            alertWebhooks: r.alertWebhooks,
            loadBalancer: compute.loadBalancer,
            versions: compute.versions.map((v) => ({ track: v.track, targetGroup: v.targetGroup, minCapacity: v.minCapacity })),
            errorRatePercent: r.errorRatePercent,
            latencyP99Seconds: r.latencyP99Seconds,
            database: database && r.data
                ? {
                    kind: database.cluster ? "aurora" : "instance",
                    identifier: database.identifier,
                    instanceCount: database.clusterInstances.length,
                    globalSecondary: r.data.layout.kind === "aurora" && r.data.layout.role === "global-secondary",
                    storageGb: database.instance ? r.data.storageGb : undefined,
                }
                : undefined,
        });

        const alb = compute.loadBalancer;
        this.endpoint = {
            key: `aws-${args.region}`,
            cloud: "aws",
            location: args.region,
            target: { kind: "alias", dnsName: alb.dnsName, zoneId: alb.zoneId },
            healthCheckHost: alb.dnsName,
            healthCheckPath: args.healthCheckPath,
            healthCheckPort: compute.publicPort,
            healthCheckProtocol: compute.publicPort === 443 ? "HTTPS" : "HTTP",
            ...(args.minCapacity === 0 ? { loadBalancerProbePath: LOAD_BALANCER_PROBE_PATH } : {}),
        };
        this.vpcId = network.vpc.id;
        this.publicSubnetIds = network.publicSubnets.map((s) => s.id);
        this.privateSubnetIds = network.privateSubnets.map((s) => s.id);
        this.database = database && databaseSecurityGroup
            ? {
                ...database.site,
                // Where replication tools (DMS) and the failover automation run to reach the database.
                network: {
                    vpcId: network.vpc.id,
                    vpcCidr: r.vpcCidr,
                    subnetIds: this.privateSubnetIds,
                    privateRouteTableIds: network.privateRouteTables.map((t) => t.id),
                    securityGroupId: databaseSecurityGroup.id,
                    egressIps: network.natEips.map((e) => e.publicIp),
                },
            }
            : undefined;
        this.bucket = bucket
            ? { cloud: "aws", location: args.region, name: bucket.bucket, uri: bucket.arn, kmsKeyArn: dataKey?.arn }
            : undefined;
        this.taskSecurityGroupId = securityGroups.tasks.id;
        this.databaseSecurityGroupId = securityGroups.database?.id;
        this.loadBalancerArn = alb.arn;
        this.loadBalancerArnSuffix = alb.arnSuffix;
        this.certificateArn = certificateArn === undefined ? undefined : pulumi.output(certificateArn);
        this.clusterArn = compute.cluster.arn;
        this.serviceNames = compute.versions.map((v) => v.service.name);
        this.scaling = {
            clusterName: compute.cluster.name,
            versions: compute.versions.map((v) => ({
                track: v.track,
                percent: v.percent,
                serviceName: v.service.name,
                serviceArn: v.service.arn,
                scalableTargetArn: v.scalingTarget.arn,
                scalableTargetResourceId: v.scalingTarget.resourceId,
                maxCapacity: args.maxCapacity,
            })),
        };
        this.tracks = args.tracks && args.tracks.length > 0 ? args.tracks.map((t) => t.name) : undefined;
        this.alertTopicArn = monitoring.topic.arn;
        this.backupVaultArn = backupVaultArn;
        this.backupCopyVaultArn = backupCopyVaultArn;

        this.registerOutputs({
            endpointKey: this.endpoint.key,
            dnsName: alb.dnsName,
            vpcId: this.vpcId,
            loadBalancerArn: this.loadBalancerArn,
            loadBalancerArnSuffix: this.loadBalancerArnSuffix,
            certificateArn: this.certificateArn,
            clusterArn: this.clusterArn,
            serviceNames: this.serviceNames,
            alertTopicArn: this.alertTopicArn,
            databaseId: this.database?.id,
            databaseHost: this.database?.host,
            bucketName: this.bucket?.name,
            backupVaultArn: this.backupVaultArn,
            backupCopyVaultArn: this.backupCopyVaultArn,
        });
    }
}
