import type * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { check, configSchema, distinctCount, entries, resourcesOf, Say, show, thresholds } from "../../lib/rule";

const config = {
    minZones: { type: "integer", minimum: 1, default: 2, description: "Fewest subnets (one per availability zone) a load balancer may be placed in." },
} as const;

/** Judges the known list of subnets (or zones) a load balancer is placed in; IDs may be unknown. */
function judgeZones(say: Say, path: string, items: readonly unknown[] | undefined, minZones: number): void {
    if (items === undefined || items.length === 0) return;
    const count = distinctCount(items);
    if (count >= minZones) return;
    say(
        `${path} has ${entries(count, "distinct entry", "distinct entries")} (${show(items)}), fewer than ${minZones}`,
        "the load balancer runs in one availability zone and every target behind it is unreachable when that zone fails",
        `Place the load balancer in one subnet in each of at least ${minZones} availability zones.`,
    );
}

const elbv2 = check<aws.lb.LoadBalancerArgs>((lb, say, args) => {
    const { minZones } = thresholds(args, config);
    const subnets = lb.list("subnets");
    if (subnets !== undefined && subnets.length > 0) return judgeZones(say, "subnets", subnets, minZones);
    const mappings = lb.items("subnetMappings");
    // A mapping whose subnetId is unknown still names one subnet: distinctCount counts it as its own.
    judgeZones(say, "subnetMappings", mappings?.map((m) => m.read("subnetId")), minZones);
});

/**
 * A load balancer has nodes only in the zones of its subnets: in one subnet it is a single point of
 * failure in front of every target. Subnet IDs may be unknown at preview; their count is not.
 */
export const loadBalancerMultiAz: ResourceValidationPolicy = {
    name: "load-balancer-multi-az",
    description: "Load balancers must have subnets in at least two availability zones.",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourcesOf({
        "aws:lb/loadBalancer:LoadBalancer": elbv2,
        "aws:alb/loadBalancer:LoadBalancer": elbv2,
        "aws:elb/loadBalancer:LoadBalancer": check<aws.elb.LoadBalancerArgs>((lb, say, args) => {
            const { minZones } = thresholds(args, config);
            const subnets = lb.list("subnets");
            if (subnets !== undefined && subnets.length > 0) return judgeZones(say, "subnets", subnets, minZones);
            judgeZones(say, "availabilityZones", lb.list("availabilityZones"), minZones);
        }),
    }),
};
