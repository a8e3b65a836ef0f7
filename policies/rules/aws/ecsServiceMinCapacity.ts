import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { facts, says } from "../../lib/facts";
import { Graph, GraphResource } from "../../lib/graph";
import { isUnknown, read, str } from "../../lib/props";
import { dependencyUrns } from "../../lib/refs";
import { tooFew, View } from "../../lib/rule";
import { finding, Finding, graphRule, Maybe, or3 } from "../graph/lib";

const name = "ecs-service-min-capacity";
const scalingTarget = "aws:appautoscaling/target:Target";

/** Whether an Application Auto Scaling target scales the desired count of `svc` (undefined: cannot tell). */
function scales(target: GraphResource, svc: GraphResource): Maybe {
    const dimension = read(target.props, "scalableDimension");
    if (typeof dimension === "string" && dimension !== "ecs:service:DesiredCount") return false;
    if (dependencyUrns(target, "resourceId").includes(svc.urn)) return isUnknown(dimension) ? undefined : true;
    const resourceId = read(target.props, "resourceId");
    const serviceName = str(svc.props, "name");
    // resourceId is "service/<cluster>/<service>".
    if (typeof resourceId === "string" && !isUnknown(resourceId)) {
        if (serviceName === undefined) return undefined;
        return resourceId.split("/").pop() === serviceName ? (isUnknown(dimension) ? undefined : true) : false;
    }
    return isUnknown(resourceId) && dependencyUrns(target, "resourceId").length === 0 ? undefined : false;
}

/** Whether some autoscaling target scales the service's desired count. */
export function scaledByTarget(graph: Graph, svc: GraphResource): Maybe {
    return or3(false, ...graph.ofType(scalingTarget).map((t) => scales(t, svc)));
}

/**
 * An ECS service must run at least `minCapacity` tasks, so that losing one task (or its zone) leaves
 * another serving, and must deploy with the circuit breaker and rollback on, so that a bad
 * deployment rolls back instead of replacing every healthy task with failing ones.
 *
 * `desiredCount: 0` is a pilot light (a standby scaled to zero) and is allowed. An unset
 * desiredCount is not: the aws provider then sends 0 (its schema default), so the service starts no
 * task. When an Application Auto Scaling target scales the service, the target's minCapacity governs
 * and autoscaling-min-capacity judges it. A stack rule, because that depends on other resources.
 */
export const ecsServiceMinCapacity = graphRule({
    name,
    description: "ECS services must run at least two tasks (or zero, as a pilot light; an unset desiredCount runs none) and deploy with the circuit breaker and rollback on.",
    thresholds: {
        minCapacity: {
            type: "integer",
            minimum: 1,
            default: 2,
            description: "Fewest running tasks a serving ECS service may ask for (0 is allowed: a pilot light scaled to zero serves nothing, so it is not a serving single point of failure).",
        },
    },
    check: (graph, { minCapacity }) => {
        const findings: Finding[] = [];
        for (const r of graph.ofType("aws:ecs/service:Service")) {
            const svc = new View<Unwrap<aws.ecs.ServiceArgs>>(r.props);
            if (svc.isUnknown) continue;
            // DAEMON services run one task per container instance; desiredCount does not apply.
            const strategy = svc.read("schedulingStrategy");
            const replicaService = strategy === undefined || strategy === null || strategy === "REPLICA";
            if (replicaService && says(name, facts.podCount, r) && scaledByTarget(graph, r) === false) {
                const desired = svc.num("desiredCount");
                if (svc.absent("desiredCount")) {
                    findings.push(
                        finding(
                            r,
                            "desiredCount is not set, so the aws provider asks ECS for 0 tasks, and no autoscaling target (ecs:service:DesiredCount) raises it",
                            "the service runs no task: anything sent to it (a load balancer's traffic, a queue's work) is not served",
                            `Set desiredCount: ${minCapacity} or more (or 0 explicitly for a pilot-light standby), or scale it with an aws.appautoscaling.Target with minCapacity: ${minCapacity}.`,
                        ),
                    );
                } else if (desired !== undefined && desired !== 0 && desired < minCapacity) {
                    findings.push(
                        finding(
                            r,
                            `${svc.is("desiredCount")}, below the minimum of ${minCapacity}`,
                            tooFew(desired, "task", "when it or its zone fails, the service is down until a replacement starts"),
                            `Set desiredCount: ${minCapacity} or more (or 0 for a pilot-light standby), and keep the autoscaling target's minCapacity at ${minCapacity}.`,
                        ),
                    );
                }
            }

            // The circuit breaker exists only for the ECS deployment controller.
            const controller = svc.at("deploymentController").str("type");
            if (svc.at("deploymentController").unknown("type") || (controller !== undefined && controller !== "ECS")) continue;
            const breaker = svc.at("deploymentCircuitBreaker");
            const fix = "Set deploymentCircuitBreaker: { enable: true, rollback: true }.";
            if (svc.absent("deploymentCircuitBreaker")) {
                findings.push(finding(r, svc.is("deploymentCircuitBreaker"), "a deployment whose tasks never become healthy keeps replacing healthy tasks and never rolls back", fix));
            } else if (breaker.bool("enable") === false || breaker.absent("enable")) {
                findings.push(finding(r, breaker.is("enable"), "a failing deployment is not stopped", fix));
            } else if (breaker.bool("rollback") === false || breaker.absent("rollback")) {
                findings.push(finding(r, breaker.is("rollback"), "a failing deployment is stopped but not rolled back to the last healthy revision", fix));
            }
        }
        return findings;
    },
});
