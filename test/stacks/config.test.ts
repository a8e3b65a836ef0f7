import { expect } from "chai";
import { ConfigError, parseStackConfig, siteKey, UNDECRYPTED_SECRET, UNDECRYPTED_WEBHOOK } from "../../stacks/config";

/** A valid prod-like config; each test mutates one thing. */
function validConfig(): Record<string, unknown> {
    return {
        "aws:region": "us-east-1",
        "gcp:project": "nonstop-prod",
        "nonstop:environment": "prod",
        "nonstop:dns": { provider: "route53", zone: "example.com", ttlSeconds: 30, healthCheck: { intervalSeconds: 10, failureThreshold: 3, path: "/healthz" } },
        "nonstop:targets": { rtoSeconds: 300, rpoSeconds: 60, availability: 0.9995 },
        "nonstop:services": [
            {
                name: "checkout",
                image: "ghcr.io/acme/checkout:1.4.2",
                port: 8080,
                healthCheckPath: "/healthz",
                topology: "active-passive",
                sites: [
                    { cloud: "aws", region: "us-east-1", role: "primary", minCapacity: 3, maxCapacity: 12 },
                    { cloud: "gcp", region: "us-central1", role: "secondary", minCapacity: 2, maxCapacity: 12 },
                ],
                data: { engine: "postgres", replicationFactor: 3, backup: { schedule: "0 */6 * * *", retentionDays: 35, crossRegionCopy: "us-west-2" } },
            },
        ],
        // The GCP standby's database is a change-data-capture copy: it serves reads only.
        "nonstop:readOnlySites": { checkout: ["gcp-us-central1"] },
    };
}

function issuesOf(values: Record<string, unknown>, stack = "prod"): { path: string; message: string }[] {
    try {
        parseStackConfig(values, stack);
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return [...(e as ConfigError).issues];
    }
    throw new Error("expected a ConfigError");
}

function services(values: Record<string, unknown>): Record<string, unknown>[] {
    return values["nonstop:services"] as Record<string, unknown>[];
}

function sites(values: Record<string, unknown>, i = 0): Record<string, unknown>[] {
    return services(values)[i].sites as Record<string, unknown>[];
}

describe("stack config (stacks/config.ts)", () => {
    it("accepts a valid design and applies defaults", () => {
        const cfg = parseStackConfig(validConfig(), "prod");
        expect(cfg.environment).to.equal("prod");
        expect(cfg.protectStateful).to.equal(true);
        expect(cfg.automateDataFailover).to.equal(true);
        expect(cfg.services[0].sites.map(siteKey)).to.deep.equal(["aws-us-east-1", "gcp-us-central1"]);
        expect(cfg.gcpProject).to.equal("nonstop-prod");
        expect(cfg.stackFile).to.equal("Pulumi.prod.yaml");
    });

    it("accepts structured values as JSON strings, as the Pulumi CLI hands them to programs", () => {
        const values = Object.fromEntries(Object.entries(validConfig()).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
        expect(parseStackConfig(values, "prod").services[0].name).to.equal("checkout");
    });

    it("defaults protectStateful and automateDataFailover to false in dev", () => {
        const v = validConfig();
        v["nonstop:environment"] = "dev";
        const cfg = parseStackConfig(v, "dev");
        expect(cfg.protectStateful).to.equal(false);
        expect(cfg.automateDataFailover).to.equal(false);
        v["nonstop:automateDataFailover"] = true;
        expect(parseStackConfig(v, "dev").automateDataFailover).to.equal(true);
    });

    it("names the stack file, the key path and the expectation for a wrong enum value", () => {
        const v = validConfig();
        sites(v)[1].role = "backup";
        const issues = issuesOf(v);
        expect(issues).to.have.length(1);
        expect(issues[0].path).to.equal("nonstop:services[0].sites[1].role");
        expect(issues[0].message).to.contain('"primary" | "secondary"').and.contain('"backup"');
        try {
            parseStackConfig(v, "prod");
        } catch (e) {
            expect((e as Error).message).to.contain("Pulumi.prod.yaml: nonstop:services[0].sites[1].role");
        }
    });

    it("rejects an unknown key (a typo) with a did-you-mean hint", () => {
        const v = validConfig();
        sites(v)[0].minCapcity = 2;
        const issues = issuesOf(v);
        expect(issues.map((i) => i.path)).to.include("nonstop:services[0].sites[0].minCapcity");
        expect(issues.find((i) => i.path.endsWith("minCapcity"))?.message).to.contain('did you mean "minCapacity"');
    });

    it("rejects an unknown top-level key of the namespace", () => {
        const v = validConfig();
        v["nonstop:servcies"] = [];
        const issues = issuesOf(v);
        expect(issues[0].path).to.equal("nonstop:servcies");
        expect(issues[0].message).to.contain('did you mean "nonstop:services"');
    });

    it("reports wrong types and out-of-range values", () => {
        const v = validConfig();
        services(v)[0].port = "eighty";
        (services(v)[0].data as { replicationFactor: number }).replicationFactor = 0;
        const paths = issuesOf(v).map((i) => i.path);
        expect(paths).to.include.members(["nonstop:services[0].port", "nonstop:services[0].data.replicationFactor"]);
    });

    it("reports every problem at once, not one per run", () => {
        const v = validConfig();
        sites(v)[0].role = "leader";
        services(v)[0].port = 70000;
        (v["nonstop:dns"] as Record<string, unknown>).provider = "bind";
        v["nonstop:targets"] = { rtoSeconds: -1, rpoSeconds: 0, availability: 2 };
        expect(issuesOf(v).length).to.be.at.least(5);
    });

    it("cross-checks every service that parses even when another one does not", () => {
        const v = validConfig();
        const broken = { ...services(v)[0], name: "broken", port: "eighty" };
        const contradictory = { ...services(v)[0], name: "orders", topology: "active-active" };
        v["nonstop:services"] = [broken, contradictory];
        const paths = issuesOf(v).map((i) => i.path);
        expect(paths).to.include("nonstop:services[0].port");
        expect(paths).to.include("nonstop:services[1].sites[0].role");
    });

    it("rejects a site list that contradicts an active-passive topology", () => {
        const v = validConfig();
        sites(v)[1].role = "primary";
        const issues = issuesOf(v);
        expect(issues.map((i) => i.message).join("\n")).to.contain("exactly one site with role primary, found 2");
    });

    it("rejects roles in an active-active service and asks for weights", () => {
        const v = validConfig();
        services(v)[0].topology = "active-active";
        const issues = issuesOf(v);
        expect(issues.map((i) => i.path)).to.include.members(["nonstop:services[0].sites[0].role", "nonstop:services[0].sites[0].weight"]);
    });

    it("rejects a single-site active-active service", () => {
        const v = validConfig();
        services(v)[0].topology = "active-active";
        services(v)[0].sites = [{ cloud: "aws", region: "us-east-1", weight: 100, minCapacity: 2, maxCapacity: 4 }];
        expect(issuesOf(v).map((i) => i.message).join()).to.contain("at least two sites");
    });

    it("requires a cluster (not a region) for kubernetes sites", () => {
        const v = validConfig();
        sites(v)[1] = { cloud: "kubernetes", region: "us-east-1", role: "secondary", minCapacity: 2, maxCapacity: 4 };
        const paths = issuesOf(v).map((i) => i.path);
        expect(paths).to.include.members(["nonstop:services[0].sites[1].cluster", "nonstop:services[0].sites[1].region"]);
    });

    it("rejects minCapacity above maxCapacity", () => {
        const v = validConfig();
        sites(v)[0].minCapacity = 20;
        expect(issuesOf(v)[0].path).to.equal("nonstop:services[0].sites[0].minCapacity");
    });

    it("rejects a Route 53 health-check interval Route 53 does not offer", () => {
        const v = validConfig();
        (v["nonstop:dns"] as { healthCheck: { intervalSeconds: number } }).healthCheck.intervalSeconds = 15;
        const issue = issuesOf(v)[0];
        expect(issue.path).to.equal("nonstop:dns.healthCheck.intervalSeconds");
        expect(issue.message).to.contain("expected 10 or 30");
    });

    it("rejects a Cloud DNS health-check interval shorter than Cloud DNS probes", () => {
        const v = validConfig();
        const dns = v["nonstop:dns"] as { provider: string; healthCheck: { intervalSeconds: number } };
        dns.provider = "clouddns";
        sites(v)[0] = { cloud: "gcp", region: "us-east4", role: "primary", minCapacity: 2, maxCapacity: 4 };
        // Backups are copied in the writer's cloud, now GCP.
        (services(v)[0].data as { backup: { crossRegionCopy: string } }).backup.crossRegionCopy = "us-west1";
        const issue = issuesOf(v).find((i) => i.path === "nonstop:dns.healthCheck.intervalSeconds");
        expect(issue?.message).to.contain("expected 30 or more");
        dns.healthCheck.intervalSeconds = 30;
        expect(() => parseStackConfig(v, "prod")).to.not.throw();
    });

    it("rejects aws sites behind Cloud DNS and says which provider can", () => {
        const v = validConfig();
        (v["nonstop:dns"] as Record<string, unknown>).provider = "clouddns";
        const issue = issuesOf(v).find((i) => i.path === "nonstop:services[0].sites[0].cloud");
        expect(issue?.message).to.contain("use nonstop:dns.provider route53");
    });

    it("rejects a backup copy to the data's own region", () => {
        const v = validConfig();
        (services(v)[0].data as { backup: { crossRegionCopy: string } }).backup.crossRegionCopy = "us-east-1";
        expect(issuesOf(v)[0].path).to.equal("nonstop:services[0].data.backup.crossRegionCopy");
    });

    it("rejects a drill on a site the service does not have", () => {
        const v = validConfig();
        v["nonstop:drill"] = { service: "checkout", failSite: "aws-eu-west-1" };
        const issue = issuesOf(v)[0];
        expect(issue.path).to.equal("nonstop:drill.failSite");
        expect(issue.message).to.contain("aws-us-east-1, gcp-us-central1");
    });

    it("requires the core keys", () => {
        const issues = issuesOf({ "aws:region": "us-east-1" });
        expect(issues.map((i) => i.path)).to.deep.equal(["nonstop:services", "nonstop:dns", "nonstop:targets"]);
    });

    it("requires gcp:project when a service has a gcp site", () => {
        const v = validConfig();
        delete v["gcp:project"];
        expect(issuesOf(v).map((i) => i.path)).to.include("gcp:project");
    });

    it("uses the stack file it is given in messages", () => {
        const v = validConfig();
        services(v)[0].port = 0;
        try {
            parseStackConfig(v, "prod", "ci/prod-override.yaml");
            expect.fail("expected a ConfigError");
        } catch (e) {
            expect((e as Error).message).to.contain("ci/prod-override.yaml: nonstop:services[0].port");
        }
    });
});

describe("stack config: every value a component would refuse is refused here, with its key path", () => {
    /** The message for one key path (fails when there is none). */
    function issueAt(values: Record<string, unknown>, path: string): string {
        const issues = issuesOf(values);
        const found = issues.find((i) => i.path === path);
        expect(found, `no issue at ${path}: ${JSON.stringify(issues)}`).to.not.equal(undefined);
        return (found as { message: string }).message;
    }
    const backup = (v: Record<string, unknown>) => (services(v)[0].data as { backup: Record<string, unknown> }).backup;

    it("refuses cron fields out of range, zero steps and words, naming the field", () => {
        for (const [schedule, detail] of [
            ["61 * * * *", 'minute field "61" has "61", outside 0-59'],
            ["*/0 * * * *", "step 0"],
            ["a b c d e", 'minute field "a" has "a"'],
        ]) {
            const v = validConfig();
            backup(v).schedule = schedule;
            expect(issueAt(v, "nonstop:services[0].data.backup.schedule")).to.contain(detail);
        }
    });

    it("refuses a schedule AWS Backup cannot run when the service has an AWS site", () => {
        const v = validConfig();
        backup(v).schedule = "*/15 * * * *";
        expect(issueAt(v, "nonstop:services[0].data.backup.schedule")).to.contain("more than once an hour").and.contain("AWS Backup");
    });

    it("refuses regions the site's cloud does not have, saying which cloud a region belongs to", () => {
        const v = validConfig();
        sites(v)[0].region = "us-central1";
        sites(v)[1].region = "us-east-1";
        expect(issueAt(v, "nonstop:services[0].sites[0].region")).to.contain('expected an AWS region such as us-east-1; "us-central1" is a GCP region (got "us-central1")');
        expect(issueAt(v, "nonstop:services[0].sites[1].region")).to.contain('"us-east-1" is an AWS region');
        const w = validConfig();
        sites(w)[0].region = "mars-north-1";
        expect(issueAt(w, "nonstop:services[0].sites[0].region")).to.contain("expected an AWS region").and.contain('(got "mars-north-1")');
        backup(w).crossRegionCopy = "us-west-9";
        expect(issueAt(w, "nonstop:services[0].data.backup.crossRegionCopy")).to.contain('did you mean "us-west-1"?');
    });

    it("refuses dual-region buckets GCP cannot build", () => {
        const v = validConfig();
        sites(v)[1].bucketDualRegion = "europe-west1";
        expect(issueAt(v, "nonstop:services[0].sites[1].bucketDualRegion")).to.contain("same continent as us-central1");
        sites(v)[1].bucketDualRegion = "us-central1";
        expect(issueAt(v, "nonstop:services[0].sites[1].bucketDualRegion")).to.contain("not the site's own");
        sites(v)[1].bucketDualRegion = "us-east1";
        expect(() => parseStackConfig(v, "prod")).to.not.throw();
    });

    it("refuses a malformed loadBalancerIp, a malformed gcp:project and unknown provider regions", () => {
        const v = validConfig();
        sites(v)[1] = { cloud: "kubernetes", cluster: "prod-eu", role: "secondary", minCapacity: 2, maxCapacity: 4, loadBalancerIp: "300.1.2.3" };
        v["gcp:project"] = "My_Project";
        v["aws:region"] = "us-east-9";
        v["gcp:region"] = "us-east-1";
        expect(issueAt(v, "nonstop:services[0].sites[1].loadBalancerIp")).to.contain("an IPv4 address");
        expect(issueAt(v, "gcp:project")).to.contain('expected a GCP project id').and.contain('(got "My_Project")');
        expect(issueAt(v, "aws:region")).to.contain('did you mean "us-east-1"?');
        expect(issueAt(v, "gcp:region")).to.contain('"us-east-1" is an AWS region');
    });

    it("refuses Fargate cpu/memory pairs, even the default memory with cpu 1024, saying it is the default", () => {
        const v = validConfig();
        services(v)[0].cpu = 1024;
        expect(issueAt(v, "nonstop:services[0].memoryMb")).to.contain("1024 does not fit Fargate cpu 1024; use 2048 to 8192").and.contain("this is the default");
        services(v)[0].cpu = 1000;
        expect(issueAt(v, "nonstop:services[0].cpu")).to.contain("not a Fargate CPU size");
        services(v)[0].cpu = 1024;
        services(v)[0].memoryMb = 2048;
        expect(() => parseStackConfig(v, "prod")).to.not.throw();
    });

    it("refuses what Cloud Run cannot run when the service has a GCP site", () => {
        const v = validConfig();
        sites(v)[0] = { cloud: "gcp", region: "us-east4", role: "primary", minCapacity: 2, maxCapacity: 4 };
        backup(v).crossRegionCopy = "us-west1";
        services(v)[0].cpu = 16384;
        services(v)[0].memoryMb = 32768;
        expect(issueAt(v, "nonstop:services[0].cpu")).to.contain("outside what Cloud Run offers");
    });

    it("refuses container images that are not image references", () => {
        const v = validConfig();
        services(v)[0].image = "ghcr.io/Acme/Checkout:1.4.2";
        services(v)[0].release = { strategy: "canary", canaryImage: "checkout:1.5 beta", canaryPercent: 10 };
        expect(issueAt(v, "nonstop:services[0].image")).to.contain("expected a container image reference").and.contain('(got "ghcr.io/Acme/Checkout:1.4.2")');
        expect(issueAt(v, "nonstop:services[0].release.canaryImage")).to.contain("expected a container image reference");
        for (const good of ["nginx", "registry.example.com:5000/team/app:v1.2_3", `ghcr.io/acme/app@sha256:${"a".repeat(64)}`, "ghcr.io/acme/app:1.4.2@sha256:" + "0".repeat(64)]) {
            services(v)[0].image = good;
            services(v)[0].release = undefined;
            expect(() => parseStackConfig(v, "prod"), good).to.not.throw();
        }
    });

    it("refuses keys in a namespace that is a typo of nonstop, with the key it meant", () => {
        const v = validConfig();
        v["nonstp:alerts"] = { emails: ["a@example.com"] };
        v["Nonstop:protectStateful"] = true;
        expect(issueAt(v, "nonstp:alerts")).to.contain('unknown namespace "nonstp"; did you mean "nonstop:alerts"?');
        expect(issueAt(v, "Nonstop:protectStateful")).to.contain('did you mean "nonstop:protectStateful"?');
        // Other programs' namespaces are not typos.
        const w = validConfig();
        w["random:seed"] = "1";
        w["webapp:dbPassword"] = "x";
        expect(() => parseStackConfig(w, "prod")).to.not.throw();
    });

    it("refuses one availability zone for an AWS site in prod and the values Cloud SQL and RDS cannot hold", () => {
        const v = validConfig();
        sites(v)[0].azCount = 1;
        (services(v)[0].data as Record<string, unknown>).replicationFactor = 12;
        (services(v)[0].data as Record<string, unknown>).storageGb = 10;
        expect(issueAt(v, "nonstop:services[0].sites[0].azCount")).to.contain("expected 2 or more in prod");
        expect(issueAt(v, "nonstop:services[0].data.replicationFactor")).to.contain("at most 11 with a GCP site");
        expect(issueAt(v, "nonstop:services[0].data.storageGb")).to.contain("at least 20 with an AWS site");
    });

    it("reports all of these problems in the same run", () => {
        const v = validConfig();
        backup(v).schedule = "61 * * * *";
        sites(v)[0].region = "mars-north-1";
        services(v)[0].image = "Bad Image";
        v["nonstp:alerts"] = {};
        v["gcp:project"] = "X";
        expect(issuesOf(v).map((i) => i.path)).to.include.members([
            "nonstop:services[0].data.backup.schedule",
            "nonstop:services[0].sites[0].region",
            "nonstop:services[0].image",
            "nonstp:alerts",
            "gcp:project",
        ]);
    });

    describe("secrets", () => {
        it("never echoes a webhook URL (it carries a token) in an error", () => {
            const v = validConfig();
            v["nonstop:alerts"] = { webhooks: ["http://hooks.example.com/T0KEN-abc123"] };
            const message = issueAt(v, "nonstop:alerts.webhooks[0]");
            expect(message).to.contain("an https:// URL").and.not.contain("T0KEN-abc123");
        });

        it("accepts a webhook the offline preview could not decrypt, standing in a reserved https URL", () => {
            const v = validConfig();
            v["nonstop:alerts"] = { webhooks: [UNDECRYPTED_SECRET] };
            expect(parseStackConfig(v, "prod").alerts.webhooks).to.deep.equal([UNDECRYPTED_WEBHOOK]);
        });

        it("never echoes the value of a secret key in an error", () => {
            const v = validConfig();
            v["nonstop:gcpProject"] = "Secret_Project_Name";
            const message = (() => {
                try {
                    parseStackConfig(v, "prod", "Pulumi.prod.yaml", ["nonstop:gcpProject"]);
                } catch (e) {
                    return (e as Error).message;
                }
                return "";
            })();
            expect(message).to.contain("nonstop:gcpProject").and.contain("value not shown").and.not.contain("Secret_Project_Name");
        });
    });
});

describe("stack config: the failover keys (issue 12)", () => {
    const kubernetesShop = (cnpg?: unknown): Record<string, unknown> => {
        const v = validConfig();
        delete v["nonstop:readOnlySites"];
        services(v)[0].sites = [
            { cloud: "kubernetes", cluster: "gke-eu", role: "primary", minCapacity: 3, maxCapacity: 12 },
            { cloud: "kubernetes", cluster: "gke-us", role: "secondary", minCapacity: 2, maxCapacity: 12 },
        ];
        if (cnpg) v["nonstop:cnpg"] = cnpg;
        return v;
    };

    it("refuses a site that cannot reach the writer unless it is declared read-only, naming the key to set", () => {
        const v = validConfig();
        delete v["nonstop:readOnlySites"];
        const [issue] = issuesOf(v);
        expect(issue.path).to.equal("nonstop:services[0].sites[1]");
        expect(issue.message).to.contain("site gcp-us-central1 cannot reach the writer database in aws-us-east-1").and.contain("nonstop:readOnlySites: { checkout: [gcp-us-central1] }");
    });

    it("accepts the declaration and hands it to the program", () => {
        expect(parseStackConfig(validConfig(), "prod").readOnlySites).to.deep.equal({ checkout: ["gcp-us-central1"] });
    });

    it("refuses read-only entries that are not sites of the service, or the writer's own site", () => {
        const v = validConfig();
        v["nonstop:readOnlySites"] = { checkout: ["gcp-us-central1", "aws-us-east-1", "gcp-europe-west1"], search: ["aws-us-east-1"] };
        expect(issuesOf(v).map((i) => [i.path, i.message.split(";")[0]])).to.deep.equal([
            ["nonstop:readOnlySites.checkout[1]", '"aws-us-east-1" holds checkout\'s writer database'],
            ["nonstop:readOnlySites.checkout[2]", '"gcp-europe-west1" is not a site of service checkout'],
            ["nonstop:readOnlySites.search", '"search" is not a service of this stack'],
        ]);
    });

    it("refuses MySQL on Kubernetes: CloudNativePG is Postgres only", () => {
        const v = kubernetesShop({ sites: { checkout: { "kubernetes-gke-eu": { externalHost: "pg.eu.example.com", backup: { destinationPath: "gs://b/eu" } }, "kubernetes-gke-us": { backup: { destinationPath: "gs://b/us" } } } } });
        (services(v)[0].data as Record<string, unknown>).engine = "mysql";
        const issue = issuesOf(v).find((i) => i.path === "nonstop:services[0].data.engine")!;
        expect(issue.message).to.contain('"mysql" cannot run on kubernetes site kubernetes-gke-eu').and.contain("CloudNativePG operator, which is Postgres only");
    });

    it("requires a backup store for every Kubernetes database in prod, and a way for a replica cluster to follow its upstream", () => {
        const issues = issuesOf(kubernetesShop());
        expect(issues.map((i) => i.path)).to.include.members([
            "nonstop:cnpg.sites.checkout.kubernetes-gke-eu.backup",
            "nonstop:cnpg.sites.checkout.kubernetes-gke-us.backup",
            "nonstop:cnpg.sites.checkout.kubernetes-gke-eu",
            // No external host for the upstream: the standby's app cannot write there either.
            "nonstop:services[0].sites[1]",
        ]);
        const ok = kubernetesShop({ sites: { checkout: { "kubernetes-gke-eu": { externalHost: "pg.eu.example.com", backup: { destinationPath: "gs://b/eu" } }, "kubernetes-gke-us": { backup: { destinationPath: "gs://b/us" } } } } });
        expect(parseStackConfig(ok, "prod").cnpg.sites?.checkout["kubernetes-gke-eu"].externalHost).to.equal("pg.eu.example.com");
    });

    it("refuses a Kubernetes pilot light, and a pilot light with nothing to scale out to", () => {
        const v = kubernetesShop({ sites: { checkout: { "kubernetes-gke-eu": { externalHost: "pg.eu.example.com", backup: { destinationPath: "gs://b/eu" } }, "kubernetes-gke-us": { backup: { destinationPath: "gs://b/us" } } } } });
        services(v)[0].standby = "pilot-light";
        expect(issuesOf(v).map((i) => i.path)).to.deep.equal(["nonstop:services[0].standby"]);
        // An AWS pilot light scales out to its minCapacity: 0 would never serve (the component refuses it too).
        const w = validConfig();
        services(w)[0].standby = "pilot-light";
        sites(w)[1] = { cloud: "aws", region: "us-west-2", role: "secondary", minCapacity: 0, maxCapacity: 12 };
        delete w["nonstop:readOnlySites"];
        const [issue] = issuesOf(w);
        expect(issue.path).to.equal("nonstop:services[0].sites[1].minCapacity");
        expect(issue.message).to.contain("0 for pilot-light secondary aws-us-west-2").and.contain("expected 1 or more");
        sites(w)[1].minCapacity = 1;
        expect(() => parseStackConfig(w, "prod")).to.not.throw();
    });

    it("refuses an external host or backup path the Kubernetes site would refuse, without repeating what depends on them", () => {
        const v = kubernetesShop({ sites: { checkout: { "kubernetes-gke-eu": { externalHost: "-pg.eu.example.com.", backup: { destinationPath: "gs://b/eu" } }, "kubernetes-gke-us": { backup: { destinationPath: "b/us" } } } } });
        expect(issuesOf(v).map((i) => i.path)).to.deep.equal([
            "nonstop:cnpg.sites.checkout.kubernetes-gke-eu.externalHost",
            "nonstop:cnpg.sites.checkout.kubernetes-gke-us.backup.destinationPath",
        ]);
    });

    it("takes a failback for a service of the stack, and switchBack only for an Aurora Global Database", () => {
        const v = validConfig();
        v["nonstop:failback"] = { service: "checkout" };
        expect(parseStackConfig(v, "prod").failback).to.deep.equal({ service: "checkout" });
        v["nonstop:failback"] = { service: "checkout", switchBack: true };
        expect(issuesOf(v)[0]).to.deep.include({ path: "nonstop:failback.switchBack" });
        v["nonstop:failback"] = { service: "search" };
        expect(issuesOf(v)[0].path).to.equal("nonstop:failback.service");
    });
});
