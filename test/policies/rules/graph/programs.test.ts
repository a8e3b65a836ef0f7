// Programs written without nonstop, each making one classic mistake, run under mocks as at
// `pulumi preview` (ids and ARNs of new resources unknown) and judged by the graph rules: each
// mistake is caught, by the right rule, on the right resource.
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { expect } from "chai";
import { policies } from "../../../../policies/rules/graph";
import { checkRun, runUnderMocks, Violation } from "../../../harness";

const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];

/** A VPC with a public and a private subnet per zone; `natZones` get a NAT gateway; each private subnet routes to `natFor(zone)`. */
function vpc(natZones: readonly string[], natFor: (zone: string) => string): void {
    const net = new aws.ec2.Vpc("app", { cidrBlock: "10.0.0.0/16" });
    const igw = new aws.ec2.InternetGateway("app", { vpcId: net.id });
    const publicTable = new aws.ec2.RouteTable("public", { vpcId: net.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }] });
    const nats: Record<string, aws.ec2.NatGateway> = {};
    zones.forEach((zone, i) => {
        const pub = new aws.ec2.Subnet(`public-${zone}`, { vpcId: net.id, cidrBlock: `10.0.${i}.0/24`, availabilityZone: zone, mapPublicIpOnLaunch: true });
        new aws.ec2.RouteTableAssociation(`public-${zone}`, { subnetId: pub.id, routeTableId: publicTable.id });
        if (natZones.includes(zone)) {
            const eip = new aws.ec2.Eip(`nat-${zone}`, { domain: "vpc" });
            nats[zone] = new aws.ec2.NatGateway(`nat-${zone}`, { subnetId: pub.id, allocationId: eip.id });
        }
    });
    zones.forEach((zone, i) => {
        const priv = new aws.ec2.Subnet(`private-${zone}`, { vpcId: net.id, cidrBlock: `10.0.${10 + i}.0/24`, availabilityZone: zone });
        const table = new aws.ec2.RouteTable(`private-${zone}`, { vpcId: net.id });
        new aws.ec2.Route(`private-${zone}-egress`, { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[natFor(zone)].id });
        new aws.ec2.RouteTableAssociation(`private-${zone}`, { subnetId: priv.id, routeTableId: table.id });
    });
}

/** A load balancer in `region` (its own provider) and the alias target it gives a record. */
function site(region: string): { lb: aws.lb.LoadBalancer; check: aws.route53.HealthCheck } {
    const provider = new aws.Provider(region, { region });
    const lb = new aws.lb.LoadBalancer(`web-${region}`, { loadBalancerType: "application", subnets: ["subnet-1", "subnet-2"] }, { provider });
    const check = new aws.route53.HealthCheck(`web-${region}`, { type: "HTTPS", fqdn: lb.dnsName, port: 443, resourcePath: "/healthz", failureThreshold: 3, requestInterval: 10 });
    return { lb, check };
}

function record(zone: aws.route53.Zone, name: string, lb: aws.lb.LoadBalancer, extra: Partial<aws.route53.RecordArgs> = {}): aws.route53.Record {
    return new aws.route53.Record(name, { zoneId: zone.zoneId, name: "www.example.com", type: "A", aliases: [{ name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true }], ...extra });
}

async function judgeProgram(program: () => void, config: Record<string, unknown> = {}): Promise<Violation[]> {
    const run = await runUnderMocks(program, { preview: true });
    return checkRun(policies, run, config);
}

function by(violations: readonly Violation[], policy: string): string[] {
    return violations.filter((v) => v.policy === policy).map((v) => (v.urn ?? "").split("::").pop() ?? "");
}

describe("graph rules on programs under preview", function () {
    this.timeout(120000);

    it("catches one NAT gateway for three zones (single-nat-gateway, on the NAT gateway)", async () => {
        const v = await judgeProgram(() => vpc(["us-east-1a"], () => "us-east-1a"));
        expect(by(v, "single-nat-gateway")).to.deep.equal(["nat-us-east-1a"]);
        expect(v.find((x) => x.policy === "single-nat-gateway")?.message).to.include("private subnets in 3 availability zones");
    });

    it("accepts one NAT gateway per zone", async () => {
        const v = await judgeProgram(() => vpc(zones, (z) => z));
        expect(by(v, "single-nat-gateway")).to.deep.equal([]);
    });

    it("catches a single-AZ database (replication-factor, on the instance)", async () => {
        const v = await judgeProgram(() => {
            new aws.rds.Instance("orders", { engine: "postgres", instanceClass: "db.t4g.micro", allocatedStorage: 20, multiAz: false, username: "app", manageMasterUserPassword: true, skipFinalSnapshot: true });
        });
        expect(by(v, "replication-factor")).to.deep.equal(["orders"]);
        expect(by(v, "backup-plan-coverage")).to.deep.equal(["orders"]);
        expect(by(v, "stateful-resource-protected")).to.deep.equal(["orders"]);
    });

    it("catches an unreplicated bucket (bucket-replication-coverage) and accepts a replicated one", async () => {
        const v = await judgeProgram(() => {
            const east = new aws.Provider("east", { region: "us-east-1" });
            const west = new aws.Provider("west", { region: "us-west-2" });
            const lonely = new aws.s3.Bucket("lonely", {}, { provider: east });
            new aws.s3.BucketVersioning("lonely", { bucket: lonely.id, versioningConfiguration: { status: "Enabled" } }, { provider: east });
            const source = new aws.s3.Bucket("source", {}, { provider: east });
            const replica = new aws.s3.Bucket("replica", {}, { provider: west });
            for (const [name, b, p] of [["source", source, east], ["replica", replica, west]] as const) {
                new aws.s3.BucketVersioning(`${name}-v`, { bucket: b.id, versioningConfiguration: { status: "Enabled" } }, { provider: p });
            }
            new aws.s3.BucketReplicationConfig("source", { bucket: source.id, role: "arn:aws:iam::123456789012:role/replication", rules: [{ id: "all", status: "Enabled", destination: { bucket: replica.arn } }] }, { provider: east });
            new gcp.storage.Bucket("media", { location: "US-CENTRAL1", versioning: { enabled: true } });
        });
        expect(by(v, "bucket-replication-coverage").sort()).to.deep.equal(["lonely", "media"]);
        expect(by(v, "bucket-versioning-coverage")).to.deep.equal([]);
    });

    it("catches one-site DNS (dns-single-region and failover-record-pair, on the record)", async () => {
        const v = await judgeProgram(() => {
            const zone = new aws.route53.Zone("example", { name: "example.com" });
            const east = site("us-east-1");
            record(zone, "www-primary", east.lb, { setIdentifier: "primary", failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId: east.check.id });
        });
        expect(by(v, "dns-single-region")).to.deep.equal(["www-primary"]);
        expect(by(v, "failover-record-pair")).to.deep.equal(["www-primary"]);
        expect(v.find((x) => x.policy === "dns-single-region")?.message).to.include("aws us-east-1");
    });

    it("accepts a failover pair across two regions, and asks for a second cloud only when configured", async () => {
        const program = () => {
            const zone = new aws.route53.Zone("example", { name: "example.com" });
            const east = site("us-east-1");
            const west = site("us-west-2");
            record(zone, "www-primary", east.lb, { setIdentifier: "primary", failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId: east.check.id });
            record(zone, "www-secondary", west.lb, { setIdentifier: "secondary", failoverRoutingPolicies: [{ type: "SECONDARY" }], healthCheckId: west.check.id });
        };
        const v = await judgeProgram(program);
        expect(by(v, "dns-single-region")).to.deep.equal([]);
        expect(by(v, "failover-record-pair")).to.deep.equal([]);
        expect(by(v, "dns-single-cloud")).to.deep.equal([]);
        const prod = await judgeProgram(program, { "dns-single-cloud": { requireMultiCloud: true } });
        expect(by(prod, "dns-single-cloud")).to.deep.equal(["www-primary"]);
    });
});
