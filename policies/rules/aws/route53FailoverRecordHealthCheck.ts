import type * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, resourceOf, thresholds } from "../../lib/rule";

const config = {
    maxTtlSeconds: { type: "integer", minimum: 0, default: 60, description: "Longest TTL of a non-alias record with a routing policy: resolvers keep a dead answer this long after failover." },
} as const;

/** Routing policies whose records Route 53 chooses between by health. */
const routingPolicies = [
    ["failoverRoutingPolicies", "failover"],
    ["weightedRoutingPolicies", "weighted"],
    ["latencyRoutingPolicies", "latency"],
    ["geolocationRoutingPolicies", "geolocation"],
    ["geoproximityRoutingPolicy", "geoproximity"],
    ["cidrRoutingPolicy", "CIDR"],
    ["multivalueAnswerRoutingPolicy", "multivalue answer"],
] as const;

/**
 * A record with a routing policy fails over only if Route 53 knows when its endpoint is down: it
 * needs a health check (an unknown healthCheckId counts: it is wired, just not created yet), or, for
 * an alias, evaluateTargetHealth. An alias with its own health check may leave
 * evaluateTargetHealth false: that check then judges the site (e.g. probing only the serving track,
 * where target health would count an idle blue-green colour or a failing canary against the whole
 * load balancer). A non-alias answer must also expire quickly, or resolvers keep sending clients to
 * the dead endpoint for the whole TTL.
 */
export const route53FailoverRecordHealthCheck: ResourceValidationPolicy = {
    name: "route53-failover-record-health-check",
    description: "Route 53 records with failover, weighted or other routing policies must be health-checked and have a TTL of at most 60 seconds.",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourceOf<aws.route53.RecordArgs>("aws:route53/record:Record", (record, say, args) => {
        const { maxTtlSeconds } = thresholds(args, config);
        const routed = routingPolicies.find(([key]) => {
            const v = record.read(key);
            // Lists of policies, single policy blocks, and multivalueAnswerRoutingPolicy: true.
            return Array.isArray(v) ? v.length > 0 : v === true || (v !== null && typeof v === "object");
        });
        if (!routed) return;
        const [policyKey, kind] = routed;

        const aliases = record.items("aliases");
        const alias = aliases !== undefined && aliases.length > 0 ? aliases[0] : undefined;
        const evaluates = alias?.bool("evaluateTargetHealth");
        // The record's own health check (known or still unknown) judges the alias instead.
        const ownCheck = !record.absent("healthCheckId");
        if (alias && evaluates === false && !ownCheck) {
            say(
                `${alias.is("evaluateTargetHealth")} on a record with ${kind} routing and no healthCheckId`,
                "Route 53 keeps answering with this alias when its target (load balancer, distribution) has no healthy endpoint",
                "Set evaluateTargetHealth: true on the alias, or give the record its own healthCheckId (e.g. an HTTPS check of the serving track).",
            );
        }
        // Health is known if a health check is wired (even if its id is not known yet) or the alias evaluates its target.
        if (record.absent("healthCheckId") && evaluates !== true && !(alias && alias.unknown("evaluateTargetHealth")) && !record.unknown("aliases")) {
            say(
                `${record.is("healthCheckId")} on a record with ${kind} routing (${policyKey})`,
                "Route 53 treats the record as always healthy and keeps sending traffic to its endpoint when it is down",
                "Set healthCheckId to a Route 53 health check of this record's endpoint (or use an alias with evaluateTargetHealth: true).",
            );
        }
        if (alias === undefined && !record.unknown("aliases")) {
            const ttl = record.num("ttl");
            if (ttl !== undefined && ttl > maxTtlSeconds) {
                say(
                    `${record.is("ttl")}, above the maximum of ${maxTtlSeconds} s for a record with ${kind} routing`,
                    `resolvers keep returning the failed endpoint for up to ${ttl} s after Route 53 fails over`,
                    `Set ttl: ${maxTtlSeconds} or less.`,
                );
            }
        }
    }),
};
