// A DMS replication instance connects out to both of its endpoints. A private instance leaves its
// VPC through the NAT gateways of its subnets (or a VPN), so each endpoint must be reachable that
// way: an RDS/Aurora database in the same VPC through security groups, another VPC through
// peering or a transit gateway, a Cloud SQL instance over its public IP only when its authorized
// networks include the NAT gateways' Elastic IPs (or over its private IP through a VPN). Without a
// path the endpoint connection test fails and the task never starts (`pulumi up` fails on it when
// startReplicationTask is set).
import { Graph, GraphResource } from "../../lib/graph";
import { awsRegion, DEFAULT_REGION } from "../../lib/location";
import { bool, isUnknown, read, str } from "../../lib/props";
import { dependencyUrns, resolve, stringsIn } from "../../lib/refs";
import { finding, Finding, graphRule, names } from "../graph/lib";
import { databasesBehind, dbTypes, dmsTypes, taskParts } from "./dms";
import { dbPort, eipsOf, natsOf, netTypes, sgAllows, vpcsOf } from "./network";

const rdsSubnetGroupType = "aws:rds/subnetGroup:SubnetGroup";
const peeringType = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection";
const tgwAttachmentType = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
const awsVpnTypes = ["aws:ec2/vpnConnection:VpnConnection", "aws:ec2/vpnGateway:VpnGateway"];
const gcpVpnTypes = ["gcp:compute/vPNTunnel:VPNTunnel", "gcp:compute/haVpnGateway:HaVpnGateway", "gcp:compute/interconnectAttachment:InterconnectAttachment"];

/** Where the replication instance sits and how its traffic leaves. */
interface InstanceNet {
    readonly instance: GraphResource;
    readonly subnets: readonly GraphResource[];
    readonly vpcs: readonly GraphResource[];
    readonly sgs: readonly GraphResource[];
    readonly region: string | undefined;
    readonly publiclyAccessible: boolean | undefined;
    readonly natEips: GraphResource[];
}

function instanceNet(graph: Graph, instance: GraphResource): InstanceNet {
    const groups = resolve(graph, instance, "replicationSubnetGroupId", [dmsTypes.subnetGroup], { identity: ["replicationSubnetGroupId", "id"] }).targets;
    const subnets = groups.flatMap((g) => resolve(graph, g, "subnetIds", [netTypes.subnet], { identity: ["id"] }).targets);
    const region = awsRegion(instance);
    const eips = new Map<string, GraphResource>();
    for (const s of subnets) for (const nat of natsOf(graph, s)) for (const e of eipsOf(graph, nat)) eips.set(e.urn, e);
    return {
        instance,
        subnets,
        vpcs: vpcsOf(graph, subnets),
        sgs: resolve(graph, instance, "vpcSecurityGroupIds", [netTypes.sg], { identity: ["id"] }).targets,
        region: typeof region === "string" && region !== DEFAULT_REGION ? region : undefined,
        publiclyAccessible: bool(instance.props, "publiclyAccessible"),
        natEips: [...eips.values()],
    };
}

/** A problem with the path from the instance to one database, or undefined when there is a path (or it cannot be told). */
function rdsPath(graph: Graph, net: InstanceNet, db: GraphResource): string | undefined {
    const dbRegion = awsRegion(db);
    const groups = resolve(graph, db, "dbSubnetGroupName", [rdsSubnetGroupType], { identity: ["name", "id"] }).targets;
    const dbVpcs = vpcsOf(graph, groups.flatMap((g) => resolve(graph, g, "subnetIds", [netTypes.subnet], { identity: ["id"] }).targets));
    const sameVpc = dbVpcs.length > 0 && net.vpcs.length > 0 ? dbVpcs.some((v) => net.vpcs.includes(v)) : undefined;
    if (sameVpc === false || (typeof dbRegion === "string" && dbRegion !== DEFAULT_REGION && net.region && dbRegion !== net.region)) {
        const linked = [peeringType, tgwAttachmentType].some((t) =>
            graph.ofType(t).some((p) => {
                const deps = new Set([...dependencyUrns(p, "vpcId"), ...dependencyUrns(p, "peerVpcId")]);
                return dbVpcs.some((v) => deps.has(v.urn)) || net.vpcs.some((v) => deps.has(v.urn));
            }),
        );
        if (linked) return undefined;
        return `it sits in ${dbVpcs.length ? names(dbVpcs) : "another VPC"}${typeof dbRegion === "string" ? ` (${dbRegion})` : ""}, and no VPC peering connection or transit gateway attachment joins that VPC to the replication instance's ${names(net.vpcs)}`;
    }
    if (sameVpc !== true) return undefined;
    const port = dbPort(db, str(db.props, "engine"));
    if (port === undefined) return undefined;
    const dbSgs = resolve(graph, db, "vpcSecurityGroupIds", [netTypes.sg], { identity: ["id"] }).targets;
    if (dbSgs.length === 0 || net.sgs.length === 0) return undefined;
    if (sgAllows(graph, dbSgs, "ingress", port, net.sgs) === false) return `its security groups ${names(dbSgs)} admit nothing on port ${port} from the replication instance's security groups ${names(net.sgs)}`;
    if (sgAllows(graph, net.sgs, "egress", port, dbSgs) === false) return `the replication instance's security groups ${names(net.sgs)} let nothing out on port ${port}`;
    return undefined;
}

function hasVpn(graph: Graph): boolean {
    return graph.ofType(...awsVpnTypes).length > 0 && graph.ofType(...gcpVpnTypes).length > 0;
}

function cloudSqlPath(graph: Graph, net: InstanceNet, db: GraphResource): string | undefined {
    const ip = read(db.props, "settings.ipConfiguration");
    if (isUnknown(ip)) return undefined;
    const publicIp = read(ip, "ipv4Enabled");
    const privateNetwork = read(ip, "privateNetwork");
    if (isUnknown(publicIp) || isUnknown(privateNetwork)) return undefined;
    if (privateNetwork !== undefined && privateNetwork !== null && hasVpn(graph)) return undefined;
    if (publicIp === false) {
        return hasVpn(graph) ? undefined : "it has only a private IP, and the plan has no VPN or interconnect between the AWS VPC and Google Cloud";
    }
    const networks = read(ip, "authorizedNetworks");
    if (isUnknown(networks)) return undefined;
    const { known, unknown } = stringsIn(networks);
    if (known.includes("0.0.0.0/0")) return undefined;
    const settingsDeps = new Set(dependencyUrns(db, "settings"));
    // An unknown value whose source the engine does not name could be any address.
    const open = unknown && settingsDeps.size === 0;
    if (net.publiclyAccessible === true) {
        if (settingsDeps.has(net.instance.urn) || open) return undefined;
        return `the Cloud SQL instance's authorized networks (${known.length ? known.join(", ") : "none"}) do not include the replication instance's public IP`;
    }
    if (net.publiclyAccessible === undefined && open) return undefined;
    const covered = (eip: GraphResource) => {
        if (settingsDeps.has(eip.urn)) return true;
        const nats = graph.ofType(netTypes.nat).filter((n) => settingsDeps.has(n.urn) && resolve(graph, n, "allocationId", [netTypes.eip], { identity: ["id"] }).targets.includes(eip));
        if (nats.length > 0) return true;
        const address = str(eip.props, "publicIp");
        return address !== undefined && known.some((c) => c === address || c === `${address}/32`);
    };
    if (net.natEips.length === 0) {
        if (open || hasVpn(graph)) return undefined;
        return `the replication instance is private, its subnets leave through no NAT gateway the plan shows, and the Cloud SQL instance's authorized networks are ${known.length ? known.join(", ") : "empty"}`;
    }
    const missing = net.natEips.filter((e) => !covered(e));
    if (missing.length === 0 || open) return undefined;
    return `the replication instance is private and reaches the internet through the Elastic IPs of its NAT gateways (${names(net.natEips)}), while the Cloud SQL instance's authorized networks (${known.length ? known.join(", ") : "none"}) leave out ${missing.length === net.natEips.length ? "all of them" : names(missing)}${hasVpn(graph) ? "" : ", and no VPN reaches its private IP"}`;
}

/**
 * Every endpoint of a DMS task must be reachable from the task's replication instance: same VPC and
 * security groups, VPC peering / transit gateway, or (Cloud SQL) authorized networks holding the
 * instance's egress IPs or a VPN to the private IP.
 */
export const dmsNetworkPath = graphRule({
    name: "dms-network-path",
    description:
        "Each endpoint of a DMS task must be reachable from the replication instance: through security groups in the same VPC, VPC peering or a transit gateway, or (Cloud SQL) authorized networks holding the instance's NAT Elastic IPs or a VPN to the private IP.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        const seen = new Set<string>();
        for (const task of graph.ofType(dmsTypes.task)) {
            const { instance, source, target } = taskParts(graph, task);
            if (!instance) continue;
            const net = instanceNet(graph, instance);
            for (const [role, endpoint] of [["source", source], ["target", target]] as const) {
                if (!endpoint) continue;
                for (const db of databasesBehind(graph, endpoint)) {
                    const key = `${instance.urn}|${db.urn}`;
                    if (seen.has(key)) continue;
                    seen.add(key);
                    const problem = db.type === dbTypes.cloudSql ? cloudSqlPath(graph, net, db) : rdsPath(graph, net, db);
                    if (!problem) continue;
                    const fix =
                        db.type === dbTypes.cloudSql
                            ? `Add the Elastic IPs of the NAT gateways in the replication instance's subnets to settings.ipConfiguration.authorizedNetworks (built from the aws.ec2.Eip outputs, one /32 each), or connect the clouds with an HA VPN and point the endpoint at the private IP.`
                            : `Allow the database port from the replication instance's security group (an aws.vpc.SecurityGroupIngressRule with referencedSecurityGroupId) and egress to it, or peer the VPCs.`;
                    findings.push(
                        finding(
                            endpoint,
                            `the ${role} endpoint of ${task.type} "${task.name}" points at ${db.type} "${db.name}", which the replication instance cannot reach: ${problem}`,
                            `the replication instance "${instance.name}" cannot open a connection: the endpoint's connection test fails and the task never starts (with startReplicationTask, \`pulumi up\` fails on it)`,
                            fix,
                        ),
                    );
                }
            }
        }
        return findings;
    },
});
