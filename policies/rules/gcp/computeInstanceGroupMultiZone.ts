import type * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { check, configSchema, distinctCount, resourcesOf, show, thresholds, tooFew } from "../../lib/rule";

const config = {
    minZones: { type: "integer", minimum: 1, default: 2, description: "Fewest zones a regional managed instance group may distribute instances over." },
    minInstances: {
        type: "integer",
        minimum: 1,
        default: 2,
        description: "Fewest instances a managed instance group may target (0 is allowed: a pilot light scaled to zero).",
    },
} as const;

/**
 * A managed instance group must spread its instances over zones: a zonal group (one zone) is lost
 * with its zone; a regional group must name at least `minZones` zones when it names them, and must
 * target at least `minInstances` instances (or 0, a pilot light).
 */
export const computeInstanceGroupMultiZone: ResourceValidationPolicy = {
    name: "compute-instance-group-multi-zone",
    description: "Managed instance groups must be regional, spread over at least two zones, with at least two instances (or zero, as a pilot light).",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourcesOf({
        "gcp:compute/instanceGroupManager:InstanceGroupManager": check<gcp.compute.InstanceGroupManagerArgs>((group, say) => {
            // A zonal group kept at zero instances is a pilot light: nothing serves from it.
            if (group.num("targetSize") === 0 || group.unknown("targetSize")) return;
            say(
                `the group is zonal (${group.is("zone")})`,
                "every instance runs in one zone and the group is lost with it",
                "Use a gcp.compute.RegionInstanceGroupManager (with distributionPolicyZones in at least two zones) instead.",
            );
        }),
        "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": check<gcp.compute.RegionInstanceGroupManagerArgs>((group, say, args) => {
            const { minZones, minInstances } = thresholds(args, config);
            const zones = group.list("distributionPolicyZones");
            if (zones !== undefined && zones.length > 0 && distinctCount(zones) < minZones) {
                say(
                    `distributionPolicyZones is ${show(zones)}, fewer than ${minZones} zones`,
                    "every instance runs in one zone and the group is lost with it",
                    `List at least ${minZones} zones in distributionPolicyZones, or remove it to use every zone of the region.`,
                );
            }
            const size = group.num("targetSize");
            if (size !== undefined && size !== 0 && size < minInstances) {
                say(
                    `${group.is("targetSize")}, below the minimum of ${minInstances}`,
                    tooFew(size, "instance", "whatever zones the group may use, its failure is an outage"),
                    `Set targetSize: ${minInstances} or more (or an autoscaler with minReplicas: ${minInstances}), or 0 for a pilot-light standby.`,
                );
            }
        }),
    }),
};
