// What the preview prints about resilience: a plain-text table per stack for the terminal, a
// markdown report for a pull-request comment (Mermaid diagram of each service, the table, the
// policy violations, the formula behind every number), and the JSON shape of `--json`.
// Pure functions of the model's estimates: the pack judges with the same model.
import { DataStoreInfo, formatAvailability, formatDuration, formatSeconds, judge, Judgement, label, ServiceEstimate, SiteEstimate, Targets } from "../policies/model";
import { escapeMarkdown, markdownCode, mermaidText } from "./escape";
import { Incomplete, incompleteMarkdown } from "./incomplete";
import { formulaRows, RANGE_COLUMNS, rangeCells, serviceJson, serviceSummary } from "./resilienceView";
import { renderMatrixMarkdown, renderMatrixText } from "./whatIf";

export interface ReportViolation {
    readonly policyPack: string;
    readonly policy: string;
    readonly enforcementLevel: string;
    readonly urn?: string;
    readonly message: string;
}

export interface StackReport {
    readonly stack: string;
    readonly services: readonly ServiceEstimate[];
    readonly targets?: Targets;
    readonly violations: readonly ReportViolation[];
    readonly resourceCount: number;
    /** What the preview could not evaluate in this stack. @default none */
    readonly incomplete?: readonly Incomplete[];
    /** How the stack was run (no stack file, secrets not decrypted). @default none */
    readonly notes?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Cells shared by the text and markdown tables
// ---------------------------------------------------------------------------------------------

const COLUMNS = ["service", "topology", "sites", ...RANGE_COLUMNS, "target", "verdict"] as const;

function topologyCell(s: ServiceEstimate): string {
    return s.standby ? `${s.topology} (${s.standby})` : s.topology;
}

/** Active-passive reads `primary > secondary`; active-active `a + b`. */
function sitesCell(s: ServiceEstimate): string {
    const name = (site: SiteEstimate) => (site.weight !== undefined && s.topology === "active-active" ? `${site.key} w${site.weight}` : site.key);
    if (s.topology === "active-passive") {
        const primaries = s.sites.filter((x) => x.role === "primary").map(name);
        const others = s.sites.filter((x) => x.role !== "primary").map(name);
        return `${primaries.join(" + ")} > ${others.join(" > ")}`;
    }
    return s.sites.map(name).join(" + ");
}

function targetCell(targets: Targets | undefined): string {
    if (!targets) return "-";
    const parts: string[] = [];
    if (targets.rtoSeconds !== undefined) parts.push(`RTO ${formatSeconds(targets.rtoSeconds)}`);
    if (targets.rpoSeconds !== undefined) parts.push(`RPO ${formatSeconds(targets.rpoSeconds)}`);
    if (targets.availability !== undefined) parts.push(formatAvailability(targets.availability));
    return parts.length ? parts.join(", ") : "-";
}

function hasTargets(t: Targets | undefined): t is Targets {
    return t !== undefined && (t.rtoSeconds !== undefined || t.rpoSeconds !== undefined || t.availability !== undefined);
}

function verdictCell(j: Judgement | undefined): string {
    if (!j) return "-";
    if (j.verdict === "fail") return `fail (${j.misses.map((m) => label(m.target)).join(", ")})`;
    if (j.verdict === "unknown") return `unknown (${j.unknowns.map((u) => label(u.split(":")[0] as keyof Targets)).join(", ")})`;
    return "pass";
}

function rows(services: readonly ServiceEstimate[], targets: Targets | undefined): { cells: string[]; judgement?: Judgement; service: ServiceEstimate }[] {
    return services.map((s) => {
        const judgement = hasTargets(targets) ? judge(s, targets) : undefined;
        return {
            service: s,
            judgement,
            cells: [s.name, topologyCell(s), sitesCell(s), ...rangeCells(s), targetCell(targets), verdictCell(judgement)],
        };
    });
}

/** Why a service failed or is unknown, one line per reason. */
function reasons(s: ServiceEstimate, j: Judgement | undefined): string[] {
    if (!j) return [];
    return [
        ...j.misses.map((m) => `${s.name}: ${label(m.target)} ${m.target === "availability" ? formatAvailability(m.estimate) : formatDuration(m.estimate)} at P90: decided by ${m.dominant}; fix: ${m.fix}`),
        ...j.unknowns.map((u) => `${s.name}: ${u}`),
    ];
}

// ---------------------------------------------------------------------------------------------
// Terminal
// ---------------------------------------------------------------------------------------------

/** A plain-text table of the stack's services (no colours), with the reasons behind each verdict. */
export function renderResilienceTable(stack: string, services: readonly ServiceEstimate[], targets?: Targets): string {
    const lines = [`Resilience of stack ${stack}`];
    if (services.length === 0) {
        lines.push("  no services found (no DNS record points at a site, and no public entry point: load balancer, Ingress, LoadBalancer Service, Cloud Run, CloudFront)");
        return lines.join("\n") + "\n";
    }
    const body = rows(services, targets);
    const table = [[...COLUMNS] as string[], ...body.map((r) => r.cells)];
    const widths = COLUMNS.map((_c, i) => Math.max(...table.map((row) => row[i].length)));
    const line = (row: readonly string[]) => "  " + row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
    lines.push(line(table[0]), "  " + widths.map((w) => "-".repeat(w)).join("  "));
    for (const row of table.slice(1)) lines.push(line(row));
    const why = body.flatMap((r) => reasons(r.service, r.judgement));
    if (why.length) lines.push("", ...why.map((w) => `  ${w}`));
    lines.push("", ...services.flatMap(serviceSummary).map((l) => `  ${l}`));
    lines.push("", ...renderMatrixText(stack, services));
    return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// Markdown (pull-request comment)
// ---------------------------------------------------------------------------------------------

/** The markdown report of one or more stacks. */
export function renderMarkdownReport(stacks: readonly StackReport[]): string {
    const out: string[] = ["# Resilience preview", ""];
    for (const st of stacks) {
        const byLevel = groupBy(st.violations, (v) => v.enforcementLevel);
        const counts = [...byLevel].map(([level, vs]) => `${vs.length} ${level}`).join(", ");
        out.push(`## Stack ${markdownCode(st.stack)}`, "");
        const notEvaluated = st.incomplete?.length ? ` **Incomplete: ${st.incomplete.length} thing${st.incomplete.length === 1 ? "" : "s"} not evaluated (see below); not a pass.**` : "";
        out.push(`${st.resourceCount} resources, ${st.services.length} service${st.services.length === 1 ? "" : "s"}, ${st.violations.length === 0 ? "no policy violations" : `policy violations: ${counts}`}.${notEvaluated}`, "");
        if (st.notes?.length) out.push(...st.notes.map((n) => `> ${escapeMd(n)}`), "");
        out.push(...incompleteMarkdown(st.incomplete ?? [], escapeMd));

        out.push("### Services", "");
        if (st.services.length === 0) out.push("No services found: no DNS record points at a site, and no public entry point (load balancer, Ingress, LoadBalancer Service, Cloud Run, CloudFront).", "");
        else {
            const body = rows(st.services, st.targets);
            out.push(`| ${COLUMNS.join(" | ")} |`, `|${COLUMNS.map(() => "---").join("|")}|`);
            for (const r of body) out.push(`| ${r.cells.map(cell).join(" | ")} |`);
            out.push("");
            const why = body.flatMap((r) => reasons(r.service, r.judgement));
            if (why.length) out.push(...why.map((w) => `- ${escapeMd(w)}`), "");
            out.push("### What if", "", "For each failure domain: do reads and writes still succeed, after how long (P50 (P10-P90)), with how much data lost. `nonstop preview --what-if DOMAIN` prints one with its timeline.", "");
            out.push(...renderMatrixMarkdown(st.services, escapeMd));
        }

        st.services.forEach((s, i) => {
            out.push(`### ${escapeMd(s.name)}`, "", "```mermaid", serviceDiagram(s, `s${i}`), "```", "");
            out.push(...formulaRows(s, cell, sourceCell), "");
            if (s.notes.length) out.push(...s.notes.map((n) => `- ${escapeMd(n)}`), "");
        });

        out.push("### Policy violations", "");
        if (st.violations.length === 0) out.push("None.", "");
        for (const level of orderLevels([...byLevel.keys()])) {
            const vs = byLevel.get(level) ?? [];
            out.push(`#### ${level} (${vs.length})`, "");
            for (const v of vs) out.push(`- **${escapeMd(v.policy)}** (${escapeMd(v.policyPack)})${v.urn ? ` ${markdownCode(resourceOf(v.urn))}` : ""}: ${escapeMd(v.message)}`);
            out.push("");
        }
    }
    return out.join("\n").replace(/\n{3,}/g, "\n\n");
}

function orderLevels(levels: readonly string[]): string[] {
    const order = ["mandatory", "remediate", "advisory", "disabled"];
    return [...levels].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
    const m = new Map<string, T[]>();
    for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
    return m;
}

/** `type::name` of a URN, short enough for a comment. */
function resourceOf(urn: string): string {
    const parts = urn.split("::");
    const type = (parts[2] ?? "").split("$").pop();
    return `${type}::${parts[3] ?? urn}`;
}

/** Text from config, programs and policies, inert in Markdown (see escape.ts). */
function escapeMd(text: string): string {
    return escapeMarkdown(text);
}

function cell(text: string): string {
    return escapeMd(text);
}

function sourceCell(source: string): string {
    // URLs become autolinks as written; the text around them is escaped.
    return source
        .split(/(https?:\/\/[^\s)|<>]+)/)
        .map((part, i) => (i % 2 === 1 ? `<${part}>` : cell(part)))
        .join("");
}

// ---------------------------------------------------------------------------------------------
// Mermaid
// ---------------------------------------------------------------------------------------------

/** A Mermaid-safe node id: letters, digits and `_`, starting with a letter. */
export function mermaidId(raw: string): string {
    const id = raw.replace(/[^A-Za-z0-9_]/g, "_");
    return /^[A-Za-z]/.test(id) ? id : `n_${id}`;
}

/** A quoted Mermaid label: characters Mermaid or Markdown would interpret as entity codes, line breaks `<br/>`. */
export function mermaidLabel(text: string): string {
    return `"${mermaidText(text)}"`;
}

interface Placed {
    readonly cloud: string;
    readonly region: string;
    readonly line: string;
}

/** The flowchart of one service: DNS -> health checks -> sites (by cloud and region) -> data -> replicas and backup copies. */
export function serviceDiagram(s: ServiceEstimate, prefix: string): string {
    const id = (...parts: string[]) => mermaidId([prefix, ...parts].join("_"));
    const lines = ["flowchart LR"];
    const edges: string[] = [];
    const placed: Placed[] = [];
    const dns = id("dns");
    lines.push(`    ${dns}[${mermaidLabel(`${s.name}\n${topologyCell(s)}`)}]`);

    const storeIds = new Map<string, string>();
    const allStores: { store: DataStoreInfo; siteKey?: string }[] = [
        ...s.sites.flatMap((site) => site.dataStores.map((store) => ({ store, siteKey: site.key }))),
        ...s.externalDataStores.map((store) => ({ store })),
    ];
    allStores.forEach(({ store }, i) => storeIds.set(store.urn, id("db", String(i))));

    s.sites.forEach((site, i) => {
        const siteId = id("site", String(i));
        const capacity = site.capacity === null || site.capacity === undefined ? "capacity unknown" : site.capacity === 0 ? "0 running (pilot light)" : `${site.capacity} running`;
        const head = `${site.key}${site.role ? ` (${site.role})` : ""}${site.weight !== undefined ? ` weight ${site.weight}` : ""}`;
        const entry = site.entry ? `${site.entry.type.split(":").pop()} ${site.entry.name}` : "target not found";
        placed.push({ cloud: site.cloud, region: site.region, line: `${siteId}[${mermaidLabel(`${head}\n${entry}\n${site.computeKind ?? "compute"}: ${capacity}`)}]` });
        const edgeLabel = site.role ? site.role : site.weight !== undefined ? `weight ${site.weight}` : "";
        const arrow = edgeLabel ? `-->|${mermaidLabel(edgeLabel)}|` : "-->";
        if (site.healthCheck) {
            const hc = id("hc", String(i));
            const every = site.healthCheck.intervalSeconds !== undefined ? `${site.healthCheck.intervalSeconds} s x ${site.healthCheck.failureThreshold ?? "?"}` : "interval unknown";
            lines.push(`    ${hc}{{${mermaidLabel(`health check ${site.healthCheck.name}\n${every}`)}}}`);
            edges.push(`    ${dns} ${arrow} ${hc}`, `    ${hc} --> ${siteId}`);
        } else {
            edges.push(`    ${dns} ${arrow} ${siteId}`);
        }
        for (const store of site.dataStores) edges.push(`    ${siteId} --> ${storeIds.get(store.urn)}`);
    });

    allStores.forEach(({ store }, i) => {
        const sid = storeIds.get(store.urn) as string;
        placed.push({ cloud: store.cloud, region: store.region, line: `${sid}[(${mermaidLabel(`${store.name}\n${store.kind} ${store.role}, ${store.zones}`)})]` });
        if (store.replicaOf && storeIds.has(store.replicaOf)) edges.push(`    ${storeIds.get(store.replicaOf)} -.->|${mermaidLabel(store.replication ?? "replica")}| ${sid}`);
        store.backups.forEach((b, j) => {
            const bid = id("backup", String(i), String(j));
            const where = b.offSite === undefined ? "copy destination unknown" : b.offSite ? `copy in ${b.copyLocation ?? "another region"}` : `in ${store.region} only`;
            const every = b.intervalSeconds !== undefined ? `every ${formatSeconds(b.intervalSeconds)}` : `schedule ${b.schedule ?? "unknown"}`;
            const region = b.offSite && b.copyLocation ? b.copyLocation : store.region;
            placed.push({ cloud: store.cloud, region, line: `${bid}[/${mermaidLabel(`${b.kind} ${b.name}\n${where}`)}/]` });
            edges.push(`    ${sid} -.->|${mermaidLabel(`backup ${every}`)}| ${bid}`);
        });
    });

    // Clouds, then regions inside them, so both are visible.
    const clouds = groupBy(placed, (p) => p.cloud);
    for (const [cloud, inCloud] of clouds) {
        lines.push(`    subgraph ${id(cloud)}[${mermaidLabel(cloud)}]`);
        for (const [region, inRegion] of groupBy(inCloud, (p) => p.region)) {
            lines.push(`        subgraph ${id(cloud, region)}[${mermaidLabel(region)}]`);
            for (const p of inRegion) lines.push(`            ${p.line}`);
            lines.push("        end");
        }
        lines.push("    end");
    }
    lines.push(...edges);
    return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

/** The `--json` shape of the services (plain values only). */
export function servicesJson(services: readonly ServiceEstimate[]): Record<string, unknown>[] {
    return services.map(serviceJson);
}
