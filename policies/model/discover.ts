// From resources to services: a service is the DNS name clients resolve (Route 53 records, Cloud DNS
// record sets); each answer it can give points at one site (a load balancer, an address, an
// ingress); a site is what sits around that target in the component tree: its compute, its data
// stores. Nothing here trusts a component's own description: only what the engine sees.
import { GraphResource } from "../lib/graph";
import { isUnknown, list, num, read, str } from "../lib/props";
import { cite, sla, timing, TimingEntry } from "./data";
import { clusterOf, cloudOf, locationOf, presence, propsContain, Tree } from "./tree";
import { Cloud, ComputeKind, DataStoreInfo, HealthCheckInfo, Term } from "./types";

export const TYPES = {
    r53Record: "aws:route53/record:Record",
    r53HealthCheck: "aws:route53/healthCheck:HealthCheck",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    alb: "aws:alb/loadBalancer:LoadBalancer",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    albTargetGroup: "aws:alb/targetGroup:TargetGroup",
    eip: "aws:ec2/eip:Eip",
    subnet: "aws:ec2/subnet:Subnet",
    ecsService: "aws:ecs/service:Service",
    scalingTarget: "aws:appautoscaling/target:Target",
    dnsRecordSet: "gcp:dns/recordSet:RecordSet",
    gcpHealthCheck: "gcp:compute/healthCheck:HealthCheck",
    globalAddress: "gcp:compute/globalAddress:GlobalAddress",
    address: "gcp:compute/address:Address",
    globalForwardingRule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
    forwardingRule: "gcp:compute/forwardingRule:ForwardingRule",
    urlMap: "gcp:compute/uRLMap:URLMap",
    backendService: "gcp:compute/backendService:BackendService",
    cloudRun: "gcp:cloudrunv2/service:Service",
    cloudRunV1: "gcp:cloudrun/service:Service",
    deployment: "kubernetes:apps/v1:Deployment",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    k8sService: "kubernetes:core/v1:Service",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
} as const;

/** What a DNS answer can point at. */
const ENTRY_TYPES = new Set<string>([
    TYPES.lb,
    TYPES.alb,
    TYPES.eip,
    TYPES.globalAddress,
    TYPES.address,
    TYPES.globalForwardingRule,
    TYPES.forwardingRule,
    TYPES.k8sService,
    TYPES.ingress,
    TYPES.cloudRun,
]);
const LB_TYPES = new Set<string>([TYPES.lb, TYPES.alb]);
const GCP_LB_TYPES = new Set<string>([TYPES.globalAddress, TYPES.globalForwardingRule, TYPES.forwardingRule, TYPES.urlMap, TYPES.backendService]);

export type DnsKind = "route53" | "cloud-dns";
export type RoutingKind = "failover" | "weighted" | "latency-geo" | "simple";

export interface ComputeInfo {
    readonly kind?: ComputeKind;
    /** Sum of running copies at rest; null when unknown; undefined when no compute was found. */
    readonly capacity?: number | null;
    readonly names: readonly string[];
    /** How the capacity was read, for terms. */
    readonly formula: string;
    /** SLA factor of the compute (or the platform it runs on), or why there is none. */
    readonly sla?: string;
    readonly slaFormula: string;
    readonly slaUnknown?: string;
}

export interface SiteModel {
    key: string;
    readonly cloud: Cloud;
    readonly region: string;
    readonly role?: "primary" | "secondary";
    readonly weight?: number;
    readonly records: readonly GraphResource[];
    readonly entry?: GraphResource;
    readonly ttl: Term;
    /** Detection terms (health check x threshold, aggregation); one unknown term when there is none. */
    readonly detection: readonly Term[];
    readonly healthCheck?: HealthCheckInfo;
    readonly compute: ComputeInfo;
    /** Availability factors of the request path other than data stores (load balancer, compute). */
    readonly pathFactors: readonly Term[];
    readonly dataStores: readonly DataStoreInfo[];
}

export interface ServiceModel {
    readonly name: string;
    readonly dns: DnsKind;
    readonly routing: RoutingKind;
    readonly sites: readonly SiteModel[];
    readonly recordUrns: readonly string[];
    readonly notes: readonly string[];
}

interface Answer {
    readonly record: GraphResource;
    readonly dns: DnsKind;
    readonly routing: RoutingKind;
    readonly role?: "primary" | "secondary";
    readonly weight?: number;
    readonly ttl: Term;
    readonly detection: readonly Term[];
    readonly healthCheck?: HealthCheckInfo;
    entry?: GraphResource;
    readonly value?: string;
    /** Route 53 alias target name, when the answer is an alias. */
    readonly aliasName?: string;
    /** A Cloud DNS backup geo's location, to pair an unmatched target by region. */
    readonly location?: string;
}

/** The services of a graph, one per DNS name. */
export function findServices(tree: Tree, stores: ReadonlyMap<string, DataStoreInfo>): ServiceModel[] {
    const groups = new Map<string, { name: string; dns: DnsKind; answers: Answer[]; notes: string[] }>();
    const add = (key: string, name: string, dns: DnsKind, answers: Answer[], notes: string[] = []) => {
        const g = groups.get(key) ?? { name, dns, answers: [], notes: [] };
        g.answers.push(...answers);
        g.notes.push(...notes);
        groups.set(key, g);
    };
    for (const rec of tree.ofType(TYPES.r53Record)) {
        const a = route53Answer(tree, rec);
        if (a) add(`route53|${a.zone}|${a.name}`, a.name, "route53", [a.answer]);
    }
    for (const rs of tree.ofType(TYPES.dnsRecordSet)) {
        const a = cloudDnsAnswers(tree, rs);
        if (a) add(`cloud-dns|${a.zone}|${a.name}`, a.name, "cloud-dns", a.answers, a.notes);
    }
    mergeAliasChains(groups);
    const entryUrns = new Set([...groups.values()].flatMap((g) => g.answers.map((a) => a.entry?.urn)).filter((u): u is string => u !== undefined));
    const services: ServiceModel[] = [];
    for (const g of groups.values()) services.push(buildService(tree, stores, g.name, g.dns, g.answers, entryUrns, g.notes));
    return services.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A Route 53 answer that is an alias to another name of the same zone hands over to that name's
 * record set (a failover chain: SECONDARY -> `failover-1.<name>`). The nested set's targets become
 * further secondaries of the outer name, and the alias itself is no site.
 */
function mergeAliasChains(groups: Map<string, { name: string; dns: DnsKind; answers: Answer[]; notes: string[] }>): void {
    for (let changed = true; changed; ) {
        changed = false;
        for (const g of groups.values()) {
            if (g.dns !== "route53") continue;
            const link = g.answers.find((a) => a.aliasName !== undefined && a.entry === undefined && [...groups.values()].some((h) => h !== g && h.name === a.aliasName));
            if (!link) continue;
            const [nestedKey, nested] = [...groups].find(([, h]) => h !== g && h.name === link.aliasName) as [string, { answers: Answer[]; notes: string[] }];
            const inherited = nested.answers.map((a) => ({ ...a, role: link.role ?? a.role, routing: link.routing }));
            g.answers.splice(g.answers.indexOf(link), 1, ...inherited);
            g.notes.push(...nested.notes, `${g.name}: ${link.record.name} hands over to ${link.aliasName}, whose targets are further ${link.role ?? "alternative"} sites.`);
            groups.delete(nestedKey);
            changed = true;
            break;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// DNS answers
// ---------------------------------------------------------------------------------------------

function normalizeName(name: string): string {
    return name.toLowerCase().replace(/\.$/, "");
}

function route53Answer(tree: Tree, rec: GraphResource): { zone: string; name: string; answer: Answer } | undefined {
    const routed = ["healthCheckId", "failoverRoutingPolicies", "weightedRoutingPolicies", "latencyRoutingPolicies", "geolocationRoutingPolicies", "aliases"].some((k) => presence(rec.props, k) !== "absent");
    if (!isServiceRecord(rec, routed)) return undefined;
    const rawName = str(rec.props, "name");
    const name = rawName ? normalizeName(rawName) : `(name unknown at preview: ${rec.name})`;
    const zone = str(rec.props, "zoneId") ?? rec.propertyDependencies.zoneId?.[0] ?? "?";
    const failover = str(rec.props, ["failoverRoutingPolicies", 0, "type"]);
    const weighted = (list(rec.props, "weightedRoutingPolicies") ?? []).length > 0;
    const latencyGeo = ["latencyRoutingPolicies", "geolocationRoutingPolicies"].some((k) => (list(rec.props, k) ?? []).length > 0) || presence(rec.props, "geoproximityRoutingPolicy") !== "absent";
    const routing: RoutingKind = failover ? "failover" : weighted ? "weighted" : latencyGeo ? "latency-geo" : "simple";
    const aliases = list(rec.props, "aliases") ?? [];

    let entry: GraphResource | undefined;
    let value: string | undefined;
    if (aliases.length > 0) {
        entry = pickEntry(tree.refs(rec, "aliases"));
        value = str(aliases[0], "name");
        if (!entry && value) entry = findByValue(tree, value);
    } else {
        entry = pickEntry(tree.refs(rec, "records"));
        const values = (list(rec.props, "records") ?? []).filter((v): v is string => typeof v === "string" && !isUnknown(v));
        value = values[0];
        if (!entry && value) entry = findByValue(tree, value);
    }

    const ttl = aliases.length > 0 ? aliasTtl(rec, entry) : plainTtl(rec);
    const hc = route53Detection(tree, rec, aliases, entry);
    return {
        zone,
        name,
        answer: {
            record: rec,
            dns: "route53",
            routing,
            role: failover === "PRIMARY" ? "primary" : failover === "SECONDARY" ? "secondary" : undefined,
            weight: num(rec.props, ["weightedRoutingPolicies", 0, "weight"]),
            ttl,
            detection: hc.terms,
            healthCheck: hc.info,
            entry,
            value,
            aliasName: aliases.length > 0 && value ? normalizeName(value) : undefined,
        },
    };
}

/**
 * An address record (A, AAAA, CNAME) that is not a verification record (`_acme-challenge`...). A
 * record whose type is unknown at preview counts only when it routes (health check, routing
 * policy, alias): supporting records such as certificate authorizations do not.
 */
function isServiceRecord(rec: GraphResource, routed: boolean): boolean {
    const type = str(rec.props, "type");
    if (type !== undefined && !["A", "AAAA", "CNAME"].includes(type)) return false;
    if (type === undefined && !routed) return false;
    return !(str(rec.props, "name") ?? "").startsWith("_");
}

function pickEntry(refs: readonly GraphResource[]): GraphResource | undefined {
    const dnsOrCheck = (t: string) => t.startsWith("aws:route53/") || t.startsWith("gcp:dns/") || t === TYPES.gcpHealthCheck || t.startsWith("pulumi:");
    return refs.find((r) => ENTRY_TYPES.has(r.type)) ?? refs.find((r) => !dnsOrCheck(r.type));
}

function findByValue(tree: Tree, value: string): GraphResource | undefined {
    return tree.graph.resources.find((r) => ENTRY_TYPES.has(r.type) && propsContain(r, value));
}

function aliasTtl(rec: GraphResource, entry: GraphResource | undefined): Term {
    const t = timing("route53-alias-ttl");
    if (entry && !LB_TYPES.has(entry.type)) {
        return {
            metric: "rto",
            kind: "dns-ttl",
            name: `DNS TTL (${rec.name})`,
            formula: `alias record to ${entry.type}: the TTL is the target's, not known to the model`,
            source: `${rec.name}.aliases`,
            unknown: true,
        };
    }
    return { metric: "rto", kind: "dns-ttl", name: `DNS TTL (${rec.name})`, seconds: t.amount, formula: `alias record to a load balancer: fixed TTL ${t.amount} s`, source: cite(t) };
}

function plainTtl(rec: GraphResource): Term {
    const ttl = num(rec.props, "ttl");
    const name = `DNS TTL (${rec.name})`;
    if (ttl === undefined) {
        return { metric: "rto", kind: "dns-ttl", name, formula: `${rec.name}.ttl is ${presence(rec.props, "ttl") === "unknown" ? "unknown at preview" : "not set"}`, source: `${rec.name}.ttl`, unknown: true };
    }
    return {
        metric: "rto",
        kind: "dns-ttl",
        name,
        seconds: ttl,
        formula: `ttl ${ttl} s: resolvers keep the old answer this long`,
        source: `${rec.type === TYPES.r53Record ? "Route 53" : "Cloud DNS"} record ${rec.name}.ttl`,
        floor: ttl > 30 ? { seconds: 30, change: `lower ${rec.name} ttl to 30` } : undefined,
    };
}

function route53Detection(tree: Tree, rec: GraphResource, aliases: readonly unknown[], entry: GraphResource | undefined): { terms: Term[]; info?: HealthCheckInfo } {
    const idState = presence(rec.props, "healthCheckId");
    if (idState !== "absent") {
        const id = str(rec.props, "healthCheckId");
        const hc =
            tree.refs(rec, "healthCheckId").find((r) => r.type === TYPES.r53HealthCheck) ??
            tree.ofType(TYPES.r53HealthCheck).find((h) => id !== undefined && str(h.props, "id") === id);
        if (!hc) return { terms: [unknownDetection(rec, `the health check ${id ?? "(id unknown at preview)"} of ${rec.name} is not among the resources`)] };
        return route53HealthCheckTerms(tree, hc);
    }
    const evaluate = aliases.some((a) => read(a, "evaluateTargetHealth") === true);
    if (evaluate && entry && LB_TYPES.has(entry.type)) return targetHealthTerms(tree, rec, entry);
    return { terms: [unknownDetection(rec, `${rec.name} has no health check (healthCheckId, or evaluateTargetHealth on an alias): DNS never fails over on its own`)] };
}

function unknownDetection(rec: GraphResource, why: string): Term {
    return { metric: "rto", kind: "detection", name: `failure detection (${rec.name})`, formula: why, source: rec.name, unknown: true };
}

function route53HealthCheckTerms(tree: Tree, hc: GraphResource, depth = 0): { terms: Term[]; info?: HealthCheckInfo } {
    const type = str(hc.props, "type");
    const name = `detection (health check ${hc.name})`;
    if (type === "CALCULATED" && depth < 3) {
        // A calculated check turns unhealthy when its children do; a lost site fails them all at
        // once, so the slowest child decides.
        const children = tree.refs(hc, "childHealthchecks").filter((c) => c.type === TYPES.r53HealthCheck);
        if (children.length > 0) {
            const results = children.map((c) => route53HealthCheckTerms(tree, c, depth + 1));
            const unknown = results.find((r) => r.terms.some((t) => t.unknown));
            const slowest = unknown ?? results.reduce((a, b) => (sumSeconds(b.terms) > sumSeconds(a.terms) ? b : a));
            return {
                info: { kind: "route53", name: hc.name, urn: hc.urn, intervalSeconds: slowest.info?.intervalSeconds, failureThreshold: slowest.info?.failureThreshold },
                terms: slowest.terms.map((t) => (t.kind === "detection" ? { ...t, name: `detection (health check ${hc.name} <- ${slowest.info?.name ?? "child"})`, formula: `CALCULATED over ${children.length} checks, the slowest: ${t.formula}` } : t)),
            };
        }
    }
    if (type === undefined || !/^(HTTP|HTTPS|TCP)(_STR_MATCH)?$/.test(type)) {
        return {
            terms: [{ metric: "rto", kind: "detection", name, formula: `health check type ${type ?? "unknown"}: detection time depends on other checks or alarms`, source: `${hc.name}.type`, unknown: true }],
            info: { kind: "route53", name: hc.name, urn: hc.urn },
        };
    }
    return periodicCheckTerms({
        kind: "route53",
        check: hc,
        name,
        interval: { path: "requestInterval", defaultTiming: "route53-default-request-interval" },
        threshold: { path: "failureThreshold", defaultTiming: "route53-default-failure-threshold" },
        detection: (interval, threshold, dInterval) => {
            const change = [interval.value > 10 ? `requestInterval 10` : "", threshold.value > 3 ? `failureThreshold 3` : ""].filter(Boolean).join(", ");
            return {
                formula: `requestInterval ${interval.value} s${interval.defaulted ? " (default)" : ""} x failureThreshold ${threshold.value}${threshold.defaulted ? " (default)" : ""}`,
                source: interval.defaulted || threshold.defaulted ? `${hc.name}; defaults: ${dInterval.source}` : `Route 53 health check ${hc.name}`,
                floor: change ? { seconds: 10 * Math.min(threshold.value, 3), change: `set ${hc.name} ${change}` } : undefined,
            };
        },
        aggregation: { name: "Route 53 health aggregation", timing: "route53-health-aggregation", formula: "checker reports aggregated (unhealthy at <= 18% healthy) before the record is withdrawn" },
    });
}

function targetHealthTerms(tree: Tree, rec: GraphResource, lb: GraphResource): { terms: Term[]; info?: HealthCheckInfo } {
    // Route 53 evaluates the load balancer's own health: the site fails when its targets do.
    const groups = tree.graph.resources.filter((r) => (r.type === TYPES.targetGroup || r.type === TYPES.albTargetGroup) && siblings(tree, r, lb));
    const tg = groups[0];
    if (!tg) return { terms: [unknownDetection(rec, `${rec.name} evaluates target health of ${lb.name}, but no target group was found beside it`)] };
    return periodicCheckTerms({
        kind: "elb-target-health",
        check: tg,
        name: `detection (target health of ${tg.name})`,
        interval: { path: "healthCheck.interval", defaultTiming: "elb-default-health-interval" },
        threshold: { path: "healthCheck.unhealthyThreshold", defaultTiming: "elb-default-unhealthy-threshold" },
        detection: (interval, threshold, dInterval) => ({
            formula: `healthCheck.interval ${interval.value} s x unhealthyThreshold ${threshold.value} (alias evaluateTargetHealth)`,
            source: `target group ${tg.name}; defaults: ${dInterval.source}`,
            floor: interval.value > 10 ? { seconds: 10 * threshold.value, change: `set ${tg.name} healthCheck.interval 10` } : undefined,
        }),
        aggregation: { name: "Route 53 health aggregation", timing: "route53-health-aggregation", formula: "target health reaches Route 53" },
    });
}

function sumSeconds(terms: readonly Term[]): number {
    return terms.reduce((a, t) => a + (t.seconds ?? 0), 0);
}

function siblings(tree: Tree, a: GraphResource, b: GraphResource): boolean {
    return tree.parentOf(a.urn) === tree.parentOf(b.urn);
}

/** A setting of a periodic check: where it is read, and the timing entry of its provider default. */
interface CheckSetting {
    readonly path: string;
    readonly defaultTiming: string;
}

/** A setting once read: its value, and whether that value is the provider's default. */
interface CheckReading {
    readonly value: number;
    readonly defaulted: boolean;
}

interface PeriodicCheck {
    readonly kind: HealthCheckInfo["kind"];
    /** The resource that holds the check's settings (the health check, or the target group). */
    readonly check: GraphResource;
    /** Name of the detection term. */
    readonly name: string;
    readonly interval: CheckSetting;
    readonly threshold: CheckSetting;
    /** Formula, source and floor of the detection term, once interval and threshold are known. */
    readonly detection: (interval: CheckReading, threshold: CheckReading, intervalDefault: TimingEntry) => Pick<Term, "formula" | "source" | "floor">;
    /** The delay between the check turning unhealthy and DNS acting on it: term name, timing entry, why. */
    readonly aggregation: { readonly name: string; readonly timing: string; readonly formula: string };
}

/**
 * Detection by a check that probes every `interval` seconds and fails after `threshold` failed
 * probes (interval x threshold, provider defaults where a setting is absent), followed by the
 * delay before DNS acts on the result. One unknown term when either setting is unknown at preview.
 */
function periodicCheckTerms(p: PeriodicCheck): { terms: Term[]; info?: HealthCheckInfo } {
    const dInterval = timing(p.interval.defaultTiming);
    const dThreshold = timing(p.threshold.defaultTiming);
    const interval = readOr(p.check, p.interval.path, dInterval.amount);
    const threshold = readOr(p.check, p.threshold.path, dThreshold.amount);
    const info: HealthCheckInfo = { kind: p.kind, name: p.check.name, urn: p.check.urn, intervalSeconds: interval.value, failureThreshold: threshold.value };
    if (interval.value === undefined || threshold.value === undefined) {
        return { terms: [{ metric: "rto", kind: "detection", name: p.name, formula: `${interval.text} x ${threshold.text}`, source: p.check.name, unknown: true }], info };
    }
    const detail = p.detection({ value: interval.value, defaulted: interval.defaulted }, { value: threshold.value, defaulted: threshold.defaulted }, dInterval);
    const agg = timing(p.aggregation.timing);
    return {
        info,
        terms: [
            { metric: "rto", kind: "detection", name: p.name, seconds: interval.value * threshold.value, formula: detail.formula, source: detail.source, floor: detail.floor },
            { metric: "rto", kind: "health-aggregation", name: p.aggregation.name, seconds: agg.amount, formula: `${p.aggregation.formula}: ${agg.amount} s allowed`, source: cite(agg) },
        ],
    };
}

function readOr(r: GraphResource, path: string, fallback: number): { value?: number; defaulted: boolean; text: string } {
    const state = presence(r.props, path);
    const key = path.split(".").pop() as string;
    if (state === "absent") return { value: fallback, defaulted: true, text: `${key} ${fallback} (default)` };
    const v = num(r.props, path);
    return v === undefined ? { defaulted: false, text: `${r.name}.${path} unknown` } : { value: v, defaulted: false, text: `${key} ${v}` };
}

function cloudDnsAnswers(tree: Tree, rs: GraphResource): { zone: string; name: string; answers: Answer[]; notes: string[] } | undefined {
    if (!isServiceRecord(rs, presence(rs.props, "routingPolicy") !== "absent")) return undefined;
    const rawName = str(rs.props, "name");
    const name = rawName ? normalizeName(rawName) : `(name unknown at preview: ${rs.name})`;
    const zone = str(rs.props, "managedZone") ?? rs.propertyDependencies.managedZone?.[0] ?? "?";
    const rp = read(rs.props, "routingPolicy");
    const notes: string[] = [];
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && !isUnknown(x)) : []);
    interface Slot {
        role?: "primary" | "secondary";
        weight?: number;
        values: string[];
        location?: string;
    }
    const slots: Slot[] = [];
    let routing: RoutingKind = "simple";
    if (presence(rp, "primaryBackup") !== "absent") {
        routing = "failover";
        slots.push({ role: "primary", values: strings(read(rp, "primaryBackup.primary.externalEndpoints")) });
        for (const g of list(rp, "primaryBackup.backupGeos") ?? []) {
            slots.push({ role: "secondary", values: [...strings(read(g, "rrdatas")), ...strings(read(g, "healthCheckedTargets.externalEndpoints"))], location: str(g, "location") });
        }
    } else if ((list(rp, "wrrs") ?? []).length > 0) {
        routing = "weighted";
        for (const w of list(rp, "wrrs") ?? []) slots.push({ weight: num(w, "weight"), values: [...strings(read(w, "rrdatas")), ...strings(read(w, "healthCheckedTargets.externalEndpoints"))] });
    } else if ((list(rp, "geos") ?? []).length > 0) {
        routing = "latency-geo";
        for (const g of list(rp, "geos") ?? []) slots.push({ values: [...strings(read(g, "rrdatas")), ...strings(read(g, "healthCheckedTargets.externalEndpoints"))], location: str(g, "location") });
    } else {
        const values = strings(read(rs.props, "rrdatas"));
        const deps = [...tree.refs(rs, "rrdatas")].filter((r) => ENTRY_TYPES.has(r.type));
        const n = Math.max(values.length, deps.length, 1);
        for (let i = 0; i < n; i++) slots.push({ values: values[i] ? [values[i]] : [] });
    }

    const hc = cloudDnsDetection(tree, rs, rp);
    const ttl = plainTtl(rs);
    const candidates = [...tree.refs(rs, "routingPolicy"), ...tree.refs(rs, "rrdatas")].filter((r) => ENTRY_TYPES.has(r.type));
    const used = new Set<string>();
    const entries: (GraphResource | undefined)[] = slots.map((s) => {
        for (const v of s.values) {
            const found = findByValue(tree, v);
            if (found) {
                used.add(found.urn);
                return found;
            }
        }
        return undefined;
    });
    // Targets whose addresses are unknown at preview: pair backups by region, the rest in order.
    slots.forEach((s, i) => {
        if (entries[i] || !s.location) return;
        const others = new Set(candidates.map((c) => c.urn));
        const match = candidates.find((c) => !used.has(c.urn) && siteRegion(c, siteResources(tree, c, others)) === s.location);
        if (match) {
            used.add(match.urn);
            entries[i] = match;
        }
    });
    let paired = false;
    slots.forEach((_s, i) => {
        if (entries[i]) return;
        const next = candidates.find((c) => !used.has(c.urn));
        if (next) {
            used.add(next.urn);
            entries[i] = next;
            paired = true;
        }
    });
    if (paired && routing === "weighted") notes.push(`${name}: targets of weighted answers are unknown at preview; weights are paired with targets in declaration order.`);
    const answers = slots.map<Answer>((s, i) => ({
        record: rs,
        dns: "cloud-dns",
        routing,
        role: s.role,
        weight: s.weight,
        ttl,
        detection: hc.terms,
        healthCheck: hc.info,
        entry: entries[i],
        value: s.values[0],
        location: s.location,
    }));
    return { zone, name, answers, notes };
}

function cloudDnsDetection(tree: Tree, rs: GraphResource, rp: unknown): { terms: Term[]; info?: HealthCheckInfo } {
    const state = presence(rp, "healthCheck");
    const hasInternal = JSON.stringify(rp ?? {}).includes("internalLoadBalancers");
    if (state === "absent") {
        const why = hasInternal
            ? `${rs.name} checks internal load balancers: detection follows their backends' health checks, not modelled`
            : `${rs.name} has no routingPolicy.healthCheck: Cloud DNS never fails over on its own`;
        return { terms: [unknownDetection(rs, why)] };
    }
    const id = str(rp, "healthCheck");
    const hc =
        tree.refs(rs, "routingPolicy").find((r) => r.type === TYPES.gcpHealthCheck) ??
        tree.ofType(TYPES.gcpHealthCheck).find((h) => id !== undefined && [str(h.props, "name"), h.name, str(h.props, "selfLink"), str(h.props, "id")].some((n) => n !== undefined && (id === n || id.endsWith(`/${n}`))));
    if (!hc) return { terms: [unknownDetection(rs, `the health check ${id ?? "(unknown at preview)"} of ${rs.name} is not among the resources`)] };
    // Health checks with sourceRegions (external endpoints) cannot run more often than every 30 s.
    const minInterval = presence(hc.props, "sourceRegions") !== "absent" ? 30 : 5;
    return periodicCheckTerms({
        kind: "cloud-dns",
        check: hc,
        name: `detection (health check ${hc.name})`,
        interval: { path: "checkIntervalSec", defaultTiming: "gcp-default-check-interval" },
        threshold: { path: "unhealthyThreshold", defaultTiming: "gcp-default-unhealthy-threshold" },
        detection: (interval, threshold, dInterval) => ({
            formula: `checkIntervalSec ${interval.value} s${interval.defaulted ? " (default)" : ""} x unhealthyThreshold ${threshold.value}${threshold.defaulted ? " (default)" : ""}`,
            source: interval.defaulted || threshold.defaulted ? `${hc.name}; defaults: ${dInterval.source}` : `health check ${hc.name}`,
            floor:
                interval.value > minInterval || threshold.value > 2
                    ? { seconds: minInterval * Math.min(threshold.value, 2), change: `set ${hc.name} checkIntervalSec ${minInterval}${threshold.value > 2 ? ", unhealthyThreshold 2" : ""}` }
                    : undefined,
        }),
        aggregation: { name: "Cloud DNS health propagation", timing: "cloud-dns-health-propagation", formula: "unhealthy result acted on" },
    });
}

// ---------------------------------------------------------------------------------------------
// Sites
// ---------------------------------------------------------------------------------------------

function buildService(
    tree: Tree,
    stores: ReadonlyMap<string, DataStoreInfo>,
    name: string,
    dns: DnsKind,
    answers: readonly Answer[],
    entryUrns: ReadonlySet<string>,
    notes: string[],
): ServiceModel {
    // Answers that point at the same target are one site (an A and an AAAA record, say).
    const byTarget = new Map<string, Answer[]>();
    for (const a of answers) {
        const k = a.entry?.urn ?? `${a.record.urn}|${a.value ?? ""}|${a.role ?? ""}|${a.location ?? ""}`;
        byTarget.set(k, [...(byTarget.get(k) ?? []), a]);
    }
    const routings = new Set(answers.map((a) => a.routing));
    const routing: RoutingKind = routings.has("failover") ? "failover" : routings.has("weighted") ? "weighted" : routings.has("latency-geo") ? "latency-geo" : "simple";
    const sites: SiteModel[] = [];
    const usedKeys = new Set<string>();
    for (const group of byTarget.values()) {
        const first = group[0];
        const site = buildSite(tree, stores, first, group, entryUrns);
        let key = site.key;
        for (let i = 2; usedKeys.has(key); i++) key = `${site.key}-${i}`;
        usedKeys.add(key);
        site.key = key;
        sites.push(site);
    }
    // Primaries first; otherwise the order DNS tries them in (a failover chain's order).
    sites.sort((a, b) => rank(a) - rank(b));
    return { name, dns, routing, sites, recordUrns: [...new Set(answers.map((a) => a.record.urn))], notes };
}

function rank(s: SiteModel): number {
    return s.role === "primary" ? 0 : s.role === "secondary" ? 1 : 2;
}

function buildSite(tree: Tree, stores: ReadonlyMap<string, DataStoreInfo>, first: Answer, group: readonly Answer[], entryUrns: ReadonlySet<string>): SiteModel {
    const entry = first.entry;
    const resources = entry ? siteResources(tree, entry, entryUrns) : [];
    const cloud: Cloud = entry ? cloudOf(entry.type) : "unknown";
    const region = entry ? siteRegion(entry, resources) : "unknown";
    const key = entry ? `${cloud}-${region}` : `unresolved-${first.value ?? first.record.name}`;
    const compute = findCompute(entry, resources, cloud, region);
    // A site is one place: a store of the same component in another region is not part of it.
    const found = resources.map((r) => stores.get(r.urn)).filter((d): d is DataStoreInfo => d !== undefined && d.cloud === cloud && d.region === region);
    // Read replicas of a store of the same site are copies inside it, not another store on the path.
    const inSite = new Set(found.map((d) => d.urn));
    const siteStores = found.filter((d) => !(d.replicaOf !== undefined && inSite.has(d.replicaOf)));
    return {
        key,
        cloud,
        region,
        role: first.role,
        weight: first.weight,
        records: [...new Set(group.map((a) => a.record))],
        entry,
        ttl: first.ttl,
        detection: first.detection,
        healthCheck: first.healthCheck,
        compute,
        pathFactors: pathFactors(entry, resources, cloud, compute),
        dataStores: siteStores,
    };
}

/**
 * The resources of the site a DNS target belongs to: the largest component subtree around the
 * target that holds no other target. A target at the top of the stack (a program without
 * components) takes the resources of its own cloud and location instead.
 */
export function siteResources(tree: Tree, entry: GraphResource, entryUrns: ReadonlySet<string>): GraphResource[] {
    const others = (rs: readonly GraphResource[]) => rs.some((r) => r.urn !== entry.urn && entryUrns.has(r.urn));
    let top = tree.parentOf(entry.urn);
    if (top && !others(tree.descendants(top))) {
        for (let up = tree.parentOf(top); up && !others(tree.descendants(up)); up = tree.parentOf(up)) top = up;
        const component = tree.get(top);
        return [...(component ? [component] : []), ...tree.descendants(top)];
    }
    // Flat program, or several targets in one component: same cloud and location as the target.
    const pool = top ? tree.descendants(top) : tree.graph.resources.filter((r) => !tree.parentOf(r.urn));
    const cloud = cloudOf(entry.type);
    const where = locationOf(entry);
    return pool.filter((r) => r.urn === entry.urn || (cloudOf(r.type) === cloud && where !== undefined && locationOf(r) === where && !entryUrns.has(r.urn)));
}

/** AWS: the target's region; GCP: the region most of the site's regional resources use; Kubernetes: the cluster. */
function siteRegion(entry: GraphResource, resources: readonly GraphResource[]): string {
    const cloud = cloudOf(entry.type);
    if (cloud === "kubernetes") return clusterOf(entry);
    if (cloud === "gcp") {
        const counts = new Map<string, number>();
        for (const r of resources) {
            if (cloudOf(r.type) !== "gcp") continue;
            const loc = locationOf(r);
            if (!loc || loc === "default" || loc === "global") continue;
            const region = /^[a-z]+-[a-z]+\d+-[a-z]$/.test(loc) ? loc.replace(/-[a-z]$/, "") : loc;
            counts.set(region, (counts.get(region) ?? 0) + 1);
        }
        const best = [...counts].sort((a, b) => b[1] - a[1])[0];
        return best?.[0] ?? locationOf(entry) ?? str(entry.providerProps, "region") ?? "default";
    }
    return locationOf(entry) ?? "default";
}

function findCompute(entry: GraphResource | undefined, resources: readonly GraphResource[], cloud: Cloud, region: string): ComputeInfo {
    const ecs = resources.filter((r) => r.type === TYPES.ecsService);
    const run = resources.filter((r) => r.type === TYPES.cloudRun || r.type === TYPES.cloudRunV1);
    if (entry?.type === TYPES.cloudRun && !run.includes(entry)) run.push(entry);
    const deployments = resources.filter((r) => r.type === TYPES.deployment);
    if (ecs.length > 0) return ecsCompute(ecs, resources);
    if (run.length > 0) return cloudRunCompute(run);
    if (deployments.length > 0) return kubernetesCompute(deployments, resources, region);
    return {
        names: [],
        formula: `no ECS service, Cloud Run service or Deployment found beside ${entry?.name ?? "the target"}`,
        slaFormula: "compute not found",
        slaUnknown: `compute of the ${cloud === "unknown" ? "unresolved" : `${cloud}-${region}`} site (no ECS service, Cloud Run service or Deployment found beside ${entry?.name ?? "the DNS target"})`,
    };
}

function ecsCompute(services: readonly GraphResource[], resources: readonly GraphResource[]): ComputeInfo {
    let total: number | null = 0;
    const parts: string[] = [];
    let kind: ComputeKind | undefined;
    let kindUnknown = false;
    for (const svc of services) {
        const desired = presence(svc.props, "desiredCount") === "absent" ? 0 : num(svc.props, "desiredCount");
        const targets = resources.filter(
            (t) =>
                t.type === TYPES.scalingTarget &&
                str(t.props, "serviceNamespace") === "ecs" &&
                ((t.propertyDependencies.resourceId ?? []).includes(svc.urn) || (str(t.props, "resourceId") ?? "").endsWith(`/${str(svc.props, "name") ?? svc.name}`)),
        );
        const min = targets.map((t) => num(t.props, "minCapacity")).find((m) => m !== undefined);
        const count = desired === undefined ? (min ?? null) : Math.max(desired, min ?? 0);
        parts.push(`${svc.name}: desiredCount ${desired ?? "unknown"}${targets.length ? `, autoscaling minCapacity ${min ?? "unknown"}` : ""}`);
        total = total === null || count === null ? null : total + count;
        const launch = str(svc.props, "launchType");
        const strategies = list(svc.props, "capacityProviderStrategies") ?? [];
        const fargate = launch === "FARGATE" || strategies.some((s) => (str(s, "capacityProvider") ?? "").startsWith("FARGATE"));
        if (fargate) kind = "ecs-fargate";
        else if (launch === "EC2" || (presence(svc.props, "launchType") === "absent" && strategies.length === 0)) kind ??= "ecs-ec2";
        else kindUnknown = true;
    }
    if (kindUnknown && !kind) kind = undefined;
    // Region-level SLA needs tasks in two or more AZs: the service's subnets, or the site's subnets' zones.
    const azs = new Set(resources.filter((r) => r.type === TYPES.subnet).map((s) => str(s.props, "availabilityZone") ?? str(s.props, "availabilityZoneId")).filter((z): z is string => z !== undefined));
    const subnetCounts = services.map((s) => list(s.props, "networkConfiguration.subnets")?.length);
    const minSubnets = subnetCounts.every((c) => c !== undefined) ? Math.min(...(subnetCounts as number[])) : undefined;
    const multiAz = azs.size >= 2 ? minSubnets !== 1 : azs.size === 1 ? false : minSubnets === undefined ? undefined : minSubnets >= 2;
    const slaKey = "ecs-multi-az";
    return {
        kind,
        capacity: total,
        names: services.map((s) => s.name),
        formula: parts.join("; "),
        sla: multiAz ? slaKey : undefined,
        slaFormula: multiAz ? `tasks across ${azs.size >= 2 ? `${azs.size} AZs (subnets beside the service)` : `${minSubnets} subnets`}` : "tasks in one AZ, or AZs unknown",
        slaUnknown:
            multiAz === true
                ? undefined
                : multiAz === false
                  ? `ECS service ${services[0].name} runs in one AZ: no region-level SLA applies (${sla(slaKey).source})`
                  : `availability zones of ECS service ${services[0].name} (subnets unknown at preview)`,
    };
}

function cloudRunCompute(services: readonly GraphResource[]): ComputeInfo {
    let total: number | null = 0;
    const parts: string[] = [];
    for (const svc of services) {
        let min: number | undefined;
        let text: string;
        if (svc.type === TYPES.cloudRun) {
            const path = presence(svc.props, "template.scaling.minInstanceCount") !== "absent" ? "template.scaling.minInstanceCount" : "scaling.minInstanceCount";
            min = presence(svc.props, path) === "absent" ? 0 : num(svc.props, path);
            text = `${svc.name}: ${path} ${min ?? "unknown"}${presence(svc.props, path) === "absent" ? " (default 0)" : ""}`;
        } else {
            const raw = read(svc.props, ["template", "metadata", "annotations", "autoscaling.knative.dev/minScale"]);
            min = raw === undefined ? 0 : typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : undefined;
            text = `${svc.name}: minScale ${min ?? "unknown"}`;
        }
        parts.push(text);
        total = total === null || min === undefined ? null : total + min;
    }
    return { kind: "cloud-run", capacity: total, names: services.map((s) => s.name), formula: parts.join("; "), sla: "cloud-run", slaFormula: "Cloud Run" };
}

function kubernetesCompute(deployments: readonly GraphResource[], resources: readonly GraphResource[], cluster: string): ComputeInfo {
    let total: number | null = 0;
    const parts: string[] = [];
    for (const d of deployments) {
        const dname = str(d.props, "metadata.name") ?? d.name;
        const hpa = resources.find((h) => h.type === TYPES.hpa && (str(h.props, "spec.scaleTargetRef.name") === dname || (h.propertyDependencies.spec ?? []).includes(d.urn)));
        let count: number | undefined;
        if (hpa) {
            count = presence(hpa.props, "spec.minReplicas") === "absent" ? 1 : num(hpa.props, "spec.minReplicas");
            parts.push(`${d.name}: HorizontalPodAutoscaler minReplicas ${count ?? "unknown"}`);
        } else {
            count = presence(d.props, "spec.replicas") === "absent" ? 1 : num(d.props, "spec.replicas");
            parts.push(`${d.name}: spec.replicas ${count ?? "unknown"}${presence(d.props, "spec.replicas") === "absent" ? " (default 1)" : ""}`);
        }
        total = total === null || count === undefined ? null : total + count;
    }
    const platform = clusterSla(cluster);
    return { kind: "kubernetes", capacity: total, names: deployments.map((d) => d.name), formula: parts.join("; "), ...platform };
}

/** The SLA of the cluster a kubeconfig context names (GKE and EKS contexts name it; others do not). */
export function clusterSla(context: string): Pick<ComputeInfo, "sla" | "slaFormula" | "slaUnknown"> {
    const gke = /^gke_[^_]+_([^_]+)_.+$/.exec(context);
    if (gke) {
        const zonal = /-[a-z]$/.test(gke[1]);
        return { sla: zonal ? "gke-zonal" : "gke-regional", slaFormula: `GKE ${zonal ? "zonal" : "regional"} cluster (context ${context}, location ${gke[1]})` };
    }
    if (/^arn:aws[^:]*:eks:[^:]+:\d+:cluster\/.+$/.test(context)) return { sla: "eks", slaFormula: `EKS cluster (context ${context})` };
    return { slaFormula: `cluster ${context}`, slaUnknown: `SLA of Kubernetes cluster "${context}" (not a GKE or EKS context; no published SLA known)` };
}

function pathFactors(entry: GraphResource | undefined, resources: readonly GraphResource[], cloud: Cloud, compute: ComputeInfo): Term[] {
    const out: Term[] = [];
    const factor = (key: string, formula: string): Term => {
        const e = sla(key);
        return { metric: "availability", kind: "sla", name: e.service, value: e.sla, formula, source: e.source };
    };
    if (cloud === "aws" && (entry && LB_TYPES.has(entry.type) ? true : resources.some((r) => LB_TYPES.has(r.type)))) {
        out.push(factor("elb", `load balancer ${entry && LB_TYPES.has(entry.type) ? entry.name : resources.find((r) => LB_TYPES.has(r.type))?.name}`));
    }
    if (cloud === "gcp" && (entry && GCP_LB_TYPES.has(entry.type) ? true : resources.some((r) => GCP_LB_TYPES.has(r.type)))) {
        out.push(factor("cloud-load-balancing", `external load balancer (${entry?.name})`));
    }
    if (compute.sla) out.push(factor(compute.sla, `${compute.names.join(", ")}: ${compute.slaFormula}`));
    else {
        out.push({
            metric: "availability",
            kind: "sla",
            name: compute.kind === "kubernetes" ? "Kubernetes cluster" : `compute (${compute.names.join(", ") || "not found"})`,
            formula: compute.slaFormula,
            source: compute.slaUnknown ?? "",
            unknown: true,
        });
    }
    return out;
}

