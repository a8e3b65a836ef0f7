// Issue 12: a site's alias record judged by its own health check (of the serving track), with
// evaluateTargetHealth false, counts as health-checked for the graph rules about routed records;
// an alias with neither still does not.
import { failoverRecordPair, weightedRecordRedundancy } from "../../../../policies/rules/graph";
import { expectNone, expectOne } from "../support";
import { from, judge, Ref, TestStack } from "./stack";

function site(stack: TestStack, region: string): { lb: Ref; check: Ref } {
    const provider = stack.awsProvider(region, region);
    const lb = stack.add("aws:lb/loadBalancer:LoadBalancer", `web-${region}`, { loadBalancerType: "application" }, { provider });
    const check = stack.add("aws:route53/healthCheck:HealthCheck", `hc-${region}`, { type: "HTTPS", fqdn: from(lb), port: 443, resourcePath: "/healthz" });
    return { lb, check };
}

function aliasRecord(stack: TestStack, zone: Ref, id: string, routing: Record<string, unknown>, lb: Ref, check?: Ref): Ref {
    return stack.add("aws:route53/record:Record", `shop-${id}`, {
        zoneId: from(zone),
        name: "shop.example.com",
        type: "A",
        setIdentifier: id,
        ...routing,
        aliases: [{ name: from(lb), zoneId: from(lb), evaluateTargetHealth: false }],
        ...(check ? { healthCheckId: from(check) } : {}),
    });
}

describe("graph rules on alias records judged by their own health check", () => {
    it("Compliance: a weighted pair of aliases with evaluateTargetHealth false and their own checks is redundant", async () => {
        const stack = new TestStack();
        const zone = stack.add("aws:route53/zone:Zone", "example", { name: "example.com" });
        const [east, west] = [site(stack, "us-east-1"), site(stack, "us-west-2")];
        aliasRecord(stack, zone, "east", { weightedRoutingPolicies: [{ weight: 70 }] }, east.lb, east.check);
        aliasRecord(stack, zone, "west", { weightedRoutingPolicies: [{ weight: 30 }] }, west.lb, west.check);
        expectNone(await judge(weightedRecordRedundancy, stack));
    });

    it("Noncompliance: an alias with evaluateTargetHealth false and no check of its own is not health-checked", async () => {
        const stack = new TestStack();
        const zone = stack.add("aws:route53/zone:Zone", "example", { name: "example.com" });
        const [east, west] = [site(stack, "us-east-1"), site(stack, "us-west-2")];
        aliasRecord(stack, zone, "east", { weightedRoutingPolicies: [{ weight: 70 }] }, east.lb, east.check);
        aliasRecord(stack, zone, "west", { weightedRoutingPolicies: [{ weight: 30 }] }, west.lb);
        expectOne(await judge(weightedRecordRedundancy, stack), "weighted-record-redundancy", 'no health check: "shop-west"');
    });

    it("Compliance: a failover pair of such aliases is a pair", async () => {
        const stack = new TestStack();
        const zone = stack.add("aws:route53/zone:Zone", "example", { name: "example.com" });
        const [east, west] = [site(stack, "us-east-1"), site(stack, "us-west-2")];
        aliasRecord(stack, zone, "primary", { failoverRoutingPolicies: [{ type: "PRIMARY" }] }, east.lb, east.check);
        aliasRecord(stack, zone, "secondary", { failoverRoutingPolicies: [{ type: "SECONDARY" }] }, west.lb, west.check);
        expectNone(await judge(failoverRecordPair, stack));
    });
});
