import { GraphResource } from "../../lib/graph";
import { isUnknown, read } from "../../lib/props";
import { resolve } from "../../lib/refs";
import { finding, Finding, graphRule, Maybe, names } from "./lib";

const gkeCluster = "gcp:container/cluster:Cluster";
const gkeNodePool = "gcp:container/nodePool:NodePool";
const eksCluster = "aws:eks/cluster:Cluster";
const eksNodeGroup = "aws:eks/nodeGroup:NodeGroup";

/** Whether a GKE node config asks for spot or preemptible VMs (undefined: cannot tell). */
function gkeSpot(nodeConfig: unknown): Maybe {
    if (isUnknown(nodeConfig)) return undefined;
    const spot = read(nodeConfig, "spot");
    const preemptible = read(nodeConfig, "preemptible");
    if (isUnknown(spot) || isUnknown(preemptible)) return undefined;
    return spot === true || preemptible === true;
}

interface Pool {
    readonly label: string;
    readonly spot: Maybe;
}

/** The node pools of a GKE cluster: its default pool (unless removed), inline pools, and NodePool resources. */
function gkePools(cluster: GraphResource, pools: readonly { pool: GraphResource; clusters: readonly GraphResource[] }[]): Pool[] | undefined {
    const out: Pool[] = [];
    const removeDefault = read(cluster.props, "removeDefaultNodePool");
    const inline = read(cluster.props, "nodePools");
    if (isUnknown(removeDefault) || isUnknown(inline)) return undefined;
    if (Array.isArray(inline) && inline.length > 0) {
        // With inline pools GKE creates no default pool.
        inline.forEach((p, i) => out.push({ label: `nodePools[${i}]`, spot: isUnknown(p) ? undefined : gkeSpot(read(p, "nodeConfig")) }));
    } else if (removeDefault !== true) {
        out.push({ label: "the default node pool (nodeConfig)", spot: gkeSpot(read(cluster.props, "nodeConfig")) });
    }
    for (const p of pools) if (p.clusters.includes(cluster)) out.push({ label: `gcp:container/nodePool:NodePool "${p.pool.name}"`, spot: gkeSpot(read(p.pool.props, "nodeConfig")) });
    return out;
}

/**
 * Spot and preemptible VMs can be reclaimed at any time, and when a zone runs short of capacity
 * the provider reclaims many at once (GCE preemptible VMs also stop after 24 hours). A cluster
 * whose every node is one of them can lose all its pods together, with no on-demand node to
 * reschedule them onto.
 */
export const spotOnlyCapacity = graphRule({
    name: "spot-only-capacity",
    description: "A GKE or EKS cluster must keep some on-demand nodes: node pools made only of spot or preemptible VMs can be reclaimed all at once.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        const fix = "Add an on-demand node pool (no spot or preemptible) sized for the workloads that must keep running, and keep spot capacity for what can wait.";
        const consequence = "the provider may reclaim spot capacity at any time, many nodes at once when a zone runs short: every workload can lose all its pods together, with no on-demand node to reschedule them onto";

        const pools = graph.ofType(gkeNodePool).map((pool) => ({ pool, ref: resolve(graph, pool, "cluster", [gkeCluster], { identity: ["name", "id"] }) }));
        if (!pools.some((p) => p.ref.open || (p.ref.targets.length === 0 && p.ref.external.length === 0))) {
            const resolved = pools.map((p) => ({ pool: p.pool, clusters: p.ref.targets }));
            for (const cluster of graph.ofType(gkeCluster)) {
                const autopilot = read(cluster.props, "enableAutopilot");
                if (autopilot === true || isUnknown(autopilot)) continue; // Autopilot chooses its own nodes
                const all = gkePools(cluster, resolved);
                if (!all || all.length === 0 || !all.every((p) => p.spot === true)) continue;
                findings.push(finding(cluster, `every node pool of the cluster runs spot or preemptible VMs (${all.map((p) => p.label).join(", ")})`, consequence, fix));
            }
        }

        const groups = graph.ofType(eksNodeGroup).map((g) => ({ g, ref: resolve(graph, g, "clusterName", [eksCluster], { identity: ["name", "id"] }) }));
        const profiles = graph.ofType("aws:eks/fargateProfile:FargateProfile").map((f) => resolve(graph, f, "clusterName", [eksCluster], { identity: ["name", "id"] }));
        // Self-managed nodes (an Auto Scaling group) may join any cluster: then on-demand capacity may exist.
        const selfManaged = graph.ofType("aws:autoscaling/group:Group").length > 0;
        if (!selfManaged && !groups.some((x) => x.ref.open) && !profiles.some((p) => p.open)) {
            for (const cluster of graph.ofType(eksCluster)) {
                const mine = groups.filter((x) => x.ref.targets.includes(cluster)).map((x) => x.g);
                if (mine.length === 0 || profiles.some((p) => p.targets.includes(cluster))) continue;
                const types = mine.map((g) => read(g.props, "capacityType"));
                if (!types.every((t) => t === "SPOT")) continue;
                findings.push(finding(cluster, `every managed node group of the cluster (${names(mine)}) has capacityType "SPOT"`, consequence, fix.replace("node pool (no spot or preemptible)", 'aws.eks.NodeGroup (capacityType "ON_DEMAND")')));
            }
        }
        return findings;
    },
});
