import { expect } from "chai";
import { dnsSingleCloud, dnsSingleRegion, failoverRecordPair, weightedRecordRedundancy } from "../../../../policies/rules/graph";
import { UNKNOWN } from "../../../harness";
import { expectNone, expectOne } from "../support";
import { expectOn, from, judge, Ref, TestStack } from "./stack";

const lbType = "aws:lb/loadBalancer:LoadBalancer";
const recordType = "aws:route53/record:Record";

/** A public zone, a load balancer in each given region, and nothing else. */
function sites(stack: TestStack, regions: readonly string[]): { zone: Ref; lbs: Ref[]; checks: Ref[] } {
    const zone = stack.add("aws:route53/zone:Zone", "example", { name: "example.com" });
    const lbs: Ref[] = [];
    const checks: Ref[] = [];
    for (const region of regions) {
        const provider = stack.awsProvider(region, region);
        const lb = stack.add(lbType, `web-${region}`, { loadBalancerType: "application" }, { provider });
        lbs.push(lb);
        checks.push(stack.add("aws:route53/healthCheck:HealthCheck", `hc-${region}`, { type: "HTTPS", fqdn: from(lb), port: 443, resourcePath: "/healthz" }));
    }
    return { zone, lbs, checks };
}

function alias(lb: Ref) {
    return [{ name: from(lb), zoneId: from(lb), evaluateTargetHealth: true }];
}

function failover(stack: TestStack, zone: Ref, name: string, role: "PRIMARY" | "SECONDARY", lb: Ref, check?: Ref): Ref {
    return stack.add(recordType, `${name}-${role.toLowerCase()}`, {
        zoneId: from(zone),
        name: `${name}.example.com`,
        type: "A",
        setIdentifier: role.toLowerCase(),
        failoverRoutingPolicies: [{ type: role }],
        aliases: alias(lb),
        ...(check ? { healthCheckId: from(check) } : {}),
    });
}

function weighted(stack: TestStack, zone: Ref, id: string, weight: unknown, lb: Ref, check?: Ref): Ref {
    return stack.add(recordType, `api-${id}`, {
        zoneId: from(zone),
        name: "api.example.com",
        type: "CNAME",
        ttl: 60,
        setIdentifier: id,
        weightedRoutingPolicies: [{ weight }],
        records: [from(lb)],
        ...(check ? { healthCheckId: from(check) } : {}),
    });
}

describe("dns-single-region", () => {
    it("Compliance: accepts a failover pair whose records point at load balancers in two regions", async () => {
        const stack = new TestStack();
        const { zone, lbs, checks } = sites(stack, ["us-east-1", "us-west-2"]);
        failover(stack, zone, "www", "PRIMARY", lbs[0], checks[0]);
        failover(stack, zone, "www", "SECONDARY", lbs[1], checks[1]);
        expectNone(await judge(dnsSingleRegion, stack));
    });

    it("Noncompliance 1: reports a name whose every record points into one region, naming records, targets and the fix", async () => {
        const stack = new TestStack();
        const { zone, lbs, checks } = sites(stack, ["us-east-1"]);
        const other = stack.add(lbType, "web-2", {}, { provider: { type: "pulumi:providers:aws", name: "us-east-1", urn: "urn:pulumi:test::nonstop::pulumi:providers:aws::us-east-1" } });
        failover(stack, zone, "www", "PRIMARY", lbs[0], checks[0]);
        failover(stack, zone, "www", "SECONDARY", other);
        expectOne(
            await judge(dnsSingleRegion, stack),
            "dns-single-region",
            'aws:route53/record:Record "www-primary"',
            'the DNS name "www.example.com" answers only with endpoints in aws us-east-1',
            'records "www-primary" and "www-secondary" point at aws:lb/loadBalancer:LoadBalancer "web-us-east-1" and "web-2"',
            "Add a record for \"www.example.com\" that points at a deployment in another region",
        );
    });

    it("Noncompliance 2: reports a plain one-site record (the one-site DNS mistake)", async () => {
        const stack = new TestStack();
        const { zone, lbs } = sites(stack, ["eu-west-1"]);
        stack.add(recordType, "shop", { zoneId: from(zone), name: "shop", type: "A", aliases: alias(lbs[0]) });
        // A relative record name is completed with its zone's name.
        expectOne(await judge(dnsSingleRegion, stack), "dns-single-region", '"shop.example.com"', "aws eu-west-1");
    });

    it("Names the DNS name, not the zone id, when the zone is looked up outside the stack", async () => {
        const stack = new TestStack();
        const lb = stack.add(lbType, "lb", {});
        stack.add(recordType, "www", { zoneId: "Z123EXAMPLE", name: "www.example.com", type: "A", aliases: alias(lb) });
        const [v] = await judge(dnsSingleRegion, stack);
        expect(v.message).to.include('the DNS name "www.example.com" answers only').and.not.include("Z123EXAMPLE");
    });

    it("Noncompliance 3: two resources with the stack's default provider are in one region", async () => {
        const stack = new TestStack();
        const zone = stack.add("aws:route53/zone:Zone", "example", { name: "example.com" });
        const a = stack.add(lbType, "a", {});
        const b = stack.add("aws:ec2/eip:Eip", "b", {});
        stack.add(recordType, "w1", { zoneId: from(zone), name: "w.example.com", type: "A", weightedRoutingPolicies: [{ weight: 1 }], setIdentifier: "1", aliases: alias(a) });
        stack.add(recordType, "w2", { zoneId: from(zone), name: "w.example.com", type: "A", weightedRoutingPolicies: [{ weight: 1 }], setIdentifier: "2", records: [from(b)] });
        expectOne(await judge(dnsSingleRegion, stack), "dns-single-region", "the stack's default region");
    });

    it("Unknown: does not judge a name when a record's destination, region or name is not known", async () => {
        // A literal IP: where it lives is not in the stack.
        const literal = new TestStack();
        const s1 = sites(literal, ["us-east-1"]);
        failover(literal, s1.zone, "www", "PRIMARY", s1.lbs[0]);
        literal.add(recordType, "www-secondary", { zoneId: from(s1.zone), name: "www.example.com", type: "A", failoverRoutingPolicies: [{ type: "SECONDARY" }], records: ["203.0.113.10"] });
        expectNone(await judge(dnsSingleRegion, literal));

        // The provider's region is unknown.
        const unknownRegion = new TestStack();
        const zone = unknownRegion.add("aws:route53/zone:Zone", "example", { name: "example.com" });
        const p = unknownRegion.add("pulumi:providers:aws", "p", { region: UNKNOWN });
        const lb = unknownRegion.add(lbType, "lb", {}, { provider: p });
        unknownRegion.add(recordType, "r", { zoneId: from(zone), name: "x.example.com", type: "A", aliases: alias(lb) });
        expectNone(await judge(dnsSingleRegion, unknownRegion));

        // Another record's name is unknown: it may be the other region's answer for this name.
        const unknownName = new TestStack();
        const s2 = sites(unknownName, ["us-east-1", "us-west-2"]);
        failover(unknownName, s2.zone, "www", "PRIMARY", s2.lbs[0]);
        unknownName.add(recordType, "mystery", { zoneId: from(s2.zone), name: UNKNOWN, type: "A", aliases: alias(s2.lbs[1]) });
        expectNone(await judge(dnsSingleRegion, unknownName));
    });

    it("Is not stopped by certificate-validation records (unknown names at preview) or unknown names in other zones", async () => {
        const stack = new TestStack();
        const { zone, lbs } = sites(stack, ["us-east-1"]);
        stack.add(recordType, "shop", { zoneId: from(zone), name: "shop.example.com", type: "A", aliases: alias(lbs[0]) });
        const cert = stack.add("aws:acm/certificate:Certificate", "cert", { domainName: "shop.example.com", validationMethod: "DNS" });
        stack.add(recordType, "cert-validation", { zoneId: from(zone), name: from(cert), type: from(cert), records: [from(cert)], ttl: 300 });
        const other = stack.add("aws:route53/zone:Zone", "other", { name: "other.org" });
        stack.add(recordType, "elsewhere", { zoneId: from(other), name: UNKNOWN, type: "A", records: ["203.0.113.9"] });
        expectOne(await judge(dnsSingleRegion, stack), "dns-single-region", '"shop.example.com"');
    });

    it("Ignores private hosted zones (internal names live in one VPC's region by design)", async () => {
        const stack = new TestStack();
        const vpc = stack.add("aws:ec2/vpc:Vpc", "vpc", {});
        const zone = stack.add("aws:route53/zone:Zone", "internal", { name: "internal.example", vpcs: [{ vpcId: from(vpc) }] });
        const lb = stack.add(lbType, "lb", {});
        stack.add(recordType, "r", { zoneId: from(zone), name: "db.internal.example", type: "A", aliases: alias(lb) });
        expectNone(await judge(dnsSingleRegion, stack));
    });

    it("Places Kubernetes targets in the region of the EKS cluster their provider's kubeconfig came from", async () => {
        const stack = new TestStack();
        const zone = stack.add("aws:route53/zone:Zone", "example", { name: "example.com" });
        const east = stack.awsProvider("east", "us-east-1");
        const eks = stack.add("aws:eks/cluster:Cluster", "eks", {}, { provider: east });
        const k8s = stack.add("pulumi:providers:kubernetes", "eks", { kubeconfig: from(eks) });
        const ingress = stack.add("kubernetes:networking.k8s.io/v1:Ingress", "web", { metadata: { namespace: "web" } }, { provider: k8s });
        const lb = stack.add(lbType, "lb", {}, { provider: east });
        stack.add(recordType, "a", { zoneId: from(zone), name: "app.example.com", type: "CNAME", weightedRoutingPolicies: [{ weight: 1 }], setIdentifier: "a", records: [from(ingress)] });
        stack.add(recordType, "b", { zoneId: from(zone), name: "app.example.com", type: "CNAME", weightedRoutingPolicies: [{ weight: 1 }], setIdentifier: "b", records: [from(lb)] });
        expectOne(await judge(dnsSingleRegion, stack), "dns-single-region", "aws us-east-1");
    });
});

describe("dns-single-cloud", () => {
    function twoRegionsOneCloud(): TestStack {
        const stack = new TestStack();
        const { zone, lbs, checks } = sites(stack, ["us-east-1", "us-west-2"]);
        failover(stack, zone, "www", "PRIMARY", lbs[0], checks[0]);
        failover(stack, zone, "www", "SECONDARY", lbs[1], checks[1]);
        return stack;
    }

    it("Compliance: says nothing unless requireMultiCloud is set", async () => {
        expectNone(await judge(dnsSingleCloud, twoRegionsOneCloud()));
    });

    it("Noncompliance 1: with requireMultiCloud, reports a name answered only by AWS", async () => {
        expectOne(await judge(dnsSingleCloud, twoRegionsOneCloud(), { requireMultiCloud: true }), "dns-single-cloud", '"www.example.com" answers only with endpoints in aws', "another cloud");
    });

    it("Compliance: with requireMultiCloud, accepts a SECONDARY on a GCP global address", async () => {
        const stack = new TestStack();
        const { zone, lbs, checks } = sites(stack, ["us-east-1"]);
        const address = stack.add("gcp:compute/globalAddress:GlobalAddress", "web", {});
        failover(stack, zone, "www", "PRIMARY", lbs[0], checks[0]);
        stack.add(recordType, "www-secondary", { zoneId: from(zone), name: "www.example.com", type: "A", ttl: 60, setIdentifier: "s", failoverRoutingPolicies: [{ type: "SECONDARY" }], records: [from(address)], healthCheckId: UNKNOWN });
        expectNone(await judge(dnsSingleCloud, stack, { requireMultiCloud: true }));
        // ... and the global address cannot be proven single-region either.
        expectNone(await judge(dnsSingleRegion, stack));
    });

    it("Noncompliance 2: with requireMultiCloud, reports a Cloud DNS name answered by one GCP address", async () => {
        const stack = new TestStack();
        const zone = stack.add("gcp:dns/managedZone:ManagedZone", "zone", { dnsName: "example.org." });
        const address = stack.add("gcp:compute/address:Address", "web", { region: "europe-west1" });
        stack.add("gcp:dns/recordSet:RecordSet", "www", { managedZone: from(zone), name: "www.example.org.", type: "A", rrdatas: [from(address)] });
        expectOne(await judge(dnsSingleCloud, stack, { requireMultiCloud: true }), "dns-single-cloud", 'gcp:dns/recordSet:RecordSet "www"', "gcp");
        expectOne(await judge(dnsSingleRegion, stack), "dns-single-region", "gcp europe-west1");
    });
});

describe("failover-record-pair", () => {
    it("Compliance: accepts a PRIMARY and a SECONDARY on different endpoints", async () => {
        const stack = new TestStack();
        const { zone, lbs, checks } = sites(stack, ["us-east-1", "us-west-2"]);
        failover(stack, zone, "www", "PRIMARY", lbs[0], checks[0]);
        failover(stack, zone, "www", "SECONDARY", lbs[1], checks[1]);
        expectNone(await judge(failoverRecordPair, stack));
    });

    it("Noncompliance 1: reports a PRIMARY without a SECONDARY", async () => {
        const stack = new TestStack();
        const { zone, lbs, checks } = sites(stack, ["us-east-1"]);
        failover(stack, zone, "www", "PRIMARY", lbs[0], checks[0]);
        expectOne(await judge(failoverRecordPair, stack), "failover-record-pair", 'aws:route53/record:Record "www-primary"', "are PRIMARY only, with no SECONDARY", 'failoverRoutingPolicies: [{ type: "SECONDARY" }]');
    });

    it("Noncompliance 2: reports a SECONDARY without a PRIMARY", async () => {
        const stack = new TestStack();
        const { zone, lbs } = sites(stack, ["us-west-2"]);
        failover(stack, zone, "www", "SECONDARY", lbs[0]);
        expectOne(await judge(failoverRecordPair, stack), "failover-record-pair", "with no PRIMARY");
    });

    it("Noncompliance 3: reports a SECONDARY that answers with the PRIMARY's own endpoint", async () => {
        const stack = new TestStack();
        const { zone, lbs, checks } = sites(stack, ["us-east-1"]);
        failover(stack, zone, "www", "PRIMARY", lbs[0], checks[0]);
        failover(stack, zone, "www", "SECONDARY", lbs[0], checks[0]);
        const [v] = await judge(failoverRecordPair, stack);
        expect(v.message).to.include("answers with the same endpoint as the PRIMARY");
        expectOn(await judge(failoverRecordPair, stack), "www-secondary");
    });

    it("Noncompliance 4: reports Cloud DNS primary/backup routing without backupGeos", async () => {
        const stack = new TestStack();
        stack.add("gcp:dns/recordSet:RecordSet", "www", { managedZone: "zone", name: "www.example.org.", type: "A", routingPolicy: { primaryBackup: { primary: { internalLoadBalancers: [] }, backupGeos: [] } } });
        expectOne(await judge(failoverRecordPair, stack), "failover-record-pair", "routingPolicy.primaryBackup has no backupGeos");
    });

    it("Unknown: does not report a missing half while a record's name or routing is unknown", async () => {
        const stack = new TestStack();
        const { zone, lbs } = sites(stack, ["us-east-1", "us-west-2"]);
        failover(stack, zone, "www", "PRIMARY", lbs[0]);
        stack.add(recordType, "other", { zoneId: from(zone), name: "www.example.com", type: "A", failoverRoutingPolicies: UNKNOWN, aliases: alias(lbs[1]) });
        expectNone(await judge(failoverRecordPair, stack));
        const roleUnknown = new TestStack();
        const s = sites(roleUnknown, ["us-east-1"]);
        roleUnknown.add(recordType, "r", { zoneId: from(s.zone), name: "www.example.com", type: "A", failoverRoutingPolicies: [{ type: UNKNOWN }], aliases: alias(s.lbs[0]) });
        expectNone(await judge(failoverRecordPair, roleUnknown));
    });
});

describe("weighted-record-redundancy", () => {
    it("Compliance: accepts two weighted, health-checked records on different sites", async () => {
        const stack = new TestStack();
        const { zone, lbs, checks } = sites(stack, ["us-east-1", "us-west-2"]);
        weighted(stack, zone, "east", 50, lbs[0], checks[0]);
        weighted(stack, zone, "west", 50, lbs[1], checks[1]);
        expectNone(await judge(weightedRecordRedundancy, stack));
    });

    it("Noncompliance 1: reports a set where one target has weight 0 and lists why", async () => {
        const stack = new TestStack();
        const { zone, lbs, checks } = sites(stack, ["us-east-1", "us-west-2"]);
        weighted(stack, zone, "east", 100, lbs[0], checks[0]);
        weighted(stack, zone, "west", 0, lbs[1], checks[1]);
        expectOne(await judge(weightedRecordRedundancy, stack), "weighted-record-redundancy", '"api-east"', "has 1 distinct health-checked target with weight above 0, fewer than 2", 'weight 0: "api-west"');
    });

    it("Noncompliance 2: reports a set where one record has no health check", async () => {
        const stack = new TestStack();
        const { zone, lbs, checks } = sites(stack, ["us-east-1", "us-west-2"]);
        weighted(stack, zone, "east", 50, lbs[0], checks[0]);
        weighted(stack, zone, "west", 50, lbs[1]);
        expectOne(await judge(weightedRecordRedundancy, stack), "weighted-record-redundancy", 'no health check: "api-west"');
    });

    it("Noncompliance 3: two records on the same load balancer are one target", async () => {
        const stack = new TestStack();
        const { zone, lbs, checks } = sites(stack, ["us-east-1"]);
        weighted(stack, zone, "a", 50, lbs[0], checks[0]);
        weighted(stack, zone, "b", 50, lbs[0], checks[0]);
        expectOne(await judge(weightedRecordRedundancy, stack), "weighted-record-redundancy", "several records point at the same target");
    });

    it("Noncompliance 4: respects minHealthCheckedTargets", async () => {
        const stack = new TestStack();
        const { zone, lbs, checks } = sites(stack, ["us-east-1", "us-west-2"]);
        weighted(stack, zone, "east", 50, lbs[0], checks[0]);
        weighted(stack, zone, "west", 50, lbs[1], checks[1]);
        expectOne(await judge(weightedRecordRedundancy, stack, { minHealthCheckedTargets: 3 }), "weighted-record-redundancy", "fewer than 3");
    });

    it("Noncompliance 5: reports a Cloud DNS weighted round robin with one usable entry", async () => {
        const stack = new TestStack();
        stack.add("gcp:dns/recordSet:RecordSet", "api", {
            managedZone: "zone",
            name: "api.example.org.",
            type: "A",
            routingPolicy: { wrrs: [{ weight: 1, rrdatas: ["203.0.113.1"], healthCheckedTargets: { internalLoadBalancers: [] } }, { weight: 0, rrdatas: ["203.0.113.2"] }] },
        });
        expectOne(await judge(weightedRecordRedundancy, stack), "weighted-record-redundancy", "routingPolicy.wrrs has 1 health-checked entry");
    });

    it("Unknown: an unknown weight or health check may carry traffic, and is never a violation by itself", async () => {
        const stack = new TestStack();
        const { zone, lbs } = sites(stack, ["us-east-1", "us-west-2"]);
        weighted(stack, zone, "east", UNKNOWN, lbs[0]);
        stack.add(recordType, "api-west", { zoneId: from(zone), name: "api.example.com", type: "CNAME", setIdentifier: "west", weightedRoutingPolicies: [{ weight: 1 }], records: [from(lbs[1])], healthCheckId: UNKNOWN });
        const v = await judge(weightedRecordRedundancy, stack);
        // east has no health check at all (absent, not unknown): only one usable target is provable.
        expectOne(v, "weighted-record-redundancy", 'no health check: "api-east"');
        const allUnknown = new TestStack();
        const s = sites(allUnknown, ["us-east-1", "us-west-2"]);
        weighted(allUnknown, s.zone, "east", UNKNOWN, s.lbs[0], s.checks[0]);
        weighted(allUnknown, s.zone, "west", UNKNOWN, s.lbs[1], s.checks[1]);
        expectNone(await judge(weightedRecordRedundancy, allUnknown));
    });
});
