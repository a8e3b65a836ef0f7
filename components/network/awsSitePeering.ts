// The private path between two AWS sites of a service in different regions: an inter-region VPC
// peering, a route to the other VPC in every private route table of each, and each database
// admitting the other VPC on its port. Over it:
//   - every site's app writes through the Aurora global writer endpoint, which resolves to the
//     private address of the current primary cluster's writer, in whichever region that is;
//   - the failover automation in the standby's region probes the writer database itself;
//   - DMS in one region reaches a database that a promotion moved to the other.
// Security groups cannot name a group across regions, so the rules admit the peer's VPC range.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SiteDatabaseNetwork } from "../site/site";

/** One end of the peering: an AWS site with a database. */
export interface PeeredSite {
    /** Site key, e.g. aws-us-east-1. */
    readonly key: string;
    readonly region: string;
    readonly network: SiteDatabaseNetwork;
    /** Port of the site's database. */
    readonly databasePort: number;
}

export interface AwsSitePeeringArgs {
    /** Requests the peering (in its region). */
    readonly requester: PeeredSite;
    /** Accepts it (in its region). */
    readonly accepter: PeeredSite;
    /** @default {} */
    readonly tags?: Readonly<Record<string, string>>;
}

/** Address ranges overlap when one contains the other's network address (both /16 or wider here). */
export function cidrsOverlap(a: string, b: string): boolean {
    const parse = (cidr: string) => {
        const [ip, bits] = cidr.split("/");
        const n = ip.split(".").reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
        return { n, bits: Number(bits) };
    };
    const x = parse(a);
    const y = parse(b);
    const bits = Math.min(x.bits, y.bits);
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (x.n & mask) === (y.n & mask);
}

export function validateAwsSitePeeringArgs(args: AwsSitePeeringArgs): string[] {
    const issues: string[] = [];
    const { requester: r, accepter: a } = args;
    if (r.region === a.region) issues.push(`accepter.region: "${a.region}" is the requester's own region; peer sites in two regions (one VPC per region here)`);
    if (cidrsOverlap(r.network.vpcCidr, a.network.vpcCidr)) {
        issues.push(`accepter.network.vpcCidr: ${a.network.vpcCidr} overlaps ${r.key}'s ${r.network.vpcCidr}; peered VPCs need disjoint ranges (give each AWS site of the service its own vpcCidr)`);
    }
    for (const [side, s] of [["requester", r], ["accepter", a]] as const) {
        if (s.network.privateRouteTableIds.length === 0) issues.push(`${side}.network.privateRouteTableIds: empty; ${s.key}'s private subnets would have no route to the peer`);
    }
    return issues;
}

export class AwsSitePeering extends pulumi.ComponentResource {
    public readonly connectionId: pulumi.Output<string>;

    constructor(name: string, args: AwsSitePeeringArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:network:AwsSitePeering", name, {}, opts);
        const issues = validateAwsSitePeeringArgs(args);
        if (issues.length > 0) throw new pulumi.ResourceError(`AwsSitePeering "${name}" has invalid args:\n  ${issues.join("\n  ")}`, this);
        const { requester, accepter } = args;
        const tags = { ...(args.tags ?? {}), "nonstop:peering": `${requester.key}<->${accepter.key}` };
        const opt = { parent: this };

        const connection = new aws.ec2.VpcPeeringConnection(
            name,
            { region: requester.region, vpcId: requester.network.vpcId, peerVpcId: accepter.network.vpcId, peerRegion: accepter.region, tags: { ...tags, Name: name } },
            opt,
        );
        // Inter-region peering is accepted by a resource in the accepter's region (autoAccept on the
        // request works within one region only).
        const accepted = new aws.ec2.VpcPeeringConnectionAccepter(
            name,
            { region: accepter.region, vpcPeeringConnectionId: connection.id, autoAccept: true, tags: { ...tags, Name: name } },
            opt,
        );
        for (const [from, to] of [
            [requester, accepter],
            [accepter, requester],
        ] as const) {
            from.network.privateRouteTableIds.forEach((routeTableId, i) => {
                new aws.ec2.Route(
                    `${name}-${from.key}-${i}`,
                    { region: from.region, routeTableId, destinationCidrBlock: to.network.vpcCidr, vpcPeeringConnectionId: connection.id },
                    { parent: this, dependsOn: [accepted] },
                );
            });
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-${from.key}-db`,
                {
                    region: from.region,
                    securityGroupId: from.network.securityGroupId,
                    description: `database port from ${to.key} over the peering (its app, failover automation, DMS)`,
                    ipProtocol: "tcp",
                    fromPort: from.databasePort,
                    toPort: from.databasePort,
                    cidrIpv4: to.network.vpcCidr,
                    tags,
                },
                opt,
            );
        }
        this.connectionId = connection.id;
        this.registerOutputs({ connectionId: this.connectionId });
    }
}
