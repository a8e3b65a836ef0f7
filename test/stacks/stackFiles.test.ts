import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import YAML from "yaml";
import { parseStackConfig, siteKey, StackConfig } from "../../stacks/config";
import { repoRoot, stackConfig } from "./stackFiles";

describe("Pulumi.yaml", () => {
    it("runs the TypeScript program in stacks/ of the project nonstop", () => {
        const project = YAML.parse(fs.readFileSync(path.join(repoRoot(), "Pulumi.yaml"), "utf8")) as { name: string; main: string; runtime: { name: string; options: { typescript: boolean } } };
        expect(project.name).to.equal("nonstop");
        expect(project.main).to.equal("stacks/");
        expect(project.runtime).to.deep.equal({ name: "nodejs", options: { typescript: true } });
    });
});

describe("Pulumi.prod.yaml", () => {
    let prod: StackConfig;
    before(() => {
        prod = parseStackConfig(stackConfig("prod"), "prod");
    });

    it("is a valid prod stack that protects stateful resources", () => {
        expect(prod.environment).to.equal("prod");
        expect(prod.protectStateful).to.equal(true);
        expect(prod.providers).to.include({ "aws:region": "us-east-1", "gcp:region": "us-central1" });
        expect(prod.gcpProject).to.be.a("string");
    });

    it("fails DNS over within about a minute: Route 53, TTL 30 s, checks every 10 s, 3 failures", () => {
        expect(prod.dns).to.deep.include({ provider: "route53", ttlSeconds: 30 });
        expect(prod.dns.healthCheck).to.deep.equal({ intervalSeconds: 10, failureThreshold: 3, path: "/healthz" });
        expect(prod.targets).to.deep.equal({ rtoSeconds: 900, rpoSeconds: 120, availability: 0.9995 });
    });

    it("has an active-passive service whose primary and secondary are on different clouds", () => {
        const ap = prod.services.filter((s) => s.topology === "active-passive");
        expect(ap).to.have.length.greaterThan(0);
        const crossCloud = ap.find((s) => {
            const primary = s.sites.find((x) => x.role === "primary")!;
            return s.sites.some((x) => x.role === "secondary" && x.cloud !== primary.cloud);
        });
        expect(crossCloud?.name).to.equal("checkout");
        // An AWS standby in another region first (its Aurora secondary is promoted in minutes), GCP when all of AWS is lost.
        expect(crossCloud?.sites.map(siteKey)).to.deep.equal(["aws-us-east-1", "aws-us-west-2", "gcp-us-central1"]);
        expect(crossCloud?.standby ?? "warm").to.equal("warm");
    });

    it("has an active-active service over at least two sites", () => {
        const aa = prod.services.filter((s) => s.topology === "active-active");
        expect(aa).to.have.length.greaterThan(0);
        for (const s of aa) expect(s.sites.length).to.be.at.least(2);
    });

    it("keeps three copies of every service's data and copies backups to another region", () => {
        for (const s of prod.services) {
            expect(s.data.replicationFactor, s.name).to.be.at.least(3);
            expect(s.data.backup.crossRegionCopy, s.name).to.be.a("string");
        }
    });

    it("spreads every AWS site over three availability zones", () => {
        for (const s of prod.services) for (const site of s.sites.filter((x) => x.cloud === "aws")) expect(site.azCount, `${s.name} ${siteKey(site)}`).to.equal(3);
    });

    it("releases every service through a canary share (a blue-green flip would expose every request at once)", () => {
        expect(prod.services.map((s) => s.release?.strategy ?? "rolling")).to.deep.equal(["canary", "canary"]);
        for (const s of prod.services) expect(s.release?.strategy === "canary" ? s.release.canaryPercent : undefined, s.name).to.be.at.most(10);
    });

    it("keeps every GCP site's objects in a dual-region bucket", () => {
        const gcp = prod.services.flatMap((s) => s.sites).filter((x) => x.cloud === "gcp");
        expect(gcp.map((x) => x.bucketDualRegion)).to.deep.equal(["us-east1", "us-central1"]);
    });

    it("alerts someone", () => {
        expect((prod.alerts.emails ?? []).length + (prod.alerts.webhooks ?? []).length).to.be.greaterThan(0);
    });
});

describe("Pulumi.dev.yaml", () => {
    let dev: StackConfig;
    before(() => {
        dev = parseStackConfig(stackConfig("dev"), "dev");
    });

    it("is a small dev stack on one cloud", () => {
        expect(dev.environment).to.equal("dev");
        expect(dev.protectStateful).to.equal(false);
        const clouds = new Set(dev.services.flatMap((s) => s.sites.map((x) => x.cloud)));
        expect([...clouds]).to.deep.equal(["aws"]);
    });

    it("keeps one copy of the data, two zones per site and a pilot-light standby", () => {
        for (const s of dev.services) {
            expect(s.data.replicationFactor).to.equal(1);
            for (const site of s.sites) expect(site.azCount).to.equal(2);
        }
        expect(dev.services.some((s) => s.standby === "pilot-light")).to.equal(true);
    });

    it("shows the blue-green release strategy", () => {
        expect(dev.services.map((s) => s.release?.strategy)).to.deep.equal(["blue-green"]);
    });
});

describe("the pack's resilience budget per stack (policies/config/<stack>.json)", () => {
    for (const stack of ["dev", "prod"]) {
        it(`${stack}: judges the targets Pulumi.${stack}.yaml declares, so the pack under the real CLI and the offline preview agree`, () => {
            const pack = JSON.parse(fs.readFileSync(path.join(repoRoot(), "policies", "config", `${stack}.json`), "utf8")) as Record<string, unknown>;
            expect(pack["resilience-budget"]).to.deep.equal({ ...parseStackConfig(stackConfig(stack), stack).targets });
        });
    }
});

describe("sites[].bucketDualRegion (added for GCP sites)", () => {
    it("is refused on a site that is not on GCP", () => {
        const config = stackConfig("prod");
        const services = JSON.parse(JSON.stringify(config["nonstop:services"])) as { sites: Record<string, unknown>[] }[];
        services[0].sites[0].bucketDualRegion = "us-west-2";
        expect(() => parseStackConfig({ ...config, "nonstop:services": services }, "prod")).to.throw(/nonstop:services\[0\]\.sites\[0\]\.bucketDualRegion: is only for gcp sites/);
    });
});
