import { expect } from "chai";
import { singleNatGateway } from "../../../../policies/rules/graph";
import { UNKNOWN } from "../../../harness";
import { expectNone, expectOne } from "../support";
import { expectOn, from, judge, Ref, TestStack } from "./stack";

interface NetworkOptions {
    readonly zones: readonly string[];
    /** Which zone's NAT gateway each zone's private subnet routes through (default: its own). */
    readonly natFor?: (zone: string) => string;
    /** Zones that get a NAT gateway (default: every zone). */
    readonly natZones?: readonly string[];
    /** Routes inline in the route table instead of aws:ec2/route:Route resources. */
    readonly inlineRoutes?: boolean;
    /** Values known (an update) instead of UNKNOWN (a first preview). */
    readonly known?: boolean;
}

/** A VPC with a public and a private subnet per zone, NAT gateways, route tables and associations. */
function network(stack: TestStack, o: NetworkOptions): Record<string, Ref> {
    const id = (r: Ref) => (o.known ? `${r.name}-id` : UNKNOWN);
    const vpc = stack.add("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
    const nats: Record<string, Ref> = {};
    for (const zone of o.natZones ?? o.zones) {
        const pub = stack.add("aws:ec2/subnet:Subnet", `public-${zone}`, { vpcId: from(vpc, id(vpc)), availabilityZone: zone, mapPublicIpOnLaunch: true });
        nats[zone] = stack.add("aws:ec2/natGateway:NatGateway", `nat-${zone}`, { subnetId: from(pub, id(pub)) });
    }
    for (const zone of o.zones) {
        const nat = nats[o.natFor ? o.natFor(zone) : zone];
        const subnet = stack.add("aws:ec2/subnet:Subnet", `private-${zone}`, { vpcId: from(vpc, id(vpc)), availabilityZone: zone });
        const table = stack.add("aws:ec2/routeTable:RouteTable", `private-${zone}`, {
            vpcId: from(vpc, id(vpc)),
            ...(o.inlineRoutes ? { routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: from(nat, id(nat)) }] } : {}),
        });
        if (!o.inlineRoutes) {
            stack.add("aws:ec2/route:Route", `private-${zone}-default`, { routeTableId: from(table, id(table)), destinationCidrBlock: "0.0.0.0/0", natGatewayId: from(nat, id(nat)) });
        }
        stack.add("aws:ec2/routeTableAssociation:RouteTableAssociation", `private-${zone}`, { routeTableId: from(table, id(table)), subnetId: from(subnet, id(subnet)) });
    }
    return nats;
}

const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];

describe("single-nat-gateway", () => {
    it("Compliance: accepts one NAT gateway per zone, each zone routed to its own", async () => {
        const stack = new TestStack();
        network(stack, { zones });
        expectNone(await judge(singleNatGateway, stack));
    });

    it("Compliance: accepts inline routes to per-zone NAT gateways", async () => {
        const stack = new TestStack();
        network(stack, { zones, inlineRoutes: true });
        expectNone(await judge(singleNatGateway, stack));
    });

    it("Noncompliance 1: reports one NAT gateway carrying the egress of three zones, naming zones, subnets and the fix", async () => {
        const stack = new TestStack();
        network(stack, { zones, natZones: ["us-east-1a"], natFor: () => "us-east-1a" });
        const v = expectOne(
            await judge(singleNatGateway, stack),
            "single-nat-gateway",
            'aws:ec2/natGateway:NatGateway "nat-us-east-1a"',
            "private subnets in 3 availability zones",
            'us-east-1b: "private-us-east-1b"',
            "if us-east-1a fails",
            "one NAT gateway in a public subnet of each availability zone",
        );
        expect(v.urn).to.equal("urn:pulumi:test::nonstop::aws:ec2/natGateway:NatGateway::nat-us-east-1a");
    });

    it("Noncompliance 1b: reports it through inline routes of aws:ec2/routeTable:RouteTable too", async () => {
        const stack = new TestStack();
        network(stack, { zones, natZones: ["us-east-1a"], natFor: () => "us-east-1a", inlineRoutes: true });
        expectOn(await judge(singleNatGateway, stack), "nat-us-east-1a");
    });

    it("Noncompliance 2: reports a zone routed through another zone's NAT gateway", async () => {
        const stack = new TestStack();
        // Each NAT serves one zone, but zone b's subnets go out through the NAT in zone a, and a's through b's.
        network(stack, { zones: ["us-east-1a", "us-east-1b"], natFor: (z) => (z === "us-east-1a" ? "us-east-1b" : "us-east-1a") });
        const v = await judge(singleNatGateway, stack);
        expectOn(v, "nat-us-east-1a", "nat-us-east-1b");
        expect(v[0].message).to.match(/placed in us-east-1., it carries the egress of private subnets in us-east-1./);
    });

    it("Unknown: does not count zones per NAT gateway when which NAT gateway a route uses is not shown", async () => {
        const stack = new TestStack();
        const vpc = stack.add("aws:ec2/vpc:Vpc", "vpc", {});
        const pub = stack.add("aws:ec2/subnet:Subnet", "public-a", { vpcId: from(vpc), availabilityZone: "us-east-1a" });
        stack.add("aws:ec2/natGateway:NatGateway", "nat", { subnetId: from(pub) });
        for (const zone of zones) {
            const subnet = stack.add("aws:ec2/subnet:Subnet", `private-${zone}`, { vpcId: from(vpc), availabilityZone: zone });
            // natGatewayId from a resource that is not a NAT gateway of the stack (e.g. a lookup wrapper)
            const other = stack.add("random:index/randomString:RandomString", `nat-id-${zone}`, {});
            const table = stack.add("aws:ec2/routeTable:RouteTable", `private-${zone}`, { routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: from(other) }] });
            stack.add("aws:ec2/routeTableAssociation:RouteTableAssociation", `private-${zone}`, { routeTableId: from(table), subnetId: from(subnet) });
        }
        // The routes may use NAT gateways outside the stack: no single NAT is proven to serve several zones.
        expectNone(await judge(singleNatGateway, stack));
    });

    it("Compliance: accepts a regional NAT gateway serving every zone", async () => {
        const stack = new TestStack();
        const vpc = stack.add("aws:ec2/vpc:Vpc", "vpc", {});
        const nat = stack.add("aws:ec2/natGateway:NatGateway", "regional", { availabilityMode: "regional", vpcId: from(vpc) });
        for (const zone of zones) {
            const subnet = stack.add("aws:ec2/subnet:Subnet", `private-${zone}`, { vpcId: from(vpc), availabilityZone: zone });
            const table = stack.add("aws:ec2/routeTable:RouteTable", `private-${zone}`, { routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: from(nat) }] });
            stack.add("aws:ec2/routeTableAssociation:RouteTableAssociation", `private-${zone}`, { routeTableId: from(table), subnetId: from(subnet) });
        }
        expectNone(await judge(singleNatGateway, stack));
    });

    it("Update: judges by value equality when ids are known", async () => {
        const stack = new TestStack();
        network(stack, { zones, natZones: ["us-east-1a"], natFor: () => "us-east-1a", known: true });
        // Known ids and no property dependencies: the rule falls back to id equality.
        const noDeps = new TestStack(false);
        noDeps.resources.push(...stack.resources.map((r) => ({ ...r, propertyDependencies: {}, dependencies: [] })));
        // Ids live in the targets' props once they exist.
        const withIds = noDeps.resources.map((r) => ({ ...r, props: { ...r.props, id: `${r.name}-id` } }));
        noDeps.resources.splice(0, noDeps.resources.length, ...withIds);
        expectOn(await judge(singleNatGateway, noDeps), "nat-us-east-1a");
    });

    it("Falls back to dependencies when the engine sends no property dependencies", async () => {
        const stack = new TestStack(false);
        network(stack, { zones, natZones: ["us-east-1a"], natFor: () => "us-east-1a" });
        expectOn(await judge(singleNatGateway, stack), "nat-us-east-1a");
    });

    it("Unknown: does not judge subnets whose zone, or routes whose NAT gateway, is unknown", async () => {
        const stack = new TestStack();
        const vpc = stack.add("aws:ec2/vpc:Vpc", "vpc", {});
        const pub = stack.add("aws:ec2/subnet:Subnet", "public", { vpcId: from(vpc), availabilityZone: UNKNOWN });
        const nat = stack.add("aws:ec2/natGateway:NatGateway", "nat", { subnetId: from(pub) });
        for (const zone of zones) {
            const subnet = stack.add("aws:ec2/subnet:Subnet", `private-${zone}`, { vpcId: from(vpc), availabilityZone: UNKNOWN });
            const table = stack.add("aws:ec2/routeTable:RouteTable", `private-${zone}`, { routes: UNKNOWN });
            stack.add("aws:ec2/route:Route", `r-${zone}`, { routeTableId: from(table), natGatewayId: from(nat) });
            stack.add("aws:ec2/routeTableAssociation:RouteTableAssociation", `private-${zone}`, { routeTableId: from(table), subnetId: from(subnet) });
        }
        expectNone(await judge(singleNatGateway, stack));
        const unknownRoutes = new TestStack();
        const t = unknownRoutes.add("aws:ec2/routeTable:RouteTable", "t", { routes: [{ natGatewayId: UNKNOWN }] });
        unknownRoutes.add("aws:ec2/routeTableAssociation:RouteTableAssociation", "a", { routeTableId: from(t), subnetId: UNKNOWN });
        expectNone(await judge(singleNatGateway, unknownRoutes));
    });
});
