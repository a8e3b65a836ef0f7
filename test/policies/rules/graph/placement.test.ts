import { expect } from "chai";
import { alarmCoverage, singleAzPlacement } from "../../../../policies/rules/graph";
import { UNKNOWN } from "../../../harness";
import { expectNone, expectOne } from "../support";
import { expectOn, from, judge, Ref, TestStack } from "./stack";

function subnets(stack: TestStack, zones: readonly unknown[]): Ref[] {
    return zones.map((zone, i) => stack.add("aws:ec2/subnet:Subnet", `s${i}`, { availabilityZone: zone }));
}

describe("single-az-placement", () => {
    it("Compliance: accepts subnets in two zones", async () => {
        const stack = new TestStack();
        const s = subnets(stack, ["us-east-1a", "us-east-1b"]);
        stack.add("aws:lb/loadBalancer:LoadBalancer", "lb", { subnets: s.map((x) => from(x)) });
        stack.add("aws:eks/nodeGroup:NodeGroup", "nodes", { subnetIds: s.map((x) => from(x)) });
        expectNone(await judge(singleAzPlacement, stack));
    });

    it("Noncompliance 1: reports a load balancer whose two subnets share one zone (the subnet count looks fine)", async () => {
        const stack = new TestStack();
        const s = subnets(stack, ["us-east-1a", "us-east-1a"]);
        stack.add("aws:lb/loadBalancer:LoadBalancer", "lb", { subnets: s.map((x) => from(x)) });
        expectOne(await judge(singleAzPlacement, stack), "single-az-placement", 'aws:lb/loadBalancer:LoadBalancer "lb"', 'its subnets name 2 subnets ("s0", "s1"), all in us-east-1a', "at least 2 availability zones");
    });

    it("Noncompliance 2: reports a node group and a Lambda function in one subnet, but leaves one-subnet load balancers to load-balancer-multi-az", async () => {
        const stack = new TestStack();
        const [s] = subnets(stack, ["us-east-1a"]);
        stack.add("aws:eks/nodeGroup:NodeGroup", "nodes", { subnetIds: [from(s)] });
        stack.add("aws:lambda/function:Function", "fn", { vpcConfig: { subnetIds: [from(s)], securityGroupIds: [] } });
        stack.add("aws:lb/loadBalancer:LoadBalancer", "lb", { subnets: [from(s)] });
        expectOn(await judge(singleAzPlacement, stack), "fn", "nodes");
    });

    it("Noncompliance 3: reports a node group given one subnet, wherever the subnet is and even when its id is unknown (one subnet is one zone)", async () => {
        const stack = new TestStack();
        stack.add("aws:eks/nodeGroup:NodeGroup", "b", { subnetIds: ["subnet-0abc"] });
        stack.add("aws:eks/nodeGroup:NodeGroup", "c", { subnetIds: [UNKNOWN] });
        stack.add("aws:eks/nodeGroup:NodeGroup", "d", { subnetIds: ["subnet-0abc", "subnet-0abc"] });
        const v = await judge(singleAzPlacement, stack);
        expectOn(v, "b", "c", "d");
        expect(v[0].message).to.include("its subnetIds lists 1 distinct subnet").and.to.include("fewer than 2");
    });

    it("Unknown: does not judge subnets outside the stack or with unknown zones", async () => {
        const stack = new TestStack();
        const s = subnets(stack, [UNKNOWN, UNKNOWN]);
        stack.add("aws:eks/nodeGroup:NodeGroup", "a", { subnetIds: s.map((x) => from(x)) });
        stack.add("aws:eks/nodeGroup:NodeGroup", "b", { subnetIds: ["subnet-0abc", "subnet-0def"] });
        stack.add("aws:eks/nodeGroup:NodeGroup", "c", { subnetIds: [UNKNOWN, UNKNOWN] });
        expectNone(await judge(singleAzPlacement, stack));
    });
});

describe("alarm-coverage", () => {
    it("Compliance: accepts alarms with actions on the load balancer and the health check", async () => {
        const stack = new TestStack();
        const lb = stack.add("aws:lb/loadBalancer:LoadBalancer", "lb", {});
        const hc = stack.add("aws:route53/healthCheck:HealthCheck", "hc", { type: "HTTPS" });
        const topic = stack.add("aws:sns/topic:Topic", "oncall", {});
        stack.add("aws:cloudwatch/metricAlarm:MetricAlarm", "lb-5xx", { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count", dimensions: { LoadBalancer: from(lb) }, alarmActions: [from(topic)] });
        stack.add("aws:cloudwatch/metricAlarm:MetricAlarm", "hc", { namespace: "AWS/Route53", metricName: "HealthCheckStatus", dimensions: { HealthCheckId: from(hc) }, alarmActions: [from(topic)] });
        expectNone(await judge(alarmCoverage, stack));
    });

    it("Noncompliance 1: reports a load balancer whose only alarm notifies nobody, and an unwatched health check", async () => {
        const stack = new TestStack();
        const lb = stack.add("aws:lb/loadBalancer:LoadBalancer", "lb", {});
        stack.add("aws:route53/healthCheck:HealthCheck", "hc", { type: "HTTPS" });
        stack.add("aws:cloudwatch/metricAlarm:MetricAlarm", "silent", { dimensions: { LoadBalancer: from(lb) }, alarmActions: [] });
        const v = await judge(alarmCoverage, stack);
        expectOn(v, "hc", "lb");
        expect(v.map((x) => x.message).join("\n")).to.include("dimensions: { LoadBalancer: <this load balancer>.arnSuffix }").and.to.include('metricName "HealthCheckStatus"');
    });

    it("Noncompliance 2: reports a health check alarm outside us-east-1, where there are no Route 53 metrics", async () => {
        const stack = new TestStack();
        const west = stack.awsProvider("west", "us-west-2");
        const hc = stack.add("aws:route53/healthCheck:HealthCheck", "hc", { type: "HTTPS" });
        stack.add("aws:cloudwatch/metricAlarm:MetricAlarm", "hc-west", { dimensions: { HealthCheckId: from(hc) }, alarmActions: ["arn:aws:sns:us-west-2:1:t"] }, { provider: west });
        expectOne(await judge(alarmCoverage, stack), "alarm-coverage", 'its alarms "hc-west" are in us-west-2');
    });

    it("Unknown: an alarm whose dimensions are unknown may watch anything", async () => {
        const stack = new TestStack();
        stack.add("aws:lb/loadBalancer:LoadBalancer", "lb", {});
        stack.add("aws:cloudwatch/metricAlarm:MetricAlarm", "a", { dimensions: UNKNOWN, alarmActions: UNKNOWN });
        expectNone(await judge(alarmCoverage, stack));
    });
});
