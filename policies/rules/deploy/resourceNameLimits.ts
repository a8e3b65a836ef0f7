// Physical names the provider's Check or the cloud's API refuses: too long, or with characters the
// service does not take. Mocks never auto-name, so the offline preview computes the name the
// provider would: the logical name + separator + random characters (pulumi-terraform-bridge and
// pulumi-kubernetes auto-naming), or the *Prefix field + the characters the provider appends.
//
// With the real CLI the engine hands policies the inputs *after* the provider's Check
// (pkg/resource/deploy/step_generator.go: `inputs = resp.Properties` before the analyzers run), so
// an auto-name is already filled in there and is judged as given. When the provider refuses to
// generate it at all ("name '...-' plus 7 random chars is longer than maximum length 32"), the
// preview stops at Check with that error and policies never see the resource: the offline preview
// is where this rule reports it.
import { GraphResource } from "../../lib/graph";
import { isUnknown, read } from "../../lib/props";
import { finding, Finding, graphRule } from "../graph/lib";
import namesFile from "./data/names.json";
import { gcpProjectOf } from "./lib";

interface Charset {
    readonly pattern: string;
    readonly says: string;
}

interface AutoName {
    readonly separator: string;
    readonly random: number;
    /** The provider refuses to generate a name longer than this (0: no limit of its own). */
    readonly providerMaxLength: number;
    readonly lowercase?: boolean;
    /** Prepended after generation (KMS aliases: "alias/"). */
    readonly prepend?: string;
    /** A boolean input that makes the provider append ".fifo". */
    readonly fifoFlag?: string;
}

export interface NameRule {
    readonly types: readonly string[];
    /** Dotted path of the name field, e.g. "name", "metadata.name". */
    readonly field: string;
    readonly maxLength: number;
    readonly minLength?: number;
    readonly charset: string;
    /** Absent: the provider does not auto-name this field from the logical name. */
    readonly autoname?: AutoName;
    readonly prefix?: { readonly field: string; readonly suffixLength: number };
    /** The cloud counts "<project>:<name>" against maxLength (Cloud SQL instance ids). */
    readonly projectQualified?: boolean;
    /** The provider's own error text, when known. */
    readonly error?: string;
    readonly sources: readonly string[];
}

const data = namesFile as unknown as { sources: Record<string, string>; charsets: Record<string, Charset>; rules: NameRule[] };

const byType = new Map<string, NameRule>();
for (const rule of data.rules) for (const t of rule.types) byType.set(t, rule);
const charsets = new Map(Object.entries(data.charsets).map(([k, c]) => [k, { ...c, regex: new RegExp(c.pattern) }]));

/** Kubernetes types that are not objects with metadata (components, Helm releases, providers). */
const notKubernetesObject = /^kubernetes:(helm\.sh|yaml|kustomize|index)\b|^kubernetes:[^:]*:[^:]*List$/;

/** The name rule that applies to a type token, if any. */
export function nameRuleFor(type: string): NameRule | undefined {
    const exact = byType.get(type);
    if (exact) return exact;
    if (type.startsWith("kubernetes:") && !notKubernetesObject.test(type)) return byType.get("kubernetes:*");
    return undefined;
}

interface Candidate {
    /** The name as the provider would send it (generated characters as "a"). */
    readonly value: string;
    /** The same for messages, generated characters as "x". */
    readonly display: string;
    /** True when the name field itself is set (judged as given). */
    readonly given?: boolean;
    /** How the name comes about, for the message. */
    readonly how: string;
    /** The provider's own refusal, when it will not even generate the name. */
    readonly providerRefusal?: string;
    /** The length limit applying to the part the user controls (logical name or prefix). */
    readonly controlled: { readonly what: string; readonly max: number };
}

/** The name the provider would use for `r` under `rule`, or undefined when it cannot be told. */
export function candidateName(r: GraphResource, rule: NameRule): Candidate | undefined {
    const value = read(r.props, rule.field);
    if (isUnknown(value)) return undefined;
    if (typeof value === "string") return { value, display: value, given: true, how: `${rule.field} is given`, controlled: { what: rule.field, max: rule.maxLength } };
    if (value !== undefined && value !== null) return undefined;
    if (rule.prefix) {
        const prefix = read(r.props, rule.prefix.field);
        if (isUnknown(prefix)) return undefined;
        if (typeof prefix === "string") {
            return {
                value: prefix + "0".repeat(rule.prefix.suffixLength),
                display: prefix + "x".repeat(rule.prefix.suffixLength),
                how: `${rule.prefix.field} "${prefix}" plus the ${rule.prefix.suffixLength} characters the provider appends`,
                controlled: { what: rule.prefix.field, max: rule.maxLength - rule.prefix.suffixLength },
            };
        }
    }
    const auto = rule.autoname;
    if (!auto) return undefined;
    const base = (auto.lowercase ? r.name.toLowerCase() : r.name) + auto.separator;
    const fifo = auto.fifoFlag !== undefined && read(r.props, auto.fifoFlag) === true ? ".fifo" : "";
    const generated = `${auto.prepend ?? ""}${base}${"a".repeat(auto.random)}${fifo}`;
    const display = `${auto.prepend ?? ""}${base}${"x".repeat(auto.random)}${fifo}`;
    const how = `auto-named by Pulumi: the logical name "${r.name}"${auto.separator ? ` + "${auto.separator}"` : ""} + ${auto.random} random characters${auto.lowercase ? ", lowercased" : ""}`;
    const controlledMax = Math.min(rule.maxLength, auto.providerMaxLength || Infinity) - auto.random - auto.separator.length - (auto.prepend?.length ?? 0) - fifo.length;
    const refused =
        auto.providerMaxLength > 0 && base.length + auto.random > auto.providerMaxLength
            ? `name '${base}' plus ${auto.random} random chars is longer than maximum length ${auto.providerMaxLength}`
            : undefined;
    return { value: generated, display, how, providerRefusal: refused, controlled: { what: "the logical name", max: controlledMax } };
}

/** What is wrong with a name under a rule: an empty list when nothing. */
export function nameProblems(name: string, rule: NameRule, maxLength = rule.maxLength): string[] {
    const problems: string[] = [];
    if (name.length > maxLength) problems.push(`${name.length} characters, over the limit of ${maxLength}`);
    if (rule.minLength !== undefined && name.length < rule.minLength) problems.push(`${name.length} characters, under the minimum of ${rule.minLength}`);
    const cs = charsets.get(rule.charset);
    if (cs && !cs.regex.test(name)) problems.push(`not ${cs.says}`);
    return problems;
}

function cloudOf(type: string): string {
    const pkg = type.split(":")[0];
    return pkg === "aws" ? "AWS API" : pkg === "gcp" ? "Google Cloud API" : pkg === "kubernetes" ? "Kubernetes API server" : `${pkg} API`;
}

function judgeOne(r: GraphResource, rule: NameRule): Finding | undefined {
    const c = candidateName(r, rule);
    if (!c) return undefined;
    let max = rule.maxLength;
    if (rule.projectQualified) {
        const project = gcpProjectOf(r);
        // "<project>:<name>" counts; an unknown project is given the shortest a project id can be (6).
        max -= (typeof project === "string" ? project.length : 6) + 1;
    }
    const problems = nameProblems(c.value, rule, max);
    if (problems.length === 0 && !c.providerRefusal) return undefined;
    const wrong = problems.length ? problems.join("; ") : `longer than the ${rule.autoname?.providerMaxLength} characters the provider generates`;
    const what = c.given ? `${rule.field} is "${c.display}": ${wrong}` : `${rule.field} would be "${c.display}" (${c.how}): ${wrong}`;
    const cloud = cloudOf(r.type);
    const consequence = c.providerRefusal
        ? `pulumi preview stops at the provider's Check with "${c.providerRefusal}"`
        : `the provider's Check or the ${cloud} refuses it${rule.error ? ` (${rule.error})` : ""} and nothing of this resource is created`;
    const room = Math.max(c.controlled.max, 1);
    const fix = rule.prefix
        ? `Give ${rule.field} explicitly (at most ${max} characters of ${charsets.get(rule.charset)?.says ?? "the allowed characters"}, unique where the service requires it, e.g. built from the stack name and a short hash), or ${rule.prefix.field} of at most ${rule.maxLength - rule.prefix.suffixLength} characters, or a logical name of at most ${room} characters (with \`aliases\` for the old one).`
        : `Give ${rule.field} explicitly (at most ${max} characters of ${charsets.get(rule.charset)?.says ?? "the allowed characters"}, unique where the service requires it), or shorten ${c.controlled.what} to at most ${room} characters (with \`aliases\` for a renamed resource).`;
    return finding(r, what, consequence, fix);
}

/**
 * Names the provider's Check or the cloud's API would refuse, judged as given or as Pulumi would
 * auto-name them, against the limits in data/names.json (sources listed there).
 */
export const resourceNameLimits = graphRule({
    name: "resource-name-limits",
    description:
        "Physical names (given, auto-named from the logical name, or from a name prefix) must fit the length and character rules of the provider and the cloud, or `pulumi preview`/`pulumi up` fails at the provider's Check or at create.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        for (const r of graph.resources) {
            const rule = nameRuleFor(r.type);
            if (!rule) continue;
            const f = judgeOne(r, rule);
            if (f) findings.push(f);
        }
        return findings;
    },
});
