import { facts, says } from "../../lib/facts";
import { sameNamespace } from "../../lib/location";
import { read, str } from "../../lib/props";
import { and3, finding, Finding, graphRule, mapSelectorMatches, or3, types } from "./lib";
import { autoscalersOf } from "./k8sWorkloadPdb";

const serviceType = "kubernetes:core/v1:Service";
const k8sWorkloadHpaName = "k8s-workload-hpa";

/**
 * A Deployment that serves traffic (a Service selects its pods) must scale with load: without an
 * autoscaler a traffic spike, or the loss of a zone's worth of pods, overloads the rest. (That the
 * autoscaler keeps at least two replicas is the resource rule k8s-hpa-min-replicas.) A Deployment
 * that runs a data store is left out: more copies of a single-writer pod is not the fix for load,
 * replication is (replication-factor).
 */
export const k8sWorkloadHpa = graphRule({
    name: k8sWorkloadHpaName,
    description: "Every Deployment that a Service sends traffic to (data stores aside: single writers are not autoscaled) must be scaled by a HorizontalPodAutoscaler (or KEDA ScaledObject).",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        const services = graph.ofType(serviceType).filter((s) => str(s.props, "spec.type") !== "ExternalName");
        for (const d of graph.ofType(types.k8sDeployment)) {
            // A data store's Deployment is a single writer: an autoscaler is wrong advice (lib/facts).
            if (!says(k8sWorkloadHpaName, facts.autoscaler, d)) continue;
            const labels = read(d.props, "spec.template.metadata.labels");
            const served = services.filter((s) => and3(sameNamespace(graph, s, d), mapSelectorMatches(read(s.props, "spec.selector"), labels)) === true);
            if (served.length === 0) continue;
            const scaled = or3(...autoscalersOf(graph, d).map((a) => a.targets));
            if (scaled !== false) continue;
            const name = str(d.props, "metadata.name") ?? d.name;
            findings.push(
                finding(
                    d,
                    `Service ${served.map((s) => `"${s.name}"`).join(", ")} sends it traffic but no HorizontalPodAutoscaler scales it`,
                    "a traffic spike, or losing a zone's share of its pods, overloads the replicas left and the service degrades or fails",
                    `Add a kubernetes:autoscaling/v2 HorizontalPodAutoscaler with spec.scaleTargetRef { apiVersion: "apps/v1", kind: "Deployment", name: "${name}" }, spec.minReplicas: 2 or more and a CPU or request-rate target.`,
                ),
            );
        }
        return findings;
    },
});
