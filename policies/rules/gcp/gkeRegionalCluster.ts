import type * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { check, configSchema, distinctCount, resourcesOf, show, thresholds } from "../../lib/rule";

const config = {
    minZones: { type: "integer", minimum: 1, default: 2, description: "Fewest zones a cluster's (or node pool's) nodes must span." },
    requireRegionalControlPlane: {
        type: "boolean",
        default: false,
        description: "Whether clusters must be regional (a control plane in every zone), not multi-zonal (a control plane in one zone, nodes in several).",
    },
    minNodesPerZone: { type: "integer", minimum: 0, default: 1, description: "Fewest nodes a node pool keeps in each of its zones." },
} as const;

const zonePattern = /^[a-z]+-[a-z]+\d+-[a-z]$/;
const regionPattern = /^[a-z]+-[a-z]+\d+$/;

/**
 * A GKE cluster must keep its nodes in at least `minZones` zones: a regional location (a control
 * plane replica and nodes in every zone of the region) or a zonal one with node locations in other
 * zones. With `requireRegionalControlPlane`, only regional clusters pass: a zonal control plane
 * cannot reschedule pods while its zone is down. A node pool must span `minZones` zones with at
 * least `minNodesPerZone` nodes in each.
 */
export const gkeRegionalCluster: ResourceValidationPolicy = {
    name: "gke-regional-cluster",
    description: "GKE clusters must be regional or span at least two zones (a cluster without location is zonal), and node pools must keep nodes in at least two zones.",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourcesOf({
        "gcp:container/cluster:Cluster": check<gcp.container.ClusterArgs>((cluster, say, args) => {
            const { minZones, requireRegionalControlPlane } = thresholds(args, config);
            const location = cluster.str("location");
            if (cluster.unknown("location") || cluster.unknown("nodeLocations")) return;
            const nodeLocations = cluster.list("nodeLocations") ?? [];
            if (cluster.absent("location")) {
                // The provider falls back to its own zone (never its region): a zonal cluster.
                const zones = distinctCount(nodeLocations);
                if (requireRegionalControlPlane || zones < minZones) {
                    say(
                        `location is not set, so the gcp provider creates a zonal cluster in its zone setting (gcp:zone), or fails with "Cannot determine zone" when none is set${nodeLocations.length ? `; nodeLocations is ${show(nodeLocations)}` : ""}`,
                        requireRegionalControlPlane
                            ? "a zonal cluster's control plane runs in that one zone: while it is down, pods lost with other failures cannot be rescheduled and the cluster cannot be changed"
                            : "every node and the control plane run in one zone and the cluster is lost with it",
                        'Set location to a region (e.g. "us-central1") to make the cluster regional, with nodes in every zone of it.',
                    );
                }
                return;
            }
            if (location === undefined) return;
            if (zonePattern.test(location)) {
                if (requireRegionalControlPlane) {
                    say(
                        `${cluster.is("location")}, a zone`,
                        "a zonal cluster's control plane runs in that one zone: while it is down, pods lost with other failures cannot be rescheduled and the cluster cannot be changed",
                        `Set location to the region (${location.replace(/-[a-z]$/, "")}) to make the cluster regional.`,
                    );
                    return;
                }
                // A zonal cluster's nodes run in its own zone plus its node locations.
                const zones = distinctCount([location, ...nodeLocations]);
                if (zones < minZones) {
                    say(
                        `${cluster.is("location")}, a zone, and nodeLocations is ${show(cluster.read("nodeLocations"))}`,
                        "every node and the control plane run in one zone and the cluster is lost with it",
                        `Set location to the region (${location.replace(/-[a-z]$/, "")}), or list nodeLocations in at least ${minZones} zones.`,
                    );
                }
            } else if (regionPattern.test(location) && nodeLocations.length > 0 && distinctCount(nodeLocations) < minZones) {
                say(
                    `nodeLocations is ${show(nodeLocations)}, fewer than ${minZones} zones`,
                    "every node runs in one zone, so the workloads are lost with it even though the control plane is regional",
                    `List at least ${minZones} zones in nodeLocations, or remove it to use every zone of the region.`,
                );
            }
        }),
        "gcp:container/nodePool:NodePool": check<gcp.container.NodePoolArgs>((pool, say, args) => {
            const { minZones, minNodesPerZone } = thresholds(args, config);
            // Without nodeLocations the pool takes the cluster's, which the cluster's check judges.
            const nodeLocations = pool.list("nodeLocations");
            if (nodeLocations !== undefined && nodeLocations.length > 0 && distinctCount(nodeLocations) < minZones) {
                say(
                    `nodeLocations is ${show(nodeLocations)}, fewer than ${minZones} zones`,
                    "every node of the pool runs in one zone and its workloads are lost with it",
                    `List at least ${minZones} zones in nodeLocations.`,
                );
            }
            const autoscaling = pool.at("autoscaling");
            if (!pool.absent("autoscaling")) {
                const perZone = autoscaling.num("minNodeCount");
                const total = autoscaling.num("totalMinNodeCount");
                if (perZone !== undefined && perZone < minNodesPerZone && autoscaling.absent("totalMinNodeCount")) {
                    say(
                        `${autoscaling.is("minNodeCount")}, below ${minNodesPerZone} per zone`,
                        "the autoscaler may empty a zone of nodes, so the pool stops spanning zones and pods must wait for a scale-up after a zone failure",
                        `Set autoscaling.minNodeCount: ${minNodesPerZone} or more.`,
                    );
                }
                if (total !== undefined && total < minNodesPerZone * minZones) {
                    say(
                        `${autoscaling.is("totalMinNodeCount")}, below ${minNodesPerZone * minZones} (${minNodesPerZone} in each of ${minZones} zones)`,
                        "the autoscaler may scale the pool into fewer zones than it needs to survive a zone failure",
                        `Set autoscaling.totalMinNodeCount: ${minNodesPerZone * minZones} or more.`,
                    );
                }
                return;
            }
            const count = pool.num("nodeCount") ?? (pool.absent("nodeCount") ? pool.num("initialNodeCount") : undefined);
            if (count !== undefined && count < minNodesPerZone) {
                const key = pool.absent("nodeCount") ? "initialNodeCount" : "nodeCount";
                say(`${pool.is(key)}, below ${minNodesPerZone} per zone`, "the pool has no node to run pods on in its zones", `Set ${key}: ${minNodesPerZone} or more, or configure autoscaling.`);
            }
        }),
    }),
};
