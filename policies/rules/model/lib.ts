// What the model-driven rules share: the resilience model's plan of a graph, computed once per
// graph even though the engine hands every stack policy its own copy of the resources.
import { Graph } from "../../lib/graph";
import { isUnknown } from "../../lib/props";
import { estimatePlan, Plan } from "../../model";

let last: { readonly key: string; readonly plan: Plan } | undefined;

/** The model's plan of `graph`; the previous graph's plan when the resources are the same. */
export function planOf(graph: Graph): Plan {
    const key = JSON.stringify(graph.resources, (_k, v: unknown) => (isUnknown(v) ? "\u0000unknown" : v));
    if (last?.key === key) return last.plan;
    const plan = estimatePlan(graph.resources);
    last = { key, plan };
    return plan;
}
