// Secrets never leave the preview. Policies see secret values (the engine gives them to analyzers),
// but every output form shows `[secret]` instead, as `pulumi preview` does.
//
// Redaction is structural: the SDK marks secrets on the wire (pulumi.secret, config.getSecret,
// secret outputs), the program run records where they sit in each resource's inputs
// (RecordedResource.secretPaths) together with the fields the provider declares secret
// (additionalSecretOutputs), and resources become output only through `propsJson` here. Free text
// written by third-party code (policy messages, program errors) cannot be redacted by structure,
// so it is scrubbed of the secret values the run collected, as a second line of defence.
import type { RecordedResource } from "./program";
import { PathKey, UNKNOWN } from "./values";

/** What every output form shows in place of a secret value. */
export const SECRET_TEXT = "[secret]";

/** Secret strings shorter than this are not scrubbed from free text: too likely to match ordinary words. */
const MIN_SCRUBBED_LENGTH = 4;

/** The secret values met in a run, to scrub from free text. */
export class SecretValues {
    private readonly values = new Set<string>();
    private sorted: string[] | undefined;

    add(values: Iterable<string>): void {
        for (const v of values) {
            if (v.length >= MIN_SCRUBBED_LENGTH && v !== SECRET_TEXT && !this.values.has(v)) {
                this.values.add(v);
                this.sorted = undefined;
            }
        }
    }

    get size(): number {
        return this.values.size;
    }

    /** The text with every secret value replaced by `[secret]` (longest first, so no part of one survives). */
    scrub(text: string): string {
        if (this.values.size === 0 || text.length < MIN_SCRUBBED_LENGTH) return text;
        this.sorted ??= [...this.values].sort((a, b) => b.length - a.length);
        let out = text;
        for (const v of this.sorted) if (out.includes(v)) out = out.split(v).join(SECRET_TEXT);
        return out;
    }
}

type Trie = Map<PathKey, Trie | true>;

function trieOf(paths: readonly (readonly PathKey[])[]): Trie {
    const root: Trie = new Map();
    for (const p of paths) {
        let node: Trie = root;
        for (let i = 0; i < p.length; i++) {
            const existing = node.get(p[i]);
            if (existing === true) break; // an enclosing value is already secret
            if (i === p.length - 1) {
                node.set(p[i], true);
                break;
            }
            let next = existing;
            if (!next) node.set(p[i], (next = new Map()));
            node = next;
        }
    }
    return root;
}

/**
 * A resource's inputs for `--json`: unknown values as null, and every secret (marked on the wire or
 * declared by the provider) as `[secret]`. The only way recorded inputs become output.
 */
export function propsJson(r: Pick<RecordedResource, "inputs" | "secretPaths" | "additionalSecretOutputs">): unknown {
    const paths = [...r.secretPaths, ...r.additionalSecretOutputs.filter((k) => k in r.inputs).map((k) => [k])];
    if (paths.length === 0) return json(r.inputs, undefined);
    if (paths.some((p) => p.length === 0)) return SECRET_TEXT;
    return json(r.inputs, trieOf(paths));
}

function json(value: unknown, secret: Trie | undefined): unknown {
    if (value === UNKNOWN) return null;
    if (value === null || typeof value !== "object") return value;
    const at = (k: PathKey, v: unknown): unknown => {
        const mark = secret?.get(k);
        return mark === true ? (v === UNKNOWN ? null : SECRET_TEXT) : json(v, mark);
    };
    if (Array.isArray(value)) return value.map((v, i) => at(i, v));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = at(k, v);
    return out;
}
