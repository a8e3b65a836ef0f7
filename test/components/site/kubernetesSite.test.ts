import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
    cpuMillis,
    ingressSplit,
    KubernetesSite,
    KubernetesSiteArgs,
    kubernetesSiteWarnings,
    resolveKubernetesSiteDefaults,
    validateKubernetesSiteArgs,
} from "../../../components/site/kubernetesSite";
import { kubernetesAlertRules } from "../../../components/site/kubernetes/monitoring";
import { SiteDatabase, TrafficTrack } from "../../../components/site/site";
import { MockRun, RecordedResource, runUnderMocks } from "../../harness";

const T = {
    provider: "pulumi:providers:kubernetes",
    namespace: "kubernetes:core/v1:Namespace",
    deployment: "kubernetes:apps/v1:Deployment",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    service: "kubernetes:core/v1:Service",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    cluster: "kubernetes:postgresql.cnpg.io/v1:Cluster",
    scheduledBackup: "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup",
    secret: "kubernetes:core/v1:Secret",
    schedule: "kubernetes:velero.io/v1:Schedule",
    prometheusRule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    alertmanagerConfig: "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig",
    password: "random:index/randomPassword:RandomPassword",
};

function prodArgs(overrides: Partial<KubernetesSiteArgs> = {}): KubernetesSiteArgs {
    return {
        service: "checkout",
        image: "registry.example.com/checkout:1.4.2",
        port: 8080,
        healthCheckPath: "/healthz",
        role: "primary",
        minCapacity: 3,
        maxCapacity: 12,
        environment: "prod",
        cluster: "prod-eu",
        loadBalancerIp: "198.51.100.7",
        storageClass: "premium-rwo",
        domain: "shop.example.com",
        tlsSecretName: "shop-tls",
        alertEmails: ["oncall@example.com"],
        alertWebhooks: ["https://hooks.example.com/nonstop"],
        cpu: 1024,
        memoryMb: 2048,
        data: { engine: "postgres", replicationFactor: 3, backupSchedule: "0 */6 * * *", backupRetentionDays: 14 },
        databaseBackup: { destinationPath: "s3://acme-backups/checkout", credentialsSecret: "cnpg-backup" },
        databaseExternalHost: "pg.prod-eu.example.com",
        ...overrides,
    };
}

function devArgs(overrides: Partial<KubernetesSiteArgs> = {}): KubernetesSiteArgs {
    return prodArgs({
        environment: "dev",
        cluster: "kind-dev",
        minCapacity: 0,
        maxCapacity: 2,
        loadBalancerIp: undefined,
        domain: undefined,
        tlsSecretName: undefined,
        storageClass: undefined,
        alertEmails: undefined,
        alertWebhooks: undefined,
        cpu: undefined,
        memoryMb: undefined,
        databaseBackup: undefined,
        databaseExternalHost: undefined,
        data: { engine: "postgres", replicationFactor: 1, backupSchedule: "0 3 * * *", backupRetentionDays: 2 },
        ...overrides,
    });
}

async function deploy(args: KubernetesSiteArgs, name = "checkout-k8s"): Promise<MockRun> {
    return runUnderMocks(() => {
        const site = new KubernetesSite(name, args);
        const t = site.endpoint.target;
        return {
            kind: t.kind,
            address: t.kind === "ip" ? t.address : t.kind === "hostname" ? t.hostname : undefined,
            healthCheckHost: site.endpoint.healthCheckHost,
            healthCheckPort: site.endpoint.healthCheckPort,
            key: site.endpoint.key,
            databaseHost: site.database?.host,
            databaseExternalHost: site.database?.externalHost,
            databaseId: site.database?.id,
        };
    });
}

type Obj = Record<string, any>;
const spec = (r: RecordedResource) => r.inputs.spec as Obj;
const podSpec = (r: RecordedResource) => spec(r).template.spec as Obj;

describe("KubernetesSite", () => {
    describe("in prod", () => {
        let run: MockRun;
        before(async () => {
            run = await deploy(prodArgs());
        });

        it("creates a Kubernetes provider for the cluster's kubeconfig context and gives it to every child", () => {
            const provider = run.one(T.provider);
            expect(provider.inputs.context).to.equal("prod-eu");
            const children = run.resources.filter((r) => r.type.startsWith("kubernetes:"));
            expect(children.length).to.be.greaterThan(10);
            for (const r of children) expect(r.provider, r.name).to.equal(`${provider.urn}::${provider.name}-id`);
        });

        it("runs the Deployment in the service's namespace at minCapacity, rolling without ever going below it", () => {
            expect(run.one(T.namespace).inputs.metadata).to.deep.include({ name: "checkout" });
            const deployment = run.one(T.deployment);
            expect(deployment.inputs.metadata).to.deep.include({ name: "checkout", namespace: "checkout" });
            expect(spec(deployment).replicas).to.equal(3);
            expect(spec(deployment).strategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } });
        });

        it("probes the health path for startup, readiness and liveness", () => {
            const container = podSpec(run.one(T.deployment)).containers[0];
            for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
                expect(container[probe].httpGet, probe).to.deep.equal({ path: "/healthz", port: "http" });
            }
            expect(container.ports).to.deep.equal([{ name: "http", containerPort: 8080 }]);
        });

        it("requests and limits the CPU and memory asked for", () => {
            const container = podSpec(run.one(T.deployment)).containers[0];
            expect(container.resources).to.deep.equal({ requests: { cpu: "1000m", memory: "2048Mi" }, limits: { cpu: "1000m", memory: "2048Mi" } });
        });

        it("spreads pods over zones strictly and over nodes loosely, as non-root", () => {
            const pod = podSpec(run.one(T.deployment));
            expect(pod.topologySpreadConstraints.map((c: Obj) => [c.topologyKey, c.whenUnsatisfiable, c.maxSkew])).to.deep.equal([
                ["topology.kubernetes.io/zone", "DoNotSchedule", 1],
                ["kubernetes.io/hostname", "ScheduleAnyway", 1],
            ]);
            expect(pod.topologySpreadConstraints[0].labelSelector.matchLabels).to.deep.equal(spec(run.one(T.deployment)).selector.matchLabels);
            expect(pod.securityContext.runAsNonRoot).to.equal(true);
        });

        it("has a disruption budget that allows one pod at a time to be drained, never zero", () => {
            const pdb = run.one(T.pdb, "checkout-k8s-pdb");
            expect(spec(pdb).maxUnavailable).to.equal(1);
            expect(spec(pdb)).to.not.have.property("minAvailable");
            expect(spec(pdb).selector.matchLabels).to.deep.equal(spec(run.one(T.deployment)).selector.matchLabels);
        });

        it("autoscales the Deployment between min and max capacity on CPU and memory", () => {
            const hpa = spec(run.one(T.hpa));
            expect(hpa.scaleTargetRef).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment", name: "checkout" });
            expect([hpa.minReplicas, hpa.maxReplicas]).to.deep.equal([3, 12]);
            expect(hpa.metrics.map((m: Obj) => m.resource.name)).to.deep.equal(["cpu", "memory"]);
        });

        it("exposes the pods through a ClusterIP Service and an Ingress for the domain with TLS", () => {
            expect(spec(run.one(T.service, "checkout-k8s-service"))).to.deep.include({ type: "ClusterIP" });
            const ingress = spec(run.one(T.ingress));
            expect(ingress.ingressClassName).to.equal("nginx");
            expect(ingress.rules[0].host).to.equal("shop.example.com");
            expect(ingress.rules[0].http.paths[0].backend).to.deep.equal({ service: { name: "checkout", port: { name: "http" } } });
            expect(ingress.tls).to.deep.equal([{ hosts: ["shop.example.com"], secretName: "shop-tls" }]);
        });

        it("answers the health path for any host, since health checkers connect by IP", () => {
            const rule = spec(run.one(T.ingress)).rules[1];
            expect(rule.host).to.equal(undefined);
            expect(rule.http.paths[0]).to.deep.include({ path: "/healthz", pathType: "Exact" });
        });

        it("publishes the static load balancer IP as endpoint target and health-check host on 443", () => {
            expect(run.outputs).to.deep.include({ kind: "ip", address: "198.51.100.7", healthCheckHost: "198.51.100.7", healthCheckPort: 443, key: "kubernetes-prod-eu" });
        });

        it("runs the database as a CloudNativePG Cluster with one instance per copy, each in its own zone", () => {
            const cluster = run.one(T.cluster);
            expect(cluster.inputs.metadata).to.deep.include({ name: "checkout-db-prod-eu", namespace: "checkout" });
            expect(spec(cluster)).to.deep.include({ instances: 3, imageName: "ghcr.io/cloudnative-pg/postgresql:16.6", primaryUpdateStrategy: "unsupervised", enablePDB: true });
            expect(spec(cluster).affinity).to.deep.equal({ enablePodAntiAffinity: true, topologyKey: "topology.kubernetes.io/zone", podAntiAffinityType: "required" });
            expect(run.ofType(T.statefulSet)).to.have.length(0);
        });

        it("gives each instance a volume of the storage class and size asked for, and the database CPU and memory", () => {
            expect(spec(run.one(T.cluster)).storage).to.deep.equal({ size: "100Gi", storageClass: "premium-rwo" });
            expect(spec(run.one(T.cluster)).resources.requests).to.deep.equal({ cpu: "1000m", memory: "2048Mi" });
        });

        it("bootstraps the application database and owner from a basic-auth Secret generated by RandomPassword", () => {
            const secret = run.one(T.secret, "db-secret");
            expect(secret.inputs.type).to.equal("kubernetes.io/basic-auth");
            expect(secret.propertyDependencies.stringData).to.include(run.one(T.password).urn);
            expect(spec(run.one(T.cluster)).bootstrap).to.deep.equal({ initdb: { database: "checkout", owner: "checkout", secret: { name: "checkout-db-app" } } });
            const appEnv = podSpec(run.one(T.deployment)).containers[0].env as Obj[];
            expect(appEnv.find((e) => e.name === "DATABASE_PASSWORD")?.valueFrom.secretKeyRef).to.deep.equal({ name: "checkout-db-app", key: "password" });
        });

        it("gives the app the primary (-rw) as writer and the standbys (-ro) as reader, both from the Cluster", () => {
            const deployment = run.one(T.deployment);
            const env = Object.fromEntries((podSpec(deployment).containers[0].env as Obj[]).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
            expect(env).to.deep.include({
                DATABASE_WRITER_HOST: "checkout-db-prod-eu-rw.checkout.svc.cluster.local",
                DATABASE_READER_HOST: "checkout-db-prod-eu-ro.checkout.svc.cluster.local",
                DATABASE_HOST: "checkout-db-prod-eu-rw.checkout.svc.cluster.local",
                DATABASE_PORT: "5432",
            });
            expect(deployment.propertyDependencies.spec).to.include(run.one(T.cluster).urn);
            expect(run.outputs.databaseHost).to.equal("checkout-db-prod-eu-rw.checkout.svc.cluster.local");
            expect(run.outputs.databaseId).to.equal("checkout-db-prod-eu");
        });

        it("backs the database up to object storage with the retention, on a ScheduledBackup of the site's cron", () => {
            expect(spec(run.one(T.cluster)).backup).to.deep.equal({
                barmanObjectStore: {
                    destinationPath: "s3://acme-backups/checkout",
                    s3Credentials: { accessKeyId: { name: "cnpg-backup", key: "ACCESS_KEY_ID" }, secretAccessKey: { name: "cnpg-backup", key: "ACCESS_SECRET_KEY" } },
                    wal: { compression: "gzip", maxParallel: 4 },
                    data: { compression: "gzip" },
                },
                retentionPolicy: "14d",
            });
            expect(spec(run.one(T.scheduledBackup))).to.deep.equal({ schedule: "0 0 */6 * * *", cluster: { name: "checkout-db-prod-eu" }, method: "barmanObjectStore", backupOwnerReference: "self", immediate: true });
        });

        it("publishes the primary to other clusters and clouds through a LoadBalancer Service at the external host", () => {
            const additional = spec(run.one(T.cluster)).managed.services.additional;
            expect(additional).to.have.length(1);
            expect(additional[0].selectorType).to.equal("rw");
            expect(additional[0].serviceTemplate.spec).to.deep.equal({ type: "LoadBalancer" });
            expect(run.outputs.databaseExternalHost).to.equal("pg.prod-eu.example.com");
        });

        it("protects the namespace, the Cluster and the Secret", () => {
            for (const [type, name] of [[T.namespace], [T.cluster], [T.secret, "db-secret"]] as const) {
                const r = run.one(type, name);
                expect([r.protect, r.retainOnDelete], type).to.deep.equal([true, true]);
            }
            expect(run.one(T.deployment).protect).to.equal(false);
        });

        it("backs up the namespace with Velero on the cron, kept for the retention", () => {
            const schedule = run.one(T.schedule);
            expect(schedule.inputs.metadata).to.deep.include({ namespace: "velero" });
            expect(spec(schedule).schedule).to.equal("0 */6 * * *");
            // The database archives to object storage itself; Velero keeps the namespace's objects.
            expect(spec(schedule).template).to.deep.equal({ ttl: "336h0m0s", includedNamespaces: ["checkout"], snapshotVolumes: false });
        });

        it("alerts on availability, error rate, database copies and standby lag with severities", () => {
            const rule = run.one(T.prometheusRule);
            const rules = spec(rule).groups[0].rules as Obj[];
            expect(rules.map((r) => r.alert)).to.deep.equal(["ServiceDown", "ServiceUnavailable", "DeploymentMissing", "HighErrorRate", "DatabaseReplicasNotReady", "DatabaseReplicationLag"]);
            expect(rules[1].expr).to.equal('kube_deployment_status_replicas_available{namespace="checkout", deployment="checkout"} < 3');
            expect(rules[3].expr).to.contain('http_requests_total{namespace="checkout", code=~"5.."}').and.contain("> 0.05");
            expect(rules[4].expr).to.contain('pod=~"checkout-db-prod-eu-[0-9]+"').and.contain("< 3");
            expect(rules[5].expr).to.equal('max(cnpg_pg_replication_lag{namespace="checkout", pod=~"checkout-db-prod-eu-[0-9]+"}) > 60');
            for (const r of rules) expect(["critical", "warning"]).to.include(r.labels.severity);
        });

        it("routes the alerts to the site's emails and webhooks", () => {
            const receiver = spec(run.one(T.alertmanagerConfig)).receivers[0];
            expect(receiver.emailConfigs).to.deep.equal([{ to: "oncall@example.com", sendResolved: true }]);
            // The URL carries a token: it sits in a Secret the route references, marked secret for Pulumi.
            expect(receiver.webhookConfigs).to.deep.equal([{ urlSecret: { name: "checkout-alert-webhooks", key: "webhook-0" }, sendResolved: true }]);
            const secret = run.one(T.secret, "alert-webhooks");
            expect(secret.inputs.stringData).to.deep.equal({ "webhook-0": "https://hooks.example.com/nonstop" });
            expect(secret.secretPaths.some((p) => p[0] === "stringData"), JSON.stringify(secret.secretPaths)).to.equal(true);
        });
    });

    describe("in dev", () => {
        let run: MockRun;
        before(async () => {
            run = await deploy(devArgs());
        });

        it("runs no pods (pilot light) while the autoscaler keeps a floor of one for when it is raised", () => {
            expect(spec(run.one(T.deployment)).replicas).to.equal(0);
            expect([spec(run.one(T.hpa)).minReplicas, spec(run.one(T.hpa)).maxReplicas]).to.deep.equal([1, 2]);
        });

        it("spreads over zones only when it can", () => {
            expect(podSpec(run.one(T.deployment)).topologySpreadConstraints[0].whenUnsatisfiable).to.equal("ScheduleAnyway");
            expect(spec(run.one(T.cluster)).affinity.podAntiAffinityType).to.equal("preferred");
        });

        it("uses the default requests and storage and the cluster's default StorageClass, with no archive and no external Service", () => {
            expect(podSpec(run.one(T.deployment)).containers[0].resources.requests).to.deep.equal({ cpu: "500m", memory: "1024Mi" });
            expect(spec(run.one(T.cluster)).storage).to.deep.equal({ size: "20Gi" });
            expect(spec(run.one(T.cluster))).to.not.have.property("backup");
            expect(spec(run.one(T.cluster))).to.not.have.property("managed");
            expect(run.ofType(T.scheduledBackup)).to.have.length(0);
            // A single instance: reads go to it too.
            const env = podSpec(run.one(T.deployment)).containers[0].env as Obj[];
            expect(env.find((e) => e.name === "DATABASE_READER_HOST")?.value).to.equal("checkout-db-kind-dev-r.checkout.svc.cluster.local");
        });

        it("leaves stateful children unprotected", () => {
            for (const [type, name] of [[T.namespace], [T.cluster], [T.secret, "db-secret"]] as const) {
                const r = run.one(type, name);
                expect([r.protect, r.retainOnDelete], type).to.deep.equal([false, false]);
            }
        });

        it("publishes the address the Ingress reports, on port 80, when no static IP is given", () => {
            // Under mocks the Ingress has no status yet, so the address is empty.
            expect(run.outputs).to.deep.include({ kind: "hostname", address: "", healthCheckPort: 80, key: "kubernetes-kind-dev" });
            const ingress = spec(run.one(T.ingress));
            expect(ingress.rules).to.deep.equal([{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "checkout", port: { name: "http" } } } }] } }]);
            expect(ingress).to.not.have.property("tls");
        });

        it("has no availability alert for a pilot light and no alert routing without receivers", () => {
            const alerts = (spec(run.one(T.prometheusRule)).groups[0].rules as Obj[]).map((r) => r.alert);
            expect(alerts).to.not.include("ServiceUnavailable");
            expect(run.ofType(T.alertmanagerConfig)).to.have.length(0);
        });
    });

    describe("with release tracks", () => {
        const blueGreen = (live: "blue" | "green"): TrafficTrack[] => [
            { name: "blue", image: "registry.example.com/checkout:1.4.2", percent: live === "blue" ? 100 : 0 },
            { name: "green", image: "registry.example.com/checkout:1.5.0", percent: live === "green" ? 100 : 0 },
        ];
        const canary: TrafficTrack[] = [
            { name: "stable", image: "registry.example.com/checkout:1.4.2", percent: 90 },
            { name: "canary", image: "registry.example.com/checkout:1.5.0-rc.1", percent: 10 },
        ];
        async function deployTracks(tracks: readonly TrafficTrack[], overrides: Partial<KubernetesSiteArgs> = {}): Promise<MockRun> {
            return runUnderMocks(() => ({ tracks: new KubernetesSite("checkout-k8s", prodArgs({ tracks, ...overrides })).tracks }));
        }
        const backendsOf = (ingress: RecordedResource) => (spec(ingress).rules as Obj[]).map((r) => r.http.paths[0].backend.service.name);
        const mainIngress = (run: MockRun) => run.ofType(T.ingress).find((i) => (i.inputs.metadata as Obj).name === "checkout") as RecordedResource;
        const canaryIngress = (run: MockRun) => run.one(T.ingress, "ingress-canary");

        describe("blue-green, blue live", () => {
            let run: MockRun;
            before(async () => {
                run = await deployTracks(blueGreen("blue"));
            });

            it("runs one Deployment per track with its own image, labelled and selected by its track", () => {
                expect(run.ofType(T.deployment).map((d) => (d.inputs.metadata as Obj).name)).to.deep.equal(["checkout-blue", "checkout-green"]);
                for (const colour of ["blue", "green"]) {
                    const deployment = run.one(T.deployment, `deployment-${colour}`);
                    expect(spec(deployment).selector.matchLabels, colour).to.deep.equal({ "app.kubernetes.io/name": "checkout", "app.kubernetes.io/component": "app", track: colour });
                    expect(spec(deployment).template.metadata.labels, colour).to.deep.include({ track: colour, "app.kubernetes.io/part-of": "checkout" });
                    expect(podSpec(deployment).topologySpreadConstraints[0].labelSelector.matchLabels, colour).to.deep.include({ track: colour });
                    expect(podSpec(deployment).containers[0].env, colour).to.deep.include({ name: "RELEASE_TRACK", value: colour });
                }
                expect(podSpec(run.one(T.deployment, "deployment-blue")).containers[0].image).to.equal("registry.example.com/checkout:1.4.2");
                expect(podSpec(run.one(T.deployment, "deployment-green")).containers[0].image).to.equal("registry.example.com/checkout:1.5.0");
            });

            it("keeps the idle colour warm at the site's floor, with its own disruption budget and autoscaler", () => {
                for (const colour of ["blue", "green"]) {
                    expect(spec(run.one(T.deployment, `deployment-${colour}`)).replicas, colour).to.equal(3);
                    const pdb = run.one(T.pdb, `checkout-k8s-pdb-${colour}`);
                    expect(spec(pdb), colour).to.deep.include({ maxUnavailable: 1 });
                    expect(spec(pdb).selector.matchLabels, colour).to.deep.include({ track: colour });
                    const hpa = spec(run.one(T.hpa, `hpa-${colour}`));
                    expect(hpa.scaleTargetRef, colour).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment", name: `checkout-${colour}` });
                    expect([hpa.minReplicas, hpa.maxReplicas], colour).to.deep.equal([3, 12]);
                }
                expect(run.ofType(T.pdb).filter((p) => !p.name.includes("db-pdb"))).to.have.length(2);
                expect(run.ofType(T.hpa)).to.have.length(2);
            });

            it("gives every track a Service that selects only its pods", () => {
                for (const colour of ["blue", "green"]) {
                    const service = run.one(T.service, `checkout-k8s-service-${colour}`);
                    expect((service.inputs.metadata as Obj).name, colour).to.equal(`checkout-${colour}`);
                    expect(spec(service).selector, colour).to.deep.equal({ "app.kubernetes.io/name": "checkout", "app.kubernetes.io/component": "app", track: colour });
                }
            });

            it("routes the main Ingress, with TLS, to the live colour", () => {
                const main = mainIngress(run);
                expect(main.name).to.equal("checkout-k8s-ingress");
                expect(backendsOf(main)).to.deep.equal(["checkout-blue", "checkout-blue"]);
                expect(spec(main).tls).to.deep.equal([{ hosts: ["shop.example.com"], secretName: "shop-tls" }]);
                expect((main.inputs.metadata as Obj).annotations).to.equal(undefined);
            });

            it("sends the idle colour nothing through an ingress-nginx canary Ingress with the main one's hosts and paths, except the health path", () => {
                const ingress = canaryIngress(run);
                expect((ingress.inputs.metadata as Obj).annotations).to.deep.equal({ "nginx.ingress.kubernetes.io/canary": "true", "nginx.ingress.kubernetes.io/canary-weight": "0" });
                expect(backendsOf(ingress)).to.deep.equal(["checkout-green"]);
                const paths = (r: RecordedResource) => (spec(r).rules as Obj[]).map((rule) => [rule.host, rule.http.paths[0].path, rule.http.paths[0].pathType]);
                expect(paths(mainIngress(run))).to.deep.equal([
                    ["shop.example.com", "/", "Prefix"],
                    [undefined, "/healthz", "Exact"],
                ]);
                // DNS probes the health path: it has no canary twin, so it always reaches the live colour.
                expect(paths(ingress)).to.deep.equal([["shop.example.com", "/", "Prefix"]]);
                expect(spec(ingress).ingressClassName).to.equal("nginx");
            });

            it("alerts on availability and 5xx rate of every track, labelled with the track", () => {
                const rules = spec(run.one(T.prometheusRule)).groups[0].rules as Obj[];
                expect(rules.map((r) => [r.alert, r.labels.track])).to.deep.equal([
                    ["ServiceDown", "blue"],
                    ["ServiceUnavailable", "blue"],
                    ["DeploymentMissing", "blue"],
                    ["HighErrorRate", "blue"],
                    ["ServiceDown", "green"],
                    ["ServiceUnavailable", "green"],
                    ["DeploymentMissing", "green"],
                    ["HighErrorRate", "green"],
                    ["DatabaseReplicasNotReady", undefined],
                    ["DatabaseReplicationLag", undefined],
                ]);
                expect(rules[5].expr).to.equal('kube_deployment_status_replicas_available{namespace="checkout", deployment="checkout-green"} < 3');
                expect(rules[7].expr).to.contain('http_requests_total{namespace="checkout", pod=~"checkout-green-[a-z0-9]+-[a-z0-9]+", code=~"5.."}');
            });

            it("reports the tracks it serves", () => {
                expect(run.outputs.tracks).to.deep.equal(["blue", "green"]);
            });
        });

        it("swaps the Services between the Ingresses, and nothing else, when live flips to green", async () => {
            const run = await deployTracks(blueGreen("green"));
            expect(backendsOf(mainIngress(run))).to.deep.equal(["checkout-green", "checkout-green"]);
            expect(backendsOf(canaryIngress(run))).to.deep.equal(["checkout-blue"]);
            expect((canaryIngress(run).inputs.metadata as Obj).annotations["nginx.ingress.kubernetes.io/canary-weight"]).to.equal("0");
            expect(run.ofType(T.deployment).map((d) => d.name)).to.deep.equal(["checkout-k8s-deployment-blue", "checkout-k8s-deployment-green"]);
            expect(run.ofType(T.ingress).map((i) => i.name)).to.deep.equal(["checkout-k8s-ingress", "checkout-k8s-ingress-canary"]);
        });

        it("sends a canary its percentage and keeps it at its share of the floor, never below two pods", async () => {
            const run = await deployTracks(canary);
            expect(backendsOf(mainIngress(run))[0]).to.equal("checkout-stable");
            expect(backendsOf(canaryIngress(run))[0]).to.equal("checkout-canary");
            expect((canaryIngress(run).inputs.metadata as Obj).annotations["nginx.ingress.kubernetes.io/canary-weight"]).to.equal("10");
            expect([spec(run.one(T.deployment, "deployment-stable")).replicas, spec(run.one(T.deployment, "deployment-canary")).replicas]).to.deep.equal([3, 2]);
            expect([spec(run.one(T.hpa, "hpa-stable")).minReplicas, spec(run.one(T.hpa, "hpa-canary")).minReplicas]).to.deep.equal([3, 2]);
            const canaryRules = (spec(run.one(T.prometheusRule)).groups[0].rules as Obj[]).filter((r) => r.labels.track === "canary");
            expect(canaryRules.find((r) => r.alert === "ServiceUnavailable")?.expr).to.match(/deployment="checkout-canary"} < 2$/);
        });

        it("keeps the single Deployment, Service and Ingress, with no canary Ingress, without tracks", async () => {
            const run = await deployTracks([]);
            expect(run.ofType(T.deployment).map((d) => [d.name, (d.inputs.metadata as Obj).name])).to.deep.equal([["checkout-k8s-deployment", "checkout"]]);
            expect(spec(run.one(T.deployment)).selector.matchLabels).to.not.have.property("track");
            expect(run.ofType(T.ingress).map((i) => i.name)).to.deep.equal(["checkout-k8s-ingress"]);
            expect(backendsOf(run.one(T.ingress))).to.deep.equal(["checkout", "checkout"]);
            // An undefined stack output reads back as null.
            expect(run.outputs.tracks).to.equal(null);
        });

        it("refuses a third track: ingress-nginx takes one canary Ingress per host and path", async () => {
            const three = [...canary.map((t) => ({ ...t, percent: 40 })), { name: "next", image: "registry.example.com/checkout:2.0.0", percent: 20 }];
            expect(validateKubernetesSiteArgs(prodArgs({ tracks: three }))).to.deep.equal([
                "tracks: 3 tracks (stable, canary, next), but ingress-nginx (a main Ingress and one canary Ingress per host and path) splits requests between at most 2; run fewer versions at once",
            ]);
            let error: unknown;
            try {
                await deployTracks(three);
            } catch (e) {
                error = e;
            }
            expect(String(error)).to.contain("tracks: 3 tracks");
        });
    });

    describe("replication factor", () => {
        for (const rf of [1, 2, 3]) {
            it(`runs ${rf} Postgres instance(s) for replication factor ${rf}`, async () => {
                const run = await deploy(prodArgs({ data: { ...prodArgs().data!, replicationFactor: rf } }));
                expect(spec(run.one(T.cluster)).instances).to.equal(rf);
            });
        }
    });

    it("refuses mysql: the operator is Postgres only", async () => {
        let error: unknown;
        try {
            await deploy(prodArgs({ data: { ...prodArgs().data!, engine: "mysql" } }));
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.contain('data.engine: "mysql" is not supported on Kubernetes: the database runs on the CloudNativePG operator, which is Postgres only');
    });

    describe("as the standby of a database in another cluster", () => {
        const source: SiteDatabase = {
            engine: "postgres",
            cloud: "kubernetes",
            location: "prod-us",
            host: pulumi.output("checkout-db-prod-us-rw.checkout.svc.cluster.local"),
            writerHost: pulumi.output("checkout-db-prod-us-rw.checkout.svc.cluster.local"),
            readerHost: pulumi.output("checkout-db-prod-us-ro.checkout.svc.cluster.local"),
            externalHost: pulumi.output("pg.prod-us.example.com"),
            port: 5432,
            databaseName: "checkout",
            username: "checkout",
            password: pulumi.secret("source-password"),
            id: pulumi.output("checkout-db-prod-us"),
            cnpg: { clusterName: "checkout-db-prod-us", backup: { destinationPath: "s3://acme-backups/checkout-us" }, externalHost: "pg.prod-us.example.com" },
        };
        let run: MockRun;
        before(async () => {
            run = await deploy(prodArgs({ role: "secondary", data: { ...prodArgs().data!, replicaOf: source } }));
        });

        it("runs a replica cluster that restores from the upstream's archive and streams from its primary", () => {
            const s = spec(run.one(T.cluster));
            expect(s.replica).to.deep.equal({ enabled: true, source: "upstream" });
            expect(s.bootstrap).to.deep.equal({ recovery: { source: "upstream" } });
            expect(s.externalClusters).to.deep.equal([
                {
                    name: "upstream",
                    connectionParameters: { host: "pg.prod-us.example.com", user: "streaming_replica", dbname: "postgres", sslmode: "verify-full" },
                    sslKey: { name: "checkout-db-prod-us-replication", key: "tls.key" },
                    sslCert: { name: "checkout-db-prod-us-replication", key: "tls.crt" },
                    sslRootCert: { name: "checkout-db-prod-us-ca", key: "ca.crt" },
                    barmanObjectStore: {
                        destinationPath: "s3://acme-backups/checkout-us",
                        serverName: "checkout-db-prod-us",
                        s3Credentials: { inheritFromIAMRole: true },
                        wal: { compression: "gzip", maxParallel: 4 },
                        data: { compression: "gzip" },
                    },
                },
            ]);
        });

        it("reuses the upstream's credentials and gives the app the upstream's primary as its writer", () => {
            expect(run.ofType(T.password)).to.have.length(0);
            expect((run.one(T.secret, "db-secret").inputs.stringData as Obj).password).to.equal("source-password");
            const env = podSpec(run.one(T.deployment)).containers[0].env as Obj[];
            expect(env.find((e) => e.name === "DATABASE_WRITER_HOST")?.value).to.equal("pg.prod-us.example.com");
            expect(env.find((e) => e.name === "DATABASE_READER_HOST")?.value).to.equal("checkout-db-prod-eu-ro.checkout.svc.cluster.local");
        });
    });

    it("gives a read-only site no writer, and the writer's site for its writes", async () => {
        const run = await deploy(
            prodArgs({ role: "secondary", data: { ...prodArgs().data!, readOnly: true, writeRoute: { host: "198.51.100.9", hostKind: "ip", port: 443, protocol: "HTTPS", serverName: "shop.example.com" } } }),
        );
        const env = Object.fromEntries((podSpec(run.one(T.deployment)).containers[0].env as Obj[]).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
        expect(env).to.deep.include({ DATABASE_WRITER_HOST: "", DATABASE_HOST: "", DATABASE_READ_ONLY: "true", WRITES_URL: "https://198.51.100.9", WRITES_SERVER_NAME: "shop.example.com" });
    });

    it("creates no database, backup or database alert for a stateless site", async () => {
        const run = await deploy(prodArgs({ data: undefined, databaseBackup: undefined, databaseExternalHost: undefined }));
        expect(run.ofType(T.cluster)).to.have.length(0);
        expect(run.ofType(T.schedule)).to.have.length(0);
        expect((spec(run.one(T.prometheusRule)).groups[0].rules as Obj[]).map((r) => r.alert)).to.not.include("DatabaseReplicasNotReady");
    });

    it("refuses invalid args before creating anything", async () => {
        let error: unknown;
        try {
            await deploy(prodArgs({ minCapacity: 20 }));
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.contain("minCapacity: 20 is greater than maxCapacity 12");
    });
});

describe("validateKubernetesSiteArgs", () => {
    it("accepts the prod and dev examples", () => {
        expect(validateKubernetesSiteArgs(prodArgs())).to.deep.equal([]);
        expect(validateKubernetesSiteArgs(devArgs())).to.deep.equal([]);
    });

    it("rejects minCapacity above maxCapacity", () => {
        expect(validateKubernetesSiteArgs(prodArgs({ minCapacity: 13 }))).to.deep.equal(["minCapacity: 13 is greater than maxCapacity 12; lower minCapacity or raise maxCapacity"]);
    });

    it("rejects a bad cron expression, naming the field", () => {
        const [message] = validateKubernetesSiteArgs(prodArgs({ data: { ...prodArgs().data!, backupSchedule: "0 3 * *" } }));
        expect(message).to.contain('data.backupSchedule: "0 3 * *" is not a valid five-field cron expression: found 4 field(s)');
    });

    it("rejects a bad load balancer IP, namespace and a certificate without a domain", () => {
        const messages = validateKubernetesSiteArgs(prodArgs({ loadBalancerIp: "300.1.1.1", namespace: "Shop_NS", domain: undefined }));
        expect(messages.map((m) => m.split(":")[0])).to.deep.equal(["namespace", "loadBalancerIp", "tlsSecretName"]);
        expect(messages[1]).to.contain('"300.1.1.1" is not an IPv4 address');
    });

    it("rejects a replica source of another engine, in the same cluster, or with nothing to follow", () => {
        const source = { engine: "mysql", cloud: "kubernetes", location: "prod-eu" } as unknown as SiteDatabase;
        const messages = validateKubernetesSiteArgs(prodArgs({ data: { ...prodArgs().data!, replicaOf: source } }));
        expect(messages).to.have.length(3);
        expect(messages[1]).to.contain("this site's own cluster");
        expect(messages[2]).to.contain("neither archives to object storage (databaseBackup) nor publishes its primary (databaseExternalHost)");
    });

    it("rejects tracks that do not add up to 100, and a track name that makes object names too long", () => {
        const messages = validateKubernetesSiteArgs(
            prodArgs({
                service: "s".repeat(50),
                tracks: [
                    { name: "stable", image: "registry.example.com/checkout:1", percent: 90 },
                    { name: "canary-candidate", image: "registry.example.com/checkout:2", percent: 5 },
                ],
            }),
        );
        expect(messages).to.have.length(2);
        expect(messages[0]).to.equal("tracks: the percentages add up to 95; they must add up to 100 (stable 90, canary-candidate 5)");
        expect(messages[1]).to.match(/^tracks\[1\]\.name: "canary-candidate" makes the Service name "s{50}-canary-candidate" 67 characters; Kubernetes allows 63/);
    });

    it("rejects a replication factor of zero", () => {
        expect(validateKubernetesSiteArgs(prodArgs({ data: { ...prodArgs().data!, replicationFactor: 0 } }))[0]).to.match(/^data\.replicationFactor: 0 /);
    });
});

describe("kubernetesSiteWarnings", () => {
    it("warns that an off-region backup copy needs a Velero storage location", () => {
        const warnings = kubernetesSiteWarnings(prodArgs({ data: { ...prodArgs().data!, backupCopyRegion: "europe-west4" } }));
        expect(warnings.some((w) => w.startsWith('data.backupCopyRegion: "europe-west4"') && w.includes("backupStorageLocation"))).to.equal(true);
    });
});

describe("kubernetesSiteWarnings with release tracks", () => {
    const tracks: TrafficTrack[] = [
        { name: "blue", image: "registry.example.com/checkout:1", percent: 100 },
        { name: "green", image: "registry.example.com/checkout:2", percent: 0 },
    ];

    it("warns that the split needs ingress-nginx when the IngressClass is not an nginx one", () => {
        const warnings = kubernetesSiteWarnings(prodArgs({ tracks, ingressClass: "traefik" }));
        expect(warnings).to.deep.include('ingressClass: "traefik" with release tracks: the split uses ingress-nginx canary annotations, so unless this class is served by ingress-nginx every request goes to the main track');
        expect(kubernetesSiteWarnings(prodArgs({ tracks })).filter((w) => w.startsWith("ingressClass"))).to.deep.equal([]);
    });
});

describe("ingressSplit", () => {
    it("routes the main Ingress to the track with the most requests and the canary Ingress to the other", () => {
        const split = ingressSplit(resolveKubernetesSiteDefaults(prodArgs({ tracks: [
            { name: "blue", image: "registry.example.com/checkout:1", percent: 0 },
            { name: "green", image: "registry.example.com/checkout:2", percent: 100 },
        ] })).tracks!);
        expect([split.main.name, split.canary?.name, split.canary?.percent]).to.deep.equal(["green", "blue", 0]);
    });

    it("has no canary with a single track", () => {
        const split = ingressSplit(resolveKubernetesSiteDefaults(prodArgs({ tracks: [{ name: "blue", image: "registry.example.com/checkout:1", percent: 100 }] })).tracks!);
        expect([split.main.name, split.canary]).to.deep.equal(["blue", undefined]);
    });
});

describe("resolveKubernetesSiteDefaults", () => {
    it("defaults the namespace to the service, the ingress class to nginx and protection to the environment", () => {
        expect(resolveKubernetesSiteDefaults(devArgs())).to.deep.include({ namespace: "checkout", ingressClass: "nginx", protectStateful: false, zoneSpread: "ScheduleAnyway" });
        expect(resolveKubernetesSiteDefaults(prodArgs())).to.deep.include({ protectStateful: true, zoneSpread: "DoNotSchedule" });
    });

    it("converts cpu units to millicores", () => {
        expect([cpuMillis(512), cpuMillis(1024), cpuMillis(256), cpuMillis(1)]).to.deep.equal([500, 1000, 250, 1]);
    });
});

describe("kubernetesAlertRules", () => {
    it("uses the configured error-rate threshold", () => {
        const rules = kubernetesAlertRules(resolveKubernetesSiteDefaults(prodArgs({ errorRateThreshold: 0.01 })), "checkout-db");
        expect(rules.find((r) => r.alert === "HighErrorRate")?.expr).to.match(/> 0\.01$/);
    });
});
