import { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, resourceOf, thresholds } from "../../lib/rule";
import { containerLabel, containers, deployment, statefulSet, ReplicatedArgs } from "./podTemplate";

const config = {
    requireLivenessProbe: { type: "boolean", default: true, description: "Whether every container must also have a livenessProbe (restarts a process that hangs without exiting)." },
} as const;

/**
 * Every container of a Deployment or StatefulSet must have a readinessProbe (so a pod that cannot
 * serve, or a new version that never comes up, gets no traffic and stalls the rollout) and a
 * livenessProbe (so a hung process is restarted).
 */
export const k8sReadinessProbe: ResourceValidationPolicy = {
    name: "k8s-readiness-probe",
    description: "Every container of a Deployment or StatefulSet must have a readiness probe (and a liveness probe).",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourceOf<ReplicatedArgs>([deployment, statefulSet], (workload, say, args) => {
        const { requireLivenessProbe } = thresholds(args, config);
        containers(workload.at("spec").at("template")).forEach((c, i) => {
            if (c.absent("readinessProbe")) {
                say(
                    `${containerLabel(c, i)} has no readinessProbe (${c.pathOf("readinessProbe")} is not set)`,
                    "Kubernetes sends traffic to the pod as soon as it starts, to pods that cannot serve, and rolls out a broken version without stopping",
                    "Add a readinessProbe (e.g. httpGet on a health endpoint that checks the service's dependencies).",
                );
            }
            if (requireLivenessProbe && c.absent("livenessProbe")) {
                say(
                    `${containerLabel(c, i)} has no livenessProbe (${c.pathOf("livenessProbe")} is not set)`,
                    "a process that hangs without exiting is never restarted",
                    "Add a livenessProbe that checks only the process itself (not its dependencies), with a generous failureThreshold.",
                );
            }
        });
    }),
};
