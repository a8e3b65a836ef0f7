import type * as k8s from "@pulumi/kubernetes";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, resourceOf, show, thresholds, tooFew } from "../../lib/rule";
import { deployment } from "./podTemplate";

const config = {
    minReplicas: {
        type: "integer",
        minimum: 1,
        default: 2,
        description: "Fewest replicas a serving Deployment may run (0 is allowed: scaled to zero it is a pilot light, not a serving single point of failure).",
    },
} as const;

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
 * A Deployment must run at least `minReplicas` pods, and roll out without taking them all down:
 * not with the Recreate strategy, nor with a maxUnavailable that covers every replica. A Deployment
 * with `replicas: 0` is a pilot light and is not judged on its count. An absent `replicas` is not
 * judged either: it usually means an autoscaler owns the count (see k8s-hpa-min-replicas).
 */
export const k8sDeploymentReplicas: ResourceValidationPolicy = {
    name: "k8s-deployment-replicas",
    description: "Kubernetes Deployments must run at least two replicas (or zero, as a pilot light) and roll out without taking every replica down.",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourceOf<k8s.apps.v1.DeploymentArgs>(deployment, (d, say, args) => {
        const { minReplicas } = thresholds(args, config);
        const spec = d.at("spec");
        const replicas = spec.num("replicas");
        if (replicas !== undefined && replicas !== 0 && replicas < minReplicas) {
            say(
                `${spec.is("replicas")}, below the minimum of ${minReplicas}`,
                tooFew(replicas, "pod", "every node drain, eviction or crash is an outage"),
                `Set spec.replicas: ${minReplicas} or more (or 0 for a pilot-light standby), or let a HorizontalPodAutoscaler with minReplicas: ${minReplicas} own the count.`,
            );
        }
        const strategy = spec.at("strategy");
        if (strategy.str("type") === "Recreate") {
            say(
                strategy.is("type"),
                "every rollout stops all pods before starting new ones, an outage on each deployment (and a long one if the new version fails)",
                'Use strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } (or maxUnavailable below the replica count).',
            );
            return;
        }
        const rolling = strategy.at("rollingUpdate");
        const maxUnavailable = rolling.read("maxUnavailable");
        if (replicas === undefined || replicas === 0 || maxUnavailable === undefined) return;
        const pods = podsOf(maxUnavailable, replicas);
        if (pods !== undefined && pods >= replicas) {
            say(
                `${rolling.pathOf("maxUnavailable")} is ${show(maxUnavailable)} with ${replicas} replica${replicas === 1 ? "" : "s"}`,
                "a rollout may take every replica down at once",
                'Set strategy.rollingUpdate.maxUnavailable below the replica count (e.g. 0 or "25%") with maxSurge of at least 1.',
            );
        }
    }),
};
