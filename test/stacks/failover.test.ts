// Issue 12 on the real stack program (stacks/index.ts with the real site components): where each
// app writes, what runs where when a region or a database is lost, and what brings traffic back.
// Three program runs, shared by every `it`: prod, dev during a failback, and a Kubernetes shop.
import { expect } from "chai";
import { MockRun, RecordedResource } from "../harness";
import { runStackProgram, sharedStackRun, stackConfig } from "./stackFiles";

// Update mode: the outputs providers compute (endpoints, ARNs) are known, as after `pulumi up`.
const runStack = (stack: string, config: Record<string, unknown>) => runStackProgram(stack, config, false);

type Env = Record<string, string>;
const ecsEnv = (task: RecordedResource): Env =>
    Object.fromEntries((JSON.parse(task.inputs.containerDefinitions as string)[0].environment as { name: string; value: string }[]).map((e) => [e.name, e.value]));
const cloudRunEnv = (service: RecordedResource): Env =>
    Object.fromEntries(((service.inputs.template as { containers: { envs: { name: string; value?: string }[] }[] }).containers[0].envs ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value as string]));
const variables = (fn: RecordedResource): Env => (fn.inputs.environment as { variables: Env }).variables;
const policyOf = (r: MockRun, name: string) =>
    (JSON.parse(r.ofType("aws:iam/rolePolicy:RolePolicy").find((p) => p.name === `${name}-actions`)!.inputs.policy as string) as { Statement: { Sid: string; Action: string | string[]; Resource: unknown }[] }).Statement;

describe("failover in a real outage (issue 12), on the stack program", () => {
    let prod: MockRun;
    let dev: MockRun;
    let k8s: MockRun;
    before(async () => {
        prod = await sharedStackRun("prod", false);
        // dev after a data failover of checkout: the failback is pending.
        dev = await runStack("dev", { ...stackConfig("dev"), "nonstop:failback": { service: "checkout" } });
        k8s = await runStack("shop", {
            "nonstop:environment": "prod",
            "nonstop:dns": { provider: "route53", zone: "example.com", ttlSeconds: 30, healthCheck: { intervalSeconds: 10, failureThreshold: 3, path: "/healthz" } },
            "nonstop:targets": { rtoSeconds: 300, rpoSeconds: 60, availability: 0.9995 },
            "nonstop:services": [
                {
                    name: "shop",
                    image: "registry.example.com/shop:2.0.0",
                    port: 8080,
                    healthCheckPath: "/healthz",
                    topology: "active-passive",
                    sites: [
                        { cloud: "kubernetes", cluster: "gke-eu", loadBalancerIp: "198.51.100.7", role: "primary", minCapacity: 3, maxCapacity: 12 },
                        { cloud: "kubernetes", cluster: "gke-us", loadBalancerIp: "198.51.100.8", role: "secondary", minCapacity: 2, maxCapacity: 12 },
                    ],
                    data: { engine: "postgres", replicationFactor: 3, backup: { schedule: "0 */6 * * *", retentionDays: 14 } },
                },
            ],
            "nonstop:cnpg": {
                install: true,
                sites: {
                    shop: {
                        "kubernetes-gke-eu": { externalHost: "pg.gke-eu.example.com", backup: { destinationPath: "gs://shop-pg/eu" } },
                        "kubernetes-gke-us": { externalHost: "pg.gke-us.example.com", backup: { destinationPath: "gs://shop-pg/us" } },
                    },
                },
            },
        });
    });

    describe("every site's app gets a writer and a reader endpoint, and no writer is a replica or a CDC copy", () => {
        it("every AWS site of catalog and checkout writes through its service's Aurora global writer endpoint and reads its own cluster", () => {
            for (const service of ["catalog", "checkout"]) {
                const global = prod.one("aws:rds/globalCluster:GlobalCluster", `${service}-aws-us-east-1-global`);
                for (const region of ["us-east-1", "us-west-2"]) {
                    const [task] = prod.ofType("aws:ecs/taskDefinition:TaskDefinition").filter((t) => t.name.startsWith(`${service}-aws-${region}-task`));
                    const env = ecsEnv(task);
                    expect(env.DATABASE_WRITER_HOST, `${service} ${region}`).to.equal(`${global.inputs.globalClusterIdentifier}.global-abc.global.rds.amazonaws.com`);
                    expect(env.DATABASE_HOST, `${service} ${region}`).to.equal(env.DATABASE_WRITER_HOST);
                    expect(env.DATABASE_READER_HOST, `${service} ${region}`).to.equal(`${service}-aws-${region}-db.cluster-ro-abc.us-east-1.rds.amazonaws.com`);
                    expect(task.propertyDependencies.containerDefinitions, `${service} ${region}`).to.include(global.urn);
                }
            }
        });

        it("the GCP sites, whose databases are DMS copies, get no writer: they read their copy and send writes to a failover name over the AWS sites", () => {
            const dmsTargets = prod.ofType("aws:dms/endpoint:Endpoint").filter((e) => e.inputs.endpointType === "target").map((e) => e.inputs.serverName);
            for (const site of ["checkout-gcp-us-central1", "catalog-gcp-us-east4"]) {
                const services = prod.ofType("gcp:cloudrunv2/service:Service").filter((s) => s.name.startsWith(`${site}-run`));
                expect(services.length, site).to.be.greaterThan(0);
                for (const service of services) {
                    const env = cloudRunEnv(service);
                    expect(env, service.name).to.include({ DATABASE_WRITER_HOST: "", DATABASE_HOST: "", DATABASE_READ_ONLY: "true", WRITES_SERVER_NAME: `${site.split("-")[0]}.example.com` });
                    expect(env.DATABASE_READER_HOST, service.name).to.match(/^\/cloudsql\//);
                    expect(env.WRITES_URL, service.name).to.equal(`https://writes.${site.split("-")[0]}.example.com`);
                    expect(dmsTargets, service.name).to.not.include(env.DATABASE_WRITER_HOST);
                }
                // Their load balancer sends the writes to the writer's site.
                const urlMap = prod.one("gcp:compute/uRLMap:URLMap", `${site}-urlmap`);
                const rules = (urlMap.inputs.pathMatchers as { routeRules: { matchRules: { headerMatches?: { headerName: string; exactMatch: string }[] }[]; service: string }[] }[])[0].routeRules;
                const writes = rules.find((rule) => rule.matchRules.some((m) => m.headerMatches?.[0]?.headerName === ":method"))!;
                expect(writes.matchRules.map((m) => m.headerMatches![0].exactMatch)).to.deep.equal(["POST", "PUT", "PATCH", "DELETE"]);
                const endpoint = prod.one("gcp:compute/globalNetworkEndpoint:GlobalNetworkEndpoint", `${site}-writes`);
                expect(endpoint.inputs.fqdn).to.equal(`writes.${site.split("-")[0]}.example.com`);
                // writes.<service>: PRIMARY the writer's site, SECONDARY the site the promotion moves the writer to,
                // each judged by that site's own health check (pinned out after a promotion, drilled in a drill).
                const service = site.split("-")[0];
                const records = ["us-east-1", "us-west-2"].map((r) => prod.one("aws:route53/record:Record", `${service}-dns-writes-aws-${r}`));
                expect(records.map((r) => [r.inputs.name, (r.inputs.failoverRoutingPolicies as { type: string }[])[0].type, r.inputs.healthCheckId])).to.deep.equal([
                    [`writes.${service}.example.com`, "PRIMARY", `${service}-dns-aws-us-east-1-id`],
                    [`writes.${service}.example.com`, "SECONDARY", `${service}-dns-aws-us-west-2-id`],
                ]);
                for (const r of records) expect(endpoint.propertyDependencies.fqdn, r.name).to.include(r.urn);
            }
        });

        it("the Kubernetes standby's replica cluster writes to the upstream primary at its external host", () => {
            const [standby, primary] = ["shop-kubernetes-gke-us-deployment", "shop-kubernetes-gke-eu-deployment"].map((n) => k8s.one("kubernetes:apps/v1:Deployment", n));
            const env = (d: RecordedResource) => Object.fromEntries(((d.inputs.spec as { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } }).template.spec.containers[0].env).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
            expect(env(primary)).to.include({ DATABASE_WRITER_HOST: "shop-db-gke-eu-rw.shop.svc.cluster.local", DATABASE_READER_HOST: "shop-db-gke-eu-ro.shop.svc.cluster.local" });
            expect(env(standby)).to.include({ DATABASE_WRITER_HOST: "pg.gke-eu.example.com", DATABASE_READER_HOST: "shop-db-gke-us-ro.shop.svc.cluster.local" });
        });
    });

    describe("a pilot light takes traffic (dev)", () => {
        it("scales the standby out from its own region when the primary is down", () => {
            const fn = dev.ofType("aws:lambda/function:Function").find((f) => f.name === "checkout-scale-out-aws-us-west-2")!;
            expect(fn.inputs.region).to.equal("us-west-2");
            const targets = JSON.parse(variables(fn).TARGETS) as { resourceId: string; minCapacity: number }[];
            // dev releases blue-green: both colours' services are raised to the site's minCapacity.
            expect(targets.map((t) => t.minCapacity)).to.deep.equal([1, 1]);
            expect(policyOf(dev, "checkout-scale-out-aws-us-west-2").find((s) => s.Sid === "StartTasks")!.Resource).to.deep.equal(
                ["blue", "green"].map((colour) => `arn:aws:ecs:us-east-1:123456789012:${dev.one("aws:ecs/service:Service", `checkout-aws-us-west-2-service-${colour}`).name}`),
            );
            for (const colour of ["blue", "green"]) expect(dev.one("aws:ecs/service:Service", `checkout-aws-us-west-2-service-${colour}`).inputs.desiredCount, colour).to.equal(0);
        });

        it("keeps the standby's record routable while it scales: its check asks the load balancer, which answers by itself", () => {
            const check = dev.one("aws:route53/healthCheck:HealthCheck", "checkout-dns-aws-us-west-2");
            expect(check.inputs.resourcePath).to.equal("/.nonstop/load-balancer");
            const rule = dev.one("aws:lb/listenerRule:ListenerRule", "checkout-aws-us-west-2-lb-probe").inputs as { conditions: { pathPattern: { values: string[] } }[]; actions: { type: string; fixedResponse: { statusCode: string } }[] };
            expect(rule.conditions[0].pathPattern.values).to.deep.equal(["/.nonstop/load-balancer"]);
            expect([rule.actions[0].type, rule.actions[0].fixedResponse.statusCode]).to.deep.equal(["fixed-response", "200"]);
        });
    });

    describe("the recovery runs outside the failed region and watches the database", () => {
        it("each service's promotion runs in us-west-2, probes the us-east-1 writer cluster, and allows data loss only through the writer region's silence", () => {
            expect(prod.ofType("aws:lambda/function:Function").map((f) => [f.name, f.inputs.region])).to.have.deep.members([
                ["catalog-db-failover", "us-west-2"],
                ["checkout-db-failover", "us-west-2"],
            ]);
            const fn = prod.one("aws:lambda/function:Function", "catalog-db-failover");
            expect(fn.inputs.region).to.equal("us-west-2");
            expect(variables(fn)).to.include({ WRITER_REGION: "us-east-1", WRITER_ENDPOINT: "catalog-aws-us-east-1-db.cluster-abc.us-east-1.rds.amazonaws.com", ENGINE: "postgres", ARMED: "true" });
            expect(fn.propertyDependencies.environment).to.include(prod.one("aws:rds/cluster:Cluster", "catalog-aws-us-east-1-db").urn);
            expect(prod.one("aws:cloudwatch/eventRule:EventRule", "catalog-db-failover").inputs).to.include({ region: "us-west-2", scheduleExpression: "rate(1 minute)" });
            // Nothing about it lives in us-east-1 or listens to the app's health check.
            const parts = prod.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.startsWith("catalog-db-failover"));
            expect(parts.map((a) => [a.inputs.region, a.inputs.namespace]).sort()).to.deep.equal([
                ["us-west-2", "AWS/Lambda"],
                ["us-west-2", "nonstop/GlobalDatabase"],
            ]);
            expect(policyOf(prod, "catalog-db-failover").find((s) => s.Sid === "PromoteTheTarget")!.Action).to.deep.equal(["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"]);
        });

        it("DMS follows the writer (the global writer endpoint) and alarms on its task's state and its CDC latency", () => {
            const source = prod.one("aws:dms/endpoint:Endpoint", "catalog-cdc-gcp-us-east4-source");
            expect(source.inputs.serverName).to.equal(`${prod.one("aws:rds/globalCluster:GlobalCluster", "catalog-aws-us-east-1-global").inputs.globalClusterIdentifier}.global-abc.global.rds.amazonaws.com`);
            const state = prod.one("aws:cloudwatch/eventRule:EventRule", "catalog-cdc-gcp-us-east4-dms-state");
            expect(JSON.parse(state.inputs.eventPattern as string)["detail-type"]).to.deep.equal(["DMS Replication Task State Change"]);
            expect(prod.one("aws:cloudwatch/eventTarget:EventTarget", "catalog-cdc-gcp-us-east4-dms-state").inputs.arn).to.match(/catalog-aws-us-east-1-alerts$/);
            const latency = prod.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.startsWith("catalog-cdc-gcp-us-east4-dms-latency"));
            expect(latency.map((a) => a.inputs.metricName)).to.deep.equal(["CDCLatencySource", "CDCLatencyTarget"]);
            // The promotion reports the task that followed the old writer.
            expect(JSON.parse(variables(prod.one("aws:lambda/function:Function", "catalog-db-failover")).REPLICATION_TASK_ARNS)).to.have.length(1);
        });

        it("the DMS path to GCP: Cloud SQL admits only the AWS site's NAT addresses, over TLS", () => {
            const copy = prod.ofType("gcp:sql/databaseInstance:DatabaseInstance").find((i) => i.name === "catalog-gcp-us-east4-db")!;
            const ip = (copy.inputs.settings as { ipConfiguration: { authorizedNetworks: { value: string }[]; sslMode: string } }).ipConfiguration;
            const eips = prod.ofType("aws:ec2/eip:Eip").filter((n) => n.name.startsWith("catalog-aws-us-east-1-nat"));
            expect(eips.length).to.be.greaterThan(1);
            expect(ip.authorizedNetworks.map((n) => n.value).sort()).to.deep.equal(eips.map((n) => `198.51.100.${(n.name.length * 7) % 250}/32`).sort());
            // Recognisable from resources: the authorized networks come from the NAT gateways' Elastic IPs.
            for (const eip of eips) expect(copy.propertyDependencies.settings).to.include(eip.urn);
            expect(ip.sslMode).to.equal("ENCRYPTED_ONLY");
            expect(prod.one("aws:dms/endpoint:Endpoint", "catalog-cdc-gcp-us-east4-target").inputs).to.include({ serverName: "203.0.113.20", sslMode: "require" });
        });
    });

    describe("no automatic failback onto stale data", () => {
        it("the promotion may invert the old writer's health check (the pin)", () => {
            expect(variables(prod.one("aws:lambda/function:Function", "catalog-db-failover")).HOME_HEALTH_CHECK_ID).to.equal("catalog-dns-aws-us-east-1-id");
            expect(policyOf(prod, "catalog-db-failover").find((s) => s.Sid === "PinTrafficAwayFromTheOldWriter")!.Action).to.deep.equal(["route53:GetHealthCheck", "route53:UpdateHealthCheck"]);
        });

        it("while nonstop:failback is set, the program holds the old primary out of DNS too", () => {
            const checks = Object.fromEntries(dev.ofType("aws:route53/healthCheck:HealthCheck").map((c) => [c.name, c.inputs.invertHealthcheck]));
            expect(checks).to.deep.equal({ "checkout-dns-aws-us-east-1": true, "checkout-dns-aws-us-west-2": false });
            expect(dev.outputs.failback).to.deep.equal({ service: "checkout", switchBack: false });
        });
    });

    describe("site health follows the stable track", () => {
        it("checkout's alias records are judged by their own HTTPS check, which the ALB sends to the live colour only (dev, blue-green)", () => {
            const record = dev.one("aws:route53/record:Record", "checkout-dns-aws-us-east-1").inputs;
            expect((record.aliases as { evaluateTargetHealth: boolean }[])[0].evaluateTargetHealth).to.equal(false);
            expect(record.healthCheckId).to.equal("checkout-dns-aws-us-east-1-id");
            const rule = dev.one("aws:lb/listenerRule:ListenerRule", "checkout-aws-us-east-1-health-stable");
            expect((rule.inputs.conditions as { pathPattern: { values: string[] } }[])[0].pathPattern.values).to.deep.equal(["/healthz"]);
            expect(rule.propertyDependencies.actions).to.deep.equal([dev.one("aws:lb/targetGroup:TargetGroup", "checkout-aws-us-east-1-tg-blue").urn]);
        });

        it("checkout's canary in prod never answers the health checks", () => {
            const rule = prod.one("aws:lb/listenerRule:ListenerRule", "checkout-aws-us-east-1-health-stable");
            expect(rule.propertyDependencies.actions).to.deep.equal([prod.one("aws:lb/targetGroup:TargetGroup", "checkout-aws-us-east-1-tg-stable").urn]);
        });

        it("catalog's canary never answers the health checks, on AWS or on GCP", () => {
            const rule = prod.one("aws:lb/listenerRule:ListenerRule", "catalog-aws-us-west-2-health-stable");
            expect(rule.propertyDependencies.actions).to.deep.equal([prod.one("aws:lb/targetGroup:TargetGroup", "catalog-aws-us-west-2-tg-stable").urn]);
            const urlMap = prod.one("gcp:compute/uRLMap:URLMap", "catalog-gcp-us-east4-urlmap");
            const health = (urlMap.inputs.pathMatchers as { routeRules: { matchRules: { fullPathMatch?: string }[]; service: string }[] }[])[0].routeRules[0];
            expect(health.matchRules).to.deep.equal([{ fullPathMatch: "/healthz" }]);
            expect(urlMap.propertyDependencies.pathMatchers).to.include(prod.one("gcp:compute/backendService:BackendService", "catalog-gcp-us-east4-backend-stable").urn);
        });
    });

    describe("Kubernetes data on CloudNativePG", () => {
        it("runs a Cluster with instances = replication factor in each cluster, after the operator it installs", () => {
            const clusters = k8s.ofType("kubernetes:postgresql.cnpg.io/v1:Cluster");
            expect(clusters.map((c) => [c.name, (c.inputs.spec as { instances: number }).instances])).to.deep.equal([
                ["shop-kubernetes-gke-eu-db", 3],
                ["shop-kubernetes-gke-us-db", 3],
            ]);
            expect(k8s.ofType("kubernetes:helm.sh/v3:Release").map((r) => [r.name, r.inputs.chart])).to.deep.equal([
                ["cnpg-gke-eu", "cloudnative-pg"],
                ["cnpg-gke-us", "cloudnative-pg"],
            ]);
            expect(clusters[0].dependencies).to.include(k8s.one("kubernetes:helm.sh/v3:Release", "cnpg-gke-eu").urn);
            expect((clusters[1].inputs.spec as { replica: unknown }).replica).to.deep.equal({ enabled: true, source: "upstream" });
        });
    });
});
