// What happens to one service when one failure domain is lost, walked through its resources: which
// sites and stores are lost, whether DNS moves clients (detection + aggregation + TTL + client
// caching) to a site that can serve (running tasks, or a scale-out that survives), whether and when
// a replica takes writes (a trigger that survives the loss, else people), what the apps of each
// site can then read and write (their database wiring), and what is lost. The result is a set of
// impairment segments per kind of request (a share of requests failing from a start to an end, in
// seconds after the loss), evaluated later at points or by Monte Carlo against the outage's length.
import { automationInfo, FunctionIndex, mayDo, placesOf, Trigger } from "./automation";
import { allows } from "./iam";
import { quantity } from "./data";
import { route53HealthCheckDetection, ServiceModel, SiteModel, targetGroupsOf } from "./discover";
import { contains, containsPlace, DEFAULT_ZONES, Domain, Place } from "./domains";
import { c, Expr, isNever, isZero, max, min, mul, NEVER, q, Quantity, sum, unknownsOf, ZERO } from "./quantity";
import { registryPlace } from "./releases";
import { hostOfCluster, Tree } from "./tree";
import { AutomationInfo, DataStoreInfo, ReplicationKind } from "./types";

/** A share of requests failing from `start` (default 0) until `end`, in seconds after the loss. */
export interface Segment {
    /** A fraction, or an expression (a bad release's failing share). */
    readonly share: number | Expr;
    readonly start?: Expr;
    /** NEVER: until the domain recovers. */
    readonly end: Expr;
    /** Counted after the domain recovers (failback onto a demoted database), for `end` seconds, if `onlyIf` < outage. */
    readonly afterRecovery?: boolean;
    readonly onlyIf?: Expr;
    readonly manual?: boolean;
    readonly why: string;
}

export interface DataGroup {
    readonly root: DataStoreInfo;
    readonly members: readonly DataStoreInfo[];
    /** URN of the Aurora global cluster, if the group is one. */
    readonly global?: string;
    /** Everything automation acting on the group may be built from. */
    readonly about: readonly string[];
}

export interface DataFailover {
    readonly group: DataGroup;
    readonly rootLost: boolean;
    /** The replica that takes writes, when one survives. */
    readonly target?: DataStoreInfo;
    /** Seconds until it takes writes (min of automation and people). */
    readonly time?: Expr;
    /** When the automation starts the promotion (its trigger fires), if automated. */
    readonly startedAt?: Expr;
    readonly manual: boolean;
    readonly automation?: AutomationInfo;
    /** Triggers that exist but do not survive or do not fire in this domain, with why. */
    readonly missed: readonly string[];
    readonly steps: readonly Step[];
    /** Seconds of writes lost: typical and worst, when the promotion happens before the outage ends. */
    readonly loss?: { readonly typical: Quantity; readonly worst: Quantity; readonly why: string };
    /** No replica survives: a restore from an off-site backup is the way back. */
    readonly restore?: { readonly time: Expr; readonly lossSeconds: Expr; readonly why: string };
}

export interface Step {
    /** Seconds after the loss; undefined: when the domain recovers. */
    readonly at?: Expr;
    readonly event: string;
}

export interface Outcome {
    readonly domain: Domain;
    readonly reads: readonly Segment[];
    readonly writes: readonly Segment[];
    readonly failovers: readonly DataFailover[];
    readonly steps: readonly Step[];
    readonly notes: readonly string[];
    readonly unknowns: readonly string[];
    /** Sites lost with the domain. */
    readonly lost: readonly string[];
    readonly failback: readonly { readonly site: string; readonly recordUrn?: string; readonly why: string }[];
}

export interface ScaleOut {
    readonly info: AutomationInfo;
    readonly time: Expr;
    readonly places: readonly string[];
}

/** Everything about a service the scenarios share, computed once. */
export interface ServiceContext {
    readonly tree: Tree;
    readonly svc: ServiceModel;
    readonly groups: readonly DataGroup[];
    readonly functions: FunctionIndex;
    readonly scaleOuts: ReadonlyMap<string, ScaleOut>;
    /** Share of writes that fail with nothing lost (apps whose database host cannot take writes). */
    readonly steadyWriteFailure: { readonly share: number; readonly sites: readonly string[] };
}

const PROMOTE: Readonly<Record<ReplicationKind, { readonly timing: string; readonly actions: readonly string[]; readonly how: string; readonly lag: string }>> = {
    "aurora-global": { timing: "promote-aurora-global", actions: ["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"], how: "an Aurora global database failover", lag: "lag-aurora-global" },
    "aurora-cross-region": { timing: "promote-rds-read-replica", actions: ["rds:PromoteReadReplicaDBCluster"], how: "the promotion of the cross-region replica cluster", lag: "lag-rds-cross-region" },
    "rds-read-replica": { timing: "promote-rds-read-replica", actions: ["rds:PromoteReadReplica"], how: "the promotion of the read replica", lag: "lag-rds-cross-region" },
    "cloud-sql-replica": { timing: "promote-cloud-sql-replica", actions: ["cloudsql.instances.promoteReplica"], how: "the promotion of the Cloud SQL replica", lag: "lag-cloud-sql-cross-region" },
    "dms-cdc": { timing: "cutover-dms-cdc", actions: ["dms:StopReplicationTask", "dms:ModifyReplicationTask", "dms:DeleteReplicationTask"], how: "the CDC cut-over (stop the DMS task, point writers at the target)", lag: "lag-dms-cdc" },
    "gcp-dms-cdc": { timing: "promote-gcp-dms", actions: ["datamigration.migrationjobs.promote"], how: "the promotion of the migration job", lag: "lag-gcp-dms" },
    streaming: { timing: "promote-streaming-standby", actions: [], how: "the promotion of the streaming standby", lag: "lag-streaming" },
    "cnpg-replica": { timing: "promote-streaming-standby", actions: [], how: "the promotion of the CloudNativePG replica cluster (spec.replica.enabled: false)", lag: "lag-streaming" },
};

/** Which replica kinds take writes first when several survive: managed failover before promotion before cut-over. */
const PREFERENCE: readonly ReplicationKind[] = ["aurora-global", "aurora-cross-region", "rds-read-replica", "cloud-sql-replica", "cnpg-replica", "streaming", "gcp-dms-cdc", "dms-cdc"];

export function sitePlace(s: SiteModel): Place {
    return { cloud: s.cloud, region: s.region, host: s.cloud === "kubernetes" ? hostOfCluster(s.region) : undefined };
}

export function storePlace(d: DataStoreInfo): Place {
    return { cloud: d.cloud, region: d.region, host: d.cloud === "kubernetes" ? hostOfCluster(d.region) : undefined };
}

function siteLost(s: SiteModel, d: Domain): boolean {
    return contains(d, sitePlace(s));
}

function storeLost(st: DataStoreInfo, d: Domain): boolean {
    return d.kind === "writer" ? d.store === st.urn : contains(d, storePlace(st));
}

function survives(places: readonly string[], d: Domain): boolean {
    return !places.some((p) => containsPlace(d, p));
}

// ---------------------------------------------------------------------------------------------
// The context of a service
// ---------------------------------------------------------------------------------------------

/** The data stores of a plan indexed once: each store's writer (root), each root's copies, each global cluster's members. */
export class StoreIndex {
    private readonly roots = new Map<string, DataStoreInfo>();
    private readonly members = new Map<string, DataStoreInfo[]>();
    private readonly globals = new Map<string, DataStoreInfo[]>();

    constructor(readonly stores: ReadonlyMap<string, DataStoreInfo>) {
        for (const d of stores.values()) {
            const root = this.rootOf(d);
            const list = this.members.get(root.urn);
            if (list) list.push(d);
            else this.members.set(root.urn, [d]);
            if (d.globalCluster) this.globals.set(d.globalCluster, [...(this.globals.get(d.globalCluster) ?? []), d]);
        }
    }

    rootOf(d: DataStoreInfo): DataStoreInfo {
        const known = this.roots.get(d.urn);
        if (known) return known;
        let cur = d;
        for (let i = 0; i < 10 && cur.replicaOf !== undefined; i++) {
            const up = this.stores.get(cur.replicaOf);
            if (!up) break;
            cur = up;
        }
        this.roots.set(d.urn, cur);
        return cur;
    }

    membersOf(root: DataStoreInfo): readonly DataStoreInfo[] {
        return this.members.get(root.urn) ?? [root];
    }

    ofGlobal(urn: string): readonly DataStoreInfo[] {
        return this.globals.get(urn) ?? [];
    }
}

export function serviceContext(tree: Tree, svc: ServiceModel, stores: StoreIndex, functions: FunctionIndex): ServiceContext {
    const groups = dataGroups(tree, svc, stores);
    const scaleOuts = new Map<string, ScaleOut>();
    for (const s of svc.sites) {
        const found = findScaleOut(tree, s, functions);
        if (found) scaleOuts.set(s.key, found);
    }
    const failing = svc.sites.filter((s) => s.share > 0 && s.wiring.canWrite === false);
    return { tree, svc, groups, functions, scaleOuts, steadyWriteFailure: { share: failing.reduce((a, s) => a + s.share, 0), sites: failing.map((s) => s.key) } };
}

/** The data groups of a service: each writer with the stores replicated from it. */
function dataGroups(tree: Tree, svc: ServiceModel, index: StoreIndex): DataGroup[] {
    const seeds = new Set<DataStoreInfo>();
    for (const s of svc.sites) {
        s.dataStores.forEach((d) => seeds.add(d));
        for (const t of s.wiring.targets) {
            const store = t.store ? index.stores.get(t.store) : undefined;
            if (store) seeds.add(store);
            if (t.kind === "global-endpoint") index.ofGlobal(t.urn).forEach((d) => seeds.add(d));
        }
    }
    const roots = new Map<string, DataStoreInfo>();
    for (const d of seeds) roots.set(index.rootOf(d).urn, index.rootOf(d));
    return [...roots.values()].map((root) => {
        const ms = index.membersOf(root);
        const global = ms.find((m) => m.globalCluster !== undefined)?.globalCluster;
        const about = new Set<string>([...ms.map((m) => m.urn), ...(global ? [global] : [])]);
        // Automation acting on a CDC target is built from its DMS task or endpoints.
        for (const m of ms) {
            if (m.replication !== "dms-cdc") continue;
            for (const user of tree.dependents(m.urn)) {
                if (user.type !== "aws:dms/endpoint:Endpoint") continue;
                about.add(user.urn);
                for (const task of tree.dependents(user.urn)) if (task.type === "aws:dms/replicationTask:ReplicationTask") about.add(task.urn);
            }
        }
        for (const m of ms) for (const inst of tree.dependents(m.urn)) if (inst.type === "aws:rds/clusterInstance:ClusterInstance") about.add(inst.urn);
        return { root, members: ms, global, about: [...about] };
    });
}

/** A pilot light's scale-out (contract C3): a function allowed to scale the site's ECS services, and started by something. */
function findScaleOut(tree: Tree, s: SiteModel, functions: FunctionIndex): ScaleOut | undefined {
    if (s.compute.kind !== "ecs-fargate" && s.compute.kind !== "ecs-ec2") return undefined;
    const targets = s.compute.resources.flatMap((svc) => [svc.urn, ...tree.dependents(svc.urn).filter((t) => t.type === "aws:appautoscaling/target:Target").map((t) => t.urn)]);
    let best: ScaleOut | undefined;
    for (const f of functions.about(targets)) {
        const may = mayDo(f, ["ecs:UpdateService", "application-autoscaling:RegisterScalableTarget"], targets);
        if (!may.ok) continue;
        for (const t of f.triggers) {
            const start = quantity(`start-${s.compute.kind}`, `start tasks (${s.compute.kind})`);
            const time = sum(triggerTime(tree, t), q(start));
            const info = { ...automationInfo(f, t, "scale-out", may.evidence), target: { name: s.key, cloud: s.cloud, region: s.region } };
            if (!best) best = { info, time, places: placesOf(f, t) };
        }
    }
    return best;
}

function triggerTime(tree: Tree, t: Trigger): Expr {
    if (t.kind === "alarm" && t.watchedCheck) {
        const d = route53HealthCheckDetection(tree, t.watchedCheck);
        return sum(d.expr ?? NEVER, t.time);
    }
    return t.time;
}

// ---------------------------------------------------------------------------------------------
// Data failover
// ---------------------------------------------------------------------------------------------

/** What happens to a group's writes when `d` is lost. */
export function dataFailover(ctx: ServiceContext, g: DataGroup, d: Domain): DataFailover {
    const rootLost = storeLost(g.root, d);
    if (!rootLost) return { group: g, rootLost, manual: false, missed: [], steps: [] };
    const holder = ctx.svc.sites.find((s) => s.dataStores.some((x) => x.urn === g.root.urn));
    // The nearest surviving copies: a replica whose source survives is not a successor (it follows that source).
    const byUrn = new Map(g.members.map((m) => [m.urn, m]));
    const candidates = g.members.filter((m) => {
        if (m.urn === g.root.urn || m.replication === undefined || storeLost(m, d)) return false;
        for (let up = m.replicaOf ? byUrn.get(m.replicaOf) : undefined, i = 0; up && up.urn !== g.root.urn && i < 10; up = up.replicaOf ? byUrn.get(up.replicaOf) : undefined, i++) {
            if (!storeLost(up, d)) return false;
        }
        return true;
    });
    if (candidates.length === 0) return noSuccessor(g, d);
    // A copy that only read-only-by-design sites read (their writes go to another site) is no successor:
    // promoting it would change nothing for writes, which wait for the writer to return.
    const survivors = ctx.svc.sites.filter((s) => !siteLost(s, d));
    const readOnlyCopy = (m: DataStoreInfo) =>
        survivors.some((s) => s.wiring.readOnly && s.wiring.targets.some((t) => t.store === m.urn)) &&
        !survivors.some((s) => !s.wiring.readOnly && s.wiring.targets.some((t) => t.store === m.urn || (t.kind === "global-endpoint" && t.urn === g.global) || t.kind === "dns-record"));
    const successors = candidates.filter((m) => !readOnlyCopy(m));
    if (successors.length === 0) {
        const copies = candidates.map((m) => m.name).join(", ");
        return {
            group: g,
            rootLost,
            manual: true,
            missed: [],
            steps: [{ event: `${copies} survive${candidates.length === 1 ? "s" : ""}, but only sites that are read-only by design read ${candidates.length === 1 ? "it" : "them"}: no app writes there, so writes wait for ${g.root.name} to return (nothing is promoted, nothing lost)` }],
        };
    }
    const missed: string[] = [];
    let best: { target: DataStoreInfo; time: Expr; automation: AutomationInfo; trigger: Expr; evidence: string } | undefined;
    const ranked = [...successors].sort((a, b) => PREFERENCE.indexOf(a.replication as ReplicationKind) - PREFERENCE.indexOf(b.replication as ReplicationKind));
    for (const m of ranked) {
        const kind = PROMOTE[m.replication as ReplicationKind];
        for (const f of ctx.functions.about(g.about)) {
            const may = mayDo(f, kind.actions, g.about);
            if (!may.ok || kind.actions.length === 0) continue;
            // A function in the region of one candidate acts on that one (the target it is deployed beside).
            if (successors.length > 1 && f.region !== m.region && successors.some((o) => o !== m && o.region === f.region)) continue;
            if (f.triggers.length === 0) missed.push(`${f.fn.name} may run ${kind.how} but nothing starts it (${f.inactive.join("; ") || "no schedule, alarm or subscription"})`);
            for (const t of f.triggers) {
                const places = placesOf(f, t);
                const info = { ...automationInfo(f, t, m.replication === "dms-cdc" ? "cutover" : "promotion", may.evidence), target: { name: g.root.name, urn: g.root.urn, cloud: g.root.cloud, region: g.root.region } };
                if (!survives(places, d)) {
                    missed.push(`${f.fn.name}'s trigger (${t.description}) runs in ${places.filter((p) => containsPlace(d, p)).join(", ")}, lost with ${d.label}: the ${m.replication === "dms-cdc" ? "cut-over" : "promotion"} it would start does not happen`);
                    continue;
                }
                const fires = firesIn(ctx, t, d, holder);
                if (!fires.ok) {
                    missed.push(`${f.fn.name}'s trigger (${t.description}) ${fires.why}`);
                    continue;
                }
                const trigger = triggerTime(ctx.tree, t);
                const time = sum(trigger, q(quantity(kind.timing, `${kind.how}`)), q(quantity("db-reconnect", "apps reconnect to the new writer")));
                if (!best) best = { target: m, time, automation: info, trigger, evidence: may.evidence };
            }
        }
        if (best) break;
    }
    const target = best?.target ?? ranked[0];
    const kind = PROMOTE[target.replication as ReplicationKind];
    const promotion = q(quantity(kind.timing, kind.how));
    const reconnect = q(quantity("db-reconnect", "apps reconnect to the new writer"));
    const people = sum(q(quantity("manual-failover", "people: paged, confirm, run the runbook")), promotion, reconnect);
    const time = best ? min(best.time, people) : people;
    const steps: Step[] = best
        ? [
              { at: best.trigger, event: `${best.automation.function.name} starts ${kind.how} (${best.automation.trigger})` },
              { at: sum(best.trigger, promotion), event: `${target.name} in ${target.region} takes writes` },
              { at: best.time, event: "apps reconnected to the new writer" },
          ]
        : [
              { at: q(quantity("manual-failover", "people: paged, confirm, run the runbook")), event: `people start ${kind.how} by hand: ${missed.length > 0 ? missed.join("; ") : "nothing in the graph starts it"}` },
              { at: people, event: `${target.name} in ${target.region} takes writes; apps reconnected` },
          ];
    const lag = quantity(kind.lag, `replication lag ${g.root.name} -> ${target.name} (typical)`);
    const worst = quantity(`${kind.lag}-worst`, `replication lag ${g.root.name} -> ${target.name} (tail)`);
    return {
        group: g,
        rootLost,
        target,
        time,
        startedAt: best?.trigger,
        manual: !best,
        automation: best?.automation,
        missed,
        steps,
        loss: { typical: lag, worst, why: `${kind.how} discards the writes ${target.name} had not received (asynchronous ${target.replication})` },
    };
}

/** Whether a trigger notices this loss: what it probes must fail with the domain. */
function firesIn(ctx: ServiceContext, t: Trigger, d: Domain, holder: SiteModel | undefined): { ok: boolean; why: string } {
    if (d.kind === "writer") {
        if (t.probes === "database") return { ok: true, why: "" };
        return {
            ok: false,
            why:
                t.probes === "health-check"
                    ? "watches a site's health check, which probes the app, not the database: losing only the writer does not fire it"
                    : "does not probe the database: losing only the writer does not fire it",
        };
    }
    if (t.kind === "alarm" && t.watchedCheck && holder?.healthCheck?.urn && t.watchedCheck.urn !== holder.healthCheck.urn) {
        return { ok: false, why: `watches ${t.watchedCheck.name}, not the health check of ${holder.key}` };
    }
    return { ok: true, why: "" };
}

function noSuccessor(g: DataGroup, d: Domain): DataFailover {
    const offSite = g.root.backups.filter((b) => b.offSite === true && b.intervalSeconds !== undefined);
    if (offSite.length === 0) {
        return { group: g, rootLost: true, manual: true, missed: [], steps: [{ event: `${g.root.name} has no replica and no off-site backup outside ${d.label}: writes wait for it to come back` }] };
    }
    const b = offSite.reduce((a, x) => ((x.intervalSeconds as number) < (a.intervalSeconds as number) ? x : a));
    const restore = q(quantity("manual-restore", "rebuild from backups elsewhere (people)"));
    const copy = b.kind === "aws-backup" ? q(quantity("copy-aws-backup-cross-region", "cross-region copy of the backup")) : ZERO;
    return {
        group: g,
        rootLost: true,
        manual: true,
        missed: [],
        steps: [{ at: restore, event: `people restore ${g.root.name} from ${b.name} (${b.copyLocation ?? "off-site"}) elsewhere, if the outage lasts longer` }],
        restore: { time: restore, lossSeconds: sum(c(b.intervalSeconds as number), copy), why: `restore from ${b.name} loses the writes since the last backup (up to ${b.intervalSeconds} s) and its copy time` },
    };
}

// ---------------------------------------------------------------------------------------------
// Reads and writes of each site
// ---------------------------------------------------------------------------------------------

interface Ready {
    /** Seconds until this site can serve this kind of request; NEVER: not before the domain recovers. */
    readonly end: Expr;
    readonly manual: boolean;
    readonly why: string;
}

const READY: Ready = { end: ZERO, manual: false, why: "" };

function groupOf(ctx: ServiceContext, storeUrn: string | undefined): DataGroup | undefined {
    return storeUrn ? ctx.groups.find((g) => g.members.some((m) => m.urn === storeUrn)) : undefined;
}

function earliest(options: readonly Ready[]): Ready {
    if (options.length === 0) return READY;
    const ready = options.find((o) => isZero(o.end));
    if (ready) return ready;
    const finite = options.filter((o) => !isNever(o.end));
    if (finite.length === 0) return options[0];
    return { end: min(...finite.map((o) => o.end)), manual: finite.every((o) => o.manual), why: finite.map((o) => o.why).join("; or ") };
}

/** When site `s` (alive) can write again, given the data failovers of this domain. */
function writeReady(ctx: ServiceContext, s: SiteModel, d: Domain, fos: ReadonlyMap<DataGroup, DataFailover>, depth = 0): Ready {
    // Read-only by design: writes go to the sites it routes them to (their load balancers).
    const routes = s.wiring.readOnly ? (s.wiring.routes ?? []) : [];
    const routed = routes.map((urn) => ctx.svc.sites.find((x) => x !== s && x.entry?.urn === urn)).filter((x): x is SiteModel => x !== undefined);
    if (routed.length > 0 && depth < 2) {
        const via = (t: SiteModel): Ready => {
            const r = writeReady(ctx, t, d, fos, depth + 1);
            return isZero(r.end) ? READY : { ...r, why: `its writes are sent to ${t.key}: ${r.why}` };
        };
        if (s.wiring.routedBy === "dns-failover") {
            // A failover DNS name answers with its first site while that one's check passes, then the next.
            const [first, ...rest] = routed;
            if (!siteLost(first, d)) return via(first);
            const move = traffic(first);
            const next = rest.filter((t) => !siteLost(t, d));
            if (!move || next.length === 0) return { end: NEVER, manual: false, why: `its writes are sent to ${first.key}, lost with ${d.label}, and ${move ? "no other site of the write route survives" : "nothing moves the write route off it"}` };
            return earliest(
                next.map((t): Ready => {
                    const r = writeReady(ctx, t, d, fos, depth + 1);
                    return { end: max(move, r.end), manual: r.manual, why: `the write route's DNS name moves from ${first.key} to ${t.key}${isZero(r.end) ? "" : `: ${r.why}`}` };
                }),
            );
        }
        return earliest(routed.map((t): Ready => (siteLost(t, d) ? { end: NEVER, manual: false, why: `its writes are sent to ${t.key}'s load balancer, lost with ${d.label}` } : via(t))));
    }
    if (s.wiring.targets.length === 0 || (s.wiring.readOnly && s.wiring.canWrite === "unknown")) {
        // No wiring visible: the app is taken to write to the service's (first) writer, wherever it is.
        const fo = ctx.groups[0] ? fos.get(ctx.groups[0]) : undefined;
        if (!fo?.rootLost) return READY;
        return fo.time ? { end: fo.time, manual: fo.manual, why: `${fo.target?.name} takes writes (the app's database host is not visible: taken to follow the writer)` } : { end: NEVER, manual: false, why: `no copy of ${fo.group.root.name} survives` };
    }
    const targets = s.wiring.targets;
    return earliest(
        targets.map((t): Ready => {
            if (t.kind === "global-endpoint" || t.kind === "dns-record" || t.kind === "write-forwarding" || (t.kind === "writer" && t.store === undefined)) {
                const g = t.kind === "global-endpoint" ? ctx.groups.find((x) => x.global === t.urn) : groupOf(ctx, t.store);
                const fo = g ? fos.get(g) : undefined;
                if (t.kind === "write-forwarding" && t.store && storeLostById(ctx, t.store, d)) return { end: NEVER, manual: false, why: `${t.name} is lost` };
                if (t.kind === "dns-record" && !dnsFollows(ctx, t.urn, d)) return followsNothing(ctx, t.store, d, fos, t.name);
                if (!fo || !fo.rootLost) return READY;
                return fo.time ? { end: fo.time, manual: fo.manual, why: `${t.name} follows the new writer` } : { end: NEVER, manual: false, why: `no replica of ${fo.group.root.name} survives` };
            }
            if (t.kind === "writer") return followsNothing(ctx, t.store, d, fos, t.name);
            // A read-only replica or a CDC target: writes fail unless this very store takes over.
            const g = groupOf(ctx, t.store);
            const promoted = g ? fos.get(g) : undefined;
            if (promoted?.time && promoted.target?.urn === t.store) return { end: promoted.time, manual: promoted.manual, why: `${t.name} is promoted` };
            return { end: NEVER, manual: false, why: t.kind === "replica" ? `${t.name} is a read-only replica` : `${t.name} is a change-data-capture target` };
        }),
    );
}

/** An app pinned to one store's own endpoint: fine while it lives; after its loss, only people repoint it. */
function followsNothing(ctx: ServiceContext, store: string | undefined, d: Domain, fos: ReadonlyMap<DataGroup, DataFailover>, name: string): Ready {
    if (!store || !storeLostById(ctx, store, d)) return READY;
    const g = groupOf(ctx, store);
    const fo = g ? fos.get(g) : undefined;
    return { end: NEVER, manual: false, why: `its database host is ${name}'s own endpoint, lost; ${fo?.target ? `${fo.target.name} takes writes but nothing repoints this app` : "nothing takes over"}` };
}

function storeLostById(ctx: ServiceContext, urn: string, d: Domain): boolean {
    for (const g of ctx.groups) for (const m of g.members) if (m.urn === urn) return storeLost(m, d);
    return false;
}

/** A DNS record the app connects through follows the failover only when automation may change it (Route 53 control plane: us-east-1). */
function dnsFollows(ctx: ServiceContext, recordUrn: string, d: Domain): boolean {
    return ctx.functions.about([recordUrn]).some((f) => mayDo(f, ["route53:ChangeResourceRecordSets"], [recordUrn]).ok && f.triggers.some((t) => survives([...placesOf(f, t), "aws/us-east-1"], d)));
}

/**
 * What keeps traffic away from a site after a data failover (contract C4): a function allowed
 * route53:UpdateHealthCheck (or an ARC routing control) on the site's health check, read from a known
 * policy, or whose environment names that check in a variable that says it pins (PIN, FAILBACK,
 * FENCE, HOME_HEALTH_CHECK: the check of the writer's home site, which the automation inverts). A
 * policy unknown at preview that merely references the check is not enough: the same reference
 * serves a read-only status check (nonstop's first GlobalDatabaseFailover, WRITER_HEALTH_CHECK_ID).
 */
export function findPin(ctx: ServiceContext, s: SiteModel): string | undefined {
    const check = s.healthCheck?.urn;
    if (!check) return undefined;
    for (const f of ctx.functions.about([check])) {
        const known = ["route53:UpdateHealthCheck", "route53-recovery-cluster:UpdateRoutingControlState", "route53-recovery-cluster:UpdateRoutingControlStates"].filter((a) => allows(f.permissions.actions, a));
        if (known.length > 0 && f.about.has(check)) return `${f.fn.name} (its role allows ${known.join(", ")})`;
        const vars = f.fn.props.environment;
        const names = vars && typeof vars === "object" ? Object.keys(((vars as Record<string, unknown>).variables as Record<string, unknown>) ?? {}) : [];
        const named = names.filter((n) => /PIN|FAILBACK|FENCE|HOME_HEALTH_CHECK/i.test(n));
        if (named.length > 0 && (f.fn.propertyDependencies.environment ?? []).includes(check)) return `${f.fn.name} (environment ${named.join(", ")} names ${s.healthCheck?.name})`;
    }
    return undefined;
}

/** The promotion of the group holding site `s`'s own store, by automation that also pins `s` out of DNS (C4). */
function pinnedAfterPromotion(ctx: ServiceContext, s: SiteModel, fos: ReadonlyMap<DataGroup, DataFailover>): { at: Expr; by: string; when: string; manual: boolean } | undefined {
    const pin = findPin(ctx, s);
    if (!pin) return undefined;
    for (const fo of fos.values()) {
        if (!fo.rootLost || !fo.time || !s.dataStores.some((x) => x.urn === fo.group.root.urn)) continue;
        const by = pin.split(" (")[0];
        // The pin is the promoting function's next call once it has started the promotion (the same run).
        if (!fo.manual && fo.startedAt && fo.automation?.function.name === by) return { at: fo.startedAt, by, when: "as it starts the promotion", manual: false };
        // A promotion by people: the pinning function sees the moved writer on its next run.
        if (fo.manual) return { at: fo.time, by, when: "once people have promoted a copy", manual: true };
    }
    return undefined;
}

/** Reads of a pinned site after the pin: its check turns unhealthy, DNS moves its traffic to sites that can read. */
function pinnedMove(
    ctx: ServiceContext,
    s: SiteModel,
    pinned: { at: Expr; by: string; when: string; manual: boolean },
    survivors: readonly SiteModel[],
    d: Domain,
    fos: ReadonlyMap<DataGroup, DataFailover>,
    unknowns: string[],
): Ready | undefined {
    const move = traffic(s);
    if (!move) return undefined;
    const dest = destinations(ctx, s, survivors.filter((x) => x !== s), d, unknowns);
    if ("why" in dest || dest.length === 0) return undefined;
    const ends = dest.map((to) => max(sum(pinned.at, move), to.ready.end, readReady(ctx, to.site, d, fos).end));
    return { end: max(...ends), manual: pinned.manual, why: `its own database is lost; ${pinned.by} pins ${s.key} out of DNS ${pinned.when}, so its traffic moves to ${dest.map((x) => x.site.key).join(", ")}` };
}

/** When site `s` (alive) can read again. */
function readReady(ctx: ServiceContext, s: SiteModel, d: Domain, fos: ReadonlyMap<DataGroup, DataFailover>): Ready {
    if (s.dataStores.length > 0) {
        if (s.dataStores.some((x) => !storeLost(x, d))) return READY;
        return { end: NEVER, manual: false, why: `its data stores (${s.dataStores.map((x) => x.name).join(", ")}) are lost` };
    }
    const stores = s.wiring.targets.filter((t) => t.store !== undefined || t.kind === "global-endpoint");
    if (stores.length === 0) return READY;
    return earliest(
        stores.map((t): Ready => {
            if (t.kind === "global-endpoint") {
                const g = ctx.groups.find((x) => x.global === t.urn);
                const fo = g ? fos.get(g) : undefined;
                if (!fo?.rootLost) return READY;
                return fo.time ? { end: fo.time, manual: fo.manual, why: `reads through ${t.name} follow the new writer` } : { end: NEVER, manual: false, why: `${t.name}'s writer is lost` };
            }
            return storeLostById(ctx, t.store as string, d) ? { end: NEVER, manual: false, why: `${t.name} is lost` } : READY;
        }),
    );
}

/** When a surviving site can take traffic: now, after a scale-out, or not before the domain recovers. */
function capacityReady(ctx: ServiceContext, s: SiteModel, d: Domain, unknowns: string[]): Ready {
    const cap = s.compute.capacity;
    if (cap === null) unknowns.push(`capacity of ${s.key} (${s.compute.formula})`);
    if (cap === undefined || cap === null || cap > 0) return READY;
    const scale = ctx.scaleOuts.get(s.key);
    const byHand = (why: string): Ready => ({
        end: sum(q(quantity("manual-failover", "people: paged, confirm, run the runbook")), q(quantity(`start-${s.compute.kind ?? "ecs-fargate"}`, `start tasks in ${s.key}`))),
        manual: true,
        why,
    });
    if (!scale) return byHand(`${s.key} is a pilot light (${s.compute.formula}) and nothing scales it out: it never takes traffic on its own; people must start it`);
    if (!survives(scale.places, d)) return byHand(`${s.key}'s scale-out (${scale.info.function.name}) runs in a place lost with ${d.label}: people must start it`);
    const registries = s.registries.map(registryPlace).filter((p): p is string => p !== undefined);
    if (d.kind === "registry" && s.registries.includes(d.registry as string)) return { end: NEVER, manual: false, why: `${s.key}'s image registry ${d.registry} is down: no task can start` };
    if (!survives(registries, d)) return { end: NEVER, manual: false, why: `${s.key} pulls its image from a registry in a region lost with ${d.label}` };
    return { end: scale.time, manual: false, why: `${scale.info.function.name} scales ${s.key} out (${scale.info.trigger})` };
}

function traffic(s: SiteModel): Expr | undefined {
    const m = s.move;
    if (!m.detection || !m.ttl) return undefined;
    return sum(m.detection, q(m.ttl), q(quantity("dns-client-caching", "clients keeping the old answer past its TTL")));
}

/** Where a lost site's requests go, with the fraction each destination takes and when it is ready. */
function destinations(ctx: ServiceContext, lost: SiteModel, survivors: readonly SiteModel[], d: Domain, unknowns: string[]): { site: SiteModel; fraction: number; ready: Ready }[] | { why: string } {
    const move = traffic(lost);
    if (!move) return { why: lost.move.why ?? `nothing moves clients away from ${lost.key}` };
    const routing = ctx.svc.routing;
    const options = survivors.map((s) => ({ s, cap: capacityReady(ctx, s, d, unknowns) }));
    const usable = options.filter((o) => !isNever(o.cap.end));
    if (usable.length === 0) return { why: options.length === 0 ? "no other site" : options.map((o) => o.cap.why).join("; ") };
    const arrive = (o: { s: SiteModel; cap: Ready }): Ready => {
        // A standby whose check needs running tasks stays unhealthy (so unused) until they run and pass it.
        const routable = !isZero(o.cap.end) && o.s.checkNeedsTasks && o.s.move.detection ? sum(o.cap.end, o.s.move.detection) : o.cap.end;
        return { end: max(move, routable), manual: o.cap.manual, why: o.cap.why };
    };
    if (routing === "failover") {
        const next = usable.find((o) => o.s.role !== "primary") ?? usable[0];
        return [{ site: next.s, fraction: 1, ready: arrive(next) }];
    }
    const weights = usable.map((o) => (o.s.share > 0 ? o.s.share : 0));
    const total = weights.reduce((a, b) => a + b, 0);
    return usable.map((o, i) => ({ site: o.s, fraction: total > 0 ? weights[i] / total : 1 / usable.length, ready: arrive(o) }));
}

// ---------------------------------------------------------------------------------------------
// One domain
// ---------------------------------------------------------------------------------------------

export function outcome(ctx: ServiceContext, d: Domain): Outcome {
    switch (d.kind) {
        case "zone":
            return zoneOutcome(ctx, d);
        case "dns":
            return dnsOutcome(ctx, d);
        case "release":
            return releaseOutcome(ctx, d);
        default:
            return siteLossOutcome(ctx, d);
    }
}

function empty(d: Domain, notes: string[] = [], steps: Step[] = []): Outcome {
    return { domain: d, reads: [], writes: [], failovers: [], steps, notes, unknowns: [], lost: [], failback: [] };
}

/** Region, cloud, writer database and registry: sites and stores in the domain are lost. */
function siteLossOutcome(ctx: ServiceContext, d: Domain): Outcome {
    const sites = ctx.svc.sites;
    const lost = sites.filter((s) => siteLost(s, d));
    const survivors = sites.filter((s) => !lost.includes(s));
    const fos = new Map(ctx.groups.map((g) => [g, dataFailover(ctx, g, d)]));
    const notes: string[] = [];
    const unknowns: string[] = [];
    const steps: Step[] = [];
    const reads: Segment[] = [];
    const writes: Segment[] = [];
    const steadyFailing = (s: SiteModel) => s.wiring.canWrite === false;
    const failback: { site: string; recordUrn?: string; why: string }[] = [];

    if (lost.length > 0) steps.push({ at: ZERO, event: `${d.label} lost: ${lost.map((s) => s.key).join(", ")}${lost.length === sites.length ? " (every site)" : ""}` });
    for (const fo of fos.values()) if (fo.rootLost && lost.length === 0) steps.push({ at: ZERO, event: `${fo.group.root.name} (the writer) lost` });

    for (const s of lost) {
        const move = traffic(s);
        if (move && s.move.detection && s.move.ttl) {
            steps.push({ at: s.move.detection, event: `${s.healthCheck?.name ?? "the health check"} finds ${s.key} down; DNS stops answering with it` });
            steps.push({ at: sum(s.move.detection, q(s.move.ttl)), event: `resolvers drop ${s.key}'s answer (TTL)` });
            steps.push({ at: move, event: "clients that cache answers past the TTL follow" });
        }
        if (s.share === 0) continue;
        const dest = destinations(ctx, s, survivors, d, unknowns);
        if ("why" in dest) {
            // With no site left, people can rebuild elsewhere from an off-site backup (the restore is the data RTO).
            const restore = survivors.length === 0 ? [...fos.values()].find((fo) => fo.restore)?.restore : undefined;
            const why = restore
                ? `${s.key}'s requests fail until ${d.label} recovers or people rebuild the service elsewhere from backups (${restore.why}): ${dest.why}`
                : `${s.key}'s requests fail until ${d.label} recovers: ${dest.why}`;
            const end = restore ? restore.time : NEVER;
            reads.push({ share: s.share, end, manual: restore !== undefined, why });
            if (!steadyFailing(s)) writes.push({ share: s.share, end, manual: restore !== undefined, why });
            continue;
        }
        for (const to of dest) {
            const share = s.share * to.fraction;
            const rr = readReady(ctx, to.site, d, fos);
            reads.push({ share, end: max(to.ready.end, rr.end), manual: to.ready.manual || rr.manual, why: `${s.key} -> ${to.site.key}${to.ready.why ? ` (${to.ready.why})` : ""}${rr.why ? `; ${rr.why}` : ""}` });
            if (!isZero(to.ready.end) && !isNever(to.ready.end) && to.ready.why) steps.push({ at: to.ready.end, event: `${to.site.key} takes ${s.key}'s traffic (${to.ready.why})` });
            if (steadyFailing(s)) continue;
            const wr = writeReady(ctx, to.site, d, fos);
            writes.push({ share, end: max(to.ready.end, wr.end), manual: to.ready.manual || wr.manual, why: `${s.key} -> ${to.site.key}${wr.why ? `: ${wr.why}` : ""}` });
        }
    }
    for (const s of survivors) {
        if (s.share === 0) continue;
        let rr = readReady(ctx, s, d, fos);
        if (isNever(rr.end)) {
            // Its own database is lost but the site is up: the automation that promotes a copy also pins
            // the site out of DNS (contract C4), and its traffic moves to the other sites from then on.
            const pinned = pinnedAfterPromotion(ctx, s, fos);
            if (pinned) {
                const moved = pinnedMove(ctx, s, pinned, survivors, d, fos, unknowns);
                if (moved) {
                    rr = moved;
                    steps.push({ at: pinned.at, event: `${pinned.by} pins ${s.key} out of DNS ${pinned.when} (the site's own database is lost)` });
                }
            }
        }
        if (!isZero(rr.end)) reads.push({ share: s.share, end: rr.end, manual: rr.manual, why: `${s.key}: ${rr.why}` });
        if (steadyFailing(s)) continue;
        const wr = writeReady(ctx, s, d, fos);
        if (!isZero(wr.end)) writes.push({ share: s.share, end: wr.end, manual: wr.manual, why: `${s.key}: ${wr.why}` });
    }
    for (const fo of fos.values()) {
        if (!fo.rootLost) continue;
        steps.push(...fo.steps);
        for (const m of fo.missed) notes.push(m);
    }
    // After the domain recovers: traffic returns to the lost sites unless something pins it (contract C4);
    // writes through the old writer's own endpoint then fail (demoted) or land on stale data (one-way CDC).
    for (const s of lost) {
        if (s.share === 0 || !s.move.detection) continue;
        const pin = findPin(ctx, s);
        for (const t of s.wiring.targets) {
            if (t.kind !== "writer" || !t.store) continue;
            const g = groupOf(ctx, t.store);
            const fo = g ? fos.get(g) : undefined;
            if (!g || !fo?.rootLost || !fo.target || !fo.time || fo.group.root.urn !== t.store) continue;
            // An app that also connects through the group's global writer endpoint writes wherever it
            // points (the new writer): the old writer's own endpoint is only the value it falls back to.
            if (g.global && s.wiring.targets.some((x) => x.kind === "global-endpoint" && x.urn === g.global)) continue;
            const promoted = fo.target;
            // A one-way copy only diverges when some site wrote into it during the outage.
            const oneWayCopy = promoted.replication === "dms-cdc" || promoted.replication === "gcp-dms-cdc";
            if (oneWayCopy && !survivors.some((x) => !x.wiring.readOnly && x.wiring.targets.some((y) => y.store === promoted.urn))) continue;
            if (pin) {
                steps.push({ event: `when ${d.label} recovers, ${pin} keeps traffic on ${fo.target.name}'s site (no automatic failback)` });
                continue;
            }
            const oneWay = fo.target.replication === "dms-cdc" || fo.target.replication === "gcp-dms-cdc";
            const why = oneWay
                ? `when ${d.label} recovers, ${s.key} passes its health check again and DNS sends its traffic back (automatic failback): ${t.name} never received the writes ${fo.target.name} took meanwhile (one-way change data capture), so the two copies diverge until people stop and reconcile them`
                : `when ${d.label} recovers, ${s.key} passes its health check again and DNS sends its traffic back (automatic failback): its app writes to ${t.name}, which is no longer the writer (${fo.target.name} is): writes fail until people repoint it`;
            writes.push({ share: s.share, start: ZERO, end: q(quantity("manual-failover", "people repoint the app")), afterRecovery: true, onlyIf: fo.time, manual: true, why });
            steps.push({ event: why });
            failback.push({ site: s.key, recordUrn: s.records[0]?.urn, why });
        }
    }
    if (d.kind === "registry") notes.push(`Running tasks keep serving while ${d.registry} is down; no new task can start (autoscaling, replacing failed tasks, a pilot light's scale-out).`);
    for (const seg of [...reads, ...writes]) unknowns.push(...unknownsOf(seg.end));
    return { domain: d, reads, writes, failovers: [...fos.values()], steps: orderSteps(steps), notes, unknowns: [...new Set(unknowns)], lost: lost.map((s) => s.key), failback };
}

/** Any one zone of a region: a multi-zone site loses a zone's share for the load balancer's drain; the writer fails over in the region. */
function zoneOutcome(ctx: ServiceContext, d: Domain): Outcome {
    const n = d.zones && d.zones.length > 0 ? d.zones.length : DEFAULT_ZONES;
    const inRegion = ctx.svc.sites.filter((s) => s.cloud === d.cloud && s.region === d.region);
    const reads: Segment[] = [];
    const writes: Segment[] = [];
    const steps: Step[] = [{ at: ZERO, event: `one zone of ${d.cloud}/${d.region} lost` }];
    const notes: string[] = [];
    const drain = q(quantity("elb-zone-drain", "load balancer stops sending to the lost zone"));
    for (const s of inRegion) {
        if (s.share === 0) continue;
        if (s.compute.multiZone === false || s.compute.resources.length === 0) {
            const why =
                s.compute.resources.length === 0
                    ? `${s.key}'s compute is not in the graph (no ECS, Cloud Run, Deployment, Auto Scaling group or instance found): taken to run in one zone, 1 in ${n} chance it is the lost one`
                    : `${s.key}'s compute runs in one zone: 1 in ${n} chance it is the lost one`;
            const move = traffic(s);
            reads.push({ share: s.share / n, end: move ?? NEVER, why });
            if (s.wiring.canWrite !== false) writes.push({ share: s.share / n, end: move ?? NEVER, why });
            continue;
        }
        const tg = s.entry ? targetGroupsOf(ctx.tree, s.entry)[0] : undefined;
        const interval = tg ? (readNum(tg, "healthCheck.interval") ?? 30) : 30;
        const threshold = tg ? (readNum(tg, "healthCheck.unhealthyThreshold") ?? 3) : 3;
        const end = sum(c(interval * threshold), drain);
        const why = `${s.key}: the lost zone's share (1/${n}) fails until its targets are unhealthy (${interval} s x ${threshold}) and the load balancer stops sending there`;
        reads.push({ share: s.share / n, end, why });
        if (s.wiring.canWrite !== false) writes.push({ share: s.share / n, end, why });
        steps.push({ at: end, event: `${s.key}: requests no longer reach the lost zone` });
    }
    for (const g of ctx.groups) {
        const w = g.root;
        if (w.cloud !== d.cloud || w.region !== d.region) continue;
        const failover = inRegionFailover(w);
        // 1 in n chance the writer instance is in the lost zone; a site of this region then already
        // lost that zone's share of its requests (above), so only the rest of them counts again.
        const weight = (site: SiteModel) => (site.cloud === d.cloud && site.region === d.region ? (n - 1) / (n * n) : 1 / n);
        const share = writersOf(ctx, g).reduce((a, site) => a + site.share * weight(site), 0);
        const why = `${w.name}: 1 in ${n} chance its writer instance is in the lost zone; ${failover.why}`;
        if (share > 0) writes.push({ share, end: failover.end, why });
        const readers = readersOf(ctx, w).reduce((a, site) => a + site.share * weight(site), 0);
        if (readers > 0) reads.push({ share: readers, end: failover.end, why });
        steps.push({ at: isNever(failover.end) ? undefined : failover.end, event: `if the writer instance of ${w.name} was in the zone: ${failover.why}` });
    }
    return { domain: d, reads, writes, failovers: [], steps: orderSteps(steps), notes, unknowns: [], lost: [], failback: [] };
}

function readNum(r: { readonly props: unknown }, path: string): number | undefined {
    const parts = path.split(".");
    let v: unknown = r.props;
    for (const p of parts) v = v && typeof v === "object" ? (v as Record<string, unknown>)[p] : undefined;
    return typeof v === "number" ? v : undefined;
}

/** How long writes stop when the writer's instance (or zone) fails inside its region. */
export function inRegionFailover(w: DataStoreInfo): { end: Expr; why: string } {
    const reconnect = q(quantity("db-reconnect", "apps reconnect"));
    if (w.zones === "multi-az") {
        const key = w.kind === "aurora" ? "failover-aurora-in-region" : w.kind === "cloud-sql" ? "failover-cloud-sql-ha" : w.kind === "cnpg" ? "failover-cnpg" : "failover-rds-multi-az";
        return { end: sum(q(quantity(key, `in-region failover of ${w.name}`)), reconnect), why: `${w.kind} fails over to a standby in another zone` };
    }
    if (w.kind === "aurora") return { end: sum(q(quantity("replace-aurora-single-instance", `Aurora replaces ${w.name}'s only instance`)), reconnect), why: "Aurora replaces its only instance (storage keeps six copies across three zones)" };
    return { end: NEVER, why: `${w.name} is single-zone (or its zones are unknown): it is down with the zone` };
}

/** The serving sites whose writes go to group g's writer in steady state. */
export function writersOf(ctx: ServiceContext, g: DataGroup): SiteModel[] {
    return ctx.svc.sites.filter((s) => {
        if (s.share === 0 || s.wiring.canWrite === false) return false;
        const targets = s.wiring.targets;
        return targets.length === 0 ? g === ctx.groups[0] : targets.some((t) => (t.kind === "global-endpoint" && t.urn === g.global) || (t.store !== undefined && g.members.some((m) => m.urn === t.store)));
    });
}

/** The serving sites that read from store w itself (its own site, or sites with no store that read through it). */
export function readersOf(ctx: ServiceContext, w: DataStoreInfo): SiteModel[] {
    return ctx.svc.sites.filter(
        (s) => s.share > 0 && (s.dataStores.length > 0 ? s.dataStores.some((x) => x.urn === w.urn) : s.wiring.targets.some((t) => t.store === w.urn || (t.kind === "global-endpoint" && t.urn === w.globalCluster))),
    );
}

/** Share of the service's writes that go to group g's writer in steady state. */
export function writeShareTo(ctx: ServiceContext, g: DataGroup): number {
    return writersOf(ctx, g).reduce((a, s) => a + s.share, 0);
}

/** Share of the service's reads served from store w itself. */
export function readShareFrom(ctx: ServiceContext, w: DataStoreInfo): number {
    return readersOf(ctx, w).reduce((a, s) => a + s.share, 0);
}

function dnsOutcome(ctx: ServiceContext, d: Domain): Outcome {
    if (ctx.svc.dns !== d.dns) return empty(d);
    const failing = q(quantity("share-dns-failing", "share of lookups failing"));
    const why = `lookups of ${ctx.svc.name} fail for a share of resolvers until ${d.label} recovers (answers cached before keep working until their TTL)`;
    return {
        ...empty(d, [], [{ at: ZERO, event: `${d.label} stops answering for a share of resolvers` }, { event: `${d.label} recovers` }]),
        reads: [{ share: failing, end: NEVER, why }],
        writes: ctx.steadyWriteFailure.share >= 1 ? [] : [{ share: mul(failing, c(1 - ctx.steadyWriteFailure.share)), end: NEVER, why }],
    };
}

function releaseOutcome(ctx: ServiceContext, d: Domain): Outcome {
    if (d.service !== ctx.svc.name) return empty(d);
    const serving = ctx.svc.sites.filter((s) => s.share > 0);
    const exposure = serving.reduce((a, s) => a + s.share * s.release.exposure, 0);
    const failing = q(quantity("share-failing-in-bad-release", "share of requests a bad release fails"));
    const how = [...new Set(serving.map((s) => s.release.how))].join("; ");
    const why = `one release reaches every site at once (${how}): ${Math.round(exposure * 100)} % of requests run it, a share of which fail until it is rolled back`;
    const writable = serving.filter((s) => s.wiring.canWrite !== false).reduce((a, s) => a + s.share * s.release.exposure, 0);
    return {
        ...empty(d, [], [
            { at: ZERO, event: `a bad release of ${ctx.svc.name} goes live in ${serving.map((s) => s.key).join(", ")} (${how})` },
            { event: "people notice and roll it back" },
        ]),
        reads: exposure > 0 ? [{ share: mul(c(exposure), failing), end: NEVER, manual: true, why }] : [],
        writes: writable > 0 ? [{ share: mul(c(writable), failing), end: NEVER, manual: true, why }] : [],
    };
}

function orderSteps(steps: readonly Step[]): Step[] {
    const likely = (s: Step) => (s.at ? evaluateLikely(s.at) : Infinity);
    const seen = new Set<string>();
    return [...steps].filter((s) => (seen.has(s.event) ? false : (seen.add(s.event), true))).sort((a, b) => likely(a) - likely(b));
}

function evaluateLikely(e: Expr): number {
    switch (e.op) {
        case "q":
            return e.q.likely;
        case "c":
            return e.v;
        case "sum":
            return e.xs.reduce((a, x) => a + evaluateLikely(x), 0);
        case "mul":
            return e.xs.reduce((a, x) => a * evaluateLikely(x), 1);
        case "max":
            return Math.max(...e.xs.map(evaluateLikely));
        case "min":
            return Math.min(...e.xs.map(evaluateLikely));
    }
}
