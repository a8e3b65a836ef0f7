import type * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, resourceOf, thresholds, tooFew } from "../../lib/rule";

const config = {
    minCapacity: {
        type: "integer",
        minimum: 1,
        default: 2,
        description: "Fewest running tasks a serving ECS service may ask for (0 is allowed: a pilot light scaled to zero serves nothing, so it is not a serving single point of failure).",
    },
} as const;

/**
 * An ECS service must run at least `minCapacity` tasks, so that losing one task (or its zone) leaves
 * another serving, and must deploy with the circuit breaker and rollback on, so that a bad
 * deployment rolls back instead of replacing every healthy task with failing ones. A service with
 * `desiredCount: 0` is a pilot light (a standby scaled to zero) and is not judged on its count.
 */
export const ecsServiceMinCapacity: ResourceValidationPolicy = {
    name: "ecs-service-min-capacity",
    description: "ECS services must run at least two tasks (or zero, as a pilot light) and deploy with the circuit breaker and rollback on.",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourceOf<aws.ecs.ServiceArgs>("aws:ecs/service:Service", (svc, say, args) => {
        const { minCapacity } = thresholds(args, config);
        // DAEMON services run one task per container instance; desiredCount does not apply.
        const daemon = svc.str("schedulingStrategy") === "DAEMON";
        const desired = svc.num("desiredCount");
        if (!daemon && desired !== undefined && desired !== 0 && desired < minCapacity) {
            say(
                `${svc.is("desiredCount")}, below the minimum of ${minCapacity}`,
                tooFew(desired, "task", "when it or its zone fails, the service is down until a replacement starts"),
                `Set desiredCount: ${minCapacity} or more (or 0 for a pilot-light standby), and keep the autoscaling target's minCapacity at ${minCapacity}.`,
            );
        }

        // The circuit breaker exists only for the ECS deployment controller.
        const controller = svc.at("deploymentController").str("type");
        if (svc.at("deploymentController").unknown("type") || (controller !== undefined && controller !== "ECS")) return;
        const breaker = svc.at("deploymentCircuitBreaker");
        const fix = "Set deploymentCircuitBreaker: { enable: true, rollback: true }.";
        if (svc.absent("deploymentCircuitBreaker")) {
            say(
                svc.is("deploymentCircuitBreaker"),
                "a deployment whose tasks never become healthy keeps replacing healthy tasks and never rolls back",
                fix,
            );
            return;
        }
        if (breaker.bool("enable") === false || breaker.absent("enable")) {
            say(breaker.is("enable"), "a failing deployment is not stopped", fix);
        } else if (breaker.bool("rollback") === false || breaker.absent("rollback")) {
            say(breaker.is("rollback"), "a failing deployment is stopped but not rolled back to the last healthy revision", fix);
        }
    }),
};
