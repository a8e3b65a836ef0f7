// What the preview prints: text for a person, one JSON document for tools, markdown for a PR.
import { groupOf, idOf, renderGroupedViolations } from "./grouping";
import { renderMarkdownReport, renderResilienceTable, servicesJson } from "./report";
import { whatIfJson } from "./whatIf";
import type { StackPreview } from "./analysis";
import { incompleteJson, incompleteLines, verdictLine } from "./incomplete";
import type { Diagnostic } from "./policyHost";
import type { RecordedResource } from "./program";
import { propsJson } from "./redact";

export interface RenderOptions {
    /** --allow-incomplete: what was not evaluated is a warning, stated in the verdict. @default false */
    readonly allowIncomplete?: boolean;
    /** The exit code the run ends with (--json states it). */
    readonly exitCode?: number;
}

export function renderJson(stacks: readonly StackPreview[], options: RenderOptions = {}): string {
    return [...renderJsonChunks(stacks, options)].join("");
}

/**
 * The JSON document in pieces, byte for byte what `JSON.stringify(document, null, 2)` writes, with
 * each stack's resources written one at a time: at a few hundred services the whole document is
 * a few hundred megabytes, and building it at once was the preview's peak memory.
 */
export function* renderJsonChunks(stacks: readonly StackPreview[], options: RenderOptions = {}): Generator<string> {
    // The document with a marker in place of each stack's resources, written around the resources.
    const marker = (i: number) => `\u0000nonstop-resources-${i}\u0000`;
    const skeleton = JSON.stringify(
        {
            verdict: {
                exitCode: options.exitCode ?? null,
                mandatoryViolations: stacks.reduce((n, s) => n + s.violations.filter((v) => v.enforcementLevel === "mandatory").length, 0),
                incomplete: stacks.reduce((n, s) => n + s.incomplete.length, 0),
                allowIncomplete: options.allowIncomplete === true,
            },
            stacks: stacks.map((s, i) => ({
                stack: s.stack,
                notes: s.notes,
                incomplete: incompleteJson(s.incomplete),
                resources: marker(i),
                violations: s.violations.map((v) => ({
                    policyPack: v.policyPack,
                    policy: v.policy,
                    enforcementLevel: v.enforcementLevel,
                    urn: v.urn ?? null,
                    message: messageOf(v),
                    group: groupOf(v),
                    id: idOf(v, messageOf(v)),
                })),
                services: servicesJson(s.resilience.services),
                whatIf: whatIfJson(s.resilience.services),
            })),
        },
        null,
        2,
    );
    let rest = skeleton;
    for (let i = 0; i < stacks.length; i++) {
        const written = JSON.stringify(marker(i));
        const at = rest.indexOf(written);
        const keyIndent = /^ */.exec(rest.slice(rest.lastIndexOf("\n", at) + 1))![0];
        yield rest.slice(0, at);
        yield* resourcesJson(stacks[i].resources, keyIndent);
        rest = rest.slice(at + written.length);
    }
    yield rest;
}

/** A stack's resources as the JSON array JSON.stringify(..., null, 2) writes under a key indented by `keyIndent`. */
function* resourcesJson(resources: readonly RecordedResource[], keyIndent: string): Generator<string> {
    if (resources.length === 0) {
        yield "[]";
        return;
    }
    const indent = `${keyIndent}  `;
    yield "[";
    for (let i = 0; i < resources.length; i++) {
        const r = resources[i];
        const json = JSON.stringify(
            {
                type: r.type,
                name: r.name,
                urn: r.urn,
                parent: r.parent ?? null,
                props: propsJson(r),
                protect: r.protect,
                retainOnDelete: r.retainOnDelete,
                dependencies: r.dependencies,
                propertyDependencies: r.propertyDependencies,
            },
            null,
            2,
        );
        yield `${i === 0 ? "" : ","}\n${indent}${json.replace(/\n/g, `\n${indent}`)}`;
    }
    yield `\n${keyIndent}]`;
}

export function renderMarkdown(stacks: readonly StackPreview[]): string {
    return renderMarkdownReport(
        stacks.map((s) => ({
            stack: s.stack,
            services: [...s.resilience.services],
            targets: s.resilience.targets,
            violations: s.violations.map((v) => ({ policyPack: v.policyPack, policy: v.policy, enforcementLevel: v.enforcementLevel, urn: v.urn, message: messageOf(v) })),
            resourceCount: s.resources.filter((r) => r.custom).length,
            incomplete: s.incomplete,
            notes: s.notes,
        })),
    );
}

/** The rule's own message, without the description the SDK puts in front of it. */
export function messageOf(d: Diagnostic): string {
    const prefix = d.description ? `${d.description}\n` : "";
    return prefix && d.message.startsWith(prefix) ? d.message.slice(prefix.length) : d.message;
}

export function renderHuman(stacks: readonly StackPreview[], options: RenderOptions = {}): string {
    const lines: string[] = [];
    for (const s of stacks) {
        const custom = s.resources.filter((r) => r.custom);
        lines.push(`Previewing stack ${s.stack} (${s.stackFile}) offline: ${custom.length} resources to create, ${s.resources.length - custom.length} components`);
        lines.push(...s.notes.map((n) => `Note: ${n}`));
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
        const notEvaluated = incompleteLines(s.incomplete);
        if (notEvaluated.length) lines.push(...notEvaluated);
        lines.push("");
    }
    const mandatory = stacks.reduce((n, s) => n + s.violations.filter((v) => v.enforcementLevel === "mandatory").length, 0);
    const incomplete = stacks.reduce((n, s) => n + s.incomplete.length, 0);
    lines.push(verdictLine(mandatory, incomplete, options.allowIncomplete === true));
    return lines.join("\n") + "\n";
}

function verdictLines(s: StackPreview): string[] {
    const lines: string[] = [];
    const packs = s.policyConfigs.map((p) => `${p.pack} (${p.source})`).join(", ");
    if (s.violations.length === 0) {
        lines.push(`Policies: no violations from ${packs}.`);
    } else {
        lines.push(`Policies (${packs}):`);
        lines.push(...renderGroupedViolations(s.violations, messageOf));
    }
    if (s.skipped.length) lines.push(`  (${s.skipped.length} policy check(s) skipped on values unknown until apply, as pulumi preview would)`);
    return lines;
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
        lines.push(`  ${"  ".repeat(depth)}${r.type} "${r.name}"${direct ? ` (${direct} resources)` : ""}${r.remote ? " (remote component: not expanded offline)" : ""}`);
        for (const k of kids) if (!k.custom) walk(k, depth + 1);
    };
    for (const root of children.get("") ?? []) if (!root.custom) walk(root, 0);
    return lines;
}
