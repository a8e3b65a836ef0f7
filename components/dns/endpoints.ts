// What both DNS failover components take: a site's endpoint plus how the record set routes to it.
import * as pulumi from "@pulumi/pulumi";
import { Site, SiteEndpoint, SiteRole } from "../site/site";

export type RoutingMode = "failover" | "weighted";

/** One more thing to probe for a site made of several parts (its Route 53 check becomes CALCULATED). */
export interface HealthProbe {
    readonly host: pulumi.Output<string>;
    readonly path: string;
    readonly port: number;
    /** @default HTTP on port 80, HTTPS otherwise */
    readonly protocol?: "HTTP" | "HTTPS";
}

/** A site's endpoint as a record set routes to it. */
export interface RoutedEndpoint extends SiteEndpoint {
    /** failover mode: primary or secondary. @default none (required in failover mode) */
    readonly role?: SiteRole;
    /** weighted mode: the site's relative share of traffic, 0-255. @default none (required in weighted mode) */
    readonly weight?: number;
    /**
     * Further probes of the same site (e.g. a second listener). With any, the site counts as healthy
     * only when `childHealthThreshold` of all its probes pass. @default none
     */
    readonly extraProbes?: readonly HealthProbe[];
    /**
     * Path this endpoint's health check probes instead of `healthCheck.path` (e.g. a pilot light's
     * load-balancer probe, which answers while the site scales out). @default healthCheck.path, else healthCheckPath
     */
    readonly probePath?: string;
}

export interface DnsHealthCheckSettings {
    /** Seconds between probes from each checker region. */
    readonly intervalSeconds: number;
    /** Consecutive failures before an endpoint is judged unhealthy. */
    readonly failureThreshold: number;
    /** Path probed on every endpoint. @default each endpoint's healthCheckPath */
    readonly path?: string;
}

/** A record a site needs in the zone, e.g. the DNS authorization of a managed certificate. */
export interface ZoneRecord {
    readonly name: string;
    readonly type: string;
    readonly data: string;
}

/**
 * What both DNS failover components take; Route53FailoverArgs and CloudDnsFailoverArgs extend it
 * with their provider's own settings.
 */
export interface DnsFailoverArgs {
    /** DNS zone, e.g. example.com: a public Route 53 hosted zone, or the DNS name of a Cloud DNS managed zone. */
    readonly zoneName: string;
    /** Create the zone instead of looking it up. @default false */
    readonly createZone?: boolean;
    /** protect + retainOnDelete on a zone this component creates. @default false */
    readonly protectZone?: boolean;
    /** Label (`checkout`), full name inside the zone, or `@` for the apex. */
    readonly recordName: string;
    readonly endpoints: readonly RoutedEndpoint[];
    readonly mode: RoutingMode;
    /** TTL of the records (Route 53 alias records follow their target instead). */
    readonly ttlSeconds: number;
    readonly healthCheck: DnsHealthCheckSettings;
    /** Site key judged down for a game day; each provider's args say how. @default none */
    readonly drillSiteKey?: string;
    /**
     * Site key held out of DNS after a data failover, until people run the failback: judged down
     * the way the drill judges its site, so traffic never returns by itself onto a database that
     * missed writes. @default none
     */
    readonly pinnedOutSiteKey?: string;
    /** Records the sites need in the zone (certificate DNS authorizations). @default none */
    readonly supportRecords?: readonly pulumi.Output<ZoneRecord>[];
}

/** The defaults of DnsFailoverArgs, for both providers; each provider's resolve function adds its own. */
export function resolveDnsFailoverDefaults<T extends DnsFailoverArgs>(args: T): T & Required<Pick<DnsFailoverArgs, "createZone" | "protectZone" | "supportRecords">> {
    return {
        ...args,
        createZone: args.createZone ?? false,
        protectZone: args.protectZone ?? false,
        supportRecords: args.supportRecords ?? [],
    };
}

/** TTL of supporting records (certificate authorizations): they rarely change. */
export const SUPPORT_RECORD_TTL_SECONDS = 300;

/** A site's endpoint with the role or weight the site was given. */
export function routedEndpoint(site: Site): RoutedEndpoint {
    return { ...site.endpoint, role: site.role, weight: site.weight };
}

/** Failover mode's endpoints by role, each in the order given: secondaries are tried in that order. */
export function endpointsByRole(endpoints: readonly RoutedEndpoint[]): { readonly primaries: RoutedEndpoint[]; readonly secondaries: RoutedEndpoint[] } {
    return { primaries: endpoints.filter((e) => e.role === "primary"), secondaries: endpoints.filter((e) => e.role === "secondary") };
}

/** Fully qualified name of `recordName` in `zoneName`, without the trailing dot. `@` or "" is the apex. */
export function recordFqdn(recordName: string, zoneName: string): string {
    const zone = stripDot(zoneName);
    const rec = stripDot(recordName);
    if (rec === "" || rec === "@") return zone;
    return rec === zone || rec.endsWith(`.${zone}`) ? rec : `${rec}.${zone}`;
}

export function stripDot(name: string): string {
    return name.endsWith(".") ? name.slice(0, -1) : name;
}

/** The protocol a health checker speaks to an endpoint: as the site says, else by port. */
export function probeProtocol(probe: { readonly port: number; readonly protocol?: "HTTP" | "HTTPS" }): "HTTP" | "HTTPS" {
    return probe.protocol ?? (probe.port === 80 ? "HTTP" : "HTTPS");
}

export function isIpv4(value: string): boolean {
    return /^\d{1,3}(\.\d{1,3}){3}$/.test(value);
}

/** Checks shared by both providers; each message names the arg, shows the value and says the fix. */
export function commonDnsIssues(args: DnsFailoverArgs): string[] {
    const issues: string[] = [];
    if (!/^([a-z0-9-]+\.)+[a-z]{2,}\.?$/.test(args.zoneName)) {
        issues.push(`zoneName: ${JSON.stringify(args.zoneName)} is not a DNS zone; expected a name such as example.com`);
    }
    const rec = stripDot(args.recordName);
    if (rec.includes(".") && rec !== stripDot(args.zoneName) && !rec.endsWith(`.${stripDot(args.zoneName)}`)) {
        issues.push(`recordName: ${JSON.stringify(args.recordName)} is outside zone ${args.zoneName}; give a label such as "checkout" or a name ending in .${stripDot(args.zoneName)}`);
    }
    if (args.endpoints.length === 0) issues.push("endpoints: is empty; give at least one site endpoint");
    const keys = new Set<string>();
    args.endpoints.forEach((e, i) => {
        if (keys.has(e.key)) issues.push(`endpoints[${i}].key: "${e.key}" appears twice; every endpoint needs its own site key (it becomes the record's set identifier)`);
        keys.add(e.key);
        if (!Number.isInteger(e.healthCheckPort) || e.healthCheckPort < 1 || e.healthCheckPort > 65535) {
            issues.push(`endpoints[${i}].healthCheckPort: ${e.healthCheckPort} is not a TCP port; expected 1-65535`);
        }
        if (!e.healthCheckPath.startsWith("/")) issues.push(`endpoints[${i}].healthCheckPath: ${JSON.stringify(e.healthCheckPath)} must start with '/'`);
    });
    if (args.mode === "failover") {
        const { primaries, secondaries } = endpointsByRole(args.endpoints);
        if (primaries.length !== 1) {
            issues.push(`endpoints: failover mode needs exactly one endpoint with role "primary", found ${primaries.length} (${primaries.map((e) => e.key).join(", ") || "none"})`);
        }
        if (secondaries.length < 1) issues.push(`endpoints: failover mode needs at least one endpoint with role "secondary" to fail over to`);
        args.endpoints.forEach((e, i) => {
            if (e.role === undefined) issues.push(`endpoints[${i}].role: is required in failover mode (site ${e.key}); set primary or secondary`);
            if (e.weight !== undefined) issues.push(`endpoints[${i}].weight: ${e.weight} is only for weighted mode (site ${e.key}); remove it or use mode "weighted"`);
        });
    } else {
        args.endpoints.forEach((e, i) => {
            if (e.weight === undefined || !Number.isInteger(e.weight) || e.weight < 0 || e.weight > 255) {
                issues.push(`endpoints[${i}].weight: ${String(e.weight)} is not a weight (site ${e.key}); expected an integer 0-255`);
            }
            if (e.role !== undefined) issues.push(`endpoints[${i}].role: "${e.role}" is only for failover mode (site ${e.key}); remove it or use mode "failover"`);
        });
        if (args.endpoints.length > 0 && args.endpoints.every((e) => (e.weight ?? 0) === 0)) {
            issues.push("endpoints: every weight is 0, so no site would be preferred; give at least one endpoint a positive weight");
        }
    }
    if (!Number.isInteger(args.ttlSeconds) || args.ttlSeconds < 1 || args.ttlSeconds > 86400) {
        issues.push(`ttlSeconds: ${args.ttlSeconds} is out of range; expected an integer 1-86400 (30-60 keeps failover fast)`);
    }
    const hc = args.healthCheck;
    if (!Number.isInteger(hc.failureThreshold) || hc.failureThreshold < 1 || hc.failureThreshold > 10) {
        issues.push(`healthCheck.failureThreshold: ${hc.failureThreshold} is out of range; expected an integer 1-10`);
    }
    if (hc.path !== undefined && !hc.path.startsWith("/")) issues.push(`healthCheck.path: ${JSON.stringify(hc.path)} must start with '/'`);
    if (args.drillSiteKey !== undefined && !keys.has(args.drillSiteKey)) {
        issues.push(`drillSiteKey: "${args.drillSiteKey}" is not one of the endpoints (${[...keys].join(", ")}); name the site key to fail`);
    }
    if (args.pinnedOutSiteKey !== undefined && !keys.has(args.pinnedOutSiteKey)) {
        issues.push(`pinnedOutSiteKey: "${args.pinnedOutSiteKey}" is not one of the endpoints (${[...keys].join(", ")}); name the site to hold out`);
    }
    args.endpoints.forEach((e, i) => {
        if (e.probePath !== undefined && !e.probePath.startsWith("/")) issues.push(`endpoints[${i}].probePath: ${JSON.stringify(e.probePath)} must start with '/'`);
    });
    return issues;
}

/** Sites DNS judges down on purpose: the game day's, and the one held out after a data failover. */
export function judgedDown(endpoint: Pick<SiteEndpoint, "key">, args: Pick<DnsFailoverArgs, "drillSiteKey" | "pinnedOutSiteKey">): boolean {
    return endpoint.key === args.drillSiteKey || endpoint.key === args.pinnedOutSiteKey;
}

/** Throws one error listing every issue, tied to the component. */
export function assertNoIssues(component: string, name: string, issues: readonly string[], resource: pulumi.Resource): void {
    if (issues.length === 0) return;
    throw new pulumi.ResourceError(`${component} "${name}" has invalid args:\n  ${issues.join("\n  ")}`, resource);
}
