import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { cloudSqlBackupStartTime } from "../../../components/backup/cron";
import {
    cloudRunCpu,
    cloudRunServiceName,
    cloudSqlTopology,
    GcpSite,
    GcpSiteArgs,
    gcpSiteWarnings,
    resolveGcpSiteDefaults,
    validateGcpSiteArgs,
    validateGcpSiteName,
} from "../../../components/site/gcpSite";
import { SiteDatabase, TrafficTrack } from "../../../components/site/site";
import { MockRun, RecordedResource, runUnderMocks } from "../../harness";

const T = {
    provider: "pulumi:providers:gcp",
    sql: "gcp:sql/databaseInstance:DatabaseInstance",
    sqlDatabase: "gcp:sql/database:Database",
    sqlUser: "gcp:sql/user:User",
    run: "gcp:cloudrunv2/service:Service",
    invoker: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    neg: "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup",
    backend: "gcp:compute/backendService:BackendService",
    urlMap: "gcp:compute/uRLMap:URLMap",
    httpsProxy: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
    httpProxy: "gcp:compute/targetHttpProxy:TargetHttpProxy",
    rule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
    address: "gcp:compute/globalAddress:GlobalAddress",
    certificate: "gcp:certificatemanager/certificate:Certificate",
    dnsAuthorization: "gcp:certificatemanager/dnsAuthorization:DnsAuthorization",
    certificateMapEntry: "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry",
    bucket: "gcp:storage/bucket:Bucket",
    uptime: "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
    channel: "gcp:monitoring/notificationChannel:NotificationChannel",
    alert: "gcp:monitoring/alertPolicy:AlertPolicy",
    secret: "gcp:secretmanager/secret:Secret",
    password: "random:index/randomPassword:RandomPassword",
};

function prodArgs(overrides: Partial<GcpSiteArgs> = {}): GcpSiteArgs {
    return {
        service: "checkout",
        image: "us-docker.pkg.dev/shop/checkout:1.4.2",
        port: 8080,
        healthCheckPath: "/healthz",
        role: "secondary",
        minCapacity: 2,
        maxCapacity: 20,
        environment: "prod",
        project: "shop-prod-1",
        region: "us-central1",
        alertEmails: ["oncall@example.com"],
        alertWebhooks: ["https://hooks.example.com/nonstop"],
        data: { engine: "postgres", replicationFactor: 3, backupSchedule: "30 2 * * *", backupRetentionDays: 14, backupCopyRegion: "us-east1" },
        ...overrides,
    };
}

function devArgs(overrides: Partial<GcpSiteArgs> = {}): GcpSiteArgs {
    return prodArgs({
        environment: "dev",
        minCapacity: 0,
        maxCapacity: 2,
        alertEmails: undefined,
        alertWebhooks: undefined,
        data: { engine: "mysql", replicationFactor: 1, backupSchedule: "0 4 * * *", backupRetentionDays: 3 },
        ...overrides,
    });
}

async function deploy(args: GcpSiteArgs, name = "checkout-gcp"): Promise<MockRun> {
    return runUnderMocks(
        () => {
            const site = new GcpSite(name, args);
            return { address: site.endpoint.target.kind === "ip" ? site.endpoint.target.address : undefined, healthCheckHost: site.endpoint.healthCheckHost, databaseId: site.database?.id, bucketUri: site.bucket?.uri };
        },
        { config: { "gcp:project": args.project } },
    );
}

const primaryOf = (run: MockRun) => run.ofType(T.sql).find((r) => r.inputs.masterInstanceName === undefined) as RecordedResource;
const settingsOf = (r: RecordedResource) => r.inputs.settings as Record<string, unknown>;
const id = (r: RecordedResource) => `${r.name}-id`;

describe("GcpSite", () => {
    describe("in prod", () => {
        let run: MockRun;
        before(async () => {
            run = await deploy(prodArgs());
        });

        it("creates its own GCP provider for the project and region and gives it to every child", () => {
            const provider = run.one(T.provider);
            expect(provider.inputs.project).to.equal("shop-prod-1");
            expect(provider.inputs.region).to.equal("us-central1");
            const gcpChildren = run.resources.filter((r) => r.type.startsWith("gcp:"));
            expect(gcpChildren.length).to.be.greaterThan(20);
            for (const r of gcpChildren) expect(r.provider, r.name).to.equal(`${provider.urn}::${id(provider)}`);
        });

        it("runs Cloud Run between min and max capacity, reachable only through the load balancer", () => {
            const service = run.one(T.run);
            const template = service.inputs.template as Record<string, any>;
            expect(template.scaling).to.deep.equal({ minInstanceCount: 2, maxInstanceCount: 20 });
            expect(service.inputs.ingress).to.equal("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
            expect(service.inputs.location).to.equal("us-central1");
            // Cloud Run's 49-character limit, whatever the component is called.
            expect(service.inputs.name).to.match(/^checkout-[0-9a-f]{8}$/);
            const container = template.containers[0];
            expect(container.ports).to.deep.equal({ containerPort: 8080 });
            expect(container.resources.limits).to.deep.equal({ cpu: "1", memory: "1024Mi" });
        });

        it("probes the health path at startup and while running", () => {
            const container = (run.one(T.run).inputs.template as Record<string, any>).containers[0];
            expect(container.startupProbe.httpGet).to.deep.equal({ path: "/healthz", port: 8080 });
            expect(container.livenessProbe.httpGet).to.deep.equal({ path: "/healthz", port: 8080 });
            expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).to.be.at.most(240);
        });

        it("lets anyone invoke the service (ingress still limits it to the load balancer)", () => {
            const invoker = run.one(T.invoker);
            expect(invoker.inputs).to.include({ role: "roles/run.invoker", member: "allUsers", name: run.one(T.run).inputs.name, location: "us-central1" });
        });

        it("connects Cloud Run to Cloud SQL through the connector, with the password from Secret Manager", () => {
            const template = run.one(T.run).inputs.template as Record<string, any>;
            const env = Object.fromEntries((template.containers[0].envs as { name: string; value?: string; valueSource?: unknown }[]).map((e) => [e.name, e]));
            expect(env.DATABASE_PASSWORD.valueSource).to.deep.equal({ secretKeyRef: { secret: run.one(T.secret).inputs.secretId, version: "latest" } });
            expect(env.DATABASE_PASSWORD.value).to.equal(undefined);
            expect(env.DATABASE_NAME.value).to.equal("checkout");
            expect(template.volumes[0].name).to.equal("cloudsql");
        });

        it("gives the app its primary as writer and an in-region read replica as reader, both through the connector", () => {
            const service = run.one(T.run);
            const template = service.inputs.template as Record<string, any>;
            const env = Object.fromEntries((template.containers[0].envs as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
            const [primary, replica] = run.ofType(T.sql);
            expect(env.DATABASE_WRITER_HOST).to.equal(`/cloudsql/shop-prod-1:us-central1:${primary.name}`);
            expect(env.DATABASE_HOST).to.equal(env.DATABASE_WRITER_HOST);
            expect(env.DATABASE_READER_HOST).to.equal(`/cloudsql/shop-prod-1:us-central1:${replica.name}`);
            expect(template.volumes[0].cloudSqlInstance.instances).to.deep.equal([`shop-prod-1:us-central1:${primary.name}`, `shop-prod-1:us-central1:${replica.name}`]);
            expect(service.propertyDependencies.template).to.include(primary.urn);
        });

        it("puts the service behind a global external HTTPS load balancer on a reserved IP", () => {
            const neg = run.one(T.neg);
            expect(neg.inputs).to.deep.include({ networkEndpointType: "SERVERLESS", region: "us-central1", cloudRun: { service: run.one(T.run).inputs.name } });
            const backend = run.one(T.backend);
            expect(backend.inputs.loadBalancingScheme).to.equal("EXTERNAL_MANAGED");
            expect(backend.inputs.backends).to.deep.equal([{ group: id(neg) }]);
            expect(run.one(T.urlMap, "urlmap").inputs.defaultService).to.equal(id(backend));
            const rules = run.ofType(T.rule);
            expect(rules.map((r) => r.inputs.ipAddress)).to.deep.equal(["203.0.113.10"]);
            expect(rules[0].inputs).to.include({ portRange: "80", loadBalancingScheme: "EXTERNAL_MANAGED", target: id(run.one(T.httpProxy)) });
            expect(run.ofType(T.httpsProxy)).to.have.length(0);
        });

        it("publishes the reserved IP as the endpoint DNS routes to and health-checks", () => {
            expect(run.outputs.address).to.equal("203.0.113.10");
            expect(run.outputs.healthCheckHost).to.equal("203.0.113.10");
        });

        it("keeps three copies as a REGIONAL instance plus one read replica in another zone", () => {
            const instances = run.ofType(T.sql);
            expect(instances).to.have.length(2);
            const primary = primaryOf(run);
            expect(settingsOf(primary).availabilityType).to.equal("REGIONAL");
            expect(settingsOf(primary).locationPreference).to.deep.equal({ zone: "us-central1-a", secondaryZone: "us-central1-b" });
            const replica = run.one(T.sql, "replica-1");
            expect(replica.inputs.masterInstanceName).to.equal(primary.name);
            expect(settingsOf(replica).availabilityType).to.equal("ZONAL");
            expect(settingsOf(replica).locationPreference).to.deep.equal({ zone: "us-central1-c" });
        });

        it("backs up daily at the cron's time with point-in-time recovery, retention and an off-region copy", () => {
            expect(settingsOf(primaryOf(run)).backupConfiguration).to.deep.equal({
                enabled: true,
                startTime: "02:30",
                pointInTimeRecoveryEnabled: true,
                transactionLogRetentionDays: 7,
                backupRetentionSettings: { retainedBackups: 14, retentionUnit: "COUNT" },
                location: "us-east1",
            });
        });

        it("admits only encrypted connections and no authorized networks", () => {
            expect(settingsOf(primaryOf(run)).ipConfiguration).to.deep.equal({ ipv4Enabled: true, authorizedNetworks: [], sslMode: "ENCRYPTED_ONLY" });
        });

        it("creates the database and a user whose password comes from RandomPassword", () => {
            expect(run.one(T.sqlDatabase).inputs).to.include({ instance: primaryOf(run).name, name: "checkout" });
            const user = run.one(T.sqlUser);
            expect(user.inputs.name).to.equal("checkout");
            expect(user.propertyDependencies.password).to.deep.equal([run.one(T.password).urn]);
            expect(run.outputs.databaseId).to.equal(primaryOf(run).name);
        });

        it("protects every stateful child with protect, retainOnDelete and the provider's deletion protection", () => {
            for (const sql of run.ofType(T.sql)) {
                expect(sql.protect, sql.name).to.equal(true);
                expect(sql.retainOnDelete, sql.name).to.equal(true);
                expect(sql.inputs.deletionProtection, sql.name).to.equal(true);
                expect(settingsOf(sql).deletionProtectionEnabled, sql.name).to.equal(true);
            }
            expect(settingsOf(primaryOf(run)).retainBackupsOnDelete).to.equal(true);
            const bucket = run.one(T.bucket);
            expect([bucket.protect, bucket.retainOnDelete]).to.deep.equal([true, true]);
            expect(bucket.inputs).to.include({ forceDestroy: false, deletionPolicy: "PREVENT" });
            expect(run.one(T.sqlDatabase).protect).to.equal(true);
            const secret = run.one(T.secret);
            expect([secret.protect, secret.inputs.deletionProtection]).to.deep.equal([true, true]);
            expect(run.one(T.run).inputs.deletionProtection).to.equal(true);
        });

        it("keeps a versioned, never-public bucket in the region that expires old versions with the backups", () => {
            const bucket = run.one(T.bucket);
            expect(bucket.inputs).to.deep.include({
                location: "US-CENTRAL1",
                versioning: { enabled: true },
                uniformBucketLevelAccess: true,
                publicAccessPrevention: "enforced",
            });
            expect(bucket.inputs.lifecycleRules).to.deep.include({ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 14, withState: "ARCHIVED" } });
            expect(bucket.inputs.customPlacementConfig).to.equal(undefined);
            expect(run.outputs.bucketUri).to.equal("gs://checkout-gcp-bucket");
        });

        it("checks the health path through the load balancer every minute from three regions", () => {
            const uptime = run.one(T.uptime);
            expect(uptime.inputs.period).to.equal("60s");
            expect(uptime.inputs.selectedRegions).to.have.length(3);
            expect(uptime.inputs.monitoredResource).to.deep.equal({ type: "uptime_url", labels: { project_id: "shop-prod-1", host: "203.0.113.10" } });
            expect(uptime.inputs.httpCheck).to.deep.include({ path: "/healthz", port: 80, useSsl: false });
        });

        it("creates an email and a webhook notification channel", () => {
            const channels = run.ofType(T.channel);
            expect(channels.map((c) => [c.inputs.type, c.inputs.labels])).to.deep.equal([
                ["email", { email_address: "oncall@example.com" }],
                ["webhook_tokenauth", { url: "https://hooks.example.com/nonstop" }],
            ]);
        });

        it("alerts on the uptime check, 5xx rate, p99 latency and Cloud SQL health, each to every channel", () => {
            const channelIds = run.ofType(T.channel).map(id);
            const policies = ["uptime", "errors", "latency", "database"].map((k) => run.one(T.alert, `alert-${k}`));
            expect(run.ofType(T.alert)).to.have.length(4);
            for (const p of policies) expect(p.inputs.notificationChannels, p.name).to.deep.equal(channelIds);
            const threshold = (p: RecordedResource, i = 0) => (p.inputs.conditions as { conditionThreshold: Record<string, any> }[])[i].conditionThreshold;
            expect(threshold(policies[0]).filter).to.contain('metric.type="monitoring.googleapis.com/uptime_check/check_passed"');
            const errors = threshold(policies[1]);
            expect(errors.filter).to.contain('metric.type="run.googleapis.com/request_count"').and.contain('response_code_class="5xx"');
            expect(errors.denominatorFilter).to.contain('metric.type="run.googleapis.com/request_count"').and.not.contain("5xx");
            expect(errors.thresholdValue).to.equal(0.05);
            expect(threshold(policies[2]).filter).to.contain("run.googleapis.com/request_latencies");
            expect(threshold(policies[2]).aggregations[0].perSeriesAligner).to.equal("ALIGN_PERCENTILE_99");
            // database/up and CPU for the primary and its replica
            expect(policies[3].inputs.conditions).to.have.length(4);
            expect(threshold(policies[3]).filter).to.contain('metric.type="cloudsql.googleapis.com/database/up"').and.contain('database_id="shop-prod-1:checkout-gcp-db"');
        });

        it("labels every labelable child", () => {
            expect(run.one(T.run).inputs.labels).to.deep.include({ service: "checkout", environment: "prod", site: "gcp-us-central1", "managed-by": "nonstop" });
            expect(settingsOf(primaryOf(run)).userLabels).to.deep.include({ service: "checkout" });
            expect(run.one(T.bucket).inputs.labels).to.deep.include({ service: "checkout" });
            // Provider inputs reach the engine JSON-encoded.
            expect(JSON.parse(run.one(T.provider).inputs.defaultLabels as string)).to.deep.include({ site: "gcp-us-central1" });
        });
    });

    describe("in dev", () => {
        let run: MockRun;
        before(async () => {
            run = await deploy(devArgs());
        });

        it("scales Cloud Run to zero (pilot light)", () => {
            expect((run.one(T.run).inputs.template as Record<string, any>).scaling).to.deep.equal({ minInstanceCount: 0, maxInstanceCount: 2 });
        });

        it("keeps one ZONAL copy with binary logs for mysql and no read replica", () => {
            const instances = run.ofType(T.sql);
            expect(instances).to.have.length(1);
            const settings = settingsOf(instances[0]);
            expect(settings.availabilityType).to.equal("ZONAL");
            expect(settings.locationPreference).to.deep.equal({ zone: "us-central1-a" });
            expect(settings.backupConfiguration).to.deep.include({ enabled: true, startTime: "04:00", binaryLogEnabled: true, transactionLogRetentionDays: 3 });
            expect(settings.backupConfiguration).to.not.have.property("pointInTimeRecoveryEnabled");
            expect(instances[0].inputs.databaseVersion).to.equal("MYSQL_8_0");
            expect(settings.tier).to.equal("db-custom-1-3840");
            expect(settings.diskSize).to.equal(20);
        });

        it("leaves stateful children unprotected so the stack can be torn down", () => {
            const sql = run.one(T.sql);
            expect([sql.protect, sql.retainOnDelete, sql.inputs.deletionProtection, settingsOf(sql).deletionProtectionEnabled]).to.deep.equal([false, false, false, false]);
            const bucket = run.one(T.bucket);
            expect([bucket.protect, bucket.retainOnDelete]).to.deep.equal([false, false]);
            expect(bucket.inputs).to.not.have.property("deletionPolicy");
            expect(run.one(T.run).inputs.deletionProtection).to.equal(false);
        });

        it("creates alert policies with no channels when no one is to be notified", () => {
            expect(run.ofType(T.channel)).to.have.length(0);
            for (const p of run.ofType(T.alert)) expect(p.inputs.notificationChannels).to.deep.equal([]);
        });
    });

    describe("replication factor", () => {
        for (const [rf, availability, replicas] of [
            [1, "ZONAL", 0],
            [2, "REGIONAL", 0],
            [3, "REGIONAL", 1],
            [4, "REGIONAL", 2],
        ] as const) {
            it(`keeps ${rf} cop${rf === 1 ? "y" : "ies"} as ${availability} + ${replicas} read replica(s)`, async () => {
                expect(cloudSqlTopology(rf)).to.deep.equal({ availabilityType: availability, readReplicas: replicas });
                const run = await deploy(prodArgs({ data: { ...prodArgs().data!, replicationFactor: rf } }));
                expect(settingsOf(primaryOf(run)).availabilityType).to.equal(availability);
                expect(run.ofType(T.sql).filter((r) => r.inputs.masterInstanceName !== undefined)).to.have.length(replicas);
            });
        }
    });

    describe("as the secondary of another GCP site", () => {
        const source: SiteDatabase = {
            engine: "postgres",
            cloud: "gcp",
            location: "us-east1",
            host: pulumi.output("10.0.0.5"),
            writerHost: pulumi.output("203.0.113.5"),
            readerHost: pulumi.output("203.0.113.6"),
            connectionName: pulumi.output("shop-prod-1:us-east1:checkout-primary-db"),
            port: 5432,
            databaseName: "checkout",
            username: "checkout",
            password: pulumi.secret("source-password"),
            id: pulumi.output("checkout-primary-db"),
        };
        let run: MockRun;
        before(async () => {
            run = await deploy(prodArgs({ data: { ...prodArgs().data!, replicationFactor: 3, replicaOf: source } }));
        });

        it("runs a cross-region replica of the source instead of a new primary", () => {
            const replica = run.ofType(T.sql).find((r) => r.name === "checkout-gcp-db") as RecordedResource;
            expect(replica.inputs.masterInstanceName).to.equal("checkout-primary-db");
            expect(replica.inputs.replicaConfiguration).to.deep.equal({ failoverTarget: false, cascadableReplica: true });
            expect(settingsOf(replica).availabilityType).to.equal("REGIONAL");
            expect(settingsOf(replica)).to.not.have.property("backupConfiguration");
        });

        it("hangs the extra in-region replica off the cross-region replica", () => {
            expect(run.one(T.sql, "replica-1").inputs.masterInstanceName).to.equal("checkout-gcp-db");
        });

        it("creates no database, user or password of its own", () => {
            expect(run.ofType(T.sqlDatabase)).to.have.length(0);
            expect(run.ofType(T.sqlUser)).to.have.length(0);
            expect(run.ofType(T.password)).to.have.length(0);
        });
    });

    describe("with a domain", () => {
        let run: MockRun;
        before(async () => {
            run = await deploy(prodArgs({ domain: "shop.example.com" }));
        });

        it("serves HTTPS on 443 with a DNS-authorized managed certificate", () => {
            expect(run.one(T.dnsAuthorization).inputs.domain).to.equal("shop.example.com");
            expect((run.one(T.certificate).inputs.managed as Record<string, unknown>).domains).to.deep.equal(["shop.example.com"]);
            expect(run.one(T.certificateMapEntry).inputs.matcher).to.equal("PRIMARY");
            const proxy = run.one(T.httpsProxy);
            expect(proxy.inputs.urlMap).to.equal(id(run.one(T.urlMap, "urlmap")));
            expect(proxy.inputs.certificateMap).to.equal("//certificatemanager.googleapis.com/checkout-gcp-cert-map-id");
            const https = run.one(T.rule, "https");
            expect(https.inputs).to.include({ portRange: "443", target: id(proxy), ipAddress: "203.0.113.10" });
        });

        it("redirects port 80 to HTTPS on the same address", () => {
            const redirect = run.one(T.urlMap, "redirect");
            expect((redirect.inputs.defaultUrlRedirect as Record<string, unknown>).httpsRedirect).to.equal(true);
            expect(run.one(T.rule, "http-redirect").inputs).to.include({ portRange: "80", ipAddress: "203.0.113.10", target: id(run.one(T.httpProxy)) });
        });

        it("health-checks over HTTPS on 443 without validating the certificate against the IP", () => {
            expect(run.one(T.uptime).inputs.httpCheck).to.deep.include({ port: 443, useSsl: true, validateSsl: false });
        });
    });

    describe("with release tracks", () => {
        const blueGreen = (live: "blue" | "green"): TrafficTrack[] => [
            { name: "blue", image: "us-docker.pkg.dev/shop/checkout:1.4.2", percent: live === "blue" ? 100 : 0 },
            { name: "green", image: "us-docker.pkg.dev/shop/checkout:1.5.0", percent: live === "green" ? 100 : 0 },
        ];
        const canary: TrafficTrack[] = [
            { name: "stable", image: "us-docker.pkg.dev/shop/checkout:1.4.2", percent: 90 },
            { name: "canary", image: "us-docker.pkg.dev/shop/checkout:1.5.0-rc.1", percent: 10 },
        ];
        async function deployTracks(tracks: readonly TrafficTrack[], overrides: Partial<GcpSiteArgs> = {}): Promise<MockRun> {
            const args = prodArgs({ tracks, ...overrides });
            return runUnderMocks(
                () => {
                    const site = new GcpSite("checkout-gcp", args);
                    return { tracks: site.tracks, serviceName: site.serviceName, serviceNames: site.serviceNames };
                },
                { config: { "gcp:project": args.project } },
            );
        }
        const templateOf = (r: RecordedResource) => r.inputs.template as Record<string, any>;
        const weights = (run: MockRun) =>
            ((run.one(T.urlMap, "urlmap").inputs.defaultRouteAction as Record<string, any>).weightedBackendServices as { backendService: string; weight: number }[]).map((w) => [w.backendService, w.weight]);

        describe("blue-green, blue live", () => {
            let run: MockRun;
            before(async () => {
                run = await deployTracks(blueGreen("blue"));
            });

            it("runs one Cloud Run service per track, each with its own image, name and track label", () => {
                const blue = run.one(T.run, "run-blue");
                const green = run.one(T.run, "run-green");
                expect(run.ofType(T.run)).to.have.length(2);
                expect(templateOf(blue).containers[0].image).to.equal("us-docker.pkg.dev/shop/checkout:1.4.2");
                expect(templateOf(green).containers[0].image).to.equal("us-docker.pkg.dev/shop/checkout:1.5.0");
                expect(blue.inputs.name).to.match(/^checkout-blue-[0-9a-f]{8}$/);
                expect(green.inputs.name).to.match(/^checkout-green-[0-9a-f]{8}$/);
                expect(blue.inputs.labels).to.deep.include({ track: "blue", service: "checkout" });
                expect(templateOf(green).labels).to.deep.include({ track: "green" });
                expect(templateOf(green).containers[0].envs).to.deep.include({ name: "RELEASE_TRACK", value: "green" });
                expect(blue.inputs.ingress).to.equal("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
                expect(run.one(T.invoker, "invoker-green").inputs.name).to.equal(green.inputs.name);
            });

            it("keeps the idle colour warm at the site's floor, so flipping live moves traffic to running instances", () => {
                for (const colour of ["blue", "green"]) {
                    expect(templateOf(run.one(T.run, `run-${colour}`)).scaling, colour).to.deep.equal({ minInstanceCount: 2, maxInstanceCount: 20 });
                }
            });

            it("leaves track services deletable, since a change of release strategy removes them", () => {
                for (const r of run.ofType(T.run)) expect(r.inputs.deletionProtection, r.name).to.equal(false);
            });

            it("gives every track its own serverless NEG and backend service", () => {
                for (const colour of ["blue", "green"]) {
                    const neg = run.one(T.neg, `neg-${colour}`);
                    expect(neg.inputs.cloudRun, colour).to.deep.equal({ service: run.one(T.run, `run-${colour}`).inputs.name });
                    expect(run.one(T.backend, `backend-${colour}`).inputs.backends, colour).to.deep.equal([{ group: id(neg) }]);
                }
                expect(run.ofType(T.neg)).to.have.length(2);
                expect(run.ofType(T.backend)).to.have.length(2);
            });

            it("splits the URL map's default route by the tracks' percentages: all to blue, none to green", () => {
                const urlMap = run.one(T.urlMap, "urlmap");
                expect(urlMap.inputs.defaultService).to.equal(undefined);
                expect(weights(run)).to.deep.equal([
                    [id(run.one(T.backend, "backend-blue")), 100],
                    [id(run.one(T.backend, "backend-green")), 0],
                ]);
            });

            it("watches 5xx rate and latency of every track's service, one series per service", () => {
                const names = run.ofType(T.run).map((r) => r.inputs.name as string);
                const threshold = (suffix: string) => (run.one(T.alert, `alert-${suffix}`).inputs.conditions as { conditionThreshold: Record<string, any> }[])[0].conditionThreshold;
                const oneOf = `resource.label.service_name=one_of("${names[0]}", "${names[1]}")`;
                expect(threshold("errors").filter).to.contain(oneOf).and.contain('response_code_class="5xx"');
                expect(threshold("errors").denominatorFilter).to.contain(oneOf);
                expect(threshold("errors").aggregations[0].groupByFields).to.deep.equal(["resource.label.service_name"]);
                expect(threshold("latency").filter).to.contain(oneOf);
            });

            it("reports the tracks it serves, and the live colour's service as its service", () => {
                expect(run.outputs.tracks).to.deep.equal(["blue", "green"]);
                expect(run.outputs.serviceName).to.equal(run.one(T.run, "run-blue").inputs.name);
                expect(run.outputs.serviceNames).to.deep.equal(run.ofType(T.run).map((r) => r.inputs.name));
            });
        });

        it("flips the weights, not the resources, when live flips to green", async () => {
            const run = await deployTracks(blueGreen("green"));
            expect(weights(run)).to.deep.equal([
                [id(run.one(T.backend, "backend-blue")), 0],
                [id(run.one(T.backend, "backend-green")), 100],
            ]);
            expect(run.outputs.serviceName).to.equal(run.one(T.run, "run-green").inputs.name);
            expect(run.ofType(T.run).map((r) => r.name)).to.deep.equal(["checkout-gcp-run-blue", "checkout-gcp-run-green"]);
        });

        it("sends a canary its percentage and keeps it at its share of the floor, never below two instances", async () => {
            const run = await deployTracks(canary, { minCapacity: 3 });
            expect(weights(run)).to.deep.equal([
                [id(run.one(T.backend, "backend-stable")), 90],
                [id(run.one(T.backend, "backend-canary")), 10],
            ]);
            expect(templateOf(run.one(T.run, "run-stable")).scaling.minInstanceCount).to.equal(3);
            expect(templateOf(run.one(T.run, "run-canary")).scaling.minInstanceCount).to.equal(2);
            expect(templateOf(run.one(T.run, "run-canary")).containers[0].image).to.equal("us-docker.pkg.dev/shop/checkout:1.5.0-rc.1");
        });

        it("runs no instance of any track in a pilot light", async () => {
            const run = await deployTracks(canary, { minCapacity: 0 });
            for (const r of run.ofType(T.run)) expect(templateOf(r).scaling.minInstanceCount, r.name).to.equal(0);
        });

        it("keeps the single service, NEG, backend and default service without tracks", async () => {
            const run = await deploy(prodArgs({ tracks: [] }));
            expect(run.ofType(T.run).map((r) => r.name)).to.deep.equal(["checkout-gcp-run"]);
            expect(run.ofType(T.neg).map((r) => r.name)).to.deep.equal(["checkout-gcp-neg"]);
            expect(run.one(T.urlMap, "urlmap").inputs).to.deep.equal({ defaultService: id(run.one(T.backend)) });
            const errors = (run.one(T.alert, "alert-errors").inputs.conditions as { conditionThreshold: Record<string, any> }[])[0].conditionThreshold;
            expect(errors.filter).to.contain(`resource.label.service_name="${run.one(T.run).inputs.name}"`).and.not.contain("one_of");
        });

        it("refuses more than five tracks and percentages that do not add up to 100", async () => {
            const six = ["a", "b", "c", "d", "e", "f"].map((name) => ({ name, image: "us-docker.pkg.dev/shop/checkout:1", percent: 10 }));
            const problems = validateGcpSiteArgs(prodArgs({ tracks: six }));
            expect(problems[0]).to.equal("tracks: 6 tracks (a, b, c, d, e, f), but a GCP site's URL map splits requests between at most 5; run fewer versions at once");
            expect(problems[1]).to.contain("tracks: the percentages add up to 60; they must add up to 100");
            let error: unknown;
            try {
                await deployTracks([{ ...canary[0], percent: 95 }, canary[1]]);
            } catch (e) {
                error = e;
            }
            expect(String(error)).to.contain("tracks: the percentages add up to 105");
        });
    });

    it("makes the bucket dual-region with turbo replication when asked", async () => {
        const run = await deploy(prodArgs({ bucketDualRegion: "us-east1" }));
        expect(run.one(T.bucket).inputs).to.deep.include({ location: "US", customPlacementConfig: { dataLocations: ["US-CENTRAL1", "US-EAST1"] }, rpo: "ASYNC_TURBO" });
    });

    it("creates no database or bucket for a stateless site", async () => {
        const run = await deploy(prodArgs({ data: undefined }));
        expect(run.ofType(T.sql)).to.have.length(0);
        expect(run.ofType(T.bucket)).to.have.length(0);
        expect(run.ofType(T.alert).map((p) => p.name)).to.not.include("checkout-gcp-alert-database");
    });

    it("refuses invalid args before creating anything", async () => {
        let error: unknown;
        try {
            await deploy(prodArgs({ minCapacity: 5, maxCapacity: 2 }));
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.contain("minCapacity: 5 is greater than maxCapacity 2");
    });
});

describe("validateGcpSiteArgs", () => {
    it("accepts the prod and dev examples", () => {
        expect(validateGcpSiteArgs(prodArgs())).to.deep.equal([]);
        expect(validateGcpSiteArgs(devArgs())).to.deep.equal([]);
    });

    it("rejects a replication factor Cloud SQL cannot hold in one region", () => {
        expect(validateGcpSiteArgs(prodArgs({ data: { ...prodArgs().data!, replicationFactor: 11 } }))).to.deep.equal([]);
        const [message] = validateGcpSiteArgs(prodArgs({ data: { ...prodArgs().data!, replicationFactor: 12 } }));
        expect(message).to.match(/^data\.replicationFactor: 12 .* expected 1-11 .*10 read replicas/);
    });

    it("rejects a backup copy in the site's own region", () => {
        const [message] = validateGcpSiteArgs(prodArgs({ data: { ...prodArgs().data!, backupCopyRegion: "us-central1" } }));
        expect(message).to.contain('data.backupCopyRegion: "us-central1" is the site\'s own region').and.contain("pick another region");
    });

    it("accepts a multi-region backup location", () => {
        expect(validateGcpSiteArgs(prodArgs({ data: { ...prodArgs().data!, backupCopyRegion: "us" } }))).to.deep.equal([]);
    });

    it("rejects minCapacity above maxCapacity", () => {
        expect(validateGcpSiteArgs(prodArgs({ minCapacity: 30 }))).to.deep.equal(["minCapacity: 30 is greater than maxCapacity 20; lower minCapacity or raise maxCapacity"]);
    });

    it("rejects a bad cron expression, naming the field", () => {
        const [message] = validateGcpSiteArgs(prodArgs({ data: { ...prodArgs().data!, backupSchedule: "0 25 * * *" } }));
        expect(message).to.contain('data.backupSchedule: "0 25 * * *" is not a valid five-field cron expression').and.contain("hour");
    });

    it("rejects a replica source of another engine or in the same region", () => {
        const source = { engine: "mysql", cloud: "gcp", location: "us-central1" } as unknown as SiteDatabase;
        const messages = validateGcpSiteArgs(prodArgs({ data: { ...prodArgs().data!, replicaOf: source } }));
        expect(messages).to.have.length(2);
        expect(messages[0]).to.contain("data.replicaOf: a mysql database cannot feed this site's postgres database");
        expect(messages[1]).to.contain("this site's own region");
    });

    it("rejects a dual-region bucket across continents", () => {
        const [message] = validateGcpSiteArgs(prodArgs({ bucketDualRegion: "europe-west1" }));
        expect(message).to.contain('bucketDualRegion: "europe-west1" and region "us-central1" do not form a configurable dual-region');
    });

    it("rejects bad project, region, port, webhook and domain", () => {
        const messages = validateGcpSiteArgs(prodArgs({ project: "X", region: "central", port: 0, alertWebhooks: ["http://x"], domain: "https://shop.example.com" }));
        expect(messages.map((m) => m.split(":")[0])).to.deep.equal(["project", "region", "port", "domain", "alertWebhooks[0]"]);
    });

    it("rejects memory Cloud Run cannot give", () => {
        expect(validateGcpSiteArgs(prodArgs({ memoryMb: 65536 }))[0]).to.contain("memoryMb: 65536 is outside what Cloud Run offers");
        expect(validateGcpSiteArgs(prodArgs({ cpu: 4096, memoryMb: 1024 }))[0]).to.contain("memoryMb: 1024 is too little for 4 Cloud Run vCPUs");
    });
});

describe("validateGcpSiteName", () => {
    it("keeps the name short and lowercase enough to prefix GCP resource names", () => {
        expect(validateGcpSiteName("checkout-us-central1")).to.deep.equal([]);
        expect(validateGcpSiteName("Checkout")[0]).to.match(/^name: "Checkout" must be lowercase/);
        expect(validateGcpSiteName("a".repeat(41))[0]).to.contain("is 41 characters; at most 40");
    });

    it("keeps each track's backend service name within GCP's limit", () => {
        const track = (name: string) => [{ name, image: "x", percent: 100 }];
        expect(validateGcpSiteName("checkout-gcp-us-central1", track("release-candidate"))).to.deep.equal([]);
        expect(validateGcpSiteName("a".repeat(40), track("stable"))).to.deep.equal([]);
        const [problem] = validateGcpSiteName("a".repeat(40), track("release"));
        expect(problem).to.match(/^tracks\[0\]\.name: "release" makes the backend service name "a{40}-backend-release" 56 characters; .* shorten the track name or the site name$/);
    });
});

describe("gcpSiteWarnings", () => {
    it("warns that a schedule more often than daily becomes one daily backup plus point-in-time recovery", () => {
        const [warning] = gcpSiteWarnings(devArgs({ data: { ...devArgs().data!, backupSchedule: "15 */6 * * *" } }));
        expect(warning).to.contain("one automated backup daily (at 00:15 UTC)");
    });

    it("warns when prod notifies no one", () => {
        expect(gcpSiteWarnings(prodArgs({ alertEmails: [], alertWebhooks: [] }))[0]).to.match(/^alertEmails\/alertWebhooks: none given in prod/);
    });
});

describe("resolveGcpSiteDefaults", () => {
    it("protects stateful resources in prod and not in dev unless asked", () => {
        expect(resolveGcpSiteDefaults(prodArgs()).protectStateful).to.equal(true);
        expect(resolveGcpSiteDefaults(devArgs()).protectStateful).to.equal(false);
        expect(resolveGcpSiteDefaults(devArgs({ protectStateful: true })).protectStateful).to.equal(true);
    });

    it("sizes storage and tier by environment", () => {
        expect(resolveGcpSiteDefaults(prodArgs()).data).to.deep.include({ storageGb: 100, tier: "db-custom-2-7680", databaseVersion: "POSTGRES_16", objectStorage: true });
        expect(resolveGcpSiteDefaults(devArgs()).data).to.deep.include({ storageGb: 20, tier: "db-custom-1-3840" });
    });

    it("cleans user tags into GCP labels", () => {
        expect(resolveGcpSiteDefaults(prodArgs({ tags: { "Cost Center": "R&D", "1team": "Web" } })).labels).to.deep.include({ cost_center: "r_d", t_1team: "web" });
    });
});

describe("cloudSqlBackupStartTime", () => {
    it("takes the first time of day the cron fires", () => {
        expect(cloudSqlBackupStartTime("30 2 * * *")).to.equal("02:30");
        expect(cloudSqlBackupStartTime("0 */6 * * *")).to.equal("00:00");
        expect(cloudSqlBackupStartTime("5,45 22,3 * * 1-5")).to.equal("03:05");
        expect(cloudSqlBackupStartTime("0 9-17/4 * * *")).to.equal("09:00");
    });
});

describe("cloudRunCpu", () => {
    it("rounds up to a whole Cloud Run CPU size that allows the memory", () => {
        expect(cloudRunCpu(512, 1024)).to.equal(1);
        expect(cloudRunCpu(1536, 1024)).to.equal(2);
        expect(cloudRunCpu(1024, 6144)).to.equal(2);
        expect(cloudRunCpu(5000, 8192)).to.equal(6);
    });
});

describe("cloudRunServiceName", () => {
    it("suffixes a track's service with its track and keeps every name within Cloud Run's 49 characters", () => {
        expect(cloudRunServiceName("checkout", "0badf00d")).to.equal("checkout-0badf00d");
        expect(cloudRunServiceName("checkout", "0badf00d", "green")).to.equal("checkout-green-0badf00d");
        const long = "a".repeat(60);
        expect(cloudRunServiceName(long, "0badf00d")).to.have.length(49);
        expect(cloudRunServiceName(long, "0badf00d", "release-candidate")).to.have.length(49).and.match(/-release-candidate-0badf00d$/);
    });
});
