// The model's published numbers, read from its two data files: SLAs (slas.json) and durations and
// provider defaults (timings.json). Code never carries a number of its own; it names an entry.
import slaFile from "./slas.json";
import timingFile from "./timings.json";

export interface SlaEntry {
    readonly key: string;
    readonly service: string;
    readonly sla: number;
    readonly source: string;
    readonly note: string;
}

export interface TimingEntry {
    readonly key: string;
    /** A duration. */
    readonly seconds?: number;
    /** A count (e.g. a default failure threshold). */
    readonly value?: number;
    readonly kind: "documented" | "default" | "assumption";
    readonly source: string;
    readonly note: string;
}

export const SLAS: readonly SlaEntry[] = slaFile.entries;
export const TIMINGS: readonly TimingEntry[] = timingFile.entries as readonly TimingEntry[];

const slaByKey = new Map(SLAS.map((e) => [e.key, e]));
const timingByKey = new Map(TIMINGS.map((e) => [e.key, e]));

export function sla(key: string): SlaEntry {
    const e = slaByKey.get(key);
    if (!e) throw new Error(`resilience model: no SLA entry "${key}" in policies/model/slas.json`);
    return e;
}

export function timing(key: string): TimingEntry & { readonly amount: number } {
    const e = timingByKey.get(key);
    const amount = e?.seconds ?? e?.value;
    if (!e || amount === undefined) throw new Error(`resilience model: no timing entry "${key}" in policies/model/timings.json`);
    return { ...e, amount };
}

/** `30 s (assumption: <source>)`-style citation of a timing entry for a term's `source`. */
export function cite(entry: TimingEntry): string {
    return entry.kind === "documented" ? entry.source : `${entry.kind}: ${entry.source}`;
}
