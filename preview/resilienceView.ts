// How the model's ranges read in the resilience table (terminal and pull-request report), the
// formula table behind every number, and the `--json` shape of a service. P50 first, then the
// P10-P90 range; availability with its pessimistic end (P90) first. The independent-SLA product
// appears only in a column labelled as an upper bound.
import { formatAvailability, formatDuration, ServiceEstimate, Stat, Term } from "../policies/model";

/** Columns the table shows between the site list and the target. */
export const RANGE_COLUMNS = ["RTO reads P50 (P10-P90)", "RTO writes P50 (P10-P90)", "RPO worst P50 (P10-P90)", "availability reads P50 (P90-P10)", "availability writes P50 (P90-P10)", "SLA product (upper bound)"] as const;

export function timeCell(s: Stat | null): string {
    if (!s) return "unknown";
    if (s.p10 === s.p90) return formatDuration(s.p50);
    return `${formatDuration(s.p50)} (${formatDuration(s.p10)}-${formatDuration(s.p90)})`;
}

export function availabilityCell(s: Stat | null): string {
    if (!s) return "unknown";
    if (s.p10 === s.p90) return formatAvailability(s.p50);
    return `${formatAvailability(s.p50)} (${formatAvailability(s.p90)}-${formatAvailability(s.p10)})`;
}

export function rangeCells(s: ServiceEstimate): string[] {
    const r = s.ranges;
    return [
        timeCell(r.rto.reads),
        timeCell(r.rto.writes),
        timeCell(r.rpo.worst),
        availabilityCell(r.availability.reads),
        availabilityCell(r.availability.writes),
        s.slaUpperBound.availability === null ? "unknown" : `<= ${formatAvailability(s.slaUpperBound.availability)}`,
    ];
}

/** Lines under the table for one service: what decides its numbers. */
export function serviceSummary(s: ServiceEstimate): string[] {
    const r = s.ranges;
    const lines: string[] = [];
    const modes = [...s.modes].sort((a, b) => Math.max(b.readDowntime.likely, b.writeDowntime.likely) - Math.max(a.readDowntime.likely, a.writeDowntime.likely)).slice(0, 4);
    if (modes.length > 0) {
        lines.push(
            `${s.name}: largest failure modes (downtime a year, likely, reads / writes): ${modes.map((m) => `${m.domain} ${downtime(m.readDowntime.likely)} / ${downtime(m.writeDowntime.likely)}`).join("; ")}`,
        );
    }
    lines.push(
        `${s.name}: RPO typical ${timeCell(r.rpo.typical)}, worst ${timeCell(r.rpo.worst)}${r.rpo.domain ? ` (${r.rpo.domain})` : ""}; data-loss events a year ${r.dataLossEventsPerYear ? `${count(r.dataLossEventsPerYear.p50)} (${count(r.dataLossEventsPerYear.p10)}-${count(r.dataLossEventsPerYear.p90)})` : "unknown"}; worst single loss for RTO: ${r.rto.domain ?? "none"}`,
    );
    for (const f of s.fixes.slice(0, 4)) lines.push(`${s.name}: fix: ${f}`);
    return lines;
}

export function downtime(seconds: number): string {
    if (seconds >= 86400 * 30) return `${Math.round((seconds / 86400) * 10) / 10} d`;
    return formatDuration(seconds);
}

function count(n: number): string {
    return n >= 1 ? `${Math.round(n * 100) / 100}` : `${Number(n.toPrecision(2))}`;
}

/** The formula table of a service (markdown rows). */
export function formulaRows(s: ServiceEstimate, cell: (text: string) => string, source: (text: string) => string): string[] {
    const out = ["| number | term | low / likely / high | formula | source |", "|---|---|---|---|---|"];
    const r = s.ranges;
    const heads: Record<Term["metric"], string> = {
        rto: `**RTO** reads ${timeCell(r.rto.reads)}, writes ${timeCell(r.rto.writes)}`,
        rpo: `**RPO** typical ${timeCell(r.rpo.typical)}, worst ${timeCell(r.rpo.worst)}`,
        availability: `**availability** reads ${availabilityCell(r.availability.reads)}, writes ${availabilityCell(r.availability.writes)}`,
    };
    const how: Record<Term["metric"], string> = {
        rto: "the slowest recovery of reads and of writes over losing one zone, one region or the writer, capped by the domain's own recovery (P50, P10-P90 by Monte Carlo)",
        rpo: "the writes a promotion or cut-over discards (replication lag: typical, and its tail), or a restore's backup age",
        availability: "1 - sum over failure modes of rate x duration x share of requests failing / one year (availability terms show downtime a year)",
    };
    for (const metric of ["rto", "rpo", "availability"] as const) {
        out.push(`| ${heads[metric]} | | | ${how[metric]} | |`);
        for (const t of s.terms.filter((x) => x.metric === metric)) out.push(`| ${metric.toUpperCase()} | ${cell(t.name)} | ${termValue(t)} | ${cell(t.formula)} | ${source(t.source)} |`);
    }
    return out;
}

function termValue(t: Term): string {
    if (t.unknown) return "**unknown**";
    if (t.seconds) {
        const f = t.metric === "availability" ? downtime : formatDuration;
        return t.seconds.low === t.seconds.high ? f(t.seconds.likely) : `${f(t.seconds.low)} / ${f(t.seconds.likely)} / ${f(t.seconds.high)}`;
    }
    if (t.value !== undefined) return formatAvailability(t.value);
    return "";
}

/** The `--json` shape of a service: plain values only. */
export function serviceJson(s: ServiceEstimate): Record<string, unknown> {
    return JSON.parse(
        JSON.stringify({
            name: s.name,
            discoveredBy: s.discoveredBy,
            topology: s.topology,
            standby: s.standby,
            sites: s.sites,
            externalDataStores: s.externalDataStores,
            automation: s.automation,
            rtoSeconds: s.rtoSeconds,
            rpoSeconds: s.rpoSeconds,
            availability: s.availability,
            ranges: s.ranges,
            slaUpperBound: s.slaUpperBound,
            modes: s.modes,
            terms: s.terms,
            unknowns: s.unknowns,
            notes: s.notes,
            fixes: s.fixes,
        }),
    ) as Record<string, unknown>;
}
