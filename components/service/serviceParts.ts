// What both topologies share: the args, building a site from its config, DNS by provider,
// replication from the writer site to every other site by cloud pair, and the component class
// both service components extend.
import * as pulumi from "@pulumi/pulumi";
import type { AlertsConfig, DnsConfig, ServiceConfig, SiteConfig } from "../../stacks/config";
import { siteKey } from "../../stacks/config";
import { ChangeDataCapture, cdcMechanism } from "../data/changeDataCapture";
import { GlobalDatabaseFailover } from "../data/globalDatabaseFailover";
import { ObjectReplication } from "../data/objectReplication";
import { CloudDnsFailover } from "../dns/cloudDnsFailover";
import { assertNoIssues, recordFqdn, RoutedEndpoint, RoutingMode, stripDot, ZoneRecord } from "../dns/endpoints";
import { Route53Failover } from "../dns/route53Failover";
import { ServiceDashboard } from "../monitoring/serviceDashboard";
import type { AwsSite, AwsSiteDomain } from "../site/awsSite";
import { Cloud, Environment, SiteDatabase, SiteDataArgs, SiteRole } from "../site/site";
import { primaryImage, releaseTracks } from "./release";
import { makeSite, ServiceSite, SiteFactory, SitePlacement } from "./siteFactory";

export interface ServiceArgs {
    /** The service as the stack config describes it (already validated by parseStackConfig). */
    readonly service: ServiceConfig;
    readonly dns: DnsConfig;
    readonly environment: Environment;
    /** protect + retainOnDelete + provider deletion protection on stateful resources. */
    readonly protectStateful: boolean;
    /** Site key whose DNS health check is made to fail (game day). @default none */
    readonly drillSiteKey?: string;
    /**
     * Promote the Aurora global secondary automatically when the writer's site is declared dead
     * (GlobalDatabaseFailover). @default true in prod, false in dev (GlobalDatabaseFailover's `enabled`)
     */
    readonly automateDataFailover?: boolean;
    /** @default {} */
    readonly alerts?: AlertsConfig;
    /** Project of GCP sites and of Cloud DNS. Required with a GCP site or Cloud DNS. @default none */
    readonly gcpProject?: string;
    /** Label of the service's DNS record in the zone. @default the service name */
    readonly recordName?: string;
    /** Builds each site. @default makeSite: AwsSite, GcpSite or KubernetesSite by cloud */
    readonly siteFactory?: SiteFactory;
    /** Extra tags/labels on every site. @default {} */
    readonly tags?: Readonly<Record<string, string>>;
    /**
     * Resources every AWS DMS pipeline of the service waits for: the account's DMS service roles
     * (DmsServiceRoles), which DMS needs before its first replication instance. @default none
     */
    readonly dmsPrerequisites?: readonly pulumi.Resource[];
}

export interface ResolvedServiceArgs extends Required<Omit<ServiceArgs, "drillSiteKey" | "gcpProject" | "automateDataFailover" | "dmsPrerequisites">> {
    readonly drillSiteKey?: string;
    readonly automateDataFailover?: boolean;
    readonly gcpProject?: string;
    readonly dmsPrerequisites?: readonly pulumi.Resource[];
    readonly fqdn: string;
}

export function resolveServiceDefaults(args: ServiceArgs): ResolvedServiceArgs {
    const recordName = args.recordName ?? args.service.name;
    return {
        ...args,
        alerts: args.alerts ?? {},
        recordName,
        siteFactory: args.siteFactory ?? makeSite,
        tags: args.tags ?? {},
        fqdn: recordFqdn(recordName, args.dns.zone),
    };
}

/** Problems the stack config's schema cannot see on its own (it is checked there too, but components must not trust callers). */
export function validateServiceArgs(args: ServiceArgs, topology: ServiceConfig["topology"]): string[] {
    const issues: string[] = [];
    const svc = args.service;
    if (svc.topology !== topology) issues.push(`service.topology: "${svc.topology}" given to the ${topology} service component; use the component of that topology`);
    if (topology === "active-passive") {
        const primaries = svc.sites.filter((s) => s.role === "primary").length;
        if (primaries !== 1) issues.push(`service.sites: an active-passive service needs exactly one site with role primary, found ${primaries}`);
        if (!svc.sites.some((s) => s.role === "secondary")) issues.push("service.sites: an active-passive service needs at least one site with role secondary to fail over to");
    } else if (svc.sites.length < 2) {
        issues.push(`service.sites: an active-active service needs at least two sites, found ${svc.sites.length}`);
    }
    if (args.drillSiteKey !== undefined && !svc.sites.some((s) => siteKey(s) === args.drillSiteKey)) {
        issues.push(`drillSiteKey: "${args.drillSiteKey}" is not a site of ${svc.name}; expected one of ${svc.sites.map(siteKey).join(", ")}`);
    }
    if (args.dns.provider === "clouddns" && !args.gcpProject) issues.push("gcpProject: is required with Cloud DNS (the zone and its health check live in a GCP project)");
    if (svc.sites.some((s) => s.cloud === "gcp") && !args.gcpProject) issues.push(`gcpProject: is required because ${svc.name} has a GCP site`);
    if (args.dns.provider === "clouddns") {
        svc.sites.forEach((s, i) => {
            if (s.cloud === "aws") issues.push(`service.sites[${i}]: an AWS site cannot sit behind Cloud DNS routing (a load balancer has no fixed IP to health-check); use dns provider route53`);
            if (s.cloud === "kubernetes" && !s.loadBalancerIp) issues.push(`service.sites[${i}].loadBalancerIp: is required behind Cloud DNS, which health-checks only IP addresses`);
        });
    }
    return issues;
}

/** Per-site settings a topology decides. */
export interface SiteRoleSettings {
    /** Active-passive only. @default none */
    readonly role?: SiteRole;
    /** Active-active only. @default none */
    readonly weight?: number;
    readonly minCapacity: number;
    readonly data: SiteDataArgs;
}

/**
 * A GCP site serves HTTPS with a managed certificate when it has a domain. Behind Cloud DNS every
 * site shares one health check, so the domain is given only when every site is on GCP (all then
 * serve HTTPS on 443); Route 53 checks each site with its own protocol and port.
 */
export function gcpDomain(a: ResolvedServiceArgs): string | undefined {
    if (a.dns.provider === "route53") return a.fqdn;
    return a.service.sites.every((s) => s.cloud === "gcp") ? a.fqdn : undefined;
}

/**
 * An AWS site serves HTTPS with an ACM certificate it requests for the service's name and validates
 * in the Route 53 zone. Only Route 53 routes to AWS sites (validateServiceArgs refuses Cloud DNS),
 * so every AWS site of a valid service gets one.
 */
export function awsDomain(a: ResolvedServiceArgs): AwsSiteDomain | undefined {
    return a.dns.provider === "route53" ? { name: a.fqdn, zoneName: stripDot(a.dns.zone) } : undefined;
}

/** What a site of this cloud needs beyond its args: the GCP project, and the name (and zone) it serves HTTPS on. */
export function sitePlacement(a: ResolvedServiceArgs, config: SiteConfig): SitePlacement {
    switch (config.cloud) {
        case "gcp":
            return { gcpProject: a.gcpProject, domain: gcpDomain(a) };
        case "aws": {
            const domain = awsDomain(a);
            return { gcpProject: a.gcpProject, domain: domain?.name, zoneName: domain?.zoneName };
        }
        case "kubernetes":
            return { gcpProject: a.gcpProject, domain: undefined };
    }
}

export function createServiceSite(parent: pulumi.Resource, a: ResolvedServiceArgs, config: SiteConfig, settings: SiteRoleSettings): ServiceSite {
    const svc = a.service;
    const key = siteKey(config);
    const tracks = releaseTracks(svc.release, svc.image);
    const site = a.siteFactory(
        `${svc.name}-${key}`,
        config,
        {
            service: svc.name,
            image: primaryImage(tracks, svc.image),
            tracks,
            port: svc.port,
            healthCheckPath: svc.healthCheckPath,
            role: settings.role,
            weight: settings.weight,
            minCapacity: settings.minCapacity,
            maxCapacity: config.maxCapacity,
            environment: a.environment,
            protectStateful: a.protectStateful,
            data: settings.data,
            alertEmails: a.alerts.emails ?? [],
            alertWebhooks: a.alerts.webhooks ?? [],
            cpu: svc.cpu,
            memoryMb: svc.memoryMb,
            tags: { ...a.tags, service: svc.name, environment: a.environment },
        },
        sitePlacement(a, config),
        { parent },
    );
    if (tracks && !site.tracks) {
        pulumi.log.warn(
            `${svc.name}: site ${key} does not implement release tracks yet; it serves ${primaryImage(tracks, svc.image)} only, without the ${svc.release?.strategy} split`,
            site,
        );
    }
    return site;
}

/**
 * The data a site keeps: the service's data settings, replicating from `writer` unless it is the
 * writer. Backup copies go to the configured region when the site is in the writer's cloud (the
 * region is named in that cloud's terms); a site that sits in that very region sends its copies
 * to the writer's region instead.
 */
export function siteData(svc: ServiceConfig, config: SiteConfig, writer: SiteConfig, options: { readonly replicaOf?: SiteDatabase; readonly global?: boolean }): SiteDataArgs {
    const d = svc.data;
    const copy = d.backup.crossRegionCopy;
    const backupCopyRegion = copy === undefined || config.cloud !== writer.cloud ? undefined : copy === config.region ? writer.region : copy;
    return {
        engine: d.engine,
        replicationFactor: d.replicationFactor,
        backupSchedule: d.backup.schedule,
        backupRetentionDays: d.backup.retentionDays,
        backupCopyRegion: backupCopyRegion === config.region ? undefined : backupCopyRegion,
        // Vault lock is an AWS Backup setting; other clouds protect backups their own way.
        vaultLock: config.cloud === "aws" ? d.backup.vaultLock : undefined,
        objectStorage: d.objectStorage,
        storageGb: d.storageGb,
        // A site replicates natively only from its own cloud; across clouds the service feeds it
        // with change data capture (see replicateFromWriter), so the site runs its own primary.
        replicaOf: options.replicaOf?.cloud === config.cloud ? options.replicaOf : undefined,
        global: options.global || undefined,
        // Sites on the writer's cloud may be (or be promoted to) the source of change data capture
        // to a site on another cloud: their database needs logical replication on.
        logicalReplication: config.cloud === writer.cloud && svc.sites.some((s) => s.cloud !== writer.cloud) ? true : undefined,
    };
}

/** The writer must be an Aurora Global Database when another AWS site replicates from it. */
export function writerIsGlobal(writer: SiteConfig, others: readonly SiteConfig[]): boolean {
    return writer.cloud === "aws" && others.some((s) => s.cloud === "aws");
}

export interface ServiceDns {
    readonly fqdn: string;
    readonly healthCheckIds: Readonly<Record<string, pulumi.Output<string>>>;
    readonly consoleUrl: string;
    readonly component: Route53Failover | CloudDnsFailover;
    /** CloudWatch dashboard of the service's health checks and AWS load balancers (Route 53 DNS only). */
    readonly dashboard?: ServiceDashboard;
}

/** Failover or weighted records with provider health checks; the drilled site's check fails on purpose. */
export function createServiceDns(parent: pulumi.Resource, name: string, a: ResolvedServiceArgs, sites: readonly { site: ServiceSite; config: SiteConfig }[], mode: RoutingMode): ServiceDns {
    const endpoints: RoutedEndpoint[] = sites.map(({ site, config }) => ({ ...site.endpoint, role: config.role, weight: config.weight }));
    const supportRecords = sites.map(({ site }) => site.certificateDnsRecord).filter((r): r is pulumi.Output<ZoneRecord> => r !== undefined);
    const common = {
        zoneName: a.dns.zone,
        recordName: a.recordName,
        endpoints,
        mode,
        ttlSeconds: a.dns.ttlSeconds,
        healthCheck: a.dns.healthCheck,
        drillSiteKey: a.drillSiteKey,
        supportRecords,
    };
    if (a.dns.provider === "route53") {
        const dns = new Route53Failover(
            `${name}-dns`,
            { ...common, alertEmails: a.alerts.emails ?? [], alertWebhooks: a.alerts.webhooks ?? [], tags: { ...a.tags, service: a.service.name } },
            { parent },
        );
        const dashboard = createServiceDashboard(parent, name, a, sites, dns.healthCheckIds);
        return { fqdn: dns.fqdn, healthCheckIds: dns.healthCheckIds, consoleUrl: dns.consoleUrl, component: dns, dashboard };
    }
    // No dashboard behind Cloud DNS: its health checks report to Cloud Monitoring, not CloudWatch.
    const dns = new CloudDnsFailover(`${name}-dns`, { ...common, project: a.gcpProject, labels: { service: a.service.name } }, { parent });
    return { fqdn: dns.fqdn, healthCheckIds: dns.healthCheckIds, consoleUrl: dns.consoleUrl, component: dns };
}

/**
 * The service's CloudWatch dashboard: every site's Route 53 health check, and the load balancer of
 * every AWS site (sites that expose no ARN suffix, such as test stand-ins, are left out).
 */
export function createServiceDashboard(
    parent: pulumi.Resource,
    name: string,
    a: ResolvedServiceArgs,
    sites: readonly { site: ServiceSite; config: SiteConfig }[],
    healthCheckIds: Readonly<Record<string, pulumi.Output<string>>>,
): ServiceDashboard {
    const awsSites = sites.flatMap(({ site, config }) => {
        const suffix = (site as Partial<Pick<AwsSite, "loadBalancerArnSuffix">>).loadBalancerArnSuffix;
        return config.cloud === "aws" && config.region !== undefined && suffix !== undefined ? [{ key: site.endpoint.key, region: config.region, loadBalancerArnSuffix: suffix }] : [];
    });
    return new ServiceDashboard(
        `${name}-dashboard`,
        // Dashboard names are unique per account: the environment keeps dev's and prod's apart.
        { service: a.service.name, fqdn: a.fqdn, healthCheckIds, awsSites, dashboardName: `nonstop-${a.environment}-${a.service.name}` },
        { parent },
    );
}

/** How one site's database follows the writer's. */
export type DatabaseReplication = "aurora-global-database" | "cloud-sql-replica" | "streaming-replication" | "aws-dms" | "gcp-dms" | "none";

export function databaseReplication(from: Cloud, to: Cloud): DatabaseReplication {
    if (from === to) return ({ aws: "aurora-global-database", gcp: "cloud-sql-replica", kubernetes: "streaming-replication" } as const)[from];
    return cdcMechanism(from, to);
}

export interface SiteReplication {
    readonly database: DatabaseReplication;
    readonly objects: string;
}

/**
 * Same cloud: the site's replicaOf already replicates the database. Across clouds: change data
 * capture. Objects: one ObjectReplication from the writer's bucket to every other bucket. With the
 * service's DNS, an AWS follower of an Aurora Global Database is promoted when the writer is lost.
 */
export function replicateFromWriter(parent: pulumi.Resource, name: string, a: ResolvedServiceArgs, writer: ServiceSite, others: readonly ServiceSite[], dns?: ServiceDns): Record<string, SiteReplication> {
    const out: Record<string, SiteReplication> = {};
    const writerDb = writer.database;
    for (const other of others) {
        const db = other.database;
        let database: DatabaseReplication = "none";
        if (writerDb && db) {
            database = databaseReplication(writerDb.cloud, db.cloud);
            if (writerDb.cloud !== db.cloud) {
                const cdc = new ChangeDataCapture(
                    `${name}-cdc-${other.endpoint.key}`,
                    { source: writerDb, target: db, gcpProject: a.gcpProject, tags: { ...a.tags, service: a.service.name } },
                    { parent, dependsOn: [writer, other, ...(a.dmsPrerequisites ?? [])] },
                );
                database = cdc.mechanism;
            }
        }
        out[other.endpoint.key] = { database, objects: "none" };
    }
    const source = writer.bucket;
    const withBuckets = others.filter((o) => o.bucket !== undefined);
    if (source && withBuckets.length > 0) {
        const objects = new ObjectReplication(
            `${name}-objects`,
            { source, destinations: withBuckets.map((o) => o.bucket!), gcpProject: a.gcpProject, tags: { ...a.tags, service: a.service.name } },
            // Replication needs versioning on both buckets: wait for the sites.
            { parent, dependsOn: [writer, ...withBuckets] },
        );
        for (const o of withBuckets) out[o.endpoint.key] = { ...out[o.endpoint.key], objects: objects.mechanisms[`${o.bucket!.cloud}-${o.bucket!.location}`] };
    }
    if (dns) automateGlobalDatabaseFailover(parent, name, a, writer, others, dns);
    return out;
}

/**
 * Promotes the first AWS follower of the writer's Aurora Global Database when the writer's Route 53
 * health check has failed long enough. One target only (the first listed, as DNS tries them): two
 * automated promotions would race, and the second would discard the writes the first accepted.
 */
export function automateGlobalDatabaseFailover(
    parent: pulumi.Resource,
    name: string,
    a: ResolvedServiceArgs,
    writer: ServiceSite,
    others: readonly ServiceSite[],
    dns: ServiceDns,
): GlobalDatabaseFailover | undefined {
    const writerDb = writer.database;
    const writerCheck = dns.healthCheckIds[writer.endpoint.key];
    if (a.dns.provider !== "route53" || writerCheck === undefined || writerDb?.cloud !== "aws" || !writerDb.global) return undefined;
    const target = others.find((o) => o.database?.cloud === "aws" && o.database.location !== writerDb.location);
    if (!target?.database) return undefined;
    return new GlobalDatabaseFailover(
        `${name}-db-failover`,
        {
            globalClusterIdentifier: writerDb.id,
            writerRegion: writerDb.location,
            writerSiteKey: writer.endpoint.key,
            writerHealthCheckId: writerCheck,
            targetRegion: target.database.location,
            // Exact clusters when the sites expose them: the function's IAM policy then names only these.
            targetClusterArn: target.database.clusterArn,
            memberClusterArns: writerDb.clusterArn && target.database.clusterArn ? [writerDb.clusterArn, target.database.clusterArn] : undefined,
            environment: a.environment,
            enabled: a.automateDataFailover,
            drillSiteKey: a.drillSiteKey,
            // AwsSite's alert topic is in its own region, where the function's error alarm lives.
            alertTopicArn: (target as Partial<Pick<AwsSite, "alertTopicArn">>).alertTopicArn,
            tags: { ...a.tags, service: a.service.name },
        },
        { parent, dependsOn: [writer, target] },
    );
}

/** What a topology's build function returns, at the least: the service's DNS and how its data is replicated. */
export interface ServiceParts {
    readonly dns: ServiceDns;
    readonly replication: Readonly<Record<string, SiteReplication>>;
}

/** Builds a topology's sites, DNS and replication under `parent`, from validated and resolved args. */
export type BuildService<P extends ServiceParts> = (parent: pulumi.Resource, name: string, a: ResolvedServiceArgs) => P;

/**
 * The component both topologies are: validate the args, build with the topology's function,
 * expose the outputs every service has. A subclass names its type token, its topology and its
 * build function, and exposes its own sites from `parts`.
 */
export abstract class ServiceComponent<P extends ServiceParts> extends pulumi.ComponentResource {
    public readonly fqdn: string;
    /** Health check each site's record carries, by site key. */
    public readonly healthCheckIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** How each site other than the writer (the primary, in active-passive) follows its database and objects, by site key. */
    public readonly replication: Readonly<Record<string, SiteReplication>>;
    public readonly dnsConsoleUrl: string;
    /** Console page of the service's CloudWatch dashboard; none behind Cloud DNS. */
    public readonly dashboardUrl?: string;
    /** Everything the build function made, for the subclass's own outputs. */
    protected readonly parts: P;

    protected constructor(
        type: `nonstop:service:${string}`,
        topology: ServiceConfig["topology"],
        build: BuildService<P>,
        name: string,
        args: ServiceArgs,
        opts: pulumi.ComponentResourceOptions,
    ) {
        super(type, name, {}, opts);
        // Errors name the component class, which is the last segment of its type token.
        assertNoIssues(type.slice(type.lastIndexOf(":") + 1), name, validateServiceArgs(args, topology), this);
        this.parts = build(this, name, resolveServiceDefaults(args));
        this.fqdn = this.parts.dns.fqdn;
        this.healthCheckIds = this.parts.dns.healthCheckIds;
        this.replication = this.parts.replication;
        this.dnsConsoleUrl = this.parts.dns.consoleUrl;
        this.dashboardUrl = this.parts.dns.dashboard?.url;
        this.registerOutputs({ fqdn: this.fqdn, healthCheckIds: this.healthCheckIds, replication: this.replication, dashboardUrl: this.dashboardUrl });
    }
}
