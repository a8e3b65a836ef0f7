import type * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOf } from "../../lib/rule";

/**
 * A Memorystore for Redis instance must be STANDARD_HA (a replica in another zone with automatic
 * failover); BASIC, the default, is a single node that loses its data when it or its zone fails.
 */
export const memorystoreHa: ResourceValidationPolicy = {
    name: "memorystore-ha",
    description: "Memorystore for Redis instances must use the STANDARD_HA tier.",
    enforcementLevel: "advisory",
    validateResource: resourceOf<gcp.redis.InstanceArgs>("gcp:redis/instance:Instance", (redis, say) => {
        const tier = redis.str("tier");
        if ((tier !== undefined && tier !== "STANDARD_HA") || redis.absent("tier")) {
            say(
                `${redis.is("tier")}${redis.absent("tier") ? " (Memorystore defaults to BASIC)" : ""}`,
                "a BASIC instance is one node with no replica: it is unavailable, and its data lost, when the node or its zone fails",
                'Set tier: "STANDARD_HA" (with alternativeLocationId in another zone).',
            );
        }
    }),
};
