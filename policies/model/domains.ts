// The failure domains of a plan: every zone group, region and cloud that holds a site, a data store
// or a piece of recovery automation; the DNS provider; each writer database; each image registry;
// each service's releases. Each has a rate (events a year) and an outage duration, both ranges
// from rates.json.
import { cite, quantity } from "./data";
import { c, Expr, mul, q, Quantity } from "./quantity";
import { Cloud, DomainKind } from "./types";

export interface Place {
    readonly cloud: Cloud;
    readonly region: string;
    /** Where a Kubernetes cluster itself runs (GKE, EKS), when its context says. */
    readonly host?: { readonly cloud: Cloud; readonly region: string };
}

export interface Domain {
    readonly id: string;
    readonly kind: DomainKind;
    /** `AWS us-east-1`, `any one zone of AWS us-east-1 (us-east-1a, us-east-1b, us-east-1c)`. */
    readonly label: string;
    readonly rate: Expr;
    readonly rateFormula: string;
    /** Where the rate and the outage duration come from. */
    readonly source: string;
    readonly outage: Quantity;
    /** region / zone: the cloud and region; cloud: the cloud. */
    readonly cloud?: Cloud;
    readonly region?: string;
    /** zone: the zones of the group (empty when not known: 3 are taken). */
    readonly zones?: readonly string[];
    readonly dns?: string;
    /** writer: the data store's URN. */
    readonly store?: string;
    readonly registry?: string;
    /** release: the service's name. */
    readonly service?: string;
}

/** Zones a GCP or Kubernetes region is taken to have when the graph names none (GCP regions have three or more). */
export const DEFAULT_ZONES = 3;

export function regionDomain(cloud: Cloud, region: string): Domain {
    const rateKey = cloud === "aws" ? (region === "us-east-1" ? "rate-region-aws-us-east-1" : "rate-region-aws") : cloud === "gcp" ? "rate-region-gcp" : "rate-region-kubernetes";
    const rate = quantity(rateKey, `${cloud} region outages a year (${rateKey === "rate-region-aws-us-east-1" ? "us-east-1" : "class"})`);
    return {
        id: `region:${cloud}/${region}`,
        kind: "region",
        label: cloud === "kubernetes" ? `Kubernetes cluster ${region}` : region === "default" ? `${cloud.toUpperCase()} (the stack's default region)` : `${cloud.toUpperCase()} ${region}`,
        rate: q(rate),
        rateFormula: rateKey,
        source: sources(rate, quantity("outage-region")),
        outage: quantity("outage-region", "regional outage duration"),
        cloud,
        region,
    };
}

export function zoneDomain(cloud: Cloud, region: string, zones: readonly string[]): Domain {
    const n = zones.length > 0 ? zones.length : DEFAULT_ZONES;
    const names = zones.length > 0 ? zones.join(", ") : `${DEFAULT_ZONES} zones taken`;
    return {
        id: `zone:${cloud}/${zones.length > 0 ? zoneGroupName(zones) : `${region}-*`}`,
        kind: "zone",
        label: `any one zone of ${cloud.toUpperCase()} ${region} (${names})`,
        rate: mul(c(n), q(quantity("rate-zone", "zone outages a year, per zone"))),
        rateFormula: `${n} zones x rate-zone`,
        source: sources(quantity("rate-zone"), quantity("outage-zone")),
        outage: quantity("outage-zone", "zone outage duration"),
        cloud,
        region,
        zones,
    };
}

/** `us-east-1a|b|c` for zones of one region. */
export function zoneGroupName(zones: readonly string[]): string {
    const prefix = zones.reduce((p, z) => {
        let i = 0;
        while (i < p.length && i < z.length && p[i] === z[i]) i++;
        return p.slice(0, i);
    }, zones[0] ?? "");
    const base = prefix.replace(/[^-]*$/, (m) => (zones.every((z) => z.length > prefix.length) ? m : ""));
    return zones.length > 1 ? `${base}${zones.map((z) => z.slice(base.length)).join("|")}` : (zones[0] ?? "");
}

export function cloudDomain(cloud: Cloud): Domain {
    const key = cloud === "aws" ? "rate-cloud-aws" : "rate-cloud-gcp";
    const rate = quantity(key, `${cloud} cloud-wide outages a year`);
    return { id: `cloud:${cloud}`, kind: "cloud", label: `all of ${cloud.toUpperCase()}`, rate: q(rate), rateFormula: key, source: sources(rate, quantity("outage-cloud")), outage: quantity("outage-cloud", "cloud-wide outage duration"), cloud };
}

export function dnsDomain(provider: string): Domain {
    const key = provider === "route53" ? "rate-dns-route53" : "rate-dns-cloud-dns";
    return {
        id: `dns:${provider}`,
        kind: "dns",
        label: `the DNS provider (${provider === "route53" ? "Route 53" : "Cloud DNS"})`,
        rate: q(quantity(key, `${provider} answering outages a year`)),
        rateFormula: key,
        source: sources(quantity(key), quantity("outage-dns")),
        outage: quantity("outage-dns", "DNS provider outage duration"),
        dns: provider,
    };
}

export function writerDomain(store: { readonly urn: string; readonly name: string }): Domain {
    return {
        id: `writer:${store.name}`,
        kind: "writer",
        label: `the writer database ${store.name} (its region up)`,
        rate: q(quantity("rate-writer-cluster", "writer database outages a year")),
        rateFormula: "rate-writer-cluster",
        source: sources(quantity("rate-writer-cluster"), quantity("outage-writer-cluster")),
        outage: quantity("outage-writer-cluster", "writer database outage duration"),
        store: store.urn,
    };
}

export function registryDomain(host: string): Domain {
    return {
        id: `registry:${host}`,
        kind: "registry",
        label: `the image registry ${host}`,
        rate: q(quantity("rate-registry", "registry outages a year")),
        rateFormula: "rate-registry",
        source: sources(quantity("rate-registry"), quantity("outage-registry")),
        outage: quantity("outage-registry", "registry outage duration"),
        registry: host,
    };
}

/**
 * A bad release of `service`. `switchRollback`: every serving site undoes a release by switching
 * traffic back and pages people on server errors (ReleaseSplit.switchRollback), so it stays live for
 * the alarm and the response; otherwise for DORA's failed-deployment recovery time.
 */
export function releaseDomain(service: string, switchRollback = false): Domain {
    const recovery = switchRollback ? "release-rollback-switch" : "release-recovery";
    return {
        id: `release:${service}`,
        kind: "release",
        label: `a bad release of ${service}`,
        rate: mul(q(quantity("releases-per-year", "releases a year")), q(quantity("change-failure-rate", "change failure rate"))),
        rateFormula: "releases-per-year x change-failure-rate",
        source: sources(quantity("change-failure-rate"), quantity(recovery)),
        outage: quantity(recovery, switchRollback ? "time to be paged and switch a bad release's traffic back" : "time to notice and roll back a bad release"),
        service,
    };
}

/** `rate: <source>, duration: <source>` (each prefixed by its basis when not documented). */
function sources(rate: Quantity, outage: Quantity): string {
    return rate.source === outage.source ? cite(rate) : `rate ${cite(rate)}, duration ${cite(outage)}`;
}

/** Whether a place is inside a region or cloud domain (a Kubernetes cluster is inside the cloud region that hosts it). */
export function contains(d: Domain, p: Place | undefined): boolean {
    if (!p || (d.kind !== "region" && d.kind !== "cloud")) return false;
    const match = (cloud: Cloud, region: string) => cloud === d.cloud && (d.kind === "cloud" || region === d.region);
    return match(p.cloud, p.region) || (p.host !== undefined && match(p.host.cloud, p.host.region));
}

/** `aws/us-east-1` strings (automation places) against a region or cloud domain. */
export function containsPlace(d: Domain, place: string): boolean {
    const [cloud, region] = place.split("/");
    return contains(d, { cloud: cloud as Cloud, region });
}
