// What the model-driven rules share: the resilience model's plan of a graph, computed once per
// graph even though the engine hands every stack policy its own copy of the resources.
import { Graph, GraphResource } from "../../lib/graph";
import { isUnknown } from "../../lib/props";
import { estimatePlan, Plan } from "../../model";

let last: { readonly resources: readonly GraphResource[]; readonly plan: Plan } | undefined;

/** The model's plan of `graph`; the previous graph's plan when the resources are the same. */
export function planOf(graph: Graph): Plan {
    // Compared in place rather than through a JSON string of every resource per model rule (that
    // string was rebuilt by each rule and, at a few hundred services, tens of megabytes apiece).
    if (last && sameJson(last.resources, graph.resources)) return last.plan;
    const plan = estimatePlan(graph.resources);
    last = { resources: graph.resources, plan };
    return plan;
}

const UNKNOWN_TOKEN = "\u0000unknown";

/** A value as JSON.stringify sees it, with unknowns as one token; undefined when JSON leaves it out. */
function jsonValue(v: unknown): unknown {
    if (isUnknown(v)) return UNKNOWN_TOKEN;
    if (typeof v === "number") return Number.isFinite(v) ? v : null;
    if (typeof v === "function" || typeof v === "symbol") return undefined;
    return v;
}

/** Whether JSON.stringify (unknowns as one token) would write `a` and `b` the same, without writing either. */
function sameJson(a: unknown, b: unknown): boolean {
    a = jsonValue(a);
    b = jsonValue(b);
    if (a === b) return true;
    if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
    const custom = (o: object) => typeof (o as { toJSON?: unknown }).toJSON === "function" || o instanceof Number || o instanceof String || o instanceof Boolean;
    if (custom(a) || custom(b)) return JSON.stringify(a, (_k, v: unknown) => jsonValue(v)) === JSON.stringify(b, (_k, v: unknown) => jsonValue(v));
    if (Array.isArray(a) || Array.isArray(b)) {
        if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
        for (let i = 0; i < a.length; i++) if (!sameJson(jsonValue(a[i]) ?? null, jsonValue(b[i]) ?? null)) return false;
        return true;
    }
    const ka = Object.keys(a).filter((k) => jsonValue((a as Record<string, unknown>)[k]) !== undefined);
    const kb = Object.keys(b).filter((k) => jsonValue((b as Record<string, unknown>)[k]) !== undefined);
    if (ka.length !== kb.length) return false;
    for (let i = 0; i < ka.length; i++) {
        if (ka[i] !== kb[i] || !sameJson((a as Record<string, unknown>)[ka[i]], (b as Record<string, unknown>)[kb[i]])) return false;
    }
    return true;
}
