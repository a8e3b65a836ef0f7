// Every service of a program with what each failure domain does to it and what that adds up to:
//
//   availability (reads, writes) = 1 - sum over failure modes of rate x duration x share of requests
//                                   failing / one year - share failing in steady state
//   failure modes: each zone group, region, cloud, the DNS provider, each writer database, each
//   image registry, a bad release (from the what-if scenarios); a writer instance failing inside
//   its region; gray failures (an assumption).
//   RTO (reads, writes) = the slowest recovery over losing one zone, one region or the writer,
//                         capped by the domain's own recovery;
//   RPO = the replication lag a promotion discards (typical, and its tail), or a restore's backup age;
//   data-loss events a year = sum of rate x P(the promotion happens before the domain recovers).
//
// Every input is a range (quantity.ts); results are P10 / P50 / P90 by Monte Carlo, with the
// all-low / all-likely / all-high points. The old product of SLAs is kept as an upper bound only.
import { GraphResource } from "../lib/graph";
import { automationInfo, findFunctions, FunctionIndex, mayDo } from "./automation";
import { cite, quantity, sla } from "./data";
import { findServices, quantityTerm, ServiceModel, SiteModel } from "./discover";
import { cloudDomain, dnsDomain, Domain, regionDomain, registryDomain, releaseDomain, writerDomain, zoneDomain } from "./domains";
import { atPoint, DISPLAY_SAMPLES, evaluate, Expr, isNever, max, min, Pick, q, Quantity, quantitiesOf, sample, Stat, unknownsOf } from "./quantity";
import { registryPlace } from "./releases";
import { inRegionFailover, Outcome, outcome, readShareFrom, Segment, serviceContext, ServiceContext, sitePlace, Step, StoreIndex, storePlace, writeShareTo } from "./scenario";
import { findDataStores, StoreNote } from "./stores";
import { hostOfCluster, Tree } from "./tree";
import { DataStoreInfo, FailureModeResult, PathOutcome, ServiceEstimate, SiteEstimate, Standby, Term, TimelineStep, Topology, WhatIfRow } from "./types";

const YEAR = 365.25 * 86400;
/** Draws for a what-if row's recovery time: shown, not judged (the headline numbers use SAMPLES). */
const ROW_SAMPLES = 500;

/** The services of a program and the failure domains of its plan. */
export interface Plan {
    readonly services: readonly ServiceEstimate[];
    readonly domains: readonly { readonly id: string; readonly kind: string; readonly label: string }[];
}

/** Every service (DNS name or public entry point) of a program with its resilience estimate. */
export function estimateServices(resources: readonly GraphResource[]): ServiceEstimate[] {
    return estimatePlan(resources).services as ServiceEstimate[];
}

export function estimatePlan(resources: readonly GraphResource[]): Plan {
    const tree = new Tree(resources);
    const storeNotes: StoreNote[] = [];
    const stores = findDataStores(tree, storeNotes);
    const models = findServices(tree, stores);
    const functions = new FunctionIndex(findFunctions(tree));
    const index = new StoreIndex(stores);
    const contexts = models.map((m) => serviceContext(tree, m, index, functions));
    const domains = planDomains(contexts);
    const services = contexts.map((ctx) => estimateService(ctx, domains, stores, storeNotes));
    return { services, domains: domains.map((d) => ({ id: d.id, kind: d.kind, label: d.label })) };
}

// ---------------------------------------------------------------------------------------------
// Domains of the plan
// ---------------------------------------------------------------------------------------------

const KIND_ORDER = ["zone", "region", "cloud", "dns", "writer", "registry", "release"];

function planDomains(contexts: readonly ServiceContext[]): Domain[] {
    const out = new Map<string, Domain>();
    const add = (d: Domain) => {
        if (!out.has(d.id)) out.set(d.id, d);
    };
    const zones = new Map<string, { cloud: SiteModel["cloud"]; region: string; zones: Set<string> }>();
    const addPlace = (place: string) => {
        const [cloud, region] = place.split("/");
        if ((cloud === "aws" || cloud === "gcp") && region && region !== "default" && region !== "global") add(regionDomain(cloud, region));
    };
    for (const ctx of contexts) {
        for (const s of ctx.svc.sites) {
            if (s.cloud === "unknown") continue;
            add(regionDomain(s.cloud, s.region));
            const host = s.cloud === "kubernetes" ? hostOfCluster(s.region) : undefined;
            if (host) add(regionDomain(host.cloud, host.region));
            const cloud = s.cloud === "kubernetes" ? host?.cloud : s.cloud;
            if (cloud === "aws" || cloud === "gcp") add(cloudDomain(cloud));
            const z = zones.get(`${s.cloud}/${s.region}`) ?? { cloud: s.cloud, region: s.region, zones: new Set<string>() };
            s.zones.forEach((x) => z.zones.add(x));
            zones.set(`${s.cloud}/${s.region}`, z);
            for (const r of s.registries) {
                add(registryDomain(r));
                const p = registryPlace(r);
                if (p) addPlace(p);
            }
        }
        for (const g of ctx.groups) {
            for (const m of g.members) if (m.cloud === "aws" || m.cloud === "gcp") add(regionDomain(m.cloud, m.region));
            add(writerDomain(g.root));
            // Places of the automation that acts on the group (an alarm in us-east-1, a function elsewhere).
            for (const f of ctx.functions.about(g.about)) for (const t of f.triggers) for (const r of t.path.concat([f.fn])) addPlace(`aws/${r.props.region ?? r.providerProps?.region ?? "default"}`);
        }
        for (const so of ctx.scaleOuts.values()) so.places.forEach(addPlace);
        if (ctx.svc.dns) add(dnsDomain(ctx.svc.dns));
        const serving = ctx.svc.sites.filter((s) => s.share > 0);
        if (serving.length > 0) add(releaseDomain(ctx.svc.name, serving.every((s) => s.release.switchRollback)));
    }
    for (const z of zones.values()) add(zoneDomain(z.cloud, z.region, [...z.zones].sort()));
    return [...out.values()].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.id.localeCompare(b.id));
}

/**
 * The domains that concern a service: the zones, regions and clouds of its sites, data stores,
 * recovery automation and registries; its DNS provider, its writers, its registries, its releases.
 * A region that holds nothing of the service is not a row of its matrix (and is not computed).
 */
function relevant(ctx: ServiceContext, places: ReadonlySet<string>, d: Domain): boolean {
    switch (d.kind) {
        case "writer":
            return ctx.groups.some((g) => g.root.urn === d.store);
        case "registry":
            return ctx.svc.sites.some((s) => s.registries.includes(d.registry as string));
        case "release":
            return d.service === ctx.svc.name;
        case "dns":
            return ctx.svc.dns === d.dns;
        case "zone":
            return ctx.svc.sites.some((s) => s.cloud === d.cloud && s.region === d.region);
        case "region":
            return places.has(`${d.cloud}/${d.region}`);
        case "cloud":
            return [...places].some((p) => p.startsWith(`${d.cloud}/`));
        default:
            return true;
    }
}

/** `cloud/region` of everything a service depends on (a Kubernetes cluster adds the region that hosts it). */
function placesOfService(ctx: ServiceContext): Set<string> {
    const out = new Set<string>();
    const add = (p: { cloud: string; region: string; host?: { cloud: string; region: string } }) => {
        out.add(`${p.cloud}/${p.region}`);
        if (p.host) out.add(`${p.host.cloud}/${p.host.region}`);
    };
    for (const s of ctx.svc.sites) {
        add(sitePlace(s));
        for (const r of s.registries) {
            const p = registryPlace(r);
            if (p) out.add(p);
        }
    }
    for (const g of ctx.groups) {
        for (const m of g.members) add(storePlace(m));
        for (const f of ctx.functions.about(g.about)) for (const t of f.triggers) for (const r of t.path.concat([f.fn])) out.add(`aws/${r.props.region ?? r.providerProps?.region ?? "default"}`);
    }
    for (const so of ctx.scaleOuts.values()) so.places.forEach((p) => out.add(p));
    return out;
}

// ---------------------------------------------------------------------------------------------
// One service
// ---------------------------------------------------------------------------------------------

function estimateService(ctx: ServiceContext, planned: readonly Domain[], stores: ReadonlyMap<string, DataStoreInfo>, storeNotes: readonly StoreNote[]): ServiceEstimate {
    const svc = ctx.svc;
    const places = placesOfService(ctx);
    const domains = planned.filter((d) => relevant(ctx, places, d));
    const outcomes = domains.map((d) => outcome(ctx, d));
    const notes: string[] = [...svc.notes];
    const topology = topologyOf(svc);
    const standby = standbyOf(svc, topology);

    const siteStoreUrns = new Set(svc.sites.flatMap((s) => s.dataStores.map((d) => d.urn)));
    const external = ctx.groups.flatMap((g) => g.members).filter((d, i, all) => !siteStoreUrns.has(d.urn) && all.findIndex((x) => x.urn === d.urn) === i);
    const related = new Set([...siteStoreUrns, ...external.map((d) => d.urn)]);
    for (const n of storeNotes) if (n.urn === undefined ? related.size > 0 : related.has(n.urn)) notes.push(n.text);
    for (const o of outcomes) notes.push(...o.notes.map((n) => `${o.domain.id}: ${n}`));

    const availability = availabilityOf(ctx, outcomes);
    const rto = rtoOf(outcomes);
    const rpo = rpoOf(ctx, outcomes);
    const rows = [steadyRow(ctx), ...outcomes.map((o) => whatIfRow(ctx, o))];
    const automation = automationOf(ctx);

    const sites: SiteEstimate[] = svc.sites.map((s) => ({
        key: s.key,
        cloud: s.cloud,
        region: s.region,
        zones: s.zones,
        role: s.role,
        weight: s.weight,
        share: s.share,
        capacity: s.compute.capacity === undefined ? null : s.compute.capacity,
        computeKind: s.compute.kind,
        computeUrns: s.compute.resources.map((r) => r.urn),
        healthCheck: s.healthCheck,
        ttlSeconds: s.move.ttl && !s.move.ttl.unknown ? s.move.ttl.likely : null,
        recordUrn: svc.discoveredBy === "dns" ? s.records[0]?.urn : undefined,
        entry: s.entry ? { name: s.entry.name, type: s.entry.type, urn: s.entry.urn } : undefined,
        dataStores: s.dataStores,
        wiring: s.wiring,
        scaleOut: ctx.scaleOuts.get(s.key)?.info,
        releaseExposure: s.release.exposure,
        registries: s.registries,
        slaAvailability: siteSla(s),
    }));
    const upper = slaUpperBound(svc);
    const worse = (a: Stat | null, b: Stat | null) => (a === null || b === null ? null : Math.min(a.p90, b.p90));
    const rtoP90 = rto.reads && rto.writes ? Math.max(rto.reads.p90, rto.writes.p90) : null;
    return {
        name: svc.name,
        discoveredBy: svc.discoveredBy,
        topology,
        standby,
        sites,
        externalDataStores: external,
        automation,
        ranges: {
            rto: { reads: rto.reads, writes: rto.writes, domain: rto.domain },
            rpo: { typical: rpo.typical, worst: rpo.worst, domain: rpo.domain },
            dataLossEventsPerYear: rpo.events,
            availability: { reads: availability.reads, writes: availability.writes },
        },
        rtoSeconds: rtoP90,
        rpoSeconds: rpo.worst ? rpo.worst.p90 : null,
        availability: worse(availability.reads, availability.writes),
        slaUpperBound: upper,
        modes: availability.modes,
        whatIf: rows,
        terms: [...rto.terms, ...rpo.terms, ...availability.terms, { metric: "availability", kind: "upper-bound", name: "independent-SLA product (upper bound, not an estimate)", value: upper.availability ?? undefined, formula: upper.formula, source: "slas.json", unknown: upper.availability === null ? true : undefined }],
        unknowns: { rto: rto.unknowns, rpo: rpo.unknowns, availability: availability.unknowns },
        notes: [...new Set(notes)],
        fixes: fixesOf(ctx, outcomes),
        recordUrns: svc.recordUrns,
    };
}

function topologyOf(svc: ServiceModel): Topology {
    const sites = svc.sites;
    if (sites.length <= 1) return "single-site";
    if (svc.routing === "failover" && sites.some((s) => s.role === "primary") && sites.some((s) => s.role === "secondary")) return "active-passive";
    return "active-active";
}

function standbyOf(svc: ServiceModel, topology: Topology): Standby | undefined {
    if (topology !== "active-passive") return undefined;
    const caps = svc.sites.filter((s) => s.role === "secondary").map((s) => s.compute.capacity);
    if (caps.some((c) => c === 0)) return "pilot-light";
    if (caps.every((c) => typeof c === "number" && c > 0)) return "warm";
    return undefined;
}

// ---------------------------------------------------------------------------------------------
// Impairment of a path in one event
// ---------------------------------------------------------------------------------------------

function shareOf(s: Segment, pick: Pick): number {
    return typeof s.share === "number" ? s.share : evaluate(s.share, pick);
}

/** Seconds of fully failed requests an event is worth (sum of share x time failing), given the outage length. */
function impairment(segments: readonly Segment[], outage: number, pick: Pick): number {
    let total = 0;
    for (const s of segments) {
        const share = shareOf(s, pick);
        if (share <= 0) continue;
        if (s.afterRecovery) {
            if (s.onlyIf !== undefined && evaluate(s.onlyIf, pick) >= outage) continue;
            total += share * evaluate(s.end, pick);
            continue;
        }
        const start = s.start ? evaluate(s.start, pick) : 0;
        const end = Math.min(evaluate(s.end, pick), outage);
        if (end > start) total += share * (end - start);
    }
    return total;
}

function segmentUnknowns(segments: readonly Segment[]): string[] {
    return segments.flatMap((s) => [...unknownsOf(s.end), ...(typeof s.share === "number" ? [] : unknownsOf(s.share))]);
}

// ---------------------------------------------------------------------------------------------
// Availability
// ---------------------------------------------------------------------------------------------

interface Mode {
    readonly domain: string;
    readonly description: string;
    readonly rate?: Expr;
    readonly reads: (pick: Pick) => number;
    readonly writes: (pick: Pick) => number;
    readonly formula: string;
    readonly source: string;
}

function availabilityOf(ctx: ServiceContext, outcomes: readonly Outcome[]): { reads: Stat | null; writes: Stat | null; modes: FailureModeResult[]; terms: Term[]; unknowns: string[] } {
    const unknowns = new Set<string>();
    const modes: Mode[] = [];
    for (const o of outcomes) {
        if (o.reads.length === 0 && o.writes.length === 0) continue;
        segmentUnknowns([...o.reads, ...o.writes]).forEach((u) => unknowns.add(u));
        o.unknowns.forEach((u) => unknowns.add(u));
        const outage = o.domain.outage;
        modes.push({
            domain: o.domain.id,
            description: `${o.domain.label}`,
            rate: o.domain.rate,
            reads: (pick) => evaluate(o.domain.rate, pick) * impairment(o.reads, pick(outage), pick),
            writes: (pick) => evaluate(o.domain.rate, pick) * impairment(o.writes, pick(outage), pick),
            formula: `${o.domain.rateFormula} x (share failing x min(recovery, ${outage.key}))`,
            source: o.domain.source,
        });
    }
    const serving = ctx.svc.sites.filter((s) => s.share > 0);
    const writable = 1 - ctx.steadyWriteFailure.share;
    // A writer instance failing inside its region: all writes to it (and reads from it) wait for the in-region failover.
    for (const g of ctx.groups) {
        const f = inRegionFailover(g.root);
        const end = isNever(f.end) ? q(quantity("outage-writer-cluster", "writer recovery")) : f.end;
        const rate = q(quantity("rate-writer-instance", "writer instance failures a year"));
        const w = writeShareTo(ctx, g);
        const r = readShareFrom(ctx, g.root);
        if (w === 0 && r === 0) continue;
        modes.push({
            domain: `writer-instance:${g.root.name}`,
            description: `the writer instance of ${g.root.name} fails (${f.why})`,
            rate,
            reads: (pick) => evaluate(rate, pick) * r * evaluate(end, pick),
            writes: (pick) => evaluate(rate, pick) * w * evaluate(end, pick),
            formula: `rate-writer-instance x in-region failover x share (${fmtShare(w)} of writes, ${fmtShare(r)} of reads)`,
            source: cite(quantity("rate-writer-instance")),
        });
    }
    // Gray failures: stated as an assumption, per serving site, weighted by its share.
    if (serving.length > 0) {
        const rate = q(quantity("rate-gray-failure", "gray failures a year, per site"));
        const duration = q(quantity("gray-failure-duration", "gray failure until drained by hand"));
        const shares = serving.reduce((a, s) => a + s.share, 0);
        modes.push({
            domain: "gray-failure",
            description: "gray failures (assumption): a site's health check passes while its users fail, until people drain it",
            rate,
            reads: (pick) => evaluate(rate, pick) * shares * evaluate(duration, pick),
            writes: (pick) => evaluate(rate, pick) * shares * writable * evaluate(duration, pick),
            formula: "rate-gray-failure x gray-failure-duration x share of each serving site (assumption: nothing in a graph can rule it out)",
            source: cite(quantity("rate-gray-failure")),
        });
    }
    const u = [...unknowns];
    const availabilityFrom = (part: "reads" | "writes", steady: number) => (pick: Pick) => Math.max(0, 1 - steady - modes.reduce((a, m) => a + m[part](pick), 0) / YEAR);
    const reads = u.length > 0 ? null : sample(availabilityFrom("reads", 0), "low");
    const writes = u.length > 0 ? null : sample(availabilityFrom("writes", ctx.steadyWriteFailure.share), "low");
    const results: FailureModeResult[] = modes.map((m) => ({
        domain: m.domain,
        description: m.description,
        ratePerYear: m.rate ? pointStat(m.rate) : undefined,
        readDowntime: pointsOf(m.reads),
        writeDowntime: pointsOf(m.writes),
        formula: m.formula,
        source: m.source,
    }));
    if (ctx.steadyWriteFailure.share > 0) {
        const always = ctx.steadyWriteFailure.share * YEAR;
        results.unshift({
            domain: "steady-state",
            description: `writes from ${ctx.steadyWriteFailure.sites.join(", ")} fail with nothing lost: ${ctx.svc.sites.filter((s) => ctx.steadyWriteFailure.sites.includes(s.key)).map((s) => `${s.key}: ${s.wiring.why}`).join("; ")}`,
            readDowntime: pointOf(0),
            writeDowntime: pointOf(always),
            formula: `share ${fmtShare(ctx.steadyWriteFailure.share)} of writes x one year`,
            source: "resource graph (contract C1: the env-bearing property's dependencies)",
        });
    }
    const terms: Term[] = results.map((m) => ({
        metric: "availability",
        kind: m.domain === "steady-state" ? "defect" : "failure-mode",
        name: m.domain === "steady-state" ? `defect: ${m.description}` : m.description,
        seconds: { low: m.writeDowntime.low, likely: m.writeDowntime.likely, high: m.writeDowntime.high },
        formula: `${m.formula}; reads ${fmtDowntime(m.readDowntime.likely)}/yr, writes ${fmtDowntime(m.writeDowntime.likely)}/yr (likely)`,
        source: m.source,
    }));
    return { reads, writes, modes: results, terms, unknowns: u };
}

function pointsOf(f: (pick: Pick) => number): Stat {
    const low = f(atPoint("low"));
    const likely = f(atPoint("likely"));
    const high = f(atPoint("high"));
    return { p10: low, p50: likely, p90: high, low, likely, high };
}

function pointStat(e: Expr): Stat {
    return pointsOf((pick) => evaluate(e, pick));
}

function pointOf(v: number): Stat {
    return { p10: v, p50: v, p90: v, low: v, likely: v, high: v };
}

function fmtShare(x: number): string {
    return `${Math.round(x * 1000) / 10} %`;
}

function fmtDowntime(seconds: number): string {
    return seconds >= 3600 ? `${(seconds / 3600).toFixed(1)} h` : seconds >= 60 ? `${(seconds / 60).toFixed(1)} min` : `${seconds.toFixed(1)} s`;
}

// ---------------------------------------------------------------------------------------------
// RTO and RPO
// ---------------------------------------------------------------------------------------------

/** Domains that count for RTO: losing one zone, one region (or cluster) or the writer. */
const RTO_KINDS = new Set(["zone", "region", "writer"]);

/** The time until a path is fully served again in one event: the latest segment end, capped by the domain's recovery. */
function recoveryTime(segments: readonly Segment[], outage: Quantity): Expr | undefined {
    const live = segments.filter((s) => !s.afterRecovery);
    if (live.length === 0) return undefined;
    return max(...live.map((s) => min(s.end, q(outage))));
}

function rtoOf(outcomes: readonly Outcome[]): { reads: Stat | null; writes: Stat | null; domain?: string; terms: Term[]; unknowns: string[] } {
    const relevantOutcomes = outcomes.filter((o) => RTO_KINDS.has(o.domain.kind));
    const per = relevantOutcomes.map((o) => ({ o, reads: recoveryTime(o.reads, o.domain.outage), writes: recoveryTime(o.writes, o.domain.outage) }));
    const unknowns = [...new Set(per.flatMap((p) => [...(p.reads ? unknownsOf(p.reads) : []), ...(p.writes ? unknownsOf(p.writes) : [])]))];
    if (unknowns.length > 0) return { reads: null, writes: null, terms: [], unknowns };
    const reads = per.map((p) => p.reads).filter((e): e is Expr => e !== undefined);
    const writes = per.map((p) => p.writes).filter((e): e is Expr => e !== undefined);
    const worst = per.reduce<(typeof per)[number] | undefined>((a, p) => {
        const v = Math.max(p.reads ? evaluate(p.reads, atPoint("likely")) : 0, p.writes ? evaluate(p.writes, atPoint("likely")) : 0);
        const av = a ? Math.max(a.reads ? evaluate(a.reads, atPoint("likely")) : 0, a.writes ? evaluate(a.writes, atPoint("likely")) : 0) : -1;
        return v > av ? p : a;
    }, undefined);
    const terms: Term[] = [];
    if (worst) {
        const exprs = [worst.reads, worst.writes].filter((e): e is Expr => e !== undefined);
        for (const x of new Map(exprs.flatMap((e) => [...quantitiesOf(e)])).values()) terms.push(quantityTerm(kindOfQuantity(x), x));
        terms.unshift({
            metric: "rto",
            kind: "failure-mode",
            name: `worst single loss: ${worst.o.domain.label}`,
            formula: `reads: ${describe(worst.o.reads)}; writes: ${describe(worst.o.writes)}`,
            source: "what-if scenario",
        });
    }
    return {
        reads: reads.length > 0 ? sample((pick) => Math.max(...reads.map((e) => evaluate(e, pick)))) : pointOf(0),
        writes: writes.length > 0 ? sample((pick) => Math.max(...writes.map((e) => evaluate(e, pick)))) : pointOf(0),
        domain: worst?.o.domain.id,
        terms,
        unknowns,
    };
}

function describe(segments: readonly Segment[]): string {
    if (segments.length === 0) return "unaffected";
    return [...new Set(segments.map((s) => s.why))].join("; ");
}

function kindOfQuantity(x: Quantity): Term["kind"] {
    const k = x.key;
    if (k.startsWith("detect:")) return "detection";
    if (k.startsWith("ttl:")) return "dns-ttl";
    if (k.includes("aggregation") || k.includes("propagation")) return "health-aggregation";
    if (k === "dns-client-caching") return "client-caching";
    if (k.startsWith("start-")) return "capacity-start";
    if (k.startsWith("promote-") || k.startsWith("cutover-") || k.startsWith("failover-") || k.startsWith("replace-")) return "promotion";
    if (k === "db-reconnect") return "reconnect";
    if (k === "manual-failover") return "manual";
    if (k === "manual-restore") return "restore";
    if (k.startsWith("outage-")) return "failure-mode";
    return "promotion-trigger";
}

function rpoOf(ctx: ServiceContext, outcomes: readonly Outcome[]): { typical: Stat | null; worst: Stat | null; events: Stat | null; domain?: string; terms: Term[]; unknowns: string[] } {
    const losses: { o: Outcome; typical: Expr; worst: Expr; happens: Expr; terms: Term[] }[] = [];
    for (const o of outcomes) {
        for (const fo of o.failovers) {
            if (!fo.rootLost) continue;
            if (fo.loss && fo.time) {
                losses.push({ o, typical: q(fo.loss.typical), worst: q(fo.loss.worst), happens: fo.time, terms: [quantityTerm("replication-lag", fo.loss.typical, undefined, "rpo"), quantityTerm("replication-lag", fo.loss.worst, undefined, "rpo")] });
            } else if (fo.restore) {
                losses.push({ o, typical: fo.restore.lossSeconds, worst: fo.restore.lossSeconds, happens: fo.restore.time, terms: [{ metric: "rpo", kind: "backup-interval", name: `restore of ${fo.group.root.name}`, formula: fo.restore.why, source: "resource graph" }] });
            }
        }
    }
    if (ctx.groups.length === 0) {
        const why = `no data store found in the service's sites (${ctx.svc.sites.map((s) => s.key).join(", ")}); the data may live outside the program`;
        return { typical: null, worst: null, events: null, terms: [{ metric: "rpo", kind: "no-loss", name: "data stores", formula: why, source: "resource graph", unknown: true }], unknowns: [why] };
    }
    if (losses.length === 0) {
        const stranded = ctx.groups.filter((g) => g.members.length === 1 && !g.root.backups.some((b) => b.offSite === true));
        if (stranded.length > 0) {
            const why = `no replica of ${stranded.map((g) => g.root.name).join(", ")} outside its region and no off-site backup`;
            return { typical: null, worst: null, events: null, terms: [{ metric: "rpo", kind: "no-loss", name: "copy outside the writer's region", formula: why, source: "resource graph", unknown: true }], unknowns: [why] };
        }
        return { typical: pointOf(0), worst: pointOf(0), events: pointOf(0), terms: [{ metric: "rpo", kind: "no-loss", name: "no loss", formula: "no failure domain loses the writer", source: "resource graph" }], unknowns: [] };
    }
    const worstLoss = losses.reduce((a, l) => (evaluate(l.worst, atPoint("likely")) > evaluate(a.worst, atPoint("likely")) ? l : a));
    const events = sample((pick) => losses.reduce((a, l) => a + (evaluate(l.happens, pick) < pick(l.o.domain.outage) ? evaluate(l.o.domain.rate, pick) : 0), 0));
    return {
        typical: sample((pick) => Math.max(...losses.map((l) => evaluate(l.typical, pick)))),
        worst: sample((pick) => Math.max(...losses.map((l) => evaluate(l.worst, pick)))),
        events,
        domain: worstLoss.o.domain.id,
        terms: worstLoss.terms,
        unknowns: [],
    };
}

// ---------------------------------------------------------------------------------------------
// What-if rows
// ---------------------------------------------------------------------------------------------

function steadyRow(ctx: ServiceContext): WhatIfRow {
    const failing = ctx.svc.sites.filter((s) => ctx.steadyWriteFailure.sites.includes(s.key));
    return {
        domain: "steady-state",
        kind: "steady-state",
        label: "nothing lost",
        service: ctx.svc.name,
        reads: { outcome: "unaffected", share: 0, afterSeconds: null, manual: false, why: "" },
        writes:
            failing.length > 0
                ? { outcome: "fails", share: ctx.steadyWriteFailure.share, afterSeconds: null, manual: false, why: failing.map((s) => `${s.key}: ${s.wiring.why}`).join("; ") }
                : { outcome: "unaffected", share: 0, afterSeconds: null, manual: false, why: "" },
        dataLoss: { typicalSeconds: null, worstSeconds: null, why: "" },
        timeline: [],
        failback: [],
        notes: [],
    };
}

/** A Stat computed when first read (what-if rows are many; the rules and the budget read few of their numbers). */
function lazily(compute: () => Stat | null): () => Stat | null {
    let done = false;
    let value: Stat | null = null;
    return () => {
        if (!done) {
            value = compute();
            done = true;
        }
        return value;
    };
}

function whatIfRow(ctx: ServiceContext, o: Outcome): WhatIfRow {
    const loss = o.failovers.find((f) => f.rootLost && (f.loss || f.restore));
    const lossWhy = loss?.loss?.why ?? loss?.restore?.why ?? (o.failovers.some((f) => f.rootLost) ? "no promotion: writes wait for the writer (nothing lost unless it never returns)" : "the writer is not lost");
    const known = (e: Expr) => unknownsOf(e).length === 0;
    const restoreLoss = lazily(() => (loss?.restore && known(loss.restore.lossSeconds) ? sample((pick) => evaluate(loss.restore?.lossSeconds as Expr, pick), "high", DISPLAY_SAMPLES) : null));
    const typical = lazily(() => (loss?.loss ? statOfQuantity(loss.loss.typical) : restoreLoss()));
    const worst = lazily(() => (loss?.loss ? statOfQuantity(loss.loss.worst) : restoreLoss()));
    return {
        domain: o.domain.id,
        kind: o.domain.kind,
        label: o.domain.label,
        service: ctx.svc.name,
        reads: pathOutcome(o.reads, o.domain.outage),
        writes: pathOutcome(o.writes, o.domain.outage),
        dataLoss: {
            get typicalSeconds() {
                return typical();
            },
            get worstSeconds() {
                return worst();
            },
            why: lossWhy,
        },
        timeline: o.steps.map((s) => timelineStep(s)),
        failback: o.failback,
        notes: [...o.notes, ...(o.unknowns.length > 0 ? [`unknown at preview: ${o.unknowns.join("; ")}`] : [])],
    };
}

function statOfQuantity(x: Quantity): Stat {
    return sample((pick) => pick(x), "high", DISPLAY_SAMPLES);
}

function timelineStep(s: Step): TimelineStep {
    const at = lazily(() => (s.at && unknownsOf(s.at).length === 0 && !isNever(s.at) ? sample((pick) => evaluate(s.at as Expr, pick), "high", DISPLAY_SAMPLES) : null));
    return {
        get at() {
            return at();
        },
        event: s.event,
    };
}

function pathOutcome(segments: readonly Segment[], outage: Quantity): PathOutcome {
    const live = segments.filter((s) => !s.afterRecovery);
    const after = segments.filter((s) => s.afterRecovery);
    const why = [...new Set(segments.map((s) => s.why))].join("; ");
    if (live.length === 0) return { outcome: "unaffected", share: 0, afterSeconds: null, manual: false, why: after.length > 0 ? why : "" };
    const share = live.reduce((a, s) => a + (typeof s.share === "number" ? s.share : evaluate(s.share, atPoint("likely"))), 0);
    const manual = live.some((s) => s.manual === true);
    if (live.some((s) => isNever(s.end))) return { outcome: "until-recovery", share, afterSeconds: null, manual, why };
    const end = recoveryTime(live, outage) as Expr;
    if (unknownsOf(end).length > 0) return { outcome: "recovers", share, afterSeconds: null, manual, why: `${why} (time unknown at preview: ${unknownsOf(end).join("; ")})` };
    const recovered = lazily(() => sample((pick) => evaluate(end, pick), "high", ROW_SAMPLES));
    return {
        outcome: "recovers",
        share,
        get afterSeconds() {
            return recovered();
        },
        manual,
        why,
    };
}

// ---------------------------------------------------------------------------------------------
// Automation, fixes, SLA upper bound
// ---------------------------------------------------------------------------------------------

/** Every automation that acts on the service's data or standbys: one entry per function and trigger. */
function automationOf(ctx: ServiceContext): ServiceEstimate["automation"][number][] {
    const found = new Map<string, ServiceEstimate["automation"][number]>();
    for (const so of ctx.scaleOuts.values()) found.set(`${so.info.function.urn}|${so.info.trigger}`, so.info);
    for (const g of ctx.groups) {
        const cutover = g.members.some((m) => m.replication === "dms-cdc");
        for (const f of ctx.functions.about(g.about)) {
            const promote = mayDo(f, ["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster", "rds:PromoteReadReplica", "rds:PromoteReadReplicaDBCluster"], g.about);
            const cut = cutover ? mayDo(f, ["dms:StopReplicationTask", "dms:ModifyReplicationTask", "dms:DeleteReplicationTask"], g.about) : { ok: false, evidence: "" };
            if (!promote.ok && !cut.ok) continue;
            for (const t of f.triggers) {
                found.set(`${f.fn.urn}|${t.description}`, {
                    ...automationInfo(f, t, promote.ok ? "promotion" : "cutover", promote.ok ? promote.evidence : cut.evidence),
                    target: { name: g.root.name, urn: g.root.urn, cloud: g.root.cloud, region: g.root.region },
                });
            }
        }
    }
    return [...found.values()];
}

function fixesOf(ctx: ServiceContext, outcomes: readonly Outcome[]): string[] {
    const fixes: string[] = [];
    for (const s of ctx.svc.sites) {
        if (s.share > 0 && s.wiring.canWrite === false) fixes.push(`${s.key}: writes fail (${s.wiring.why}): give its app a writer-capable endpoint (DATABASE_WRITER_HOST from the global writer endpoint, or a write-forwarding secondary)`);
        if (s.compute.capacity === 0 && !ctx.scaleOuts.has(s.key)) fixes.push(`${s.key}: a pilot light that nothing scales out never takes traffic: add a function in ${s.region} allowed ecs:UpdateService on it, started by a schedule or alarm that survives the primary's region`);
    }
    for (const o of outcomes) {
        for (const fo of o.failovers) {
            if (!fo.rootLost || !fo.target || !fo.manual) continue;
            if (o.domain.kind !== "region" && o.domain.kind !== "writer") continue;
            const lostTrigger = fo.missed.find((m) => m.includes("lost with"));
            if (lostTrigger) fixes.push(`${fo.group.root.name}: ${lostTrigger}: start the ${fo.target.replication === "dms-cdc" ? "cut-over" : "promotion"} from a region other than ${fo.group.root.region} (an EventBridge schedule probing the writer database)`);
            else if (fo.target.replication === "dms-cdc") fixes.push(`${fo.group.root.name}: nothing automates the cut-over to ${fo.target.name} (DMS): it is a manual step (15-60 min); automate it or replicate with a managed replica`);
            else fixes.push(`${fo.group.root.name}: nothing starts the promotion of ${fo.target.name} when ${o.domain.label} is lost: automate it from another region`);
        }
        for (const f of o.failback) fixes.push(`${f.site}: DNS sends traffic back to it on its own after a data failover, onto a database that is no longer the writer: pin traffic to the new writer's site (contract C4), or write through the global writer endpoint`);
    }
    for (const s of ctx.svc.sites) if (!s.move.detection && ctx.svc.sites.length > 1) fixes.push(`${s.key}: ${s.move.why}: add a health check to its record`);
    const allAtOnce = ctx.svc.sites.filter((s) => s.share > 0 && s.release.exposure >= 1);
    if (allAtOnce.length > 0) {
        const how = [...new Set(allAtOnce.map((s) => s.release.how.split(":")[0]))].join(", ");
        fixes.push(`${allAtOnce.map((s) => s.key).join(", ")}: a release reaches every request at once (${how}): stage it through a canary share first, so a bad release fails a few percent of requests until it is switched back`);
    }
    if (ctx.svc.sites.length === 1) fixes.push(`${ctx.svc.name} runs in one site: add a second site with DNS failover`);
    return [...new Set(fixes)];
}

function siteSla(s: SiteModel): number | null {
    const factors = [...s.pathFactors, ...s.dataStores.filter((d) => d.kind !== "statefulset" && d.kind !== "cnpg").map((d): Term => (d.sla ? { metric: "availability", kind: "sla", name: d.name, value: sla(d.sla).sla, formula: "", source: "" } : { metric: "availability", kind: "sla", name: d.name, formula: "", source: "", unknown: true }))];
    return factors.every((f) => !f.unknown) ? factors.reduce((p, f) => p * (f.value as number), 1) : null;
}

/** The old estimate: DNS SLA x (1 - product of (1 - site SLAs in series)). Sites never fail together in it and failover takes no time: an upper bound. */
function slaUpperBound(svc: ServiceModel): { availability: number | null; formula: string } {
    const found = svc.sites.map(siteSla);
    if (svc.sites.length === 0 || found.some((v) => v === null)) return { availability: null, formula: "a site's SLA factor is unknown" };
    const values = found as number[];
    const dns = svc.dns ? sla(svc.dns).sla : 1;
    const total = dns * (1 - values.reduce((p, v) => p * (1 - v), 1));
    return {
        availability: total,
        formula: `DNS ${dns} x (1 - ${values.map((v) => `(1 - ${Number(v.toPrecision(10))})`).join(" x ")}): SLAs taken as availabilities, sites failing independently, failover instant: an upper bound, not an estimate`,
    };
}

