import type * as k8s from "@pulumi/kubernetes";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOf, show } from "../../lib/rule";

/** "0", 0, "0%" -> 0; "100%" -> 100 (percent); numbers as they are. */
function parse(value: unknown): { readonly n: number; readonly percent: boolean } | undefined {
    if (typeof value === "number" && Number.isFinite(value)) return { n: value, percent: false };
    if (typeof value !== "string") return undefined;
    const v = value.trim();
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(v);
    if (pct) return { n: Number(pct[1]), percent: true };
    if (/^\d+$/.test(v)) return { n: Number(v), percent: false };
    return undefined;
}

/**
 * A PodDisruptionBudget must both protect and allow: one that allows no voluntary disruption
 * (maxUnavailable 0, minAvailable 100%) blocks node drains, so cluster upgrades and node
 * replacement stall; one that allows every pod to go (maxUnavailable 100%, minAvailable 0)
 * protects nothing. Whether every workload has a budget is a stack rule.
 */
export const k8sPdbAllowsDisruption: ResourceValidationPolicy = {
    name: "k8s-pdb-allows-disruption",
    description: "PodDisruptionBudgets must allow at least one pod to be disrupted and keep at least one pod available.",
    enforcementLevel: "advisory",
    validateResource: resourceOf<k8s.policy.v1.PodDisruptionBudgetArgs>("kubernetes:policy/v1:PodDisruptionBudget", (pdb, say) => {
        const spec = pdb.at("spec");
        const blocks = "no pod may ever be evicted, so node drains (cluster upgrades, node replacement, scale-in) hang until someone deletes the budget";
        const blocksFix = 'Set spec.maxUnavailable: 1 (or minAvailable below the replica count, e.g. "50%").';
        const nothing = "the budget allows every pod to be evicted at once, so a node drain can take the whole workload down";
        const nothingFix = 'Set spec.maxUnavailable: 1 (or minAvailable: 1 or more, e.g. "50%").';

        const maxUnavailable = parse(spec.read("maxUnavailable"));
        if (maxUnavailable !== undefined) {
            if (maxUnavailable.n === 0) say(spec.is("maxUnavailable"), blocks, blocksFix);
            else if (maxUnavailable.percent && maxUnavailable.n >= 100) say(spec.is("maxUnavailable"), nothing, nothingFix);
        }
        const minAvailable = parse(spec.read("minAvailable"));
        if (minAvailable !== undefined) {
            if (minAvailable.percent && minAvailable.n >= 100) say(spec.is("minAvailable"), blocks, blocksFix);
            else if (minAvailable.n === 0) say(`${spec.pathOf("minAvailable")} is ${show(spec.read("minAvailable"))}`, nothing, nothingFix);
        }
    }),
};
