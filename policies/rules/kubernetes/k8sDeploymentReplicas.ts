import type * as k8s from "@pulumi/kubernetes";
import type { Unwrap } from "@pulumi/pulumi";
import { facts, says } from "../../lib/facts";
import { show, tooFew, View } from "../../lib/rule";
import { autoscalersOf } from "../graph/k8sWorkloadPdb";
import { finding, Finding, graphRule } from "../graph/lib";
import { deployment, statefulSet } from "./podTemplate";

const name = "k8s-deployment-replicas";

/** How many pods `value` (an int or a percentage of `replicas`) allows, rounding down as Kubernetes does for maxUnavailable. */
function podsOf(value: unknown, replicas: number): number | undefined {
    if (typeof value === "number" && Number.isFinite(value)) return value;
    if (typeof value === "string") {
        const pct = /^(\d+(?:\.\d+)?)%$/.exec(value.trim());
        if (pct) return Math.floor((replicas * Number(pct[1])) / 100);
        if (/^\d+$/.test(value.trim())) return Number(value.trim());
    }
    return undefined;
}

/**
 * A Deployment (or a StatefulSet that is not a data store) must run at least `minReplicas` pods,
 * and a Deployment must roll out without taking them all down: not with the Recreate strategy, nor
 * with a maxUnavailable that covers every replica. An absent `spec.replicas` runs one pod, as
 * Kubernetes defaults it. `replicas: 0` is a pilot light and is not judged on its count.
 *
 * The count is not this rule's to judge when an autoscaler scales the workload (the autoscaler's
 * minimum governs: k8s-hpa-min-replicas judges it) or when the workload is a data store (its pods
 * are its copies: replication-factor judges them, and more pods of a single writer is not the fix).
 * A stack rule, because both depend on other resources.
 */
export const k8sDeploymentReplicas = graphRule({
    name,
    description: "Kubernetes Deployments (and StatefulSets that are not data stores) must run at least two replicas, or zero as a pilot light (an unset spec.replicas runs one), and roll out without taking every replica down.",
    thresholds: {
        minReplicas: {
            type: "integer",
            minimum: 1,
            default: 2,
            description: "Fewest replicas a serving Deployment may run (0 is allowed: scaled to zero it is a pilot light, not a serving single point of failure).",
        },
    },
    check: (graph, { minReplicas }) => {
        const findings: Finding[] = [];
        for (const w of graph.ofType(deployment, statefulSet)) {
            const spec = new View<Unwrap<k8s.apps.v1.DeploymentArgs>>(w.props).at("spec");
            if (spec.isUnknown) continue;
            // An autoscaler that scales it (or may: an unknown target) owns the count.
            const scaled = autoscalersOf(graph, w).some((a) => a.targets !== false);
            if (says(name, facts.podCount, w) && !scaled) {
                const replicas = spec.num("replicas") ?? (spec.absent("replicas") ? 1 : undefined);
                if (replicas !== undefined && replicas !== 0 && replicas < minReplicas) {
                    findings.push(
                        finding(
                            w,
                            `${spec.is("replicas")}${spec.absent("replicas") ? " (Kubernetes runs 1 pod)" : ""} and no autoscaler scales it, below the minimum of ${minReplicas}`,
                            tooFew(replicas, "pod", "every node drain, eviction or crash is an outage"),
                            `Set spec.replicas: ${minReplicas} or more (or 0 for a pilot-light standby), or let a HorizontalPodAutoscaler with minReplicas: ${minReplicas} own the count.`,
                        ),
                    );
                }
            }
            if (w.type !== deployment) continue;
            const strategy = spec.at("strategy");
            if (strategy.str("type") === "Recreate") {
                findings.push(
                    finding(
                        w,
                        strategy.is("type"),
                        "every rollout stops all pods before starting new ones, an outage on each deployment (and a long one if the new version fails)",
                        'Use strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } (or maxUnavailable below the replica count).',
                    ),
                );
                continue;
            }
            const rolling = strategy.at("rollingUpdate");
            const maxUnavailable = rolling.read("maxUnavailable");
            const replicas = spec.num("replicas");
            if (replicas === undefined || replicas === 0 || maxUnavailable === undefined) continue;
            const pods = podsOf(maxUnavailable, replicas);
            if (pods !== undefined && pods >= replicas) {
                findings.push(
                    finding(
                        w,
                        `${rolling.pathOf("maxUnavailable")} is ${show(maxUnavailable)} with ${replicas} replica${replicas === 1 ? "" : "s"}`,
                        "a rollout may take every replica down at once",
                        'Set strategy.rollingUpdate.maxUnavailable below the replica count (e.g. 0 or "25%") with maxSurge of at least 1.',
                    ),
                );
            }
        }
        return findings;
    },
});
