// What the preview could not evaluate. One typed list per stack, filled by the program run (failed
// or missing registrations, remote components, unanswered data sources and reads, a program that
// stopped early or never finished) and by the policy host (policies that threw or never finished).
// Every output form renders this same list, and a non-empty list is never a pass: the preview
// exits EXIT_INCOMPLETE unless --allow-incomplete turns it into a loudly stated warning.

export type IncompleteKind =
    /** A resource whose registration failed or never happened (rejected input, apply that threw, waits on one that failed). */
    | "registration"
    /** A multi-language component (`remote: true`): its children are created by a provider plugin the preview does not run. */
    | "remote-component"
    /** A data source (invoke) with no built-in answer and none in --data-sources. */
    | "data-source"
    /** An existing resource read with `.get()`, whose state the preview cannot fetch. */
    | "read"
    /** A failure of the program not tied to one resource (an unhandled rejection, process.exit). */
    | "program"
    /** The program or a policy pack did not finish within the time limit, or could never finish. */
    | "timeout"
    /** A policy that threw on a resource or the stack, so it judged nothing there. */
    | "policy"
    /** A stack not previewed at all. */
    | "stack";

export interface Incomplete {
    readonly kind: IncompleteKind;
    /** What was not evaluated: a resource (`type "name"`), a data-source token, a policy. */
    readonly what: string;
    /** Why, with the error when there is one. Never holds a secret value (scrubbed before output). */
    readonly why: string;
    /** The resource's URN, when the item is one resource. */
    readonly urn?: string;
}

/** `aws:s3/bucket:Bucket "logs"`: how the preview names one resource in messages. */
export function resourceLabel(type: string, name: string): string {
    return `${type} "${name}"`;
}

const KIND_TITLE: Record<IncompleteKind, string> = {
    registration: "resource not registered",
    "remote-component": "remote component not expanded",
    "data-source": "data source not answered",
    read: "resource read not answered",
    program: "program failure",
    timeout: "did not finish",
    policy: "policy failed",
    stack: "stack not previewed",
};

/** Text lines for one stack (empty when everything was evaluated). */
export function incompleteLines(items: readonly Incomplete[]): string[] {
    if (items.length === 0) return [];
    const lines = [`NOT EVALUATED (${items.length}): the preview could not judge the following, so this stack did not pass:`];
    for (const i of items) {
        lines.push(`  - ${KIND_TITLE[i.kind]}: ${i.what}`);
        for (const l of i.why.split("\n")) lines.push(`      ${l}`);
    }
    return lines;
}

/** The `--json` shape: `stacks[].incomplete`. */
export function incompleteJson(items: readonly Incomplete[]): { kind: IncompleteKind; what: string; why: string; urn: string | null }[] {
    return items.map((i) => ({ kind: i.kind, what: i.what, why: i.why, urn: i.urn ?? null }));
}

/** Markdown lines for one stack of the report (escape with the report's own escaper). */
export function incompleteMarkdown(items: readonly Incomplete[], escape: (text: string) => string): string[] {
    if (items.length === 0) return [];
    return [
        "### Not evaluated",
        "",
        `**The preview could not judge ${items.length} thing${items.length === 1 ? "" : "s"} in this stack; it did not pass.**`,
        "",
        ...items.map((i) => `- **${escape(KIND_TITLE[i.kind])}**: ${escape(i.what)}: ${escape(i.why)}`),
        "",
    ];
}

/** The closing verdict line of the text output. */
export function verdictLine(mandatory: number, incomplete: number, allowIncomplete: boolean): string {
    const refused = mandatory ? `${mandatory} mandatory violation(s): this plan would be refused.` : "no mandatory violation";
    if (incomplete === 0) return mandatory ? `Verdict: ${refused}` : "Verdict: no mandatory violation.";
    if (mandatory) return `Verdict: ${refused} Also INCOMPLETE: ${incomplete} thing(s) were not evaluated (listed above).`;
    if (allowIncomplete) {
        return `Verdict: ${refused} among what was evaluated, but INCOMPLETE: ${incomplete} thing(s) were not evaluated (listed above); accepted only because of --allow-incomplete.`;
    }
    return `Verdict: INCOMPLETE: ${incomplete} thing(s) were not evaluated (listed above); this is not a pass.`;
}
