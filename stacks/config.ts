// The stack config contract: one schema for every `nonstop:*` key of a stack file.
//
// Stack files hold the design; this module turns them into a typed `StackConfig` or refuses them
// with every problem at once, each naming the stack file, the key path and what was expected.
// It is pure (no Pulumi runtime needed), so the offline preview, the stack program and the tests
// all validate with exactly the same code.
import { z } from "zod";
import { siteKey } from "../components/service/spec";

export { siteKey };

export const NAMESPACE = "nonstop";

/** Exit code of a run refused for bad input (usage, config, a program or pack that throws). */
export const EXIT_BAD_INPUT = 2;

export interface ConfigIssue {
    /** Key path as a user writes it, e.g. `nonstop:services[0].sites[1].role`. */
    readonly path: string;
    /** What is wrong and what is expected. */
    readonly message: string;
}

/** Thrown before any resource is created when the stack config is invalid. */
export class ConfigError extends Error {
    readonly exitCode = EXIT_BAD_INPUT;
    constructor(readonly stackFile: string, readonly issues: readonly ConfigIssue[]) {
        super(formatIssues(stackFile, issues));
        this.name = "ConfigError";
    }
}

export function formatIssues(stackFile: string, issues: readonly ConfigIssue[]): string {
    const lines = issues.map((i) => `  ${stackFile}: ${i.path}: ${i.message}`);
    return `invalid stack config (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
}

// ---------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------

const name = z.string().regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, "a lowercase DNS label: letters, digits and '-', 2 to 32 characters");
const region = z.string().regex(/^[a-z]+(-[a-z]+)+-?\d+$|^[a-z]+-[a-z]+\d+$/, "a cloud region such as us-east-1 or europe-west1");
/** Standard five-field cron, the one format every backup engine here can be given. */
const cron = z
    .string()
    .regex(/^(\S+\s+){4}\S+$/, "a five-field cron expression such as \"0 */6 * * *\" (minute hour day-of-month month day-of-week)");

export const siteSchema = z.strictObject({
    /** Where the site runs. */
    cloud: z.enum(["aws", "gcp", "kubernetes"]),
    /** AWS or GCP region (not for kubernetes). */
    region: region.optional(),
    /** kubeconfig context of the cluster (kubernetes only). */
    cluster: z.string().min(1).optional(),
    /** active-passive only. */
    role: z.enum(["primary", "secondary"]).optional(),
    /** active-active only: relative share of traffic (Route 53 and Cloud DNS weights). */
    weight: z.number().int().min(0).max(255).optional(),
    minCapacity: z.number().int().min(0).max(1000),
    maxCapacity: z.number().int().min(1).max(1000),
    /** AWS only: availability zones the network and the tasks span. @default 3 in prod, 2 in dev */
    azCount: z.number().int().min(1).max(6).optional(),
    /** kubernetes only: the static IP of the cluster's ingress, needed for Cloud DNS health checks. */
    loadBalancerIp: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, "an IPv4 address").optional(),
    /** gcp only: second region of a dual-region bucket (same continent), so objects survive the loss of either region. @default none: a regional bucket */
    bucketDualRegion: region.optional(),
});

export const backupSchema = z.strictObject({
    schedule: cron,
    retentionDays: z.number().int().min(1).max(35),
    /** Region the backups are copied to; must differ from the data's region. */
    crossRegionCopy: region.optional(),
    /** AWS Backup vault lock (compliance mode) so that no one can delete recovery points early. @default true in prod */
    vaultLock: z.boolean().optional(),
});

export const dataSchema = z.strictObject({
    engine: z.enum(["postgres", "mysql"]),
    /** Number of copies of the data kept in the primary site (writer + synchronous or near-synchronous replicas). */
    replicationFactor: z.number().int().min(1).max(15),
    backup: backupSchema,
    /** Object storage beside the database (versioned, replicated to the secondary site). @default true */
    objectStorage: z.boolean().optional(),
    /** Database storage in GiB. @default 20 in dev, 100 in prod */
    storageGb: z.number().int().min(10).max(65536).optional(),
});

export const releaseSchema = z.discriminatedUnion("strategy", [
    z.strictObject({ strategy: z.literal("rolling") }),
    z.strictObject({
        strategy: z.literal("blue-green"),
        /** The colour that receives all traffic; changing this one value switches traffic. */
        live: z.enum(["blue", "green"]),
        /** @default the service image */
        blueImage: z.string().min(1).optional(),
        /** @default the service image */
        greenImage: z.string().min(1).optional(),
    }),
    z.strictObject({
        strategy: z.literal("canary"),
        canaryImage: z.string().min(1),
        canaryPercent: z.number().int().min(1).max(50),
    }),
]);

export const serviceSchema = z.strictObject({
    name,
    image: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    healthCheckPath: z.string().regex(/^\//, "a path starting with '/'"),
    topology: z.enum(["active-passive", "active-active"]),
    /** active-passive only: warm standby runs the secondary at minCapacity; pilot light at zero compute. @default warm */
    standby: z.enum(["warm", "pilot-light"]).optional(),
    sites: z.array(siteSchema).min(1),
    data: dataSchema,
    /** @default { strategy: rolling } */
    release: releaseSchema.optional(),
    /** CPU units (1024 = one vCPU) per task or pod. @default 512 */
    cpu: z.number().int().min(128).max(16384).optional(),
    /** Memory in MiB per task or pod. @default 1024 */
    memoryMb: z.number().int().min(256).max(122880).optional(),
});

export const dnsSchema = z.strictObject({
    provider: z.enum(["route53", "clouddns"]),
    zone: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}\.?$/, "a DNS zone such as example.com"),
    ttlSeconds: z.number().int().min(1).max(86400),
    healthCheck: z.strictObject({
        intervalSeconds: z.number().int().min(5).max(300),
        failureThreshold: z.number().int().min(1).max(10),
        path: z.string().regex(/^\//, "a path starting with '/'").optional(),
    }),
});

export const targetsSchema = z.strictObject({
    rtoSeconds: z.number().positive(),
    rpoSeconds: z.number().min(0),
    availability: z.number().gt(0).lt(1),
});

export const alertsSchema = z.strictObject({
    emails: z.array(z.string().email()).optional(),
    webhooks: z.array(z.string().url().startsWith("https://")).optional(),
});

export const drillSchema = z.strictObject({
    service: name,
    /** Site key `<cloud>-<region or cluster>`, e.g. aws-us-east-1. */
    failSite: z.string().min(1),
});

// ---------------------------------------------------------------------------------------------
// Failover keys: read-only sites, failback, CloudNativePG (docs/services.md)
// ---------------------------------------------------------------------------------------------

/** Per service, the sites whose app cannot reach the writer database: they serve reads and send writes to the writer's site. */
export const readOnlySitesSchema = z.record(name, z.array(z.string().min(1)).min(1));

/** After a data failover: hold the writer's home site out of DNS until the failback has run. */
export const failbackSchema = z.strictObject({
    service: name,
    /** Let the automation run the planned switchover home (no data loss) once the old writer has caught up. @default false */
    switchBack: z.boolean().optional(),
});

export const cnpgSiteSchema = z.strictObject({
    /** Where other clusters and clouds reach this site's Postgres primary (the LoadBalancer Service's DNS name or IP). */
    externalHost: z.string().regex(/^[A-Za-z0-9.-]+$/, "a hostname or IPv4 address").optional(),
    backup: z
        .strictObject({
            destinationPath: z.string().regex(/^(s3|gs|https):\/\/\S+$/, "an object store path such as s3://bucket/prefix or gs://bucket/prefix"),
            endpointUrl: z.string().url().startsWith("https://").optional(),
            credentialsSecret: z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, "a Secret name").optional(),
        })
        .optional(),
});

/** CloudNativePG, the operator Kubernetes sites run Postgres with. */
export const cnpgSchema = z.strictObject({
    /** Install the operator (Helm) in every cluster that runs a database. @default false: it must be installed already */
    install: z.boolean().optional(),
    /** Per service, per kubernetes site key: how its database is reached and backed up. */
    sites: z.record(name, z.record(z.string().min(1), cnpgSiteSchema)).optional(),
});

/** Every key of the `nonstop` namespace, each with its schema. Any other key is a typo. */
export const keySchemas = {
    environment: z.enum(["dev", "prod"]),
    services: z.array(serviceSchema).min(1),
    dns: dnsSchema,
    targets: targetsSchema,
    protectStateful: z.boolean(),
    automateDataFailover: z.boolean(),
    drill: drillSchema,
    alerts: alertsSchema,
    gcpProject: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "a GCP project id"),
    readOnlySites: readOnlySitesSchema,
    failback: failbackSchema,
    cnpg: cnpgSchema,
} as const;

const requiredKeys = ["services", "dns", "targets"] as const;

export type SiteConfig = z.infer<typeof siteSchema>;
export type BackupConfig = z.infer<typeof backupSchema>;
export type DataConfig = z.infer<typeof dataSchema>;
export type ReleaseConfig = z.infer<typeof releaseSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;
export type DnsConfig = z.infer<typeof dnsSchema>;
export type TargetsConfig = z.infer<typeof targetsSchema>;
export type AlertsConfig = z.infer<typeof alertsSchema>;
export type DrillConfig = z.infer<typeof drillSchema>;
export type FailbackConfig = z.infer<typeof failbackSchema>;
export type CnpgConfig = z.infer<typeof cnpgSchema>;
export type Environment = "dev" | "prod";

export interface StackConfig {
    readonly stack: string;
    readonly stackFile: string;
    readonly environment: Environment;
    readonly services: readonly ServiceConfig[];
    readonly dns: DnsConfig;
    readonly targets: TargetsConfig;
    /** protect + retainOnDelete + provider deletion protection on stateful resources. @default true in prod */
    readonly protectStateful: boolean;
    /** Promote a global database's secondary automatically when the writer's site is lost. @default true in prod */
    readonly automateDataFailover: boolean;
    readonly drill?: DrillConfig;
    readonly alerts: AlertsConfig;
    /** GCP project for GCP sites and Cloud DNS. @default gcp:project */
    readonly gcpProject?: string;
    /** Per service, the site keys that are read-only (their app cannot reach the writer database). @default {} */
    readonly readOnlySites: Readonly<Record<string, readonly string[]>>;
    /** A failback in progress: the service whose writer's home site is held out of DNS. @default none */
    readonly failback?: FailbackConfig;
    /** CloudNativePG settings of Kubernetes sites. @default {} */
    readonly cnpg: CnpgConfig;
    /** Provider-level settings the program needs (aws:region, gcp:project, gcp:region). */
    readonly providers: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/**
 * Validates the config of one stack. `values` maps full keys (`nonstop:services`, `aws:region`)
 * to values as a stack file holds them: objects for structured values, strings for scalars (the
 * Pulumi CLI hands structured values to programs as JSON strings; both are accepted).
 */
export function parseStackConfig(values: Readonly<Record<string, unknown>>, stack: string, stackFile = `Pulumi.${stack}.yaml`): StackConfig {
    const issues: ConfigIssue[] = [];
    const parsed: Record<string, unknown> = {};
    const known = new Set(Object.keys(keySchemas));

    for (const [fullKey, rawValue] of Object.entries(values)) {
        const [ns, key] = splitKey(fullKey);
        if (ns !== NAMESPACE) continue;
        if (!known.has(key)) {
            const hint = closest(key, [...known]);
            issues.push({
                path: fullKey,
                message: `unknown key${hint ? `; did you mean "${NAMESPACE}:${hint}"?` : ""} (known keys: ${[...known].map((k) => `${NAMESPACE}:${k}`).join(", ")})`,
            });
            continue;
        }
        const schema = keySchemas[key as keyof typeof keySchemas] as z.ZodType;
        const value = decode(rawValue, schema);
        const result = schema.safeParse(value);
        if (result.success) parsed[key] = result.data;
        else issues.push(...result.error.issues.flatMap((i) => describeIssue(fullKey, i, value)));
    }
    for (const key of requiredKeys) {
        if (!(`${NAMESPACE}:${key}` in values)) {
            issues.push({ path: `${NAMESPACE}:${key}`, message: `is required (${requiredHelp[key]})` });
        }
    }

    const environment: Environment = (parsed.environment as Environment | undefined) ?? (/prod/.test(stack) ? "prod" : "dev");
    const providers: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
        if (!k.startsWith(`${NAMESPACE}:`) && (typeof v === "string" || typeof v === "number" || typeof v === "boolean")) providers[k] = String(v);
    }
    // Cross-checks run on every service that parses, even when a sibling does not, so one run
    // reports every problem.
    const checkable = (parsed.services as ServiceConfig[] | undefined) ?? servicesThatParse(values[`${NAMESPACE}:services`]);
    issues.push(...crossCheck(checkable, parsed.dns as DnsConfig | undefined, parsed.drill as DrillConfig | undefined, providers, parsed.services !== undefined));
    issues.push(...failoverIssues(checkable, parsed, environment, parsed.services !== undefined));
    if (issues.length > 0) throw new ConfigError(stackFile, issues);

    return {
        stack,
        stackFile,
        environment,
        services: parsed.services as ServiceConfig[],
        dns: parsed.dns as DnsConfig,
        targets: parsed.targets as TargetsConfig,
        protectStateful: (parsed.protectStateful as boolean | undefined) ?? environment === "prod",
        automateDataFailover: (parsed.automateDataFailover as boolean | undefined) ?? environment === "prod",
        drill: parsed.drill as DrillConfig | undefined,
        alerts: (parsed.alerts as AlertsConfig | undefined) ?? {},
        gcpProject: (parsed.gcpProject as string | undefined) ?? providers["gcp:project"],
        readOnlySites: (parsed.readOnlySites as Record<string, string[]> | undefined) ?? {},
        failback: parsed.failback as FailbackConfig | undefined,
        cnpg: (parsed.cnpg as CnpgConfig | undefined) ?? {},
        providers,
    };
}

const requiredHelp: Record<(typeof requiredKeys)[number], string> = {
    services: "a list of services, each with name, image, port, healthCheckPath, topology, sites and data",
    dns: "provider (route53 | clouddns), zone, ttlSeconds and healthCheck",
    targets: "rtoSeconds, rpoSeconds and availability",
};

function servicesThatParse(raw: unknown): (ServiceConfig | undefined)[] {
    const value = decode(raw, keySchemas.services);
    if (!Array.isArray(value)) return [];
    return value.map((v) => {
        const r = serviceSchema.safeParse(v);
        return r.success ? r.data : undefined;
    });
}

/**
 * Checks that need several keys at once. `services` holds undefined where a service did not
 * parse (its own errors are already reported); `complete` is false then, and checks that need
 * the whole list (duplicate names, the drill target) wait for a clean list.
 */
function crossCheck(services: readonly (ServiceConfig | undefined)[], dns: DnsConfig | undefined, drill: DrillConfig | undefined, providers: Record<string, string>, complete: boolean): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const names = new Set<string>();
    services.forEach((svc, i) => {
        if (!svc) return;
        const at = `${NAMESPACE}:services[${i}]`;
        if (names.has(svc.name)) issues.push({ path: `${at}.name`, message: `duplicate service name "${svc.name}"; every service needs its own name` });
        names.add(svc.name);
        const keys = new Set<string>();
        svc.sites.forEach((site, j) => {
            const sp = `${at}.sites[${j}]`;
            if (site.cloud === "kubernetes") {
                if (!site.cluster) issues.push({ path: `${sp}.cluster`, message: "is required for a kubernetes site (the kubeconfig context of the cluster)" });
                if (site.region) issues.push({ path: `${sp}.region`, message: "is not used by a kubernetes site; name the cluster with `cluster` instead" });
            } else {
                if (!site.region) issues.push({ path: `${sp}.region`, message: `is required for a ${site.cloud} site (e.g. ${site.cloud === "aws" ? "us-east-1" : "us-central1"})` });
                if (site.cluster) issues.push({ path: `${sp}.cluster`, message: `is only for kubernetes sites; a ${site.cloud} site is placed by \`region\`` });
            }
            if (site.azCount !== undefined && site.cloud !== "aws") issues.push({ path: `${sp}.azCount`, message: "is only for aws sites (GCP regional services and Kubernetes spread over zones by themselves)" });
            if (site.loadBalancerIp !== undefined && site.cloud !== "kubernetes") issues.push({ path: `${sp}.loadBalancerIp`, message: "is only for kubernetes sites" });
            if (site.bucketDualRegion !== undefined && site.cloud !== "gcp") issues.push({ path: `${sp}.bucketDualRegion`, message: "is only for gcp sites (an AWS bucket is replicated to the other sites instead)" });
            if (site.minCapacity > site.maxCapacity) issues.push({ path: `${sp}.minCapacity`, message: `${site.minCapacity} is greater than maxCapacity ${site.maxCapacity}; expected minCapacity <= maxCapacity` });
            const key = siteKey(site);
            if (keys.has(key)) issues.push({ path: sp, message: `a second site at ${key}; each site of a service must be in its own region or cluster` });
            keys.add(key);

            if (svc.topology === "active-passive") {
                if (!site.role) issues.push({ path: `${sp}.role`, message: "is required for an active-passive service: primary or secondary" });
                if (site.weight !== undefined) issues.push({ path: `${sp}.weight`, message: "is only for active-active services; an active-passive site has a role instead" });
            } else {
                if (site.role) issues.push({ path: `${sp}.role`, message: `"${site.role}" contradicts topology active-active, where every site serves; remove role and give a weight` });
                if (site.weight === undefined) issues.push({ path: `${sp}.weight`, message: "is required for an active-active service: the site's relative share of traffic (0-255)" });
            }
            if (dns?.provider === "clouddns") {
                if (site.cloud === "aws") {
                    issues.push({ path: `${sp}.cloud`, message: "aws sites cannot sit behind Cloud DNS routing policies: Cloud DNS health-checks only IP endpoints and an AWS load balancer has no fixed IP; use nonstop:dns.provider route53" });
                } else if (site.cloud === "kubernetes" && !site.loadBalancerIp) {
                    issues.push({ path: `${sp}.loadBalancerIp`, message: "is required with nonstop:dns.provider clouddns: Cloud DNS health-checks IP endpoints; reserve a static IP for the cluster's ingress, or use route53" });
                }
            }
        });
        if (svc.topology === "active-passive") {
            const primaries = svc.sites.filter((s) => s.role === "primary").length;
            const secondaries = svc.sites.filter((s) => s.role === "secondary").length;
            if (primaries !== 1) issues.push({ path: `${at}.sites`, message: `an active-passive service needs exactly one site with role primary, found ${primaries}` });
            if (secondaries < 1) issues.push({ path: `${at}.sites`, message: "an active-passive service needs at least one site with role secondary in another region, cluster or cloud" });
        } else {
            if (svc.standby !== undefined) issues.push({ path: `${at}.standby`, message: "is only for active-passive services" });
            if (svc.sites.length < 2) issues.push({ path: `${at}.sites`, message: `an active-active service needs at least two sites, found ${svc.sites.length}` });
            else if (svc.sites.every((s) => (s.weight ?? 0) === 0)) issues.push({ path: `${at}.sites`, message: "every site has weight 0, so no site would receive traffic; give at least one site a positive weight" });
        }
        const primary = svc.sites.find((s) => s.role === "primary") ?? svc.sites[0];
        if (svc.data.backup.crossRegionCopy && primary && primary.region === svc.data.backup.crossRegionCopy) {
            issues.push({ path: `${at}.data.backup.crossRegionCopy`, message: `"${svc.data.backup.crossRegionCopy}" is the region of the data itself; a copy there does not survive a regional outage, pick another region` });
        }
        if (svc.sites.some((s) => s.cloud === "gcp") && !providers["gcp:project"] && !providers["nonstop:gcpProject"]) {
            issues.push({ path: "gcp:project", message: `is required because service "${svc.name}" has a gcp site` });
        }
    });
    if (dns?.provider === "clouddns" && dns.healthCheck.intervalSeconds < 30) {
        issues.push({ path: `${NAMESPACE}:dns.healthCheck.intervalSeconds`, message: `${dns.healthCheck.intervalSeconds} is shorter than Cloud DNS can probe external endpoints; expected 30 or more` });
    }
    if (dns?.provider === "route53" && ![10, 30].includes(dns.healthCheck.intervalSeconds)) {
        issues.push({ path: `${NAMESPACE}:dns.healthCheck.intervalSeconds`, message: `${dns.healthCheck.intervalSeconds} is not an interval Route 53 offers; expected 10 or 30` });
    }
    if (drill && complete) {
        const all = services as readonly ServiceConfig[];
        const svc = all.find((s) => s.name === drill.service);
        if (!svc) issues.push({ path: `${NAMESPACE}:drill.service`, message: `"${drill.service}" is not a service of this stack; expected one of ${all.map((s) => s.name).join(", ")}` });
        else if (!svc.sites.some((s) => siteKey(s) === drill.failSite)) {
            issues.push({ path: `${NAMESPACE}:drill.failSite`, message: `"${drill.failSite}" is not a site of service ${svc.name}; expected one of ${svc.sites.map(siteKey).join(", ")}` });
        }
    }
    return issues;
}

/**
 * Failover checks: every site's app must reach the writer database or be declared read-only (an
 * app never writes into a replica or a change-data-capture copy); Kubernetes sites run Postgres on
 * CloudNativePG (MySQL there is refused) and cannot be a pilot light; the failover keys name real
 * services and sites.
 */
function failoverIssues(services: readonly (ServiceConfig | undefined)[], parsed: Record<string, unknown>, environment: Environment, complete: boolean): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const readOnly = (parsed.readOnlySites as Record<string, string[]> | undefined) ?? {};
    const cnpg = (parsed.cnpg as CnpgConfig | undefined) ?? {};
    const failback = parsed.failback as FailbackConfig | undefined;
    const cnpgSite = (service: string, key: string) => cnpg.sites?.[service]?.[key];
    services.forEach((svc, i) => {
        if (!svc) return;
        const at = `${NAMESPACE}:services[${i}]`;
        const writer = svc.sites.find((s) => s.role === "primary") ?? svc.sites[0];
        if (!writer) return;
        const writerKey = siteKey(writer);
        const declared = readOnly[svc.name] ?? [];
        svc.sites.forEach((site, j) => {
            const key = siteKey(site);
            if (site.cloud === "kubernetes" && svc.data.engine === "mysql") {
                issues.push({
                    path: `${at}.data.engine`,
                    message: `"mysql" cannot run on kubernetes site ${key}: Kubernetes databases run on the CloudNativePG operator, which is Postgres only (a hand-made MySQL StatefulSet has no automatic failover); use engine postgres, or keep the service's sites on aws and gcp`,
                });
            }
            if (site.cloud === "kubernetes" && environment === "prod" && !cnpgSite(svc.name, key)?.backup) {
                issues.push({
                    path: `${NAMESPACE}:cnpg.sites.${svc.name}.${key}.backup`,
                    message: `is required in prod: the CloudNativePG cluster of ${svc.name} in ${key} keeps its base backups and WAL archive in object storage (e.g. destinationPath: s3://bucket/${svc.name})`,
                });
            }
            if (site === writer) return;
            if (svc.topology === "active-passive" && svc.standby === "pilot-light" && site.cloud === "kubernetes") {
                issues.push({
                    path: `${at}.standby`,
                    message: `"pilot-light" with kubernetes secondary ${key}: a Deployment at zero replicas never scales out by itself (its HorizontalPodAutoscaler stays idle at zero), so the site would never take traffic; use standby warm`,
                });
            }
            const sameCloud = site.cloud === writer.cloud;
            const reachable = sameCloud && (site.cloud !== "kubernetes" || cnpgSite(svc.name, writerKey)?.externalHost !== undefined);
            if (!reachable && !declared.includes(key)) {
                const why = sameCloud
                    ? `its database is a CloudNativePG replica cluster and ${writerKey} has no externalHost (nonstop:cnpg.sites.${svc.name}.${writerKey}.externalHost) to reach the primary on`
                    : `its database is a change-data-capture copy of ${writerKey}'s on another cloud, with no network path for the app to the writer`;
                issues.push({
                    path: `${at}.sites[${j}]`,
                    message: `site ${key} cannot reach the writer database in ${writerKey} (${why}); declare it read-only so it serves reads and sends writes to ${writerKey}: nonstop:readOnlySites: { ${svc.name}: [${key}] }`,
                });
            }
            // A CloudNativePG replica cluster follows the upstream's archive or streams from its primary.
            if (sameCloud && site.cloud === "kubernetes" && !cnpgSite(svc.name, writerKey)?.backup && !cnpgSite(svc.name, writerKey)?.externalHost) {
                issues.push({
                    path: `${NAMESPACE}:cnpg.sites.${svc.name}.${writerKey}`,
                    message: `needs backup or externalHost: the replica cluster of ${key} follows ${writerKey}'s object-store archive or streams from its primary, and neither is configured`,
                });
            }
            // Change data capture connects to a Kubernetes database from another cloud.
            if (!sameCloud && [site, writer].some((s) => s.cloud === "kubernetes")) {
                const k8s = site.cloud === "kubernetes" ? site : writer;
                if (!cnpgSite(svc.name, siteKey(k8s))?.externalHost) {
                    issues.push({
                        path: `${NAMESPACE}:cnpg.sites.${svc.name}.${siteKey(k8s)}.externalHost`,
                        message: `is required: change data capture between ${writerKey} and ${key} connects to the Postgres primary of ${siteKey(k8s)} from another cloud`,
                    });
                }
            }
        });
        declared.forEach((key, k) => {
            const path = `${NAMESPACE}:readOnlySites.${svc.name}[${k}]`;
            if (!svc.sites.some((s) => siteKey(s) === key)) issues.push({ path, message: `"${key}" is not a site of service ${svc.name}; expected one of ${svc.sites.map(siteKey).join(", ")}` });
            else if (key === writerKey) issues.push({ path, message: `"${key}" holds ${svc.name}'s writer database; the writer's site cannot be read-only` });
        });
        for (const key of Object.keys(cnpg.sites?.[svc.name] ?? {})) {
            const site = svc.sites.find((s) => siteKey(s) === key);
            if (!site || site.cloud !== "kubernetes") {
                issues.push({ path: `${NAMESPACE}:cnpg.sites.${svc.name}.${key}`, message: `"${key}" is not a kubernetes site of service ${svc.name}; expected one of ${svc.sites.filter((s) => s.cloud === "kubernetes").map(siteKey).join(", ") || "(none)"}` });
            }
        }
    });
    if (complete) {
        const all = services as readonly ServiceConfig[];
        const names = all.map((s) => s.name);
        const unknownService = (path: string, service: string) => {
            if (!names.includes(service)) issues.push({ path, message: `"${service}" is not a service of this stack; expected one of ${names.join(", ")}` });
        };
        for (const service of Object.keys(readOnly)) unknownService(`${NAMESPACE}:readOnlySites.${service}`, service);
        for (const service of Object.keys(cnpg.sites ?? {})) unknownService(`${NAMESPACE}:cnpg.sites.${service}`, service);
        if (failback) unknownService(`${NAMESPACE}:failback.service`, failback.service);
        const failedOver = all.find((s) => s.name === failback?.service);
        if (failback?.switchBack && failedOver) {
            const writer = failedOver.sites.find((s) => s.role === "primary") ?? failedOver.sites[0];
            if (writer?.cloud !== "aws" || !failedOver.sites.some((s) => s !== writer && s.cloud === "aws")) {
                issues.push({
                    path: `${NAMESPACE}:failback.switchBack`,
                    message: `true, but ${failedOver.name}'s data is not an Aurora Global Database (the automation switches back only across AWS regions); run its failback by hand (docs/services.md) and leave switchBack out`,
                });
            }
        }
    }
    return issues;
}

function splitKey(fullKey: string): [string, string] {
    const i = fullKey.indexOf(":");
    return i < 0 ? ["", fullKey] : [fullKey.slice(0, i), fullKey.slice(i + 1)];
}

/** The CLI hands structured config to programs as JSON text; scalars may arrive as strings. */
function decode(value: unknown, schema: z.ZodType): unknown {
    if (typeof value !== "string") return value;
    const t = value.trim();
    if (t.startsWith("{") || t.startsWith("[")) {
        try {
            return JSON.parse(t);
        } catch {
            return value;
        }
    }
    if (schema instanceof z.ZodBoolean && (t === "true" || t === "false")) return t === "true";
    return value;
}

function describeIssue(fullKey: string, issue: z.core.$ZodIssue, root: unknown): ConfigIssue[] {
    const base = fullKey + formatPath(issue.path);
    const got = valueAt(root, issue.path);
    const shown = got === undefined ? "" : ` (got ${JSON.stringify(got)})`;
    switch (issue.code) {
        case "unrecognized_keys":
            return issue.keys.map((k) => {
                const allowed = allowedKeysAt(fullKey, root, issue.path);
                const hint = allowed ? closest(k, allowed) : undefined;
                return {
                    path: `${base}.${k}`,
                    message: `unknown key${hint ? `; did you mean "${hint}"?` : ""}${allowed ? ` (expected one of: ${allowed.join(", ")})` : ""}`,
                };
            });
        case "invalid_type":
            if (got === undefined) return [{ path: base, message: `is required: expected ${issue.expected}` }];
            return [{ path: base, message: `expected ${issue.expected}${shown}` }];
        case "invalid_value":
            return [{ path: base, message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(" | ")}${shown}` }];
        case "invalid_union":
            return [{ path: base, message: `${issue.message}${shown}; expected strategy rolling, blue-green (with live) or canary (with canaryImage and canaryPercent)` }];
        case "too_small":
            return [{ path: base, message: `expected ${issue.origin === "array" ? "at least " + String(issue.minimum) + " item(s)" : (issue.inclusive ? ">= " : "> ") + String(issue.minimum)}${shown}` }];
        case "too_big":
            return [{ path: base, message: `expected ${issue.origin === "array" ? "at most " + String(issue.maximum) + " item(s)" : (issue.inclusive ? "<= " : "< ") + String(issue.maximum)}${shown}` }];
        default:
            return [{ path: base, message: `${issue.message.replace(/^Invalid (input|string): /, "expected ")}${shown}` }];
    }
}

function formatPath(path: readonly PropertyKey[]): string {
    return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let v: unknown = root;
    for (const p of path) {
        if (v === null || typeof v !== "object") return undefined;
        v = (v as Record<PropertyKey, unknown>)[p];
    }
    return v;
}

/** The keys a strict object at `path` allows, for "did you mean" hints. */
function allowedKeysAt(fullKey: string, root: unknown, path: readonly PropertyKey[]): string[] | undefined {
    const [, key] = splitKey(fullKey);
    let schema: z.ZodType | undefined = keySchemas[key as keyof typeof keySchemas] as z.ZodType | undefined;
    let value: unknown = root;
    for (const p of path) {
        schema = unwrap(schema);
        value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[p] : undefined;
        if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
        else if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(p)];
        else if (schema instanceof z.ZodDiscriminatedUnion) schema = pickOption(schema, value)?.shape[String(p)];
        else return undefined;
    }
    schema = unwrap(schema);
    if (schema instanceof z.ZodDiscriminatedUnion) schema = pickOption(schema, value);
    return schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
}

function pickOption(schema: z.ZodDiscriminatedUnion, value: unknown): z.ZodObject | undefined {
    const tag = value !== null && typeof value === "object" ? (value as Record<string, unknown>).strategy : undefined;
    return (schema.options as z.ZodObject[]).find((o) => {
        const lit = o.shape.strategy;
        return lit instanceof z.ZodLiteral && lit.value === tag;
    });
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
    while (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) schema = schema.unwrap() as z.ZodType;
    return schema;
}

/** Closest candidate by edit distance, when close enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const c of candidates) {
        const d = editDistance(word.toLowerCase(), c.toLowerCase());
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const tmp = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
            prev = tmp;
        }
    }
    return row[b.length];
}
