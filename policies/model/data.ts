// The model's published numbers, read from its data files: SLAs (slas.json), durations and provider
// defaults (timings.json) and failure rates and outage durations (rates.json). Code never carries a
// number of its own; it names an entry.
import rateFile from "./rates.json";
import slaFile from "./slas.json";
import timingFile from "./timings.json";
import { Quantity, Unit } from "./quantity";

export interface SlaEntry {
    readonly key: string;
    readonly service: string;
    readonly sla: number;
    readonly source: string;
    readonly note: string;
}

export type EntryKind = "documented" | "default" | "assumption";

/** A range (low / likely / high) or an exact provider default (`value`). */
export interface TimingEntry {
    readonly key: string;
    readonly low?: number;
    readonly likely?: number;
    readonly high?: number;
    readonly value?: number;
    readonly unit?: Unit;
    readonly kind: EntryKind;
    readonly source: string;
    readonly note: string;
}

export const SLAS: readonly SlaEntry[] = slaFile.entries;
export const TIMINGS: readonly TimingEntry[] = timingFile.entries as readonly TimingEntry[];
export const RATES: readonly TimingEntry[] = rateFile.entries as readonly TimingEntry[];

const slaByKey = new Map(SLAS.map((e) => [e.key, e]));
const entryByKey = new Map([...TIMINGS, ...RATES].map((e) => [e.key, e]));

export function sla(key: string): SlaEntry {
    const e = slaByKey.get(key);
    if (!e) throw new Error(`resilience model: no SLA entry "${key}" in policies/model/slas.json`);
    return e;
}

function entry(key: string): TimingEntry {
    const e = entryByKey.get(key);
    if (!e) throw new Error(`resilience model: no entry "${key}" in policies/model/timings.json or rates.json`);
    return e;
}

/** A provider default or documented constant (an exact number). */
export function constant(key: string): TimingEntry & { readonly amount: number } {
    const e = entry(key);
    const amount = e.value ?? e.likely;
    if (amount === undefined) throw new Error(`resilience model: entry "${key}" has no value`);
    return { ...e, amount };
}

/**
 * A data-file entry as an uncertain quantity. `key` gives it another identity for sampling when
 * one entry stands for several independent numbers (rarely wanted: see rates.json on classes).
 */
export function quantity(name: string, label?: string, key = name): Quantity {
    const e = entry(name);
    const likely = e.likely ?? e.value;
    if (likely === undefined) throw new Error(`resilience model: entry "${name}" has no value`);
    return {
        key,
        label: label ?? name,
        low: e.low ?? likely,
        likely,
        high: e.high ?? likely,
        unit: e.unit ?? "s",
        basis: e.kind,
        source: e.source,
    };
}

/** `documented: URL` / `assumption: URL` for a term's source. */
export function cite(e: { readonly kind?: string; readonly basis?: string; readonly source: string }): string {
    const kind = e.kind ?? e.basis;
    return kind === "documented" || kind === "configured" ? e.source : `${kind}: ${e.source}`;
}
