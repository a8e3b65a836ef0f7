// Cloud DNS health-checked routing: a primaryBackup policy (primary IP, backups by geography) for
// active-passive and a weighted round robin policy for active-active, both judged by a global
// compute health check probing each endpoint address from three regions.
//
// Cloud DNS takes ONE health check per record set (routingPolicy.healthCheck) and probes every
// health-checked address with it, so all endpoints share port and path. There is no
// invert flag either: a drill replaces the drilled site's address among the health-checked
// targets with DRILL_UNREACHABLE_ADDRESS (TEST-NET-1, never routed), which every probe fails, so
// Cloud DNS judges that site down and answers with the others, exactly as in a real outage of the
// site. (Changing the shared check's path would fail every site at once.) Cloud DNS fails open:
// if every target is unhealthy it answers with all of them, the drill address included — drill
// one site while the others are healthy.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { assertNoIssues, commonDnsIssues, DnsFailoverArgs, endpointsByRole, judgedDown, probeProtocol, recordFqdn, resolveDnsFailoverDefaults, RoutedEndpoint, stripDot, SUPPORT_RECORD_TTL_SECONDS } from "./endpoints";

/** RFC 5737 TEST-NET-1 address, never routed on the Internet: a health check of it always fails. */
export const DRILL_UNREACHABLE_ADDRESS = "192.0.2.1";

/** Cloud DNS health checks for external endpoints probe from exactly three regions, at most every 30 s. */
export const CLOUD_DNS_MIN_INTERVAL_SECONDS = 30;

/**
 * A Cloud DNS health-checked record set over the sites. Only `ip` endpoint targets (Cloud DNS
 * health-checks addresses); `healthCheck.intervalSeconds` must be at least 30 (external-endpoint
 * checks); `drillSiteKey`'s address is replaced by DRILL_UNREACHABLE_ADDRESS.
 */
export interface CloudDnsFailoverArgs extends DnsFailoverArgs {
    /** Name of the Cloud DNS managed zone resource. @default zoneName with dots as dashes, e.g. example-com */
    readonly managedZoneName?: string;
    /** GCP project of the zone and the health check. @default the provider's project */
    readonly project?: string;
    /** Exactly three GCP regions the health check probes from. @default ["us-central1", "europe-west1", "asia-southeast1"] */
    readonly sourceRegions?: readonly string[];
    /**
     * Geography a backup is served to when its location is not a GCP region (a Kubernetes cluster
     * name). @default "us-central1"
     */
    readonly defaultBackupLocation?: string;
    /** @default {} */
    readonly labels?: Readonly<Record<string, string>>;
}

type ResolvedArgs = Required<Omit<CloudDnsFailoverArgs, "drillSiteKey" | "pinnedOutSiteKey" | "project">> & Pick<CloudDnsFailoverArgs, "drillSiteKey" | "pinnedOutSiteKey" | "project">;

export function resolveCloudDnsDefaults(args: CloudDnsFailoverArgs): ResolvedArgs {
    return {
        ...resolveDnsFailoverDefaults(args),
        managedZoneName: args.managedZoneName ?? stripDot(args.zoneName).replace(/\./g, "-"),
        sourceRegions: args.sourceRegions ?? ["us-central1", "europe-west1", "asia-southeast1"],
        defaultBackupLocation: args.defaultBackupLocation ?? "us-central1",
        labels: args.labels ?? {},
    };
}

const gcpRegion = /^[a-z]+-[a-z]+\d+$/;

/** Every problem with the args, empty when they are valid. */
export function validateCloudDnsFailoverArgs(args: CloudDnsFailoverArgs): string[] {
    const issues = commonDnsIssues(args);
    const a = resolveCloudDnsDefaults(args);
    args.endpoints.forEach((e, i) => {
        if (e.target.kind !== "ip") {
            issues.push(
                `endpoints[${i}].target: site ${e.key} has a "${e.target.kind}" target; Cloud DNS health-checks only IP endpoints ` +
                    `(an AWS load balancer has no fixed IP); give the site a static IP or use Route 53`,
            );
        }
        if (e.extraProbes?.length) issues.push(`endpoints[${i}].extraProbes: Cloud DNS has one health check per record set and cannot combine probes of site ${e.key}; remove them or use Route 53`);
        if (e.probePath !== undefined) issues.push(`endpoints[${i}].probePath: Cloud DNS probes every site with its one health check and cannot give site ${e.key} a path of its own; remove it or use Route 53`);
    });
    const probes = new Set(args.endpoints.map((e) => `${probeProtocol({ port: e.healthCheckPort, protocol: e.healthCheckProtocol })}:${e.healthCheckPort}`));
    if (probes.size > 1) {
        issues.push(
            `endpoints: health checks differ in protocol or port (${args.endpoints.map((e) => `${e.key} ${probeProtocol({ port: e.healthCheckPort, protocol: e.healthCheckProtocol })}:${e.healthCheckPort}`).join(", ")}); ` +
                "Cloud DNS probes every endpoint with one health check, so serve health the same way on every site",
        );
    }
    const paths = new Set(args.endpoints.map((e) => e.healthCheckPath));
    if (args.healthCheck.path === undefined && paths.size > 1) {
        issues.push(`endpoints: health-check paths differ (${[...paths].join(", ")}); Cloud DNS probes every endpoint with one health check; set healthCheck.path`);
    }
    const interval = args.healthCheck.intervalSeconds;
    if (!Number.isInteger(interval) || interval < CLOUD_DNS_MIN_INTERVAL_SECONDS || interval > 300) {
        issues.push(`healthCheck.intervalSeconds: ${interval} is not allowed for Cloud DNS health checks, which probe external endpoints at most every ${CLOUD_DNS_MIN_INTERVAL_SECONDS} s; expected ${CLOUD_DNS_MIN_INTERVAL_SECONDS}-300`);
    }
    if (a.sourceRegions.length !== 3 || new Set(a.sourceRegions).size !== 3) issues.push(`sourceRegions: ${JSON.stringify(a.sourceRegions)} must name exactly 3 distinct GCP regions`);
    a.sourceRegions.forEach((r, i) => {
        if (!gcpRegion.test(r)) issues.push(`sourceRegions[${i}]: "${r}" is not a GCP region; expected a name such as us-central1`);
    });
    if (!gcpRegion.test(a.defaultBackupLocation)) issues.push(`defaultBackupLocation: "${a.defaultBackupLocation}" is not a GCP region; expected a name such as us-central1`);
    return issues;
}

/** The address a target answers with in the health-checked routing policy (an unreachable one for a site judged down: drilled, or held out after a data failover). */
export function healthCheckedAddress(endpoint: RoutedEndpoint, down: Pick<CloudDnsFailoverArgs, "drillSiteKey" | "pinnedOutSiteKey">): pulumi.Output<string> {
    if (endpoint.target.kind !== "ip") throw new Error(`site ${endpoint.key}: Cloud DNS needs an ip target, got ${endpoint.target.kind}`);
    return judgedDown(endpoint, down) ? pulumi.output(DRILL_UNREACHABLE_ADDRESS) : endpoint.target.address;
}

/** Backup targets grouped by the geography they serve (one backupGeo per location). */
export function backupLocations(endpoints: readonly RoutedEndpoint[], defaultLocation: string): { location: string; endpoints: RoutedEndpoint[] }[] {
    const groups = new Map<string, RoutedEndpoint[]>();
    for (const e of endpoints) {
        const location = gcpRegion.test(e.location) ? e.location : defaultLocation;
        groups.set(location, [...(groups.get(location) ?? []), e]);
    }
    return [...groups].map(([location, es]) => ({ location, endpoints: es }));
}

export class CloudDnsFailover extends pulumi.ComponentResource {
    /** The name clients resolve (FQDN, no trailing dot). */
    public readonly fqdn: string;
    public readonly managedZone: pulumi.Output<string>;
    /** The one health check judging every endpoint of the record set. */
    public readonly healthCheckId: pulumi.Output<string>;
    /** Same check, by site key (every site shares it). */
    public readonly healthCheckIds: Readonly<Record<string, pulumi.Output<string>>>;
    public readonly recordSet: gcp.dns.RecordSet;
    public readonly consoleUrl: string;

    constructor(name: string, args: CloudDnsFailoverArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:dns:CloudDnsFailover", name, {}, opts);
        assertNoIssues("CloudDnsFailover", name, validateCloudDnsFailoverArgs(args), this);
        const a = resolveCloudDnsDefaults(args);
        const fqdn = recordFqdn(a.recordName, a.zoneName);

        const managedZone = a.createZone
            ? new gcp.dns.ManagedZone(
                  `${name}-zone`,
                  { name: a.managedZoneName, dnsName: `${stripDot(a.zoneName)}.`, project: a.project, visibility: "public", description: `nonstop: ${fqdn}`, labels: { ...a.labels } },
                  { parent: this, protect: a.protectZone, retainOnDelete: a.protectZone },
              ).name
            : gcp.dns.getManagedZoneOutput({ name: a.managedZoneName, project: a.project }, { parent: this }).name;

        const port = a.endpoints[0].healthCheckPort;
        const probe = { port, requestPath: a.healthCheck.path ?? a.endpoints[0].healthCheckPath, portSpecification: "USE_FIXED_PORT" };
        const healthCheck = new gcp.compute.HealthCheck(
            `${name}-hc`,
            {
                project: a.project,
                description: `nonstop: health of every site behind ${fqdn}`,
                checkIntervalSec: a.healthCheck.intervalSeconds,
                timeoutSec: 10,
                unhealthyThreshold: a.healthCheck.failureThreshold,
                healthyThreshold: 2,
                sourceRegions: [...a.sourceRegions],
                ...(probeProtocol({ port, protocol: a.endpoints[0].healthCheckProtocol }) === "HTTP" ? { httpHealthCheck: probe } : { httpsHealthCheck: probe }),
            },
            { parent: this },
        );

        const { primaries, secondaries } = endpointsByRole(a.endpoints);
        const routingPolicy: gcp.types.input.dns.RecordSetRoutingPolicy =
            a.mode === "weighted"
                ? {
                      healthCheck: healthCheck.id,
                      // Each weighted item carries its own site's address; the weight and the address come from one endpoint.
                      wrrs: a.endpoints.map((e) => ({ weight: e.weight ?? 0, healthCheckedTargets: { externalEndpoints: [healthCheckedAddress(e, a)] } })),
                  }
                : {
                      healthCheck: healthCheck.id,
                      primaryBackup: {
                          primary: { externalEndpoints: primaries.map((e) => healthCheckedAddress(e, a)) },
                          backupGeos: backupLocations(secondaries, a.defaultBackupLocation).map((g) => ({ location: g.location, healthCheckedTargets: { externalEndpoints: g.endpoints.map((e) => healthCheckedAddress(e, a)) } })),
                          // Standby sites get no traffic until the primary fails.
                          trickleRatio: 0,
                      },
                  };
        this.recordSet = new gcp.dns.RecordSet(
            `${name}-record`,
            { project: a.project, managedZone, name: `${fqdn}.`, type: "A", ttl: a.ttlSeconds, routingPolicy },
            { parent: this },
        );

        a.supportRecords.forEach((r, i) => {
            new gcp.dns.RecordSet(
                `${name}-support-${i}`,
                { project: a.project, managedZone, name: r.name, type: r.type, rrdatas: [r.data], ttl: SUPPORT_RECORD_TTL_SECONDS },
                { parent: this },
            );
        });

        this.fqdn = fqdn;
        this.managedZone = managedZone;
        this.healthCheckId = healthCheck.id;
        this.healthCheckIds = Object.fromEntries(a.endpoints.map((e) => [e.key, healthCheck.id]));
        this.consoleUrl = `https://console.cloud.google.com/net-services/dns/zones/${a.managedZoneName}${a.project ? `?project=${a.project}` : ""}`;
        this.registerOutputs({ fqdn, managedZone, healthCheckId: healthCheck.id });
    }
}
