import { gkeRegionalCluster } from "../../../../policies/rules/gcp/gkeRegionalCluster";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { gkeCluster, gkeNodePool } from "./factories";

const clusterType = "gcp:container/cluster:Cluster";
const poolType = "gcp:container/nodePool:NodePool";
const checkCluster = checker(gkeRegionalCluster, clusterType, "main");
const checkPool = checker(gkeRegionalCluster, poolType, "main-pool");
const cluster = `${clusterType} "main"`;
const pool = `${poolType} "main-pool"`;

describe("gke-regional-cluster", () => {
    describe("gcp:container/cluster:Cluster", () => {
        it("Compliance: accepts a regional cluster", async () => {
            expectNone(await checkCluster(gkeCluster()));
        });

        it("Noncompliance 1: reports a single-zone cluster with the fix", async () => {
            expectOne(await checkCluster({ ...gkeCluster(), location: "us-central1-a" }), "gke-regional-cluster", cluster, 'location is "us-central1-a", a zone', "Set location to the region (us-central1)");
        });

        it("Noncompliance 1b: reports a cluster without location as the zonal cluster the provider makes of it", async () => {
            expectOne(await checkCluster(unset(gkeCluster(), "location")), "gke-regional-cluster", cluster, "location is not set, so the gcp provider creates a zonal cluster in its zone setting (gcp:zone)", "Cannot determine zone", 'Set location to a region');
            // Node locations in two zones make it multi-zonal: enough unless a regional control plane is required.
            expectNone(await checkCluster({ ...unset(gkeCluster(), "location"), nodeLocations: ["us-central1-a", "us-central1-b"] }));
            expectOne(await checkCluster({ ...unset(gkeCluster(), "location"), nodeLocations: ["us-central1-a", "us-central1-b"] }, { requireRegionalControlPlane: true }), "gke-regional-cluster", cluster, "location is not set", "control plane");
            expectNone(await checkCluster({ ...gkeCluster(), location: UNKNOWN }));
        });

        it("Compliance: accepts a multi-zonal cluster by default", async () => {
            expectNone(await checkCluster({ ...gkeCluster(), location: "us-central1-a", nodeLocations: ["us-central1-b"] }));
        });

        it("Noncompliance 2: requires a regional control plane when config asks for it (prod)", async () => {
            expectOne(
                await checkCluster({ ...gkeCluster(), location: "us-central1-a", nodeLocations: ["us-central1-b"] }, { requireRegionalControlPlane: true }),
                "gke-regional-cluster",
                cluster,
                "a zone",
                "control plane",
            );
        });

        it("Noncompliance 3: reports a regional cluster with nodes in one zone", async () => {
            expectOne(await checkCluster({ ...gkeCluster(), nodeLocations: ["us-central1-a"] }), "gke-regional-cluster", cluster, 'nodeLocations is ["us-central1-a"], fewer than 2 zones');
        });

        it("Unknown: does not judge a location or node locations unknown at preview", async () => {
            expectNone(await checkCluster({ ...gkeCluster(), location: UNKNOWN }));
            expectNone(await checkCluster({ ...gkeCluster(), location: "us-central1-a", nodeLocations: UNKNOWN }));
        });
    });

    describe("gcp:container/nodePool:NodePool", () => {
        it("Compliance: accepts a pool over three zones with one node each at least", async () => {
            expectNone(await checkPool(gkeNodePool()));
        });

        it("Noncompliance 1: reports a pool in one zone", async () => {
            expectOne(await checkPool({ ...gkeNodePool(), nodeLocations: ["us-central1-a"] }), "gke-regional-cluster", pool, 'nodeLocations is ["us-central1-a"]', "List at least 2 zones");
        });

        it("Noncompliance 2: reports an autoscaler that may empty a zone", async () => {
            expectOne(await checkPool(set(gkeNodePool(), "autoscaling.minNodeCount", 0)), "gke-regional-cluster", pool, "autoscaling.minNodeCount is 0, below 1 per zone", "autoscaling.minNodeCount: 1");
        });

        it("Noncompliance 3: reports a total minimum too small to span two zones", async () => {
            const props = set(unset(gkeNodePool(), "autoscaling.minNodeCount"), "autoscaling.totalMinNodeCount", 1);
            expectOne(await checkPool(props), "gke-regional-cluster", pool, "autoscaling.totalMinNodeCount is 1, below 2");
        });

        it("Noncompliance 4: reports a fixed-size pool with no nodes", async () => {
            expectOne(await checkPool({ ...unset(gkeNodePool(), "autoscaling"), nodeCount: 0 }), "gke-regional-cluster", pool, "nodeCount is 0");
        });

        it("Compliance: takes minNodesPerZone from config (0 allowed in dev)", async () => {
            expectNone(await checkPool(set(gkeNodePool(), "autoscaling.minNodeCount", 0), { minNodesPerZone: 0 }));
        });

        it("Unknown: does not judge node locations or counts unknown at preview", async () => {
            expectNone(await checkPool({ ...gkeNodePool(), nodeLocations: UNKNOWN, autoscaling: UNKNOWN }));
            expectNone(await checkPool({ ...unset(gkeNodePool(), "autoscaling"), nodeCount: UNKNOWN }));
        });
    });
});
