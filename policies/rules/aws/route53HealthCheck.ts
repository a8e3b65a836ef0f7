import type * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, distinctCount, resourceOf, show, thresholds } from "../../lib/rule";

const config = {
    maxIntervalSeconds: { type: "integer", minimum: 10, default: 30, description: "Longest requestInterval (10 or 30 seconds) a health check may use." },
    maxFailureThreshold: { type: "integer", minimum: 1, maximum: 10, default: 3, description: "Most consecutive failed checks before the endpoint is declared unhealthy." },
    minRegions: { type: "integer", minimum: 3, default: 3, description: "Fewest checker regions when regions are listed." },
    allowedTypes: {
        type: "array",
        default: ["HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "CALCULATED", "CLOUDWATCH_METRIC", "RECOVERY_CONTROL"],
        description: "Health check types that prove the service answers (TCP only proves a port is open).",
    },
} as const;

/** Route 53's defaults for an omitted requestInterval and failureThreshold. */
const defaultInterval = 30;
const defaultFailureThreshold = 3;

/**
 * A Route 53 health check decides when DNS fails over: it must detect a failure quickly (interval x
 * threshold), from enough regions to not be fooled by one checker's network, with a check that
 * proves the service answers, and it must not be disabled (a disabled check always reports healthy).
 */
export const route53HealthCheck: ResourceValidationPolicy = {
    name: "route53-health-check",
    description: "Route 53 health checks must detect a failure within about 90 seconds, from at least three regions, with an application-level check that is not disabled.",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourceOf<aws.route53.HealthCheckArgs>("aws:route53/healthCheck:HealthCheck", (hc, say, args) => {
        const { maxIntervalSeconds, maxFailureThreshold, minRegions, allowedTypes } = thresholds(args, config);
        const type = hc.str("type");
        if (type !== undefined && !allowedTypes.includes(type)) {
            say(
                `${hc.is("type")}, not one of ${allowedTypes.join(", ")}`,
                type === "TCP" ? "a TCP check passes while the application behind the port returns errors, so DNS never fails over" : "this check type is not accepted as proof that the service answers",
                'Use type: "HTTPS" (or "HTTPS_STR_MATCH") against a health endpoint that exercises the service\'s dependencies.',
            );
        }
        if (hc.bool("disabled") === true) {
            say(hc.is("disabled"), "Route 53 considers a disabled health check healthy, so records using it never fail over", "Remove disabled (or set it to false).");
        }
        // Only endpoint checks poll; CALCULATED, CLOUDWATCH_METRIC and RECOVERY_CONTROL have no interval.
        const polls = type !== undefined && !["CALCULATED", "CLOUDWATCH_METRIC", "RECOVERY_CONTROL"].includes(type);
        if (polls) {
            const interval = hc.num("requestInterval") ?? (hc.absent("requestInterval") ? defaultInterval : undefined);
            if (interval !== undefined && interval > maxIntervalSeconds) {
                say(
                    `${hc.is("requestInterval")}${hc.absent("requestInterval") ? ` (Route 53 checks every ${defaultInterval} s)` : ""}, above the maximum of ${maxIntervalSeconds} s`,
                    "a failure is detected, and DNS fails over, later than allowed",
                    `Set requestInterval: ${maxIntervalSeconds >= 30 ? 30 : 10}.`,
                );
            }
            const threshold = hc.num("failureThreshold") ?? (hc.absent("failureThreshold") ? defaultFailureThreshold : undefined);
            if (threshold !== undefined && threshold > maxFailureThreshold) {
                say(
                    `${hc.is("failureThreshold")}, above the maximum of ${maxFailureThreshold}`,
                    `a failure is detected only after ${threshold} consecutive failed checks, delaying DNS failover`,
                    `Set failureThreshold: ${maxFailureThreshold} or less.`,
                );
            }
            const regions = hc.list("regions");
            if (regions !== undefined && regions.length > 0 && distinctCount(regions) < minRegions) {
                say(
                    `regions has ${distinctCount(regions)} distinct region(s) (${show(regions)}), fewer than ${minRegions}`,
                    "health is judged from too few vantage points, so one checker region's network trouble can fail over a healthy endpoint (or hide a failure)",
                    `List at least ${minRegions} regions, or remove regions to use Route 53's default set.`,
                );
            }
        }
        if (type === "CALCULATED") {
            const needed = hc.num("childHealthThreshold");
            if (needed !== undefined && needed < 1) {
                say(hc.is("childHealthThreshold"), "a calculated check that needs no healthy child is always healthy, so DNS never fails over", "Set childHealthThreshold to at least 1 (usually the number of children that must be healthy to serve).");
            }
        }
    }),
};
