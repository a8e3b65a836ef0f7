// What the preview prints: text for a person, one JSON document for tools, markdown for a PR.
import { renderMarkdownReport, renderResilienceTable, servicesJson } from "./report";
import { whatIfJson } from "./whatIf";
import type { StackPreview } from "./analysis";
import type { Diagnostic } from "./policyHost";
import type { RecordedResource } from "./program";
import { toJson } from "./values";

export function renderJson(stacks: readonly StackPreview[]): string {
    return JSON.stringify(
        {
            stacks: stacks.map((s) => ({
                stack: s.stack,
                resources: s.resources.map((r) => ({
                    type: r.type,
                    name: r.name,
                    urn: r.urn,
                    parent: r.parent ?? null,
                    props: toJson(r.inputs),
                    protect: r.protect,
                    retainOnDelete: r.retainOnDelete,
                })),
                violations: s.violations.map((v) => ({
                    policyPack: v.policyPack,
                    policy: v.policy,
                    enforcementLevel: v.enforcementLevel,
                    urn: v.urn ?? null,
                    message: messageOf(v),
                })),
                services: servicesJson(s.resilience.services),
                whatIf: whatIfJson(s.resilience.services),
            })),
        },
        null,
        2,
    );
}

export function renderMarkdown(stacks: readonly StackPreview[]): string {
    return renderMarkdownReport(
        stacks.map((s) => ({
            stack: s.stack,
            services: [...s.resilience.services],
            targets: s.resilience.targets,
            violations: s.violations.map((v) => ({ policyPack: v.policyPack, policy: v.policy, enforcementLevel: v.enforcementLevel, urn: v.urn, message: messageOf(v) })),
            resourceCount: s.resources.filter((r) => r.custom).length,
        })),
    );
}

/** The rule's own message, without the description the SDK puts in front of it. */
export function messageOf(d: Diagnostic): string {
    const prefix = d.description ? `${d.description}\n` : "";
    return prefix && d.message.startsWith(prefix) ? d.message.slice(prefix.length) : d.message;
}

export function renderHuman(stacks: readonly StackPreview[]): string {
    const lines: string[] = [];
    for (const s of stacks) {
        const custom = s.resources.filter((r) => r.custom);
        lines.push(`Previewing stack ${s.stack} (${s.stackFile}) offline: ${custom.length} resources to create, ${s.resources.length - custom.length} components`);
        lines.push("");
        lines.push("Plan by type:");
        const counts = new Map<string, number>();
        for (const r of custom) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
        const width = Math.max(...[...counts.keys()].map((k) => k.length), 4);
        for (const [type, n] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) lines.push(`  ${type.padEnd(width)}  ${n}`);
        lines.push("");
        lines.push("Plan by component:");
        lines.push(...componentTree(s.resources));
        lines.push("");
        lines.push(...verdictLines(s));
        lines.push("");
        lines.push(renderResilienceTable(s.stack, [...s.resilience.services], s.resilience.targets));
        if (s.run.unansweredInvokes.length) {
            lines.push(`Data sources answered with empty results (answer them with --data-sources FILE): ${s.run.unansweredInvokes.join(", ")}`);
        }
        lines.push("");
    }
    const mandatory = stacks.reduce((n, s) => n + s.violations.filter((v) => v.enforcementLevel === "mandatory").length, 0);
    lines.push(mandatory ? `Verdict: ${mandatory} mandatory violation(s): this plan would be refused.` : "Verdict: no mandatory violation.");
    return lines.join("\n") + "\n";
}

function verdictLines(s: StackPreview): string[] {
    const lines: string[] = [];
    const packs = s.policyConfigs.map((p) => `${p.pack} (${p.source})`).join(", ");
    if (s.violations.length === 0) {
        lines.push(`Policies: no violations from ${packs}.`);
    } else {
        lines.push(`Policies (${packs}):`);
        for (const level of ["mandatory", "advisory", "remediate"] as const) {
            const group = s.violations.filter((v) => v.enforcementLevel === level);
            if (!group.length) continue;
            lines.push(`  ${level} (${group.length}):`);
            for (const v of group) {
                const where = v.urn ? resourceLabel(v.urn) : "stack";
                lines.push(`    [${v.policy}] ${where}`);
                for (const l of messageOf(v).split("\n")) lines.push(`        ${l}`);
            }
        }
    }
    if (s.skipped.length) lines.push(`  (${s.skipped.length} policy check(s) skipped on values unknown until apply, as pulumi preview would)`);
    return lines;
}

function resourceLabel(urn: string): string {
    const parts = urn.split("::");
    const type = (parts[2] ?? "").split("$").pop();
    return `${type} "${parts[3] ?? urn}"`;
}

/** Components as a tree, each with the count of resources directly under it. */
function componentTree(resources: readonly RecordedResource[]): string[] {
    const children = new Map<string, RecordedResource[]>();
    for (const r of resources) {
        const list = children.get(r.parent ?? "") ?? [];
        list.push(r);
        children.set(r.parent ?? "", list);
    }
    const lines: string[] = [];
    const walk = (r: RecordedResource, depth: number) => {
        const kids = children.get(r.urn) ?? [];
        const direct = kids.filter((k) => k.custom && !k.type.startsWith("pulumi:providers:")).length;
        lines.push(`  ${"  ".repeat(depth)}${r.type} "${r.name}"${direct ? ` (${direct} resources)` : ""}`);
        for (const k of kids) if (!k.custom) walk(k, depth + 1);
    };
    for (const root of children.get("") ?? []) if (!root.custom) walk(root, 0);
    return lines;
}
