import { expect } from "chai";
import { serviceQuotas } from "../../../../policies/rules/deploy";
import { parseRaise } from "../../../../policies/rules/deploy/serviceQuotas";
import { UNKNOWN } from "../../../harness";
import { expectNone, expectOne } from "../support";
import { expectOn, from, judge, Ref, TestStack } from "../graph/stack";

const EIP = "aws:ec2/eip:Eip";

/** `n` Elastic IPs through a provider for `region`. */
function eips(stack: TestStack, region: string | typeof UNKNOWN, n: number, prefix = region === UNKNOWN ? "x" : String(region)): Ref[] {
    const provider = stack.add("pulumi:providers:aws", `aws-${prefix}`, { region });
    return Array.from({ length: n }, (_, i) => stack.add(EIP, `${prefix}-nat-${i}`, { domain: "vpc" }, { provider }));
}

describe("service-quotas", () => {
    it("Noncompliance 1: six Elastic IPs in one Region against the default of five: names the quota, the count, the default and how to raise it", async () => {
        const stack = new TestStack();
        eips(stack, "us-east-1", 6);
        expectOne(
            await judge(serviceQuotas, stack),
            "service-quotas",
            `${EIP} "us-east-1-nat-0"`,
            'the plan creates 6 resources counting against the quota "EC2-VPC Elastic IPs" (ec2/L-0263D0A3) in us-east-1',
            "the quota is 5 by default (no raise declared)",
            '"AddressLimitExceeded: The maximum number of addresses has been reached."',
            "--service-code ec2 --quota-code L-0263D0A3 --desired-value 6 --region us-east-1",
            "nonstop:quotas",
        );
    });

    it("Compliance: five in one Region, or six split over two Regions", async () => {
        const five = new TestStack();
        eips(five, "us-east-1", 5);
        expectNone(await judge(serviceQuotas, five));
        const split = new TestStack();
        eips(split, "us-east-1", 3);
        eips(split, "us-west-2", 3);
        expectNone(await judge(serviceQuotas, split));
    });

    it("Compliance: a raise declared by an aws.servicequotas.ServiceQuota in that Region (the nonstop:quotas key) or by the raised setting", async () => {
        const stack = new TestStack();
        eips(stack, "us-east-1", 6);
        stack.add("aws:servicequotas/serviceQuota:ServiceQuota", "eips", { region: "us-east-1", serviceCode: "ec2", quotaCode: "L-0263D0A3", value: 10 });
        expectNone(await judge(serviceQuotas, stack));

        const bySetting = new TestStack();
        eips(bySetting, "us-east-1", 6);
        expectNone(await judge(serviceQuotas, bySetting, { raised: ["us-east-1/ec2/L-0263D0A3=6"] }));
        expectNone(await judge(serviceQuotas, bySetting, { raised: ["ec2/L-0263D0A3=8"] }));
    });

    it("Noncompliance 2: a raise in another Region does not count, and maxShareOfQuota keeps headroom for other stacks", async () => {
        const stack = new TestStack();
        eips(stack, "us-east-1", 6);
        stack.add("aws:servicequotas/serviceQuota:ServiceQuota", "eips", { region: "us-west-2", serviceCode: "ec2", quotaCode: "L-0263D0A3", value: 10 });
        expectOne(await judge(serviceQuotas, stack), "service-quotas", "the quota is 5 by default");

        const shared = new TestStack();
        eips(shared, "us-east-1", 3);
        expectOne(await judge(serviceQuotas, shared, { maxShareOfQuota: 0.5 }), "service-quotas", "of which this plan may use 2 (maxShareOfQuota 0.5)", "--desired-value 6");
    });

    it("Noncompliance 3: NAT gateways count per Availability Zone, found through their subnets", async () => {
        const stack = new TestStack();
        const provider = stack.add("pulumi:providers:aws", "east", { region: "us-east-1" });
        const subnet = stack.add("aws:ec2/subnet:Subnet", "public-a", { availabilityZone: "us-east-1a" }, { provider });
        const other = stack.add("aws:ec2/subnet:Subnet", "public-b", { availabilityZone: "us-east-1b" }, { provider });
        for (let i = 0; i < 6; i++) stack.add("aws:ec2/natGateway:NatGateway", `nat-a-${i}`, { subnetId: from(subnet) }, { provider });
        for (let i = 0; i < 5; i++) stack.add("aws:ec2/natGateway:NatGateway", `nat-b-${i}`, { subnetId: from(other) }, { provider });
        expectOn(await judge(serviceQuotas, stack), "nat-a-0");
    });

    it("Compliance: resources whose Region or zone is unknown are not counted", async () => {
        const stack = new TestStack();
        eips(stack, UNKNOWN, 7);
        const provider = stack.add("pulumi:providers:aws", "east", { region: "us-east-1" });
        const subnet = stack.add("aws:ec2/subnet:Subnet", "s", { availabilityZone: UNKNOWN }, { provider });
        for (let i = 0; i < 6; i++) stack.add("aws:ec2/natGateway:NatGateway", `nat-${i}`, { subnetId: from(subnet) }, { provider });
        expectNone(await judge(serviceQuotas, stack));
    });

    it("reads raised quotas as <region>/<service>/<quota>=<value>", () => {
        expect(parseRaise("us-east-1/ec2/L-0263D0A3=10")).to.include({ region: "us-east-1", serviceCode: "ec2", quotaCode: "L-0263D0A3", value: 10 });
        expect(parseRaise("vpc/L-FE5A380F=8")).to.include({ region: undefined, serviceCode: "vpc", value: 8 });
        expect(parseRaise("ten elastic ips")).to.equal(undefined);
    });
});
