// Reading AWS network paths from the resource graph for the deploy-time rules: security group
// rules (standalone and inline), the NAT gateways a subnet's traffic leaves through and their
// Elastic IPs. Unknown values read as "may allow" (undefined), never as a refusal.
import { Graph, GraphResource } from "../../lib/graph";
import { isUnknown, list, num, read, str } from "../../lib/props";
import { referrers, referrersOfAny, refKeys, resolve } from "../../lib/refs";
import { Maybe, or3 } from "../graph/lib";

export const netTypes = {
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    subnet: "aws:ec2/subnet:Subnet",
    vpc: "aws:ec2/vpc:Vpc",
    nat: "aws:ec2/natGateway:NatGateway",
    eip: "aws:ec2/eip:Eip",
    route: "aws:ec2/route:Route",
    routeTable: "aws:ec2/routeTable:RouteTable",
    association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
} as const;

export type Direction = "ingress" | "egress";

/** One rule of a security group: what it lets through, as far as known. */
interface SgRule {
    /** Protocol and port range; undefined when unknown. */
    readonly covers: (port: number) => Maybe;
    /** Peer security groups named by the rule. */
    readonly peers: readonly GraphResource[];
    /** Known CIDRs; "unknown" when the peer list is not known. */
    readonly cidrs: readonly string[] | "unknown";
}

function portCovers(protocol: unknown, from: unknown, to: unknown): (port: number) => Maybe {
    return (port) => {
        if (isUnknown(protocol) || isUnknown(from) || isUnknown(to)) return undefined;
        const p = String(protocol).toLowerCase();
        if (p === "-1" || p === "all") return true;
        if (p !== "tcp" && p !== "6") return false;
        const f = typeof from === "number" ? from : Number(from);
        const t = typeof to === "number" ? to : Number(to);
        if (!Number.isFinite(f) || !Number.isFinite(t)) return undefined;
        return f <= port && port <= t;
    };
}

function cidrsOf(value: unknown): readonly string[] | "unknown" {
    if (isUnknown(value)) return "unknown";
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.some(isUnknown) ? "unknown" : value.filter((x): x is string => typeof x === "string");
    return [];
}

/** Every rule of `direction` on security group `sg`. */
export function sgRules(graph: Graph, sg: GraphResource, direction: Direction): SgRule[] {
    const out: SgRule[] = [];
    const standalone = direction === "ingress" ? netTypes.ingress : netTypes.egress;
    for (const r of referrers(graph, [standalone], "securityGroupId", [netTypes.sg], { identity: ["id"] }).get(sg.urn) ?? []) {
        out.push({
            covers: portCovers(read(r.props, "ipProtocol"), read(r.props, "fromPort") ?? 0, read(r.props, "toPort") ?? 65535),
            peers: resolve(graph, r, "referencedSecurityGroupId", [netTypes.sg], { identity: ["id"] }).targets,
            cidrs: cidrsOf(read(r.props, "cidrIpv4")),
        });
    }
    for (const r of referrers(graph, [netTypes.sgRule], "securityGroupId", [netTypes.sg], { identity: ["id"] }).get(sg.urn) ?? []) {
        if (str(r.props, "type") !== direction) continue;
        out.push({
            covers: portCovers(read(r.props, "protocol"), read(r.props, "fromPort"), read(r.props, "toPort")),
            peers: resolve(graph, r, "sourceSecurityGroupId", [netTypes.sg], { identity: ["id"] }).targets,
            cidrs: cidrsOf(read(r.props, "cidrBlocks")),
        });
    }
    const inline = read(sg.props, direction);
    if (isUnknown(inline)) out.push({ covers: () => undefined, peers: [], cidrs: "unknown" });
    else if (Array.isArray(inline)) {
        for (const block of inline) {
            const peers = list(block, "securityGroups");
            out.push({
                covers: portCovers(read(block, "protocol"), read(block, "fromPort"), read(block, "toPort")),
                peers: peers ? resolve(graph, sg, direction, [netTypes.sg], { value: peers, identity: ["id"] }).targets : [],
                cidrs: cidrsOf(read(block, "cidrBlocks")),
            });
        }
    }
    return out;
}

/**
 * Whether security groups `on` let traffic of `direction` on `port` through to/from the peer
 * groups `peers` (or any address, when a rule names 0.0.0.0/0 or `cidr` matches).
 */
export function sgAllows(graph: Graph, on: readonly GraphResource[], direction: Direction, port: number, peers: readonly GraphResource[], extraCidrs: readonly string[] = []): Maybe {
    const results: Maybe[] = [];
    for (const sg of on) {
        for (const rule of sgRules(graph, sg, direction)) {
            const covers = rule.covers(port);
            if (covers === false) continue;
            const peerOk: Maybe = rule.peers.some((p) => peers.includes(p)) ? true : rule.cidrs === "unknown" ? undefined : rule.cidrs.some((c) => c === "0.0.0.0/0" || extraCidrs.includes(c)) ? true : false;
            results.push(covers === true ? peerOk : peerOk === false ? false : undefined);
        }
    }
    return results.length === 0 ? false : or3(...results);
}

/** Route tables a subnet is associated with. */
function tablesOf(graph: Graph, subnet: GraphResource): string[] {
    const keys: string[] = [];
    for (const a of referrers(graph, [netTypes.association], "subnetId", [netTypes.subnet], { identity: ["id"] }).get(subnet.urn) ?? []) {
        keys.push(...refKeys(resolve(graph, a, "routeTableId", [netTypes.routeTable], { identity: ["id"] })));
    }
    return keys;
}

/** The NAT gateways a subnet's default route leaves through (inline routes and aws:ec2/route:Route). */
export function natsOf(graph: Graph, subnet: GraphResource): GraphResource[] {
    const tables = new Set(tablesOf(graph, subnet));
    const out = new Map<string, GraphResource>();
    for (const route of referrersOfAny(graph, [netTypes.route], "routeTableId", [netTypes.routeTable], tables, { identity: ["id"] })) {
        for (const n of resolve(graph, route, "natGatewayId", [netTypes.nat], { identity: ["id"] }).targets) out.set(n.urn, n);
    }
    for (const key of tables) {
        const table = graph.byUrn.get(key);
        const routes = table ? list(table.props, "routes") : undefined;
        if (!table || !routes) continue;
        const ids = routes.map((r) => read(r, "natGatewayId")).filter((v) => v !== undefined && v !== null);
        for (const n of resolve(graph, table, "routes", [netTypes.nat], { value: ids, identity: ["id"] }).targets) out.set(n.urn, n);
    }
    return [...out.values()];
}

/** The Elastic IPs of NAT gateways (allocationId and secondaryAllocationIds). */
export function eipsOf(graph: Graph, nat: GraphResource): GraphResource[] {
    return [
        ...resolve(graph, nat, "allocationId", [netTypes.eip], { identity: ["id", "allocationId"] }).targets,
        ...resolve(graph, nat, "secondaryAllocationIds", [netTypes.eip], { identity: ["id", "allocationId"] }).targets,
    ];
}

/** The VPCs a set of subnets belongs to. */
export function vpcsOf(graph: Graph, subnets: readonly GraphResource[]): GraphResource[] {
    const out = new Map<string, GraphResource>();
    for (const s of subnets) for (const v of resolve(graph, s, "vpcId", [netTypes.vpc], { identity: ["id"] }).targets) out.set(v.urn, v);
    return [...out.values()];
}

/** The port of a database resource (its own `port`, else the engine's default). */
export function dbPort(db: GraphResource, engine: string | undefined): number | undefined {
    const p = num(db.props, "port");
    if (p !== undefined) return p;
    if (!engine) return undefined;
    if (engine.includes("postgres")) return 5432;
    if (engine.includes("mysql") || engine === "mariadb") return 3306;
    return undefined;
}
