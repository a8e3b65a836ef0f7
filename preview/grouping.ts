// Violations grouped by the resource they are about, so a reader meets each resource once with its
// problems under it, worst first (enforcement level, then how bad the rule's finding is: data loss,
// outage, degraded). What the pack could not judge is listed apart: it is a gap in the verdict, not
// a finding. `--json` keeps every violation and adds its group and a stable id (see groupOf, idOf).
import { createHash } from "crypto";
import { NOT_JUDGED, notJudgedPolicy, ruleSeverity, Severity } from "../policies/rules/severity";
import type { Diagnostic } from "./policyHost";

const levelRank: Readonly<Record<string, number>> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };
const severityRank: Readonly<Record<Severity, number>> = { "data-loss": 0, outage: 1, degraded: 2, "not-judged": 3 };

/** The group of a violation: the URN of the resource it is reported on, or `stack` for a stack-wide one. */
export function groupOf(d: Pick<Diagnostic, "urn">): string {
    return d.urn ?? "stack";
}

/**
 * A stable id for a violation: the same pack, policy, resource and message give the same id in every
 * run and on every machine (a tool can track or suppress it); a different finding gets another.
 */
export function idOf(d: Pick<Diagnostic, "policyPack" | "policy" | "urn">, message: string): string {
    return createHash("sha256").update([d.policyPack, d.policy, d.urn ?? "", message].join("\u0000")).digest("hex").slice(0, 16);
}

/** `aws:rds/instance:Instance "orders"` from a URN. */
export function resourceLabel(urn: string): string {
    const parts = urn.split("::");
    const type = (parts[2] ?? "").split("$").pop();
    return `${type} "${parts[3] ?? urn}"`;
}

/** True for the pack's NOT JUDGED listing. */
export function isNotJudged(d: Pick<Diagnostic, "policy" | "message">, message: string): boolean {
    return d.policy === notJudgedPolicy && message.includes(`${NOT_JUDGED}:`);
}

function rank(d: Diagnostic): [number, number] {
    const severity = ruleSeverity[d.policy];
    return [levelRank[d.enforcementLevel] ?? 9, severity ? severityRank[severity] : 9];
}

function compare(a: Diagnostic, b: Diagnostic): number {
    const [la, sa] = rank(a);
    const [lb, sb] = rank(b);
    return la - lb || sa - sb;
}

export interface ViolationGroup {
    /** groupOf: the resource's URN, or `stack`. */
    readonly key: string;
    /** `<type> "<name>"`, or `stack`. */
    readonly label: string;
    /** Worst first; equal ones in the order the pack reported them. */
    readonly violations: readonly Diagnostic[];
}

/** Violations (NOT JUDGED listings aside) grouped by resource, the group with the worst finding first. */
export function groupViolations(violations: readonly Diagnostic[]): ViolationGroup[] {
    const groups = new Map<string, Diagnostic[]>();
    for (const v of violations) {
        const key = groupOf(v);
        groups.set(key, [...(groups.get(key) ?? []), v]);
    }
    const out = [...groups].map(([key, vs]) => ({ key, label: key === "stack" ? "stack" : resourceLabel(key), violations: [...vs].sort(compare) }));
    return out.sort((a, b) => compare(a.violations[0], b.violations[0]) || b.violations.length - a.violations.length || a.label.localeCompare(b.label));
}

/** A message without its `<type> "<name>": ` prefix when the group header already says it. */
function withoutSubject(message: string, label: string): string {
    return message.startsWith(`${label}: `) ? message.slice(label.length + 2) : message;
}

/** `3 mandatory, 1 advisory` */
function counts(vs: readonly Diagnostic[]): string {
    const by = new Map<string, number>();
    for (const v of vs) by.set(v.enforcementLevel, (by.get(v.enforcementLevel) ?? 0) + 1);
    return [...by].sort((a, b) => (levelRank[a[0]] ?? 9) - (levelRank[b[0]] ?? 9)).map(([level, n]) => `${n} ${level}`).join(", ");
}

/**
 * The text lines of a stack's verdict: a summary, then each resource once with its problems (worst
 * first), then what the pack did not judge. `messageOf` strips the SDK's description prefix.
 */
export function renderGroupedViolations(violations: readonly Diagnostic[], messageOf: (d: Diagnostic) => string, indent = "  "): string[] {
    const gaps = violations.filter((v) => isNotJudged(v, messageOf(v)));
    const findings = violations.filter((v) => !gaps.includes(v));
    const groups = groupViolations(findings);
    const lines: string[] = [];
    if (findings.length) {
        lines.push(`${indent}${counts(findings)} on ${groups.length} resource${groups.length === 1 ? "" : "s"} (each resource once, worst first):`);
        for (const g of groups) {
            lines.push(`${indent}${g.label} (${counts(g.violations)})`);
            for (const v of g.violations) lines.push(`${indent}  ${v.enforcementLevel} [${v.policy}] ${withoutSubject(messageOf(v), g.label)}`);
        }
    }
    if (gaps.length) {
        const resources = new Set(gaps.map(groupOf)).size;
        lines.push(`${indent}${NOT_JUDGED} (${resources} resource${resources === 1 ? "" : "s"}): the pack cannot see into these, so the verdict covers nothing of them:`);
        for (const v of gaps) {
            const label = v.urn ? resourceLabel(v.urn) : "stack";
            const text = withoutSubject(messageOf(v), label);
            const reason = /^NOT JUDGED: (.*?); a clean verdict says nothing about it\./s.exec(text)?.[1] ?? text;
            lines.push(`${indent}  ${label}: ${reason}`);
        }
    }
    return lines;
}
