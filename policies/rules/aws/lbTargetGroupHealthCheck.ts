import type * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOf } from "../../lib/rule";

/**
 * A target group with health checks turned off keeps routing requests to targets that have failed;
 * the load balancer's health checks are also what lets it (and Route 53 alias records that evaluate
 * target health) route around a failed zone. Lambda targets are exempt: their checks are optional.
 */
export const lbTargetGroupHealthCheck: ResourceValidationPolicy = {
    name: "lb-target-group-health-check",
    description: "Load balancer target groups must keep health checks enabled.",
    enforcementLevel: "advisory",
    validateResource: resourceOf<aws.lb.TargetGroupArgs>(["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"], (tg, say) => {
        if (tg.str("targetType") === "lambda" || tg.unknown("targetType")) return;
        const hc = tg.at("healthCheck");
        if (hc.bool("enabled") === false) {
            say(hc.is("enabled"), "the load balancer keeps sending requests to failed targets and cannot route around a failed zone", "Set healthCheck: { enabled: true, path: <a health endpoint> }.");
        }
    }),
};
