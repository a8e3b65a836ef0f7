import { loadBalancerMultiAz } from "../../../../policies/rules/aws/loadBalancerMultiAz";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, unset } from "../support";
import { classicLoadBalancer, loadBalancer } from "./factories";

const lbType = "aws:lb/loadBalancer:LoadBalancer";
const check = checker(loadBalancerMultiAz, lbType, "checkout-lb");
const subject = `${lbType} "checkout-lb"`;

describe("load-balancer-multi-az", () => {
    it("Compliance: accepts subnets in three zones", async () => {
        expectNone(await check(loadBalancer()));
    });

    it("Noncompliance 1: reports a single subnet, with the value and the fix", async () => {
        expectOne(await check({ ...loadBalancer(), subnets: ["subnet-pub-a"] }), "load-balancer-multi-az", subject, "subnets has 1 distinct entry", '["subnet-pub-a"]', "at least 2 availability zones");
    });

    it("Noncompliance 2: reports a single subnet mapping", async () => {
        const props = { ...unset(loadBalancer(), "subnets"), loadBalancerType: "network", subnetMappings: [{ subnetId: "subnet-pub-a", allocationId: "eipalloc-1" }] };
        expectOne(await check(props), "load-balancer-multi-az", subject, "subnetMappings has 1 distinct entry");
    });

    it("Noncompliance 3: judges aws.alb load balancers the same way", async () => {
        const checkAlb = checker(loadBalancerMultiAz, "aws:alb/loadBalancer:LoadBalancer", "checkout-alb");
        expectOne(await checkAlb({ ...loadBalancer(), subnets: ["subnet-pub-a"] }), "load-balancer-multi-az", 'aws:alb/loadBalancer:LoadBalancer "checkout-alb"', "subnets has 1");
    });

    it("Noncompliance 4: reports a classic load balancer in one availability zone", async () => {
        const checkElb = checker(loadBalancerMultiAz, "aws:elb/loadBalancer:LoadBalancer", "legacy-elb");
        expectNone(await checkElb(classicLoadBalancer()));
        expectOne(await checkElb({ ...classicLoadBalancer(), availabilityZones: ["us-east-1a"] }), "load-balancer-multi-az", 'aws:elb/loadBalancer:LoadBalancer "legacy-elb"', "availabilityZones has 1");
    });

    it("Noncompliance 5: takes minZones from config", async () => {
        expectOne(await check({ ...loadBalancer(), subnets: ["a", "b"] }, { minZones: 3 }), "load-balancer-multi-az", subject, "fewer than 3");
    });

    it("Compliance: counts subnets (and mappings) whose IDs are unknown at preview", async () => {
        expectNone(await check({ ...loadBalancer(), subnets: [UNKNOWN, UNKNOWN] }));
        expectNone(await check({ ...unset(loadBalancer(), "subnets"), subnetMappings: [{ subnetId: UNKNOWN }, UNKNOWN] }));
    });

    it("Unknown: does not judge a subnet list unknown at preview", async () => {
        expectNone(await check({ ...loadBalancer(), subnets: UNKNOWN }));
    });
});
