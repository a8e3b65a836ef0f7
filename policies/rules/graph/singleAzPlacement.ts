import { GraphResource } from "../../lib/graph";
import { zoneOf } from "../../lib/location";
import { isUnknown, read } from "../../lib/props";
import { resolve } from "../../lib/refs";
import { facts, says } from "../../lib/facts";
import { distinctCount, show } from "../../lib/rule";
import { andList, finding, Finding, graphRule } from "./lib";

const subnetType = "aws:ec2/subnet:Subnet";
const singleAzPlacementName = "single-az-placement";

/** Where each placed resource type lists its subnets: the top-level prop and the path of the subnet ids under it. */
interface Placement {
    readonly prop: string;
    /** Path inside the prop to the subnet id list, or to a list of objects with `field`. */
    readonly path: readonly string[];
    readonly field?: string;
}

const placements: Readonly<Record<string, readonly Placement[]>> = {
    "aws:lb/loadBalancer:LoadBalancer": [
        { prop: "subnets", path: [] },
        { prop: "subnetMappings", path: [], field: "subnetId" },
    ],
    "aws:alb/loadBalancer:LoadBalancer": [
        { prop: "subnets", path: [] },
        { prop: "subnetMappings", path: [], field: "subnetId" },
    ],
    "aws:elb/loadBalancer:LoadBalancer": [{ prop: "subnets", path: [] }],
    "aws:autoscaling/group:Group": [{ prop: "vpcZoneIdentifiers", path: [] }],
    "aws:ecs/service:Service": [{ prop: "networkConfiguration", path: ["subnets"] }],
    "aws:eks/nodeGroup:NodeGroup": [{ prop: "subnetIds", path: [] }],
    "aws:eks/cluster:Cluster": [{ prop: "vpcConfig", path: ["subnetIds"] }],
    "aws:rds/subnetGroup:SubnetGroup": [{ prop: "subnetIds", path: [] }],
    "aws:elasticache/subnetGroup:SubnetGroup": [{ prop: "subnetIds", path: [] }],
    "aws:lambda/function:Function": [{ prop: "vpcConfig", path: ["subnetIds"] }],
    "aws:msk/cluster:Cluster": [{ prop: "brokerNodeGroupInfo", path: ["clientSubnets"] }],
};

/** The subnet ids a placement lists (elements may be UNKNOWN), or undefined when not listed / not known. */
function subnetIds(r: GraphResource, p: Placement): unknown[] | undefined {
    const v = read(r.props, [p.prop, ...p.path]);
    if (!Array.isArray(v)) return undefined;
    if (p.field === undefined) return v;
    return v.map((x) => (isUnknown(x) ? x : read(x, p.field as string)));
}

/**
 * Spreading over subnets protects nothing when the subnets share one availability zone: this
 * rule looks through the subnet ids to the zones of the subnets they name.
 */
export const singleAzPlacement = graphRule({
    name: singleAzPlacementName,
    description: "Load balancers, node groups, services, subnet groups and VPC functions must be placed in subnets of at least two availability zones.",
    thresholds: {
        minZones: { type: "integer", minimum: 1, default: 2, description: "Fewest availability zones the subnets of a placed resource must span." },
    },
    check: (graph, { minZones }) => {
        const findings: Finding[] = [];
        for (const [type, options] of Object.entries(placements)) {
            for (const r of graph.ofType(type)) {
                for (const p of options) {
                    const ids = subnetIds(r, p);
                    if (!ids || ids.length === 0) continue;
                    const path = `${[p.prop, ...p.path].join(".")}${p.field ? `[].${p.field}` : ""}`;
                    // Too few subnets is one fact with one owner (lib/facts): this rule, or the resource's own rule.
                    const count = distinctCount(ids);
                    const ref = resolve(graph, r, p.prop, [subnetType], { value: ids, identity: ["id"] });
                    if (count < minZones) {
                        if (says(singleAzPlacementName, facts.subnetCount, r)) {
                            // Name the subnets and their zones when the stack shows them.
                            const shown = !ref.open && ref.external.length === 0 && ref.targets.length === count ? ref.targets.map((t) => `"${t.name}"${zoneOf(t) ? ` in ${zoneOf(t)}` : ""}`).join(", ") : show(ids);
                            findings.push(
                                finding(
                                    r,
                                    `its ${path} lists ${count} distinct subnet${count === 1 ? "" : "s"} (${shown}), and a subnet lies in one availability zone`,
                                    `it runs in at most ${count} availability zone${count === 1 ? "" : "s"}, fewer than ${minZones}: an outage of that zone takes it down`,
                                    `Give it subnets in at least ${minZones} availability zones (e.g. one private subnet per zone of the VPC).`,
                                ),
                            );
                        }
                        continue;
                    }
                    // A subnet outside the stack, or one not known, is in a zone this rule cannot see.
                    if (ref.open || ref.external.length > 0 || ref.targets.length === 0) continue;
                    const zones = ref.targets.map(zoneOf);
                    if (zones.some((z) => z === undefined)) continue;
                    const distinct = [...new Set(zones as string[])].sort();
                    if (distinct.length >= minZones) continue;
                    findings.push(
                        finding(
                            r,
                            `its ${path} name${ref.targets.length === 1 ? "s" : ""} ${ref.targets.length} subnet${ref.targets.length === 1 ? "" : "s"} (${ref.targets.map((s) => `"${s.name}"`).join(", ")}), all in ${andList(distinct)}`,
                            `it runs in ${distinct.length} availability zone${distinct.length === 1 ? "" : "s"}, fewer than ${minZones}: an outage of ${distinct[0]} takes it down`,
                            `Give it subnets in at least ${minZones} availability zones (e.g. one private subnet per zone of the VPC).`,
                        ),
                    );
                }
            }
        }
        return findings;
    },
});
