// A service in one GCP region: Cloud Run behind a global external HTTPS load balancer (one fixed
// IP, so DNS can health-check and route to it), Cloud SQL with a replication factor, a versioned
// bucket, and Cloud Monitoring alerts. The class wires the parts; each part is a function in gcp/.
// Release tracks (blue-green, canary) run as one Cloud Run service per track, split by the URL map.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { cloudSqlBackupStartTime, cronProblem, parseCron, runsPerDay } from "../backup/cron";
import { enableSiteApis, SiteApis, siteApis } from "./gcp/apis";
import { createGcpBucket, multiRegionOf } from "./gcp/bucket";
import { cloudRunCpu, cloudRunServiceName, createCloudRun } from "./gcp/cloudRun";
import { CLOUD_SQL_MAX_REPLICATION_FACTOR, cloudSqlTopology, createCloudSql } from "./gcp/cloudSql";
import { gcpLabels, shortHash } from "./gcp/labels";
import { createLoadBalancer, GCP_MAX_TRACKS } from "./gcp/loadBalancer";
import { createGcpMonitoring } from "./gcp/monitoring";
import { ResolvedSiteArgs, ResolvedSiteData, resolveSiteDataDefaults, resolveSiteDefaults, Site, SiteArgs, SiteBucket, SiteDatabase, SiteDataArgs, SiteEndpoint, SiteRole, TrafficTrack, WriteRoute } from "./site";
import { cloudRunSizeProblem, GCP_PROJECT_ID, isHttpsUrl } from "./providerLimits";
import { mainTrack, validateTracks } from "./tracks";

export { CLOUD_SQL_MAX_REPLICATION_FACTOR, cloudRunCpu, cloudRunServiceName, cloudSqlTopology, GCP_MAX_TRACKS, multiRegionOf };

export interface GcpSiteArgs extends SiteArgs {
    /** GCP project the site is created in. */
    readonly project: string;
    /** GCP region, e.g. us-central1. */
    readonly region: string;
    /**
     * Domain the service answers on. With a domain the load balancer serves HTTPS on 443 with a
     * Google-managed certificate authorized by DNS (so a standby site holds a valid certificate
     * before DNS ever points at it) and redirects port 80 to HTTPS.
     * @default none: plain HTTP on port 80 (a Google-managed certificate needs a domain)
     */
    readonly domain?: string;
    /**
     * Second region of a dual-region bucket (same continent as `region`): objects are stored in
     * both regions, so the bucket survives the loss of either.
     * @default none: a regional bucket in `region`
     */
    readonly bucketDualRegion?: string;
    /** Turbo replication of the dual-region bucket (RPO 15 minutes). @default true when bucketDualRegion is set */
    readonly turboReplication?: boolean;
    /** Cloud SQL machine tier. @default "db-custom-1-3840" in dev, "db-custom-2-7680" in prod */
    readonly databaseTier?: string;
    /** Cloud SQL version. @default "POSTGRES_16" for postgres, "MYSQL_8_0" for mysql */
    readonly databaseVersion?: string;
    /** Name of the application database and its user. @default the service name with "-" replaced by "_" */
    readonly databaseName?: string;
    /** Share of requests answered with 5xx above which an alert fires. @default 0.05 */
    readonly errorRateThreshold?: number;
    /** p99 request latency, milliseconds, above which an alert fires. @default 1000 */
    readonly latencyThresholdMs?: number;
}

/** The data settings with every default applied. */
export interface ResolvedGcpData extends ResolvedSiteData {
    /** ZONAL for one copy; REGIONAL (primary + synchronous standby in another zone) for two or more. */
    readonly availabilityType: "ZONAL" | "REGIONAL";
    /** In-region read replicas beyond the primary (and its standby). */
    readonly readReplicas: number;
    /** "HH:MM" UTC, from the cron schedule. */
    readonly backupStartTime: string;
    /** Days of transaction logs kept for point-in-time recovery (Cloud SQL allows at most 7). */
    readonly transactionLogRetentionDays: number;
    readonly backupCopyRegion?: string;
    readonly objectStorage: boolean;
    /** Set when this site's database is a Cloud SQL cross-region replica of another GCP site's. */
    readonly replicaOf?: SiteDatabase;
    /** The app gets no writer endpoint; writes go to `writeRoute`. */
    readonly readOnly: boolean;
    readonly writeRoute?: WriteRoute;
    /** CIDRs admitted to the Cloud SQL instance (change data capture from another cloud). */
    readonly allowedClients: pulumi.Input<string[]>;
    readonly tier: string;
    readonly databaseVersion: string;
    readonly databaseName: string;
    readonly username: string;
    readonly bucketDualRegion?: string;
    readonly turboReplication: boolean;
}

/** GcpSiteArgs with every default applied (see the @default of each arg). */
export interface ResolvedGcpSiteArgs extends ResolvedSiteArgs {
    readonly project: string;
    readonly region: string;
    readonly domain?: string;
    /** `gcp-<region>` */
    readonly key: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly errorRateThreshold: number;
    readonly latencyThresholdMs: number;
    readonly data?: ResolvedGcpData;
}

/** The one place defaults are applied (the common ones by resolveSiteDefaults). Call only on args that pass validateGcpSiteArgs. */
export function resolveGcpSiteDefaults(args: GcpSiteArgs): ResolvedGcpSiteArgs {
    const common = resolveSiteDefaults(args);
    const prod = args.environment === "prod";
    const key = `gcp-${args.region}`;
    return {
        ...common,
        project: args.project,
        region: args.region,
        domain: args.domain,
        key,
        labels: gcpLabels({ service: args.service, environment: args.environment, site: key, "managed-by": "nonstop" }, common.tags),
        errorRateThreshold: args.errorRateThreshold ?? 0.05,
        latencyThresholdMs: args.latencyThresholdMs ?? 1000,
        data: args.data ? resolveData(args, args.data, prod) : undefined,
    };
}

function resolveData(args: GcpSiteArgs, data: SiteDataArgs, prod: boolean): ResolvedGcpData {
    const topology = cloudSqlTopology(data.replicationFactor);
    const fromGcp = data.replicaOf?.cloud === "gcp" ? data.replicaOf : undefined;
    const defaultName = args.service.replace(/-/g, "_");
    return {
        ...resolveSiteDataDefaults(data, args.environment),
        availabilityType: topology.availabilityType,
        readReplicas: topology.readReplicas,
        backupStartTime: cloudSqlBackupStartTime(data.backupSchedule),
        transactionLogRetentionDays: Math.min(7, data.backupRetentionDays),
        backupCopyRegion: data.backupCopyRegion,
        objectStorage: data.objectStorage ?? true,
        replicaOf: fromGcp,
        tier: args.databaseTier ?? (prod ? "db-custom-2-7680" : "db-custom-1-3840"),
        databaseVersion: args.databaseVersion ?? (data.engine === "postgres" ? "POSTGRES_16" : "MYSQL_8_0"),
        // A replica carries its source's database and user; a primary gets its own.
        databaseName: fromGcp?.databaseName ?? args.databaseName ?? defaultName,
        username: fromGcp?.username ?? args.databaseName ?? defaultName,
        bucketDualRegion: args.bucketDualRegion,
        turboReplication: args.turboReplication ?? args.bucketDualRegion !== undefined,
        readOnly: data.readOnly ?? false,
        writeRoute: data.writeRoute,
        allowedClients: data.allowedClients ?? [],
    };
}

const GCP_REGION = /^[a-z]+-[a-z]+\d+$/;
const MULTI_REGIONS = ["us", "eu", "asia"];

/**
 * Everything wrong with the args, each message naming the arg, the value received and the fix.
 * Pure, so tests and the offline preview call it directly. Empty when the args are valid.
 */
export function validateGcpSiteArgs(args: GcpSiteArgs): string[] {
    const p: string[] = [];
    if (!GCP_PROJECT_ID.test(args.project)) p.push(`project: "${args.project}" is not a GCP project id; expected 6-30 lowercase letters, digits and '-', starting with a letter`);
    if (!GCP_REGION.test(args.region)) p.push(`region: "${args.region}" is not a GCP region; expected a region such as us-central1 or europe-west1`);
    if (!/^[a-z][a-z0-9-]*$/.test(args.service)) p.push(`service: "${args.service}" must be lowercase letters, digits and '-', starting with a letter (it names Cloud Run, Cloud SQL and IAM resources)`);
    if (!Number.isInteger(args.port) || args.port < 1 || args.port > 65535) p.push(`port: ${args.port} is not a TCP port; expected 1-65535`);
    if (!args.healthCheckPath.startsWith("/")) p.push(`healthCheckPath: "${args.healthCheckPath}" must start with '/'`);
    if (!Number.isInteger(args.minCapacity) || args.minCapacity < 0) p.push(`minCapacity: ${args.minCapacity} must be a whole number >= 0 (0 makes the site a pilot light)`);
    if (!Number.isInteger(args.maxCapacity) || args.maxCapacity < 1 || args.maxCapacity > 1000) p.push(`maxCapacity: ${args.maxCapacity} must be a whole number from 1 to 1000 (Cloud Run's instance limit)`);
    if (args.minCapacity > args.maxCapacity) p.push(`minCapacity: ${args.minCapacity} is greater than maxCapacity ${args.maxCapacity}; lower minCapacity or raise maxCapacity`);
    const { cpu, memoryMb } = resolveSiteDefaults(args);
    const size = cloudRunSizeProblem(cpu, memoryMb);
    if (size) p.push(`${size.key}: ${size.message}`);
    if (args.domain !== undefined && !/^([a-z0-9-]+\.)+[a-z]{2,}$/.test(args.domain)) p.push(`domain: "${args.domain}" is not a domain name; expected e.g. shop.example.com (no trailing dot, no scheme)`);
    (args.alertEmails ?? []).forEach((e, i) => {
        if (!/^[^@\s]+@[^@\s]+$/.test(e)) p.push(`alertEmails[${i}]: "${e}" is not an email address`);
    });
    (args.alertWebhooks ?? []).forEach((w, i) => {
        // Webhook URLs carry tokens: never echoed.
        if (!isHttpsUrl(w)) p.push(`alertWebhooks[${i}]: must be an https:// URL (alerts carry incident details; value not shown: webhooks carry tokens)`);
    });
    if (args.errorRateThreshold !== undefined && !(args.errorRateThreshold > 0 && args.errorRateThreshold < 1)) p.push(`errorRateThreshold: ${args.errorRateThreshold} must be a share between 0 and 1, e.g. 0.05 for 5%`);
    if (args.latencyThresholdMs !== undefined && !(args.latencyThresholdMs > 0)) p.push(`latencyThresholdMs: ${args.latencyThresholdMs} must be a positive number of milliseconds`);
    p.push(...validateTracks(args.tracks, GCP_MAX_TRACKS, "a GCP site's URL map"));
    if (args.data) p.push(...validateData(args, args.data));
    else if (args.bucketDualRegion !== undefined) p.push(`bucketDualRegion: "${args.bucketDualRegion}" is set but the site keeps no data; remove it or give the site data`);
    return p;
}

function validateData(args: GcpSiteArgs, data: SiteDataArgs): string[] {
    const p: string[] = [];
    const rf = data.replicationFactor;
    if (!Number.isInteger(rf) || rf < 1 || rf > CLOUD_SQL_MAX_REPLICATION_FACTOR) {
        p.push(
            `data.replicationFactor: ${rf} cannot be built with Cloud SQL; expected 1-${CLOUD_SQL_MAX_REPLICATION_FACTOR} ` +
                `(a REGIONAL instance holds 2 copies, and a primary takes at most 10 read replicas, one of which is kept free for a secondary site's cross-region replica)`,
        );
    }
    const cron = cronProblem(data.backupSchedule);
    if (cron) p.push(`data.backupSchedule: ${cron}`);
    if (!Number.isInteger(data.backupRetentionDays) || data.backupRetentionDays < 1 || data.backupRetentionDays > 365) {
        p.push(`data.backupRetentionDays: ${data.backupRetentionDays} is outside Cloud SQL's 1-365 retained daily backups`);
    }
    if (data.backupCopyRegion !== undefined) {
        if (data.backupCopyRegion === args.region) {
            p.push(`data.backupCopyRegion: "${data.backupCopyRegion}" is the site's own region; a copy there does not survive a regional outage, pick another region or a multi-region (us, eu, asia)`);
        } else if (!GCP_REGION.test(data.backupCopyRegion) && !MULTI_REGIONS.includes(data.backupCopyRegion)) {
            p.push(`data.backupCopyRegion: "${data.backupCopyRegion}" is not a GCP region or multi-region; expected e.g. us-east1 or us`);
        }
    }
    if (data.storageGb !== undefined && (!Number.isInteger(data.storageGb) || data.storageGb < 10 || data.storageGb > 65536)) {
        p.push(`data.storageGb: ${data.storageGb} is outside Cloud SQL's 10-65536 GB`);
    }
    const source = data.replicaOf;
    if (source) {
        if (source.engine !== data.engine) p.push(`data.replicaOf: a ${source.engine} database cannot feed this site's ${data.engine} database; use the same engine on both sites`);
        if (source.cloud === "gcp" && source.location === args.region) {
            p.push(`data.replicaOf: the source database is in ${source.location}, this site's own region; a cross-region replica must be in another region, move the site or the source`);
        }
    }
    if (args.bucketDualRegion !== undefined) {
        if (data.objectStorage === false) p.push(`bucketDualRegion: "${args.bucketDualRegion}" is set but data.objectStorage is false; remove one of them`);
        if (args.bucketDualRegion === args.region) p.push(`bucketDualRegion: "${args.bucketDualRegion}" is the site's own region; name a second region on the same continent`);
        else if (!GCP_REGION.test(args.bucketDualRegion)) p.push(`bucketDualRegion: "${args.bucketDualRegion}" is not a GCP region; expected e.g. us-east1`);
        else if (multiRegionOf(args.region) === undefined || multiRegionOf(args.region) !== multiRegionOf(args.bucketDualRegion)) {
            p.push(`bucketDualRegion: "${args.bucketDualRegion}" and region "${args.region}" do not form a configurable dual-region; both must be in the US, Europe or Asia multi-region`);
        }
    } else if (args.turboReplication === true) {
        p.push("turboReplication: true needs a dual-region bucket; set bucketDualRegion too");
    }
    return p;
}

/**
 * Problems with the component name: it prefixes every child, and GCP limits compute resource
 * names to 63 characters (longest child: `<name>-cert-map-entry`, or `<name>-backend-<track>` with
 * release tracks, plus Pulumi's 8-character suffix).
 */
export function validateGcpSiteName(name: string, tracks: readonly TrafficTrack[] = []): string[] {
    const p: string[] = [];
    if (!/^[a-z]([a-z0-9-]*[a-z0-9])?$/.test(name)) p.push(`name: "${name}" must be lowercase letters, digits and '-', starting with a letter and not ending with '-' (it prefixes GCP resource names)`);
    if (name.length > 40) {
        p.push(`name: "${name}" is ${name.length} characters; at most 40 keep its children within GCP's 63-character names, e.g. "<service>-<region>"`);
    } else {
        for (const [i, t] of tracks.entries()) {
            const child = `${name}-backend-${t.name}`;
            if (typeof t.name === "string" && child.length > 55) {
                p.push(`tracks[${i}].name: "${t.name}" makes the backend service name "${child}" ${child.length} characters; with Pulumi's 8-character suffix GCP allows 55, shorten the track name or the site name`);
            }
        }
    }
    return p;
}

/** Allowed but unwise settings, as warnings to log. Pure. */
export function gcpSiteWarnings(args: GcpSiteArgs): string[] {
    const w: string[] = [];
    if (args.environment === "prod" && (args.alertEmails ?? []).length + (args.alertWebhooks ?? []).length === 0) {
        w.push("alertEmails/alertWebhooks: none given in prod; alert policies are created but notify no one");
    }
    if (args.data && cronProblem(args.data.backupSchedule) === undefined) {
        const s = parseCron(args.data.backupSchedule);
        if (!s.everyDay || runsPerDay(s) > 1) {
            w.push(
                `data.backupSchedule: "${args.data.backupSchedule}" is not once a day; Cloud SQL takes one automated backup daily (at ${cloudSqlBackupStartTime(args.data.backupSchedule)} UTC) and point-in-time recovery covers the time between`,
            );
        }
    }
    if (args.data?.replicaOf && args.data.replicaOf.cloud !== "gcp") {
        w.push(`data.replicaOf: the source is on ${args.data.replicaOf.cloud}; Cloud SQL cannot replicate from it natively, so this site runs its own primary that the replication component must feed`);
    }
    if (args.data?.vaultLock) w.push("data.vaultLock: Cloud SQL has no vault lock; backups are protected by deletion protection and retainBackupsOnDelete instead");
    return w;
}

/**
 * A service in one GCP region: Cloud Run behind a global HTTPS load balancer, Cloud SQL, a bucket
 * and alerts. Implements release `tracks` (one Cloud Run service, NEG and backend service per
 * track, weighted by the URL map's default route).
 */
export class GcpSite extends pulumi.ComponentResource implements Site {
    readonly endpoint: SiteEndpoint;
    readonly role?: SiteRole;
    readonly weight?: number;
    readonly minCapacity: number;
    readonly maxCapacity: number;
    readonly database?: SiteDatabase;
    readonly bucket?: SiteBucket;
    /** The GCP provider every child uses (project + region of the site). */
    readonly provider: gcp.Provider;
    /** The Google Cloud APIs the site enables (gcp.projects.Service, kept on at destroy); every other child depends on them. */
    readonly apis: SiteApis;
    /** Cloud Run service name: the only one without tracks, else the one taking the most requests. */
    readonly serviceName: pulumi.Output<string>;
    /** Cloud Run service names, one per release track (one without tracks). */
    readonly serviceNames: pulumi.Output<string>[];
    /** Names of the release tracks this site serves; undefined without tracks. */
    readonly tracks?: readonly string[];
    /** The load balancer's reserved global IPv4 address (also in endpoint.target). */
    readonly address: pulumi.Output<string>;
    /**
     * The DNS record (CNAME) that authorizes the managed certificate; only with `domain`. The DNS
     * component must create it in the zone, or the certificate is never issued.
     */
    readonly certificateDnsRecord?: pulumi.Output<{ name: string; type: string; data: string }>;
    /** Cloud SQL connection name (project:region:instance), for the Cloud SQL connectors. */
    readonly databaseConnectionName?: pulumi.Output<string>;

    constructor(name: string, args: GcpSiteArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:site:GcpSite", name, {}, opts);
        const problems = [...validateGcpSiteName(name, args.tracks), ...validateGcpSiteArgs(args)];
        if (problems.length > 0) throw new pulumi.ResourceError(`GcpSite ${name}: invalid args:\n  ${problems.join("\n  ")}`, this);
        for (const warning of gcpSiteWarnings(args)) pulumi.log.warn(`GcpSite ${name}: ${warning}`, this);
        const a = resolveGcpSiteDefaults(args);

        this.provider = new gcp.Provider(`${name}-gcp`, { project: a.project, region: a.region, defaultLabels: { ...a.labels } }, { parent: this });
        // Every API the site calls, enabled first; every other child waits for them.
        this.apis = enableSiteApis(name, a.project, siteApis({ domain: a.domain !== undefined, data: a.data !== undefined, bucket: a.data?.objectStorage === true }), this, this.provider);
        const child = { parent: this, provider: this.provider, dependsOn: [...this.apis.all] };

        // Ids unique per project: two stacks (or two sites) in one project must not collide.
        const stackUnique = shortHash(`${pulumi.getProject()}/${pulumi.getStack()}/${name}`);
        // The service's own identity: only what it needs (Cloud SQL client, its secret, its bucket).
        const accountId = `${a.service.slice(0, 13)}-${stackUnique}`;
        const serviceAccount = new gcp.serviceaccount.Account(`${name}-sa`, { accountId, displayName: `${a.service} in ${a.region} (nonstop)` }, child);
        const serviceAccountEmail = `${accountId}@${a.project}.iam.gserviceaccount.com`;

        const sql = a.data ? createCloudSql(name, a, a.data, serviceAccountEmail, this, child) : undefined;
        const bucket = a.data?.objectStorage ? createGcpBucket(name, a, a.data, serviceAccountEmail, this, child) : undefined;

        const run = createCloudRun(
            name,
            a,
            {
                // Cloud Run names are unique per region of the project.
                uniqueSuffix: stackUnique,
                serviceAccountEmail,
                sql,
                bucket,
                dependsOn: [serviceAccount, ...(sql?.grants ?? []), ...(bucket?.grants ?? [])],
            },
            child,
        );
        const lb = createLoadBalancer(name, a, run.versions, child);
        const serviceNames = run.versions.map((v) => v.service.name);
        createGcpMonitoring(name, a, { serviceNames, address: lb.address.address, sqlInstances: sql ? [sql.primary, ...sql.replicas] : [] }, child);
        const main = mainTrack(run.versions);

        this.role = a.role;
        this.weight = a.weight;
        this.minCapacity = a.minCapacity;
        this.maxCapacity = a.maxCapacity;
        this.serviceName = main.service.name;
        this.serviceNames = serviceNames;
        this.tracks = a.tracks?.map((t) => t.name);
        this.address = lb.address.address;
        this.certificateDnsRecord = lb.certificateDnsRecord;
        this.endpoint = {
            key: a.key,
            cloud: "gcp",
            location: a.region,
            target: { kind: "ip", address: lb.address.address },
            healthCheckHost: lb.address.address,
            healthCheckPath: a.healthCheckPath,
            healthCheckPort: a.domain ? 443 : 80,
        };
        this.database = sql?.siteDatabase;
        this.databaseConnectionName = sql?.primary.connectionName;
        this.bucket = bucket?.siteBucket;
        this.registerOutputs({
            endpoint: this.endpoint,
            address: this.address,
            serviceName: this.serviceName,
            serviceNames: this.serviceNames,
            tracks: this.tracks,
            database: this.database,
            bucket: this.bucket,
            certificateDnsRecord: this.certificateDnsRecord,
        });
    }
}
