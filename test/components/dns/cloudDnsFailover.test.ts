import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { backupLocations, CloudDnsFailover, CloudDnsFailoverArgs, DRILL_UNREACHABLE_ADDRESS, validateCloudDnsFailoverArgs } from "../../../components/dns/cloudDnsFailover";
import { RoutedEndpoint } from "../../../components/dns/endpoints";
import { MockRun, RecordedResource, runUnderMocks } from "../../harness";

const T = {
    recordSet: "gcp:dns/recordSet:RecordSet",
    healthCheck: "gcp:compute/healthCheck:HealthCheck",
    zone: "gcp:dns/managedZone:ManagedZone",
};

const config = { "gcp:project": "shop-prod-1", "gcp:region": "us-central1" };

function ipEndpoint(key: string, location: string, address: string, extra: Partial<RoutedEndpoint> = {}): RoutedEndpoint {
    return {
        key,
        cloud: key.startsWith("gcp") ? "gcp" : "kubernetes",
        location,
        target: { kind: "ip", address: pulumi.output(address) },
        healthCheckHost: pulumi.output(address),
        healthCheckPath: "/healthz",
        healthCheckPort: 80,
        ...extra,
    };
}

function activePassive(overrides: Partial<CloudDnsFailoverArgs> = {}): CloudDnsFailoverArgs {
    return {
        zoneName: "example.com",
        project: "shop-prod-1",
        recordName: "checkout",
        mode: "failover",
        ttlSeconds: 30,
        healthCheck: { intervalSeconds: 30, failureThreshold: 3 },
        endpoints: [
            ipEndpoint("gcp-us-central1", "us-central1", "203.0.113.10", { role: "primary" }),
            ipEndpoint("gcp-europe-west1", "europe-west1", "203.0.113.20", { role: "secondary" }),
        ],
        ...overrides,
    };
}

async function run(args: () => CloudDnsFailoverArgs): Promise<MockRun> {
    return runUnderMocks(() => {
        new CloudDnsFailover("checkout-dns", args());
    }, { config });
}

interface Policy {
    healthCheck: string;
    primaryBackup?: { primary: { externalEndpoints: string[] }; backupGeos: { location: string; healthCheckedTargets: { externalEndpoints: string[] } }[]; trickleRatio: number };
    wrrs?: { weight: number; healthCheckedTargets: { externalEndpoints: string[] } }[];
}

const policyOf = (record: RecordedResource) => record.inputs.routingPolicy as Policy;

describe("CloudDnsFailover", () => {
    describe("active-passive (primaryBackup)", () => {
        let r: MockRun;
        before(async () => {
            r = await run(() => activePassive());
        });

        it("answers with the primary's address while it is healthy and backs it up with the secondary's", () => {
            const policy = policyOf(r.one(T.recordSet));
            expect(policy.primaryBackup?.primary.externalEndpoints).to.deep.equal(["203.0.113.10"]);
            expect(policy.primaryBackup?.backupGeos).to.deep.equal([{ location: "europe-west1", healthCheckedTargets: { externalEndpoints: ["203.0.113.20"] } }]);
        });

        it("sends no traffic to the standby while the primary is healthy", () => {
            expect(policyOf(r.one(T.recordSet)).primaryBackup?.trickleRatio).to.equal(0);
        });

        it("judges the targets with the health check it creates", () => {
            const check = r.one(T.healthCheck);
            expect(policyOf(r.one(T.recordSet)).healthCheck).to.equal(`${check.name}-id`);
        });

        it("probes from three regions at the configured interval and threshold", () => {
            const check = r.one(T.healthCheck).inputs;
            expect(check.sourceRegions).to.deep.equal(["us-central1", "europe-west1", "asia-southeast1"]);
            expect(check.checkIntervalSec).to.equal(30);
            expect(check.unhealthyThreshold).to.equal(3);
            expect(check.httpHealthCheck).to.deep.equal({ port: 80, requestPath: "/healthz", portSpecification: "USE_FIXED_PORT" });
            expect(check.httpsHealthCheck).to.equal(undefined);
        });

        it("publishes one A record set with the configured TTL in the zone it looked up", () => {
            const record = r.one(T.recordSet).inputs;
            expect([record.name, record.type, record.ttl, record.managedZone]).to.deep.equal(["checkout.example.com.", "A", 30, "example-com"]);
            expect(record.rrdatas).to.equal(undefined);
            expect(r.ofType(T.zone)).to.have.length(0);
        });
    });

    it("fails the drilled site's health-checked target by giving it an unreachable address, leaving the others as they are", async () => {
        const r = await run(() => activePassive({ drillSiteKey: "gcp-us-central1" }));
        const policy = policyOf(r.one(T.recordSet));
        expect(policy.primaryBackup?.primary.externalEndpoints).to.deep.equal([DRILL_UNREACHABLE_ADDRESS]);
        expect(policy.primaryBackup?.backupGeos[0].healthCheckedTargets.externalEndpoints).to.deep.equal(["203.0.113.20"]);
        // The shared check itself is unchanged: changing its path would fail every site at once.
        expect((r.one(T.healthCheck).inputs.httpHealthCheck as { requestPath: string }).requestPath).to.equal("/healthz");
    });

    it("weights each site's own address in active-active", async () => {
        const r = await run(() =>
            activePassive({
                mode: "weighted",
                ttlSeconds: 60,
                endpoints: [
                    ipEndpoint("gcp-us-central1", "us-central1", "203.0.113.10", { weight: 3 }),
                    ipEndpoint("kubernetes-eu", "eu", "198.51.100.7", { weight: 1 }),
                ],
            }),
        );
        const record = r.one(T.recordSet);
        expect(policyOf(record).wrrs).to.deep.equal([
            { weight: 3, healthCheckedTargets: { externalEndpoints: ["203.0.113.10"] } },
            { weight: 1, healthCheckedTargets: { externalEndpoints: ["198.51.100.7"] } },
        ]);
        expect(policyOf(record).healthCheck).to.equal("checkout-dns-hc-id");
        expect(record.inputs.ttl).to.equal(60);
    });

    it("uses an HTTPS check when the sites serve health on 443, with the configured path", async () => {
        const r = await run(() =>
            activePassive({
                healthCheck: { intervalSeconds: 60, failureThreshold: 2, path: "/ready" },
                endpoints: activePassive().endpoints.map((e) => ({ ...e, healthCheckPort: 443 })),
            }),
        );
        const check = r.one(T.healthCheck).inputs;
        expect(check.httpsHealthCheck).to.deep.equal({ port: 443, requestPath: "/ready", portSpecification: "USE_FIXED_PORT" });
        expect([check.checkIntervalSec, check.unhealthyThreshold]).to.deep.equal([60, 2]);
    });

    it("creates the managed zone when asked", async () => {
        const r = await run(() => activePassive({ createZone: true }));
        const zone = r.one(T.zone).inputs;
        expect([zone.name, zone.dnsName, zone.visibility]).to.deep.equal(["example-com", "example.com.", "public"]);
        expect(r.one(T.recordSet).inputs.managedZone).to.equal("example-com");
    });

    it("refuses an AWS load balancer (no fixed IP) before creating anything", async () => {
        let error: unknown;
        try {
            await run(() => {
                const a = activePassive();
                const dnsName = pulumi.output("lb.us-east-1.elb.amazonaws.com");
                const aws: RoutedEndpoint = { ...a.endpoints[0], key: "aws-us-east-1", cloud: "aws", target: { kind: "alias", dnsName, zoneId: pulumi.output("Z1") } };
                return { ...a, endpoints: [aws, a.endpoints[1]] };
            });
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.match(/endpoints\[0\]\.target: site aws-us-east-1 has a "alias" target; Cloud DNS health-checks only IP endpoints/);
    });
});

describe("validateCloudDnsFailoverArgs", () => {
    const base = (): CloudDnsFailoverArgs => ({
        zoneName: "example.com",
        recordName: "checkout",
        mode: "failover",
        ttlSeconds: 30,
        healthCheck: { intervalSeconds: 30, failureThreshold: 3 },
        endpoints: [
            { key: "gcp-us-central1", cloud: "gcp", location: "us-central1", role: "primary", target: { kind: "ip" }, healthCheckPath: "/healthz", healthCheckPort: 80 },
            { key: "kubernetes-eu", cloud: "kubernetes", location: "eu", role: "secondary", target: { kind: "ip" }, healthCheckPath: "/healthz", healthCheckPort: 80 },
        ] as unknown as RoutedEndpoint[],
    });

    it("accepts IP endpoints probed alike", () => {
        expect(validateCloudDnsFailoverArgs(base())).to.deep.equal([]);
    });

    it("refuses intervals shorter than Cloud DNS external-endpoint checks allow", () => {
        expect(validateCloudDnsFailoverArgs({ ...base(), healthCheck: { intervalSeconds: 10, failureThreshold: 3 } }).join("\n")).to.match(/intervalSeconds: 10 is not allowed .* expected 30-300/);
    });

    it("refuses sites probed on different ports, since one check probes them all", () => {
        const a = base();
        const endpoints = [a.endpoints[0], { ...a.endpoints[1], healthCheckPort: 443 }];
        expect(validateCloudDnsFailoverArgs({ ...a, endpoints }).join("\n")).to.match(/health checks differ in protocol or port \(gcp-us-central1 HTTP:80, kubernetes-eu HTTPS:443\)/);
    });

    it("refuses differing paths unless healthCheck.path names one", () => {
        const a = base();
        const endpoints = [a.endpoints[0], { ...a.endpoints[1], healthCheckPath: "/ready" }];
        expect(validateCloudDnsFailoverArgs({ ...a, endpoints }).join("\n")).to.match(/health-check paths differ/);
        expect(validateCloudDnsFailoverArgs({ ...a, endpoints, healthCheck: { ...a.healthCheck, path: "/healthz" } })).to.deep.equal([]);
    });

    it("refuses anything but exactly three probe regions", () => {
        expect(validateCloudDnsFailoverArgs({ ...base(), sourceRegions: ["us-central1", "europe-west1"] }).join("\n")).to.match(/must name exactly 3 distinct GCP regions/);
    });

    it("refuses several probes for one site (there is one check per record set)", () => {
        const a = base();
        const endpoints = [{ ...a.endpoints[0], extraProbes: [{ host: undefined, path: "/", port: 80 }] } as unknown as RoutedEndpoint, a.endpoints[1]];
        expect(validateCloudDnsFailoverArgs({ ...a, endpoints }).join("\n")).to.match(/extraProbes: Cloud DNS has one health check per record set/);
    });
});

describe("backupLocations", () => {
    it("serves a Kubernetes backup (no GCP region) from the default location, grouping backups by geography", () => {
        const e = (key: string, location: string) => ({ key, location }) as RoutedEndpoint;
        const groups = backupLocations([e("gcp-europe-west1", "europe-west1"), e("kubernetes-eu", "eu"), e("kubernetes-us", "us-prod")], "us-central1");
        expect(groups.map((g) => [g.location, g.endpoints.map((x) => x.key)])).to.deep.equal([
            ["europe-west1", ["gcp-europe-west1"]],
            ["us-central1", ["kubernetes-eu", "kubernetes-us"]],
        ]);
    });
});
