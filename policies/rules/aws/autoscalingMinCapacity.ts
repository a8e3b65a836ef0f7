import type * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { check, configSchema, distinctCount, entries, resourcesOf, show, thresholds, tooFew } from "../../lib/rule";

const config = {
    minCapacity: {
        type: "integer",
        minimum: 1,
        default: 2,
        description: "Fewest tasks or instances an autoscaled fleet may scale in to (0 is allowed: a pilot light scaled to zero is not a serving single point of failure).",
    },
    minZones: { type: "integer", minimum: 1, default: 2, description: "Fewest availability zones (subnets) an Auto Scaling group may launch into." },
} as const;

/** Application Auto Scaling dimensions that count serving tasks or instances (not throughput units). */
const servingDimensions = new Set(["ecs:service:DesiredCount", "ec2:spot-fleet-request:TargetCapacity", "sagemaker:variant:DesiredInstanceCount"]);

/**
 * Autoscaling must not scale a serving fleet in to a single task or instance, and an Auto Scaling
 * group must be able to launch in more than one availability zone. A minimum of 0 is a pilot light
 * (a standby scaled to zero) and is allowed.
 */
export const autoscalingMinCapacity: ResourceValidationPolicy = {
    name: "autoscaling-min-capacity",
    description: "Autoscaling targets and Auto Scaling groups must keep at least two tasks or instances (or zero, as a pilot light), spread over at least two zones.",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourcesOf({
        "aws:appautoscaling/target:Target": check<aws.appautoscaling.TargetArgs>((target, say, args) => {
            const { minCapacity } = thresholds(args, config);
            const dimension = target.str("scalableDimension");
            if (dimension === undefined || !servingDimensions.has(dimension)) return;
            const min = target.num("minCapacity");
            if (min !== undefined && min !== 0 && min < minCapacity) {
                say(
                    `${target.is("minCapacity")} for ${dimension}, below the minimum of ${minCapacity}`,
                    tooFew(min, "task or instance", "autoscaling may scale in to it at low load"),
                    `Set minCapacity: ${minCapacity} or more (or 0 for a pilot-light standby).`,
                );
            }
        }),
        "aws:autoscaling/group:Group": check<aws.autoscaling.GroupArgs>((group, say, args) => {
            const { minCapacity, minZones } = thresholds(args, config);
            const min = group.num("minSize");
            if (min !== undefined && min !== 0 && min < minCapacity) {
                say(
                    `${group.is("minSize")}, below the minimum of ${minCapacity}`,
                    tooFew(min, "instance", "the group may scale in to it at low load"),
                    `Set minSize: ${minCapacity} or more (or 0 for a pilot-light standby).`,
                );
            }
            for (const key of ["vpcZoneIdentifiers", "availabilityZones"] as const) {
                const zones = group.list(key);
                if (zones === undefined || zones.length === 0) continue;
                const count = distinctCount(zones);
                if (count < minZones) {
                    say(
                        `${key} has ${entries(count, "distinct entry", "distinct entries")} (${show(zones)}), fewer than ${minZones}`,
                        "every instance launches in one availability zone and the group is lost with it",
                        `List subnets (vpcZoneIdentifiers) in at least ${minZones} availability zones.`,
                    );
                }
            }
        }),
    }),
};
