// RTO, RPO and availability of each service, composed from the terms discovery read, each term
// with its formula and source. An input the model cannot know is an unknown term, and the number
// it belongs to is null: the model never fills a gap with a guess.
//
//   RTO  (losing the primary site; active-active: the worst of losing any one site)
//        traffic: detection (health check interval x threshold) + health aggregation allowance
//                 + DNS TTL of the lost site's record
//                 + time to start capacity, when every surviving site runs none (pilot light)
//                 + the cut-over of a CDC target that is already writable, as a further step;
//        data:    when the lost site held a writer whose successor must be promoted (Aurora
//                 global secondary, cross-region read replica, Cloud SQL replica, GCP DMS
//                 continuous migration job): detection + aggregation (the promotion alarm reads
//                 the same health check's status) + the alarm's periods (promotion trigger)
//                 + the promotion. No alarm reaching a Lambda function: manual promotion, unknown.
//        Both paths: RTO = max(traffic, data) (they run in parallel); one path: the sum of its
//        steps, taken as sequential: an upper bound.
//   RPO  (same loss) = for each writer in the lost site, the best surviving copy: replication lag
//        of a replica outside the lost location, else backup interval + copy time of an off-site
//        backup; the worst writer decides.
//   Availability = DNS x (1 - prod(1 - A_site)), A_site = load balancer x compute x data stores
//        (published SLAs in series). Sites are taken to fail independently and the failover
//        time itself is not subtracted.
import { GraphResource } from "../lib/graph";
import { composedSeconds, pathArithmetic } from "./compose";
import { cite, sla, timing } from "./data";
import { findServices, ServiceModel, SiteModel } from "./discover";
import { findPromotionTrigger, PromotionTrigger } from "./promotion";
import { findDataStores, StoreNote } from "./stores";
import { locationOf, Tree } from "./tree";
import { DataStoreInfo, ReplicationKind, ServiceEstimate, SiteEstimate, Standby, Term, Topology } from "./types";

/** Every service (DNS name) of a program with its resilience estimate. */
export function estimateServices(resources: readonly GraphResource[]): ServiceEstimate[] {
    const tree = new Tree(resources);
    const storeNotes: StoreNote[] = [];
    const stores = findDataStores(tree, storeNotes);
    return findServices(tree, stores).map((s) => estimateService(tree, s, stores, storeNotes));
}

function estimateService(tree: Tree, svc: ServiceModel, stores: ReadonlyMap<string, DataStoreInfo>, storeNotes: readonly StoreNote[]): ServiceEstimate {
    const notes: string[] = [...svc.notes];
    const sites = svc.sites;
    const primaries = sites.filter((s) => s.role === "primary");
    const secondaries = sites.filter((s) => s.role === "secondary");
    let topology: Topology;
    if (sites.length <= 1) topology = "single-site";
    else if (svc.routing === "failover" && primaries.length > 0 && secondaries.length > 0) topology = "active-passive";
    else topology = "active-active";
    if (svc.routing === "latency-geo") notes.push("Latency/geolocation routing is modelled as active-active: every site serves, the others take over a lost one.");
    if (svc.routing === "simple" && sites.length > 1) notes.push("Several answers without a routing policy: resolvers rotate among them; without health checks a lost site keeps receiving traffic.");

    let standby: Standby | undefined;
    if (topology === "active-passive") {
        const caps = secondaries.map((s) => s.compute.capacity);
        if (caps.some((c) => c === 0)) standby = "pilot-light";
        else if (caps.every((c) => typeof c === "number" && c > 0)) standby = "warm";
    }

    // Data stores outside every site that are tied to the service's stores (replicas, sources).
    const siteStoreUrns = new Set(sites.flatMap((s) => s.dataStores.map((d) => d.urn)));
    const external = [...stores.values()].filter(
        (d) => !siteStoreUrns.has(d.urn) && ((d.replicaOf !== undefined && siteStoreUrns.has(d.replicaOf)) || [...siteStoreUrns].some((u) => stores.get(u)?.replicaOf === d.urn)),
    );
    const related = new Set([...siteStoreUrns, ...external.map((d) => d.urn)]);
    for (const n of storeNotes) if (n.urn === undefined ? related.size > 0 : related.has(n.urn)) notes.push(n.text);

    const rto = recovery(tree, topology, sites, primaries, "rto", stores, notes);
    const rpo = recovery(tree, topology, sites, primaries, "rpo", stores, notes);
    const avail = availability(svc, sites);
    zoneNotes(sites, notes);

    const siteEstimates: SiteEstimate[] = sites.map((s) => ({
        key: s.key,
        cloud: s.cloud,
        region: s.region,
        role: s.role,
        weight: s.weight,
        capacity: s.compute.capacity === undefined ? null : s.compute.capacity,
        computeKind: s.compute.kind,
        healthCheck: s.healthCheck,
        ttlSeconds: s.ttl.seconds ?? null,
        recordUrn: s.records[0].urn,
        entry: s.entry ? { name: s.entry.name, type: s.entry.type, urn: s.entry.urn } : undefined,
        dataStores: s.dataStores,
        availability: avail.perSite.get(s.key) ?? null,
    }));

    return {
        name: svc.name,
        topology,
        standby,
        sites: siteEstimates,
        externalDataStores: external,
        rtoSeconds: rto.total,
        rpoSeconds: rpo.total,
        availability: avail.total,
        terms: [...rto.terms, ...rpo.terms, ...avail.terms],
        notes: [...new Set(notes)],
        recordUrns: svc.recordUrns,
    };
}

// ---------------------------------------------------------------------------------------------
// RTO and RPO
// ---------------------------------------------------------------------------------------------

interface Scenario {
    readonly total: number | null;
    readonly terms: Term[];
}

/** The losses the topology must survive: the primary, or each site in turn. */
function recovery(
    tree: Tree,
    topology: Topology,
    sites: readonly SiteModel[],
    primaries: readonly SiteModel[],
    metric: "rto" | "rpo",
    stores: ReadonlyMap<string, DataStoreInfo>,
    notes: string[],
): Scenario {
    if (sites.length === 0) return { total: null, terms: [] };
    const losses: SiteModel[][] = topology === "active-passive" ? [primaries.slice()] : sites.map((s) => [s]);
    const scenarios = losses.map((lost) => {
        const survivors = sites.filter((s) => !lost.includes(s));
        const found = metric === "rto" ? rtoTerms(tree, lost, survivors) : { terms: rpoTerms(lost, sites, stores), notes: [] };
        return { lost, terms: found.terms, notes: found.notes, total: composedSeconds(found.terms) };
    });
    // The worst loss decides; an unknown loss makes the whole estimate unknown.
    const unknown = scenarios.find((s) => s.total === null);
    const worst = unknown ?? scenarios.reduce((a, b) => ((b.total as number) > (a.total as number) ? b : a));
    if (scenarios.length > 1) {
        notes.push(`${metric.toUpperCase()} is for losing ${worst.lost.map((s) => s.key).join(" + ")}${unknown ? "" : `, the worst of ${scenarios.length} sites`}.`);
    }
    notes.push(...worst.notes);
    return { total: worst.total, terms: worst.terms.map((t) => ({ ...t, metric })) };
}

function rtoTerms(tree: Tree, lost: readonly SiteModel[], survivors: readonly SiteModel[]): { terms: Term[]; notes: string[] } {
    const site = lost[0];
    const notes: string[] = [];
    if (survivors.length === 0) {
        const restore: Term = {
            metric: "rto",
            kind: "restore",
            name: `losing ${site.key}`,
            formula: `single site: no other site to fail over to; recovery means rebuilding ${site.key} elsewhere (not modelled)`,
            source: site.records[0].name,
            unknown: true,
            floor: { change: "add a second site (active-passive or active-active)" },
        };
        return { terms: [restore], notes };
    }
    // Steps after DNS has judged the site down; the detection starts every path.
    const traffic: Term[] = [site.ttl];
    // Capacity: a pilot light must start before it serves.
    const serving = survivors.filter((s) => typeof s.compute.capacity === "number" && s.compute.capacity > 0);
    if (serving.length === 0) {
        const cold = survivors.find((s) => s.compute.capacity === 0);
        const unknownCap = survivors.find((s) => s.compute.capacity === null || s.compute.capacity === undefined);
        if (cold && cold.compute.kind) {
            const t = timing(`start-${cold.compute.kind}`);
            traffic.push({
                metric: "rto",
                kind: "capacity-start",
                name: `start capacity in ${cold.key} (pilot light)`,
                seconds: t.amount,
                formula: `${cold.key} runs no copies at rest (${cold.compute.formula}): ${cold.compute.kind} start ${t.amount} s`,
                source: cite(t),
                floor: { seconds: 0, change: `run at least 1 copy in ${cold.key} (warm standby)` },
            });
        } else {
            const s = cold ?? unknownCap ?? survivors[0];
            traffic.push({
                metric: "rto",
                kind: "capacity-start",
                name: `capacity of ${s.key}`,
                formula: s.compute.capacity === 0 ? `${s.key} runs no copies; its compute kind is unknown` : `running copies in ${s.key}: ${s.compute.formula}`,
                source: s.compute.names.join(", ") || s.key,
                unknown: true,
            });
        }
    }
    // Data: a writer lost with the site must be taken over by a replica in a surviving site.
    const dataPaths: { writer: DataStoreInfo; terms: Term[] }[] = [];
    for (const holder of lost) {
        for (const w of holder.dataStores.filter((d) => d.role === "writer")) {
            const takeovers = survivors.flatMap((s) => s.dataStores).filter((d) => d.role === "replica" && d.replicaOf === w.urn && d.replication);
            // A global database moves its writer inside itself: its secondaries are the successors
            // (a CDC copy beside it would fork the data), promoted when something starts it.
            const secondaries = takeovers.filter((r) => r.replication === "aurora-global");
            if (secondaries.length > 0) {
                const path = globalPromotion(tree, w, holder, site, secondaries);
                dataPaths.push({ writer: w, terms: path.terms });
                notes.push(...path.notes);
                continue;
            }
            // A CDC target is already writable: the cut-over needs no promotion and no trigger of its
            // own is modelled; it follows detection on the traffic path.
            const cutovers = takeovers.filter((r) => r.replication === "dms-cdc");
            if (cutovers.length > 0) {
                const r = cutovers[0];
                const t = timing("cutover-dms-cdc");
                traffic.push({
                    metric: "rto",
                    kind: "promotion",
                    name: `promote ${r.name} (${r.replication})`,
                    seconds: t.amount,
                    formula: `${w.name} is lost with ${holder.key}; ${r.name} in ${r.region} takes writes after ${TAKEOVER["dms-cdc"]} (${t.amount} s)`,
                    source: cite(t),
                    floor:
                        r.kind !== "cloud-sql" && r.kind !== "statefulset"
                            ? { seconds: timing("promote-aurora-global").amount, change: `replicate ${w.name} with an Aurora global database (managed failover)` }
                            : undefined,
                });
                continue;
            }
            // A read-only replica takes writes only once promoted: counted when the graph holds what starts it.
            const promotable = takeovers.filter((r) => promotionKey(r.replication as ReplicationKind) !== undefined);
            if (promotable.length > 0) {
                const path = replicaPromotion(tree, w, holder, site, promotable);
                dataPaths.push({ writer: w, terms: path.terms });
                notes.push(...path.notes);
                continue;
            }
            if (takeovers.length > 0) {
                const r = takeovers[0];
                traffic.push({
                    metric: "rto",
                    kind: "promotion",
                    name: `promote ${r.name} (${r.replication})`,
                    formula: `${w.name} is lost with ${holder.key}; ${r.name} must be promoted by hand (no resource automates it): time unknown`,
                    source: r.name,
                    unknown: true,
                });
                continue;
            }
            const survivorWriters = survivors.flatMap((s) => s.dataStores).filter((d) => d.role === "writer");
            if (survivorWriters.length > 0) continue; // the survivors write to their own stores; what w held is an RPO matter
            traffic.push({
                metric: "rto",
                kind: "restore",
                name: `restore ${w.name}`,
                formula: `${w.name} is lost with ${holder.key} and no surviving site holds a replica of it: a restore from backup takes an unknown time`,
                source: w.name,
                unknown: true,
                floor: { change: `keep a replica of ${w.name} in ${survivors.map((s) => s.key).join(" or ")}` },
            });
        }
    }
    if (dataPaths.length === 0) return { terms: [...site.detection, ...traffic], notes };

    // Traffic and data fail over in parallel, both from the health check's verdict. A writer held by
    // another lost site starts from that site's own check (its path carries that detection).
    const ownStart = (p: { terms: Term[] }) => p.terms.some((t) => t.kind === "detection");
    const unknownPaths = dataPaths.filter((p) => p.terms.some((t) => t.unknown));
    let data: Term[];
    if (unknownPaths.length > 0) data = unknownPaths.flatMap((p) => p.terms);
    else {
        const seconds = (ts: readonly Term[]) => ts.reduce((a, t) => a + (t.seconds ?? 0), 0);
        const length = (p: { terms: Term[] }) => seconds(p.terms) + (ownStart(p) ? 0 : seconds(site.detection));
        const slowest = dataPaths.reduce((a, b) => (length(b) > length(a) ? b : a));
        data = slowest.terms;
        for (const p of dataPaths) if (p !== slowest) notes.push(`Promoted in parallel when ${site.key} is lost: ${p.writer.name} (${length(p)} s), within ${slowest.writer.name}'s ${length(slowest)} s.`);
    }
    const shared = !data.some((t) => t.kind === "detection");
    const terms: Term[] = [
        ...site.detection.map((t) => ({ ...t, paths: shared ? (["traffic", "data"] as const) : (["traffic"] as const) })),
        ...traffic.map((t) => ({ ...t, paths: ["traffic"] as const })),
        ...data.map((t) => ({ ...t, paths: t.paths ?? (["data"] as const) })),
    ];
    const total = composedSeconds(terms);
    if (total !== null) {
        terms.push({
            metric: "rto",
            kind: "composition",
            name: "traffic and data paths",
            seconds: total,
            formula: `traffic and data fail over in parallel: max(traffic ${pathArithmetic(terms, "traffic")}, data ${pathArithmetic(terms, "data")}) = ${total} s; ${shared ? `both start when ${site.healthCheck?.name ?? "the health check"} finds ${site.key} down (the promotion alarm reads its status)` : "each starts from its own site's health check"}`,
            source: "composed",
        });
    }
    return { terms, notes };
}

/**
 * The data path of a writer of an Aurora global database lost with `holder`: the alarm that
 * starts the failover (after the holder's health check has failed) and the failover itself; or
 * one unknown term when nothing in the graph starts it.
 */
function globalPromotion(tree: Tree, w: DataStoreInfo, holder: SiteModel, lostFirst: SiteModel, secondaries: readonly DataStoreInfo[]): PromotionPath {
    const trigger = findPromotionTrigger(tree, w, holder.healthCheck);
    if (trigger.kind !== "automated") {
        return unstartedPromotion(trigger, holder, secondaries[0], "aurora-global", "the global failover", "the global failover (nonstop: GlobalDatabaseFailover, enabled)");
    }
    const fnRegion = locationOf(trigger.fn);
    const r = secondaries.find((s) => s.region === fnRegion) ?? secondaries[0];
    const t = timing("promote-aurora-global");
    return startedPromotion(trigger, w, holder, lostFirst, { r, label: "aurora-global", starts: "an Aurora global database failover", t });
}

/**
 * The data path of a writer lost with `holder` whose successor is a read-only replica that must be
 * promoted (cross-region read replica, Cloud SQL replica, GCP DMS continuous migration job): the
 * same trigger as for an Aurora global database (an alarm on the holder's health check reaching a
 * Lambda function) and the promotion; or one unknown term when nothing in the graph starts it.
 */
function replicaPromotion(tree: Tree, w: DataStoreInfo, holder: SiteModel, lostFirst: SiteModel, replicas: readonly DataStoreInfo[]): PromotionPath {
    const options = replicas.map((r) => ({ r, kind: r.replication as ReplicationKind, t: timing(promotionKey(r.replication as ReplicationKind) as string) }));
    const fastest = options.reduce((a, b) => (b.t.amount < a.t.amount ? b : a));
    const trigger = findPromotionTrigger(tree, w, holder.healthCheck, `run ${TAKEOVER[fastest.kind]}`);
    if (trigger.kind !== "automated") {
        return unstartedPromotion(trigger, holder, fastest.r, fastest.kind, TAKEOVER[fastest.kind], TAKEOVER[fastest.kind]);
    }
    const fnRegion = locationOf(trigger.fn);
    const { r, kind, t } = options.find((o) => o.t.amount === fastest.t.amount && o.r.region === fnRegion) ?? fastest;
    const floor = r.kind !== "cloud-sql" && r.kind !== "statefulset" ? { seconds: timing("promote-aurora-global").amount, change: `replicate ${w.name} with an Aurora global database (managed failover)` } : undefined;
    return startedPromotion(trigger, w, holder, lostFirst, { r, label: kind, starts: TAKEOVER[kind], t, floor });
}

type PromotionPath = { terms: Term[]; notes: readonly string[] };

/** One unknown term: nothing in the graph starts the promotion (or its alarm is unknown at preview). */
function unstartedPromotion(
    trigger: Exclude<PromotionTrigger, { kind: "automated" }>,
    holder: SiteModel,
    r: DataStoreInfo,
    label: string,
    peopleRun: string,
    automationRuns: string,
): PromotionPath {
    return {
        notes: [],
        terms: [
            {
                metric: "rto",
                kind: "promotion",
                name: `promote ${r.name} (${label})`,
                formula:
                    trigger.kind === "manual"
                        ? `manual promotion: no automation found — see docs/services.md runbook (${trigger.why}); ${r.name} stays read-only until people run ${peopleRun}`
                        : `whether ${r.name} is promoted automatically is unknown at preview: ${trigger.why}`,
                source: trigger.source,
                unknown: true,
                floor: {
                    change: `automate the promotion: an alarm on ${holder.healthCheck?.name ?? `${holder.key}'s Route 53 health check`} (AWS/Route53 HealthCheckStatus) whose action reaches a Lambda function that runs ${automationRuns}`,
                },
            },
        ],
    };
}

/** The holder's detection (when another site's starts the traffic path), the trigger, and the promotion. */
function startedPromotion(
    trigger: Extract<PromotionTrigger, { kind: "automated" }>,
    w: DataStoreInfo,
    holder: SiteModel,
    lostFirst: SiteModel,
    p: { readonly r: DataStoreInfo; readonly label: string; readonly starts: string; readonly t: ReturnType<typeof timing>; readonly floor?: Term["floor"] },
): PromotionPath {
    // Another lost site's detection is not the one that starts the traffic path: on the data path only.
    const ownDetection = holder === lostFirst ? [] : holder.detection.map((d) => ({ ...d, paths: ["data"] as const }));
    return {
        notes: trigger.notes,
        terms: [
            ...ownDetection,
            trigger.term,
            {
                metric: "rto",
                kind: "promotion",
                name: `promote ${p.r.name} (${p.label})`,
                seconds: p.t.amount,
                formula: `${w.name} is lost with ${holder.key}; ${trigger.fn.name} starts ${p.starts} and ${p.r.name} in ${p.r.region} takes writes (${p.t.amount} s)`,
                source: cite(p.t),
                ...("floor" in p ? { floor: p.floor } : {}),
            },
        ],
    };
}

/** How a replica of each kind comes to take writes. */
const TAKEOVER: Readonly<Record<ReplicationKind, string>> = {
    "aurora-global": "an Aurora global database failover",
    "aurora-cross-region": "the promotion of the cross-region read replica",
    "rds-read-replica": "the promotion of the read replica",
    "cloud-sql-replica": "the promotion of the Cloud SQL replica",
    "dms-cdc": "the CDC cut-over (stop the DMS task, point writers at the target)",
    "gcp-dms-cdc": "the promotion of the migration job (its destination becomes a primary)",
    streaming: "the promotion of the standby",
};

/**
 * The timing entry of a replica of this kind taking writes; undefined when the model has none
 * (streaming standbys). Except for the CDC cut-over, it counts only when a trigger is found.
 */
function promotionKey(kind: ReplicationKind): string | undefined {
    switch (kind) {
        case "aurora-global":
            return "promote-aurora-global";
        case "aurora-cross-region":
        case "rds-read-replica":
            return "promote-rds-read-replica";
        case "cloud-sql-replica":
            return "promote-cloud-sql-replica";
        case "dms-cdc":
            return "cutover-dms-cdc";
        case "gcp-dms-cdc":
            return "promote-gcp-dms";
        case "streaming":
            return undefined;
    }
}

function lagKey(kind: ReplicationKind): string {
    switch (kind) {
        case "aurora-global":
            return "lag-aurora-global";
        case "aurora-cross-region":
        case "rds-read-replica":
            return "lag-rds-cross-region";
        case "cloud-sql-replica":
            return "lag-cloud-sql-cross-region";
        case "dms-cdc":
            return "lag-dms-cdc";
        case "gcp-dms-cdc":
            return "lag-gcp-dms";
        case "streaming":
            return "lag-streaming";
    }
}

function rpoTerms(lost: readonly SiteModel[], all: readonly SiteModel[], stores: ReadonlyMap<string, DataStoreInfo>): Term[] {
    const site = lost[0];
    const lostPlaces = new Set(lost.map((s) => `${s.cloud}|${s.region}`));
    const writers = lost.flatMap((s) => s.dataStores).filter((d) => d.role === "writer");
    if (writers.length === 0) {
        const any = all.some((s) => s.dataStores.length > 0);
        if (!any) {
            return [
                {
                    metric: "rpo",
                    kind: "no-loss",
                    name: "data stores",
                    formula: `no data store found in the service's sites (${all.map((s) => s.key).join(", ")}); the data may live outside the program`,
                    source: "resource graph",
                    unknown: true,
                },
            ];
        }
        return [{ metric: "rpo", kind: "no-loss", name: `no writer in ${site.key}`, seconds: 0, formula: `${site.key} holds no writer: losing it loses no writes`, source: "resource graph" }];
    }
    let worst: { total: number | null; terms: Term[] } | undefined;
    for (const w of writers) {
        const options: Term[][] = [];
        const pending: Term[] = [];
        for (const r of stores.values()) {
            if (r.replicaOf !== w.urn || !r.replication || lostPlaces.has(`${r.cloud}|${r.region}`)) continue;
            const t = timing(lagKey(r.replication));
            options.push([
                {
                    metric: "rpo",
                    kind: "replication-lag",
                    name: `replication lag ${w.name} -> ${r.name} (${r.replication})`,
                    seconds: t.amount,
                    formula: `asynchronous ${r.replication} replication to ${r.region}: writes not yet replicated are lost (${t.amount} s allowed)`,
                    source: cite(t),
                },
            ]);
        }
        for (const b of w.backups) {
            if (b.offSite === false) continue;
            if (b.offSite === undefined) {
                pending.push({ metric: "rpo", kind: "backup-copy", name: `copy destination of ${b.name}`, formula: `the region ${b.name} copies ${w.name} to is unknown at preview`, source: b.name, unknown: true });
                continue;
            }
            if (b.intervalSeconds === undefined) {
                pending.push({ metric: "rpo", kind: "backup-interval", name: `backup interval of ${b.name}`, formula: `schedule ${b.schedule ?? "not set"} is not understood or unknown`, source: b.name, unknown: true });
                continue;
            }
            const interval: Term = {
                metric: "rpo",
                kind: "backup-interval",
                name: `backup interval (${b.name})`,
                seconds: b.intervalSeconds,
                formula: `${w.name} is backed up ${b.schedule ? `on "${b.schedule}"` : "periodically"}: up to ${b.intervalSeconds} s of writes since the last backup`,
                source: b.kind === "cloud-sql" ? cite(timing("cloud-sql-backup-interval")) : `${b.name} schedule`,
            };
            const copy: Term | undefined =
                b.kind === "aws-backup"
                    ? (() => {
                          const t = timing("copy-aws-backup-cross-region");
                          return {
                              metric: "rpo" as const,
                              kind: "backup-copy" as const,
                              name: `cross-region copy (${b.name} -> ${b.copyLocation})`,
                              seconds: t.amount,
                              formula: `the copy to ${b.copyLocation} completes after the backup: ${t.amount} s allowed`,
                              source: cite(t),
                          };
                      })()
                    : undefined;
            options.push(copy ? [interval, copy] : [interval]);
        }
        let chosen: { total: number | null; terms: Term[] };
        if (options.length > 0) {
            const best = options.map((o) => ({ total: composedSeconds(o), terms: o })).reduce((a, b) => ((b.total as number) < (a.total as number) ? b : a));
            chosen = best;
        } else if (pending.length > 0) {
            chosen = { total: null, terms: pending };
        } else {
            chosen = {
                total: null,
                terms: [
                    {
                        metric: "rpo",
                        kind: "no-loss",
                        name: `copy of ${w.name} outside ${site.key}`,
                        formula: `no replica of ${w.name} outside ${site.region} and no off-site backup of it were found`,
                        source: w.name,
                        unknown: true,
                        floor: { change: `replicate ${w.name} to another site, or copy its backups to another region` },
                    },
                ],
            };
        }
        if (!worst || chosen.total === null || (worst.total !== null && chosen.total > worst.total)) worst = chosen;
        if (worst.total === null) break;
    }
    return worst ? worst.terms : [];
}

// ---------------------------------------------------------------------------------------------
// Availability
// ---------------------------------------------------------------------------------------------

function availability(svc: ServiceModel, sites: readonly SiteModel[]): { total: number | null; terms: Term[]; perSite: Map<string, number | null> } {
    const terms: Term[] = [];
    const perSite = new Map<string, number | null>();
    const dns = sla(svc.dns);
    terms.push({ metric: "availability", kind: "sla", name: dns.service, value: dns.sla, formula: `DNS answers for ${svc.name}`, source: dns.source });
    for (const s of sites) {
        const factors: Term[] = [...s.pathFactors];
        for (const d of s.dataStores) {
            if (d.kind === "statefulset") continue; // inside the cluster, whose SLA is already a factor
            if (d.sla) {
                const e = sla(d.sla);
                factors.push({ metric: "availability", kind: "sla", name: e.service, value: e.sla, formula: `${d.name} (${d.zones})`, source: e.source });
            } else {
                factors.push({
                    metric: "availability",
                    kind: "sla",
                    name: `${d.kind} ${d.name}`,
                    formula:
                        d.kind === "cloud-sql" ? `${d.name} is zonal: Cloud SQL's SLA covers only high-availability (REGIONAL) instances` : d.kind === "aurora" ? `${d.name} has no instances (headless cluster)` : `${d.name}: availability zones unknown`,
                    source: d.kind === "cloud-sql" ? sla("cloud-sql-enterprise-ha").source : d.name,
                    unknown: true,
                });
            }
        }
        const known = factors.every((f) => !f.unknown);
        const a = known ? factors.reduce((p, f) => p * (f.value as number), 1) : null;
        perSite.set(s.key, a);
        terms.push(...factors.map((f) => ({ ...f, name: `${s.key}: ${f.name}` })));
        terms.push({
            metric: "availability",
            kind: "site",
            name: `site ${s.key}`,
            value: a ?? undefined,
            formula: `${factors.map((f) => (f.unknown ? "unknown" : fraction(f.value as number))).join(" x ")} (in series)`,
            source: "composed",
            unknown: a === null ? true : undefined,
        });
    }
    const siteValues = sites.map((s) => perSite.get(s.key) ?? null);
    let total: number | null = null;
    if (sites.length > 0 && siteValues.every((v) => v !== null)) {
        const parallel = 1 - siteValues.reduce((p, v) => p * (1 - (v as number)), 1);
        total = dns.sla * parallel;
        terms.push({
            metric: "availability",
            kind: "composition",
            name: "service",
            value: total,
            formula:
                sites.length === 1
                    ? `DNS ${fraction(dns.sla)} x site ${fraction(siteValues[0] as number)}`
                    : `DNS ${fraction(dns.sla)} x (1 - ${siteValues.map((v) => `(1 - ${fraction(v as number)})`).join(" x ")}): sites in parallel, failing independently; failover time not subtracted`,
            source: "composed",
        });
    }
    return { total, terms, perSite };
}

/** A fraction for a formula: ten significant digits, no float noise. */
function fraction(v: number): string {
    return String(Number(v.toPrecision(10)));
}

function zoneNotes(sites: readonly SiteModel[], notes: string[]): void {
    for (const d of sites.flatMap((s) => s.dataStores)) {
        if (d.role !== "writer") continue;
        if (d.zones === "multi-az") {
            const how = d.kind === "aurora" ? "Aurora storage keeps six copies across three AZs" : d.kind === "cloud-sql" ? "regional persistent disk replicates synchronously to the standby zone" : "the Multi-AZ standby is written synchronously";
            const failover = d.kind === "rds-instance" ? ` (failover ${timing("failover-rds-multi-az").amount} s: ${timing("failover-rds-multi-az").source})` : "";
            notes.push(`Losing one zone of ${d.region}: RPO 0 for ${d.name}: ${how}${failover}.`);
        } else if (d.zones === "single-az") {
            notes.push(
                d.kind === "aurora"
                    ? `Losing the zone of ${d.name}'s only instance: Aurora storage keeps six copies across three AZs (RPO 0), but writes stop until Aurora replaces the instance.`
                    : `Losing the zone ${d.name} runs in loses it until a restore: it is single-AZ.`,
            );
        }
    }
}
