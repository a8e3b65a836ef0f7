// From resources to services. A service is what clients reach: a DNS name (Route 53 records, Cloud DNS
// record sets) whose answers point at sites, or, with no failover DNS, a public entry point (an
// internet-facing load balancer, an Ingress, a LoadBalancer Service, a public Cloud Run service, a
// CloudFront distribution in front of compute). A site is what sits around one target in the
// component tree: its compute, its data stores, its app's database wiring, its release split. Nothing
// here trusts a component's own description: only what the engine sees.
import { backendRouteRecords } from "../lib/dns";
import { GraphResource } from "../lib/graph";
import { bool, isUnknown, list, num, read, str } from "../lib/props";
import { cite, constant, quantity, sla } from "./data";
import { exact, q, Quantity, sum, Expr, unknownQuantity } from "./quantity";
import { imagesOf, registryOf, releaseSplit, ReleaseSplit } from "./releases";
import { clusterOf, cloudOf, locationOf, presence, Tree } from "./tree";
import { AppWiring, Cloud, ComputeKind, DataStoreInfo, HealthCheckInfo, Term } from "./types";
import { appWiring } from "./wiring";

export const TYPES = {
    r53Record: "aws:route53/record:Record",
    r53HealthCheck: "aws:route53/healthCheck:HealthCheck",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    alb: "aws:alb/loadBalancer:LoadBalancer",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    albTargetGroup: "aws:alb/targetGroup:TargetGroup",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    eip: "aws:ec2/eip:Eip",
    subnet: "aws:ec2/subnet:Subnet",
    ecsService: "aws:ecs/service:Service",
    scalingTarget: "aws:appautoscaling/target:Target",
    cloudfront: "aws:cloudfront/distribution:Distribution",
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
    serverlessNeg: "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup",
    deployment: "kubernetes:apps/v1:Deployment",
    autoscalingGroup: "aws:autoscaling/group:Group",
    ec2Instance: "aws:ec2/instance:Instance",
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
    TYPES.cloudfront,
]);
const LB_TYPES = new Set<string>([TYPES.lb, TYPES.alb]);
const GCP_LB_TYPES = new Set<string>([TYPES.globalAddress, TYPES.globalForwardingRule, TYPES.forwardingRule, TYPES.urlMap, TYPES.backendService]);

export type DnsKind = "route53" | "cloud-dns";
export type RoutingKind = "failover" | "weighted" | "latency-geo" | "simple" | "none";

export interface ComputeInfo {
    readonly kind?: ComputeKind;
    /** Sum of running copies at rest; null when unknown; undefined when no compute was found. */
    readonly capacity?: number | null;
    readonly names: readonly string[];
    readonly resources: readonly GraphResource[];
    readonly formula: string;
    readonly sla?: string;
    readonly slaFormula: string;
    readonly slaUnknown?: string;
    /** Tasks run in two or more zones (undefined when unknown). */
    readonly multiZone?: boolean;
}

/** How DNS moves clients away from a lost site: detection by a health check, then the TTL. */
export interface TrafficMove {
    /** Health check interval x threshold + the provider's aggregation; undefined: nothing detects the loss. */
    readonly detection?: Expr;
    readonly ttl?: Quantity;
    /** Why DNS never fails over on its own, when it does not. */
    readonly why?: string;
    readonly terms: readonly Term[];
}

export interface SiteModel {
    key: string;
    readonly cloud: Cloud;
    readonly region: string;
    readonly zones: readonly string[];
    readonly role?: "primary" | "secondary";
    readonly weight?: number;
    share: number;
    readonly records: readonly GraphResource[];
    readonly entry?: GraphResource;
    readonly resources: readonly GraphResource[];
    readonly move: TrafficMove;
    readonly healthCheck?: HealthCheckInfo;
    /** The DNS check fails while the site runs no task (it probes the app, or target health). */
    readonly checkNeedsTasks: boolean;
    readonly compute: ComputeInfo;
    readonly pathFactors: readonly Term[];
    readonly dataStores: readonly DataStoreInfo[];
    readonly wiring: AppWiring;
    readonly release: ReleaseSplit;
    readonly registries: readonly string[];
}

export interface ServiceModel {
    readonly name: string;
    readonly dns?: DnsKind;
    readonly routing: RoutingKind;
    readonly sites: readonly SiteModel[];
    readonly recordUrns: readonly string[];
    readonly notes: readonly string[];
    readonly discoveredBy: "dns" | "entry-point";
}

interface Answer {
    readonly record: GraphResource;
    readonly dns: DnsKind;
    readonly routing: RoutingKind;
    readonly role?: "primary" | "secondary";
    readonly weight?: number;
    readonly move: TrafficMove;
    readonly healthCheck?: HealthCheckInfo;
    entry?: GraphResource;
    readonly value?: string;
    readonly aliasName?: string;
    readonly location?: string;
}

interface Group {
    readonly name: string;
    readonly dns: DnsKind;
    readonly answers: Answer[];
    readonly notes: string[];
}

/** Per-graph lookups built once: entry points by the strings they hold, flat pools by place. */
class Lookups {
    private valueIndex?: Map<string, GraphResource>;
    private readonly pools = new Map<string, GraphResource[]>();

    constructor(readonly tree: Tree) {}

    byValue(value: string): GraphResource | undefined {
        if (!this.valueIndex) {
            this.valueIndex = new Map();
            for (const r of this.tree.graph.resources) {
                if (!ENTRY_TYPES.has(r.type)) continue;
                const stack: unknown[] = [r.props];
                while (stack.length) {
                    const v = stack.pop();
                    if (typeof v === "string") {
                        if (!this.valueIndex.has(v)) this.valueIndex.set(v, r);
                    } else if (v && typeof v === "object" && !isUnknown(v)) stack.push(...Object.values(v as Record<string, unknown>));
                }
            }
        }
        return this.valueIndex.get(value);
    }

    /** Resources directly under `top` (or the stack) of one cloud and location. */
    pool(top: string | undefined, cloud: Cloud, where: string | undefined): GraphResource[] {
        const key = `${top ?? ""}|${cloud}|${where ?? ""}`;
        let p = this.pools.get(key);
        if (!p) {
            const base = top ? this.tree.descendants(top) : this.tree.graph.resources.filter((r) => !this.tree.parentOf(r.urn));
            p = base.filter((r) => cloudOf(r.type) === cloud && where !== undefined && locationOf(r) === where);
            this.pools.set(key, p);
        }
        return p;
    }
}

/** The services of a graph: one per DNS name, then one per public entry point no DNS name covers. */
export function findServices(tree: Tree, stores: ReadonlyMap<string, DataStoreInfo>): ServiceModel[] {
    const look = new Lookups(tree);
    const groups = new Map<string, Group>();
    const add = (key: string, name: string, dns: DnsKind, answers: Answer[], notes: string[] = []) => {
        const g = groups.get(key) ?? { name, dns, answers: [], notes: [] };
        g.answers.push(...answers);
        g.notes.push(...notes);
        groups.set(key, g);
    };
    for (const rec of tree.ofType(TYPES.r53Record)) {
        const a = route53Answer(tree, look, rec);
        if (a) add(`route53|${a.zone}|${a.name}`, a.name, "route53", [a.answer]);
    }
    for (const rs of tree.ofType(TYPES.dnsRecordSet)) {
        const a = cloudDnsAnswers(tree, look, rs);
        if (a) add(`cloud-dns|${a.zone}|${a.name}`, a.name, "cloud-dns", a.answers, a.notes);
    }
    // A name load balancers forward to (a read-only site's write route) is a hop between sites, not a service.
    const routes = backendRouteRecords(tree.graph);
    for (const [key, g] of groups) if (g.dns === "route53" && routes.size > 0 && g.answers.every((a) => routes.has(a.record.urn))) groups.delete(key);
    mergeAliasChains(groups);
    // A CloudFront distribution answered by DNS is the entry; its origins are the sites behind it.
    for (const g of groups.values()) {
        for (const a of g.answers) if (a.entry?.type === TYPES.cloudfront) a.entry = cloudfrontOrigin(tree, a.entry) ?? a.entry;
    }
    const entryUrns = new Set([...groups.values()].flatMap((g) => g.answers.map((a) => a.entry?.urn)).filter((u): u is string => u !== undefined));
    const services: ServiceModel[] = [];
    for (const g of groups.values()) services.push(buildDnsService(tree, look, stores, g, entryUrns));
    services.push(...entryPointServices(tree, look, stores, services, entryUrns));
    return services.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A Route 53 answer that is an alias to another name of the same zone hands over to that name's
 * record set (a failover chain: SECONDARY -> `failover-1.<name>`). The nested set's targets become
 * further secondaries of the outer name, and the alias itself is no site.
 */
function mergeAliasChains(groups: Map<string, Group>): void {
    const byName = new Map<string, string>();
    for (const [k, g] of groups) if (g.dns === "route53") byName.set(g.name, k);
    for (let changed = true; changed; ) {
        changed = false;
        for (const [key, g] of groups) {
            if (g.dns !== "route53") continue;
            const link = g.answers.find((a) => a.aliasName !== undefined && a.entry === undefined && byName.has(a.aliasName) && byName.get(a.aliasName) !== key);
            if (!link) continue;
            const nestedKey = byName.get(link.aliasName as string) as string;
            const nested = groups.get(nestedKey);
            if (!nested) continue;
            // The nested set is tried PRIMARY first, then its SECONDARY: that order is kept as the outer name's.
            const tried = [...nested.answers].sort((a, b) => answerRank(a) - answerRank(b));
            const inherited = tried.map((a) => ({ ...a, role: link.role ?? a.role, routing: link.routing }));
            g.answers.splice(g.answers.indexOf(link), 1, ...inherited);
            g.notes.push(...nested.notes, `${g.name}: ${link.record.name} hands over to ${link.aliasName}, whose targets are further ${link.role ?? "alternative"} sites.`);
            groups.delete(nestedKey);
            byName.delete(nested.name);
            changed = true;
        }
    }
}

function answerRank(a: Answer): number {
    return a.role === "primary" ? 0 : a.role === "secondary" ? 1 : 2;
}

// ---------------------------------------------------------------------------------------------
// DNS answers
// ---------------------------------------------------------------------------------------------

function normalizeName(name: string): string {
    return name.toLowerCase().replace(/\.$/, "");
}

function route53Answer(tree: Tree, look: Lookups, rec: GraphResource): { zone: string; name: string; answer: Answer } | undefined {
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
        if (!entry && value) entry = look.byValue(value);
    } else {
        entry = pickEntry(tree.refs(rec, "records"));
        const values = (list(rec.props, "records") ?? []).filter((v): v is string => typeof v === "string" && !isUnknown(v));
        value = values[0];
        if (!entry && value) entry = look.byValue(value);
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
            move: withTtl(hc, ttl),
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

function aliasTtl(rec: GraphResource, entry: GraphResource | undefined): Quantity {
    if (entry && !LB_TYPES.has(entry.type) && entry.type !== TYPES.cloudfront) {
        return unknownQuantity(`ttl:${rec.urn}`, `DNS TTL (${rec.name})`, "s", `alias record to ${entry.type}: the TTL is the target's`, `${rec.name}.aliases`);
    }
    return { ...quantity("route53-alias-ttl", `DNS TTL (${rec.name}, alias: fixed)`), key: `ttl:${rec.urn}` };
}

function plainTtl(rec: GraphResource): Quantity {
    const ttl = num(rec.props, "ttl");
    const label = `DNS TTL (${rec.name})`;
    if (ttl === undefined) return unknownQuantity(`ttl:${rec.urn}`, label, "s", presence(rec.props, "ttl") === "unknown" ? "unknown at preview" : "not set", `${rec.name}.ttl`);
    return exact(`ttl:${rec.urn}`, label, ttl, "s", `${rec.type === TYPES.r53Record ? "Route 53" : "Cloud DNS"} record ${rec.name}.ttl`);
}

interface Detection {
    readonly expr?: Expr;
    readonly why?: string;
    readonly info?: HealthCheckInfo;
    readonly terms: Term[];
    readonly unknown?: string;
}

/** The traffic move of an answer: detection, TTL and the time clients keep the old answer. */
function withTtl(d: Detection, ttl: Quantity): TrafficMove {
    if (!d.expr) return { why: d.why, terms: d.terms };
    const caching = quantity("dns-client-caching", "clients keeping the old answer past its TTL");
    return {
        detection: d.expr,
        ttl,
        terms: [...d.terms, quantityTerm("dns-ttl", ttl), quantityTerm("client-caching", caching)],
    };
}

/** A term (RTO metric) describing one quantity, for the formula table. */
export function quantityTerm(kind: Term["kind"], x: Quantity, formula?: string, metric: Term["metric"] = "rto"): Term {
    return {
        metric,
        kind,
        name: x.label,
        seconds: x.unknown ? undefined : { low: x.low, likely: x.likely, high: x.high },
        formula: x.unknown ?? formula ?? (x.low === x.high ? `${x.likely} s` : `${x.low} / ${x.likely} / ${x.high} s (low / likely / high)`),
        source: cite(x),
        unknown: x.unknown ? true : undefined,
    };
}

function route53Detection(tree: Tree, rec: GraphResource, aliases: readonly unknown[], entry: GraphResource | undefined): Detection {
    const idState = presence(rec.props, "healthCheckId");
    if (idState !== "absent") {
        const id = str(rec.props, "healthCheckId");
        const hc = tree.refs(rec, "healthCheckId").find((r) => r.type === TYPES.r53HealthCheck) ?? tree.ofType(TYPES.r53HealthCheck).find((h) => id !== undefined && str(h.props, "id") === id);
        if (!hc) return { why: `the health check ${id ?? "(id unknown at preview)"} of ${rec.name} is not among the resources`, terms: [] };
        return route53HealthCheckDetection(tree, hc);
    }
    const evaluate = aliases.some((a) => read(a, "evaluateTargetHealth") === true);
    if (evaluate && entry && LB_TYPES.has(entry.type)) return targetHealthDetection(tree, rec, entry);
    return { why: `${rec.name} has no health check (healthCheckId, or evaluateTargetHealth on an alias): DNS never moves clients away from a lost site`, terms: [] };
}

/** Detection by a Route 53 health check (public: the trigger rules read it too). */
export function route53HealthCheckDetection(tree: Tree, hc: GraphResource, depth = 0): Detection {
    const type = str(hc.props, "type");
    if (type === "CALCULATED" && depth < 3) {
        // A calculated check turns unhealthy when its children do; a lost site fails them all at once.
        const children = tree.refs(hc, "childHealthchecks").filter((c) => c.type === TYPES.r53HealthCheck);
        const results = children.map((c) => route53HealthCheckDetection(tree, c, depth + 1));
        const usable = results.filter((r) => r.expr !== undefined);
        if (usable.length > 0) {
            const slowest = usable.reduce((a, b) => ((b.info?.intervalSeconds ?? 0) * (b.info?.failureThreshold ?? 0) > (a.info?.intervalSeconds ?? 0) * (a.info?.failureThreshold ?? 0) ? b : a));
            return { ...slowest, info: { kind: "route53", name: hc.name, urn: hc.urn, intervalSeconds: slowest.info?.intervalSeconds, failureThreshold: slowest.info?.failureThreshold } };
        }
    }
    if (type === undefined || !/^(HTTP|HTTPS|TCP)(_STR_MATCH)?$/.test(type)) {
        return { why: `health check ${hc.name} is of type ${type ?? "unknown at preview"}: its detection time is not modelled`, info: { kind: "route53", name: hc.name, urn: hc.urn }, terms: [] };
    }
    return periodicCheck({
        kind: "route53",
        check: hc,
        interval: { path: "requestInterval", defaultKey: "route53-default-request-interval" },
        threshold: { path: "failureThreshold", defaultKey: "route53-default-failure-threshold" },
        aggregation: { key: "route53-health-aggregation", label: "Route 53 health aggregation" },
    });
}

function targetHealthDetection(tree: Tree, rec: GraphResource, lb: GraphResource): Detection {
    // Route 53 evaluates the load balancer's own health: the site fails when its targets do.
    const tg = targetGroupsOf(tree, lb)[0];
    if (!tg) return { why: `${rec.name} evaluates target health of ${lb.name}, but no target group was found beside it`, terms: [] };
    return periodicCheck({
        kind: "elb-target-health",
        check: tg,
        interval: { path: "healthCheck.interval", defaultKey: "elb-default-health-interval" },
        threshold: { path: "healthCheck.unhealthyThreshold", defaultKey: "elb-default-unhealthy-threshold" },
        aggregation: { key: "route53-health-aggregation", label: "Route 53 health aggregation (target health)" },
    });
}

/** Target groups of a load balancer: through its listeners, else beside it in the component tree. */
export function targetGroupsOf(tree: Tree, lb: GraphResource): GraphResource[] {
    const viaListeners = tree
        .dependents(lb.urn)
        .filter((l) => l.type.endsWith("/listener:Listener"))
        .flatMap((l) => tree.refs(l, "defaultActions"))
        .filter((r) => r.type === TYPES.targetGroup || r.type === TYPES.albTargetGroup);
    if (viaListeners.length > 0) return [...new Set(viaListeners)];
    const parent = tree.parentOf(lb.urn);
    return (parent ? tree.descendants(parent) : tree.graph.resources).filter((r) => (r.type === TYPES.targetGroup || r.type === TYPES.albTargetGroup) && tree.parentOf(r.urn) === parent);
}

interface PeriodicCheck {
    readonly kind: HealthCheckInfo["kind"];
    readonly check: GraphResource;
    readonly interval: { readonly path: string; readonly defaultKey: string };
    readonly threshold: { readonly path: string; readonly defaultKey: string };
    readonly aggregation: { readonly key: string; readonly label: string };
}

/**
 * Detection by a check that probes every `interval` seconds and fails after `threshold` failed
 * probes (provider defaults where a setting is absent), then the provider acting on it.
 */
function periodicCheck(p: PeriodicCheck): Detection {
    const read = (path: string, key: string) => {
        const state = presence(p.check.props, path);
        if (state === "absent") return { value: constant(key).amount, defaulted: true };
        return { value: num(p.check.props, path), defaulted: false };
    };
    const interval = read(p.interval.path, p.interval.defaultKey);
    const threshold = read(p.threshold.path, p.threshold.defaultKey);
    const info: HealthCheckInfo = { kind: p.kind, name: p.check.name, urn: p.check.urn, intervalSeconds: interval.value, failureThreshold: threshold.value };
    const label = `detection (${p.kind === "elb-target-health" ? "target health of" : "health check"} ${p.check.name})`;
    if (interval.value === undefined || threshold.value === undefined) {
        const why = `${p.check.name}: ${interval.value === undefined ? p.interval.path : p.threshold.path} is unknown at preview`;
        const x = unknownQuantity(`detect:${p.check.urn}`, label, "s", why, p.check.name);
        return { expr: q(x), info, terms: [quantityTerm("detection", x)], unknown: why };
    }
    const defaults = interval.defaulted || threshold.defaulted ? `; defaults: ${constant(p.interval.defaultKey).source}` : "";
    const detect = exact(`detect:${p.check.urn}`, label, interval.value * threshold.value, "s", `${p.check.name} (interval x threshold)${defaults}`, interval.defaulted || threshold.defaulted ? "default" : "configured");
    const agg = quantity(p.aggregation.key, p.aggregation.label);
    return {
        expr: sum(q(detect), q(agg)),
        info,
        terms: [
            quantityTerm("detection", detect, `interval ${interval.value} s${interval.defaulted ? " (default)" : ""} x threshold ${threshold.value}${threshold.defaulted ? " (default)" : ""}`),
            quantityTerm("health-aggregation", agg),
        ],
    };
}

function cloudDnsAnswers(tree: Tree, look: Lookups, rs: GraphResource): { zone: string; name: string; answers: Answer[]; notes: string[] } | undefined {
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
            const found = look.byValue(v);
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
        const match = candidates.find((c) => !used.has(c.urn) && siteRegion(c, siteResources(tree, look, c, others)) === s.location);
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
        move: withTtl(hc, ttl),
        healthCheck: hc.info,
        entry: entries[i],
        value: s.values[0],
        location: s.location,
    }));
    return { zone, name, answers, notes };
}

function cloudDnsDetection(tree: Tree, rs: GraphResource, rp: unknown): Detection {
    const state = presence(rp, "healthCheck");
    const hasInternal = JSON.stringify(rp ?? {}).includes("internalLoadBalancers");
    if (state === "absent") {
        const why = hasInternal
            ? `${rs.name} checks internal load balancers: detection follows their backends' health checks, not modelled`
            : `${rs.name} has no routingPolicy.healthCheck: Cloud DNS never moves clients away from a lost site`;
        return { why, terms: [] };
    }
    const id = str(rp, "healthCheck");
    const hc =
        tree.refs(rs, "routingPolicy").find((r) => r.type === TYPES.gcpHealthCheck) ??
        tree.ofType(TYPES.gcpHealthCheck).find((h) => id !== undefined && [str(h.props, "name"), h.name, str(h.props, "selfLink"), str(h.props, "id")].some((n) => n !== undefined && (id === n || id.endsWith(`/${n}`))));
    if (!hc) return { why: `the health check ${id ?? "(unknown at preview)"} of ${rs.name} is not among the resources`, terms: [] };
    return periodicCheck({
        kind: "cloud-dns",
        check: hc,
        interval: { path: "checkIntervalSec", defaultKey: "gcp-default-check-interval" },
        threshold: { path: "unhealthyThreshold", defaultKey: "gcp-default-unhealthy-threshold" },
        aggregation: { key: "cloud-dns-health-propagation", label: "Cloud DNS health propagation" },
    });
}

// ---------------------------------------------------------------------------------------------
// Services by their DNS name
// ---------------------------------------------------------------------------------------------

function buildDnsService(tree: Tree, look: Lookups, stores: ReadonlyMap<string, DataStoreInfo>, g: Group, entryUrns: ReadonlySet<string>): ServiceModel {
    // Answers that point at the same target are one site (an A and an AAAA record, say).
    const byTarget = new Map<string, Answer[]>();
    for (const a of g.answers) {
        const k = a.entry?.urn ?? `${a.record.urn}|${a.value ?? ""}|${a.role ?? ""}|${a.location ?? ""}`;
        byTarget.set(k, [...(byTarget.get(k) ?? []), a]);
    }
    const routings = new Set(g.answers.map((a) => a.routing));
    const routing: RoutingKind = routings.has("failover") ? "failover" : routings.has("weighted") ? "weighted" : routings.has("latency-geo") ? "latency-geo" : "simple";
    const sites = [...byTarget.values()].map((group) => {
        const first = group[0];
        return buildSite(tree, look, stores, first.entry, entryUrns, {
            role: first.role,
            weight: first.weight,
            records: [...new Set(group.map((a) => a.record))],
            move: first.move,
            healthCheck: first.healthCheck,
            fallbackKey: `unresolved-${first.value ?? first.record.name}`,
        });
    });
    uniqueKeys(sites);
    // Primaries first; otherwise the order DNS tries them in (a failover chain's order).
    sites.sort((a, b) => rank(a) - rank(b));
    assignShares(sites, routing);
    return { name: g.name, dns: g.dns, routing, sites, recordUrns: [...new Set(g.answers.map((a) => a.record.urn))], notes: g.notes, discoveredBy: "dns" };
}

function uniqueKeys(sites: SiteModel[]): void {
    const used = new Set<string>();
    for (const site of sites) {
        let key = site.key;
        for (let i = 2; used.has(key); i++) key = `${site.key}-${i}`;
        used.add(key);
        site.key = key;
    }
}

/** Steady-state share of requests: the primary takes all (failover); weights (weighted); equal shares otherwise. */
function assignShares(sites: SiteModel[], routing: RoutingKind): void {
    if (sites.length === 0) return;
    if (routing === "failover") {
        const primaries = sites.filter((s) => s.role === "primary");
        const serving = primaries.length > 0 ? primaries : [sites[0]];
        for (const s of sites) s.share = serving.includes(s) ? 1 / serving.length : 0;
        return;
    }
    const weights = sites.map((s) => s.weight);
    if (routing === "weighted" && weights.every((w) => typeof w === "number") && (weights as number[]).some((w) => w > 0)) {
        const total = (weights as number[]).reduce((a, b) => a + b, 0);
        sites.forEach((s) => (s.share = (s.weight as number) / total));
        return;
    }
    for (const s of sites) s.share = 1 / sites.length;
}

function rank(s: SiteModel): number {
    return s.role === "primary" ? 0 : s.role === "secondary" ? 1 : 2;
}

interface SiteSeed {
    readonly role?: "primary" | "secondary";
    readonly weight?: number;
    readonly records: readonly GraphResource[];
    readonly move: TrafficMove;
    readonly healthCheck?: HealthCheckInfo;
    readonly fallbackKey: string;
}

function buildSite(tree: Tree, look: Lookups, stores: ReadonlyMap<string, DataStoreInfo>, entry: GraphResource | undefined, entryUrns: ReadonlySet<string>, seed: SiteSeed): SiteModel {
    const resources = entry ? siteResources(tree, look, entry, entryUrns) : [];
    const cloud: Cloud = entry ? cloudOf(entry.type) : "unknown";
    const region = entry ? siteRegion(entry, resources) : "unknown";
    const compute = findCompute(tree, entry, resources, cloud, region);
    // A site is one place: a store of the same component in another region is not part of it.
    const found = resources.map((r) => stores.get(r.urn)).filter((d): d is DataStoreInfo => d !== undefined && d.cloud === cloud && d.region === region);
    // Read replicas of a store of the same site are copies inside it, not another store on the path.
    const inSite = new Set(found.map((d) => d.urn));
    const siteStores = found.filter((d) => !(d.replicaOf !== undefined && inSite.has(d.replicaOf)));
    const zones = [...new Set(resources.filter((r) => r.type === TYPES.subnet).map((s) => str(s.props, "availabilityZone") ?? str(s.props, "availabilityZoneId")).filter((z): z is string => z !== undefined))].sort();
    return {
        key: entry ? `${cloud}-${region}` : seed.fallbackKey,
        cloud,
        region,
        zones,
        role: seed.role,
        weight: seed.weight,
        share: 0,
        records: seed.records,
        entry,
        resources,
        move: seed.move,
        healthCheck: seed.healthCheck,
        checkNeedsTasks: checkNeedsTasks(tree, seed.healthCheck, entry),
        compute,
        pathFactors: pathFactors(entry, resources, cloud, compute),
        dataStores: siteStores,
        wiring: appWiring(tree, compute.resources, stores, resources, entryUrns, entry?.urn),
        release: releaseSplit(tree, entry, resources),
        registries: [...new Set(imagesOf(resources).map(registryOf))],
    };
}

/**
 * Whether the site's DNS check fails when it runs no task: target health always does; a Route 53
 * check does unless its path is answered by the load balancer itself (a fixed-response listener
 * rule on that path: contract C3). No check: the record stays routable.
 */
function checkNeedsTasks(tree: Tree, hc: HealthCheckInfo | undefined, entry: GraphResource | undefined): boolean {
    if (!hc) return false;
    if (hc.kind !== "route53" || !entry || !LB_TYPES.has(entry.type)) return true;
    const check = tree.get(hc.urn);
    const path = check ? str(check.props, "resourcePath") : undefined;
    if (!path) return true;
    for (const listener of tree.dependents(entry.urn).filter((l) => l.type.endsWith("/listener:Listener"))) {
        for (const rule of tree.dependents(listener.urn).filter((r) => r.type === TYPES.listenerRule || r.type === "aws:alb/listenerRule:ListenerRule")) {
            const fixed = (list(rule.props, "actions") ?? []).some((a) => str(a, "type") === "fixed-response" && (str(a, "fixedResponse.statusCode") ?? "200").startsWith("2"));
            const paths = (list(rule.props, "conditions") ?? []).flatMap((c) => list(c, "pathPattern.values") ?? []);
            if (fixed && paths.includes(path)) return false;
        }
    }
    return true;
}

/**
 * The resources of the site a target belongs to: the largest component subtree around the target
 * that holds no other target. A target at the top of the stack (a program without components)
 * takes the resources of its own cloud and location instead.
 */
function siteResources(tree: Tree, look: Lookups, entry: GraphResource, entryUrns: ReadonlySet<string>): GraphResource[] {
    const others = (rs: readonly GraphResource[]) => rs.some((r) => r.urn !== entry.urn && entryUrns.has(r.urn));
    let top = tree.parentOf(entry.urn);
    if (top && !others(tree.descendants(top))) {
        for (let up = tree.parentOf(top); up && !others(tree.descendants(up)); up = tree.parentOf(up)) top = up;
        const component = tree.get(top);
        return [...(component ? [component] : []), ...tree.descendants(top)];
    }
    // Flat program, or several targets in one component: same cloud and location as the target.
    const cloud = cloudOf(entry.type);
    const where = locationOf(entry) ?? regionOfGlobalEntry(tree, entry);
    return [entry, ...look.pool(top, cloud, where).filter((r) => r.urn !== entry.urn && !entryUrns.has(r.urn))];
}

/** A global GCP entry (address, forwarding rule) sits in the region of the backends behind it, when they say. */
function regionOfGlobalEntry(tree: Tree, entry: GraphResource): string | undefined {
    if (cloudOf(entry.type) !== "gcp") return undefined;
    const seen = new Set<string>();
    const queue = [entry];
    while (queue.length && seen.size < 50) {
        const r = queue.shift() as GraphResource;
        if (seen.has(r.urn)) continue;
        seen.add(r.urn);
        if (r.type === TYPES.cloudRun || r.type === TYPES.serverlessNeg) {
            const loc = locationOf(r);
            if (loc && loc !== "default") return loc;
        }
        queue.push(...tree.allRefs(r), ...tree.dependents(r.urn).filter((d) => GCP_LB_TYPES.has(d.type) || d.type.includes("Proxy")));
    }
    return undefined;
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

// ---------------------------------------------------------------------------------------------
// Services found by a public entry point
// ---------------------------------------------------------------------------------------------

/**
 * Public entry points no DNS service covers, each a single-site service named by its entry point:
 * internet-facing load balancers, Ingresses, LoadBalancer Services, public Cloud Run services,
 * external GCP forwarding rules and CloudFront distributions (whose site is the origin behind them).
 */
function entryPointServices(tree: Tree, look: Lookups, stores: ReadonlyMap<string, DataStoreInfo>, dnsServices: readonly ServiceModel[], entryUrns: ReadonlySet<string>): ServiceModel[] {
    const covered = new Set<string>();
    for (const s of dnsServices) for (const site of s.sites) for (const r of site.resources) covered.add(r.urn);
    // Entries behind another entry: CloudFront origins, Cloud Run behind a serverless NEG, a Service behind an Ingress.
    const behind = new Set<string>();
    for (const cf of tree.ofType(TYPES.cloudfront)) for (const o of tree.refs(cf, "origins")) behind.add(o.urn);
    for (const neg of tree.ofType(TYPES.serverlessNeg)) for (const r of tree.allRefs(neg)) behind.add(r.urn);
    for (const ing of tree.ofType(TYPES.ingress)) for (const r of tree.refs(ing, "spec")) behind.add(r.urn);
    for (const fr of tree.ofType(TYPES.globalForwardingRule, TYPES.forwardingRule)) for (const r of tree.allRefs(fr)) if (r.type === TYPES.globalAddress || r.type === TYPES.address) behind.add(r.urn);

    const entries = [
        ...tree.ofType(TYPES.cloudfront),
        ...tree.ofType(TYPES.lb, TYPES.alb).filter((r) => bool(r.props, "internal") !== true),
        ...tree.ofType(TYPES.globalForwardingRule, TYPES.forwardingRule).filter((r) => (str(r.props, "loadBalancingScheme") ?? "EXTERNAL").startsWith("EXTERNAL")),
        ...tree.ofType(TYPES.ingress).filter((r) => str(r.props, ["metadata", "annotations", "nginx.ingress.kubernetes.io/canary"]) !== "true"),
        ...tree.ofType(TYPES.k8sService).filter((r) => str(r.props, "spec.type") === "LoadBalancer"),
        ...tree.ofType(TYPES.cloudRun, TYPES.cloudRunV1).filter(publicCloudRun),
    ].filter((r) => !covered.has(r.urn) && !entryUrns.has(r.urn) && !behind.has(r.urn));
    const allEntries = new Set([...entryUrns, ...entries.map((e) => e.urn)]);
    const services: ServiceModel[] = [];
    for (const entry of entries) {
        const site = entry.type === TYPES.cloudfront ? cloudfrontOrigin(tree, entry) : entry;
        const notes: string[] = [`${entryName(entry)} has no failover DNS record: it is judged as one site, reached through ${entry.type.split(":").pop()} ${entry.name}.`];
        if (entry.type === TYPES.cloudfront && (list(entry.props, "originGroups") ?? []).length > 0) notes.push(`${entry.name} has origin groups: CloudFront's per-request origin failover is not modelled.`);
        if (entry.type === TYPES.cloudfront && !site) notes.push(`${entry.name}: no origin among the resources (an S3 bucket or an external origin): its compute is not in the graph.`);
        const model = buildSite(tree, look, stores, site ?? entry, allEntries, {
            records: [entry],
            move: { why: `${entryName(entry)} is reached directly, with no DNS failover: nothing moves clients elsewhere`, terms: [] },
            fallbackKey: `entry-${entry.name}`,
        });
        model.share = 1;
        services.push({ name: entryName(entry), routing: "none", sites: [model], recordUrns: [entry.urn], notes, discoveredBy: "entry-point" });
    }
    return services;
}

function publicCloudRun(r: GraphResource): boolean {
    const ingress = r.type === TYPES.cloudRun ? str(r.props, "ingress") : str(r.props, ["metadata", "annotations", "run.googleapis.com/ingress"]);
    return ingress === undefined || ingress === "INGRESS_TRAFFIC_ALL" || ingress === "all";
}

/** The name a service found by its entry point goes by: its own host name when it declares one, else `<kind> <name>`. */
export function entryName(entry: GraphResource): string {
    const host =
        entry.type === TYPES.cloudfront
            ? str(entry.props, ["aliases", 0])
            : entry.type === TYPES.ingress
              ? str(entry.props, ["spec", "rules", 0, "host"])
              : undefined;
    if (host) return normalizeName(host);
    const kind: Record<string, string> = {
        [TYPES.cloudfront]: "cloudfront",
        [TYPES.lb]: "load-balancer",
        [TYPES.alb]: "load-balancer",
        [TYPES.globalForwardingRule]: "forwarding-rule",
        [TYPES.forwardingRule]: "forwarding-rule",
        [TYPES.ingress]: "ingress",
        [TYPES.k8sService]: "service",
        [TYPES.cloudRun]: "cloud-run",
        [TYPES.cloudRunV1]: "cloud-run",
    };
    const ns = cloudOf(entry.type) === "kubernetes" ? `${str(entry.props, "metadata.namespace") ?? "default"}/` : "";
    return `${kind[entry.type] ?? entry.type.split(":").pop()} ${ns}${str(entry.props, "metadata.name") ?? entry.name}`;
}

/** The first origin of a CloudFront distribution that is an entry point of the program (load balancer, Cloud Run...). */
function cloudfrontOrigin(tree: Tree, cf: GraphResource): GraphResource | undefined {
    const refs = tree.refs(cf, "origins");
    return refs.find((r) => ENTRY_TYPES.has(r.type) && r.type !== TYPES.cloudfront);
}

// ---------------------------------------------------------------------------------------------
// Compute
// ---------------------------------------------------------------------------------------------

function findCompute(tree: Tree, entry: GraphResource | undefined, resources: readonly GraphResource[], cloud: Cloud, region: string): ComputeInfo {
    const ecs = resources.filter((r) => r.type === TYPES.ecsService);
    const run = resources.filter((r) => r.type === TYPES.cloudRun || r.type === TYPES.cloudRunV1);
    if (entry && (entry.type === TYPES.cloudRun || entry.type === TYPES.cloudRunV1) && !run.includes(entry)) run.push(entry);
    const deployments = resources.filter((r) => r.type === TYPES.deployment);
    if (ecs.length > 0) return ecsCompute(tree, ecs, resources);
    if (run.length > 0) return cloudRunCompute(run);
    if (deployments.length > 0) return kubernetesCompute(deployments, resources, region);
    const groups = resources.filter((r) => r.type === TYPES.autoscalingGroup);
    const instances = resources.filter((r) => r.type === TYPES.ec2Instance);
    if (groups.length > 0 || instances.length > 0) return ec2Compute(tree, groups, instances);
    return {
        names: [],
        resources: [],
        formula: `no ECS service, Cloud Run service or Deployment found beside ${entry?.name ?? "the target"}`,
        slaFormula: "compute not found",
        slaUnknown: `compute of the ${cloud === "unknown" ? "unresolved" : `${cloud}-${region}`} site (no ECS service, Cloud Run service or Deployment found beside ${entry?.name ?? "the DNS target"})`,
    };
}

function ecsCompute(tree: Tree, services: readonly GraphResource[], resources: readonly GraphResource[]): ComputeInfo {
    let total: number | null = 0;
    const parts: string[] = [];
    let kind: ComputeKind | undefined;
    let kindUnknown = false;
    for (const svc of services) {
        const desired = presence(svc.props, "desiredCount") === "absent" ? 0 : num(svc.props, "desiredCount");
        const targets = tree
            .dependents(svc.urn)
            .filter((t) => t.type === TYPES.scalingTarget && str(t.props, "serviceNamespace") === "ecs" && (t.propertyDependencies.resourceId ?? []).includes(svc.urn));
        const byName = targets.length > 0 ? targets : resources.filter((t) => t.type === TYPES.scalingTarget && (str(t.props, "resourceId") ?? "").endsWith(`/${str(svc.props, "name") ?? svc.name}`));
        const min = byName.map((t) => num(t.props, "minCapacity")).find((m) => m !== undefined);
        const count = desired === undefined ? (min ?? null) : Math.max(desired, min ?? 0);
        parts.push(`${svc.name}: desiredCount ${desired ?? "unknown"}${byName.length ? `, autoscaling minCapacity ${min ?? "unknown"}` : ""}`);
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
        resources: services,
        formula: parts.join("; "),
        multiZone: multiAz,
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

/** EC2: Auto Scaling groups (desired or minimum size, zones of their subnets) and plain instances. */
function ec2Compute(tree: Tree, groups: readonly GraphResource[], instances: readonly GraphResource[]): ComputeInfo {
    let total: number | null = 0;
    const parts: string[] = [];
    const zones = new Set<string>();
    let zonesKnown = true;
    const zoneOfSubnet = (s: GraphResource) => str(s.props, "availabilityZone") ?? str(s.props, "availabilityZoneId");
    for (const g of groups) {
        const n = num(g.props, "desiredCapacity") ?? num(g.props, "minSize");
        parts.push(`${g.name}: ${presence(g.props, "desiredCapacity") !== "absent" ? "desiredCapacity" : "minSize"} ${n ?? "unknown"}`);
        total = total === null || n === undefined ? null : total + n;
        const subnets = tree.refs(g, "vpcZoneIdentifiers").filter((r) => r.type === TYPES.subnet);
        const azs = (list(g.props, "availabilityZones") ?? []).filter((z): z is string => typeof z === "string");
        for (const z of [...subnets.map(zoneOfSubnet), ...azs]) z === undefined ? (zonesKnown = false) : zones.add(z);
        if (subnets.length === 0 && azs.length === 0) zonesKnown = false;
    }
    for (const i of instances) {
        parts.push(`${i.name}: one instance`);
        total = total === null ? null : total + 1;
        const subnet = tree.refs(i, "subnetId").find((r) => r.type === TYPES.subnet);
        const z = (subnet ? zoneOfSubnet(subnet) : undefined) ?? str(i.props, "availabilityZone");
        if (z === undefined) zonesKnown = false;
        else zones.add(z);
    }
    const multiZone = zones.size >= 2 ? true : zonesKnown ? false : undefined;
    const key = multiZone ? "ec2-multi-az" : "ec2-instance";
    return {
        kind: "ec2",
        capacity: total,
        names: [...groups, ...instances].map((r) => r.name),
        resources: [...groups, ...instances],
        formula: parts.join("; "),
        multiZone,
        sla: multiZone === undefined ? undefined : key,
        slaFormula: multiZone ? `instances across ${zones.size} AZs` : "instances in one AZ",
        slaUnknown: multiZone === undefined ? `availability zones of ${[...groups, ...instances][0].name} (unknown at preview)` : undefined,
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
    // Cloud Run is a regional service: Google spreads instances over the region's zones.
    return { kind: "cloud-run", capacity: total, names: services.map((s) => s.name), resources: services, formula: parts.join("; "), multiZone: true, sla: "cloud-run", slaFormula: "Cloud Run" };
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
    const spread = deployments.every((d) => JSON.stringify(read(d.props, "spec.template.spec") ?? {}).includes("topology.kubernetes.io/zone"));
    const platform = clusterSla(cluster);
    return { kind: "kubernetes", capacity: total, names: deployments.map((d) => d.name), resources: deployments, formula: parts.join("; "), multiZone: spread ? true : undefined, ...platform };
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

/** SLA factors of the site's request path other than data stores (for the independent-SLA upper bound). */
function pathFactors(entry: GraphResource | undefined, resources: readonly GraphResource[], cloud: Cloud, compute: ComputeInfo): Term[] {
    const out: Term[] = [];
    const factor = (key: string, formula: string): Term => {
        const e = sla(key);
        return { metric: "availability", kind: "sla", name: e.service, value: e.sla, formula, source: e.source };
    };
    const lb = entry && LB_TYPES.has(entry.type) ? entry : resources.find((r) => LB_TYPES.has(r.type));
    if (cloud === "aws" && lb) out.push(factor("elb", `load balancer ${lb.name}`));
    if (cloud === "gcp" && ((entry && GCP_LB_TYPES.has(entry.type)) || resources.some((r) => GCP_LB_TYPES.has(r.type)))) out.push(factor("cloud-load-balancing", `external load balancer (${entry?.name})`));
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
