import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
    cpuMillis,
    KubernetesSite,
    KubernetesSiteArgs,
    kubernetesSiteWarnings,
    resolveKubernetesSiteDefaults,
    validateKubernetesSiteArgs,
} from "../../../components/site/kubernetesSite";
import { kubernetesAlertRules } from "../../../components/site/kubernetes/monitoring";
import { SiteDatabase } from "../../../components/site/site";
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
    secret: "kubernetes:core/v1:Secret",
    configMap: "kubernetes:core/v1:ConfigMap",
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

        it("runs the database as a StatefulSet with one pod per copy, each in its own zone", () => {
            const sts = run.one(T.statefulSet);
            expect(spec(sts).replicas).to.equal(3);
            const antiAffinity = podSpec(sts).affinity.podAntiAffinity;
            expect(antiAffinity.requiredDuringSchedulingIgnoredDuringExecution).to.deep.equal([
                { topologyKey: "topology.kubernetes.io/zone", labelSelector: { matchLabels: spec(sts).selector.matchLabels } },
            ]);
            expect(podSpec(sts).containers[0].image).to.equal("postgres:16");
        });

        it("gives each database pod a volume of the storage class and size asked for", () => {
            const [claim] = spec(run.one(T.statefulSet)).volumeClaimTemplates;
            expect(claim.spec).to.deep.equal({ accessModes: ["ReadWriteOnce"], storageClassName: "premium-rwo", resources: { requests: { storage: "100Gi" } } });
        });

        it("reaches the database pods through a headless Service and the writer through a primary Service", () => {
            const headless = run.one(T.service, "db-headless");
            expect(spec(headless)).to.deep.include({ clusterIP: "None", publishNotReadyAddresses: true });
            expect(spec(run.one(T.statefulSet)).serviceName).to.equal(headless.inputs.metadata && (headless.inputs.metadata as Obj).name);
            expect(spec(run.one(T.service, "db-primary")).selector).to.deep.include({ "statefulset.kubernetes.io/pod-name": "checkout-db-0" });
            expect(run.outputs.databaseHost).to.equal("checkout-db-primary.checkout.svc.cluster.local");
            expect(run.outputs.databaseId).to.equal("checkout-db");
        });

        it("lets one database pod at a time be disrupted", () => {
            expect(spec(run.one(T.pdb, "db-pdb"))).to.deep.include({ maxUnavailable: 1 });
        });

        it("keeps the database password in a Secret generated by RandomPassword", () => {
            const secret = run.one(T.secret);
            expect(secret.propertyDependencies.stringData).to.include(run.one(T.password).urn);
            const env = podSpec(run.one(T.statefulSet)).containers[0].env as Obj[];
            expect(env.find((e) => e.name === "POSTGRES_PASSWORD")).to.deep.equal({ name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: { name: "checkout-db", key: "password" } } });
            const appEnv = podSpec(run.one(T.deployment)).containers[0].env as Obj[];
            expect(appEnv.find((e) => e.name === "DB_PASSWORD")?.valueFrom.secretKeyRef).to.deep.equal({ name: "checkout-db", key: "password" });
        });

        it("protects the namespace, the StatefulSet and the Secret, and retains volumes on delete", () => {
            for (const type of [T.namespace, T.statefulSet, T.secret]) {
                const r = run.one(type);
                expect([r.protect, r.retainOnDelete], type).to.deep.equal([true, true]);
            }
            expect(spec(run.one(T.statefulSet)).persistentVolumeClaimRetentionPolicy).to.deep.equal({ whenDeleted: "Retain", whenScaled: "Retain" });
            expect(run.one(T.deployment).protect).to.equal(false);
        });

        it("backs up the namespace with Velero on the cron, kept for the retention", () => {
            const schedule = run.one(T.schedule);
            expect(schedule.inputs.metadata).to.deep.include({ namespace: "velero" });
            expect(spec(schedule).schedule).to.equal("0 */6 * * *");
            expect(spec(schedule).template).to.deep.equal({ ttl: "336h0m0s", includedNamespaces: ["checkout"], snapshotVolumes: true });
        });

        it("alerts on availability, error rate and database copies with severities", () => {
            const rule = run.one(T.prometheusRule);
            const rules = spec(rule).groups[0].rules as Obj[];
            expect(rules.map((r) => r.alert)).to.deep.equal(["ServiceDown", "ServiceUnavailable", "DeploymentMissing", "HighErrorRate", "DatabaseReplicasNotReady"]);
            expect(rules[1].expr).to.equal('kube_deployment_status_replicas_available{namespace="checkout", deployment="checkout"} < 3');
            expect(rules[3].expr).to.contain('http_requests_total{namespace="checkout", code=~"5.."}').and.contain("> 0.05");
            expect(rules[4].expr).to.contain('statefulset="checkout-db"').and.contain("< 3");
            for (const r of rules) expect(["critical", "warning"]).to.include(r.labels.severity);
        });

        it("routes the alerts to the site's emails and webhooks", () => {
            const receiver = spec(run.one(T.alertmanagerConfig)).receivers[0];
            expect(receiver.emailConfigs).to.deep.equal([{ to: "oncall@example.com", sendResolved: true }]);
            expect(receiver.webhookConfigs).to.deep.equal([{ url: "https://hooks.example.com/nonstop", sendResolved: true }]);
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
            const antiAffinity = podSpec(run.one(T.statefulSet)).affinity.podAntiAffinity;
            expect(antiAffinity).to.not.have.property("requiredDuringSchedulingIgnoredDuringExecution");
            expect(antiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).to.equal("topology.kubernetes.io/zone");
        });

        it("uses the default requests and storage and the cluster's default StorageClass", () => {
            expect(podSpec(run.one(T.deployment)).containers[0].resources.requests).to.deep.equal({ cpu: "500m", memory: "1024Mi" });
            const [claim] = spec(run.one(T.statefulSet)).volumeClaimTemplates;
            expect(claim.spec).to.not.have.property("storageClassName");
            expect(claim.spec.resources.requests.storage).to.equal("20Gi");
        });

        it("leaves stateful children unprotected and lets volumes go with the StatefulSet", () => {
            for (const type of [T.namespace, T.statefulSet, T.secret]) {
                const r = run.one(type);
                expect([r.protect, r.retainOnDelete], type).to.deep.equal([false, false]);
            }
            expect(spec(run.one(T.statefulSet)).persistentVolumeClaimRetentionPolicy.whenDeleted).to.equal("Delete");
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

    describe("replication factor", () => {
        for (const rf of [1, 2, 3]) {
            it(`runs ${rf} database pod(s) for replication factor ${rf}`, async () => {
                const run = await deploy(prodArgs({ data: { ...prodArgs().data!, replicationFactor: rf } }));
                expect(spec(run.one(T.statefulSet)).replicas).to.equal(rf);
            });
        }
    });

    it("runs mysql with GTID replication and a writable init directory", async () => {
        const run = await deploy(prodArgs({ data: { ...prodArgs().data!, engine: "mysql" } }));
        const container = podSpec(run.one(T.statefulSet)).containers[0];
        expect(container.image).to.equal("mysql:8.4");
        expect(container.ports).to.deep.equal([{ name: "db", containerPort: 3306 }]);
        expect(container.volumeMounts).to.deep.include({ name: "initdb", mountPath: "/docker-entrypoint-initdb.d" });
        expect((run.one(T.configMap).inputs.data as Obj)["bootstrap.sh"]).to.contain("--gtid-mode=ON");
    });

    it("streams pod 0 from a source database in another cluster and reuses its credentials", async () => {
        const source: SiteDatabase = {
            engine: "postgres",
            cloud: "kubernetes",
            location: "prod-us",
            host: pulumi.output("checkout-db-primary.checkout.svc.prod-us.example"),
            port: 5432,
            databaseName: "checkout",
            username: "checkout",
            password: pulumi.secret("source-password"),
            id: pulumi.output("checkout-db"),
        };
        const run = await deploy(prodArgs({ role: "secondary", data: { ...prodArgs().data!, replicaOf: source } }));
        const env = podSpec(run.one(T.statefulSet)).containers[0].env as Obj[];
        expect(env.find((e) => e.name === "UPSTREAM_HOST")?.value).to.equal("checkout-db-primary.checkout.svc.prod-us.example");
        expect(run.ofType(T.password)).to.have.length(0);
        expect((run.one(T.secret).inputs.stringData as Obj).password).to.equal("source-password");
    });

    it("creates no database, backup or database alert for a stateless site", async () => {
        const run = await deploy(prodArgs({ data: undefined }));
        expect(run.ofType(T.statefulSet)).to.have.length(0);
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

    it("rejects a replica source of another engine or in the same cluster", () => {
        const source = { engine: "mysql", cloud: "kubernetes", location: "prod-eu" } as unknown as SiteDatabase;
        const messages = validateKubernetesSiteArgs(prodArgs({ data: { ...prodArgs().data!, replicaOf: source } }));
        expect(messages).to.have.length(2);
        expect(messages[1]).to.contain("this site's own cluster");
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
