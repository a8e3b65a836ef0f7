import { expect } from "chai";
import { validateServiceQuotasArgs } from "../../../components/account/serviceQuotas";
import { parseStackConfig } from "../../../stacks/config";
import { stackConfig } from "../../stacks/stackFiles";

const eips = { serviceCode: "ec2", quotaCode: "L-0263D0A3", region: "us-east-1", value: 10 };

describe("ServiceQuotas", () => {
    it("accepts one entry per quota and Region, and names a duplicate or a value below 1", () => {
        expect(validateServiceQuotasArgs({ quotas: [eips, { ...eips, region: "us-west-2" }] })).to.deep.equal([]);
        expect(validateServiceQuotasArgs({ quotas: [eips, eips, { ...eips, region: "eu-west-1", value: 0 }] })).to.deep.equal([
            "quotas[1]: us-east-1/ec2/L-0263D0A3 is listed twice; keep one entry per quota and Region",
            "quotas[2].value: 0 is not a whole number >= 1",
        ]);
    });
});

describe("nonstop:quotas", () => {
    const prod = stackConfig("prod");
    const quota = { service: "ec2", code: "L-0263D0A3", region: "us-east-1", value: 10 };

    it("reads prod's raised Elastic IP quotas (us-east-1 and us-west-2), and defaults to none", () => {
        const reason = "EC2-VPC Elastic IPs for one NAT gateway per zone, 2 services x 3 zones, plus dev";
        expect(parseStackConfig(prod, "prod").quotas).to.deep.equal([
            { ...quota, reason },
            { ...quota, region: "us-west-2", reason },
        ]);
        expect(parseStackConfig(stackConfig("dev"), "dev").quotas).to.deep.equal([]);
    });

    it("refuses a malformed quota code and a quota listed twice, naming the stack file and the key", () => {
        expect(() => parseStackConfig({ ...prod, "nonstop:quotas": [{ ...quota, code: "EIP" }] }, "prod")).to.throw(/Pulumi\.prod\.yaml: nonstop:quotas\[0\]\.code: .*quota code such as L-0263D0A3/);
        expect(() => parseStackConfig({ ...prod, "nonstop:quotas": [quota, quota] }, "prod")).to.throw(/nonstop:quotas\[1\]: us-east-1\/ec2\/L-0263D0A3 is already listed at nonstop:quotas\[0\]/);
    });
});
