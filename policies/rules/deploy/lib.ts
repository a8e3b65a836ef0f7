// What the deploy-time rules share: the date they judge against, the order the engine creates
// resources in, which account / project a resource lands in, and how a finding quotes what the
// provider or the cloud would answer.
//
// These rules mirror checks that mocks never run (a provider's Check, the clouds' quotas and APIs),
// so each finding says what `pulumi preview` / `pulumi up` would answer and how to fix it.
import { Graph, GraphResource } from "../../lib/graph";
import { isUnknown, read, str, Unknown, UNKNOWN } from "../../lib/props";
import { Threshold } from "../../lib/rule";

// ---------------------------------------------------------------------------------------------
// The date a rule judges against
// ---------------------------------------------------------------------------------------------

/** The `asOf` setting of the rules that judge dates: empty means today (UTC) from the clock. */
export const asOfThreshold: Threshold = {
    type: "string",
    default: "",
    description:
        "Judge as of this date (YYYY-MM-DD) instead of today, e.g. to see whether the plan still deploys on the day you expect to run it; empty means today (UTC).",
};

/** A calendar date `YYYY-MM-DD` (UTC) as days since the epoch, or undefined when malformed. */
export function dayNumber(date: string): number | undefined {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
    if (!m) return undefined;
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    const back = new Date(t);
    // Refuse 2026-02-30 and the like instead of rolling over.
    if (back.getUTCFullYear() !== Number(m[1]) || back.getUTCMonth() !== Number(m[2]) - 1 || back.getUTCDate() !== Number(m[3])) return undefined;
    return Math.floor(t / 86_400_000);
}

/** The date `asOf` names (YYYY-MM-DD), else today (UTC) from the clock. */
export function judgementDate(asOf: string, now: () => number = Date.now): string {
    if (asOf.trim() !== "" && dayNumber(asOf) !== undefined) return asOf.trim();
    return new Date(now()).toISOString().slice(0, 10);
}

/** "Apr 30, 2026" for messages. */
export function showDate(date: string): string {
    const d = dayNumber(date);
    if (d === undefined) return date;
    return new Date(d * 86_400_000).toLocaleDateString("en-US", { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" });
}

// ---------------------------------------------------------------------------------------------
// Creation order
// ---------------------------------------------------------------------------------------------

const orderCache = new WeakMap<Graph, Map<string, Set<string>>>();

/**
 * The URNs a resource waits for before the engine creates it: its dependencies (dependsOn and the
 * resources its inputs come from), theirs, and those of its ancestors (a child registers only once
 * its parent has, and a component with dependsOn registers only once those exist).
 */
export function waitsFor(graph: Graph, r: GraphResource): ReadonlySet<string> {
    let cache = orderCache.get(graph);
    if (!cache) orderCache.set(graph, (cache = new Map()));
    const visit = (urn: string, stack: Set<string>): Set<string> => {
        const cached = cache!.get(urn);
        if (cached) return cached;
        const out = new Set<string>();
        const res = graph.byUrn.get(urn);
        if (!res || stack.has(urn)) return out;
        stack.add(urn);
        const direct = new Set<string>(res.dependencies);
        for (const urns of Object.values(res.propertyDependencies ?? {})) for (const u of urns) direct.add(u);
        if (res.parent) direct.add(res.parent);
        for (const d of direct) {
            if (d === urn) continue;
            out.add(d);
            for (const x of visit(d, stack)) out.add(x);
        }
        stack.delete(urn);
        cache!.set(urn, out);
        return out;
    };
    return visit(r.urn, new Set());
}

/** Whether the engine creates `r` only after `target` exists. */
export function orderedAfter(graph: Graph, r: GraphResource, target: GraphResource): boolean {
    return waitsFor(graph, r).has(target.urn);
}

// ---------------------------------------------------------------------------------------------
// Accounts and projects
// ---------------------------------------------------------------------------------------------

/** The account an AWS resource lands in, as far as its provider tells (`default` when it does not). */
export function awsAccountOf(r: GraphResource): string {
    const p = r.providerProps;
    if (!p) return "default";
    const allowed = read(p, "allowedAccountIds");
    if (Array.isArray(allowed) && allowed.length === 1 && typeof allowed[0] === "string") return allowed[0];
    const roles = read(p, "assumeRoles");
    const roleArn = Array.isArray(roles) && roles.length > 0 ? read(roles[roles.length - 1], "roleArn") : read(p, "assumeRole.roleArn");
    if (typeof roleArn === "string") {
        const account = roleArn.split(":")[4];
        if (account) return account;
    }
    const profile = str(p, "profile");
    return profile ? `profile:${profile}` : "default";
}

/** The GCP project of a resource: its own `project`, else its provider's, else the stack's default (undefined); UNKNOWN when unknown. */
export function gcpProjectOf(r: GraphResource): string | Unknown | undefined {
    const own = read(r.props, "project");
    if (isUnknown(own)) return UNKNOWN;
    if (typeof own === "string" && own !== "") return own;
    const p = r.providerProps ? read(r.providerProps, "project") : undefined;
    if (isUnknown(p)) return UNKNOWN;
    return typeof p === "string" && p !== "" ? p : undefined;
}

/** Whether two GCP projects may be the same (unknown and the default project may be anything). */
export function mayBeSameProject(a: string | Unknown | undefined, b: string | Unknown | undefined): boolean {
    if (a === undefined || b === undefined || isUnknown(a) || isUnknown(b)) return true;
    return a === b;
}

