import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { RoutedEndpoint } from "../../../components/dns/endpoints";
import {
    chainLevelName,
    planRoute53Records,
    Route53Failover,
    Route53FailoverArgs,
    route53RecordType,
    validateRoute53FailoverArgs,
} from "../../../components/dns/route53Failover";
import { MockRun, RecordedResource, runUnderMocks } from "../../harness";

const T = {
    record: "aws:route53/record:Record",
    check: "aws:route53/healthCheck:HealthCheck",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    zone: "aws:route53/zone:Zone",
    provider: "pulumi:providers:aws",
};

/** Endpoints are built inside the program: outputs belong to the mocked runtime. */
function awsEndpoint(region: string, extra: Partial<RoutedEndpoint> = {}): RoutedEndpoint {
    const dnsName = pulumi.output(`checkout-${region}-alb.${region}.elb.amazonaws.com`);
    return {
        key: `aws-${region}`,
        cloud: "aws",
        location: region,
        target: { kind: "alias", dnsName, zoneId: pulumi.output(`Z-${region}`) },
        healthCheckHost: dnsName,
        healthCheckPath: "/healthz",
        healthCheckPort: 80,
        healthCheckProtocol: "HTTP",
        ...extra,
    };
}

function ipEndpoint(key: string, address: string, extra: Partial<RoutedEndpoint> = {}): RoutedEndpoint {
    const [cloud, ...rest] = key.split("-");
    return {
        key,
        cloud: cloud as RoutedEndpoint["cloud"],
        location: rest.join("-"),
        target: { kind: "ip", address: pulumi.output(address) },
        healthCheckHost: pulumi.output(address),
        healthCheckPath: "/healthz",
        healthCheckPort: 443,
        ...extra,
    };
}

function hostnameEndpoint(key: string, hostname: string, extra: Partial<RoutedEndpoint> = {}): RoutedEndpoint {
    return {
        key,
        cloud: "kubernetes",
        location: key.replace(/^kubernetes-/, ""),
        target: { kind: "hostname", hostname: pulumi.output(hostname) },
        healthCheckHost: pulumi.output(hostname),
        healthCheckPath: "/healthz",
        healthCheckPort: 80,
        ...extra,
    };
}

function failoverArgs(endpoints: () => RoutedEndpoint[], overrides: Partial<Route53FailoverArgs> = {}): () => Route53FailoverArgs {
    return () => ({
        zoneName: "example.com",
        recordName: "checkout",
        endpoints: endpoints(),
        mode: "failover",
        ttlSeconds: 30,
        healthCheck: { intervalSeconds: 10, failureThreshold: 3, path: "/healthz" },
        ...overrides,
    });
}

async function run(args: () => Route53FailoverArgs, name = "checkout-dns"): Promise<MockRun> {
    return runUnderMocks(() => {
        new Route53Failover(name, args());
    });
}

function recordOf(r: MockRun, key: string): RecordedResource {
    return r.one(T.record, `checkout-dns-${key}`);
}

function checkOf(r: MockRun, key: string): RecordedResource {
    return r.ofType(T.check).filter((c) => c.name === `checkout-dns-${key}`)[0];
}

const activePassive = failoverArgs(() => [
    awsEndpoint("us-east-1", { role: "primary" }),
    ipEndpoint("gcp-us-central1", "203.0.113.10", { role: "secondary" }),
]);

describe("Route53Failover", () => {
    describe("failover mode", () => {
        let r: MockRun;
        before(async () => {
            r = await run(activePassive);
        });

        it("gives every record the health check built from its own site", () => {
            for (const key of ["aws-us-east-1", "gcp-us-central1"]) {
                const check = checkOf(r, key);
                expect(recordOf(r, key).inputs.healthCheckId).to.equal(`${check.name}-id`);
            }
            expect(checkOf(r, "aws-us-east-1").inputs.fqdn).to.equal("checkout-us-east-1-alb.us-east-1.elb.amazonaws.com");
            expect(checkOf(r, "gcp-us-central1").inputs.ipAddress).to.equal("203.0.113.10");
            expect(checkOf(r, "gcp-us-central1").inputs.fqdn).to.equal(undefined);
        });

        it("makes the primary PRIMARY and the secondary SECONDARY, with the site key as set identifier", () => {
            const primary = recordOf(r, "aws-us-east-1").inputs;
            const secondary = recordOf(r, "gcp-us-central1").inputs;
            expect(primary.failoverRoutingPolicies).to.deep.equal([{ type: "PRIMARY" }]);
            expect(primary.setIdentifier).to.equal("aws-us-east-1");
            expect(secondary.failoverRoutingPolicies).to.deep.equal([{ type: "SECONDARY" }]);
            expect(secondary.setIdentifier).to.equal("gcp-us-central1");
            expect(primary.name).to.equal("checkout.example.com");
            expect(secondary.name).to.equal("checkout.example.com");
            expect(primary.zoneId).to.equal("Z0NONSTOPPREVIEW");
        });

        it("points an alias record at the load balancer, judged by its own health check rather than every target group, without a TTL", () => {
            const primary = recordOf(r, "aws-us-east-1").inputs;
            expect(primary.type).to.equal("A");
            expect(primary.aliases).to.deep.equal([{ name: "checkout-us-east-1-alb.us-east-1.elb.amazonaws.com", zoneId: "Z-us-east-1", evaluateTargetHealth: false }]);
            expect(primary.healthCheckId).to.equal(`${r.one(T.check, "checkout-dns-aws-us-east-1").name}-id`);
            expect(primary.ttl).to.equal(undefined);
            expect(primary.records).to.equal(undefined);
        });

        it("gives an IP record its address and the configured TTL", () => {
            const secondary = recordOf(r, "gcp-us-central1").inputs;
            expect(secondary.type).to.equal("A");
            expect(secondary.records).to.deep.equal(["203.0.113.10"]);
            expect(secondary.ttl).to.equal(30);
        });

        it("probes each site with its protocol, port, path, interval and threshold from three or more regions", () => {
            const aws = checkOf(r, "aws-us-east-1").inputs;
            const gcp = checkOf(r, "gcp-us-central1").inputs;
            expect([aws.type, aws.port]).to.deep.equal(["HTTP", 80]);
            expect([gcp.type, gcp.port]).to.deep.equal(["HTTPS", 443]);
            for (const c of [aws, gcp]) {
                expect(c.resourcePath).to.equal("/healthz");
                expect(c.requestInterval).to.equal(10);
                expect(c.failureThreshold).to.equal(3);
                expect(c.regions).to.deep.equal(["us-east-1", "eu-west-1", "ap-southeast-1"]);
                expect(c.measureLatency).to.equal(true);
                expect(c.invertHealthcheck).to.equal(false);
            }
        });

        it("raises a CloudWatch alarm in us-east-1 on each check's HealthCheckStatus", () => {
            const provider = r.one(T.provider, "us-east-1");
            expect(provider.inputs.region).to.equal("us-east-1");
            const topic = r.one(T.topic);
            expect(topic.provider?.startsWith(provider.urn)).to.equal(true);
            for (const key of ["aws-us-east-1", "gcp-us-central1"]) {
                const alarm = r.one(T.alarm, `checkout-dns-${key}-down`);
                expect(alarm.inputs.namespace).to.equal("AWS/Route53");
                expect(alarm.inputs.metricName).to.equal("HealthCheckStatus");
                expect(alarm.inputs.dimensions).to.deep.equal({ HealthCheckId: `checkout-dns-${key}-id` });
                expect(alarm.inputs.comparisonOperator).to.equal("LessThanThreshold");
                expect(alarm.inputs.threshold).to.equal(1);
                expect(alarm.inputs.alarmActions).to.deep.equal([`arn:aws:sns:us-east-1:123456789012:${topic.name}`]);
                expect(alarm.provider?.startsWith(provider.urn)).to.equal(true);
            }
        });

        it("looks the hosted zone up instead of creating it", () => {
            expect(r.ofType(T.zone)).to.have.length(0);
        });
    });

    it("inverts only the drilled site's health check", async () => {
        const r = await run(() => ({ ...activePassive(), drillSiteKey: "aws-us-east-1" }));
        expect(checkOf(r, "aws-us-east-1").inputs.invertHealthcheck).to.equal(true);
        expect(checkOf(r, "gcp-us-central1").inputs.invertHealthcheck).to.equal(false);
        // The drilled site's record still carries its own (inverted) check.
        expect(recordOf(r, "aws-us-east-1").inputs.healthCheckId).to.equal("checkout-dns-aws-us-east-1-id");
    });

    it("chains further secondaries in the order listed, each leaf with its own check", async () => {
        const r = await run(
            failoverArgs(() => [
                awsEndpoint("us-east-1", { role: "primary" }),
                awsEndpoint("us-west-2", { role: "secondary" }),
                ipEndpoint("gcp-us-central1", "203.0.113.10", { role: "secondary" }),
                ipEndpoint("kubernetes-eu", "198.51.100.7", { role: "secondary" }),
            ]),
        );
        const fqdn = "checkout.example.com";
        const byName = (n: string) => r.ofType(T.record).filter((x) => x.inputs.name === n);
        const placement = (x: RecordedResource) => [x.inputs.setIdentifier, (x.inputs.failoverRoutingPolicies as { type: string }[])[0].type];
        expect(byName(fqdn).map(placement)).to.deep.equal([
            ["aws-us-east-1", "PRIMARY"],
            ["next-1", "SECONDARY"],
        ]);
        expect(byName(chainLevelName(fqdn, 1)).map(placement)).to.deep.equal([
            ["aws-us-west-2", "PRIMARY"],
            ["next-2", "SECONDARY"],
        ]);
        expect(byName(chainLevelName(fqdn, 2)).map(placement)).to.deep.equal([
            ["gcp-us-central1", "PRIMARY"],
            ["kubernetes-eu", "SECONDARY"],
        ]);
        const link = r.one(T.record, "next-1");
        expect(link.inputs.aliases).to.deep.equal([{ name: chainLevelName(fqdn, 1), zoneId: "Z0NONSTOPPREVIEW", evaluateTargetHealth: true }]);
        expect(link.inputs.healthCheckId).to.equal(undefined);
        for (const key of ["aws-us-west-2", "gcp-us-central1", "kubernetes-eu"]) expect(recordOf(r, key).inputs.healthCheckId).to.equal(`checkout-dns-${key}-id`);
    });

    describe("weighted mode", () => {
        let r: MockRun;
        before(async () => {
            r = await run(() => ({
                ...activePassive(),
                mode: "weighted",
                ttlSeconds: 45,
                endpoints: [awsEndpoint("us-east-1", { weight: 70 }), ipEndpoint("kubernetes-eu", "198.51.100.7", { weight: 30 })],
            }));
        });

        it("gives each site's record its weight and its own health check", () => {
            const east = recordOf(r, "aws-us-east-1").inputs;
            const eu = recordOf(r, "kubernetes-eu").inputs;
            expect(east.weightedRoutingPolicies).to.deep.equal([{ weight: 70 }]);
            expect(eu.weightedRoutingPolicies).to.deep.equal([{ weight: 30 }]);
            expect(east.failoverRoutingPolicies).to.equal(undefined);
            expect(east.healthCheckId).to.equal("checkout-dns-aws-us-east-1-id");
            expect(eu.healthCheckId).to.equal("checkout-dns-kubernetes-eu-id");
        });

        it("uses the configured TTL for address records", () => {
            expect(recordOf(r, "kubernetes-eu").inputs.ttl).to.equal(45);
        });
    });

    it("uses CNAME records when every site is reached by hostname", async () => {
        const r = await run(() => ({
            ...activePassive(),
            mode: "weighted",
            endpoints: [hostnameEndpoint("kubernetes-a", "a.ingress.example.net", { weight: 1 }), hostnameEndpoint("kubernetes-b", "b.ingress.example.net", { weight: 1 })],
        }));
        const rec = recordOf(r, "kubernetes-a").inputs;
        expect(rec.type).to.equal("CNAME");
        expect(rec.records).to.deep.equal(["a.ingress.example.net"]);
        expect(checkOf(r, "kubernetes-a").inputs.fqdn).to.equal("a.ingress.example.net");
    });

    it("judges a site of several probes with a CALCULATED check, and inverts that one for a drill", async () => {
        const r = await run(() => ({
            ...activePassive(),
            drillSiteKey: "aws-us-east-1",
            endpoints: [
                awsEndpoint("us-east-1", { role: "primary", extraProbes: [{ host: pulumi.output("api.us-east-1.example.com"), path: "/ready", port: 443 }] }),
                ipEndpoint("gcp-us-central1", "203.0.113.10", { role: "secondary" }),
            ],
        }));
        const parent = checkOf(r, "aws-us-east-1").inputs;
        expect(parent.type).to.equal("CALCULATED");
        expect(parent.childHealthchecks).to.deep.equal(["checkout-dns-aws-us-east-1-probe-0-id", "checkout-dns-aws-us-east-1-probe-1-id"]);
        expect(parent.childHealthThreshold).to.equal(2);
        expect(parent.invertHealthcheck).to.equal(true);
        const probe1 = r.ofType(T.check).find((c) => c.name === "checkout-dns-aws-us-east-1-probe-1")!;
        expect([probe1.inputs.fqdn, probe1.inputs.resourcePath, probe1.inputs.invertHealthcheck]).to.deep.equal(["api.us-east-1.example.com", "/ready", false]);
        expect(recordOf(r, "aws-us-east-1").inputs.healthCheckId).to.equal("checkout-dns-aws-us-east-1-id");
    });

    it("creates the hosted zone when asked, and records the sites need in it", async () => {
        const r = await run(() => ({
            ...activePassive(),
            createZone: true,
            supportRecords: [pulumi.output({ name: "_acme-challenge.checkout.example.com.", type: "CNAME", data: "abc.authorize.certificatemanager.goog." })],
        }));
        const zone = r.one(T.zone);
        expect(zone.inputs.name).to.equal("example.com");
        expect(recordOf(r, "aws-us-east-1").inputs.zoneId).to.equal(`${zone.name}-id`);
        const support = r.one(T.record, "support-0").inputs;
        expect([support.type, support.records, support.ttl]).to.deep.equal(["CNAME", ["abc.authorize.certificatemanager.goog."], 300]);
    });

    it("subscribes alert emails and webhooks to the topic it creates", async () => {
        const r = await run(() => ({ ...activePassive(), alertEmails: ["oncall@example.com"], alertWebhooks: ["https://hooks.example.com/x"] }));
        expect(r.ofType(T.subscription).map((s) => [s.inputs.protocol, s.inputs.endpoint])).to.deep.equal([
            ["email", "oncall@example.com"],
            ["https", "https://hooks.example.com/x"],
        ]);
    });

    it("refuses invalid args before creating anything", async () => {
        let error: unknown;
        let created: MockRun | undefined;
        try {
            created = await run(() => ({ ...activePassive(), healthCheck: { intervalSeconds: 20, failureThreshold: 3 } }));
        } catch (e) {
            error = e;
        }
        expect(created).to.equal(undefined);
        expect(String(error)).to.match(/healthCheck\.intervalSeconds: 20 is not an interval Route 53 offers; expected 10 or 30/);
    });
});

describe("planRoute53Records", () => {
    const e = (key: string, role?: "primary" | "secondary", weight?: number) => ({ key, role, weight }) as unknown as RoutedEndpoint;

    it("puts one secondary directly beside the primary", () => {
        const plan = planRoute53Records([e("a", "primary"), e("b", "secondary")], "failover", "x.example.com");
        expect(plan.placements).to.deep.equal([
            { name: "x.example.com", setIdentifier: "a", failover: "PRIMARY" },
            { name: "x.example.com", setIdentifier: "b", failover: "SECONDARY" },
        ]);
        expect(plan.chain).to.deep.equal([]);
    });

    it("places the primary first wherever it is listed", () => {
        const plan = planRoute53Records([e("b", "secondary"), e("a", "primary")], "failover", "x.example.com");
        expect(plan.placements.map((p) => p.failover)).to.deep.equal(["SECONDARY", "PRIMARY"]);
    });

    it("weights every endpoint at the one name", () => {
        const plan = planRoute53Records([e("a", undefined, 3), e("b", undefined, 0)], "weighted", "x.example.com");
        expect(plan.placements).to.deep.equal([
            { name: "x.example.com", setIdentifier: "a", weight: 3 },
            { name: "x.example.com", setIdentifier: "b", weight: 0 },
        ]);
    });
});

describe("validateRoute53FailoverArgs", () => {
    const valid = (): Route53FailoverArgs => ({
        zoneName: "example.com",
        recordName: "checkout",
        mode: "failover",
        ttlSeconds: 30,
        healthCheck: { intervalSeconds: 30, failureThreshold: 3 },
        endpoints: [
            { key: "aws-us-east-1", cloud: "aws", location: "us-east-1", role: "primary", target: { kind: "alias" } } as unknown as RoutedEndpoint,
            { key: "gcp-us-central1", cloud: "gcp", location: "us-central1", role: "secondary", target: { kind: "ip" } } as unknown as RoutedEndpoint,
        ].map((x) => ({ ...x, healthCheckPath: "/healthz", healthCheckPort: 443 }) as RoutedEndpoint),
    });

    it("accepts a primary and a secondary", () => {
        expect(validateRoute53FailoverArgs(valid())).to.deep.equal([]);
    });

    it("refuses two primaries", () => {
        const a = valid();
        const issues = validateRoute53FailoverArgs({ ...a, endpoints: a.endpoints.map((x) => ({ ...x, role: "primary" as const })) });
        expect(issues.join("\n")).to.match(/exactly one endpoint with role "primary", found 2/);
    });

    it("refuses a drill of a site that is not an endpoint", () => {
        expect(validateRoute53FailoverArgs({ ...valid(), drillSiteKey: "aws-eu-west-1" }).join("\n")).to.match(/drillSiteKey: "aws-eu-west-1" is not one of the endpoints/);
    });

    it("refuses fewer than three checker regions and regions Route 53 does not check from", () => {
        const issues = validateRoute53FailoverArgs({ ...valid(), regions: ["us-east-1", "eu-central-1"] }).join("\n");
        expect(issues).to.match(/fewer than 3 distinct regions/);
        expect(issues).to.match(/regions\[1\]: "eu-central-1" is not a Route 53 checker region/);
    });

    it("refuses to mix hostname (CNAME) and address (A) sites at one name", () => {
        const a = valid();
        const endpoints = [a.endpoints[0], { ...a.endpoints[1], target: { kind: "hostname" } } as unknown as RoutedEndpoint];
        expect(validateRoute53FailoverArgs({ ...a, endpoints }).join("\n")).to.match(/cannot mix CNAME and A records at one name/);
    });

    it("refuses a CNAME at the zone apex", () => {
        const a = valid();
        const endpoints = a.endpoints.map((x) => ({ ...x, target: { kind: "hostname" } }) as unknown as RoutedEndpoint);
        expect(route53RecordType(endpoints)).to.equal("CNAME");
        expect(validateRoute53FailoverArgs({ ...a, recordName: "@", endpoints }).join("\n")).to.match(/zone apex, where a CNAME is not allowed/);
    });

    it("refuses weights outside 0-255 and all-zero weights in weighted mode", () => {
        const a = valid();
        const endpoints = a.endpoints.map((x, i) => ({ ...x, role: undefined, weight: i === 0 ? 300 : 0 }));
        expect(validateRoute53FailoverArgs({ ...a, mode: "weighted", endpoints }).join("\n")).to.match(/endpoints\[0\]\.weight: 300 is not a weight/);
        const zero = a.endpoints.map((x) => ({ ...x, role: undefined, weight: 0 }));
        expect(validateRoute53FailoverArgs({ ...a, mode: "weighted", endpoints: zero }).join("\n")).to.match(/every weight is 0/);
    });

    it("refuses a record outside the zone and a TTL out of range", () => {
        const issues = validateRoute53FailoverArgs({ ...valid(), recordName: "checkout.example.org", ttlSeconds: 0 }).join("\n");
        expect(issues).to.match(/recordName: "checkout.example.org" is outside zone example.com/);
        expect(issues).to.match(/ttlSeconds: 0 is out of range/);
    });
});
