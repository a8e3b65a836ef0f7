import { expect } from "chai";
import { estimateServices, judge, ServiceEstimate, Term } from "../../../policies/model";
import { UNKNOWN } from "../../harness";
import { awsActiveActive, awsActivePassive, awsBackupsOnly, awsSite, awsToGcpCdc, cloudDns, Design, gcpSite, kubernetesSite, route53 } from "./designs";

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

        it("warm standby: RTO = 30 s x 3 + 30 s aggregation + 60 s alias TTL + 60 s Aurora global promotion = 240 s", () => {
            const e = only(awsActivePassive({ standbyTasks: 2 }).d);
            expect(e.standby).to.equal("warm");
            expect(e.sites[1].capacity).to.equal(2);
            expect(seconds(e, "rto")).to.deep.equal({ detection: 90, "health-aggregation": 30, "dns-ttl": 60, promotion: 60 });
            expect(e.rtoSeconds).to.equal(240);
            expect(term(e, "rto", "detection").formula).to.equal("requestInterval 30 s x failureThreshold 3");
            expect(term(e, "rto", "promotion").source).to.equal("https://aws.amazon.com/rds/aurora/global-database/");
        });

        it("pilot light: the same design with no standby tasks takes longer by the Fargate start time (120 s)", () => {
            const warm = only(awsActivePassive({ standbyTasks: 2 }).d);
            const pilot = only(awsActivePassive({ standbyTasks: 0 }).d);
            expect(pilot.standby).to.equal("pilot-light");
            const start = term(pilot, "rto", "capacity-start");
            expect(start.seconds).to.equal(120);
            expect(start.name).to.equal("start capacity in aws-us-west-2 (pilot light)");
            expect(pilot.rtoSeconds).to.equal((warm.rtoSeconds as number) + 120);
            expect(pilot.rtoSeconds).to.equal(360);
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
        it("two sites: weighted records; availability 1 - (1 - a)^2; RTO of losing the writer's site", () => {
            const e = only(awsActiveActive(["us-east-1", "us-west-2"]));
            expect(e.topology).to.equal("active-active");
            expect(e.sites.map((s) => [s.key, s.weight])).to.deep.equal([
                ["aws-us-east-1", 100],
                ["aws-us-west-2", 100],
            ]);
            expect(e.availability).to.be.closeTo(1 - (1 - AWS_SITE) ** 2, 1e-12);
            // Losing us-east-1 (the writer): 90 + 30 + 60 + 60 promotion; losing us-west-2: 180.
            expect(e.rtoSeconds).to.equal(240);
            expect(e.notes).to.include("RTO is for losing aws-us-east-1, the worst of 2 sites.");
            expect(e.rpoSeconds).to.equal(1);
        });

        it("three sites: availability 1 - (1 - a)^3, higher than two", () => {
            const two = only(awsActiveActive(["us-east-1", "us-west-2"]));
            const three = only(awsActiveActive(["us-east-1", "us-west-2", "eu-west-1"]));
            expect(three.sites).to.have.length(3);
            expect(three.availability).to.be.closeTo(1 - (1 - AWS_SITE) ** 3, 1e-15);
            expect(three.availability as number).to.be.greaterThan(two.availability as number);
            expect(three.rtoSeconds).to.equal(240);
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
        it("AWS -> GCP by AWS DMS: RPO is the CDC lag (60 s), RTO adds the cut-over (60 s)", () => {
            const e = only(awsToGcpCdc());
            expect(e.sites.map((s) => [s.key, s.role])).to.deep.equal([
                ["aws-us-east-1", "primary"],
                ["gcp-us-central1", "secondary"],
            ]);
            expect(e.sites[1].dataStores.map((d) => [d.name, d.role, d.replication])).to.deep.equal([["usc1-sql", "replica", "dms-cdc"]]);
            expect(e.rpoSeconds).to.equal(60);
            expect(term(e, "rpo", "replication-lag").source).to.equal("assumption: https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Task.CDC.html");
            expect(seconds(e, "rto")).to.deep.equal({ detection: 90, "health-aggregation": 30, "dns-ttl": 60, promotion: 60 });
            expect(e.rtoSeconds).to.equal(240);
            const gcp = CLOUD_LB * CLOUD_RUN * CLOUD_SQL_HA_PLUS;
            expect(e.sites[1].availability).to.be.closeTo(gcp, 1e-12);
            expect(e.availability).to.be.closeTo(1 - (1 - (ELB * ECS * AURORA_MULTI_AZ)) * (1 - gcp), 1e-12);
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

        it("RTO = 30 s x 2 + 30 s + TTL 30 s + Cloud Run start 10 s + Cloud SQL replica promotion 300 s = 430 s; RPO 10 s", () => {
            const e = only(design().d);
            expect(seconds(e, "rto")).to.deep.equal({ detection: 60, "health-aggregation": 30, "dns-ttl": 30, "capacity-start": 10, promotion: 300 });
            expect(e.rtoSeconds).to.equal(430);
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
});
