import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { AwsSitePeeringArgs, cidrsOverlap, PeeredSite, validateAwsSitePeeringArgs } from "../../../components/network/awsSitePeering";

const side = (key: string, region: string, vpcCidr: string): PeeredSite => ({
    key,
    region,
    databasePort: 5432,
    network: {
        vpcId: pulumi.output(`vpc-${key}`),
        vpcCidr,
        subnetIds: [pulumi.output("a"), pulumi.output("b")],
        privateRouteTableIds: [pulumi.output("rtb-a")],
        securityGroupId: pulumi.output("sg-db"),
        egressIps: [],
    },
});

describe("AwsSitePeering validation", () => {
    const args = (o: Partial<AwsSitePeeringArgs> = {}): AwsSitePeeringArgs => ({ requester: side("aws-us-east-1", "us-east-1", "10.0.0.0/16"), accepter: side("aws-us-west-2", "us-west-2", "10.1.0.0/16"), ...o });

    it("accepts two regions with disjoint ranges", () => {
        expect(validateAwsSitePeeringArgs(args())).to.deep.equal([]);
    });

    it("refuses overlapping ranges (every AWS site defaulting to 10.0.0.0/16 could not be peered) and one region twice", () => {
        expect(validateAwsSitePeeringArgs(args({ accepter: side("aws-us-east-1b", "us-east-1", "10.0.0.0/16") }))).to.deep.equal([
            'accepter.region: "us-east-1" is the requester\'s own region; peer sites in two regions (one VPC per region here)',
            "accepter.network.vpcCidr: 10.0.0.0/16 overlaps aws-us-east-1's 10.0.0.0/16; peered VPCs need disjoint ranges (give each AWS site of the service its own vpcCidr)",
        ]);
    });

    it("compares ranges by their network bits", () => {
        expect([cidrsOverlap("10.0.0.0/16", "10.0.128.0/17"), cidrsOverlap("10.0.0.0/16", "10.1.0.0/16"), cidrsOverlap("10.0.0.0/8", "10.200.0.0/16"), cidrsOverlap("192.168.0.0/16", "10.0.0.0/8")]).to.deep.equal([true, false, true, false]);
    });
});
