import type * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, distinctCount, entries, resourceOf, show, thresholds } from "../../lib/rule";

const config = {
    minZones: { type: "integer", minimum: 1, default: 2, description: "Fewest subnets (one per availability zone) an ECS service's tasks may be placed in." },
} as const;

/**
 * An awsvpc ECS service places its tasks only in the subnets it lists; with one subnet every task
 * runs in one availability zone. The count is known even when the subnet IDs are not (yet).
 */
export const ecsServiceMultiAz: ResourceValidationPolicy = {
    name: "ecs-service-multi-az",
    description: "ECS services must place their tasks in subnets of at least two availability zones.",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourceOf<aws.ecs.ServiceArgs>("aws:ecs/service:Service", (svc, say, args) => {
        const { minZones } = thresholds(args, config);
        const net = svc.at("networkConfiguration");
        const subnets = net.list("subnets");
        if (subnets === undefined) return;
        const count = distinctCount(subnets);
        if (count < minZones) {
            say(
                `${net.pathOf("subnets")} has ${entries(count, "distinct subnet", "distinct subnets")} (${show(subnets)}), fewer than ${minZones}`,
                "every task runs in the same availability zone and the service is lost with it",
                `List one private subnet in each of at least ${minZones} availability zones in networkConfiguration.subnets.`,
            );
        }
    }),
};
