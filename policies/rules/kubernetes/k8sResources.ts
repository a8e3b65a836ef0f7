import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOf } from "../../lib/rule";
import { containerLabel, containers, daemonSet, deployment, statefulSet, WorkloadArgs } from "./podTemplate";

/**
 * Every container must request CPU and memory: the scheduler places pods by their requests, and
 * under node pressure the kubelet evicts pods that use more than they requested first (request-less
 * pods are BestEffort and go first of all). A limit without a request counts: Kubernetes then uses
 * the limit as the request.
 */
export const k8sResources: ResourceValidationPolicy = {
    name: "k8s-resources",
    description: "Every container of a Deployment, StatefulSet or DaemonSet must declare CPU and memory requests.",
    enforcementLevel: "advisory",
    validateResource: resourceOf<WorkloadArgs>([deployment, statefulSet, daemonSet], (workload, say) => {
        containers(workload.at("spec").at("template")).forEach((c, i) => {
            const resources = c.at("resources");
            const requests = resources.at("requests");
            const limits = resources.at("limits");
            const missing = (["cpu", "memory"] as const).filter((r) => requests.absent(r) && limits.absent(r));
            if (missing.length === 0) return;
            say(
                `${containerLabel(c, i)} requests no ${missing.join(" or ")} (${requests.path}.${missing.join("/")} is not set)`,
                "the scheduler may overcommit its node, and under memory or CPU pressure the pod is among the first evicted",
                `Set resources.requests.${missing.join(" and resources.requests.")} to what the container needs at steady load.`,
            );
        });
    }),
};
