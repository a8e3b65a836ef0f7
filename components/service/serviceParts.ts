// What both topologies share: the args, building the sites (the writer first, every other site
// with a path to the writer or read-only), DNS by provider, and the component class both service
// components extend. Replication and the failover automation are in ./replication.ts and
// ./pilotLight.ts; where writes go is decided in ./plan.ts.
import * as pulumi from "@pulumi/pulumi";
import { CloudDnsFailover } from "../dns/cloudDnsFailover";
import { assertNoIssues, probeProtocol, recordFqdn, RoutedEndpoint, RoutingMode, stripDot, ZoneRecord } from "../dns/endpoints";
import { Route53Failover } from "../dns/route53Failover";
import { ServiceDashboard } from "../monitoring/serviceDashboard";
import type { AwsSite, AwsSiteDomain } from "../site/awsSite";
import { Environment, SiteDatabase, SiteDataArgs, SiteRole, WriteRoute } from "../site/site";
import { planService, ServicePlan, SitePlan } from "./plan";
import { primaryImage, releaseTracks } from "./release";
import { makeSite, ServiceSite, SiteFactory, SitePlacement } from "./siteFactory";
import { AlertSpec, DnsSpec, FailbackSpec, KubernetesDatabaseSpec, ServiceSpec, SiteSpec, siteKey } from "./spec";

export interface ServiceArgs {
    /** The service: its image, sites and data (see ServiceSpec). */
    readonly service: ServiceSpec;
    readonly dns: DnsSpec;
    readonly environment: Environment;
    /** protect + retainOnDelete + provider deletion protection on stateful resources. */
    readonly protectStateful: boolean;
    /** Site key whose DNS health check is made to fail (game day). @default none */
    readonly drillSiteKey?: string;
    /**
     * Promote the Aurora global secondary automatically when the writer's region is lost
     * (GlobalDatabaseFailover). @default true in prod, false in dev (GlobalDatabaseFailover's `enabled`)
     */
    readonly automateDataFailover?: boolean;
    /** @default {} */
    readonly alerts?: AlertSpec;
    /** Project of GCP sites and of Cloud DNS. Required with a GCP site or Cloud DNS. @default none */
    readonly gcpProject?: string;
    /** Label of the service's DNS record in the zone. @default the service name */
    readonly recordName?: string;
    /** Builds each site. @default makeSite: AwsSite, GcpSite or KubernetesSite by cloud */
    readonly siteFactory?: SiteFactory;
    /** Extra tags/labels on every site. @default {} */
    readonly tags?: Readonly<Record<string, string>>;
    /**
     * Site keys whose app cannot reach the writer database (its own database is a copy on another
     * cloud): they serve reads locally and send writes to the writer's site. Every site that has no
     * path to the writer must be listed. @default none
     */
    readonly readOnlySites?: readonly string[];
    /** A failback in progress: the writer's home site stays out of DNS (see FailbackSpec). @default none */
    readonly failback?: FailbackSpec;
    /** CloudNativePG settings of the Kubernetes sites, by site key. @default {} */
    readonly kubernetesDatabases?: Readonly<Record<string, KubernetesDatabaseSpec>>;
    /** The CloudNativePG operator each cluster's database waits for, by kubeconfig context (CloudNativePgOperator). @default none: installed already */
    readonly databaseOperators?: Readonly<Record<string, pulumi.Resource>>;
    /** Resources every change data capture waits for (e.g. the account-wide DMS roles). @default none */
    readonly dmsPrerequisites?: readonly pulumi.Resource[];
}

type OptionalWithoutDefault = "drillSiteKey" | "gcpProject" | "automateDataFailover" | "failback";

export interface ResolvedServiceArgs extends Required<Omit<ServiceArgs, OptionalWithoutDefault>>, Pick<ServiceArgs, OptionalWithoutDefault> {
    readonly fqdn: string;
    /** Where writes go. */
    readonly plan: ServicePlan;
}

export function resolveServiceDefaults(args: ServiceArgs): ResolvedServiceArgs {
    const recordName = args.recordName ?? args.service.name;
    const readOnlySites = args.readOnlySites ?? [];
    const kubernetesDatabases = args.kubernetesDatabases ?? {};
    return {
        ...args,
        alerts: args.alerts ?? {},
        recordName,
        siteFactory: args.siteFactory ?? makeSite,
        tags: args.tags ?? {},
        readOnlySites,
        kubernetesDatabases,
        databaseOperators: args.databaseOperators ?? {},
        dmsPrerequisites: args.dmsPrerequisites ?? [],
        fqdn: recordFqdn(recordName, args.dns.zone),
        plan: planService(args.service, readOnlySites, kubernetesDatabases),
    };
}

/** Problems the stack config's schema cannot see on its own (it is checked there too, but components must not trust callers). */
export function validateServiceArgs(args: ServiceArgs, topology: ServiceSpec["topology"]): string[] {
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
    if (issues.length > 0) return issues;
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
    const plan = planService(svc, args.readOnlySites, args.kubernetesDatabases);
    for (const site of plan.unreachable) {
        issues.push(
            `readOnlySites: site ${site.key} cannot reach the writer database in ${plan.writer.key} (${site.spec.cloud === plan.writer.spec.cloud ? "no external host for the upstream database" : "its database is a change-data-capture copy on another cloud"}); ` +
                "list it in readOnlySites so that it serves reads and sends writes to the writer's site",
        );
    }
    for (const key of args.readOnlySites ?? []) {
        if (!svc.sites.some((s) => siteKey(s) === key)) issues.push(`readOnlySites: "${key}" is not a site of ${svc.name}; expected one of ${svc.sites.map(siteKey).join(", ")}`);
        else if (key === plan.writer.key) issues.push(`readOnlySites: "${key}" holds the writer database; the writer's site cannot be read-only`);
    }
    if (svc.standby === "pilot-light") {
        plan.sites.forEach((s) => {
            if (s.spec.role === "secondary" && s.spec.minCapacity < 1) {
                issues.push(`service.sites[${s.index}].minCapacity: 0 for pilot-light secondary ${s.key}; a pilot light runs nothing until failover and then scales out to minCapacity, so give it 1 or more`);
            }
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

/** What a site of this cloud needs beyond its args: the GCP project, the name (and zone) it serves HTTPS on, its network range, its database's reach. */
export function sitePlacement(a: ResolvedServiceArgs, plan: SitePlan): SitePlacement {
    switch (plan.spec.cloud) {
        case "gcp":
            return { gcpProject: a.gcpProject, domain: gcpDomain(a) };
        case "aws": {
            const domain = awsDomain(a);
            return { gcpProject: a.gcpProject, domain: domain?.name, zoneName: domain?.zoneName, vpcCidr: plan.vpcCidr };
        }
        case "kubernetes": {
            const cluster = plan.spec.cluster ?? "";
            return { gcpProject: a.gcpProject, domain: undefined, kubernetesDatabase: a.kubernetesDatabases[plan.key], databaseOperator: a.databaseOperators[cluster] };
        }
    }
}

export function createServiceSite(parent: pulumi.Resource, a: ResolvedServiceArgs, plan: SitePlan, settings: SiteRoleSettings, data: SiteDataArgs): ServiceSite {
    const svc = a.service;
    const tracks = releaseTracks(svc.release, svc.image);
    const site = a.siteFactory(
        `${svc.name}-${plan.key}`,
        plan.spec,
        {
            service: svc.name,
            image: primaryImage(tracks, svc.image),
            tracks,
            port: svc.port,
            healthCheckPath: svc.healthCheckPath,
            dnsHealthCheckPath: a.dns.healthCheck.path,
            role: settings.role,
            weight: settings.weight,
            minCapacity: settings.minCapacity,
            maxCapacity: plan.spec.maxCapacity,
            environment: a.environment,
            protectStateful: a.protectStateful,
            data,
            alertEmails: a.alerts.emails ?? [],
            alertWebhooks: a.alerts.webhooks ?? [],
            cpu: svc.cpu,
            memoryMb: svc.memoryMb,
            tags: { ...a.tags, service: svc.name, environment: a.environment },
        },
        sitePlacement(a, plan),
        { parent },
    );
    if (tracks && !site.tracks) {
        pulumi.log.warn(
            `${svc.name}: site ${plan.key} does not implement release tracks yet; it serves ${primaryImage(tracks, svc.image)} only, without the ${svc.release?.strategy} split`,
            site,
        );
    }
    return site;
}

/**
 * The data a site keeps: the service's data settings, replicating from the writer unless it is the
 * writer. Backup copies go to the configured region when the site is in the writer's cloud (the
 * region is named in that cloud's terms); a site that sits in that very region sends its copies
 * to the writer's region instead.
 */
export function siteData(
    svc: ServiceSpec,
    config: SiteSpec,
    writer: SiteSpec,
    options: {
        readonly replicaOf?: SiteDatabase;
        readonly global?: boolean;
        readonly readOnly?: boolean;
        readonly writeRoute?: WriteRoute;
        readonly allowedClients?: pulumi.Input<string[]>;
    },
): SiteDataArgs {
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
        readOnly: options.readOnly || undefined,
        writeRoute: options.readOnly ? options.writeRoute : undefined,
        allowedClients: options.allowedClients,
    };
}

/** Where a read-only site sends writes: another site's public address, spoken to as the service's name. */
export function writeRouteTo(site: ServiceSite, serverName: string): WriteRoute {
    const e = site.endpoint;
    const t = e.target;
    const host = t.kind === "alias" ? t.dnsName : t.kind === "ip" ? t.address : t.hostname;
    return { host, hostKind: t.kind === "ip" ? "ip" : "name", port: e.healthCheckPort, protocol: probeProtocol({ port: e.healthCheckPort, protocol: e.healthCheckProtocol }), serverName };
}

/** The egress addresses (/32) of an AWS site's network, which other clouds admit for change data capture. */
export function egressCidrs(site: ServiceSite): pulumi.Output<string[]> {
    const ips = site.database?.network?.egressIps ?? [];
    return pulumi.all([...ips]).apply((list) => list.filter((ip) => ip !== undefined && ip !== "").map((ip) => `${ip}/32`));
}

/** The sites of a service, in its order, with the writer and the plan they were built from. */
export interface ServiceSites {
    readonly writer: ServiceSite;
    /** Every site in the service's order (the spec's `sites`). */
    readonly sites: readonly ServiceSite[];
    readonly plan: ServicePlan;
    /**
     * Route 53 only, with read-only sites and an Aurora global database: the sites the DNS name
     * `writes.<fqdn>` fails over between (the writer's, then the promotion target's), and the
     * resolver of the host the read-only sites were given (createServiceDns calls it).
     */
    readonly writeRoute?: { readonly siteKeys: readonly string[]; readonly resolve: (fqdn: pulumi.Output<string>) => void };
}

/**
 * Builds every site: the writer first (a global database when another AWS site joins it), then
 * the sites with a path to the writer, then the read-only ones (their writes go to the writer's
 * site, or, during a failback, to the site that took the writer over). Databases on another cloud
 * admit the change data capture's egress addresses: a follower admits the AWS writer's, and a
 * non-AWS writer admits those of the AWS followers built after it (a deferred output).
 */
export function buildServiceSites(parent: pulumi.Resource, a: ResolvedServiceArgs, settingsOf: (site: SitePlan) => SiteRoleSettings): ServiceSites {
    const plan = a.plan;
    const svc = a.service;
    const writerSpec = plan.writer.spec;
    const awsWriter = writerSpec.cloud === "aws";
    const [cdcReaders, admitCdcReaders] = pulumi.deferredOutput<string[]>();
    const writer = createServiceSite(
        parent,
        a,
        plan.writer,
        settingsOf(plan.writer),
        // A Cloud SQL writer admits only its readers; a CloudNativePG writer's external Service also
        // serves replica clusters in other Kubernetes clusters, so it stays open to TLS clients.
        siteData(svc, writerSpec, writerSpec, { global: plan.globalDatabase, allowedClients: writerSpec.cloud === "gcp" ? cdcReaders : undefined }),
    );
    const built = new Map<string, ServiceSite>([[plan.writer.key, writer]]);
    const others = plan.sites.filter((s) => !s.writer);
    const build = (site: SitePlan, writeRoute?: WriteRoute) => {
        const data = siteData(svc, site.spec, writerSpec, {
            replicaOf: writer.database,
            readOnly: site.writes === "read-only",
            writeRoute,
            // A copy on another cloud, fed by DMS from the AWS writer's network.
            allowedClients: awsWriter && site.spec.cloud !== "aws" ? egressCidrs(writer) : undefined,
        });
        built.set(site.key, createServiceSite(parent, a, site, settingsOf(site), data));
    };
    for (const site of others.filter((s) => s.writes !== "read-only")) build(site);
    const readOnly = others.filter((s) => s.writes === "read-only");
    // With Route 53 and a promotion target, writes go to a failover name over the writer's site and
    // the target's: it follows a lost or pinned-out writer's site without a pulumi up. Otherwise to
    // the writer's site (during a failback, the site that took the writer over).
    const viaDns = a.dns.provider === "route53" && awsWriter && plan.globalDatabase && plan.promotionTarget !== undefined && readOnly.length > 0;
    const [writesHost, resolveWritesHost] = viaDns ? pulumi.deferredOutput<string>() : [undefined, undefined];
    const takenOver = a.failback && plan.promotionTarget ? built.get(plan.promotionTarget.key) : undefined;
    const direct = writeRouteTo(takenOver ?? writer, a.fqdn);
    const route: WriteRoute = writesHost ? { ...direct, host: writesHost, hostKind: "name" } : direct;
    for (const site of readOnly) build(site, route);
    // A non-AWS writer admits the AWS sites that read it through DMS.
    const readers = awsWriter ? [] : others.filter((s) => s.spec.cloud === "aws").map((s) => egressCidrs(built.get(s.key)!));
    admitCdcReaders(pulumi.all(readers).apply((lists) => lists.flat()));
    return {
        writer,
        sites: plan.sites.map((s) => built.get(s.key)!),
        plan,
        writeRoute: resolveWritesHost && plan.promotionTarget ? { siteKeys: [plan.writer.key, plan.promotionTarget.key], resolve: resolveWritesHost } : undefined,
    };
}

export interface ServiceDns {
    readonly fqdn: string;
    readonly healthCheckIds: Readonly<Record<string, pulumi.Output<string>>>;
    readonly consoleUrl: string;
    readonly component: Route53Failover | CloudDnsFailover;
    /** CloudWatch dashboard of the service's health checks and AWS load balancers (Route 53 DNS only). */
    readonly dashboard?: ServiceDashboard;
}

/**
 * Failover or weighted records with provider health checks; the drilled site's check fails on
 * purpose, and so does the writer's home site's while a failback is pending. A pilot-light
 * secondary is probed on its load balancer's own path, so it is routable while it scales out.
 */
export function createServiceDns(
    parent: pulumi.Resource,
    name: string,
    a: ResolvedServiceArgs,
    sites: readonly { site: ServiceSite; config: SiteSpec }[],
    mode: RoutingMode,
    writeRoute?: ServiceSites["writeRoute"],
): ServiceDns {
    const pilotLight = a.service.topology === "active-passive" && a.service.standby === "pilot-light";
    const endpoints: RoutedEndpoint[] = sites.map(({ site, config }) => ({
        ...site.endpoint,
        role: config.role,
        weight: config.weight,
        ...(pilotLight && config.role === "secondary" && site.endpoint.loadBalancerProbePath ? { probePath: site.endpoint.loadBalancerProbePath } : {}),
    }));
    const supportRecords = sites.map(({ site }) => site.certificateDnsRecord).filter((r): r is pulumi.Output<ZoneRecord> => r !== undefined);
    const common = {
        zoneName: a.dns.zone,
        recordName: a.recordName,
        endpoints,
        mode,
        ttlSeconds: a.dns.ttlSeconds,
        healthCheck: a.dns.healthCheck,
        drillSiteKey: a.drillSiteKey,
        pinnedOutSiteKey: a.failback ? a.plan.writer.key : undefined,
        supportRecords,
    };
    if (a.dns.provider === "route53") {
        const dns = new Route53Failover(
            `${name}-dns`,
            {
                ...common,
                alertEmails: a.alerts.emails ?? [],
                alertWebhooks: a.alerts.webhooks ?? [],
                ...(writeRoute ? { writeRoute: { siteKeys: writeRoute.siteKeys } } : {}),
                tags: { ...a.tags, service: a.service.name },
            },
            { parent },
        );
        if (writeRoute && dns.writesFqdn) writeRoute.resolve(dns.writesFqdn);
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
    sites: readonly { site: ServiceSite; config: SiteSpec }[],
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

/** What a topology's build function returns, at the least: the service's DNS and how its data is replicated. */
export interface ServiceParts {
    readonly dns: ServiceDns;
    readonly replication: Readonly<Record<string, SiteReplication>>;
}

/** How one site's database follows the writer's. */
export type DatabaseReplication = "aurora-global-database" | "cloud-sql-replica" | "cnpg-replica-cluster" | "aws-dms" | "gcp-dms" | "none";

export interface SiteReplication {
    readonly database: DatabaseReplication;
    readonly objects: string;
    /** How the site's app reaches the writer database (see WritePath). */
    readonly writes: string;
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
        topology: ServiceSpec["topology"],
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
