// The stack config contract: one schema for every `nonstop:*` key of a stack file.
//
// Stack files hold the design; this module turns them into a typed `StackConfig` or refuses them
// with every problem at once, each naming the stack file, the key path and what was expected.
// It is pure (no Pulumi runtime needed), so the offline preview, the stack program and the tests
// all validate with exactly the same code.
import { z } from "zod";
import { checkBackupSchedule } from "../components/backup/awsCron";
import { cronProblem } from "../components/backup/cron";
import {
    AWS_REGIONS,
    CLOUD_SQL_MAX_REPLICATION_FACTOR,
    cloudRunSizeProblem,
    fargateSizeProblem,
    GCP_PROJECT_ID,
    GCP_REGIONS,
    HOST_NAME_OR_IPV4,
    imageReferenceProblem,
    IPV4,
    isHttpsUrl,
    multiRegionOf,
    OBJECT_STORE_PATH,
} from "../components/site/providerLimits";
import { planService } from "../components/service/plan";
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
/** A container image reference (the registries' own grammar; see providerLimits.ts). */
const image = z
    .string()
    .refine(
        (v) => imageReferenceProblem(v) === undefined,
        "expected a container image reference such as ghcr.io/acme/app:1.4.2 ([registry/]path[:tag][@sha256:digest]: a lowercase path, a tag of letters, digits, '_', '.' and '-', a name of at most 255 characters)",
    );
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
    loadBalancerIp: z.string().regex(IPV4, "an IPv4 address such as 203.0.113.10 (four numbers 0-255)").optional(),
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
        blueImage: image.optional(),
        /** @default the service image */
        greenImage: image.optional(),
    }),
    z.strictObject({
        strategy: z.literal("canary"),
        canaryImage: image,
        canaryPercent: z.number().int().min(1).max(50),
    }),
]);

export const serviceSchema = z.strictObject({
    name,
    image,
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

/**
 * What a program sees in place of a `secure:` value the offline preview cannot decrypt (the CLI
 * decrypts them). Accepted where a secret is expected (webhooks), never checked further.
 */
export const UNDECRYPTED_SECRET = "[secret]";

/**
 * Stands for a webhook the offline preview could not decrypt: a valid https URL on a reserved
 * domain (RFC 2606), so the components build their subscriptions; resources keep it secret.
 */
export const UNDECRYPTED_WEBHOOK = "https://undecrypted-secret.invalid/";

/** A webhook: an https URL, usually with a token in it, so best stored as a `secure:` value. Never echoed in errors. */
const webhook = z
    .string()
    .refine((v) => v === UNDECRYPTED_SECRET || isHttpsUrl(v), "an https:// URL (not shown: webhook URLs carry tokens; store them with `pulumi config set --secret`)")
    .transform((v) => (v === UNDECRYPTED_SECRET ? UNDECRYPTED_WEBHOOK : v));

export const alertsSchema = z.strictObject({
    emails: z.array(z.string().email()).optional(),
    webhooks: z.array(webhook).optional(),
});

export const drillSchema = z.strictObject({
    service: name,
    /** Site key `<cloud>-<region or cluster>`, e.g. aws-us-east-1. */
    failSite: z.string().min(1),
});

// nonstop:quotas: AWS service quotas this stack needs above their defaults. The program creates an
// aws.servicequotas.ServiceQuota for each (which files the increase and tells the pack's
// service-quotas rule the value in effect).
export const quotaSchema = z.strictObject({
    /** Service Quotas service code, e.g. ec2, vpc, route53. */
    service: z.string().regex(/^[a-z0-9-]+$/, "a Service Quotas service code such as ec2 or vpc"),
    /** Quota code, e.g. L-0263D0A3 (EC2-VPC Elastic IPs). */
    code: z.string().regex(/^L-[0-9A-F]{8}$/, "a Service Quotas quota code such as L-0263D0A3"),
    /** Region the quota holds in; us-east-1 for account-wide quotas (Route 53, IAM). */
    region,
    /** The value the stack needs. */
    value: z.number().int().min(1),
    /** Why (kept in the stack file for the next reader). @default none */
    reason: z.string().optional(),
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
    externalHost: z.string().regex(HOST_NAME_OR_IPV4, "a hostname or IPv4 address").optional(),
    backup: z
        .strictObject({
            destinationPath: z.string().regex(OBJECT_STORE_PATH, "an object store path such as s3://bucket/prefix or gs://bucket/prefix"),
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
    gcpProject: z.string().regex(GCP_PROJECT_ID, "a GCP project id: 6-30 lowercase letters, digits and '-', starting with a letter"),
    quotas: z.array(quotaSchema),
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
export type QuotaConfig = z.infer<typeof quotaSchema>;
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
    /** AWS service quotas raised for this stack (nonstop:quotas). @default [] */
    readonly quotas: readonly QuotaConfig[];
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
 * `secretKeys` are keys whose values are secret (`secure:`): their values are never echoed.
 */
export function parseStackConfig(values: Readonly<Record<string, unknown>>, stack: string, stackFile = `Pulumi.${stack}.yaml`, secretKeys: readonly string[] = []): StackConfig {
    const issues: ConfigIssue[] = [];
    const parsed: Record<string, unknown> = {};
    const known = new Set(Object.keys(keySchemas));
    const secret = new Set(secretKeys);

    for (const [fullKey, rawValue] of Object.entries(values)) {
        const [ns, key] = splitKey(fullKey);
        if (ns !== NAMESPACE) {
            const typo = namespaceTypo(ns, key, known);
            if (typo) issues.push({ path: fullKey, message: typo });
            continue;
        }
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
        else issues.push(...result.error.issues.flatMap((i) => describeIssue(fullKey, i, value, secret.has(fullKey))));
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
    issues.push(...quotaIssues((parsed.quotas as QuotaConfig[] | undefined) ?? []));
    issues.push(...providerKeyIssues(values, secret));
    // On the raw services, so that a schema error elsewhere in a service hides none of these.
    const reported = new Set(issues.map((i) => i.path));
    issues.push(...componentLimitIssues(decode(values[`${NAMESPACE}:services`], keySchemas.services), environment).filter((i) => !reported.has(i.path)));
    // A failover key that is present but did not parse has its own error already; checks that read it wait for it.
    const unparsed = new Set(Object.keys(keySchemas).filter((k) => values[`${NAMESPACE}:${k}`] !== undefined && parsed[k] === undefined));
    issues.push(...failoverIssues(checkable, parsed, environment, parsed.services !== undefined, unparsed));
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
        quotas: (parsed.quotas as QuotaConfig[] | undefined) ?? [],
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

/** nonstop:quotas lists each quota once per Region. */
function quotaIssues(quotas: readonly QuotaConfig[]): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const seen = new Map<string, number>();
    quotas.forEach((q, i) => {
        const key = `${q.region}/${q.service}/${q.code}`;
        const first = seen.get(key);
        if (first !== undefined) issues.push({ path: `${NAMESPACE}:quotas[${i}]`, message: `${key} is already listed at nonstop:quotas[${first}]; keep one entry per quota and Region` });
        else seen.set(key, i);
    });
    return issues;
}

/**
 * Failover checks: every site's app must reach the writer database or be declared read-only (an
 * app never writes into a replica or a change-data-capture copy); Kubernetes sites run Postgres on
 * CloudNativePG (MySQL there is refused) and cannot be a pilot light; the failover keys name real
 * services and sites.
 */
function failoverIssues(
    services: readonly (ServiceConfig | undefined)[],
    parsed: Record<string, unknown>,
    environment: Environment,
    complete: boolean,
    unparsed: ReadonlySet<string>,
): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const cnpgKnown = !unparsed.has("cnpg");
    const readOnlyKnown = !unparsed.has("readOnlySites");
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
        // The components' own plan of where writes go: a site it cannot route to the writer must be declared read-only.
        const plan = planService(svc, declared, cnpg.sites?.[svc.name] ?? {});
        svc.sites.forEach((site, j) => {
            const key = siteKey(site);
            if (site.cloud === "kubernetes" && svc.data.engine === "mysql") {
                issues.push({
                    path: `${at}.data.engine`,
                    message: `"mysql" cannot run on kubernetes site ${key}: Kubernetes databases run on the CloudNativePG operator, which is Postgres only (a hand-made MySQL StatefulSet has no automatic failover); use engine postgres, or keep the service's sites on aws and gcp`,
                });
            }
            if (cnpgKnown && site.cloud === "kubernetes" && environment === "prod" && !cnpgSite(svc.name, key)?.backup) {
                issues.push({
                    path: `${NAMESPACE}:cnpg.sites.${svc.name}.${key}.backup`,
                    message: `is required in prod: the CloudNativePG cluster of ${svc.name} in ${key} keeps its base backups and WAL archive in object storage (e.g. destinationPath: s3://bucket/${svc.name})`,
                });
            }
            if (site === writer) return;
            if (svc.topology === "active-passive" && svc.standby === "pilot-light" && site.role === "secondary" && site.minCapacity < 1) {
                issues.push({
                    path: `${at}.sites[${j}].minCapacity`,
                    message: `0 for pilot-light secondary ${key}: a pilot light runs nothing until failover and then scales out to minCapacity, so 0 would never serve; expected 1 or more`,
                });
            }
            if (svc.topology === "active-passive" && svc.standby === "pilot-light" && site.cloud === "kubernetes") {
                issues.push({
                    path: `${at}.standby`,
                    message: `"pilot-light" with kubernetes secondary ${key}: a Deployment at zero replicas never scales out by itself (its HorizontalPodAutoscaler stays idle at zero), so the site would never take traffic; use standby warm`,
                });
            }
            const sameCloud = site.cloud === writer.cloud;
            if (cnpgKnown && readOnlyKnown && plan.unreachable.some((u) => u.index === j)) {
                const why = sameCloud
                    ? `its database is a CloudNativePG replica cluster and ${writerKey} has no externalHost (nonstop:cnpg.sites.${svc.name}.${writerKey}.externalHost) to reach the primary on`
                    : `its database is a change-data-capture copy of ${writerKey}'s on another cloud, with no network path for the app to the writer`;
                issues.push({
                    path: `${at}.sites[${j}]`,
                    message: `site ${key} cannot reach the writer database in ${writerKey} (${why}); declare it read-only so it serves reads and sends writes to ${writerKey}: nonstop:readOnlySites: { ${svc.name}: [${key}] }`,
                });
            }
            // A CloudNativePG replica cluster follows the upstream's archive or streams from its primary.
            if (cnpgKnown && sameCloud && site.cloud === "kubernetes" && !cnpgSite(svc.name, writerKey)?.backup && !cnpgSite(svc.name, writerKey)?.externalHost) {
                issues.push({
                    path: `${NAMESPACE}:cnpg.sites.${svc.name}.${writerKey}`,
                    message: `needs backup or externalHost: the replica cluster of ${key} follows ${writerKey}'s object-store archive or streams from its primary, and neither is configured`,
                });
            }
            // Change data capture connects to a Kubernetes database from another cloud.
            if (cnpgKnown && !sameCloud && [site, writer].some((s) => s.cloud === "kubernetes")) {
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

export function splitKey(fullKey: string): [string, string] {
    const i = fullKey.indexOf(":");
    return i < 0 ? ["", fullKey] : [fullKey.slice(0, i), fullKey.slice(i + 1)];
}

/** The CLI hands structured config to programs as JSON text; scalars may arrive as strings. */
export function decode(value: unknown, schema: z.ZodType): unknown {
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

function describeIssue(fullKey: string, issue: z.core.$ZodIssue, root: unknown, secretValue = false): ConfigIssue[] {
    const base = fullKey + formatPath(issue.path);
    const got = valueAt(root, issue.path);
    // Secrets and webhook URLs (which carry tokens) are never echoed.
    const hidden = secretValue || (fullKey === `${NAMESPACE}:alerts` && issue.path[0] === "webhooks");
    const shown = got === undefined ? "" : hidden ? " (value not shown)" : ` (got ${JSON.stringify(got)})`;
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

export function formatPath(path: readonly PropertyKey[]): string {
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

// ---------------------------------------------------------------------------------------------
// What the clouds and the components refuse: checked here too, so that every problem of a stack
// file is reported at once with its key path, before any resource is created. The components
// keep their own checks for library users; both use components/site/providerLimits.ts.
// ---------------------------------------------------------------------------------------------

/** Namespaces other programs' config legitimately uses; a key in any other namespace close to `nonstop` is a typo. */
const PROVIDER_NAMESPACES = new Set(["aws", "gcp", "google-native", "kubernetes", "random", "pulumi", "azure", "azure-native", "tls", "cloudflare", "datadog"]);

function namespaceTypo(ns: string, key: string, known: ReadonlySet<string>): string | undefined {
    if (ns === "" || PROVIDER_NAMESPACES.has(ns)) return undefined;
    if (ns.toLowerCase() !== NAMESPACE && closest(ns, [NAMESPACE]) === undefined) return undefined;
    const keyHint = known.has(key) ? key : closest(key, [...known]);
    return `unknown namespace "${ns}"; did you mean "${NAMESPACE}:${keyHint ?? key}"? (nonstop reads only keys in the "${NAMESPACE}" namespace, so this one would be ignored)`;
}

/** The provider settings the program needs, when given: known regions and a well-formed project id. */
function providerKeyIssues(values: Readonly<Record<string, unknown>>, secret: ReadonlySet<string>): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const got = (k: string) => (secret.has(k) ? "value not shown" : `got ${JSON.stringify(values[k])}`);
    const region = (k: string, cloud: "aws" | "gcp") => {
        const v = values[k];
        if (v === undefined) return;
        if (typeof v !== "string" || !regionsOf(cloud).includes(v)) issues.push({ path: k, message: `${regionExpectation(cloud, typeof v === "string" ? v : "")} (${got(k)})` });
    };
    region("aws:region", "aws");
    region("gcp:region", "gcp");
    const project = values["gcp:project"];
    if (project !== undefined && (typeof project !== "string" || !GCP_PROJECT_ID.test(project))) {
        issues.push({ path: "gcp:project", message: `expected a GCP project id: 6-30 lowercase letters, digits and '-', starting with a letter and not ending with '-' (${got("gcp:project")})` });
    }
    return issues;
}

function regionsOf(cloud: "aws" | "gcp"): readonly string[] {
    return cloud === "aws" ? AWS_REGIONS : GCP_REGIONS;
}

/** "expected an AWS region such as us-east-1", with the nearest known region or the cloud the value belongs to. */
function regionExpectation(cloud: "aws" | "gcp", value: string): string {
    const other = cloud === "aws" ? "gcp" : "aws";
    const label = { aws: "an AWS region", gcp: "a GCP region" };
    const example = { aws: "us-east-1", gcp: "us-central1" };
    if (regionsOf(other).includes(value)) return `expected ${label[cloud]} such as ${example[cloud]}; "${value}" is ${label[other]}`;
    const hint = closest(value, regionsOf(cloud));
    return `expected ${label[cloud]} such as ${example[cloud]}${hint ? `; did you mean "${hint}"?` : ""}`;
}

/** A field of a raw config object, when it has the expected type (the schema reports the others). */
function field<T>(obj: unknown, key: string, guard: (v: unknown) => v is T): T | undefined {
    const v = obj !== null && typeof obj === "object" ? (obj as Record<string, unknown>)[key] : undefined;
    return guard(v) ? v : undefined;
}
const isString = (v: unknown): v is string => typeof v === "string";
const isNumber = (v: unknown): v is number => typeof v === "number";
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
const isCloud = (v: unknown): v is SiteConfig["cloud"] => v === "aws" || v === "gcp" || v === "kubernetes";

/**
 * Values each kind of site would refuse (AwsSite, GcpSite, KubernetesSite validators), by key
 * path. Reads the raw services (each field only when it has the right type), so that these are
 * reported in the same run as the schema's own findings.
 */
function componentLimitIssues(rawServices: unknown, environment: Environment): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    (isArray(rawServices) ? rawServices : []).forEach((svc, i) => {
        if (!isObject(svc)) return;
        const at = `${NAMESPACE}:services[${i}]`;
        const got = (v: unknown) => `(got ${JSON.stringify(v)})`;
        const sites = (field(svc, "sites", isArray) ?? []).filter(isObject);
        const clouds = new Set(sites.map((s) => field(s, "cloud", isCloud)));
        const writer = sites.find((s) => s.role === "primary") ?? sites[0];
        const writerCloud = field(writer, "cloud", isCloud);
        const data = field(svc, "data", isObject);
        const backup = field(data, "backup", isObject);

        // Task and instance sizes, defaults included (a defaulted value is named as such).
        const cpu = field(svc, "cpu", isNumber);
        const memoryMb = field(svc, "memoryMb", isNumber);
        const sizeIssue = (problem: { key: "cpu" | "memoryMb"; message: string } | undefined, where: string) => {
            if (!problem) return;
            const defaulted = problem.key === "cpu" ? cpu === undefined : memoryMb === undefined;
            issues.push({ path: `${at}.${problem.key}`, message: `${problem.message} for ${where}${defaulted ? " (this is the default; set it explicitly)" : ""}` });
        };
        if (clouds.has("aws")) sizeIssue(fargateSizeProblem(cpu ?? 512, memoryMb ?? 1024), "the AWS sites' Fargate tasks");
        if (clouds.has("gcp")) sizeIssue(cloudRunSizeProblem(cpu ?? 512, memoryMb ?? 1024), "the GCP sites' Cloud Run instances");

        // Backup schedule: valid five-field cron for every engine; AWS Backup also needs one that AWS cron can express, at most hourly.
        const schedule = field(backup, "schedule", isString);
        const cron = schedule === undefined ? undefined : cronProblem(schedule);
        if (cron) issues.push({ path: `${at}.data.backup.schedule`, message: cron });
        else if (schedule !== undefined && clouds.has("aws")) {
            try {
                checkBackupSchedule(schedule);
            } catch (e) {
                issues.push({ path: `${at}.data.backup.schedule`, message: `${(e as Error).message} (AWS Backup, for the AWS sites)` });
            }
        }
        const copy = field(backup, "crossRegionCopy", isString);
        if (copy !== undefined && (writerCloud === "aws" || writerCloud === "gcp") && !regionsOf(writerCloud).includes(copy)) {
            issues.push({ path: `${at}.data.backup.crossRegionCopy`, message: `${regionExpectation(writerCloud, copy)} (backups are copied in the writer's cloud, ${writerCloud}) ${got(copy)}` });
        }
        const rf = field(data, "replicationFactor", isNumber);
        if (clouds.has("gcp") && rf !== undefined && rf > CLOUD_SQL_MAX_REPLICATION_FACTOR) {
            issues.push({ path: `${at}.data.replicationFactor`, message: `expected at most ${CLOUD_SQL_MAX_REPLICATION_FACTOR} with a GCP site (Cloud SQL: a REGIONAL instance holds 2 copies and takes at most 10 read replicas, one kept free for a secondary site) ${got(rf)}` });
        }
        const storageGb = field(data, "storageGb", isNumber);
        if (clouds.has("aws") && storageGb !== undefined && storageGb < 20) {
            issues.push({ path: `${at}.data.storageGb`, message: `expected at least 20 with an AWS site (the smallest gp3 RDS volume) ${got(storageGb)}` });
        }

        const name = field(svc, "name", isString);
        sites.forEach((site, j) => {
            const sp = `${at}.sites[${j}]`;
            const cloud = field(site, "cloud", isCloud);
            const region = field(site, "region", isString);
            if ((cloud === "aws" || cloud === "gcp") && region !== undefined && !regionsOf(cloud).includes(region)) {
                issues.push({ path: `${sp}.region`, message: `${regionExpectation(cloud, region)} ${got(region)}` });
            }
            const azCount = field(site, "azCount", isNumber);
            if (cloud === "aws" && environment === "prod" && azCount !== undefined && azCount < 2) {
                issues.push({ path: `${sp}.azCount`, message: `expected 2 or more in prod: one availability zone goes down with its zone (3 recommended) ${got(azCount)}` });
            }
            const cluster = field(site, "cluster", isString);
            if (cloud === "kubernetes" && cluster !== undefined && cluster.trim() !== cluster) {
                issues.push({ path: `${sp}.cluster`, message: `expected a kubeconfig context name without surrounding spaces ${got(cluster)}` });
            }
            if (cloud !== "gcp") return;
            // GcpSite prefixes every child with its name, `<service>-gcp-<region>`; GCP allows 63 characters with suffixes.
            const siteName = name !== undefined && region !== undefined ? `${name}-${siteKey({ cloud, region })}` : "";
            if (siteName.length > 40) {
                issues.push({ path: `${at}.name`, message: `"${name}" makes the GCP site name "${siteName}" ${siteName.length} characters; at most 40 keep its resources within GCP's 63-character names: shorten the service name` });
            }
            const dual = field(site, "bucketDualRegion", isString);
            if (dual === undefined || region === undefined) return;
            if (!GCP_REGIONS.includes(dual)) issues.push({ path: `${sp}.bucketDualRegion`, message: `${regionExpectation("gcp", dual)} ${got(dual)}` });
            else if (dual === region) issues.push({ path: `${sp}.bucketDualRegion`, message: `expected a second region, not the site's own ${got(dual)}` });
            else if (multiRegionOf(region) === undefined || multiRegionOf(region) !== multiRegionOf(dual)) {
                issues.push({ path: `${sp}.bucketDualRegion`, message: `expected a region on the same continent as ${region} that forms a configurable dual-region (both in the US, Europe or Asia) ${got(dual)}` });
            }
            if (field(data, "objectStorage", (v): v is boolean => typeof v === "boolean") === false) {
                issues.push({ path: `${sp}.bucketDualRegion`, message: "is set but data.objectStorage is false, so there is no bucket; remove one of them" });
            }
        });
    });
    return issues;
}
