// An estimate against a stack's targets: which targets it misses, the term that dominates each
// miss, and the smallest set of configuration changes (from the terms' floors) that would meet it.
// An estimate that is unknown is never a miss: it is reported as unknown, naming the inputs.
import { composedSeconds, decidingTerms } from "./compose";
import { formatAvailability, formatSeconds } from "./format";
import { Judgement, Miss, ServiceEstimate, Targets, Term } from "./types";

export function judge(estimate: ServiceEstimate, targets: Targets): Judgement {
    const misses: Miss[] = [];
    const unknowns: string[] = [];
    for (const target of ["rtoSeconds", "rpoSeconds"] as const) {
        const limit = targets[target];
        if (limit === undefined) continue;
        const metric = target === "rtoSeconds" ? "rto" : "rpo";
        const value = estimate[target];
        const terms = estimate.terms.filter((t) => t.metric === metric);
        if (value === null) {
            unknowns.push(`${target}: ${unknownInputs(terms)}`);
            continue;
        }
        if (value <= limit) continue;
        // The largest term of what decides the total (the longer path when traffic and data run in parallel).
        const deciding = decidingTerms(terms);
        const dominant = deciding.reduce((a, b) => ((b.seconds ?? 0) > (a.seconds ?? 0) ? b : a), deciding[0]);
        misses.push({ target, estimate: value, limit, dominantTerm: dominant, fix: timeFix(estimate, metric, terms, value, limit) });
    }
    if (targets.availability !== undefined) {
        const value = estimate.availability;
        const terms = estimate.terms.filter((t) => t.metric === "availability");
        if (value === null) unknowns.push(`availability: ${unknownInputs(terms)}`);
        else if (value < targets.availability) {
            const sites = terms.filter((t) => t.kind === "site" && t.value !== undefined);
            const weakestSite = sites.reduce<Term | undefined>((a, b) => (!a || (b.value as number) < (a.value as number) ? b : a), undefined);
            const factors = terms.filter((t) => t.kind === "sla" && t.value !== undefined && (!weakestSite || t.name.startsWith(weakestSite.name.replace(/^site /, "") + ":")));
            const weakestFactor = factors.reduce<Term | undefined>((a, b) => (!a || (b.value as number) < (a.value as number) ? b : a), undefined);
            const dominant = weakestFactor ?? weakestSite ?? terms[0];
            misses.push({ target: "availability", estimate: value, limit: targets.availability, dominantTerm: dominant, fix: availabilityFix(estimate, sites, targets.availability) });
        }
    }
    const verdict = misses.length > 0 ? "fail" : unknowns.length > 0 ? "unknown" : "pass";
    const summary =
        verdict === "fail"
            ? `fail: ${misses.map((m) => `${label(m.target)} ${show(m.target, m.estimate)} ${m.target === "availability" ? "<" : ">"} ${show(m.target, m.limit)}`).join(", ")}`
            : verdict === "unknown"
              ? `unknown: ${unknowns.join("; ")}`
              : "pass";
    return { verdict, misses, unknowns, summary };
}

/** One line for a violation: the service, the miss, the dominant term with its formula, and the fix. */
export function describeMiss(estimate: ServiceEstimate, miss: Miss): string {
    const d = miss.dominantTerm;
    const dValue = d.seconds !== undefined ? formatSeconds(d.seconds) : d.value !== undefined ? formatAvailability(d.value) : "unknown";
    const op = miss.target === "availability" ? "<" : ">";
    const which = miss.target === "availability" ? "weakest link" : "largest term";
    return `${estimate.name}: ${label(miss.target)} ${show(miss.target, miss.estimate)} ${op} ${show(miss.target, miss.limit)} target (${estimate.topology}): ${which} ${d.name} ${dValue} (${d.formula}); fix: ${miss.fix}`;
}

export function label(target: keyof Targets): string {
    return target === "rtoSeconds" ? "RTO" : target === "rpoSeconds" ? "RPO" : "availability";
}

function show(target: keyof Targets, v: number): string {
    return target === "availability" ? formatAvailability(v) : formatSeconds(v);
}

function unknownInputs(terms: readonly Term[]): string {
    const names = terms.filter((t) => t.unknown && t.kind !== "site").map((t) => `${t.name} (${t.formula})`);
    return names.length ? names.join("; ") : "no terms";
}

/**
 * The fewest floors of reducible terms that meet the limit (composed as the estimate is: a sum, or
 * the longer of two parallel paths, where shortening the other path gains nothing); says what
 * remains when the configuration alone cannot get there.
 */
function timeFix(estimate: ServiceEstimate, metric: "rto" | "rpo", terms: readonly Term[], value: number, limit: number): string {
    const plan = fewestChanges(terms, value, limit);
    const changes = [...plan.changes];
    let total = plan.total;
    if (metric === "rpo") {
        const backup = terms.find((t) => t.kind === "backup-interval");
        if (backup && total > limit) {
            const other = total - (backup.seconds as number);
            const needed = limit - other;
            if (needed >= 3600) {
                changes.push(`back up at least every ${formatSeconds(Math.floor(needed / 3600) * 3600)}`);
                total = other + Math.floor(needed / 3600) * 3600;
            } else {
                changes.push("replicate continuously (Aurora global database, a cross-region replica or CDC) instead of relying on backups");
                return changes.join("; ");
            }
        }
        const lag = terms.find((t) => t.kind === "replication-lag");
        if (lag && total > limit) return [...changes, `asynchronous replication loses about ${formatSeconds(lag.seconds)}; an RPO of ${formatSeconds(limit)} across regions is beyond it`].join("; ");
    }
    if (total <= limit) return `${changes.join("; ")} (estimate becomes ${formatSeconds(total)})`;
    const design =
        metric === "rto"
            ? estimate.topology === "single-site"
                ? "add a second site"
                : "the configuration alone cannot meet it: serve from every site (active-active) or use a data store with a faster managed failover"
            : "replicate the writer to another site";
    return changes.length ? `${changes.join("; ")} still leaves ${formatSeconds(total)}: ${design}` : design;
}

function availabilityFix(estimate: ServiceEstimate, sites: readonly Term[], limit: number): string {
    const values = sites.map((s) => s.value as number);
    if (values.length === 0) return "add a site";
    const best = Math.max(...values);
    const dns = estimate.terms.find((t) => t.metric === "availability" && t.kind === "sla" && !t.name.includes(":"))?.value ?? 1;
    const withOneMore = dns * (1 - [...values, best].reduce((p, v) => p * (1 - v), 1));
    const add = `adding one more site like the best one (${formatAvailability(best)}) gives ${formatAvailability(withOneMore)}`;
    return withOneMore >= limit ? add : `${add}, still short: use higher-SLA tiers (Multi-AZ, REGIONAL, Enterprise Plus) in every site`;
}

/**
 * The smallest set of floors whose application brings the composed total to the limit (the lowest
 * total among sets of that size, then the largest savings first); when none does, the smallest set
 * that reaches the lowest total the floors allow. Changes are listed biggest saving first.
 */
function fewestChanges(terms: readonly Term[], value: number, limit: number): { changes: string[]; total: number } {
    const saving = (t: Term) => (t.seconds as number) - (t.floor?.seconds as number);
    const reducible = terms
        .filter((t) => t.kind !== "composition" && t.seconds !== undefined && t.floor?.seconds !== undefined && (t.floor.seconds as number) < (t.seconds as number))
        .sort((a, b) => saving(b) - saving(a))
        .slice(0, MAX_FLOORS);
    let best: { picked: number[]; total: number } = { picked: [], total: value };
    const better = (a: { picked: number[]; total: number }, b: { picked: number[]; total: number }): boolean => {
        const aMeets = a.total <= limit;
        const bMeets = b.total <= limit;
        if (aMeets !== bMeets) return aMeets;
        if (!aMeets && a.total !== b.total) return a.total < b.total;
        if (a.picked.length !== b.picked.length) return a.picked.length < b.picked.length;
        if (a.total !== b.total) return a.total < b.total;
        for (let i = 0; i < a.picked.length; i++) if (a.picked[i] !== b.picked[i]) return a.picked[i] < b.picked[i];
        return false;
    };
    for (let mask = 1; mask < 1 << reducible.length; mask++) {
        const picked = reducible.map((_t, i) => i).filter((i) => (mask & (1 << i)) !== 0);
        const applied = terms.map((t) => {
            const i = reducible.indexOf(t);
            return i >= 0 && picked.includes(i) ? { ...t, seconds: t.floor?.seconds } : t;
        });
        const total = composedSeconds(applied);
        if (total === null) continue;
        const candidate = { picked, total };
        if (total < value && better(candidate, best)) best = candidate;
    }
    return { changes: best.picked.map((i) => reducible[i].floor?.change as string), total: best.total };
}

/** Floors tried together at most (2^n sets); an estimate has far fewer reducible terms. */
const MAX_FLOORS = 12;
