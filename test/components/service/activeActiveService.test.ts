import { expect } from "chai";
import { ActiveActiveService, ActiveActiveServiceArgs } from "../../../components/service/activeActiveService";
import { MockRun, RecordedResource, runUnderMocks } from "../../harness";
import { cloudDns, fakeSites, MadeSite, route53, service } from "./fakeSite";

const T = {
    record: "aws:route53/record:Record",
    check: "aws:route53/healthCheck:HealthCheck",
    cloudRecord: "gcp:dns/recordSet:RecordSet",
    cloudCheck: "gcp:compute/healthCheck:HealthCheck",
    cdc: "nonstop:data:ChangeDataCapture",
    s3Replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    certificate: "aws:acm/certificate:Certificate",
    certificateValidation: "aws:acm/certificateValidation:CertificateValidation",
    listener: "aws:lb/listener:Listener",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
};

const config = { "aws:region": "us-east-1", "gcp:project": "shop-prod-1" };

const twoRegions = service({
    name: "catalog",
    topology: "active-active",
    sites: [
        { cloud: "aws", region: "us-east-1", weight: 70, minCapacity: 3, maxCapacity: 30 },
        { cloud: "aws", region: "us-west-2", weight: 30, minCapacity: 2, maxCapacity: 30 },
    ],
    data: { engine: "postgres", replicationFactor: 3, backup: { schedule: "0 2 * * *", retentionDays: 35, crossRegionCopy: "us-east-2" } },
});

async function build(args: Partial<ActiveActiveServiceArgs> = {}): Promise<{ r: MockRun; made: MadeSite[]; component: ActiveActiveService }> {
    const { factory, made } = fakeSites();
    let component: ActiveActiveService | undefined;
    const r = await runUnderMocks(() => {
        component = new ActiveActiveService("catalog", { service: twoRegions, dns: route53, environment: "prod", protectStateful: true, gcpProject: "shop-prod-1", siteFactory: factory, ...args });
    }, { config });
    return { r, made, component: component! };
}

const site = (made: MadeSite[], key: string) => made.find((m) => m.site.endpoint.key === key)!;

describe("ActiveActiveService", () => {
    let b: Awaited<ReturnType<typeof build>>;
    before(async () => {
        b = await build();
    });

    it("serves from every site at its configured capacity and weight", () => {
        expect(b.made.map((m) => [m.site.endpoint.key, m.args.weight, m.args.minCapacity, m.args.role])).to.deep.equal([
            ["aws-us-east-1", 70, 3, undefined],
            ["aws-us-west-2", 30, 2, undefined],
        ]);
    });

    it("gives each site a weighted record with its weight and its own health check", () => {
        for (const [key, weight] of [
            ["aws-us-east-1", 70],
            ["aws-us-west-2", 30],
        ] as const) {
            const rec = b.r.one(T.record, `catalog-dns-${key}`).inputs;
            expect(rec.weightedRoutingPolicies).to.deep.equal([{ weight }]);
            expect(rec.setIdentifier).to.equal(key);
            expect(rec.healthCheckId).to.equal(`catalog-dns-${key}-id`);
            expect(rec.name).to.equal("catalog.example.com");
            const check = b.r.ofType(T.check).find((c) => c.name === `catalog-dns-${key}`)!;
            expect(check.inputs.fqdn).to.equal(`catalog-${key}-lb.${key.replace("aws-", "")}.example.net`);
        }
    });

    it("keeps the writer database in the first site and a replica of it in the others", () => {
        const writer = site(b.made, "aws-us-east-1");
        const reader = site(b.made, "aws-us-west-2");
        expect(writer.args.data?.replicaOf).to.equal(undefined);
        expect(writer.args.data?.global).to.equal(true);
        expect(reader.args.data?.replicaOf).to.equal(writer.site.database);
        expect(b.component.writer).to.equal(writer.site);
        expect(b.r.ofType(T.cdc)).to.have.length(0);
        expect(b.r.one(T.s3Replication).inputs.bucket).to.equal("catalog-aws-us-east-1-objects");
    });

    it("gives every AWS site the service's name and the Route 53 zone, for a certificate of its own", async () => {
        for (const [key, vpcCidr] of [
            ["aws-us-east-1", "10.0.0.0/16"],
            ["aws-us-west-2", "10.1.0.0/16"],
        ]) {
            // Peered VPCs need disjoint ranges: each AWS site gets its own.
            expect(site(b.made, key).placement, key).to.deep.equal({ gcpProject: "shop-prod-1", domain: "catalog.example.com", zoneName: "example.com", vpcCidr });
        }
        // The zone is handed on without the trailing dot the stack config may write.
        const dotted = await build({ dns: { ...route53, zone: "example.com." } });
        expect(dotted.made.map((m) => m.placement.zoneName)).to.deep.equal(["example.com", "example.com"]);
    });

    it("exports each site's health check by site key", () => {
        expect(Object.keys(b.component.healthCheckIds)).to.deep.equal(["aws-us-east-1", "aws-us-west-2"]);
    });

    it("uses Cloud DNS weighted round robin over each site's own address when the stack uses Cloud DNS", async () => {
        const { r, component } = await build({
            dns: cloudDns,
            service: {
                ...twoRegions,
                sites: [
                    { cloud: "gcp", region: "us-central1", weight: 2, minCapacity: 2, maxCapacity: 10 },
                    { cloud: "kubernetes", cluster: "prod-eu", loadBalancerIp: "198.51.100.7", weight: 1, minCapacity: 2, maxCapacity: 10 },
                ],
            },
            readOnlySites: ["kubernetes-prod-eu"],
        });
        const policy = r.one(T.cloudRecord).inputs.routingPolicy as { healthCheck: string; wrrs: { weight: number; healthCheckedTargets: { externalEndpoints: string[] } }[] };
        expect(policy.wrrs.map((w) => w.weight)).to.deep.equal([2, 1]);
        expect(policy.wrrs[1].healthCheckedTargets.externalEndpoints).to.deep.equal(["198.51.100.7"]);
        expect(policy.healthCheck).to.equal(`${r.one(T.cloudCheck).name}-id`);
        // Cloud DNS health checks report to Cloud Monitoring: no CloudWatch dashboard.
        expect(r.ofType(T.dashboard)).to.deep.equal([]);
        expect(component.dashboardUrl).to.equal(undefined);
    });

    it("refuses active-passive config handed to it", async () => {
        let error: unknown;
        try {
            await build({ service: service() });
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.match(/service.topology: "active-passive" given to the active-active service component/);
    });
});

describe("ActiveActiveService with real AWS sites behind Route 53", () => {
    let r: MockRun;
    before(async () => {
        r = await runUnderMocks(() => {
            new ActiveActiveService("catalog", { service: twoRegions, dns: route53, environment: "prod", protectStateful: true });
        }, { config });
    });
    /** The region of the provider a resource is created with. */
    const regionOf = (res: RecordedResource) => r.byUrn(res.provider!.split("::").slice(0, -1).join("::"))?.inputs.region;
    const validationRecords = () => r.ofType(T.record).filter((rec) => rec.name.endsWith("-cert-validation"));

    it("builds a us-east-1 dashboard of each site's health check and each site's load balancer in its region", () => {
        const dashboard = r.one(T.dashboard);
        expect(regionOf(dashboard)).to.equal("us-east-1");
        expect(dashboard.inputs.dashboardName).to.equal("nonstop-prod-catalog");
        const body = dashboard.inputs.dashboardBody as string;
        for (const region of ["us-east-1", "us-west-2"]) {
            expect(body).to.include(`"HealthCheckId","catalog-dns-aws-${region}-id"`);
            expect(body).to.include(`"LoadBalancer","app/catalog-aws-${region}-alb/0123456789abcdef",{"region":"${region}"`);
        }
    });

    it("gives each AWS site a certificate for the service's name from ACM in its own region", () => {
        const certs = r.ofType(T.certificate);
        expect(certs.map((c) => [c.name, c.inputs.domainName, c.inputs.validationMethod, regionOf(c)])).to.deep.equal([
            ["catalog-aws-us-east-1-cert", "catalog.example.com", "DNS", "us-east-1"],
            ["catalog-aws-us-west-2-cert", "catalog.example.com", "DNS", "us-west-2"],
        ]);
    });

    it("validates both certificates in the service's zone, each site overwriting the CNAME the two share", () => {
        const serviceRecord = r.one(T.record, "catalog-dns-aws-us-east-1");
        const records = validationRecords();
        expect(records).to.have.length(2);
        for (const rec of records) expect(rec.inputs, rec.name).to.include({ zoneId: serviceRecord.inputs.zoneId, allowOverwrite: true });
    });

    it("serves HTTPS at each site with the certificate validated for it", () => {
        for (const region of ["us-east-1", "us-west-2"]) {
            const https = r.one(T.listener, `catalog-aws-${region}-https`);
            const validation = r.one(T.certificateValidation, `catalog-aws-${region}-`);
            expect(https.propertyDependencies.certificateArn, region).to.include(validation.urn);
            expect(regionOf(validation)).to.equal(region);
        }
    });

    it("health-checks each AWS site over HTTPS on 443", () => {
        const checks = r.ofType(T.check);
        expect(checks.map((c) => [c.name, c.inputs.type, c.inputs.port, c.inputs.resourcePath])).to.deep.equal([
            ["catalog-dns-aws-us-east-1", "HTTPS", 443, "/healthz"],
            ["catalog-dns-aws-us-west-2", "HTTPS", 443, "/healthz"],
        ]);
        for (const c of checks) expect(c.inputs.fqdn, c.name).to.match(/-alb-.*\.elb\.amazonaws\.com$/);
    });

    it("promotes the us-west-2 cluster from us-west-2, probing the writer cluster over the peering, and reports to that site's alerts", () => {
        const fn = r.one("aws:lambda/function:Function", "catalog-db-failover");
        const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
        expect(fn.inputs.region).to.equal("us-west-2");
        expect(variables.GLOBAL_CLUSTER_ID).to.equal(r.one("aws:rds/globalCluster:GlobalCluster").inputs.globalClusterIdentifier);
        // The writer cluster's own endpoint (built from the cluster), not the app's health check.
        expect(fn.propertyDependencies.environment).to.include(r.one("aws:rds/cluster:Cluster", "catalog-aws-us-east-1-db").urn);
        expect(variables.HOME_HEALTH_CHECK_ID).to.equal("catalog-dns-aws-us-east-1-id");
        expect((fn.inputs.vpcConfig as { subnetIds: string[] }).subnetIds).to.have.length(3);
        const errors = r.one("aws:cloudwatch/metricAlarm:MetricAlarm", "catalog-db-failover-errors").inputs;
        expect(errors.alarmActions).to.deep.equal([`arn:aws:sns:us-east-1:123456789012:${r.one("aws:sns/topic:Topic", "catalog-aws-us-west-2-alerts").name}`]);
        // It probes over the peering, so it waits for it.
        expect(r.one("nonstop:data:GlobalDatabaseFailover").dependencies).to.include(r.one("aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter").urn);
    });

    it("peers the two sites' VPCs, with disjoint ranges, routes in every private route table and database ingress from the peer", () => {
        const vpcs = r.ofType("aws:ec2/vpc:Vpc").map((v) => [v.name, v.inputs.cidrBlock]);
        expect(vpcs).to.deep.equal([
            ["catalog-aws-us-east-1-vpc", "10.0.0.0/16"],
            ["catalog-aws-us-west-2-vpc", "10.1.0.0/16"],
        ]);
        const connection = r.one("aws:ec2/vpcPeeringConnection:VpcPeeringConnection");
        expect(connection.inputs).to.include({ region: "us-east-1", peerRegion: "us-west-2" });
        expect(r.one("aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter").inputs).to.include({ region: "us-west-2", autoAccept: true });
        const routes = r.ofType("aws:ec2/route:Route").filter((rt) => rt.inputs.vpcPeeringConnectionId !== undefined);
        expect(routes.map((rt) => [rt.inputs.region, rt.inputs.destinationCidrBlock])).to.deep.equal([
            ["us-east-1", "10.1.0.0/16"],
            ["us-east-1", "10.1.0.0/16"],
            ["us-east-1", "10.1.0.0/16"],
            ["us-west-2", "10.0.0.0/16"],
            ["us-west-2", "10.0.0.0/16"],
            ["us-west-2", "10.0.0.0/16"],
        ]);
        const ingress = r.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((i) => i.name.startsWith("catalog-peer-"));
        expect(ingress.map((i) => [i.inputs.region, i.inputs.fromPort, i.inputs.cidrIpv4])).to.deep.equal([
            ["us-east-1", 5432, "10.1.0.0/16"],
            ["us-west-2", 5432, "10.0.0.0/16"],
        ]);
    });

    it("gives every site's app the global writer endpoint for writes and its own reader endpoint for reads", () => {
        const global = r.one("aws:rds/globalCluster:GlobalCluster");
        for (const region of ["us-east-1", "us-west-2"]) {
            const task = r.one("aws:ecs/taskDefinition:TaskDefinition", `catalog-aws-${region}-task`);
            const env = Object.fromEntries((JSON.parse(task.inputs.containerDefinitions as string)[0].environment as { name: string; value: string }[]).map((e) => [e.name, e.value]));
            expect(env.DATABASE_WRITER_HOST, region).to.equal(`${global.inputs.globalClusterIdentifier}.global-abc.global.rds.amazonaws.com`);
            expect(env.DATABASE_HOST, region).to.equal(env.DATABASE_WRITER_HOST);
            expect(env.DATABASE_READER_HOST, region).to.equal(`catalog-aws-${region}-db.cluster-ro-abc.us-east-1.rds.amazonaws.com`);
            expect(task.propertyDependencies.containerDefinitions, region).to.include(global.urn);
        }
    });
});
