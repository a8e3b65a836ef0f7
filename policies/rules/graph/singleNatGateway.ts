import { Graph, GraphResource } from "../../lib/graph";
import { zoneOf } from "../../lib/location";
import { list, read, str } from "../../lib/props";
import { Ref, refKeys, resolve } from "../../lib/refs";
import { finding, Finding, graphRule, groupBy, names } from "./lib";

const natType = "aws:ec2/natGateway:NatGateway";
const routeType = "aws:ec2/route:Route";
const routeTableTypes = ["aws:ec2/routeTable:RouteTable", "aws:ec2/defaultRouteTable:DefaultRouteTable"];
const associationType = "aws:ec2/routeTableAssociation:RouteTableAssociation";
const subnetType = "aws:ec2/subnet:Subnet";

/** A private subnet and the NAT gateways its route table sends traffic to. */
interface PrivateSubnet {
    readonly subnet: GraphResource;
    readonly zone?: string;
    readonly routeTables: GraphResource[];
    /** NAT keys: NAT URNs, or `value:<id>` for NAT gateways outside the stack. */
    readonly nats: Set<string>;
}

/**
 * A zonal NAT gateway lives in one zone: private subnets whose egress goes through a NAT gateway
 * in another zone lose it when that zone fails. Each zone's private subnets need their own NAT
 * (which is what "fewer NAT gateways than zones" breaks, proven here through the routes).
 */
export const singleNatGateway = graphRule({
    name: "single-nat-gateway",
    description: "Private subnets in each availability zone must send their egress through a NAT gateway in their own zone, never through one NAT gateway shared across zones.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        const nats = graph.ofType(natType);
        // A regional NAT gateway spans zones by itself; an unknown mode cannot be judged.
        const regional = new Set(nats.filter((n) => read(n.props, "availabilityMode") !== undefined && str(n.props, "availabilityMode") !== "zonal").map((n) => n.urn));
        const subnets = privateSubnets(graph);

        // Which zones each NAT gateway carries egress for.
        const served = new Map<string, PrivateSubnet[]>();
        for (const s of subnets) {
            for (const nat of s.nats) {
                const list = served.get(nat) ?? [];
                list.push(s);
                served.set(nat, list);
            }
        }
        const reported = new Set<string>();
        for (const [natKey, users] of served) {
            if (regional.has(natKey)) continue;
            const nat = graph.byUrn.get(natKey);
            const byZone = groupBy(users, (u) => u.zone);
            if (byZone.size >= 2) {
                const zones = [...byZone.keys()].sort();
                const detail = zones.map((z) => `${z}: ${names((byZone.get(z) ?? []).map((u) => u.subnet))}`).join("; ");
                const natZone = nat ? natZoneOf(graph, nat) : undefined;
                const what = `${nat ? "this one NAT gateway carries" : `it routes to NAT gateway ${natKey.slice(6)} (outside the stack), which alone carries`} the egress of private subnets in ${zones.length} availability zones (${detail})`;
                const consequence = `if ${natZone ?? "its zone"} fails, every one of those subnets loses outbound connectivity at once`;
                const fix =
                    "Create one NAT gateway in a public subnet of each availability zone and give each zone's private route table a route (natGatewayId) to the NAT gateway of the same zone, or use a regional NAT gateway (availabilityMode: \"regional\").";
                const on = nat ?? users[0].routeTables[0] ?? users[0].subnet;
                findings.push(finding(on, what, consequence, fix));
                reported.add(natKey);
                continue;
            }
            // One zone served, but from a NAT gateway in another zone: a cross-zone dependency.
            if (nat && byZone.size === 1) {
                const natZone = natZoneOf(graph, nat);
                const [zone, zoneUsers] = [...byZone.entries()][0];
                if (natZone !== undefined && natZone !== zone) {
                    findings.push(
                        finding(
                            nat,
                            `placed in ${natZone}, it carries the egress of private subnets in ${zone} (${names(zoneUsers.map((u) => u.subnet))})`,
                            `those subnets lose outbound connectivity when ${natZone} fails, although their own zone is healthy`,
                            `Place a NAT gateway in a public subnet of ${zone} and route ${zone}'s private route table (natGatewayId) to it.`,
                        ),
                    );
                    reported.add(natKey);
                }
            }
        }

        return findings;
    },
});

/** Subnets whose route table has a route through a NAT gateway, with their zone and NAT gateways. */
function privateSubnets(graph: Graph): PrivateSubnet[] {
    // Route table -> NAT keys, from inline routes and from aws:ec2/route:Route resources.
    const tableNats = new Map<string, Set<string>>();
    const addNats = (tableKey: string, ref: Ref) => {
        const set = tableNats.get(tableKey) ?? new Set<string>();
        for (const k of refKeys(ref)) set.add(k);
        tableNats.set(tableKey, set);
    };
    for (const table of graph.ofType(...routeTableTypes)) {
        const routes = list(table.props, "routes");
        if (!routes) continue;
        const natIds = routes.map((r) => read(r, "natGatewayId")).filter((v) => v !== undefined && v !== null && v !== "");
        if (natIds.length === 0) continue;
        addNats(table.urn, resolve(graph, table, "routes", [natType], { value: natIds, identity: ["id"] }));
    }
    for (const route of graph.ofType(routeType)) {
        const natId = read(route.props, "natGatewayId");
        if (natId === undefined || natId === null || natId === "") continue;
        const nats = resolve(graph, route, "natGatewayId", [natType], { identity: ["id"] });
        for (const tableKey of refKeys(resolve(graph, route, "routeTableId", routeTableTypes, { identity: ["id"] }))) addNats(tableKey, nats);
    }

    const bySubnet = new Map<string, PrivateSubnet>();
    for (const assoc of graph.ofType(associationType)) {
        const tableKeys = refKeys(resolve(graph, assoc, "routeTableId", routeTableTypes, { identity: ["id"] })).filter((k) => tableNats.has(k));
        if (tableKeys.length === 0) continue;
        for (const subnet of resolve(graph, assoc, "subnetId", [subnetType], { identity: ["id"] }).targets) {
            const entry = bySubnet.get(subnet.urn) ?? { subnet, zone: zoneOf(subnet), routeTables: [], nats: new Set<string>() };
            for (const k of tableKeys) {
                const table = graph.byUrn.get(k);
                if (table && !entry.routeTables.includes(table)) entry.routeTables.push(table);
                for (const n of tableNats.get(k) ?? []) entry.nats.add(n);
            }
            bySubnet.set(subnet.urn, entry);
        }
    }
    return [...bySubnet.values()];
}

function natZoneOf(graph: Graph, nat: GraphResource): string | undefined {
    const subnets = resolve(graph, nat, "subnetId", [subnetType], { identity: ["id"] }).targets;
    const zones = new Set(subnets.map(zoneOf));
    return zones.size === 1 ? [...zones][0] : undefined;
}
