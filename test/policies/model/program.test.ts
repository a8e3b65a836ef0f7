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

    describe("the nonstop stacks (stacks/index.ts), as they are before issue #12 lands", () => {
        let prod: ServiceEstimate[];
        let dev: ServiceEstimate[];
        let prodRun: MockRun;
        before(async () => {
            // The same preview runs the stack program's specs read (one per stack file).
            prodRun = await sharedStackRun("prod", true);
            const devRun = await sharedStackRun("dev", true);
            prod = estimateServices(toGraph(prodRun.resources));
            dev = estimateServices(toGraph(devRun.resources));
        });

        it("prod: finds both services and what each site's app writes to (C1): catalog writes to a replica in us-west-2 and to a CDC target on GCP", () => {
            const byName = Object.fromEntries(prod.map((s) => [s.name, s]));
            expect(Object.keys(byName)).to.have.members(["checkout.example.com", "catalog.example.com"]);
            const catalog = byName["catalog.example.com"];
            expect(catalog.sites.map((s) => [s.key, s.share, s.wiring.canWrite, s.wiring.targets.map((t) => t.kind).join()])).to.deep.equal([
                ["gcp-us-east4", 0.2, false, "cdc-target"],
                ["aws-us-east-1", 0.5, true, "writer"],
                ["aws-us-west-2", 0.3, false, "replica"],
            ]);
            const steady = row(catalog, "steady-state");
            expect(steady.writes).to.include({ outcome: "fails", share: 0.5 });
            expect((catalog.ranges.availability.writes as Stat).likely).to.be.below(0.5);
        });

        it("prod: losing us-east-1, catalog's promotion does not start (its alarm is in us-east-1) and checkout's DMS cut-over is manual", () => {
            const catalog = prod.find((s) => s.name === "catalog.example.com") as ServiceEstimate;
            const c = row(catalog, "region:aws/us-east-1");
            expect(c.writes.outcome).to.equal("until-recovery");
            expect(c.notes.join(" ")).to.include("catalog-db-failover's trigger (alarm catalog-db-failover-writer-down -> SNS topic catalog-db-failover-trigger) runs in aws/us-east-1, lost with AWS us-east-1");
            const checkout = prod.find((s) => s.name === "checkout.example.com") as ServiceEstimate;
            const k = row(checkout, "region:aws/us-east-1");
            // Reads: 10 s x 3 + 20 + alias TTL 60 + 30 = 140 s (likely); writes: people 1800 + cut-over 60 + reconnect 30 = 1890 s.
            expect(likely(k.reads.afterSeconds)).to.equal(140);
            expect(k).to.deep.include({ failback: [{ site: "aws-us-east-1", recordUrn: prodRun.one("aws:route53/record:Record", "checkout-dns-aws-us-east-1").urn, why: k.failback[0].why }] });
            expect(k.writes).to.include({ outcome: "recovers", manual: true });
            expect(likely(k.writes.afterSeconds)).to.equal(1890);
            expect(likely(k.dataLoss.worstSeconds)).to.equal(600);
        });

        it("prod: reads stay near 99.9x % with a wide range; the old SLA product is only an upper bound", () => {
            for (const s of prod) {
                const reads = s.ranges.availability.reads as Stat;
                expect(reads.p50, s.name).to.be.within(0.999, 0.99999);
                expect(reads.p90, s.name).to.be.below(reads.p50);
                expect(s.slaUpperBound.availability as number, s.name).to.be.above(reads.p10);
            }
        });

        it("prod: the model rules and the budget refuse today's defects (until #12's shapes land)", async () => {
            const v = await checkRun([...modelRules, resilienceBudget], prodRun, { "resilience-budget": { rtoSeconds: 300, rpoSeconds: 60, availability: 0.9995 } });
            const by = (policy: string) => v.filter((x) => x.policy === policy).map((x) => (x.urn ?? "").split("::").pop());
            // One finding per site, on its first env-bearing resource.
            expect(by("writes-to-read-only-database")).to.have.members(["catalog-aws-us-west-2-task-canary", "catalog-gcp-us-east4-run-canary", "checkout-gcp-us-central1-run-green"]);
            expect(by("recovery-trigger-in-failed-region")).to.deep.equal(["catalog-db-failover"]);
            expect(by("automatic-failback-after-data-failover")).to.have.members(["catalog-dns-aws-us-east-1", "checkout-dns-aws-us-east-1"]);
            expect(by("standby-takes-no-traffic")).to.deep.equal([]);
            expect(v.filter((x) => x.policy === "resilience-budget").map((x) => (x.message.split("\n").pop() as string).split(" at P90")[0].replace(/ [\d.]+.*$/, ""))).to.have.members([
                "catalog.example.com: RTO",
                "catalog.example.com: RPO",
                "catalog.example.com: availability",
                "checkout.example.com: RTO",
                "checkout.example.com: RPO",
                "checkout.example.com: availability",
            ]);
        });

        it("dev: the pilot light has no scale-out, so it never takes traffic on its own: people start it", () => {
            const [checkout] = dev;
            expect(checkout.standby).to.equal("pilot-light");
            expect(checkout.sites[1].scaleOut).to.equal(undefined);
            const r = row(checkout, "region:aws/us-east-1");
            expect(r.reads.manual).to.equal(true);
            expect(r.reads.why).to.include("aws-us-west-2 is a pilot light").and.include("nothing scales it out");
            expect(r.notes.join(" ")).to.include("checkout-db-failover may run an Aurora global database failover but nothing starts it");
        });
    });
});
