import { Graph, GraphResource } from "../../lib/graph";
import { namespaceOf, sameNamespace, showNamespace } from "../../lib/location";
import { isUnknown, num, read, str } from "../../lib/props";
import { dependencyUrns } from "../../lib/refs";
import { show } from "../../lib/rule";
import { and3, finding, Finding, graphRule, Maybe, or3, selectorMatches, types } from "./lib";

const pdbTypes = ["kubernetes:policy/v1:PodDisruptionBudget", "kubernetes:policy/v1beta1:PodDisruptionBudget"];
const hpaTypes = [
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    "kubernetes:autoscaling/v1:HorizontalPodAutoscaler",
    "kubernetes:autoscaling/v2beta2:HorizontalPodAutoscaler",
    "kubernetes:autoscaling/v2beta1:HorizontalPodAutoscaler",
];
const kedaScaledObject = "kubernetes:keda.sh/v1alpha1:ScaledObject";

/** An autoscaler that may scale a workload, and the fewest replicas it keeps (undefined: unknown). */
export interface Autoscaler {
    readonly resource: GraphResource;
    readonly targets: Maybe;
    readonly minReplicas?: number;
}

/** The HorizontalPodAutoscalers and KEDA ScaledObjects that may scale `workload`. */
export function autoscalersOf(graph: Graph, workload: GraphResource): Autoscaler[] {
    const kind = workload.type.split(":").pop();
    const name = read(workload.props, "metadata.name");
    const out: Autoscaler[] = [];
    for (const a of graph.ofType(...hpaTypes, kedaScaledObject)) {
        const ref = read(a.props, "spec.scaleTargetRef");
        if (ref === undefined || ref === null) continue;
        const refKind = isUnknown(ref) ? undefined : read(ref, "kind");
        const refName = isUnknown(ref) ? ref : read(ref, "name");
        // KEDA's scaleTargetRef.kind defaults to Deployment.
        const kindMatches: Maybe = isUnknown(refKind) || isUnknown(ref) ? undefined : (refKind ?? (a.type === kedaScaledObject ? "Deployment" : undefined)) === kind;
        let nameMatches: Maybe;
        const deps = dependencyUrns(a, "spec");
        if (deps.includes(workload.urn)) nameMatches = true;
        else if (isUnknown(refName)) nameMatches = deps.length > 0 ? false : undefined;
        else if (typeof refName === "string" && typeof name === "string") nameMatches = refName === name;
        else nameMatches = undefined;
        const targets = and3(kindMatches, nameMatches, sameNamespace(graph, a, workload));
        if (targets === false) continue;
        const minKey = a.type === kedaScaledObject ? "spec.minReplicaCount" : "spec.minReplicas";
        const min = read(a.props, minKey);
        const minReplicas = min === undefined || min === null ? (a.type === kedaScaledObject ? 0 : 1) : num(a.props, minKey);
        out.push({ resource: a, targets, minReplicas });
    }
    return out;
}

/** The fewest replicas a workload runs: spec.replicas or what an autoscaler keeps; undefined when unknown. */
export function minimumReplicas(graph: Graph, workload: GraphResource): number | undefined {
    const scalers = autoscalersOf(graph, workload);
    const replicas = read(workload.props, "spec.replicas");
    const fixed = replicas === undefined || replicas === null ? 1 : num(workload.props, "spec.replicas");
    if (scalers.some((s) => s.targets === undefined || s.minReplicas === undefined)) return undefined;
    const scaled = scalers.filter((s) => s.targets === true);
    // With an autoscaler, the autoscaler's minimum governs (spec.replicas is only the start).
    if (scaled.length > 0) return Math.max(...scaled.map((s) => s.minReplicas as number));
    return fixed;
}

/**
 * A replicated workload without a PodDisruptionBudget can lose every replica at once to voluntary
 * disruptions (node drains for upgrades, node replacement, cluster autoscaler scale-in).
 */
export const k8sWorkloadPdb = graphRule({
    name: "k8s-workload-pdb",
    description: "Every Deployment and StatefulSet that runs two or more replicas must be selected by a PodDisruptionBudget in its namespace.",
    thresholds: {
        minReplicas: { type: "integer", minimum: 1, default: 2, description: "Workloads running at least this many replicas need a PodDisruptionBudget." },
    },
    check: (graph, { minReplicas }) => {
        const findings: Finding[] = [];
        const pdbs = graph.ofType(...pdbTypes);
        for (const w of graph.ofType(types.k8sDeployment, types.k8sStatefulSet)) {
            const replicas = minimumReplicas(graph, w);
            if (replicas === undefined || replicas < minReplicas) continue;
            const labels = read(w.props, "spec.template.metadata.labels");
            const covered = or3(
                ...pdbs.map((p) => and3(sameNamespace(graph, p, w), selectorMatches(read(p.props, "spec.selector"), labels, p.type === pdbTypes[0]))),
            );
            if (covered !== false) continue;
            const ns = namespaceOf(graph, w);
            const name = str(w.props, "metadata.name") ?? w.name;
            findings.push(
                finding(
                    w,
                    `it runs ${replicas} replicas but no PodDisruptionBudget in ${showNamespace(ns, graph)} selects its pods (spec.template.metadata.labels is ${show(labels)})`,
                    "a node drain (cluster upgrade, node replacement, autoscaler scale-in) may evict every replica at once",
                    `Add a kubernetes:policy/v1 PodDisruptionBudget for "${name}" in the same namespace with spec.selector.matchLabels taken from the pod labels and spec.maxUnavailable: 1.`,
                ),
            );
        }
        return findings;
    },
});
