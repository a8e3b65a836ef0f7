// Safe reading of resource properties at preview time.
//
// Under the engine, policy props are wrapped in a proxy that throws when a rule reads a value
// that is unknown during preview (the engine then skips the policy for that resource with an
// advisory note). A rule that can still prove something from the known part of a resource uses
// these helpers instead: an unknown reads as `UNKNOWN`, never as a violation.

/** A value unknown at preview. Shared with the offline preview (a registered symbol). */
export const UNKNOWN: unique symbol = Symbol.for("nonstop.unknown") as typeof UNKNOWN;
export type Unknown = typeof UNKNOWN;

// The sentinels @pulumi/policy's deserializer leaves in place of unknown values.
const policyUnknowns = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);
const proxyTargetKey = "__getSpecialProxyTarget";

export function isUnknown(v: unknown): v is Unknown {
    return v === UNKNOWN || (typeof v === "string" && policyUnknowns.has(v));
}

/**
 * The plain object behind a policy props proxy (or the value itself), with unknowns as UNKNOWN.
 * Copy on write: a part with no unknown and no proxy inside is returned as it is, not copied, so
 * the graph of a stack shares the decoded props instead of holding a second copy of every resource
 * (callers only read what it returns).
 */
export function plain(value: unknown): unknown {
    const v = propsTarget(value);
    if (isUnknown(v)) return UNKNOWN;
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) {
        let copy: unknown[] | undefined;
        for (let i = 0; i < v.length; i++) {
            const x = plain(v[i]);
            if (copy === undefined && x !== v[i]) copy = v.slice(0, i);
            if (copy !== undefined) copy.push(x);
        }
        return copy ?? v;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v; // assets, secrets
    const record = v as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    const keys = Object.keys(record);
    for (let i = 0; i < keys.length; i++) {
        const x = plain(record[keys[i]]);
        if (copy === undefined && x !== record[keys[i]]) {
            copy = {};
            for (let j = 0; j < i; j++) copy[keys[j]] = record[keys[j]];
        }
        if (copy !== undefined) copy[keys[i]] = x;
    }
    return copy ?? v;
}

/**
 * Reads `path` (e.g. "settings.backupConfiguration.enabled" or ["a", 0, "b"]) from props without
 * throwing: UNKNOWN if the value or any value on the way is unknown, undefined if absent.
 */
export function read(props: unknown, path: string | readonly (string | number)[]): unknown {
    const parts = typeof path === "string" ? path.split(".") : path;
    // Walk the raw object behind the proxy (reading through the proxy would throw on an unknown)
    // and make only the value found plain, not the whole resource at every read.
    let v: unknown = propsTarget(props);
    for (const p of parts) {
        if (isUnknown(v)) return UNKNOWN;
        if (v === null || v === undefined || typeof v !== "object") return undefined;
        v = (v as Record<string, unknown>)[String(p)];
    }
    return plain(v);
}

/** The object behind a policy props proxy (or the value itself). */
export function propsTarget(value: unknown): unknown {
    if (value === null || typeof value !== "object") return value;
    try {
        const target = (value as Record<string, unknown>)[proxyTargetKey];
        return target !== undefined ? target : value;
    } catch {
        return value;
    }
}

/** A known number at `path`, else undefined (absent or unknown). */
export function num(props: unknown, path: string | readonly (string | number)[]): number | undefined {
    const v = read(props, path);
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return undefined;
}

/** A known string at `path`, else undefined. */
export function str(props: unknown, path: string | readonly (string | number)[]): string | undefined {
    const v = read(props, path);
    return typeof v === "string" ? v : undefined;
}

/** A known boolean at `path`, else undefined. */
export function bool(props: unknown, path: string | readonly (string | number)[]): boolean | undefined {
    const v = read(props, path);
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    return undefined;
}

/** A known array at `path` (elements may be UNKNOWN), else undefined. */
export function list(props: unknown, path: string | readonly (string | number)[]): unknown[] | undefined {
    const v = read(props, path);
    return Array.isArray(v) ? v : undefined;
}

/** True when the value at `path` is unknown (so a rule must not judge it). */
export function unknownAt(props: unknown, path: string | readonly (string | number)[]): boolean {
    return isUnknown(read(props, path));
}
