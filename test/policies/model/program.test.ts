// The model on real programs run under Pulumi mocks in preview mode (ids and load balancer names
// unknown, as at `pulumi preview`), converted to the graph the pack and the report read.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { estimateServices, judge, ServiceEstimate } from "../../../policies/model";
import { resilienceBudget } from "../../../policies/rules/budget/resilienceBudget";
import { checkRun, MockRun, runUnderMocks, toGraph } from "../../harness";
import { stackConfig } from "../../stacks/stackFiles";

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

function ordersProgram(standbyTasks: number): () => void {
    return () => {
        const east = new Region("east", { region: "us-east-1", tasks: 4 });
        const west = new Region("west", { region: "us-west-2", tasks: standbyTasks, global: east.global });
        for (const [site, role] of [
            [east, "PRIMARY"],
            [west, "SECONDARY"],
        ] as const) {
            const name = role.toLowerCase();
            const check = new aws.route53.HealthCheck(`orders-${name}`, { type: "HTTPS", fqdn: site.lb.dnsName, port: 443, resourcePath: "/health", requestInterval: 10, failureThreshold: 2 });
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
    };
}

describe("the resilience model on programs run under mocks (preview)", () => {
    describe("a program with its own components", () => {
        let warm: MockRun;
        let pilot: MockRun;
        before(async () => {
            warm = await runUnderMocks(ordersProgram(2), { preview: true });
            pilot = await runUnderMocks(ordersProgram(0), { preview: true });
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

        it("estimates RTO 10 s x 2 + 30 s + 60 s + 60 s = 170 s (warm) and 290 s (pilot light), RPO 1 s", () => {
            const [w] = estimateServices(toGraph(warm.resources));
            const [p] = estimateServices(toGraph(pilot.resources));
            expect(w.rtoSeconds).to.equal(170);
            expect(p.standby).to.equal("pilot-light");
            expect(p.rtoSeconds).to.equal(170 + 120);
            expect(w.rpoSeconds).to.equal(1);
            expect(w.availability).to.be.closeTo(1 - (1 - 0.9999 ** 3) ** 2, 1e-12);
        });

        it("the budget policy passes the warm design and fails the pilot light at RTO 200 s, through the analyzer", async () => {
            expect(await checkRun([resilienceBudget], warm, { "resilience-budget": { rtoSeconds: 200 } })).to.deep.equal([]);
            const v = await checkRun([resilienceBudget], pilot, { "resilience-budget": { rtoSeconds: 200 } });
            expect(v.map((x) => x.message)).to.have.length(1);
            expect(v[0].message).to.include("orders.acme.io: RTO 290 s > 200 s target");
            expect(v[0].message).to.include("start capacity in aws-us-west-2 (pilot light) 120 s");
            expect(v[0].urn).to.equal(pilot.one("aws:route53/record:Record", "primary").urn);
        });
    });

    describe("the nonstop stacks (stacks/index.ts)", () => {
        async function stackServices(stack: string): Promise<ServiceEstimate[]> {
            const program = require.resolve("../../../stacks");
            delete require.cache[program];
            const run = await runUnderMocks(() => require(program) as unknown, { stack, config: stackConfig(stack), preview: true });
            return estimateServices(toGraph(run.resources));
        }

        it("prod: checkout fails over AWS -> GCP fed by DMS CDC; catalog is active-active on an Aurora global database; both meet the prod targets", async () => {
            const services = await stackServices("prod");
            const byName = Object.fromEntries(services.map((s) => [s.name, s]));
            expect(Object.keys(byName)).to.have.members(["checkout.example.com", "catalog.example.com"]);
            const checkout = byName["checkout.example.com"];
            expect(checkout.topology).to.equal("active-passive");
            expect(checkout.standby).to.equal("warm");
            expect(checkout.sites.map((s) => [s.key, s.role])).to.deep.equal([
                ["aws-us-east-1", "primary"],
                ["gcp-us-central1", "secondary"],
            ]);
            // Pulumi.prod.yaml: health checks every 10 s, 3 failures.
            expect(checkout.terms.find((t) => t.kind === "detection")?.seconds).to.equal(30);
            expect(checkout.sites[1].dataStores.map((d) => d.replication)).to.deep.equal(["dms-cdc"]);
            expect(checkout.rpoSeconds).to.equal(60);
            const catalog = byName["catalog.example.com"];
            expect(catalog.topology).to.equal("active-active");
            expect(catalog.rpoSeconds).to.equal(1);
            const targets = { rtoSeconds: 300, rpoSeconds: 60, availability: 0.9995 };
            expect(services.map((s) => [s.name, judge(s, targets).verdict])).to.have.deep.members([
                ["checkout.example.com", "pass"],
                ["catalog.example.com", "pass"],
            ]);
        });

        it("dev: a pilot-light standby whose RTO meets the dev target (1800 s) but not prod's (300 s)", async () => {
            const [checkout] = await stackServices("dev");
            expect(checkout.standby).to.equal("pilot-light");
            expect(checkout.terms.some((t) => t.kind === "capacity-start")).to.equal(true);
            expect(judge(checkout, { rtoSeconds: 1800, rpoSeconds: 300, availability: 0.99 }).verdict).to.equal("pass");
            expect(judge(checkout, { rtoSeconds: 300 }).verdict).to.equal("fail");
        });
    });
});
