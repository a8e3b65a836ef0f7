// The model on the failover shapes issue #12 builds, on hand-built graphs: a failover chain read in
// the order DNS tries it, a read-only site whose writes follow a failover DNS name, the pin that
// moves a site whose database is lost out of DNS when the promotion starts, a copy that only
// read-only sites read (never promoted), and a release undone by switching traffic back.
import { expect } from "chai";
import { estimateServices, ServiceEstimate, Stat, WhatIfRow } from "../../../policies/model";
import { UNKNOWN } from "../../harness";
import { awsActiveActive, awsActivePassive, awsSite, AwsSiteUrns, Design, gcpSite, promotionFromStandbyRegion, scheduledFunction } from "./designs";

function row(e: ServiceEstimate, domain: string): WhatIfRow {
    const r = e.whatIf.find((x) => x.domain === domain);
    if (!r) throw new Error(`no row ${domain}: ${e.whatIf.map((x) => x.domain).join(", ")}`);
    return r;
}

const likely = (s: Stat | null): number => Math.round((s as Stat).likely * 1000) / 1000;

/**
 * A GCP site in us-central1 reading a copy of the AWS writer's data (DMS CDC from the global writer
 * endpoint), read-only by design. `route`: where its writes go - a failover name over both AWS load
 * balancers (the writer's site first), or the writer's load balancer itself.
 */
function readOnlyGcp(d: Design, svc: string, aws: { lbs: readonly string[]; global: string }, route: "dns" | "writer-lb", fqdn: string): { gcp: ReturnType<typeof gcpSite>; hc: string } {
    const gcp = gcpSite(d, { name: "usc1", region: "us-central1", minInstances: 2, sql: { availability: "REGIONAL" } }, svc);
    d.add("gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup", "ignored", {}, {});
    const run = d.resources.find((r) => r.urn === gcp.run) as { props: Record<string, unknown> };
    (run.props.template as { containers: Record<string, unknown>[] }).containers[0].envs = [{ name: "DATABASE_READ_ONLY", value: "true" }];
    d.link(gcp.run, "template", [gcp.sql as string]);
    const fqdnFrom =
        route === "dns"
            ? aws.lbs.map((lb, i) =>
                  d.add(
                      "aws:route53/record:Record",
                      `writes-${i}`,
                      { zoneId: "Z123", name: `writes.${fqdn}`, type: "A", setIdentifier: `w${i}`, healthCheckId: UNKNOWN, failoverRoutingPolicies: [{ type: i === 0 ? "PRIMARY" : "SECONDARY" }], aliases: [{ name: UNKNOWN, zoneId: UNKNOWN, evaluateTargetHealth: false }] },
                      { deps: { aliases: [lb] } },
                  ),
              )
            : [aws.lbs[0]];
    const neg = d.add("gcp:compute/globalNetworkEndpointGroup:GlobalNetworkEndpointGroup", "usc1-writes", { networkEndpointType: "INTERNET_FQDN_PORT", defaultPort: 443 }, { parent: gcp.component });
    d.add("gcp:compute/globalNetworkEndpoint:GlobalNetworkEndpoint", "usc1-writes", { globalNetworkEndpointGroup: UNKNOWN, fqdn: UNKNOWN, port: 443 }, { parent: gcp.component, deps: { globalNetworkEndpointGroup: [neg], fqdn: fqdnFrom } });
    // DMS keeps the copy in step from the global writer endpoint (C6).
    const source = d.add("aws:dms/endpoint:Endpoint", "src", { endpointType: "source", serverName: UNKNOWN }, { deps: { serverName: [aws.global] } });
    const target = d.add("aws:dms/endpoint:Endpoint", "dst", { endpointType: "target", serverName: UNKNOWN }, { deps: { serverName: [gcp.sql as string] } });
    d.add("aws:dms/replicationTask:ReplicationTask", "cdc", { migrationType: "full-load-and-cdc", sourceEndpointArn: UNKNOWN, targetEndpointArn: UNKNOWN }, { deps: { sourceEndpointArn: [source], targetEndpointArn: [target] } });
    const hc = d.add("aws:route53/healthCheck:HealthCheck", "usc1-hc", { type: "HTTPS", resourcePath: "/healthz", port: 443, requestInterval: 30, failureThreshold: 3, ipAddress: UNKNOWN }, { deps: { ipAddress: [gcp.address] } });
    return { gcp, hc };
}

/**
 * Checkout, active-passive: AWS us-east-1 (Aurora global writer), then us-west-2 (secondary, promoted
 * by a scheduled probe there), then the read-only GCP site - the chain the component builds for three
 * sites (checkout.example.com fails over to failover-1.checkout.example.com: us-west-2, then GCP).
 */
function checkoutWithReadOnlyGcp(route: "dns" | "writer-lb"): Design {
    const ap = awsActivePassive({ app: "global", promotion: "people" });
    promotionFromStandbyRegion(ap.d, ap, { failures: 3 });
    const { gcp, hc } = readOnlyGcp(ap.d, ap.svc, { lbs: [ap.primary.lb, ap.secondary.lb], global: ap.primary.global as string }, route, "checkout.example.com");
    const west = ap.d.resources.find((r) => r.urn === ap.records[1]) as { props: Record<string, unknown> };
    west.props.name = "failover-1.checkout.example.com";
    west.props.failoverRoutingPolicies = [{ type: "PRIMARY" }];
    ap.d.add("aws:route53/record:Record", "checkout-next-1", { zoneId: "Z123", name: "checkout.example.com", type: "A", setIdentifier: "next-1", failoverRoutingPolicies: [{ type: "SECONDARY" }], aliases: [{ name: "failover-1.checkout.example.com", zoneId: "Z123", evaluateTargetHealth: true }] }, {});
    ap.d.add("aws:route53/record:Record", "checkout-usc1", { zoneId: "Z123", name: "failover-1.checkout.example.com", type: "A", setIdentifier: "usc1", healthCheckId: UNKNOWN, failoverRoutingPolicies: [{ type: "SECONDARY" }], records: [UNKNOWN], ttl: 60 }, { deps: { healthCheckId: [hc], records: [gcp.address] } });
    return ap.d;
}

/**
 * Orders, active-active: weighted records over AWS us-east-1 (Aurora global writer), us-west-2
 * (secondary, promoted by a scheduled probe there) and the read-only GCP site, which takes a share of
 * the traffic in every outage of us-east-1 - so where its writes go is what decides them.
 */
function ordersWithReadOnlyGcp(route: "dns" | "writer-lb"): Design {
    const d = awsActiveActive(["us-east-1", "us-west-2"], { app: "global", promotion: "people" });
    const urn = (name: string): string => (d.resources.find((r) => r.name === name) as { urn: string }).urn;
    const site = (n: string) => ({ lb: urn(`site${n}-alb`), db: urn(`site${n}-db`), global: urn("site0-global") }) as AwsSiteUrns;
    promotionFromStandbyRegion(d, { primary: site("0"), secondary: site("1") }, { failures: 3 });
    const svc = urn("orders");
    const { gcp, hc } = readOnlyGcp(d, svc, { lbs: [urn("site0-alb"), urn("site1-alb")], global: urn("site0-global") }, route, "orders.example.com");
    d.add("aws:route53/record:Record", "orders-usc1", { zoneId: "Z123", name: "orders.example.com", type: "A", setIdentifier: "usc1", healthCheckId: UNKNOWN, weightedRoutingPolicies: [{ weight: 100 }], records: [UNKNOWN], ttl: 60 }, { deps: { healthCheckId: [hc], records: [gcp.address] } });
    return d;
}

describe("the model on the failover issue #12 builds (hand-built graphs)", () => {
    it("reads a Route 53 failover chain in the order DNS tries it: the nested set's PRIMARY before its SECONDARY", () => {
        const d = new Design();
        const [a, b, c] = [
            ["a", "us-east-1"],
            ["b", "us-west-2"],
            ["c", "eu-west-1"],
        ].map(([name, region]) => awsSite(d, { name, region, tasks: 2 }));
        const check = (name: string, lb: string) => d.add("aws:route53/healthCheck:HealthCheck", `${name}-hc`, { type: "HTTPS", resourcePath: "/healthz", port: 443, requestInterval: 10, failureThreshold: 3, fqdn: UNKNOWN }, { deps: { fqdn: [lb] } });
        const record = (name: string, setId: string, type: string, lb: string | undefined, alias?: string) =>
            d.add(
                "aws:route53/record:Record",
                `${name}-${setId}`,
                { zoneId: "Z123", name, type: "A", setIdentifier: setId, failoverRoutingPolicies: [{ type }], ...(lb ? { healthCheckId: UNKNOWN } : {}), aliases: [{ name: alias ?? UNKNOWN, zoneId: "Z123", evaluateTargetHealth: lb === undefined }] },
                { deps: lb ? { healthCheckId: [check(setId, lb)], aliases: [lb] } : {} },
            );
        // The nested set's SECONDARY is declared first: the order of declaration must not decide.
        record("failover-1.api.example.com", "c", "SECONDARY", c.lb);
        record("failover-1.api.example.com", "b", "PRIMARY", b.lb);
        record("api.example.com", "a", "PRIMARY", a.lb);
        record("api.example.com", "next-1", "SECONDARY", undefined, "failover-1.api.example.com");
        const [e] = estimateServices(d.graph());
        expect(e.sites.map((s) => [s.key, s.role])).to.deep.equal([
            ["aws-us-east-1", "primary"],
            ["aws-us-west-2", "secondary"],
            ["aws-eu-west-1", "secondary"],
        ]);
        expect(row(e, "region:aws/us-east-1").reads.why).to.include("aws-us-east-1 -> aws-us-west-2");
    });

    describe("a read-only site's writes", () => {
        it("through a failover DNS name over the AWS sites (internet NEG): routed to both, the name itself is no service", () => {
            const services = estimateServices(checkoutWithReadOnlyGcp("dns").graph());
            expect(services.map((s) => s.name)).to.deep.equal(["checkout.example.com"]);
            const gcp = services[0].sites.find((s) => s.key === "gcp-us-central1")!;
            const lbs = services[0].sites.filter((s) => s.cloud === "aws").map((s) => s.entry?.urn);
            expect(gcp.wiring).to.deep.include({ readOnly: true, routedBy: "dns-failover", routes: lbs });
        });

        it("follow the writer when its region is lost: the name moves to the promotion target's site, which writes once the promotion is done", () => {
            const [e] = estimateServices(ordersWithReadOnlyGcp("dns").graph());
            const w = row(e, "region:aws/us-east-1").writes;
            expect(w).to.include({ outcome: "recovers", manual: false });
            // The probe: 3 one-minute failures (2.5 likely) 150 + API 5 + Aurora global failover 120 + reconnect 30.
            expect(likely(w.afterSeconds)).to.equal(305);
        });

        it("sent to the writer's load balancer itself fail until that region returns (the defect the name fixes)", () => {
            const [e] = estimateServices(ordersWithReadOnlyGcp("writer-lb").graph());
            const w = row(e, "region:aws/us-east-1").writes;
            expect(w.outcome).to.equal("until-recovery");
            expect(w.why).to.include("its writes are sent to aws-us-east-1's load balancer, lost with AWS us-east-1");
        });

        it("a copy only read-only sites read is never promoted: losing every AWS site, writes wait and nothing is lost or failed back", () => {
            const [e] = estimateServices(ordersWithReadOnlyGcp("dns").graph());
            const r = row(e, "cloud:aws");
            expect(r.writes.outcome).to.equal("until-recovery");
            expect(r.dataLoss.worstSeconds).to.equal(null);
            expect(r.failback).to.deep.equal([]);
            expect(r.timeline.map((t) => t.event).join("\n")).to.include("only sites that are read-only by design read it: no app writes there");
        });
    });

    describe("the pin (C4) while the outage lasts", () => {
        function withPin(pin: boolean): ServiceEstimate {
            const ap = awsActivePassive({ app: "global", promotion: "people" });
            // Both apps read their own cluster (reader endpoint) and write through the global endpoint.
            for (const s of [ap.primary, ap.secondary]) ap.d.link(s.taskDefinition, "containerDefinitions", [ap.primary.global as string, s.db as string]);
            scheduledFunction(ap.d, {
                name: "checkout-promote",
                region: "us-west-2",
                actions: ["rds:FailoverGlobalCluster", "rds:DescribeGlobalClusters"],
                about: [ap.primary.global as string, ap.primary.db as string, ap.secondary.db as string, ...(pin ? [ap.checks[0]] : [])],
                env: { PROBE_WINDOW: "3", ...(pin ? { HOME_HEALTH_CHECK_ID: UNKNOWN } : {}) },
            });
            return estimateServices(ap.d.graph())[0];
        }

        it("losing only the writer database, the site whose reads come from it moves out of DNS when the promotion starts", () => {
            const r = row(withPin(true), "writer:use1-db");
            // Trigger 155 + the inverted check (30 s x 3 + aggregation 20) + alias TTL 60 + clients 30 = 355 s.
            expect(r.reads).to.include({ outcome: "recovers", manual: false });
            expect(likely(r.reads.afterSeconds)).to.equal(355);
            expect(r.timeline.map((t) => t.event).join("\n")).to.include("checkout-promote pins aws-us-east-1 out of DNS as it starts the promotion");
        });

        it("without a pin its reads fail until the writer returns", () => {
            expect(row(withPin(false), "writer:use1-db").reads.outcome).to.equal("until-recovery");
        });

        it("an app that writes through the global writer endpoint is no failback hazard, pinned or not", () => {
            expect(row(withPin(false), "region:aws/us-east-1").failback).to.deep.equal([]);
        });
    });

    describe("a bad release", () => {
        function blueGreen(alarm: boolean): ServiceEstimate {
            const d = new Design();
            const site = awsSite(d, { name: "web", region: "us-east-1", tasks: 3 });
            const blue = d.add("aws:lb/targetGroup:TargetGroup", "web-blue", { port: 8080 }, {});
            const green = d.add("aws:lb/targetGroup:TargetGroup", "web-green", { port: 8080 }, {});
            d.add(
                "aws:lb/listener:Listener",
                "web-https",
                { loadBalancerArn: UNKNOWN, port: 443, defaultActions: [{ type: "forward", forward: { targetGroups: [{ arn: UNKNOWN, weight: 100 }, { arn: UNKNOWN, weight: 0 }] } }] },
                { deps: { loadBalancerArn: [site.lb], defaultActions: [blue, green] } },
            );
            if (alarm) {
                d.add("aws:cloudwatch/metricAlarm:MetricAlarm", "web-5xx", { metricQueries: [{ id: "e", metric: { metricName: "HTTPCode_Target_5XX_Count", namespace: "AWS/ApplicationELB" } }], evaluationPeriods: 5, threshold: 5 }, { parent: site.component });
            }
            return estimateServices(d.graph())[0];
        }

        it("undone by flipping blue-green back, with a 5xx alarm that pages: live for the alarm and the response (10 / 20 / 240 min)", () => {
            const e = blueGreen(true);
            expect(e.sites[0].releaseExposure).to.equal(1);
            const mode = e.modes.find((m) => m.domain.startsWith("release:"))!;
            // 50 releases x 10 % failing x 30 % of requests x 1200 s = 1800 s a year (likely).
            expect(mode.readDowntime.likely).to.equal(1800);
            expect(mode.source).to.include("sre.google");
        });

        it("with no alarm that would page, as long as DORA's failed-deployment recovery (10 / 60 / 240 min)", () => {
            const mode = blueGreen(false).modes.find((m) => m.domain.startsWith("release:"))!;
            expect(mode.readDowntime.likely).to.equal(5400);
        });
    });
});
