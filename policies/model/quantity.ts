// Uncertain numbers: every timing and rate the model uses is a Quantity with a low, a likely and a
// high value and its source; what the model computes from them is an Expr (sums, maxima, minima,
// products). An Expr is evaluated three ways:
//   - at a point: every quantity at its low, likely or high value (hand-checkable bounds);
//   - by Monte Carlo: each quantity drawn from a triangular distribution (rates on a log scale),
//     giving P10 / P50 / P90.
// Draws use common random numbers: the value of a quantity in sample i depends only on the seed,
// i and the quantity's key, never on what else is evaluated. Two designs that share a quantity see
// the same draw of it in every sample, so comparing them (adding a site, removing a trigger) is
// not blurred by sampling noise. Everything here is deterministic.

/** What a quantity's number rests on. */
export type Basis = "documented" | "default" | "assumption" | "configured" | "derived";
export type Unit = "s" | "/yr" | "share";

export interface Quantity {
    /** Identity for sampling: quantities with the same key are one uncertain number. */
    readonly key: string;
    /** What it is, for terms and timelines. */
    readonly label: string;
    readonly low: number;
    readonly likely: number;
    readonly high: number;
    readonly unit: Unit;
    readonly basis: Basis;
    /** A URL, or the resource and property the value was read from. */
    readonly source: string;
    /** Set when the value cannot be known at preview: every result that uses it is unknown. */
    readonly unknown?: string;
}

export type Expr =
    | { readonly op: "q"; readonly q: Quantity }
    | { readonly op: "c"; readonly v: number }
    | { readonly op: "sum" | "max" | "min" | "mul"; readonly xs: readonly Expr[] };

export const NEVER: Expr = { op: "c", v: Infinity };
export const ZERO: Expr = { op: "c", v: 0 };

export function q(quantity: Quantity): Expr {
    return { op: "q", q: quantity };
}

export function c(v: number): Expr {
    return { op: "c", v };
}

export function isZero(e: Expr): boolean {
    return e.op === "c" && e.v === 0;
}

export function isNever(e: Expr): boolean {
    return e.op === "c" && e.v === Infinity;
}

/** Constants fold: a sum with NEVER is NEVER, zeros drop out. */
export function sum(...xs: Expr[]): Expr {
    if (xs.some(isNever)) return NEVER;
    const kept = xs.filter((x) => !isZero(x));
    return kept.length === 0 ? ZERO : kept.length === 1 ? kept[0] : { op: "sum", xs: kept };
}

/** Durations only (non-negative): zeros drop out, NEVER wins. */
export function max(...xs: Expr[]): Expr {
    if (xs.some(isNever)) return NEVER;
    const kept = xs.filter((x) => !isZero(x));
    return kept.length === 0 ? ZERO : kept.length === 1 ? kept[0] : { op: "max", xs: kept };
}

/** Durations only (non-negative): NEVER drops out, a zero wins. */
export function min(...xs: Expr[]): Expr {
    if (xs.some(isZero)) return ZERO;
    const kept = xs.filter((x) => !isNever(x));
    return kept.length === 0 ? NEVER : kept.length === 1 ? kept[0] : { op: "min", xs: kept };
}

export function mul(...xs: Expr[]): Expr {
    return xs.length === 1 ? xs[0] : { op: "mul", xs };
}

/** A quantity known exactly (read from the graph): low = likely = high. */
export function exact(key: string, label: string, value: number, unit: Unit, source: string, basis: Basis = "configured"): Quantity {
    return { key, label, low: value, likely: value, high: value, unit, basis, source };
}

/** A quantity whose value is unknown at preview. */
export function unknownQuantity(key: string, label: string, unit: Unit, why: string, source: string): Quantity {
    return { key, label, low: NaN, likely: NaN, high: NaN, unit, basis: "configured", source, unknown: why };
}

export type Point = "low" | "likely" | "high";
export type Pick = (quantity: Quantity) => number;

export function evaluate(e: Expr, pick: Pick): number {
    if (run !== undefined && pick === run.pick) {
        const v = run.vectors.get(e) ?? (run.index === 0 ? vectorOf(e, run) : undefined);
        if (v !== undefined) return v[run.index];
    }
    switch (e.op) {
        case "q":
            return pick(e.q);
        case "c":
            return e.v;
        case "sum": {
            let a = 0;
            for (const x of e.xs) a += evaluate(x, pick);
            return a;
        }
        case "mul": {
            let a = 1;
            for (const x of e.xs) a *= evaluate(x, pick);
            return a;
        }
        case "max": {
            let a = -Infinity;
            for (const x of e.xs) {
                const v = evaluate(x, pick);
                if (v > a) a = v;
            }
            return a;
        }
        case "min": {
            let a = Infinity;
            for (const x of e.xs) {
                const v = evaluate(x, pick);
                if (v < a) a = v;
            }
            return a;
        }
    }
}

export function atPoint(point: Point): Pick {
    return (x) => x[point];
}

/** The quantities an expression reads, each once (by key). */
export function quantitiesOf(e: Expr, into = new Map<string, Quantity>()): Map<string, Quantity> {
    if (e.op === "q") into.set(e.q.key, e.q);
    else if (e.op !== "c") for (const x of e.xs) quantitiesOf(x, into);
    return into;
}

/** The reasons an expression is unknown at preview (empty when it can be evaluated). */
export function unknownsOf(e: Expr): string[] {
    return [...quantitiesOf(e).values()].filter((x) => x.unknown !== undefined).map((x) => `${x.label}: ${x.unknown}`);
}

// ---------------------------------------------------------------------------------------------
// Monte Carlo
// ---------------------------------------------------------------------------------------------

/**
 * Samples per estimate: the P10 and P90 of 1000 draws sit within about one percentile point of
 * the true ones. Timeline steps, shown for orientation only, use the first DISPLAY_SAMPLES.
 */
export const SAMPLES = 1000;
export const DISPLAY_SAMPLES = 200;
const SEED = 0x5eed_2026;

/** 32-bit FNV-1a of a string. */
function hashString(s: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) {
        h ^= s.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
}

/** A uniform number in (0, 1) from a key hash and a sample index (splitmix-style finalizer). */
function uniform(keyHash: number, i: number): number {
    let z = (keyHash ^ Math.imul(i + 1, 0x9e3779b1) ^ SEED) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    return (z + 0.5) / 4294967296;
}

/** Inverse CDF of the triangular distribution (low, likely, high). */
export function triangular(u: number, low: number, likely: number, high: number): number {
    if (high <= low) return likely;
    const f = (likely - low) / (high - low);
    return u < f ? low + Math.sqrt(u * (high - low) * (likely - low)) : high - Math.sqrt((1 - u) * (high - low) * (high - likely));
}

/**
 * The value of a quantity in sample i. Rates spanning an order of magnitude are drawn on a log
 * scale (a triangular distribution of the logarithm), durations and shares on a linear one.
 */
export function draw(x: Quantity, i: number, keyHash = hashString(x.key)): number {
    if (x.low === x.high) return x.likely;
    const u = uniform(keyHash, i);
    if (x.unit === "/yr" && x.low > 0) return Math.exp(triangular(u, Math.log(x.low), Math.log(x.likely), Math.log(x.high)));
    return triangular(u, x.low, x.likely, x.high);
}

/** P10, P50 and P90 with the all-low, all-likely and all-high points. P90 is the pessimistic end. */
export interface Stat {
    readonly p10: number;
    readonly p50: number;
    readonly p90: number;
    /** Every input at its low / likely / high value. */
    readonly low: number;
    readonly likely: number;
    readonly high: number;
}

/**
 * Percentiles of `f` over SAMPLES draws. `pessimistic: "high"` (times, losses): P90 is the 90th
 * percentile; `"low"` (availability): P90 is the 10th percentile, the pessimistic end, so P90
 * always reads as "9 years in 10 at least this good".
 */
export function sample(f: (pick: Pick) => number, pessimistic: "high" | "low" = "high", n = SAMPLES): Stat {
    const values = new Float64Array(n);
    const outer = run;
    const current: SampleRun = { pick: (x) => (x.low === x.high ? x.likely : drawsOf(x)[current.index]), index: 0, n, vectors: new Map() };
    run = current;
    try {
        for (; current.index < n; current.index++) values[current.index] = f(current.pick);
    } finally {
        run = outer;
    }
    values.sort();
    const at = (p: number) => values[Math.min(n - 1, Math.max(0, Math.round(p * (n - 1))))];
    const flip = pessimistic === "low";
    return {
        p10: at(flip ? 0.9 : 0.1),
        p50: at(0.5),
        p90: at(flip ? 0.1 : 0.9),
        low: f(atPoint("low")),
        likely: f(atPoint("likely")),
        high: f(atPoint("high")),
    };
}

/**
 * One `sample` call in progress. `f` evaluates the same expressions in every sample, so each
 * expression the first sample evaluates is computed for all n samples at once, operation by
 * operation in the order `evaluate` uses (the same floating-point result), and later samples read
 * it. An expression first met in a later sample (a branch the first one skipped, or one `f` builds
 * as it goes) is evaluated per sample, as before.
 */
interface SampleRun {
    readonly pick: Pick;
    index: number;
    readonly n: number;
    readonly vectors: Map<Expr, Float64Array>;
}
let run: SampleRun | undefined;

function vectorOf(e: Expr, r: SampleRun): Float64Array {
    const known = r.vectors.get(e);
    if (known) return known;
    const n = r.n;
    let v: Float64Array;
    switch (e.op) {
        case "q": {
            const x = e.q;
            v = x.low === x.high ? new Float64Array(n).fill(x.likely) : drawsOf(x).subarray(0, n);
            break;
        }
        case "c":
            v = new Float64Array(n).fill(e.v);
            break;
        case "sum":
        case "mul": {
            v = new Float64Array(n).fill(e.op === "sum" ? 0 : 1);
            for (const x of e.xs) {
                const w = vectorOf(x, r);
                if (e.op === "sum") for (let i = 0; i < n; i++) v[i] += w[i];
                else for (let i = 0; i < n; i++) v[i] *= w[i];
            }
            break;
        }
        case "max":
        case "min": {
            v = new Float64Array(n).fill(e.op === "max" ? -Infinity : Infinity);
            for (const x of e.xs) {
                const w = vectorOf(x, r);
                if (e.op === "max") {
                    for (let i = 0; i < n; i++) if (w[i] > v[i]) v[i] = w[i];
                } else for (let i = 0; i < n; i++) if (w[i] < v[i]) v[i] = w[i];
            }
            break;
        }
    }
    r.vectors.set(e, v);
    return v;
}

/** Draws of a quantity, one per sample, computed once per distinct quantity (common random numbers). */
const drawCache = new Map<string, Float64Array>();
const drawsByObject = new WeakMap<Quantity, Float64Array>();

function drawsOf(x: Quantity): Float64Array {
    const known = drawsByObject.get(x);
    if (known) return known;
    const id = `${x.key}|${x.low}|${x.likely}|${x.high}|${x.unit}`;
    let d = drawCache.get(id);
    if (!d) {
        d = new Float64Array(SAMPLES);
        const h = hashString(x.key);
        for (let i = 0; i < SAMPLES; i++) d[i] = draw(x, i, h);
        drawCache.set(id, d);
    }
    drawsByObject.set(x, d);
    return d;
}
