// The model on hand-built graphs, one failure domain and one term at a time, against numbers worked
// by hand. Every timing is a range; the all-low, all-likely and all-high points of a result are
// sums and maxima of the data files' low, likely and high values, so they are checked exactly
// (P10-P90 lie between them). The values used (policies/model/timings.json, rates.json):
//   Route 53 check 30 s x 3 = 90 (configured), aggregation 5/20/60, alias TTL 60, client caching 0/30/300
//   alarm delay 60/120/300, function start + API 1/5/30, Aurora global failover 60/120/600,
//   reconnect 5/30/120, people 900/1800/3600, Fargate start 45/90/300, DMS cut-over 30/60/300,
//   zone drain 0/60/180, Aurora in-region failover 5/30/120.
import { expect } from "chai";
import { estimatePlan, estimateServices, ServiceEstimate, Stat, WhatIfRow } from "../../../policies/model";
import { UNKNOWN } from "../../harness";
import { awsActiveActive, awsActivePassive, awsBackupsOnly, awsSite, awsToGcpCdc, Design, promotionFromStandbyRegion, scheduledFunction } from "./designs";

const YEAR = 365.25 * 86400;

function only(d: Design): ServiceEstimate {
    const services = estimateServices(d.graph());
    expect(services.map((s) => s.name)).to.have.length(1);
    return services[0];
}

function row(e: ServiceEstimate, domain: string): WhatIfRow {
    const r = e.whatIf.find((x) => x.domain === domain);
    expect(r, `${domain} among ${e.whatIf.map((x) => x.domain).join(", ")}`).to.not.equal(undefined);
    return r as WhatIfRow;
}

/** [low, likely, high] points of a Stat, rounded to the millisecond. */
function points(s: Stat | null | undefined): number[] {
    expect(s, "a known range").to.not.equal(null);
    const st = s as Stat;
    return [st.low, st.likely, st.high].map((v) => Math.round(v * 1000) / 1000);
}

function ordered(s: Stat | null): void {
    const st = s as Stat;
    expect(st.p10).to.be.at.most(st.p50);
    expect(st.p50).to.be.at.most(st.p90);
}

describe("the resilience model, failure domain by failure domain", () => {
    describe("losing the primary's region (active-passive on AWS, Aurora global database)", () => {
        it("moves reads after detection + aggregation + TTL + client caching: 90 + 5/20/60 + 60 + 0/30/300 = 155 / 200 / 510 s", () => {
            const e = only(awsActivePassive({ standbyTasks: 2 }).d);
            const r = row(e, "region:aws/us-east-1");
            expect(r.reads.outcome).to.equal("recovers");
            expect(r.reads.share).to.equal(1);
            expect(points(r.reads.afterSeconds)).to.deep.equal([155, 200, 510]);
            ordered(r.reads.afterSeconds);
            expect(r.timeline.map((t) => t.event)).to.include("checkout.example.com-use1-hc finds aws-us-east-1 down; DNS stops answering with it");
        });

        it("a promotion triggered from the failed region does not happen: the alarm lives in us-east-1 (HealthCheckStatus), so people promote: 900/1800/3600 + 60/120/600 + 5/30/120 s", () => {
            const e = only(awsActivePassive({ standbyTasks: 2 }).d);
            const r = row(e, "region:aws/us-east-1");
            expect(r.writes.outcome).to.equal("recovers");
            expect(r.writes.manual).to.equal(true);
            expect(points(r.writes.afterSeconds)).to.deep.equal([965, 1950, 4320]);
            expect(r.notes.join(" ")).to.include("checkout-promote's trigger (alarm checkout-writer-down -> SNS topic checkout-promote) runs in aws/us-east-1, lost with AWS us-east-1");
        });

        it("a trigger outside the writer's region (C2: schedule in us-west-2, 3 failed probes a minute apart) promotes: window 120/150/180 + 1/5/30 + 60/120/600 + 5/30/120", () => {
            const ap = awsActivePassive({ standbyTasks: 2, app: "global" });
            promotionFromStandbyRegion(ap.d, ap, { failures: 3 });
            const e = only(ap.d);
            const r = row(e, "region:aws/us-east-1");
            expect(r.writes.manual).to.equal(false);
            expect(points(r.writes.afterSeconds)).to.deep.equal([186, 305, 930]);
            expect(r.timeline.map((t) => t.event)).to.include("checkout-promote starts an Aurora global database failover (EventBridge schedule rate(1 minute) (rule checkout-promote-schedule))");
            expect(e.automation.map((a) => [a.purpose, a.function.name, a.probes, a.places.join(",")])).to.deep.include(["promotion", "checkout-promote", "database", "aws/us-west-2"]);
        });

        it("data lost with the promotion: Aurora global lag, typically 0.1/1/5 s, worst 1/10/120 s; RPO is the worst case", () => {
            const ap = awsActivePassive({ standbyTasks: 2, app: "global" });
            promotionFromStandbyRegion(ap.d, ap, { failures: 3 });
            const e = only(ap.d);
            const r = row(e, "region:aws/us-east-1");
            expect(points(r.dataLoss.typicalSeconds)).to.deep.equal([0.1, 1, 5]);
            expect(points(r.dataLoss.worstSeconds)).to.deep.equal([1, 10, 120]);
            expect(points(e.ranges.rpo.worst)).to.deep.equal([1, 10, 120]);
            expect(e.rpoSeconds).to.equal((e.ranges.rpo.worst as Stat).p90);
        });

        it("data-loss events a year: every loss of the writer that the promotion beats (us-east-1 0.2/0.5/1, the writer alone 0.02/0.1/0.5)", () => {
            const ap = awsActivePassive({ standbyTasks: 2, app: "global" });
            promotionFromStandbyRegion(ap.d, ap, { failures: 3 });
            const e = only(ap.d);
            // The promotion (minutes) always beats the outages (an hour or more): every such event loses the lag.
            // Losing all of AWS loses every copy: nothing is promoted, nothing discarded (writes wait).
            expect(points(e.ranges.dataLossEventsPerYear)).to.deep.equal([0.22, 0.6, 1.5]);
        });

        it("failback: when us-east-1 returns, DNS sends traffic back to a site whose app writes to the demoted writer; a pin (C4) keeps it away", () => {
            const own = awsActivePassive({ standbyTasks: 2, app: "own" });
            promotionFromStandbyRegion(own.d, own, { failures: 3 });
            const r = row(only(own.d), "region:aws/us-east-1");
            expect(r.failback.map((f) => f.site)).to.deep.equal(["aws-us-east-1"]);
            expect(r.failback[0].why).to.include("its app writes to use1-db, which is no longer the writer (usw2-db is)");

            const pinned = awsActivePassive({ standbyTasks: 2, app: "own" });
            promotionFromStandbyRegion(pinned.d, pinned, { failures: 3 });
            scheduledFunction(pinned.d, { name: "checkout-pin", region: "us-west-2", actions: ["route53:UpdateHealthCheck"], about: [pinned.checks[0]] });
            const p = row(only(pinned.d), "region:aws/us-east-1");
            expect(p.failback).to.deep.equal([]);
            expect(p.timeline.map((t) => t.event).join(" ")).to.include("checkout-pin (its role allows route53:UpdateHealthCheck) keeps traffic on usw2-db's site");
        });
    });

    describe("a pilot light", () => {
        it("with no scale-out never takes traffic on its own: people start it (900/1800/3600 + Fargate 45/90/300), then its own check passes (90 + 5/20/60)", () => {
            const e = only(awsActivePassive({ standbyTasks: 0 }).d);
            expect(e.standby).to.equal("pilot-light");
            const r = row(e, "region:aws/us-east-1");
            expect(r.reads.manual).to.equal(true);
            expect(r.reads.why).to.include("aws-us-west-2 is a pilot light").and.include("nothing scales it out: it never takes traffic on its own");
            expect(points(r.reads.afterSeconds)).to.deep.equal([1040, 2000, 4050]);
        });

        it("with a scale-out in its own region (C3: schedule, 2 probes): window 60/90/120 + 1/5/30 + Fargate 45/90/300, then its check passes", () => {
            const ap = awsActivePassive({ standbyTasks: 0 });
            scheduledFunction(ap.d, { name: "checkout-scale-out", region: "us-west-2", actions: ["ecs:UpdateService"], about: [ap.secondary.ecs] });
            const e = only(ap.d);
            expect(e.sites[1].scaleOut?.function.name).to.equal("checkout-scale-out");
            const r = row(e, "region:aws/us-east-1");
            expect(r.reads.manual).to.equal(false);
            expect(points(r.reads.afterSeconds)).to.deep.equal([201, 295, 600]);
        });

        it("whose DNS probe the load balancer answers itself (C3) is routable while it scales: max(traffic, scale-out) = 155 / 200 / 510 s", () => {
            const ap = awsActivePassive({ standbyTasks: 0, lbProbe: true });
            scheduledFunction(ap.d, { name: "checkout-scale-out", region: "us-west-2", actions: ["application-autoscaling:RegisterScalableTarget"], about: [ap.secondary.scalingTarget] });
            expect(points(row(only(ap.d), "region:aws/us-east-1").reads.afterSeconds)).to.deep.equal([155, 200, 510]);
        });

        it("pulling its image from a registry in the failed region cannot start at all: one registry for every site fails with that region", () => {
            const ap = awsActivePassive({ standbyTasks: 0, standbyImage: "123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout:1.0" });
            scheduledFunction(ap.d, { name: "checkout-scale-out", region: "us-west-2", actions: ["ecs:UpdateService"], about: [ap.secondary.ecs] });
            const e = only(ap.d);
            const r = row(e, "region:aws/us-east-1");
            expect(r.reads.outcome).to.equal("until-recovery");
            expect(r.reads.why).to.include("aws-us-west-2 pulls its image from a registry in a region lost with AWS us-east-1");
            expect(row(e, "registry:123456789012.dkr.ecr.us-east-1.amazonaws.com").notes.join(" ")).to.include("Running tasks keep serving");
        });
    });

    describe("losing one zone", () => {
        it("a multi-AZ site loses a third of its requests until its targets are unhealthy (30 s x 3) and the load balancer drains the zone (0/60/180); the writer fails over in-region (1 in 3)", () => {
            const e = only(awsActivePassive({ standbyTasks: 2 }).d);
            const r = row(e, "zone:aws/us-east-1a|b|c");
            expect(points(r.reads.afterSeconds)).to.deep.equal([90, 150, 270]);
            // A third of the requests lose their zone; with a 1 in 3 chance the writer was there too, failing the other two thirds: 1/3 + 2/9.
            expect(r.reads.share).to.be.closeTo(1 / 3 + 2 / 9, 1e-12);
            expect(r.writes.why).to.include("use1-db: 1 in 3 chance its writer instance is in the lost zone; aurora fails over to a standby in another zone");
            const dbOnly = r.writes.why;
            expect(dbOnly).to.include("aws-us-east-1: the lost zone's share (1/3)");
        });
    });

    describe("losing the writer alone (its region up)", () => {
        it("a trigger that probes the database (C2) promotes; a health-check alarm does not fire, so people do", () => {
            const probing = awsActivePassive({ standbyTasks: 2, app: "global", promotion: "none" });
            promotionFromStandbyRegion(probing.d, probing, { failures: 3 });
            expect(points(row(only(probing.d), "writer:use1-db").writes.afterSeconds)).to.deep.equal([186, 305, 930]);

            const alarmed = awsActivePassive({ standbyTasks: 2, app: "global" });
            const r = row(only(alarmed.d), "writer:use1-db");
            expect(points(r.writes.afterSeconds)).to.deep.equal([965, 1950, 4320]);
            expect(r.notes.join(" ")).to.include("watches a site's health check, which probes the app, not the database");
        });
    });

    describe("writes routed to a read-only copy (C1)", () => {
        it("fail with nothing lost when a site's app connects only to an Aurora secondary: the steady-state row and the write availability say so", () => {
            const e = only(awsActiveActive(["us-east-1", "us-west-2"], { app: "own" }));
            const steady = row(e, "steady-state");
            expect(steady.writes.outcome).to.equal("fails");
            expect(steady.writes.share).to.equal(0.5);
            expect(steady.writes.why).to.equal("aws-us-west-2: its database host is the read-only replica site1-db");
            expect((e.ranges.availability.writes as Stat).high).to.be.below(0.5);
            expect((e.ranges.availability.reads as Stat).likely).to.be.above(0.999);
            expect(e.modes[0]).to.include({ domain: "steady-state" });
        });

        it("succeed through the global writer endpoint or a write-forwarding secondary", () => {
            for (const d of [awsActiveActive(["us-east-1", "us-west-2"], { app: "global" }), awsActiveActive(["us-east-1", "us-west-2"], { app: "own", writeForwarding: true })]) {
                const e = only(d);
                expect(e.sites.map((s) => s.wiring.canWrite)).to.deep.equal([true, true]);
                expect(row(e, "steady-state").writes.outcome).to.equal("unaffected");
            }
        });

        it("to a CDC target: the standby's writes wait for a cut-over nothing automates (people 900/1800/3600 + 30/60/300 + 5/30/120), and lose the DMS lag (1/10/60 typical, 60/600/3600 worst)", () => {
            const e = only(awsToGcpCdc());
            expect(e.sites.map((s) => [s.key, s.wiring.canWrite, s.wiring.targets.map((t) => t.kind).join()])).to.deep.equal([
                ["aws-us-east-1", true, "writer"],
                ["gcp-us-central1", false, "cdc-target"],
            ]);
            const r = row(e, "region:aws/us-east-1");
            expect(r.writes.manual).to.equal(true);
            expect(points(r.writes.afterSeconds)).to.deep.equal([935, 1890, 4020]);
            expect(points(r.dataLoss.typicalSeconds)).to.deep.equal([1, 10, 60]);
            expect(points(r.dataLoss.worstSeconds)).to.deep.equal([60, 600, 3600]);
            expect(r.failback[0].why).to.include("never received the writes usc1-sql took meanwhile (one-way change data capture)");
        });

        it("to a CDC target with an automated cut-over (a function allowed dms:StopReplicationTask, outside the source's region): max(traffic, 60/90/120 + 1/5/30 + 30/60/300 + 5/30/120)", () => {
            const r = row(only(awsToGcpCdc({ cutover: true })), "region:aws/us-east-1");
            expect(r.writes.manual).to.equal(false);
            // The GCP record is a plain A record (TTL 60) but the lost site's record is the AWS alias: traffic 155/200/510.
            expect(points(r.writes.afterSeconds)).to.deep.equal([155, 200, 570]);
        });
    });

    describe("losing a whole cloud, the DNS provider, a release", () => {
        it("all of AWS: the AWS sites are lost together; the GCP standby takes traffic", () => {
            const r = row(only(awsToGcpCdc()), "cloud:aws");
            expect(r.reads.outcome).to.equal("recovers");
            expect(points(r.reads.afterSeconds)).to.deep.equal([155, 200, 510]);
        });

        it("the DNS provider: a share of lookups (0.1/0.5/1) fails until it recovers, whatever the sites do", () => {
            const r = row(only(awsActivePassive().d), "dns:route53");
            expect(r.reads.outcome).to.equal("until-recovery");
            expect(r.reads.share).to.equal(0.5);
        });

        it("a canary in every site exposes its share; a blue-green flip or a plain release exposes every request", () => {
            const d = new Design();
            const site = awsSite(d, { name: "web", region: "us-west-2", tasks: 2 });
            const green = d.add("aws:lb/targetGroup:TargetGroup", "web-tg-canary", { port: 8080, protocol: "HTTP" }, { provider: site.provider });
            d.add(
                "aws:lb/listener:Listener",
                "web-https",
                { loadBalancerArn: UNKNOWN, port: 443, protocol: "HTTPS", defaultActions: [{ type: "forward", forward: { targetGroups: [{ arn: UNKNOWN, weight: 90 }, { arn: UNKNOWN, weight: 10 }] } }] },
                { provider: site.provider, deps: { loadBalancerArn: [site.lb], defaultActions: [green] } },
            );
            const e = only(d);
            expect(e.sites[0].releaseExposure).to.be.closeTo(0.1, 1e-12);
            const r = row(e, "release:load-balancer web-alb");
            // 10 % of requests run the canary; 5/30/100 % of those fail.
            expect(r.reads.share).to.be.closeTo(0.03, 1e-12);
            expect(only(awsActivePassive().d).sites[0].releaseExposure).to.equal(1);
        });
    });

    describe("availability = 1 - sum of rate x duration x share / year", () => {
        // One site in us-west-2 reached through its load balancer (no DNS), no database. At the likely point:
        //   zone group: 3 zones x 0.2/yr x (1/3 x (90 + 60) s)        =    30 s
        //   region us-west-2: 0.15/yr x outage 14400 s (no other site) =  2160 s
        //   all of AWS: 0.05/yr x 10800 s                              =   540 s
        //   a bad release: 50 x 0.1 /yr x 0.3 x 3600 s                 =  5400 s
        //   gray failures: 0.5/yr x 2700 s x share 1                   =  1350 s
        //   total 9480 s a year: 1 - 9480 / 31557600
        const single = () => {
            const d = new Design();
            awsSite(d, { name: "web", region: "us-west-2", tasks: 2 });
            return only(d);
        };

        it("adds up the failure modes worked by hand at their likely values", () => {
            const e = single();
            expect(e.discoveredBy).to.equal("entry-point");
            const likely = Object.fromEntries(e.modes.map((m) => [m.domain, Math.round(m.readDowntime.likely * 1000) / 1000]));
            expect(likely).to.deep.equal({
                "zone:aws/us-west-2a|b|c": 30,
                "region:aws/us-west-2": 2160,
                "cloud:aws": 540,
                "release:load-balancer web-alb": 5400,
                "gray-failure": 1350,
            });
            const reads = e.ranges.availability.reads as Stat;
            expect(reads.likely).to.be.closeTo(1 - 9480 / YEAR, 1e-12);
            // P90 is the pessimistic end: lower availability than P50, itself below P10.
            expect(reads.p90).to.be.below(reads.p50);
            expect(reads.p50).to.be.below(reads.p10);
            expect(e.availability).to.equal(Math.min((e.ranges.availability.reads as Stat).p90, (e.ranges.availability.writes as Stat).p90));
        });

        it("keeps the independent-SLA product as an upper bound only, well above the estimate", () => {
            const e = only(awsActivePassive().d);
            // ELB x ECS x Aurora multi-AZ per site; DNS 100 %; sites in parallel.
            const site = 0.9999 ** 3;
            expect(e.slaUpperBound.availability).to.be.closeTo(1 - (1 - site) ** 2, 1e-12);
            expect(e.slaUpperBound.formula).to.include("an upper bound, not an estimate");
            expect(e.availability as number).to.be.below(e.slaUpperBound.availability as number);
            expect(e.terms.find((t) => t.kind === "upper-bound")?.name).to.equal("independent-SLA product (upper bound, not an estimate)");
        });

        it("RTO of a single site is the region's own recovery (or a restore from an off-site backup by people)", () => {
            expect(points(single().ranges.rto.reads)).to.deep.equal([3600, 14400, 54000]);
            const backups = only(awsBackupsOnly("us-west-2"));
            const restore = row(backups, "region:aws/us-east-1");
            // The standby has no database: it serves, but writes need the restore (people, 1-24 h), losing up to 6 h + the copy.
            expect(points(restore.dataLoss.worstSeconds)).to.deep.equal([22200, 25200, 36000]);
        });
    });

    describe("the shapes as #12 builds them (CONTRACTS.md, 2026-12-04)", () => {
        it("a read-only site by design (DATABASE_READ_ONLY=true, writes sent to the writer site's load balancer) is no defect, and its writes need that site", () => {
            const d = awsToGcpCdc();
            const gcpRun = d.resources.find((r) => r.type === "gcp:cloudrunv2/service:Service") as { urn: string; props: Record<string, unknown> };
            const awsLb = d.resources.find((r) => r.type === "aws:lb/loadBalancer:LoadBalancer")?.urn as string;
            (gcpRun.props.template as Record<string, unknown>).containers = [{ image: "app", envs: [{ name: "DATABASE_READ_ONLY", value: "true" }, { name: "WRITES_URL", value: UNKNOWN }] }];
            d.link(gcpRun.urn, "template", [...(d.resources.find((r) => r.urn === gcpRun.urn)?.propertyDependencies?.template ?? []), awsLb]);
            const e = only(d);
            const standby = e.sites[1];
            expect(standby.wiring).to.deep.include({ canWrite: true, readOnly: true, routes: [awsLb] });
            expect(row(e, "steady-state").writes.outcome).to.equal("unaffected");
            const r = row(e, "region:aws/us-east-1");
            expect(r.writes.outcome).to.equal("until-recovery");
            expect(r.writes.why).to.include("its writes are sent to aws-us-east-1's load balancer, lost with AWS us-east-1");
        });

        it("a promotion function disarmed by its environment (ARMED=false) starts nothing; PROBE_WINDOW counts the failed probes", () => {
            const off = awsActivePassive({ standbyTasks: 2, app: "global", promotion: "none" });
            promotionFromStandbyRegion(off.d, off);
            const fn = off.d.resources.find((r) => r.name === "checkout-promote" && r.type === "aws:lambda/function:Function") as unknown as { props: { environment: { variables: Record<string, unknown> } } };
            fn.props.environment.variables.ARMED = "false";
            expect(row(only(off.d), "region:aws/us-east-1").writes.manual).to.equal(true);

            const windowed = awsActivePassive({ standbyTasks: 2, app: "global", promotion: "none" });
            promotionFromStandbyRegion(windowed.d, windowed);
            const f2 = windowed.d.resources.find((r) => r.name === "checkout-promote" && r.type === "aws:lambda/function:Function") as unknown as { props: { environment: { variables: Record<string, unknown> } } };
            f2.props.environment.variables.PROBE_WINDOW = "3";
            expect(points(row(only(windowed.d), "region:aws/us-east-1").writes.afterSeconds)).to.deep.equal([186, 305, 930]);
        });

        it("a pin named by HOME_HEALTH_CHECK_ID (the writer's home check the automation inverts) prevents failback, even with its policy unknown", () => {
            const ap = awsActivePassive({ standbyTasks: 2, app: "own", promotion: "none" });
            promotionFromStandbyRegion(ap.d, ap, { failures: 3, unknownPolicy: true });
            const fn = ap.d.resources.find((r) => r.name === "checkout-promote" && r.type === "aws:lambda/function:Function") as unknown as { urn: string; props: { environment: { variables: Record<string, unknown> } } };
            fn.props.environment.variables.HOME_HEALTH_CHECK_ID = UNKNOWN;
            ap.d.link(fn.urn, "environment", [...(ap.d.resources.find((r) => r.urn === fn.urn)?.propertyDependencies?.environment ?? []), ap.checks[0]]);
            expect(row(only(ap.d), "region:aws/us-east-1").failback).to.deep.equal([]);
        });
    });

    describe("unknown at preview", () => {
        it("a health check interval unknown at preview makes RTO and availability unknown, named, never guessed", () => {
            const e = only(awsActivePassive({ interval: UNKNOWN }).d);
            expect(e.rtoSeconds).to.equal(null);
            expect(e.availability).to.equal(null);
            expect(e.unknowns.rto.join(" ")).to.include("requestInterval is unknown at preview");
        });
    });

    it("plans the failure domains of a stack once, every service seeing the same ones", () => {
        const plan = estimatePlan(awsToGcpCdc().graph());
        expect(plan.domains.map((d) => d.id)).to.deep.equal([
            "zone:aws/us-east-1a|b|c",
            "zone:gcp/us-central1-*",
            "region:aws/us-east-1",
            "region:gcp/us-central1",
            "cloud:aws",
            "cloud:gcp",
            "dns:route53",
            "writer:use1-db",
            "registry:docker.io",
            "release:billing.example.com",
        ]);
    });
});
