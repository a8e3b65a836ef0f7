import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ActivePassiveService, ActivePassiveServiceArgs, standbyMinCapacity } from "../../../components/service/activePassiveService";
import { MockRun, RecordedResource, runUnderMocks } from "../../harness";
import { cloudDns, fakeSites, MadeSite, route53, service } from "./fakeSite";

const T = {
    service: "nonstop:service:ActivePassiveService",
    record: "aws:route53/record:Record",
    check: "aws:route53/healthCheck:HealthCheck",
    cloudRecord: "gcp:dns/recordSet:RecordSet",
    cdc: "nonstop:data:ChangeDataCapture",
    dmsTask: "aws:dms/replicationTask:ReplicationTask",
    dmsInstance: "aws:dms/replicationInstance:ReplicationInstance",
    migrationJob: "gcp:databasemigrationservice/migrationJob:MigrationJob",
    transferJob: "gcp:storage/transferJob:TransferJob",
    s3Replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    dataFailover: "nonstop:data:GlobalDatabaseFailover",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    function: "aws:lambda/function:Function",
    scaleOut: "nonstop:failover:PilotLightScaleOut",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

const config = { "aws:region": "us-east-1", "gcp:project": "shop-prod-1" };

interface Built {
    r: MockRun;
    made: MadeSite[];
    component: ActivePassiveService;
}

async function build(args: Partial<ActivePassiveServiceArgs> = {}): Promise<Built> {
    const { factory, made } = fakeSites();
    let component: ActivePassiveService | undefined;
    const r = await runUnderMocks(() => {
        component = new ActivePassiveService("checkout", {
            service: service(),
            dns: route53,
            environment: "prod",
            protectStateful: true,
            gcpProject: "shop-prod-1",
            siteFactory: factory,
            // The GCP standby's database is a CDC copy: it cannot reach the AWS writer.
            readOnlySites: ["gcp-us-central1"],
            ...args,
        });
    }, { config });
    return { r, made, component: component! };
}

/** The value of an output once the run has resolved it. */
const valueOf = <V>(o: pulumi.Input<V>): Promise<V> => new Promise((resolve) => pulumi.output(o).apply((v) => resolve(v as V)));
const site = (made: MadeSite[], key: string) => made.find((m) => m.site.endpoint.key === key)!;
const record = (r: MockRun, key: string): RecordedResource => r.one(T.record, `checkout-dns-${key}`);

describe("ActivePassiveService", () => {
    describe("AWS primary, GCP warm standby, Route 53", () => {
        let b: Built;
        before(async () => {
            b = await build();
        });

        it("builds the primary with its data and the secondary replicating from the primary's database", () => {
            const primary = site(b.made, "aws-us-east-1");
            const secondary = site(b.made, "gcp-us-central1");
            expect(primary.args.role).to.equal("primary");
            expect(primary.args.data?.replicaOf).to.equal(undefined);
            expect(primary.args.data).to.include({ engine: "postgres", replicationFactor: 3, backupSchedule: "0 */6 * * *", backupRetentionDays: 35, backupCopyRegion: "us-west-2" });
            expect(secondary.args.role).to.equal("secondary");
            // Across clouds the secondary runs its own primary, fed by change data capture from the primary's database.
            expect(secondary.args.data?.replicaOf).to.equal(undefined);
            const task = b.r.one(T.dmsTask);
            expect(task.inputs.migrationType).to.equal("full-load-and-cdc");
            // No AWS site joins the primary, so it need not be an Aurora Global Database.
            expect(primary.args.data?.global).to.equal(undefined);
        });

        it("gives the primary's app its own writer and the read-only standby no writer, but the primary's site for its writes", () => {
            const primary = site(b.made, "aws-us-east-1");
            const secondary = site(b.made, "gcp-us-central1");
            expect(primary.args.data?.readOnly).to.equal(undefined);
            expect(secondary.args.data?.readOnly).to.equal(true);
            expect(secondary.args.data?.writeRoute).to.deep.include({ hostKind: "name", port: 80, protocol: "HTTP", serverName: "checkout.example.com" });
            expect(b.component.replication["gcp-us-central1"].writes).to.equal("read-only");
        });

        it("admits the AWS writer's egress addresses, and only those, to the standby's database that DMS writes into", async () => {
            const primary = site(b.made, "aws-us-east-1");
            const allowed = await valueOf(site(b.made, "gcp-us-central1").args.data!.allowedClients!);
            const egress = await valueOf(pulumi.all([...primary.site.database!.network!.egressIps]));
            expect(allowed).to.deep.equal(egress.map((ip) => `${ip}/32`));
        });

        it("keeps the warm standby at its configured capacity", () => {
            expect(site(b.made, "gcp-us-central1").args.minCapacity).to.equal(2);
            expect(site(b.made, "aws-us-east-1").args.minCapacity).to.equal(3);
        });

        it("gives the primary's record PRIMARY and the secondary's SECONDARY, each with its own site's health check", () => {
            const primary = record(b.r, "aws-us-east-1");
            const secondary = record(b.r, "gcp-us-central1");
            expect(primary.inputs.failoverRoutingPolicies).to.deep.equal([{ type: "PRIMARY" }]);
            expect(secondary.inputs.failoverRoutingPolicies).to.deep.equal([{ type: "SECONDARY" }]);
            for (const key of ["aws-us-east-1", "gcp-us-central1"]) {
                const check = b.r.ofType(T.check).find((c) => c.name === `checkout-dns-${key}`)!;
                expect(record(b.r, key).inputs.healthCheckId).to.equal(`${check.name}-id`);
                const host = check.inputs.fqdn ?? check.inputs.ipAddress;
                expect(host).to.equal(key.startsWith("aws") ? "checkout-aws-us-east-1-lb.us-east-1.example.net" : (record(b.r, key).inputs.records as string[])[0]);
            }
            expect(primary.inputs.name).to.equal("checkout.example.com");
            expect(b.component.fqdn).to.equal("checkout.example.com");
        });

        it("feeds the other cloud's database by change data capture (DMS full load and CDC on a Multi-AZ instance)", () => {
            const cdc = b.r.one(T.cdc);
            expect(cdc.name).to.equal("checkout-cdc-gcp-us-central1");
            expect(b.r.one(T.dmsTask).inputs.migrationType).to.equal("full-load-and-cdc");
            expect(b.r.one(T.dmsInstance).inputs.multiAz).to.equal(true);
            expect(b.r.one(T.dmsInstance).inputs.region).to.equal("us-east-1");
            expect(b.component.replication["gcp-us-central1"]).to.deep.equal({ database: "aws-dms", objects: "storage-transfer", writes: "read-only" });
        });

        it("copies the primary's objects to the secondary's bucket by Storage Transfer", () => {
            const job = b.r.one(T.transferJob).inputs as { transferSpec: { awsS3DataSource: { bucketName: string }; gcsDataSink: { bucketName: string } } };
            expect(job.transferSpec.awsS3DataSource.bucketName).to.equal("checkout-aws-us-east-1-objects");
            expect(job.transferSpec.gcsDataSink.bucketName).to.equal("checkout-gcp-us-central1-objects");
        });

        it("gives the GCP site the service's name for its certificate and publishes the certificate's DNS authorization", () => {
            expect(site(b.made, "gcp-us-central1").placement).to.deep.equal({ gcpProject: "shop-prod-1", domain: "checkout.example.com" });
            expect(b.r.one(T.record, "support-0").inputs.name).to.equal("_acme-challenge.checkout.example.com.");
        });

        it("gives the AWS site the service's name and the Route 53 zone, where it validates a certificate of its own", () => {
            expect(site(b.made, "aws-us-east-1").placement).to.deep.equal({ gcpProject: "shop-prod-1", domain: "checkout.example.com", zoneName: "example.com", vpcCidr: "10.0.0.0/16" });
            // The AWS site publishes its validation record itself: the service adds no support record for it.
            expect(b.r.ofType(T.record).filter((r) => r.name.includes("support"))).to.have.length(1);
        });

        it("sends backup copies only to sites of the primary's cloud (the copy region is an AWS region)", () => {
            expect(site(b.made, "gcp-us-central1").args.data?.backupCopyRegion).to.equal(undefined);
        });

        it("is one component that parents its sites and its DNS", () => {
            const svc = b.r.one(T.service);
            expect(b.r.children(svc.urn).map((c) => c.type).sort()).to.include.members(["nonstop:dns:Route53Failover", "test:site:FakeSite", "nonstop:data:ChangeDataCapture", "nonstop:data:ObjectReplication"]);
        });
    });

    it("runs a pilot-light standby with no compute while its data is still replicated", async () => {
        const b = await build({ service: service({ standby: "pilot-light" }) });
        const secondary = site(b.made, "gcp-us-central1");
        expect(secondary.args.minCapacity).to.equal(0);
        expect(secondary.args.maxCapacity).to.equal(12);
        expect(secondary.args.data?.replicaOf).to.equal(undefined);
        expect(b.r.ofType(T.dmsTask)).to.have.length(1);
    });

    it("makes an AWS primary a global database for an AWS secondary, replicating within AWS without CDC", async () => {
        const b = await build({
            readOnlySites: [],
            service: service({
                sites: [
                    { cloud: "aws", region: "us-east-1", role: "primary", minCapacity: 3, maxCapacity: 12 },
                    { cloud: "aws", region: "us-west-2", role: "secondary", minCapacity: 2, maxCapacity: 12 },
                ],
            }),
        });
        const primary = site(b.made, "aws-us-east-1");
        const secondary = site(b.made, "aws-us-west-2");
        expect(primary.args.data?.global).to.equal(true);
        expect(secondary.args.data?.replicaOf).to.equal(primary.site.database);
        // The copy region is the secondary's own region: its copies go back to the primary's region.
        expect(secondary.args.data?.backupCopyRegion).to.equal("us-east-1");
        expect(b.r.ofType(T.cdc)).to.have.length(0);
        expect(b.r.one(T.s3Replication).inputs.bucket).to.equal("checkout-aws-us-east-1-objects");
        expect(b.component.replication["aws-us-west-2"]).to.deep.equal({ database: "aurora-global-database", objects: "s3-replication", writes: "global-writer-endpoint" });
        // The standby's app writes through the global writer endpoint, not into its own (secondary) cluster.
        expect(await valueOf(secondary.site.database!.writerHost)).to.equal("global.aws-us-east-1.internal");
    });

    describe("promotion of an AWS secondary of the primary's Aurora Global Database", () => {
        const awsPair = service({
            sites: [
                { cloud: "aws", region: "us-east-1", role: "primary", minCapacity: 3, maxCapacity: 12 },
                { cloud: "aws", region: "us-west-2", role: "secondary", minCapacity: 2, maxCapacity: 12 },
                { cloud: "aws", region: "eu-west-1", role: "secondary", minCapacity: 2, maxCapacity: 12 },
            ],
        });
        const variables = (r: MockRun) => (r.one(T.function).inputs.environment as { variables: Record<string, string> }).variables;
        let b: Built;
        before(async () => {
            b = await build({ service: awsPair, readOnlySites: [] });
        });

        it("promotes the first AWS secondary from its own region, by probing the writer database rather than the primary's health check", () => {
            expect(b.r.ofType(T.dataFailover).map((c) => c.name)).to.deep.equal(["checkout-db-failover"]);
            expect(b.r.one(T.function).inputs.region).to.equal("us-west-2");
            expect(variables(b.r)).to.include({ GLOBAL_CLUSTER_ID: "db-aws-us-east-1", WRITER_REGION: "us-east-1", WRITER_ENDPOINT: "db.aws-us-east-1.internal", TARGET_REGION: "us-west-2", ARMED: "true" });
            expect(b.r.ofType(T.alarm).filter((a) => a.inputs.namespace === "AWS/Route53" && a.name.includes("db-failover"))).to.deep.equal([]);
        });

        it("pins traffic away from the primary's site after a promotion: it may invert that site's health check", () => {
            expect(variables(b.r).HOME_HEALTH_CHECK_ID).to.equal("checkout-dns-aws-us-east-1-id");
            const policy = JSON.parse(b.r.ofType(T.rolePolicy).find((p) => p.name.startsWith("checkout-db-failover"))!.inputs.policy as string) as { Statement: { Action: unknown; Resource: unknown }[] };
            expect(policy.Statement).to.deep.include({ Sid: "PinTrafficAwayFromTheOldWriter", Effect: "Allow", Action: ["route53:GetHealthCheck", "route53:UpdateHealthCheck"], Resource: "arn:aws:route53:::healthcheck/checkout-dns-aws-us-east-1-id" });
        });

        it("peers every pair of the global database's AWS sites, each with its own VPC range", () => {
            expect(b.r.ofType("nonstop:network:AwsSitePeering").map((p) => p.name)).to.deep.equal([
                "checkout-peer-aws-us-east-1-aws-us-west-2",
                "checkout-peer-aws-us-east-1-aws-eu-west-1",
                "checkout-peer-aws-us-west-2-aws-eu-west-1",
            ]);
            expect(b.made.map((m) => m.placement.vpcCidr)).to.deep.equal(["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"]);
        });

        it("stays armed during a game day, which moves traffic only (the promotion watches the database, not DNS)", async () => {
            const drilled = await build({ service: awsPair, readOnlySites: [], drillSiteKey: "aws-us-east-1" });
            expect(variables(drilled.r).ARMED).to.equal("true");
        });

        it("leaves the promotion off in dev unless asked for", async () => {
            const off = await build({ service: awsPair, readOnlySites: [], environment: "dev", protectStateful: false });
            expect(variables(off.r).ARMED).to.equal("false");
            const on = await build({ service: awsPair, readOnlySites: [], environment: "dev", protectStateful: false, automateDataFailover: true });
            expect(variables(on.r).ARMED).to.equal("true");
        });

        it("during a failback keeps the primary's site out of DNS and lets the automation switch back home", async () => {
            const f = await build({ service: awsPair, readOnlySites: [], failback: { switchBack: true } });
            const checks = Object.fromEntries(f.r.ofType(T.check).map((c) => [c.name, c.inputs.invertHealthcheck]));
            expect(checks).to.deep.equal({ "checkout-dns-aws-us-east-1": true, "checkout-dns-aws-us-west-2": false, "checkout-dns-aws-eu-west-1": false });
            expect(variables(f.r).SWITCH_BACK).to.equal("true");
        });

        it("builds none for a secondary on another cloud, which change data capture feeds", async () => {
            const other = await build();
            expect(other.r.ofType(T.dataFailover)).to.have.length(0);
        });
    });

    describe("pilot light on AWS", () => {
        let b: Built;
        before(async () => {
            b = await build({
                readOnlySites: [],
                service: service({
                    standby: "pilot-light",
                    sites: [
                        { cloud: "aws", region: "us-east-1", role: "primary", minCapacity: 3, maxCapacity: 12 },
                        { cloud: "aws", region: "us-west-2", role: "secondary", minCapacity: 2, maxCapacity: 12 },
                    ],
                }),
            });
        });

        it("runs the standby at zero, and scales it out to its minCapacity from its own region when the primary is down", () => {
            expect(site(b.made, "aws-us-west-2").args.minCapacity).to.equal(0);
            const scaleOut = b.r.one(T.scaleOut);
            expect(scaleOut.name).to.equal("checkout-scale-out-aws-us-west-2");
            const fn = b.r.ofType(T.function).find((f) => f.name.startsWith("checkout-scale-out"))!;
            expect(fn.inputs.region).to.equal("us-west-2");
            const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
            expect(variables).to.include({ PRIMARY_SITE: "aws-us-east-1", STANDBY_SITE: "aws-us-west-2", PRIMARY_HEALTH_CHECK_ID: "checkout-dns-aws-us-east-1-id", PROBE_PATH: "/healthz" });
            expect(JSON.parse(variables.TARGETS)).to.deep.equal([{ resourceId: "service/checkout-aws-us-west-2-cluster/checkout-aws-us-west-2-service", minCapacity: 2, maxCapacity: 12 }]);
        });

        it("keeps the standby's record routable while it scales: its check probes the load balancer, the primary's the service", () => {
            const checks = Object.fromEntries(b.r.ofType(T.check).map((c) => [c.name, c.inputs.resourcePath]));
            expect(checks).to.deep.equal({ "checkout-dns-aws-us-east-1": "/healthz", "checkout-dns-aws-us-west-2": "/.nonstop/load-balancer" });
        });
    });

    it("fails only the drilled site's Route 53 health check", async () => {
        const b = await build({ drillSiteKey: "aws-us-east-1" });
        const checks = Object.fromEntries(b.r.ofType(T.check).map((c) => [c.name, c.inputs.invertHealthcheck]));
        expect(checks).to.deep.equal({ "checkout-dns-aws-us-east-1": true, "checkout-dns-gcp-us-central1": false });
    });

    it("routes with a Cloud DNS primaryBackup policy when the stack uses Cloud DNS, feeding GCP from Kubernetes by GCP DMS", async () => {
        const b = await build({
            dns: cloudDns,
            service: service({
                sites: [
                    { cloud: "kubernetes", cluster: "prod-eu", loadBalancerIp: "198.51.100.7", role: "primary", minCapacity: 3, maxCapacity: 12 },
                    { cloud: "gcp", region: "europe-west1", role: "secondary", minCapacity: 2, maxCapacity: 12 },
                ],
            }),
            readOnlySites: ["gcp-europe-west1"],
        });
        const policy = b.r.one(T.cloudRecord).inputs.routingPolicy as { primaryBackup: { primary: { externalEndpoints: string[] }; backupGeos: { location: string }[] } };
        expect(policy.primaryBackup.primary.externalEndpoints).to.deep.equal(["198.51.100.7"]);
        expect(policy.primaryBackup.backupGeos.map((g) => g.location)).to.deep.equal(["europe-west1"]);
        expect(b.r.one(T.migrationJob).inputs.type).to.equal("CONTINUOUS");
        // Behind Cloud DNS every site shares one check: the GCP site keeps plain HTTP like the cluster.
        expect(site(b.made, "gcp-europe-west1").placement.domain).to.equal(undefined);
        expect(b.r.ofType(T.record)).to.have.length(0);
    });

    it("refuses a config it cannot build, before creating any site", async () => {
        const { factory, made } = fakeSites();
        let error: unknown;
        try {
            await runUnderMocks(() => {
                new ActivePassiveService("checkout", { service: service(), dns: cloudDns, environment: "prod", protectStateful: true, siteFactory: factory });
            }, { config });
        } catch (e) {
            error = e;
        }
        expect(made).to.have.length(0);
        expect(String(error)).to.match(/gcpProject: is required with Cloud DNS/);
        expect(String(error)).to.match(/service.sites\[0\]: an AWS site cannot sit behind Cloud DNS routing/);
    });
});

describe("standbyMinCapacity", () => {
    const s = { cloud: "aws" as const, region: "us-west-2", role: "secondary" as const, minCapacity: 2, maxCapacity: 4 };
    it("keeps the configured capacity for a warm standby (the default) and none for a pilot light", () => {
        expect([standbyMinCapacity(undefined, s), standbyMinCapacity("warm", s), standbyMinCapacity("pilot-light", s)]).to.deep.equal([2, 2, 0]);
    });
});
