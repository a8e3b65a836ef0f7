import type * as k8s from "@pulumi/kubernetes";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, resourceOf, thresholds, tooFew } from "../../lib/rule";

const config = {
    minReplicas: { type: "integer", minimum: 1, default: 2, description: "Fewest replicas an autoscaler may scale a workload in to." },
} as const;

type HpaArgs = k8s.autoscaling.v2.HorizontalPodAutoscalerArgs | k8s.autoscaling.v1.HorizontalPodAutoscalerArgs;

/**
 * A HorizontalPodAutoscaler must not scale its workload in to a single pod (minReplicas defaults to
 * 1), and its maximum must not be below its minimum.
 */
export const k8sHpaMinReplicas: ResourceValidationPolicy = {
    name: "k8s-hpa-min-replicas",
    description: "HorizontalPodAutoscalers must keep at least two replicas.",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourceOf<HpaArgs>(["kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "kubernetes:autoscaling/v1:HorizontalPodAutoscaler"], (hpa, say, args) => {
        const { minReplicas } = thresholds(args, config);
        const spec = hpa.at("spec");
        if (spec.isUnknown) return;
        const min = spec.num("minReplicas") ?? (spec.absent("minReplicas") ? 1 : undefined);
        // minReplicas 0 needs the HPAScaleToZero feature: a deliberate pilot light.
        if (min !== undefined && min !== 0 && min < minReplicas) {
            say(
                `${spec.is("minReplicas")}${spec.absent("minReplicas") ? " (Kubernetes defaults to 1)" : ""}, below the minimum of ${minReplicas}`,
                tooFew(min, "pod", "at low load the autoscaler scales the workload in to it"),
                `Set spec.minReplicas: ${minReplicas} or more.`,
            );
        }
        const max = spec.num("maxReplicas");
        if (min !== undefined && max !== undefined && max < min) {
            say(`${spec.is("maxReplicas")}, below spec.minReplicas (${min})`, "the autoscaler cannot keep the minimum it is meant to keep", "Set spec.maxReplicas to at least spec.minReplicas.");
        }
    }),
};
