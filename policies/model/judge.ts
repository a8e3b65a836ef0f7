// An estimate against a stack's targets, at the pessimistic end: P90 RTO, P90 of the worst-case
// RPO, P90 availability (the worse of reads and writes). Each miss names what decides it (the
// failure domain or mode) and what to change. An estimate that is unknown is never a miss: it is
// reported as unknown, naming the inputs that could not be read.
import { formatAvailability, formatDuration, formatSeconds } from "./format";
import { Judgement, Miss, ServiceEstimate, Targets } from "./types";

export function judge(estimate: ServiceEstimate, targets: Targets): Judgement {
    const misses: Miss[] = [];
    const unknowns: string[] = [];
    const r = estimate.ranges;
    if (targets.rtoSeconds !== undefined) {
        if (estimate.rtoSeconds === null) unknowns.push(`rtoSeconds: ${estimate.unknowns.rto.join("; ") || "no recovery path could be evaluated"}`);
        else if (estimate.rtoSeconds > targets.rtoSeconds) {
            const which = r.rto.writes && r.rto.reads && r.rto.writes.p90 >= r.rto.reads.p90 ? "writes" : "reads";
            misses.push({
                target: "rtoSeconds",
                estimate: estimate.rtoSeconds,
                limit: targets.rtoSeconds,
                dominant: `${which} after losing ${r.rto.domain ?? "a site"}`,
                fix: fixFor(estimate, ["promotion", "cut-over", "pilot light", "repoint", "writer-capable", "health check", "second site"], slowestStep(estimate)),
            });
        }
    }
    if (targets.rpoSeconds !== undefined) {
        if (estimate.rpoSeconds === null) unknowns.push(`rpoSeconds: ${estimate.unknowns.rpo.join("; ") || "no copy of the data could be evaluated"}`);
        else if (estimate.rpoSeconds > targets.rpoSeconds) {
            misses.push({
                target: "rpoSeconds",
                estimate: estimate.rpoSeconds,
                limit: targets.rpoSeconds,
                dominant: `the worst-case loss when the writer is lost (${r.rpo.domain ?? "a site"})`,
                fix: rpoFix(estimate),
            });
        }
    }
    if (targets.availability !== undefined) {
        if (estimate.availability === null) unknowns.push(`availability: ${estimate.unknowns.availability.join("; ") || "a failure mode could not be evaluated"}`);
        else if (estimate.availability < targets.availability) {
            const worstPath = r.availability.writes && r.availability.reads && r.availability.writes.p90 <= r.availability.reads.p90 ? "writes" : "reads";
            const modes = [...estimate.modes].sort((a, b) => (worstPath === "writes" ? b.writeDowntime.likely - a.writeDowntime.likely : b.readDowntime.likely - a.readDowntime.likely));
            const top = modes[0];
            misses.push({
                target: "availability",
                estimate: estimate.availability,
                limit: targets.availability,
                dominant: top ? `${worstPath}: ${top.domain} (${top.description})` : worstPath,
                fix: fixFor(estimate, top?.domain.startsWith("release:") ? ["release"] : []),
            });
        }
    }
    const verdict = misses.length > 0 ? "fail" : unknowns.length > 0 ? "unknown" : "pass";
    const summary =
        verdict === "fail"
            ? `fail: ${misses.map((m) => `${label(m.target)} ${show(m.target, m.estimate)} ${m.target === "availability" ? "<" : ">"} ${showLimit(m.target, m.limit)}`).join(", ")}`
            : verdict === "unknown"
              ? `unknown: ${unknowns.join("; ")}`
              : "pass";
    return { verdict, misses, unknowns, summary };
}

/** The first fix of the estimate that mentions one of `words` (any fix when none is given). */
function fixFor(estimate: ServiceEstimate, words: readonly string[], otherwise = "the design cannot meet it as it is: see the what-if matrix"): string {
    const found = words.length === 0 ? estimate.fixes[0] : estimate.fixes.find((f) => words.some((w) => f.includes(w)));
    return found ?? otherwise;
}

/** What bounds the loss that decides the RPO: Aurora's own bound for a global database, else replication with bounded lag. */
function rpoFix(estimate: ServiceEstimate): string {
    const stores = [...estimate.sites.flatMap((s) => s.dataStores), ...estimate.externalDataStores];
    const lags = estimate.terms.filter((t) => t.metric === "rpo" && t.kind === "replication-lag");
    const aurora = lags.some((t) => stores.some((d) => d.replication === "aurora-global" && t.name.includes(`-> ${d.name} `)));
    return aurora
        ? "bound the Aurora global database's lag with rds.global_db_rpo (Aurora PostgreSQL: the writer blocks commits while no secondary is within the bound, so keep two secondaries or accept that losing the only one stops writes until it returns or people reset it)"
        : "replicate with bounded lag (an Aurora global database with rds.global_db_rpo, a synchronous standby) instead of change data capture or backups";
}

/** When no change the graph shows would help: the step of the worst recovery with the longest tail, and what it takes. */
function slowestStep(estimate: ServiceEstimate): string {
    // People are the fallback of an automated step (the faster of both counts), not a step of their own.
    const steps = estimate.terms.filter((t) => t.metric === "rto" && t.seconds !== undefined && t.kind !== "failure-mode" && t.kind !== "manual");
    const slowest = steps.reduce<(typeof steps)[number] | undefined>((a, t) => (!a || (t.seconds?.high ?? 0) > (a.seconds?.high ?? 0) ? t : a), undefined);
    if (!slowest?.seconds) return "the design cannot meet it as it is: see the what-if matrix";
    return `nothing in the graph is missing: the recovery's slowest step is ${slowest.name} (${formatDuration(slowest.seconds.low)} / ${formatDuration(slowest.seconds.likely)} / ${formatDuration(slowest.seconds.high)}, low / likely / high); a shorter path needs a different data design (or a target this one can meet)`;
}

/** One line for a violation: the service, the miss at P90, what decides it, and the fix. */
export function describeMiss(estimate: ServiceEstimate, miss: Miss): string {
    const op = miss.target === "availability" ? "<" : ">";
    return `${estimate.name}: ${label(miss.target)} ${show(miss.target, miss.estimate)} at P90 ${op} ${showLimit(miss.target, miss.limit)} target (${estimate.topology}); decided by ${miss.dominant}; fix: ${miss.fix}`;
}

export function label(target: keyof Targets): string {
    return target === "rtoSeconds" ? "RTO" : target === "rpoSeconds" ? "RPO" : "availability";
}

function show(target: keyof Targets, v: number): string {
    return target === "availability" ? formatAvailability(v) : formatDuration(v);
}

/** A target as the stack wrote it (`300 s`, `99.95%`). */
function showLimit(target: keyof Targets, v: number): string {
    return target === "availability" ? formatAvailability(v) : formatSeconds(v);
}
