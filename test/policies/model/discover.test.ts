// What the model finds in a graph: services without failover DNS (named by their public entry
// point), and the shapes of contracts C1-C7 recognised from resources alone.
import { expect } from "chai";
import { estimateServices, ServiceEstimate } from "../../../policies/model";
import { findDataStores } from "../../../policies/model/stores";
import { Tree } from "../../../policies/model/tree";
import { UNKNOWN } from "../../harness";
import { awsActivePassive, awsSite, Design, gcpSite, route53 } from "./designs";

function services(d: Design): ServiceEstimate[] {
    return estimateServices(d.graph());
}

describe("the model finds services", () => {
    describe("without failover DNS, by their public entry point", () => {
        it("an internet-facing load balancer in front of ECS is a single-site service named after it; an internal one is not", () => {
            const d = new Design();
            awsSite(d, { name: "web", region: "eu-west-1", tasks: 2, db: { kind: "rds", multiAz: false } });
            d.add("aws:lb/loadBalancer:LoadBalancer", "admin-internal", { internal: true, loadBalancerType: "application" });
            const found = services(d);
            expect(found.map((s) => [s.name, s.discoveredBy, s.topology])).to.deep.equal([["load-balancer web-alb", "entry-point", "single-site"]]);
            const [s] = found;
            expect(s.sites[0]).to.include({ key: "aws-eu-west-1", share: 1 });
            expect(s.sites[0].dataStores.map((x) => [x.name, x.zones])).to.deep.equal([["web-db", "single-az"]]);
            // Judged: one region, one zone for its data (the zone row says so), no failover.
            expect(s.whatIf.find((r) => r.domain === "zone:aws/eu-west-1a|b|c")?.writes.why).to.include("web-db is single-zone");
            expect(s.fixes).to.include("load-balancer web-alb runs in one site: add a second site with DNS failover");
        });

        it("a CloudFront distribution in front of a load balancer is one service, named by its alias, whose site is the origin", () => {
            const d = new Design();
            const site = awsSite(d, { name: "shop", region: "us-west-2", tasks: 2 });
            d.add("aws:cloudfront/distribution:Distribution", "shop-cdn", { enabled: true, aliases: ["shop.example.com"], origins: [{ domainName: UNKNOWN, originId: "alb" }] }, { deps: { origins: [site.lb] } });
            const found = services(d);
            expect(found.map((s) => [s.name, s.sites.map((x) => x.key)])).to.deep.equal([["shop.example.com", ["aws-us-west-2"]]]);
            expect(found[0].sites[0].entry?.name).to.equal("shop-alb");
        });

        it("an Ingress, a LoadBalancer Service and a public Cloud Run service are services; Cloud Run behind a load balancer is part of it", () => {
            const d = new Design();
            const k8s = d.provider("kubernetes", "gke", { context: "gke_acme_us-central1_prod" });
            d.add("kubernetes:apps/v1:Deployment", "api", { metadata: { name: "api", namespace: "shop" }, spec: { replicas: 3, template: { spec: { containers: [{ image: "ghcr.io/acme/api:1" }] } } } }, { provider: k8s });
            d.add("kubernetes:networking.k8s.io/v1:Ingress", "api", { metadata: { name: "api", namespace: "shop" }, spec: { rules: [{ host: "api.example.com" }] } }, { provider: k8s });
            const edge = d.provider("kubernetes", "edge", { context: "edge-cluster" });
            d.add("kubernetes:core/v1:Service", "gateway", { metadata: { name: "gateway", namespace: "edge" }, spec: { type: "LoadBalancer" } }, { provider: edge });
            d.add("gcp:cloudrunv2/service:Service", "hooks", { location: "europe-west1", ingress: "INGRESS_TRAFFIC_ALL", template: { containers: [{ image: "europe-docker.pkg.dev/acme/hooks:1" }] } });
            gcpSite(d, { name: "web", region: "us-east4", minInstances: 1 });
            const names = services(d).map((s) => s.name);
            expect(names).to.have.members(["api.example.com", "service edge/gateway", "cloud-run hooks", "forwarding-rule web-https"]);
        });

        it("EC2 compute: an Auto Scaling group over two zones is multi-zone; a lone instance is one zone, and losing its zone loses the service", () => {
            const build = (asg: boolean) => {
                const d = new Design();
                const provider = d.provider("aws", "eu", { region: "eu-west-1" });
                const subnets = ["a", "b"].map((z) => d.add("aws:ec2/subnet:Subnet", `web-${z}`, { availabilityZone: `eu-west-1${z}` }, { provider }));
                d.add("aws:lb/loadBalancer:LoadBalancer", "web", { loadBalancerType: "application", subnets: [UNKNOWN, UNKNOWN] }, { provider, deps: { subnets } });
                if (asg) d.add("aws:autoscaling/group:Group", "web", { minSize: 2, maxSize: 4, vpcZoneIdentifiers: [UNKNOWN, UNKNOWN] }, { provider, deps: { vpcZoneIdentifiers: subnets } });
                else d.add("aws:ec2/instance:Instance", "web", { instanceType: "t3.small", subnetId: UNKNOWN }, { provider, deps: { subnetId: [subnets[0]] } });
                return services(d)[0];
            };
            const group = build(true);
            expect(group.sites[0]).to.include({ computeKind: "ec2", capacity: 2 });
            const zoneOfGroup = group.whatIf.find((r) => r.kind === "zone");
            expect(zoneOfGroup?.reads.outcome).to.equal("recovers");
            const lone = build(false);
            expect(lone.sites[0]).to.include({ computeKind: "ec2", capacity: 1 });
            const zoneOfLone = lone.whatIf.find((r) => r.kind === "zone");
            expect(zoneOfLone?.reads).to.include({ outcome: "until-recovery", share: 0.5 });
            expect(zoneOfLone?.reads.why).to.include("compute runs in one zone: 1 in 2 chance it is the lost one");
        });

        it("never leaves the table empty for a program that serves traffic, and adds nothing for one that does not", () => {
            const d = new Design();
            d.add("aws:rds/instance:Instance", "orders", { engine: "postgres", multiAz: false });
            expect(services(d)).to.deep.equal([]);
        });
    });

    describe("the contract shapes (C1-C7), from resources alone", () => {
        it("C1: each site's database wiring from the env-bearing property's dependencies (task definition, Cloud Run template)", () => {
            const ap = awsActivePassive({ app: "global" });
            const [e] = services(ap.d);
            expect(e.sites.map((s) => [s.key, s.wiring.canWrite, s.wiring.targets.map((t) => `${t.kind}:${t.name}`)])).to.deep.equal([
                ["aws-us-east-1", true, ["global-endpoint:use1-global"]],
                ["aws-us-west-2", true, ["global-endpoint:use1-global"]],
            ]);
            expect(e.sites[0].wiring.from).to.deep.equal(["ECS task definition use1-task.containerDefinitions"]);
        });

        it("C1: a DNS record the failover moves is writer-capable; a carrier secret passes the store through", () => {
            const d = new Design();
            const site = awsSite(d, { name: "app", region: "us-west-2", tasks: 2, db: { kind: "aurora" } });
            const record = d.add("aws:route53/record:Record", "db-writer", { zoneId: "Zinternal", name: "writer.db.internal", type: "CNAME", ttl: 5, records: [UNKNOWN] }, { deps: { records: [site.db as string] } });
            d.link(site.taskDefinition, "containerDefinitions", [record]);
            const [e] = services(d);
            expect(e.sites[0].wiring.targets.map((t) => [t.kind, t.store?.split("::").pop()])).to.deep.equal([["dns-record", "app-db"]]);
            expect(e.sites[0].wiring.canWrite).to.equal(true);

            const viaSecret = new Design();
            const other = awsSite(viaSecret, { name: "app", region: "us-west-2", tasks: 2, db: { kind: "aurora" } });
            const secret = viaSecret.add("aws:secretsmanager/secretVersion:SecretVersion", "db-url", { secretString: UNKNOWN }, { deps: { secretString: [other.db as string] } });
            viaSecret.link(other.taskDefinition, "containerDefinitions", [secret]);
            expect(services(viaSecret)[0].sites[0].wiring.targets.map((t) => t.kind)).to.deep.equal(["writer"]);
        });

        it("C5: a failover alias with evaluateTargetHealth false and its own health check is judged by that check", () => {
            const d = new Design();
            const site = awsSite(d, { name: "a", region: "us-east-1", tasks: 2 });
            const other = awsSite(d, { name: "b", region: "us-west-2", tasks: 2 });
            const { records } = route53(d, "api.example.com", [
                { key: "a", role: "PRIMARY", lb: site.lb, check: { interval: 10, threshold: 3 } },
                { key: "b", role: "SECONDARY", lb: other.lb },
            ]);
            const rec = d.resources.find((r) => r.urn === records[0]) as { props: Record<string, unknown> };
            (rec.props.aliases as Record<string, unknown>[])[0].evaluateTargetHealth = false;
            const [e] = services(d);
            expect(e.sites[0].healthCheck).to.include({ kind: "route53", intervalSeconds: 10, failureThreshold: 3 });
        });

        it("C6: a DMS source endpoint built from the global writer endpoint feeds its target from the global database's writer", () => {
            const ap = awsActivePassive();
            const gcp = gcpSite(ap.d, { name: "usc1", region: "us-central1", minInstances: 1, sql: { availability: "REGIONAL" } });
            const source = ap.d.add("aws:dms/endpoint:Endpoint", "src", { endpointType: "source", serverName: UNKNOWN }, { deps: { serverName: [ap.primary.global as string] } });
            const target = ap.d.add("aws:dms/endpoint:Endpoint", "dst", { endpointType: "target", serverName: UNKNOWN }, { deps: { serverName: [gcp.sql as string] } });
            ap.d.add("aws:dms/replicationTask:ReplicationTask", "cdc", { migrationType: "cdc", sourceEndpointArn: UNKNOWN, targetEndpointArn: UNKNOWN }, { deps: { sourceEndpointArn: [source], targetEndpointArn: [target] } });
            const [e] = services(ap.d);
            expect(e.externalDataStores.map((s) => [s.name, s.replication, s.replicaOf?.split("::").pop()])).to.deep.include(["usc1-sql", "dms-cdc", "use1-db"]);
        });

        it("C7: a CloudNativePG cluster is a data store with replicas = spec.instances, multi-zone with required zone anti-affinity; a replica cluster is a replica", () => {
            const d = new Design();
            const k8s = d.provider("kubernetes", "eks", { context: "arn:aws:eks:eu-west-1:123456789012:cluster/prod" });
            const o = { provider: k8s };
            d.add("kubernetes:apps/v1:Deployment", "api", { metadata: { name: "api", namespace: "shop" }, spec: { replicas: 3 } }, o);
            d.add("kubernetes:core/v1:Service", "api-lb", { metadata: { name: "api", namespace: "shop" }, spec: { type: "LoadBalancer" } }, o);
            d.add(
                "kubernetes:postgresql.cnpg.io/v1:Cluster",
                "db",
                { metadata: { name: "db", namespace: "shop" }, spec: { instances: 3, affinity: { topologyKey: "topology.kubernetes.io/zone", enablePodAntiAffinity: true, podAntiAffinityType: "required" }, backup: { barmanObjectStore: { destinationPath: "s3://backups/db" } } } },
                o,
            );
            const standby = d.add(
                "kubernetes:postgresql.cnpg.io/v1:Cluster",
                "db-standby",
                { metadata: { name: "db", namespace: "shop" }, spec: { instances: 3, replica: { enabled: true, source: "prod" } } },
                { provider: d.provider("kubernetes", "gke", { context: "gke_acme_us-central1_dr" }) },
            );
            const [e] = services(d);
            expect(e.sites[0].dataStores.map((s) => [s.kind, s.instances, s.zones, s.role, s.backups.map((b) => b.kind).join()])).to.deep.equal([["cnpg", 3, "multi-az", "writer", "cnpg"]]);
            const stores = findDataStores(new Tree(d.graph()), []);
            expect(stores.get(standby)).to.include({ kind: "cnpg", role: "replica", replication: "cnpg-replica", region: "gke_acme_us-central1_dr" });
            // The EKS cluster runs in eu-west-1: losing that region loses the site.
            expect(e.whatIf.map((r) => r.domain)).to.include.members(["region:kubernetes/arn:aws:eks:eu-west-1:123456789012:cluster/prod", "region:aws/eu-west-1", "cloud:aws"]);
            expect(e.whatIf.find((r) => r.domain === "region:aws/eu-west-1")?.reads.outcome).to.not.equal("unaffected");
        });
    });
});
