import { expect } from "chai";
import { estimateServices, judge, ServiceEstimate, Term } from "../../../policies/model";
import { UNKNOWN } from "../../harness";
import { awsActiveActive, awsActivePassive, awsBackupsOnly, awsSite, awsToGcpCdc, cloudDns, Design, gcpSite, kubernetesSite, Promotion, promotion, route53 } from "./designs";

// Published numbers the expectations below are computed from (policies/model/slas.json).
const ELB = 0.9999;
const ECS = 0.9999;
const AURORA_MULTI_AZ = 0.9999;
const CLOUD_LB = 0.9999;
const CLOUD_RUN = 0.9995;
const CLOUD_SQL_HA = 0.9995;
const CLOUD_SQL_HA_PLUS = 0.9999;
const GKE_REGIONAL = 0.9995;
const AWS_SITE = ELB * ECS * AURORA_MULTI_AZ;

function only(d: Design): ServiceEstimate {
    const services = estimateServices(d.graph());
    expect(services.map((s) => s.name)).to.have.length(1);
    return services[0];
}

function term(e: ServiceEstimate, metric: Term["metric"], kind: Term["kind"]): Term {
    const found = e.terms.filter((t) => t.metric === metric && t.kind === kind);
    expect(found, `${metric} ${kind} terms of ${e.name}: ${e.terms.map((t) => `${t.metric}/${t.kind}`).join(", ")}`).to.have.length(1);
    return found[0];
}

function seconds(e: ServiceEstimate, metric: "rto" | "rpo"): Record<string, number | undefined> {
    return Object.fromEntries(e.terms.filter((t) => t.metric === metric).map((t) => [t.kind, t.seconds]));
}

describe("estimateServices", () => {
    describe("active-passive on AWS (Aurora global database)", () => {
        it("finds one service per DNS name, primary site first, with its health check and data", () => {
            const e = only(awsActivePassive().d);
            expect(e.name).to.equal("checkout.example.com");
            expect(e.topology).to.equal("active-passive");
            expect(e.sites.map((s) => [s.key, s.cloud, s.region, s.role])).to.deep.equal([
                ["aws-us-east-1", "aws", "us-east-1", "primary"],
                ["aws-us-west-2", "aws", "us-west-2", "secondary"],
            ]);
            expect(e.sites[0].healthCheck).to.include({ kind: "route53", name: "checkout.example.com-use1-hc", intervalSeconds: 30, failureThreshold: 3 });
            expect(e.sites[0].entry?.name).to.equal("use1-alb");
            expect(e.sites[0].dataStores.map((d) => [d.name, d.role, d.zones])).to.deep.equal([["use1-db", "writer", "multi-az"]]);
            expect(e.sites[1].dataStores.map((d) => [d.name, d.role, d.replication])).to.deep.equal([["usw2-db", "replica", "aurora-global"]]);
        });

        // Route 53 check 30 s x 3 = 90 s, aggregation 30 s, alias TTL 60 s, Fargate start 120 s, alarm 3 x 60 s = 180 s,
        // Aurora global failover 60 s. Traffic: 90 + 30 + 60 (+ 120 pilot light); data: 90 + 30 + 180 + 60 = 360 s.
        it("warm standby with an automated promotion: traffic 90 + 30 + 60 = 180 s and data 90 + 30 + 180 + 60 = 360 s run in parallel: RTO 360 s", () => {
            const e = only(awsActivePassive({ standbyTasks: 2 }).d);
            expect(e.standby).to.equal("warm");
            expect(e.sites[1].capacity).to.equal(2);
            expect(seconds(e, "rto")).to.deep.equal({ detection: 90, "health-aggregation": 30, "dns-ttl": 60, "promotion-trigger": 180, promotion: 60, composition: 360 });
            expect(e.rtoSeconds).to.equal(360);
            expect(term(e, "rto", "detection").formula).to.equal("requestInterval 30 s x failureThreshold 3");
            expect(term(e, "rto", "promotion").source).to.equal("https://aws.amazon.com/rds/aurora/global-database/");
            expect(term(e, "rto", "composition").formula).to.match(/^traffic and data fail over in parallel: max\(traffic 90 \+ 30 \+ 60 = 180 s, data 90 \+ 30 \+ 180 \+ 60 = 360 s\) = 360 s;/);
            expect(Object.fromEntries(e.terms.filter((t) => t.metric === "rto").map((t) => [t.kind, t.paths]))).to.deep.equal({
                detection: ["traffic", "data"],
                "health-aggregation": ["traffic", "data"],
                "dns-ttl": ["traffic"],
                "promotion-trigger": ["data"],
                promotion: ["data"],
                composition: undefined,
            });
        });

        it("reads the promotion trigger from the graph: alarm on the writer's health check -> SNS topic -> Lambda function, whose code it cannot read", () => {
            const e = only(awsActivePassive().d);
            const trigger = term(e, "rto", "promotion-trigger");
            expect(trigger.name).to.equal("promotion trigger (alarm checkout-writer-down)");
            expect(trigger.formula).to.equal(
                "alarm checkout-writer-down on HealthCheckStatus of checkout.example.com-use1-hc: evaluationPeriods 3 x period 60 s, counted from the check turning unhealthy; then SNS topic checkout-promote -> Lambda function checkout-promote",
            );
            expect(trigger.source).to.include("CloudWatch alarm checkout-writer-down (evaluationPeriods, period)").and.include("its code cannot be read");
            expect(trigger.floor).to.deep.include({ seconds: 120 });
            expect(term(e, "rto", "promotion").name).to.equal("promote usw2-db (aurora-global)");
            // The alarm and its topic live in us-east-1 beside the writer: a regional outage stops them too.
            expect(e.notes.join("\n")).to.include("The promotion of use1-db is started from us-east-1, the writer's own region (MetricAlarm checkout-writer-down, Topic checkout-promote)");
        });

        it("pilot light: with a 3-minute trigger the data path (360 s) hides the Fargate start: traffic 180 + 120 = 300 s, RTO still 360 s", () => {
            const pilot = only(awsActivePassive({ standbyTasks: 0 }).d);
            expect(pilot.standby).to.equal("pilot-light");
            const start = term(pilot, "rto", "capacity-start");
            expect(start.seconds).to.equal(120);
            expect(start.name).to.equal("start capacity in aws-us-west-2 (pilot light)");
            expect(start.paths).to.deep.equal(["traffic"]);
            expect(pilot.rtoSeconds).to.equal(360);
            expect(pilot.rtoSeconds).to.equal(only(awsActivePassive({ standbyTasks: 2 }).d).rtoSeconds);
        });

        it("the longer path decides: with a 1-minute trigger (data 90 + 30 + 60 + 60 = 240 s) warm takes 240 s and a pilot light 300 s (traffic)", () => {
            const warm = only(awsActivePassive({ standbyTasks: 2, promotion: { minutes: 1 } }).d);
            const pilot = only(awsActivePassive({ standbyTasks: 0, promotion: { minutes: 1 } }).d);
            expect(term(warm, "rto", "promotion-trigger").seconds).to.equal(60);
            expect(term(warm, "rto", "promotion-trigger").floor).to.equal(undefined); // already below the 2-period floor
            expect(warm.rtoSeconds).to.equal(240); // max(180, 240)
            expect(pilot.rtoSeconds).to.equal(300); // max(90 + 30 + 60 + 120, 240)
            expect(term(pilot, "rto", "composition").formula).to.include("max(traffic 90 + 30 + 60 + 120 = 300 s, data 90 + 30 + 60 + 60 = 240 s) = 300 s");
        });

        it("manual promotion: an alarm without actions (automation off, or a drill on the writer's site) leaves the RTO unknown, named", () => {
            const e = only(awsActivePassive({ promotion: "manual" }).d);
            expect(e.rtoSeconds).to.equal(null);
            const promote = term(e, "rto", "promotion");
            expect(promote.unknown).to.equal(true);
            expect(promote.formula).to.equal(
                "manual promotion: no automation found — see docs/services.md runbook (alarm checkout-writer-down has no alarmActions); usw2-db stays read-only until people run the global failover",
            );
            expect(promote.source).to.equal("CloudWatch alarm checkout-writer-down");
            expect(e.terms.some((t) => t.metric === "rto" && (t.kind === "promotion-trigger" || t.kind === "composition"))).to.equal(false);
            expect(e.rpoSeconds).to.equal(1);
            expect(judge(e, { rtoSeconds: 1800 }).verdict).to.equal("unknown");
        });

        it("manual promotion: no alarm on the writer's health check, or one that only notifies people", () => {
            const none = term(only(awsActivePassive({ promotion: "none" }).d), "rto", "promotion");
            expect(none.unknown).to.equal(true);
            expect(none.formula).to.include("(no CloudWatch alarm on AWS/Route53 HealthCheckStatus of checkout.example.com-use1-hc)");
            const people = term(only(awsActivePassive({ promotion: "people" }).d), "rto", "promotion");
            expect(people.unknown).to.equal(true);
            expect(people.formula).to.include("alarm checkout-writer-down notifies checkout-promote, to which no Lambda function of the program is subscribed");
        });

        it("matches the alarm by value when ids and ARNs are known (after deployment): HealthCheckId, topic ARN, Lambda ARN", () => {
            const { d, checks } = awsActivePassive({ promotion: "none" });
            const i = d.resources.findIndex((r) => r.urn === checks[0]);
            d.resources[i] = { ...d.resources[i], props: { ...d.resources[i].props, id: "0f1e2d3c-hc" } };
            d.add("aws:lambda/function:Function", "promote", { region: "us-west-2", arn: "arn:aws:lambda:us-west-2:123456789012:function:promote" });
            d.add("aws:sns/topic:Topic", "trigger", { region: "us-east-1", arn: "arn:aws:sns:us-east-1:123456789012:trigger" });
            d.add("aws:sns/topicSubscription:TopicSubscription", "trigger", { topic: "arn:aws:sns:us-east-1:123456789012:trigger", protocol: "lambda", endpoint: "arn:aws:lambda:us-west-2:123456789012:function:promote" });
            d.add("aws:cloudwatch/metricAlarm:MetricAlarm", "writer-down", {
                namespace: "AWS/Route53",
                metricName: "HealthCheckStatus",
                dimensions: { HealthCheckId: "0f1e2d3c-hc" },
                period: 60,
                evaluationPeriods: 5,
                datapointsToAlarm: 2,
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
                alarmActions: ["arn:aws:sns:us-east-1:123456789012:trigger"],
            });
            const e = only(d);
            const trigger = term(e, "rto", "promotion-trigger");
            // 2 of 5: a site that stays down breaches every period, so 2 x 60 s.
            expect(trigger.seconds).to.equal(120);
            expect(trigger.formula).to.include("datapointsToAlarm 2 (of evaluationPeriods 5) x period 60 s").and.include("SNS topic trigger -> Lambda function promote");
            expect(e.rtoSeconds).to.equal(300); // max(180, 90 + 30 + 120 + 60)
        });

        it("an alarm that does not fire on failure is no trigger", () => {
            const { d, checks } = awsActivePassive({ promotion: "none" });
            const fn = d.add("aws:lambda/function:Function", "promote", { region: "us-west-2" });
            d.add("aws:cloudwatch/metricAlarm:MetricAlarm", "writer-up", {
                namespace: "AWS/Route53",
                metricName: "HealthCheckStatus",
                dimensions: { HealthCheckId: UNKNOWN },
                period: 60,
                evaluationPeriods: 1,
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                alarmActions: [UNKNOWN],
            }, { deps: { dimensions: [checks[0]], alarmActions: [fn] } });
            const e = only(d);
            expect(e.rtoSeconds).to.equal(null);
            expect(term(e, "rto", "promotion").formula).to.include("alarm writer-up fires on GreaterThanOrEqualToThreshold 1, not when checkout.example.com-use1-hc fails");
        });

        it("RPO is the Aurora global replication lag (1 s), and a zone loss loses nothing", () => {
            const e = only(awsActivePassive().d);
            expect(e.rpoSeconds).to.equal(1);
            expect(term(e, "rpo", "replication-lag").name).to.equal("replication lag use1-db -> usw2-db (aurora-global)");
            expect(e.notes.join("\n")).to.include("Losing one zone of us-east-1: RPO 0 for use1-db");
        });

        it("availability: Route 53 (100%) x (1 - (1 - ALB x ECS x Aurora)^2)", () => {
            const e = only(awsActivePassive().d);
            expect(e.availability).to.be.closeTo(1 * (1 - (1 - AWS_SITE) ** 2), 1e-12);
            expect(e.sites[0].availability).to.be.closeTo(AWS_SITE, 1e-12);
            expect(e.sites[1].availability).to.be.closeTo(AWS_SITE, 1e-12);
            const composition = term(e, "availability", "composition");
            expect(composition.formula).to.include("sites in parallel, failing independently");
        });

        it("names an unknown input and gives no number: a health check interval unknown at preview", () => {
            const e = only(awsActivePassive({ interval: UNKNOWN }).d);
            expect(e.rtoSeconds).to.equal(null);
            const detection = term(e, "rto", "detection");
            expect(detection.unknown).to.equal(true);
            expect(detection.name).to.equal("detection (health check checkout.example.com-use1-hc)");
            expect(detection.formula).to.include("requestInterval unknown");
            expect(e.rpoSeconds).to.equal(1); // the RPO does not depend on it
        });

        it("uses Route 53's documented defaults for a health check without interval and threshold", () => {
            const d = new Design();
            const site = awsSite(d, { name: "use1", region: "us-east-1", tasks: 2 });
            const other = awsSite(d, { name: "usw2", region: "us-west-2", tasks: 2 });
            route53(d, "api.example.com", [
                { key: "a", role: "PRIMARY", lb: site.lb, check: { interval: "absent", threshold: "absent" } },
                { key: "b", role: "SECONDARY", lb: other.lb },
            ]);
            const e = only(d);
            expect(term(e, "rto", "detection").formula).to.equal("requestInterval 30 s (default) x failureThreshold 3 (default)");
            expect(term(e, "rto", "detection").seconds).to.equal(90);
        });
    });

    describe("active-active", () => {
        it("two sites: weighted records; availability 1 - (1 - a)^2; RTO of losing the writer's site, promoted automatically", () => {
            const e = only(awsActiveActive(["us-east-1", "us-west-2"]));
            expect(e.topology).to.equal("active-active");
            expect(e.sites.map((s) => [s.key, s.weight])).to.deep.equal([
                ["aws-us-east-1", 100],
                ["aws-us-west-2", 100],
            ]);
            expect(e.availability).to.be.closeTo(1 - (1 - AWS_SITE) ** 2, 1e-12);
            // Losing us-east-1 (the writer): max(traffic 90 + 30 + 60 = 180, data 90 + 30 + 180 + 60 = 360) = 360 s;
            // losing us-west-2: traffic only, 90 + 30 + 60 = 180 s (a sum: one path).
            expect(e.rtoSeconds).to.equal(360);
            expect(e.notes).to.include("RTO is for losing aws-us-east-1, the worst of 2 sites.");
            expect(term(e, "rto", "promotion").name).to.equal("promote site1-db (aurora-global)");
            expect(e.rpoSeconds).to.equal(1);
        });

        it("two sites with a manual promotion: losing the writer's site has an unknown RTO, judged unknown, not failed", () => {
            const e = only(awsActiveActive(["us-east-1", "us-west-2"], { promotion: "manual" }));
            expect(e.rtoSeconds).to.equal(null);
            expect(e.notes).to.include("RTO is for losing aws-us-east-1.");
            expect(term(e, "rto", "promotion").formula).to.include("manual promotion: no automation found — see docs/services.md runbook (alarm orders-writer-down has no alarmActions)");
            const j = judge(e, { rtoSeconds: 300 });
            expect(j.verdict).to.equal("unknown");
            expect(j.unknowns[0]).to.match(/^rtoSeconds: promote site1-db \(aurora-global\) \(manual promotion/);
        });

        it("three sites: availability 1 - (1 - a)^3, higher than two", () => {
            const two = only(awsActiveActive(["us-east-1", "us-west-2"]));
            const three = only(awsActiveActive(["us-east-1", "us-west-2", "eu-west-1"]));
            expect(three.sites).to.have.length(3);
            expect(three.availability).to.be.closeTo(1 - (1 - AWS_SITE) ** 3, 1e-15);
            expect(three.availability as number).to.be.greaterThan(two.availability as number);
            expect(three.rtoSeconds).to.equal(360);
        });

        it("Kubernetes sites on GKE: IP records matched to the LoadBalancer Service; each site writes its own StatefulSet, Velero every 4 h", () => {
            const d = new Design();
            const a = kubernetesSite(d, { name: "east", context: "gke_acme_us-east1_east", replicas: 3, loadBalancerIp: "203.0.113.10", statefulSet: { replicas: 3 }, velero: "0 */4 * * *" });
            const b = kubernetesSite(d, { name: "west", context: "gke_acme_us-west1_west", replicas: 3, loadBalancerIp: "203.0.113.20", statefulSet: { replicas: 3 }, velero: "0 */4 * * *" });
            route53(d, "shop.example.com", [
                { key: "east", weight: 50, ip: { value: "203.0.113.10" } },
                { key: "west", weight: 50, ip: { value: "203.0.113.20" } },
            ], { ttl: 60 });
            const e = only(d);
            expect(e.sites.map((s) => [s.key, s.cloud, s.region, s.entry?.urn])).to.deep.equal([
                ["kubernetes-gke_acme_us-east1_east", "kubernetes", "gke_acme_us-east1_east", a.service],
                ["kubernetes-gke_acme_us-west1_west", "kubernetes", "gke_acme_us-west1_west", b.service],
            ]);
            // 90 s detection + 30 s aggregation + 60 s TTL; survivors write their own StatefulSet: no promotion.
            expect(e.rtoSeconds).to.equal(180);
            expect(e.rpoSeconds).to.equal(4 * 3600);
            expect(term(e, "rpo", "backup-interval").formula).to.include('"0 */4 * * *"');
            expect(e.availability).to.be.closeTo(1 - (1 - GKE_REGIONAL) ** 2, 1e-12);
        });
    });

    describe("cross-cloud data: change data capture versus backups only", () => {
        it("AWS -> GCP by AWS DMS: RPO is the CDC lag (60 s), RTO adds the cut-over (60 s) as a further step: one path, summed", () => {
            const e = only(awsToGcpCdc());
            expect(e.sites.map((s) => [s.key, s.role])).to.deep.equal([
                ["aws-us-east-1", "primary"],
                ["gcp-us-central1", "secondary"],
            ]);
            expect(e.sites[1].dataStores.map((d) => [d.name, d.role, d.replication])).to.deep.equal([["usc1-sql", "replica", "dms-cdc"]]);
            expect(e.rpoSeconds).to.equal(60);
            expect(term(e, "rpo", "replication-lag").source).to.equal("assumption: https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Task.CDC.html");
            expect(seconds(e, "rto")).to.deep.equal({ detection: 90, "health-aggregation": 30, "dns-ttl": 60, promotion: 60 });
            expect(e.rtoSeconds).to.equal(240); // 90 + 30 + 60 + 60
            expect(e.terms.some((t) => t.paths !== undefined)).to.equal(false);
            const gcp = CLOUD_LB * CLOUD_RUN * CLOUD_SQL_HA_PLUS;
            expect(e.sites[1].availability).to.be.closeTo(gcp, 1e-12);
            expect(e.availability).to.be.closeTo(1 - (1 - (ELB * ECS * AURORA_MULTI_AZ)) * (1 - gcp), 1e-12);
        });

        it("a global database writer with a CDC copy beside it fails over inside the global database, not to the copy", () => {
            const d = new Design();
            const svc = d.component("acme:service:Catalog", "catalog");
            const east = awsSite(d, { name: "use1", region: "us-east-1", tasks: 2, db: { kind: "aurora-global-writer" } }, svc);
            const west = awsSite(d, { name: "usw2", region: "us-west-2", tasks: 2, db: { kind: "aurora-global-secondary", global: east.global as string, writer: east.db as string } }, svc);
            const gcp = gcpSite(d, { name: "use4", region: "us-east4", minInstances: 1, sql: { availability: "REGIONAL", edition: "ENTERPRISE_PLUS" } }, svc);
            const cdc = d.component("acme:data:Cdc", "catalog-cdc", svc);
            const source = d.add("aws:dms/endpoint:Endpoint", "cdc-source", { endpointType: "source", serverName: UNKNOWN }, { parent: cdc, deps: { serverName: [east.db as string] } });
            const target = d.add("aws:dms/endpoint:Endpoint", "cdc-target", { endpointType: "target", serverName: UNKNOWN }, { parent: cdc, deps: { serverName: [gcp.sql as string] } });
            d.add("aws:dms/replicationTask:ReplicationTask", "cdc-task", { migrationType: "full-load-and-cdc", sourceEndpointArn: UNKNOWN, targetEndpointArn: UNKNOWN }, { parent: cdc, deps: { sourceEndpointArn: [source], targetEndpointArn: [target] } });
            const { checks } = route53(d, "catalog.example.com", [
                { key: "use1", weight: 50, lb: east.lb },
                { key: "usw2", weight: 30, lb: west.lb },
                { key: "use4", weight: 20, ip: { value: UNKNOWN, from: gcp.address } },
            ]);
            promotion(d, { minutes: 3 }, { name: "catalog", healthCheck: checks[0], targetRegion: "us-west-2", parent: svc });
            const e = only(d);
            // The CDC cut-over would give 90 + 30 + 60 + 60 = 240 s, but nothing cuts over: the alarm promotes usw2-db.
            expect(e.rtoSeconds).to.equal(360);
            expect(term(e, "rto", "promotion").name).to.equal("promote usw2-db (aurora-global)");
            expect(e.notes).to.include("RTO is for losing aws-us-east-1, the worst of 3 sites.");
        });

        it("backups only, every 6 h, copied to us-west-2: RPO = 6 h interval + 1 h copy allowance; RTO unknown (restore)", () => {
            const e = only(awsBackupsOnly("us-west-2"));
            const store = e.sites[0].dataStores[0];
            expect(store.backups).to.deep.include({ kind: "aws-backup", name: "use1-backup/scheduled", urn: store.backups[0].urn, schedule: "cron(0 */6 * * ? *)", intervalSeconds: 21600, offSite: true, copyLocation: "us-west-2" });
            expect(seconds(e, "rpo")).to.deep.equal({ "backup-interval": 21600, "backup-copy": 3600 });
            expect(e.rpoSeconds).to.equal(25200);
            expect(e.rtoSeconds).to.equal(null);
            expect(term(e, "rto", "restore").formula).to.include("no surviving site holds a replica of it");
        });

        it("CDC loses less than backups: 60 s against 25200 s", () => {
            expect(only(awsToGcpCdc()).rpoSeconds as number).to.be.lessThan(only(awsBackupsOnly("us-west-2")).rpoSeconds as number);
        });

        it("backups kept in the region only: no surviving copy, RPO unknown and the missing copy named", () => {
            const e = only(awsBackupsOnly(undefined));
            expect(e.rpoSeconds).to.equal(null);
            const missing = e.terms.find((t) => t.metric === "rpo" && t.unknown);
            expect(missing?.name).to.equal("copy of use1-db outside aws-us-east-1");
        });
    });

    describe("Cloud DNS primary/backup on GCP", () => {
        function design(): { d: Design; primaryAddress: string; backupAddress: string } {
            const d = new Design();
            const svc = d.component("acme:service:Search", "search");
            const primary = gcpSite(d, { name: "usc1", region: "us-central1", minInstances: 2, sql: { availability: "REGIONAL" } }, svc);
            // The backup's database is a cross-region replica of the primary's.
            const backup = gcpSite(d, { name: "use1", region: "us-east1", minInstances: 0, sql: { availability: "REGIONAL", replicaOf: primary.sql } }, svc);
            // Targets listed backup first: pairing must come from the backup geo's location, not the order.
            cloudDns(d, "search.example.com", "failover", [
                { address: backup.address, role: "secondary", location: "us-east1" },
                { address: primary.address, role: "primary" },
            ], { ttl: 30, interval: 30, threshold: 2 });
            return { d, primaryAddress: primary.address, backupAddress: backup.address };
        }

        it("pairs targets unknown at preview with primary and backup by the backup geo's region", () => {
            const { d, primaryAddress, backupAddress } = design();
            const e = only(d);
            expect(e.sites.map((s) => [s.key, s.role, s.entry?.urn])).to.deep.equal([
                ["gcp-us-central1", "primary", primaryAddress],
                ["gcp-us-east1", "secondary", backupAddress],
            ]);
            expect(e.standby).to.equal("pilot-light");
        });

        it("RTO unknown: nothing starts the Cloud SQL replica's promotion (no Route 53 check for an alarm to watch); RPO 10 s", () => {
            const e = only(design().d);
            // Was 60 + 30 + 30 + 10 + promotion 300 = 430 s, the promotion taken to start by itself. Now the
            // promotion counts only with a trigger: the writer's site is judged by a Cloud DNS (GCP) check,
            // which no CloudWatch alarm can watch, so the data path is manual and the RTO null. The traffic
            // steps are unchanged: 30 s x 2 = 60 + 30 + TTL 30 + Cloud Run start 10.
            expect(seconds(e, "rto")).to.deep.equal({ detection: 60, "health-aggregation": 30, "dns-ttl": 30, "capacity-start": 10, promotion: undefined });
            expect(e.rtoSeconds).to.equal(null);
            const promote = term(e, "rto", "promotion");
            expect(promote.unknown).to.equal(true);
            expect(promote.formula).to.include("manual promotion: no automation found — see docs/services.md runbook (the writer's site has no Route 53 health check for an alarm to watch");
            expect(e.rpoSeconds).to.equal(10);
            expect(e.availability).to.be.closeTo(1 - (1 - CLOUD_LB * CLOUD_RUN * CLOUD_SQL_HA) ** 2, 1e-12);
            expect(e.notes.join("\n")).to.include('Cloud SQL "usc1-sql": settings.edition is not set');
        });
    });

    describe("single site", () => {
        it("has no RTO for losing its site, an RPO from off-site Cloud SQL backups (1 day) and a series availability", () => {
            const d = new Design();
            const site = gcpSite(d, { name: "euw1", region: "europe-west1", minInstances: 1, sql: { availability: "REGIONAL", edition: "ENTERPRISE_PLUS", backups: true } });
            route53(d, "blog.example.com", [{ key: "euw1", ip: { value: UNKNOWN, from: site.address } }]);
            const e = only(d);
            expect(e.topology).to.equal("single-site");
            expect(e.rtoSeconds).to.equal(null);
            expect(term(e, "rto", "restore").formula).to.include("single site");
            expect(e.rpoSeconds).to.equal(86400);
            expect(e.availability).to.be.closeTo(CLOUD_LB * CLOUD_RUN * CLOUD_SQL_HA_PLUS, 1e-12);
        });

        it("reports an unknown availability when a factor has no SLA (zonal Cloud SQL)", () => {
            const d = new Design();
            const site = gcpSite(d, { name: "euw1", region: "europe-west1", minInstances: 1, sql: { availability: "ZONAL" } });
            route53(d, "blog.example.com", [{ key: "euw1", ip: { value: UNKNOWN, from: site.address } }]);
            const e = only(d);
            expect(e.availability).to.equal(null);
            expect(e.terms.find((t) => t.metric === "availability" && t.unknown && t.kind === "sla")?.formula).to.include("is zonal");
        });
    });

    describe("discovery", () => {
        it("ignores non-address records and returns services sorted by name", () => {
            const d = new Design();
            const a = awsSite(d, { name: "use1", region: "us-east-1", tasks: 2 });
            route53(d, "www.example.com", [{ key: "a", lb: a.lb }]);
            route53(d, "api.example.com", [{ key: "a", lb: a.lb }]);
            d.add("aws:route53/record:Record", "txt", { zoneId: "Z123", name: "example.com", type: "TXT", records: ["v=spf1 -all"], ttl: 300 });
            d.add("aws:route53/record:Record", "acme", { zoneId: "Z123", name: "_acme-challenge.example.com", type: "CNAME", records: ["x.acm-validations.aws"], ttl: 300 });
            expect(estimateServices(d.graph()).map((s) => s.name)).to.deep.equal(["api.example.com", "www.example.com"]);
        });

        it("follows a Route 53 failover chain: the SECONDARY alias to failover-1.<name> adds that set's targets as further secondaries", () => {
            const d = new Design();
            const a = awsSite(d, { name: "use1", region: "us-east-1", tasks: 2 });
            const b = awsSite(d, { name: "usw2", region: "us-west-2", tasks: 2 });
            const c = awsSite(d, { name: "euw1", region: "eu-west-1", tasks: 0 });
            route53(d, "pay.example.com", [{ key: "use1", role: "PRIMARY", lb: a.lb }]);
            route53(d, "failover-1.pay.example.com", [
                { key: "usw2", role: "PRIMARY", lb: b.lb },
                { key: "euw1", role: "SECONDARY", lb: c.lb },
            ]);
            d.add("aws:route53/record:Record", "pay-next-1", { zoneId: "Z123", name: "pay.example.com", type: "A", setIdentifier: "next-1", failoverRoutingPolicies: [{ type: "SECONDARY" }], aliases: [{ name: "failover-1.pay.example.com", zoneId: "Z123", evaluateTargetHealth: true }] });
            const e = only(d);
            expect(e.topology).to.equal("active-passive");
            expect(e.sites.map((s) => [s.key, s.role])).to.deep.equal([
                ["aws-us-east-1", "primary"],
                ["aws-us-west-2", "secondary"],
                ["aws-eu-west-1", "secondary"],
            ]);
            // One warm secondary is enough to serve: no start time.
            expect(e.terms.some((t) => t.kind === "capacity-start")).to.equal(false);
        });

        it("a record without a health check never fails over: RTO unknown, named", () => {
            const d = new Design();
            const a = awsSite(d, { name: "use1", region: "us-east-1", tasks: 2 });
            const b = awsSite(d, { name: "usw2", region: "us-west-2", tasks: 2 });
            route53(d, "app.example.com", [
                { key: "use1", role: "PRIMARY", ip: { value: "198.51.100.1", from: a.lb }, check: false },
                { key: "usw2", role: "SECONDARY", lb: b.lb },
            ]);
            const e = only(d);
            expect(e.rtoSeconds).to.equal(null);
            expect(term(e, "rto", "detection").formula).to.include("has no health check");
            expect(judge(e, { rtoSeconds: 300 }).verdict).to.equal("unknown");
        });
    });

    describe("promotion of a read-only replica: counted only when the graph holds its trigger", () => {
        type Kind = "rds-read-replica" | "cloud-sql-replica" | "gcp-dms-cdc";
        /**
         * Route 53 failover (checks 30 s x 3) from a warm primary in us-east-1 to a warm secondary
         * whose database is a read-only copy of the primary's, of `kind`; `how` starts its promotion
         * (the alarm watches the primary's health check).
         */
        function design(kind: Kind, how: Promotion): Design {
            const d = new Design();
            const svc = d.component("acme:service:Ledger", "ledger");
            const targets: { primary: { lb?: string; ip?: { value: unknown; from: string } }; secondary: { lb?: string; ip?: { value: unknown; from: string } } } = { primary: {}, secondary: {} };
            if (kind === "rds-read-replica") {
                const primary = awsSite(d, { name: "use1", region: "us-east-1", tasks: 2, db: { kind: "rds", multiAz: true } }, svc);
                const secondary = awsSite(d, { name: "usw2", region: "us-west-2", tasks: 2 }, svc);
                d.add(
                    "aws:rds/instance:Instance",
                    "usw2-db",
                    { engine: "postgres", instanceClass: "db.m6g.large", multiAz: true, replicateSourceDb: UNKNOWN },
                    { parent: secondary.component, provider: secondary.provider, deps: { replicateSourceDb: [primary.db as string] } },
                );
                targets.primary = { lb: primary.lb };
                targets.secondary = { lb: secondary.lb };
            } else if (kind === "cloud-sql-replica") {
                const primary = gcpSite(d, { name: "usc1", region: "us-central1", minInstances: 1, sql: { availability: "REGIONAL", edition: "ENTERPRISE_PLUS" } }, svc);
                const secondary = gcpSite(d, { name: "use4", region: "us-east4", minInstances: 1, sql: { availability: "REGIONAL", edition: "ENTERPRISE_PLUS", replicaOf: primary.sql } }, svc);
                targets.primary = { ip: { value: UNKNOWN, from: primary.address } };
                targets.secondary = { ip: { value: UNKNOWN, from: secondary.address } };
            } else {
                const primary = awsSite(d, { name: "use1", region: "us-east-1", tasks: 2, db: { kind: "rds", multiAz: true } }, svc);
                const secondary = gcpSite(d, { name: "usc1", region: "us-central1", minInstances: 1, sql: { availability: "REGIONAL", edition: "ENTERPRISE_PLUS" } }, svc);
                const dms = d.component("acme:data:Migration", "ledger-dms", svc);
                const profile = "gcp:databasemigrationservice/connectionProfile:ConnectionProfile";
                const from = d.add(profile, "ledger-source", { location: "us-central1", postgresql: { host: UNKNOWN } }, { parent: dms, deps: { postgresql: [primary.db as string] } });
                const to = d.add(profile, "ledger-destination", { location: "us-central1", cloudsql: { cloudSqlId: UNKNOWN } }, { parent: dms, deps: { cloudsql: [secondary.sql as string] } });
                d.add("gcp:databasemigrationservice/migrationJob:MigrationJob", "ledger-job", { location: "us-central1", type: "CONTINUOUS", source: UNKNOWN, destination: UNKNOWN }, { parent: dms, deps: { source: [from], destination: [to] } });
                targets.primary = { lb: primary.lb };
                targets.secondary = { ip: { value: UNKNOWN, from: secondary.address } };
            }
            const { checks } = route53(d, "ledger.example.com", [
                { key: "primary", role: "PRIMARY", ...targets.primary },
                { key: "secondary", role: "SECONDARY", ...targets.secondary },
            ]);
            promotion(d, how, { name: "ledger", healthCheck: checks[0], targetRegion: "us-west-2", parent: svc });
            return d;
        }

        const cases: { kind: Kind; replica: string; runs: string }[] = [
            { kind: "rds-read-replica", replica: "usw2-db", runs: "the promotion of the read replica" },
            { kind: "cloud-sql-replica", replica: "use4-sql", runs: "the promotion of the Cloud SQL replica" },
            { kind: "gcp-dms-cdc", replica: "usc1-sql", runs: "the promotion of the migration job (its destination becomes a primary)" },
        ];
        for (const c of cases) {
            it(`${c.kind}, manual (the alarm has no actions): the data path is unknown, named, and the RTO null`, () => {
                const e = only(design(c.kind, "manual"));
                expect(e.sites[1].dataStores.map((s) => [s.name, s.role, s.replication])).to.deep.equal([[c.replica, "replica", c.kind]]);
                expect(e.rtoSeconds).to.equal(null);
                const promote = term(e, "rto", "promotion");
                expect(promote.unknown).to.equal(true);
                expect(promote.formula).to.equal(
                    `manual promotion: no automation found — see docs/services.md runbook (alarm ledger-writer-down has no alarmActions); ${c.replica} stays read-only until people run ${c.runs}`,
                );
                expect(e.terms.some((t) => t.kind === "promotion-trigger")).to.equal(false);
            });

            it(`${c.kind}, with a trigger alarm (2 one-minute periods -> SNS -> Lambda): traffic 90 + 30 + 60 = 180 s and data 90 + 30 + 120 + 300 = 540 s in parallel: RTO 540 s`, () => {
                const e = only(design(c.kind, { minutes: 2 }));
                // Detection 30 s x 3 = 90 + aggregation 30 start both paths; traffic adds the TTL (alias 60 s,
                // or the A record's 60 s); data adds the alarm's 2 x 60 s and the 300 s promotion assumption.
                expect(seconds(e, "rto")).to.deep.equal({ detection: 90, "health-aggregation": 30, "dns-ttl": 60, "promotion-trigger": 120, promotion: 300, composition: 540 });
                expect(e.rtoSeconds).to.equal(540);
                expect(term(e, "rto", "composition").formula).to.include("max(traffic 90 + 30 + 60 = 180 s, data 90 + 30 + 120 + 300 = 540 s) = 540 s");
                expect(term(e, "rto", "promotion").paths).to.deep.equal(["data"]);
                expect(term(e, "rto", "promotion").formula).to.include(`ledger-promote starts ${c.runs} and ${c.replica}`);
                expect(term(e, "rto", "promotion-trigger").source).to.include(`Lambda function ledger-promote (aws:lambda/function:Function: its code cannot be read; taken to run ${c.runs})`);
            });
        }

        it("an AWS DMS CDC target needs no trigger: its cut-over (60 s) still follows detection on the traffic path", () => {
            const e = only(awsToGcpCdc());
            expect(e.terms.some((t) => t.kind === "promotion-trigger")).to.equal(false);
            expect(term(e, "rto", "promotion").seconds).to.equal(60);
        });
    });
});
