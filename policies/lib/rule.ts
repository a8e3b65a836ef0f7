// What every resource rule of the pack shares: typed, unknown-safe reads of a resource's props,
// thresholds declared once (schema and in-code defaults from the same declaration), and messages
// of one shape: `<type> "<name>": <what was found>; <why it matters>. <the fix>`.
//
// A rule reports only what it can prove from known values: every read goes through ./props, so an
// unknown value (or one of the wrong type) reads as "not known" and is never a violation or a throw.
import type { PolicyConfigSchema, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import type { Unwrap } from "@pulumi/pulumi";
import { bool, isUnknown, list, num, plain, read, str } from "./props";

// ---------------------------------------------------------------------------------------------
// Thresholds
// ---------------------------------------------------------------------------------------------

/** One configurable threshold of a rule: its JSON Schema, whose `default` is also the in-code default. */
export type Threshold =
    | { readonly type: "integer" | "number"; readonly default: number; readonly minimum?: number; readonly maximum?: number; readonly description: string }
    | { readonly type: "boolean"; readonly default: boolean; readonly description: string }
    | { readonly type: "string"; readonly default: string; readonly minLength?: number; readonly description: string }
    | { readonly type: "array"; readonly default: readonly string[]; readonly description: string };

export type Thresholds = Readonly<Record<string, Threshold>>;

/** The values a rule reads for its thresholds. */
export type ThresholdValues<T extends Thresholds> = {
    readonly [K in keyof T]: T[K] extends { type: "integer" | "number" }
        ? number
        : T[K] extends { type: "boolean" }
          ? boolean
          : T[K] extends { type: "array" }
            ? readonly string[]
            : string;
};

/** The policy's `configSchema` for its thresholds. */
export function configSchema(thresholds: Thresholds): PolicyConfigSchema {
    const properties: PolicyConfigSchema["properties"] = {};
    for (const [key, t] of Object.entries(thresholds)) {
        properties[key] = t.type === "array" ? { type: "array", items: { type: "string" }, default: [...t.default], description: t.description } : { ...t };
    }
    return { properties };
}

/**
 * The thresholds in effect: each configured value when it has the declared type and range, else
 * the declared default. The engine fills schema defaults, but the SDK alone (and a malformed
 * config) does not, so a rule never sees a missing or mistyped threshold.
 */
export function thresholds<T extends Thresholds>(args: Pick<ResourceValidationArgs, "getConfig">, declared: T): ThresholdValues<T> {
    let configured: Record<string, unknown> = {};
    try {
        const c = args.getConfig<Record<string, unknown>>();
        if (c && typeof c === "object") configured = c;
    } catch {
        // no config: defaults
    }
    const out: Record<string, unknown> = {};
    for (const [key, t] of Object.entries(declared)) {
        const v = configured[key];
        out[key] = fits(t, v) ? v : t.default;
    }
    return out as ThresholdValues<T>;
}

function fits(t: Threshold, v: unknown): boolean {
    switch (t.type) {
        case "integer":
        case "number":
            return (
                typeof v === "number" &&
                Number.isFinite(v) &&
                (t.type === "number" || Number.isInteger(v)) &&
                (t.minimum === undefined || v >= t.minimum) &&
                (t.maximum === undefined || v <= t.maximum)
            );
        case "boolean":
            return typeof v === "boolean";
        case "string":
            return typeof v === "string" && v.length >= (t.minLength ?? 0);
        case "array":
            return Array.isArray(v) && v.every((x) => typeof x === "string");
    }
}

// ---------------------------------------------------------------------------------------------
// Typed, unknown-safe reads
// ---------------------------------------------------------------------------------------------

type Key<T> = Extract<keyof T, string>;
type Field<T, K extends keyof T> = NonNullable<T[K]>;
type Element<T> = T extends readonly (infer E)[] ? NonNullable<E> : never;

/**
 * A read-only view of (part of) a resource's props, typed by the provider's args so property names
 * are checked by the compiler. Every read goes through ./props: unknown values and values of the
 * wrong type come back as `undefined` from the typed getters; `unknown(key)` and `absent(key)` tell
 * the two apart when a rule must.
 */
export class View<T> {
    constructor(
        private readonly value: unknown,
        /** Dotted path of this view from the resource's props, for messages ("" at the root). */
        readonly path: string = "",
    ) {}

    /** The view of a nested object (absent or unknown objects give views that read nothing). */
    at<K extends Key<T>>(key: K): View<Field<T, K>> {
        return new View<Field<T, K>>(read(this.value, [key]), this.pathOf(key));
    }

    /** Views of the elements of a known array; undefined when the array is absent or unknown. */
    items<K extends Key<T>>(key: K): View<Element<Field<T, K>>>[] | undefined {
        return list(this.value, [key])?.map((e, i) => new View<Element<Field<T, K>>>(e, `${this.pathOf(key)}[${i}]`));
    }

    /** The raw value: UNKNOWN, undefined when absent, else the plain value. */
    read(key: Key<T>): unknown {
        return read(this.value, [key]);
    }

    num(key: Key<T>): number | undefined {
        return num(this.value, [key]);
    }

    str(key: Key<T>): string | undefined {
        return str(this.value, [key]);
    }

    bool(key: Key<T>): boolean | undefined {
        return bool(this.value, [key]);
    }

    /** A known array (elements may be unknown). */
    list(key: Key<T>): unknown[] | undefined {
        return list(this.value, [key]);
    }

    /** True when the value (or an object on the way to it) is unknown at preview. */
    unknown(key: Key<T>): boolean {
        return isUnknown(this.read(key));
    }

    /** True when the value is known to be absent (undefined or null; unknown is not absent). */
    absent(key: Key<T>): boolean {
        const v = this.read(key);
        return v === undefined || v === null;
    }

    /** True when this view's own value is unknown. */
    get isUnknown(): boolean {
        return isUnknown(this.value);
    }

    /** True when this view's own value is known to be absent. */
    get isAbsent(): boolean {
        return this.value === undefined || this.value === null;
    }

    /** True when this view's own value is a known object (not an array): a block that was written. */
    get isObject(): boolean {
        return this.value !== null && typeof this.value === "object" && !Array.isArray(this.value) && !isUnknown(this.value);
    }

    /** The full dotted path of a property of this view, for messages. */
    pathOf(key: string): string {
        const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
        if (!this.path) return k;
        return k.startsWith('"') ? `${this.path}[${k}]` : `${this.path}.${k}`;
    }

    /** "<path> is <value>" for a message, e.g. `multiAz is false`, `spec.replicas is not set`. */
    is(key: Key<T>): string {
        return `${this.pathOf(key)} is ${show(this.read(key))}`;
    }
}

/** A value as a message shows it: `not set`, `false`, `"Recreate"`, `["a","b"]`. */
export function show(value: unknown): string {
    if (value === undefined || value === null) return "not set";
    if (isUnknown(value)) return "unknown";
    if (typeof value === "string") return JSON.stringify(value);
    if (typeof value !== "object") return String(value);
    let text: string;
    try {
        text = JSON.stringify(value, (_k, v: unknown) => (isUnknown(v) ? "<unknown>" : v)) ?? String(value);
    } catch {
        text = String(value);
    }
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * How many distinct places a list of IDs names: distinct known strings, plus each unknown element
 * (an unknown could be any place). Duplicates of a known ID count once. Non-string elements count
 * as one place each.
 */
export function distinctCount(items: readonly unknown[]): number {
    const known = new Set<string>();
    let other = 0;
    for (const item of items) {
        if (typeof item === "string" && !isUnknown(item)) known.add(item);
        else other++;
    }
    return known.size + other;
}

/**
 * Why `n` serving units (tasks, pods, instances) are too few: one is a single point of failure;
 * more, but fewer than required, leave too little capacity when one of them (or its zone) fails.
 */
export function tooFew(n: number, unit: string, whenOne: string): string {
    return n === 1 ? `one ${unit} is a single point of failure: ${whenOne}` : `${n} ${unit}s leave too little capacity to serve when one of them, or its zone, fails`;
}

/** "1 entry" / "2 entries". */
export function entries(n: number, singular = "entry", plural = "entries"): string {
    return `${n} ${n === 1 ? singular : plural}`;
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/** Reports one violation: what was found, why it matters, and the fix. */
export type Say = (finding: string, consequence: string, fix: string) => void;

/** `aws:rds/instance:Instance "orders-db"` */
export function subject(args: Pick<ResourceValidationArgs, "type" | "name">): string {
    return `${args.type} "${args.name}"`;
}

/** `<subject>: <finding>; <consequence>. <fix>` */
export function message(args: Pick<ResourceValidationArgs, "type" | "name">, finding: string, consequence: string, fix: string): string {
    const end = /[.!?]$/.test(fix) ? "" : ".";
    return `${subject(args)}: ${finding}; ${consequence}. ${fix}${end}`;
}

/** A check of one resource type, given a typed view of its props. */
export interface Check {
    readonly run: (props: unknown, say: Say, args: ResourceValidationArgs) => void;
}

/** A check whose view is typed by `TArgs`, the provider's args interface (e.g. `aws.rds.InstanceArgs`). */
export function check<TArgs>(fn: (r: View<Unwrap<TArgs>>, say: Say, args: ResourceValidationArgs) => void): Check {
    return { run: (props, say, args) => fn(new View<Unwrap<TArgs>>(props), say, args) };
}

/**
 * A resource validation in the manner of the SDK's `validateResourceOfType`, for several types at
 * once: each type token maps to its check; other types are "not applicable". The provider SDKs are
 * imported as types only, so the pack does not load them at run time.
 */
export function resourcesOf(checks: Readonly<Record<string, Check>>): ResourceValidation {
    const tokens = Object.keys(checks);
    const fn: ResourceValidation & { __pulumiType?: string } = (args, reportViolation) => {
        const c = Object.prototype.hasOwnProperty.call(checks, args.type) ? checks[args.type] : undefined;
        if (!c) return args.notApplicable(`Policy only applies to resources of type ${tokens.map((t) => `'${t}'`).join(", ")}`);
        const say: Say = (finding, consequence, fix) => reportViolation(message(args, finding, consequence, fix));
        c.run(plain(args.props), say, args);
    };
    // As validateResourceOfType does: lets the analyzer skip other types without calling the rule.
    if (tokens.length === 1) fn.__pulumiType = tokens[0];
    return fn;
}

/** `resourcesOf` with one check, typed by `TArgs`, for one type token or several of the same shape. */
export function resourceOf<TArgs>(types: string | readonly string[], fn: (r: View<Unwrap<TArgs>>, say: Say, args: ResourceValidationArgs) => void): ResourceValidation {
    const c = check<TArgs>(fn);
    return resourcesOf(Object.fromEntries((typeof types === "string" ? [types] : types).map((t) => [t, c])));
}
