// The model on real programs run under Pulumi mocks in preview mode (ids and load balancer names
// unknown, as at `pulumi preview`), converted to the graph the pack and the report read.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { estimateServices, ServiceEstimate, Stat, WhatIfRow } from "../../../policies/model";
import { resilienceBudget } from "../../../policies/rules/budget/resilienceBudget";
import { policies as modelRules } from "../../../policies/rules/model";
import { checkRun, MockRun, runUnderMocks, toGraph } from "../../harness";
import { sharedStackRun } from "../../stacks/stackFiles";

// A program nonstop did not write: its own component, raw provider resources.
interface RegionArgs {
    readonly region: string;
    readonly tasks: number;
    /** Join this global database as a secondary; omitted: create it and be its writer. */
    readonly global?: aws.rds.GlobalCluster;
}

class Region extends pulumi.ComponentResource {
    readonly lb: aws.lb.LoadBalancer;
    readonly global: aws.rds.GlobalCluster;

    constructor(name: string, args: RegionArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("acme:infra:Region", name, {}, opts);
        const provider = new aws.Provider(`${name}-aws`, { region: args.region }, { parent: this });
        const o = { parent: this, provider };
        const subnets = ["a", "b", "c"].map((z, i) => new aws.ec2.Subnet(`${name}-${z}`, { vpcId: "vpc-123", cidrBlock: `10.1.${i}.0/24`, availabilityZone: `${args.region}${z}` }, o));
        this.lb = new aws.lb.LoadBalancer(`${name}-alb`, { loadBalancerType: "application", subnets: subnets.map((s) => s.id) }, o);
        const cluster = new aws.ecs.Cluster(`${name}-ecs`, {}, o);
        new aws.ecs.Service(`${name}-api`, { cluster: cluster.arn, launchType: "FARGATE", desiredCount: args.tasks, networkConfiguration: { subnets: subnets.map((s) => s.id) } }, o);
        this.global = args.global ?? new aws.rds.GlobalCluster(`${name}-global`, { globalClusterIdentifier: "orders", engine: "aurora-postgresql" }, o);
        const db = new aws.rds.Cluster(
            `${name}-db`,
            args.global
                ? { engine: "aurora-postgresql", globalClusterIdentifier: this.global.id }
                : { engine: "aurora-postgresql", masterUsername: "orders", masterPassword: "not-a-real-password", globalClusterIdentifier: this.global.id },
            o,
        );
        for (const z of ["a", "b"]) new aws.rds.ClusterInstance(`${name}-db-${z}`, { clusterIdentifier: db.id, engine: "aurora-postgresql", instanceClass: "db.r6g.large" }, o);
        this.registerOutputs({});
    }
}

/**
 * Failover records over both regions. `promotion`: an alarm on the primary's health check of
 * `minutes` one-minute periods whose SNS topic a Lambda function (in us-west-2) subscribes to;
 * "manual": the same alarm without actions.
 */
function ordersProgram(standbyTasks: number, promotion: { readonly minutes: number } | "manual" = { minutes: 1 }): () => void {
    return () => {
        const east = new Region("east", { region: "us-east-1", tasks: 4 });
        const west = new Region("west", { region: "us-west-2", tasks: standbyTasks, global: east.global });
        const checks: aws.route53.HealthCheck[] = [];
        for (const [site, role] of [
            [east, "PRIMARY"],
            [west, "SECONDARY"],
        ] as const) {
            const name = role.toLowerCase();
            const check = new aws.route53.HealthCheck(`orders-${name}`, { type: "HTTPS", fqdn: site.lb.dnsName, port: 443, resourcePath: "/health", requestInterval: 10, failureThreshold: 2 });
            checks.push(check);
            new aws.route53.Record(`orders-${name}`, {
                zoneId: "Z0123456789",
                name: "orders.acme.io",
                type: "A",
                setIdentifier: name,
                failoverRoutingPolicies: [{ type: role }],
                healthCheckId: check.id,
                aliases: [{ name: site.lb.dnsName, zoneId: site.lb.zoneId, evaluateTargetHealth: true }],
            });
        }
        const topic = new aws.sns.Topic("orders-promote", { region: "us-east-1" });
        const fn = new aws.lambda.Function("orders-promote", {
            region: "us-west-2",
            runtime: "nodejs20.x",
            handler: "index.handler",
            role: "arn:aws:iam::123456789012:role/orders-promote",
            code: new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset("export const handler = async () => ({});") }),
        });
        new aws.sns.TopicSubscription("orders-promote", { region: "us-east-1", topic: topic.arn, protocol: "lambda", endpoint: fn.arn });
        const minutes = promotion === "manual" ? 3 : promotion.minutes;
        new aws.cloudwatch.MetricAlarm("orders-primary-down", {
            region: "us-east-1",
            namespace: "AWS/Route53",
            metricName: "HealthCheckStatus",
            dimensions: { HealthCheckId: checks[0].id },
            statistic: "Minimum",
            period: 60,
            evaluationPeriods: minutes,
            threshold: 1,
            comparisonOperator: "LessThanThreshold",
            alarmActions: promotion === "manual" ? [] : [topic.arn],
        });
    };
}

function row(e: ServiceEstimate, domain: string): WhatIfRow {
    const r = e.whatIf.find((x) => x.domain === domain);
    if (!r) throw new Error(`no row ${domain} for ${e.name}: ${e.whatIf.map((x) => x.domain).join(", ")}`);
    return r;
}

function likely(s: Stat | null): number {
    if (!s) throw new Error("unknown range");
    return Math.round(s.likely * 1000) / 1000;
}

describe("the resilience model on programs run under mocks (preview)", () => {
    describe("a program with its own components", () => {
        let warm: MockRun;
        before(async () => {
            warm = await runUnderMocks(ordersProgram(2), { preview: true });
        });

        it("reads the design through unknown ids: alias -> load balancer, record -> health check, cluster -> global database", () => {
            const [e] = estimateServices(toGraph(warm.resources));
            expect(warm.one("aws:route53/record:Record", "primary").inputs.healthCheckId).to.not.be.a("string"); // unknown at preview
            expect(e.name).to.equal("orders.acme.io");
            expect(e.topology).to.equal("active-passive");
            expect(e.standby).to.equal("warm");
            expect(e.sites.map((s) => [s.key, s.role, s.capacity, s.entry?.name])).to.deep.equal([
                ["aws-us-east-1", "primary", 4, "east-alb"],
                ["aws-us-west-2", "secondary", 2, "west-alb"],
            ]);
            expect(e.sites.map((s) => s.dataStores.map((d) => [d.name, d.role, d.replication ?? null, d.zones]))).to.deep.equal([
                [["east-db", "writer", null, "multi-az"]],
                [["west-db", "replica", "aurora-global", "multi-az"]],
            ]);
        });

        it("finds the alarm -> SNS -> function trigger, and that it lives in us-east-1 with the writer: losing that region, people promote", () => {
            const [e] = estimateServices(toGraph(warm.resources));
            // The function's role is not among the resources: nothing says it may promote, so it is not counted at all.
            const r = row(e, "region:aws/us-east-1");
            expect(r.writes.manual).to.equal(true);
            // Reads: 10 s x 2 + 5/20/60 + alias TTL 60 + client caching 0/30/300 = 85 / 130 / 440 s.
            expect([r.reads.afterSeconds?.low, r.reads.afterSeconds?.likely, r.reads.afterSeconds?.high]).to.deep.equal([85, 130, 440]);
        });

        it("the budget policy fails a 200 s RTO through the analyzer, naming what decides it", async () => {
            const v = await checkRun([resilienceBudget], warm, { "resilience-budget": { rtoSeconds: 200 } });
            expect(v).to.have.length(1);
            expect(v[0].message.split("\n").pop()).to.match(/^orders\.acme\.io: RTO .* at P90 > 200 s target \(active-passive\); decided by (reads|writes) after losing /);
            expect(v[0].urn).to.equal(warm.one("aws:route53/record:Record", "primary").urn);
        });
    });

    describe("the nonstop stacks (stacks/index.ts), with the failover issue #12 built", () => {
        let prod: ServiceEstimate[];
        let dev: ServiceEstimate[];
        let prodRun: MockRun;
        let devRun: MockRun;
        before(async () => {
            // The same preview runs the stack program's specs read (one per stack file).
            prodRun = await sharedStackRun("prod", true);
            devRun = await sharedStackRun("dev", true);
            prod = estimateServices(toGraph(prodRun.resources));
            dev = estimateServices(toGraph(devRun.resources));
        });
        const service = (name: string) => prod.find((s) => s.name === name) as ServiceEstimate;

        it("prod: finds both services (the write routes are no service) and what each site's app writes to (C1): AWS sites through the global writer endpoint, GCP sites read-only by design", () => {
            expect(prod.map((s) => s.name)).to.deep.equal(["catalog.example.com", "checkout.example.com"]);
            const catalog = service("catalog.example.com");
            expect(catalog.sites.map((s) => [s.key, s.share, s.wiring.canWrite, s.wiring.readOnly ?? false, s.wiring.targets.map((t) => t.kind).join()])).to.deep.equal([
                ["gcp-us-east4", 0.2, true, true, "cdc-target,replica"],
                ["aws-us-east-1", 0.5, true, false, "global-endpoint,writer"],
                ["aws-us-west-2", 0.3, true, false, "global-endpoint,writer,replica"],
            ]);
            // The GCP site sends its writes to writes.catalog.example.com: the writer's site, then the promotion target's.
            const lbs = (key: string) => catalog.sites.find((s) => s.key === key)?.entry?.urn;
            expect(catalog.sites[0].wiring).to.deep.include({ routedBy: "dns-failover", routes: [lbs("aws-us-east-1"), lbs("aws-us-west-2")] });
            const checkout = service("checkout.example.com");
            expect(checkout.sites.map((s) => [s.key, s.role, s.wiring.readOnly ?? false])).to.deep.equal([
                ["aws-us-east-1", "primary", false],
                ["aws-us-west-2", "secondary", false],
                ["gcp-us-central1", "secondary", true],
            ]);
            for (const s of prod) expect(row(s, "steady-state").writes.outcome, s.name).to.equal("unaffected");
        });

        it("prod: losing us-east-1, the probe in us-west-2 promotes the Aurora secondary (C2) and every site's writes follow it, the GCP ones through the failover name", () => {
            for (const s of prod) {
                expect(s.automation.map((a) => [a.purpose, a.function.name, a.probes, a.places])).to.deep.equal([["promotion", `${s.name.split(".")[0]}-db-failover`, "database", ["aws/us-west-2"]]]);
                const r = row(s, "region:aws/us-east-1");
                // Writes: probe window (2.5 of 3 one-minute probes) 150 + function and API 5 + Aurora global failover 120
                // + reconnect 30 = 305 s (likely); reads: the check 10 s x 3 + aggregation 20 + alias TTL 60 + clients 30 = 140 s.
                expect(r.writes, s.name).to.include({ outcome: "recovers", manual: false });
                expect(likely(r.writes.afterSeconds), s.name).to.equal(305);
                expect(likely(r.reads.afterSeconds), s.name).to.equal(140);
                expect(r.failback, s.name).to.deep.equal([]);
                expect(likely(r.dataLoss.worstSeconds), s.name).to.equal(10);
                expect(r.timeline.map((t) => t.event).join("\n"), s.name).to.include("starts an Aurora global database failover");
            }
        });

        it("prod: losing only the writer database, the promotion also pins its site out of DNS (C4), so its reads move to sites whose data survives", () => {
            for (const s of prod) {
                const r = row(s, `writer:${s.name.split(".")[0]}-aws-us-east-1-db`);
                // The pin lands when the promotion starts (155 s likely), then the inverted check 10 s x 3 + 20, TTL 60, clients 30: 295 s.
                expect(likely(r.reads.afterSeconds), s.name).to.equal(295);
                expect(likely(r.writes.afterSeconds), s.name).to.equal(305);
                expect(r.timeline.map((t) => t.event).join("\n"), s.name).to.match(/db-failover pins aws-us-east-1 out of DNS as it starts the promotion/);
            }
        });

        it("prod: losing all of AWS, the GCP copies read on but nobody writes into them: writes wait, and nothing is promoted, lost or failed back", () => {
            for (const s of prod) {
                const r = row(s, "cloud:aws");
                expect(r.writes.outcome, s.name).to.equal("until-recovery");
                expect(r.reads.outcome, s.name).to.equal("recovers");
                expect(r.dataLoss.worstSeconds, s.name).to.equal(null);
                expect(r.failback, s.name).to.deep.equal([]);
            }
        });

        it("prod: RTO and RPO are hand-checkable and decided by losing us-east-1; reads near 99.97 %, a canary's bad release costs a twentieth of a blue-green flip's", () => {
            for (const s of prod) {
                expect(s.ranges.rto.domain, s.name).to.equal("region:aws/us-east-1");
                expect(s.ranges.rto.writes?.likely, s.name).to.equal(305);
                expect(s.ranges.rpo.domain, s.name).to.equal("region:aws/us-east-1");
                const reads = s.ranges.availability.reads as Stat;
                expect(reads.p50, s.name).to.be.within(0.999, 0.99999);
                expect(reads.p90, s.name).to.be.below(reads.p50);
                expect(s.slaUpperBound.availability as number, s.name).to.be.above(reads.p10);
                expect((s.ranges.availability.writes as Stat).p90, s.name).to.be.above(0.9995);
            }
            const checkout = service("checkout.example.com");
            const release = checkout.modes.find((m) => m.domain === "release:checkout.example.com")!;
            // 50 releases a year x 10 % failing x 30 % of requests x 5 % canary share x 20 min (alarm, page, weight back to 0):
            // 90 s a year, where a blue-green flip of every request would cost 30 min.
            expect(release.writeDowntime.likely).to.equal(90);
            expect(checkout.fixes.join("\n")).to.not.include("blue-green");
        });

        it("prod: no rule finds a defect at prod's own targets; at 300 s and 60 s the budget would miss RTO and RPO of both services, each named", async () => {
            expect(await checkRun([...modelRules, resilienceBudget], prodRun, { "resilience-budget": { rtoSeconds: 900, rpoSeconds: 120, availability: 0.9995 } })).to.deep.equal([]);
            const v = await checkRun([...modelRules, resilienceBudget], prodRun, { "resilience-budget": { rtoSeconds: 300, rpoSeconds: 60, availability: 0.9995 } });
            expect(v.filter((x) => x.policy !== "resilience-budget").map((x) => `${x.policy}: ${x.message}`)).to.deep.equal([]);
            const misses = v.map((x) => (x.message.split("\n").pop() as string).split(" at P90")[0].replace(/ [\d.]+.*$/, ""));
            expect(misses).to.have.members(["catalog.example.com: RTO", "catalog.example.com: RPO", "checkout.example.com: RTO", "checkout.example.com: RPO"]);
            const text = v.map((x) => x.message).join("\n");
            expect(text).to.include("the recovery's slowest step is an Aurora global database failover").and.include("rds.global_db_rpo");
        });

        it("dev: the pilot light scales out from us-west-2 (C3); the promotion is disarmed, so people promote and the pin follows", () => {
            const [checkout] = dev;
            expect(checkout.standby).to.equal("pilot-light");
            expect(checkout.sites[1].scaleOut?.function.name).to.equal("checkout-scale-out-aws-us-west-2");
            const r = row(checkout, "region:aws/us-east-1");
            // Reads: the scale-out (2 failed one-minute probes: 90 likely, + API 5, + Fargate start 90 = 185 s) is done
            // before DNS has moved (dev's check 30 s x 3 + aggregation 20 + TTL 60 + clients 30 = 200 s); the standby's
            // record is routable meanwhile (its check asks the load balancer, which answers itself).
            expect(r.reads).to.include({ outcome: "recovers", manual: false });
            expect(likely(r.reads.afterSeconds)).to.equal(200);
            // Writes: people promote (ARMED=false: the function only reports): 1800 + failover 120 + reconnect 30.
            expect(r.writes).to.include({ outcome: "recovers", manual: true });
            expect(likely(r.writes.afterSeconds)).to.equal(1950);
            const w = row(checkout, "writer:checkout-aws-us-east-1-db");
            // Losing the writer database: the site's reads wait until people promote, then the function pins it out of DNS.
            expect(w.reads).to.include({ outcome: "recovers", manual: true });
            expect(likely(w.reads.afterSeconds)).to.equal(2150);
            expect(w.timeline.map((t) => t.event).join("\n")).to.include("pins aws-us-east-1 out of DNS");
        });
    });
});
