// The what-if matrix: for each failure domain of the plan and each service, whether reads and
// writes still succeed, after how long, and how much data is lost. Rendered as text (terminal), as
// a markdown table (pull-request report), as `--json` rows (`stacks[].whatIf[]`), and, for one
// domain (`--what-if DOMAIN`), as a full scenario with its timeline.
import { PathOutcome, ServiceEstimate, WhatIfRow } from "../policies/model";
import { timeCell } from "./resilienceView";

/** Every row of every service, steady state first, in the order of the plan's domains. */
export function matrixRows(services: readonly ServiceEstimate[]): WhatIfRow[] {
    return services.flatMap((s) => s.whatIf);
}

/** `--json`: plain rows. */
export function whatIfJson(services: readonly ServiceEstimate[]): unknown[] {
    return JSON.parse(JSON.stringify(matrixRows(services))) as unknown[];
}

function pct(x: number): string {
    return `${Math.round(x * 1000) / 10} %`;
}

/** One cell: `ok`, `50 % fail, back after 3.6 min (P10 2.4 min, P90 5.4 min)`, `20 % fail until recovery`, `50 % FAIL always`. */
export function pathCell(p: PathOutcome, kind?: WhatIfRow["kind"]): string {
    switch (p.outcome) {
        case "unaffected":
            return "ok";
        case "fails":
            return `${pct(p.share)} FAIL always`;
        case "until-recovery":
            return kind === "release" ? `${pct(p.share)} fail until rolled back` : `${pct(p.share)} fail until recovery${p.manual ? " (or by hand)" : ""}`;
        case "recovers":
            return `${pct(p.share)} fail, back after ${p.manual ? "people act: " : ""}${p.afterSeconds ? timeCell(p.afterSeconds) : "unknown"}`;
    }
}

function lossCell(r: WhatIfRow): string {
    if (!r.dataLoss.worstSeconds) return "-";
    return `${timeCell(r.dataLoss.typicalSeconds)} typ., ${timeCell(r.dataLoss.worstSeconds)} worst`;
}

function affected(r: WhatIfRow): boolean {
    return r.reads.outcome !== "unaffected" || r.writes.outcome !== "unaffected" || r.failback.length > 0 || r.dataLoss.worstSeconds !== null;
}

/** The matrix as plain text: affected rows in a table, unaffected domains on one line. */
export function renderMatrixText(stack: string, services: readonly ServiceEstimate[]): string[] {
    const rows = matrixRows(services);
    if (rows.length === 0) return [];
    const shown = rows.filter(affected);
    const header = ["domain", "service", "reads", "writes", "data lost"];
    const table = [header, ...shown.map((r) => [r.domain, r.service, pathCell(r.reads, r.kind), pathCell(r.writes, r.kind) + (r.failback.length > 0 ? " + failback" : ""), lossCell(r)])];
    const widths = header.map((_h, i) => Math.max(...table.map((row) => row[i].length)));
    const line = (row: readonly string[]) => "  " + row.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
    const lines = [`What if (stack ${stack}): for each failure domain, do reads and writes still succeed, after how long, with how much data lost? (times P50 (P10-P90); \`--what-if DOMAIN\` for one in full)`];
    if (shown.length > 0) lines.push(line(table[0]), "  " + widths.map((w) => "-".repeat(w)).join("  "), ...table.slice(1).map(line));
    const quiet = [...new Set(rows.filter((r) => !affected(r) && r.kind !== "steady-state").map((r) => r.domain))].filter((d) => !shown.some((r) => r.domain === d));
    if (quiet.length > 0) lines.push(`  unaffected by: ${quiet.join(", ")}`);
    return lines;
}

/** The matrix as markdown, one table per service. */
export function renderMatrixMarkdown(services: readonly ServiceEstimate[], escape: (text: string) => string): string[] {
    const out: string[] = [];
    for (const s of services) {
        out.push(`#### What if: ${escape(s.name)}`, "", "| failure domain | reads | writes | data lost (typical, worst) | why |", "|---|---|---|---|---|");
        for (const r of s.whatIf) {
            const why = [r.reads.why && `reads: ${r.reads.why}`, r.writes.why && `writes: ${r.writes.why}`].filter(Boolean).join(" / ");
            out.push(`| \`${r.domain}\` ${escape(r.label)} | ${escape(pathCell(r.reads, r.kind))} | ${escape(pathCell(r.writes, r.kind))}${r.failback.length > 0 ? " + failback" : ""} | ${escape(lossCell(r))} | ${escape(why)} |`);
        }
        out.push("");
    }
    return out;
}

/** Whether `query` names this row's domain: its id, or (zone groups) one of the zones it stands for. */
export function matchesDomain(row: WhatIfRow, query: string): boolean {
    const q = query.trim().toLowerCase();
    const id = row.domain.toLowerCase();
    if (id === q) return true;
    const zone = /^zone:([a-z]+)\/(.+)$/.exec(q);
    const group = /^zone:([a-z]+)\/(.+)$/.exec(id);
    if (!zone || !group || zone[1] !== group[1]) return false;
    return zonesOf(group[2]).some((z) => (z.endsWith("-*") ? zone[2].startsWith(z.slice(0, -1)) : z === zone[2]));
}

/** `us-east-1a|b|c` -> us-east-1a, us-east-1b, us-east-1c (the group names domains.ts builds). */
function zonesOf(group: string): string[] {
    const [first, ...rest] = group.split("|");
    if (rest.length === 0) return [first];
    const base = first.slice(0, first.length - rest[0].length);
    return [first, ...rest.map((r) => base + r)];
}

/** One domain in full, every service with its timeline; undefined when no row matches. */
export function renderScenario(stack: string, services: readonly ServiceEstimate[], query: string): string | undefined {
    const rows = matrixRows(services).filter((r) => matchesDomain(r, query));
    if (rows.length === 0) return undefined;
    const lines = [`What if ${rows[0].domain} (${rows[0].label}) is lost - stack ${stack}`, ""];
    for (const r of rows) {
        lines.push(`  ${r.service}`);
        lines.push(`    reads:     ${pathCell(r.reads, r.kind)}${r.reads.why ? `\n               ${r.reads.why}` : ""}`);
        lines.push(`    writes:    ${pathCell(r.writes, r.kind)}${r.writes.why ? `\n               ${r.writes.why}` : ""}`);
        lines.push(`    data lost: ${r.dataLoss.worstSeconds ? `typical ${timeCell(r.dataLoss.typicalSeconds)}, worst ${timeCell(r.dataLoss.worstSeconds)}: ` : "none: "}${r.dataLoss.why}`);
        if (r.timeline.length > 0) {
            lines.push("    timeline (P50, P10-P90):");
            for (const step of r.timeline) lines.push(`      ${(step.at ? timeCell(step.at) : "at recovery").padEnd(30)} ${step.event}`);
        }
        for (const n of r.notes) lines.push(`    note: ${n}`);
        lines.push("");
    }
    return lines.join("\n");
}

/** The domains of a stack, for an error message. */
export function domainIds(services: readonly ServiceEstimate[]): string[] {
    return [...new Set(matrixRows(services).map((r) => r.domain))];
}


/**
 * `--what-if DOMAIN` over the stacks of a preview: the scenario of each stack that has the domain,
 * or an error listing every stack's domains when none has it.
 */
export function whatIfText(stacks: readonly { readonly stack: string; readonly services: readonly ServiceEstimate[] }[], query: string): { readonly text: string } | { readonly error: string } {
    const scenarios = stacks.map((st) => renderScenario(st.stack, st.services, query));
    if (scenarios.every((x) => x === undefined)) {
        const known = stacks.map((st) => `  ${st.stack}: ${domainIds(st.services).join(", ")}`).join("\n");
        return { error: `--what-if ${query}: no such failure domain in ${stacks.map((st) => st.stack).join(", ")}; the domains are:\n${known}` };
    }
    return { text: scenarios.map((x, i) => x ?? `(stack ${stacks[i].stack} has no failure domain ${query})\n`).join("\n") };
}
