import { expect } from "chai";
import { MockRun } from "../harness";
import { runStackProgram, sharedStackRun, stackConfig } from "./stackFiles";

const T = {
    activePassive: "nonstop:service:ActivePassiveService",
    activeActive: "nonstop:service:ActiveActiveService",
    route53: "nonstop:dns:Route53Failover",
    awsSite: "nonstop:site:AwsSite",
    gcpSite: "nonstop:site:GcpSite",
    cdc: "nonstop:data:ChangeDataCapture",
    objects: "nonstop:data:ObjectReplication",
    record: "aws:route53/record:Record",
    check: "aws:route53/healthCheck:HealthCheck",
    stack: "pulumi:pulumi:Stack",
};

/** Runs stacks/index.ts for the stack's config (a fresh module each time). */
const runStack = runStackProgram;

describe("the stack program (stacks/index.ts)", () => {
    describe("prod", () => {
        let r: MockRun;
        before(async () => {
            r = await sharedStackRun("prod", true);
        });

        it("builds one top-level service component per configured service", () => {
            const top = r.resources.filter((x) => x.type.startsWith("nonstop:service:") && (x.parent ?? "").includes(T.stack));
            expect(top.map((x) => [x.type, x.name])).to.deep.equal([
                [T.activePassive, "checkout"],
                [T.activeActive, "catalog"],
            ]);
        });

        it("puts checkout on AWS us-east-1 with an AWS standby in us-west-2 and a GCP one fed across clouds", () => {
            const checkout = r.one(T.activePassive, "checkout");
            const children = r.children(checkout.urn);
            expect(children.filter((c) => c.type === T.awsSite).map((c) => c.name)).to.deep.equal(["checkout-aws-us-east-1", "checkout-aws-us-west-2"]);
            expect(children.filter((c) => c.type === T.gcpSite).map((c) => c.name)).to.deep.equal(["checkout-gcp-us-central1"]);
            expect(children.filter((c) => [T.route53, T.cdc, T.objects].includes(c.type)).map((c) => c.type)).to.have.members([T.route53, T.cdc, T.objects]);
            expect(r.one("aws:dms/replicationTask:ReplicationTask", "checkout-").inputs.migrationType).to.equal("full-load-and-cdc");
        });

        it("runs catalog in two AWS regions and on GCP behind weighted records, the GCP copy fed across clouds", () => {
            const catalog = r.one(T.activeActive, "catalog");
            const children = r.children(catalog.urn);
            expect(children.filter((c) => c.type === T.awsSite).map((c) => c.name)).to.deep.equal(["catalog-aws-us-east-1", "catalog-aws-us-west-2"]);
            expect(children.filter((c) => c.type === T.gcpSite).map((c) => c.name)).to.deep.equal(["catalog-gcp-us-east4"]);
            const weighted = r.ofType(T.record).filter((x) => x.name.startsWith("catalog-dns-") && x.inputs.weightedRoutingPolicies !== undefined);
            expect(weighted.map((x) => [x.name, x.inputs.weightedRoutingPolicies]).sort()).to.deep.equal([
                ["catalog-dns-aws-us-east-1", [{ weight: 50 }]],
                ["catalog-dns-aws-us-west-2", [{ weight: 30 }]],
                ["catalog-dns-gcp-us-east4", [{ weight: 20 }]],
            ]);
            expect(r.one("aws:dms/replicationTask:ReplicationTask", "catalog-").inputs.migrationType).to.equal("full-load-and-cdc");
        });

        it("health-checks every site of every service", () => {
            expect(r.ofType(T.check).map((c) => c.name).sort()).to.deep.equal([
                "catalog-dns-aws-us-east-1",
                "catalog-dns-aws-us-west-2",
                "catalog-dns-gcp-us-east4",
                "checkout-dns-aws-us-east-1",
                "checkout-dns-aws-us-west-2",
                "checkout-dns-gcp-us-central1",
            ]);
        });

        it("builds the services in turn: every resource of checkout registers before catalog's first, so the run never holds both services' pending registrations", () => {
            const owner = (urn: string) => (urn.includes("::checkout") ? "checkout" : urn.includes("::catalog") ? "catalog" : undefined);
            const order = r.resources.map((x) => owner(x.urn)).filter((o) => o !== undefined);
            expect(order.lastIndexOf("checkout")).to.be.lessThan(order.indexOf("catalog"));
            expect(order.filter((o) => o === "catalog").length).to.be.greaterThan(100);
        });

        it("exports per service the name clients use and each site's health check and replication", async () => {
            const up = await sharedStackRun("prod", false);
            const services = up.outputs.services as Record<string, { topology: string; fqdn: string; release: string; dashboardUrl: string; sites: Record<string, { replication: unknown; role?: string }> }>;
            expect(Object.keys(services)).to.deep.equal(["checkout", "catalog"]);
            expect(services.checkout.fqdn).to.equal("checkout.example.com");
            expect(services.checkout.release).to.equal("canary");
            expect(services.checkout.sites["gcp-us-central1"].role).to.equal("secondary");
            expect(services.checkout.sites["gcp-us-central1"].replication).to.deep.equal({ database: "aws-dms", objects: "storage-transfer", writes: "read-only" });
            expect(services.checkout.sites["aws-us-east-1"].replication).to.equal("writer");
            expect(services.checkout.sites["aws-us-west-2"].replication).to.deep.include({ database: "aurora-global-database", writes: "global-writer-endpoint" });
            expect(services.checkout.sites["gcp-us-central1"]).to.deep.include({ healthCheckId: "checkout-dns-gcp-us-central1-id" });
            expect(Object.values(services).map((s) => s.dashboardUrl)).to.deep.equal([
                "https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=nonstop-prod-checkout",
                "https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=nonstop-prod-catalog",
            ]);
            expect(up.outputs.environment).to.equal("prod");
        });
    });

    it("builds the dev stack: one AWS active-passive service with a pilot-light standby", async () => {
        const r = await sharedStackRun("dev", true);
        const checkout = r.one(T.activePassive, "checkout");
        const sites = r.children(checkout.urn).filter((c) => c.type === T.awsSite);
        expect(sites.map((s) => s.name)).to.deep.equal(["checkout-aws-us-east-1", "checkout-aws-us-west-2"]);
        expect(r.ofType(T.gcpSite)).to.have.length(0);
        expect(r.ofType(T.cdc)).to.have.length(0);
    });

    it("fails the drilled site's health check when nonstop:drill names it", async () => {
        const r = await runStack("prod", { ...stackConfig("prod"), "nonstop:drill": { service: "checkout", failSite: "aws-us-east-1" } }, false);
        const inverted = r.ofType(T.check).filter((c) => c.inputs.invertHealthcheck === true).map((c) => c.name);
        expect(inverted).to.deep.equal(["checkout-dns-aws-us-east-1"]);
        expect(r.outputs.drill).to.deep.equal({ service: "checkout", failSite: "aws-us-east-1" });
    });

    it("stops with every config error before creating anything", async () => {
        let error: unknown;
        try {
            await runStack("prod", { ...stackConfig("prod"), "nonstop:drill": { service: "checkout", failSite: "aws-eu-west-1" } });
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.match(/Pulumi\.prod\.yaml: nonstop:drill\.failSite: "aws-eu-west-1" is not a site of service checkout/);
    });
});
