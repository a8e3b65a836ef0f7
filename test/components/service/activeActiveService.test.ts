import { expect } from "chai";
import { ActiveActiveService, ActiveActiveServiceArgs } from "../../../components/service/activeActiveService";
import { MockRun, runUnderMocks } from "../../harness";
import { cloudDns, fakeSites, MadeSite, route53, service } from "./fakeSite";

const T = {
    record: "aws:route53/record:Record",
    check: "aws:route53/healthCheck:HealthCheck",
    cloudRecord: "gcp:dns/recordSet:RecordSet",
    cloudCheck: "gcp:compute/healthCheck:HealthCheck",
    cdc: "nonstop:data:ChangeDataCapture",
    s3Replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
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

    it("exports each site's health check by site key", () => {
        expect(Object.keys(b.component.healthCheckIds)).to.deep.equal(["aws-us-east-1", "aws-us-west-2"]);
    });

    it("uses Cloud DNS weighted round robin over each site's own address when the stack uses Cloud DNS", async () => {
        const { r } = await build({
            dns: cloudDns,
            service: {
                ...twoRegions,
                sites: [
                    { cloud: "gcp", region: "us-central1", weight: 2, minCapacity: 2, maxCapacity: 10 },
                    { cloud: "kubernetes", cluster: "prod-eu", loadBalancerIp: "198.51.100.7", weight: 1, minCapacity: 2, maxCapacity: 10 },
                ],
            },
        });
        const policy = r.one(T.cloudRecord).inputs.routingPolicy as { healthCheck: string; wrrs: { weight: number; healthCheckedTargets: { externalEndpoints: string[] } }[] };
        expect(policy.wrrs.map((w) => w.weight)).to.deep.equal([2, 1]);
        expect(policy.wrrs[1].healthCheckedTargets.externalEndpoints).to.deep.equal(["198.51.100.7"]);
        expect(policy.healthCheck).to.equal(`${r.one(T.cloudCheck).name}-id`);
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
