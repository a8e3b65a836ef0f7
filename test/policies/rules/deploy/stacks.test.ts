// nonstop's own stacks against the deploy-time rules, as `pulumi preview` would plan them: prod and
// dev end with no deploy-time finding, and each fix is there: short ALB names and target group
// prefixes, the Elastic IP quota declared, the DMS service roles and logical replication on every
// CDC source, DMS admitted by the Cloud SQL targets from its NAT addresses, the GCP APIs enabled
// and waited for, one supported Lambda runtime.
import { expect } from "chai";
import { deployRules } from "../../../../policies/rules/deploy";
import { nameProblems, nameRuleFor } from "../../../../policies/rules/deploy/resourceNameLimits";
import { checkRun, MockRun, RecordedResource, Violation } from "../../../harness";
import { sharedStackRun } from "../../../stacks/stackFiles";

/** Judge every rule as of the day these expectations were written: dates move, the stacks must not have to. */
const asOf = "2026-12-04";
const config = Object.fromEntries(deployRules.map((r) => [r.name, "asOf" in r.thresholds ? { asOf } : {}]));

describe("nonstop's stacks under the deploy-time rules", function () {
    let prod: MockRun;
    let dev: MockRun;
    let prodFindings: Violation[];
    let devFindings: Violation[];
    before(async () => {
        // The same plans test/stacks/program.test.ts asserts on (run once per test run).
        prod = await sharedStackRun("prod", true);
        dev = await sharedStackRun("dev", true);
        [prodFindings, devFindings] = await Promise.all([checkRun(deployRules, prod, config), checkRun(deployRules, dev, config)]);
    });

    it("dev has no deploy-time finding", () => {
        expect(devFindings.map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
    });

    it("prod has no deploy-time finding either", () => {
        expect(prodFindings.map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
    });

    it("admits DMS to each Cloud SQL target from the NAT addresses of every zone of its replication instance", () => {
        const eips = prod.ofType("aws:ec2/eip:Eip");
        for (const cdc of prod.ofType("aws:dms/replicationTask:ReplicationTask")) {
            const target = prod.resources.find((r) => r.type === "aws:dms/endpoint:Endpoint" && r.parent === cdc.parent && r.inputs.endpointType === "target")!;
            const sql = prod.resources.find((r) => r.type === "gcp:sql/databaseInstance:DatabaseInstance" && target.propertyDependencies.serverName?.includes(r.urn));
            expect(sql, `${cdc.name}: target endpoint built from a Cloud SQL instance`).to.not.equal(undefined);
            const admitted = eips.filter((e) => sql!.propertyDependencies.settings?.includes(e.urn));
            // The writer site's NAT gateways: one per zone of the DMS subnets (3 in prod).
            expect(admitted.map((e) => e.name), sql!.name).to.have.length(3);
        }
    });

    it("names every ALB explicitly within 32 characters, and gives target groups a 6-character prefix", () => {
        for (const run of [prod, dev]) {
            for (const alb of run.ofType("aws:lb/loadBalancer:LoadBalancer")) {
                const name = alb.inputs.name as string;
                expect(nameProblems(name, nameRuleFor(alb.type)!), `${alb.name}: ${name}`).to.deep.equal([]);
            }
            for (const tg of run.ofType("aws:lb/targetGroup:TargetGroup")) {
                expect(tg.inputs.name).to.equal(undefined);
                expect(tg.inputs.namePrefix as string).to.match(/^[a-z0-9]{1,5}-$/);
            }
        }
        expect(prod.one("aws:lb/loadBalancer:LoadBalancer", "checkout-aws-us-east-1").inputs.name).to.equal("nonstop-prod-checkout");
        expect(prod.ofType("aws:lb/targetGroup:TargetGroup").map((t) => t.inputs.namePrefix).sort()).to.deep.equal(["catac-", "catac-", "catas-", "catas-", "checc-", "checc-", "checs-", "checs-"]);
    });

    it("declares the Elastic IP quotas prod needs in us-east-1 and us-west-2 and files them before the services", () => {
        const quotas = prod.ofType("aws:servicequotas/serviceQuota:ServiceQuota");
        expect(quotas.map((q) => q.inputs)).to.deep.equal(
            ["us-east-1", "us-west-2"].map((region) => ({ serviceCode: "ec2", quotaCode: "L-0263D0A3", region, value: 10 })),
        );
        const services = prod.resources.filter((r) => r.type.startsWith("nonstop:service:"));
        for (const s of services) expect(s.dependencies, s.name).to.include.members(quotas.map((q) => q.urn));
        expect(dev.ofType("aws:servicequotas/serviceQuota:ServiceQuota")).to.have.length(0);
    });

    it("creates the account's DMS service roles once, kept on delete, and every DMS pipeline waits for them", () => {
        const roles = prod.ofType("aws:iam/role:Role").filter((r) => ["dms-vpc-role", "dms-cloudwatch-logs-role"].includes(r.inputs.name as string));
        expect(roles.map((r) => r.inputs.name).sort()).to.deep.equal(["dms-cloudwatch-logs-role", "dms-vpc-role"]);
        for (const r of roles) expect(r.retainOnDelete, r.name).to.equal(true);
        const cdcs = prod.ofType("nonstop:data:ChangeDataCapture");
        expect(cdcs).to.have.length(2);
        for (const c of cdcs) for (const r of roles) expect(c.dependencies, c.name).to.include(r.urn);
        expect(dev.ofType("aws:iam/role:Role").filter((r) => r.inputs.name === "dms-vpc-role")).to.have.length(0);
    });

    it("turns logical replication on in every Aurora cluster that feeds (or may, once promoted, feed) change data capture", () => {
        const groups = prod.ofType("aws:rds/clusterParameterGroup:ClusterParameterGroup");
        expect(groups.map((g) => g.name).sort()).to.deep.equal(["catalog-aws-us-east-1-db", "catalog-aws-us-west-2-db", "checkout-aws-us-east-1-db", "checkout-aws-us-west-2-db"]);
        for (const g of groups) {
            expect(g.inputs.family).to.equal("aurora-postgresql16");
            expect(g.inputs.parameters).to.deep.equal([{ name: "rds.logical_replication", value: "1", applyMethod: "pending-reboot" }]);
            const cluster = prod.one("aws:rds/cluster:Cluster", g.name);
            expect(cluster.propertyDependencies.dbClusterParameterGroupName).to.deep.equal([g.urn]);
        }
        // dev replicates within AWS only: no change data capture, no parameter group.
        expect(dev.ofType("aws:rds/clusterParameterGroup:ClusterParameterGroup")).to.have.length(0);
    });

    it("enables every GCP API the GCP sites call, kept on at destroy, and every other GCP resource waits for them", () => {
        const apis = prod.ofType("gcp:projects/service:Service");
        expect([...new Set(apis.map((a) => a.inputs.service))].sort()).to.deep.equal([
            "certificatemanager.googleapis.com",
            "cloudresourcemanager.googleapis.com",
            "compute.googleapis.com",
            "iam.googleapis.com",
            "monitoring.googleapis.com",
            "run.googleapis.com",
            "secretmanager.googleapis.com",
            "sqladmin.googleapis.com",
            "storage.googleapis.com",
            "storagetransfer.googleapis.com",
        ]);
        for (const a of apis) expect(a.inputs, a.name).to.deep.include({ project: "acme-nonstop-prod", disableOnDestroy: false });
        const run: RecordedResource = prod.one("gcp:cloudrunv2/service:Service", "checkout-gcp-us-central1-run-stable");
        const runApi = apis.find((a) => a.name === "checkout-gcp-us-central1-api-run")!;
        expect(run.dependencies).to.include(runApi.urn);
    });

    it("runs every Lambda (promotion, pilot-light scale-out) on one supported runtime", () => {
        for (const fn of [...prod.ofType("aws:lambda/function:Function"), ...dev.ofType("aws:lambda/function:Function")]) expect(fn.inputs.runtime).to.equal("nodejs24.x");
    });
});
