// The offline preview as a user runs it: a spawned `nonstop` process, its output and exit code.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..", "..");
const fixtures = path.join(root, "test", "fixtures");
const singleAzDb = path.join(fixtures, "programs", "single-az-db");

function nonstop(...args: string[]): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [path.join(root, "bin", "nonstop.js"), ...args], { cwd: root, encoding: "utf8", timeout: 60000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonOut {
    stacks: {
        stack: string;
        resources: { type: string; name: string; urn: string; parent: string | null; props: Record<string, unknown>; protect: boolean; retainOnDelete: boolean }[];
        violations: { policyPack: string; policy: string; enforcementLevel: string; urn: string | null; message: string }[];
        services: unknown[];
    }[];
}

describe("nonstop preview (CLI)", function () {
    this.timeout(120000);

    it("prints usage and exits 0 for --help", () => {
        const r = nonstop("--help");
        expect(r.code).to.equal(0);
        expect(r.stdout).to.contain("usage: nonstop preview");
    });

    it("exits 2 on an unknown option and says which", () => {
        const r = nonstop("preview", "--stak", "prod");
        expect(r.code).to.equal(2);
        expect(r.stderr).to.contain("unknown option --stak");
    });

    it("exits 2 when a stack file does not exist, naming the stacks that do", () => {
        const r = nonstop("preview", "--program", singleAzDb, "--stack", "staging");
        expect(r.code).to.equal(2);
        expect(r.stderr).to.contain("no Pulumi.staging.yaml").and.contain("stacks here: test");
    });

    it("runs a foreign program with --program and catches its single-AZ database (advisory: exit 0)", () => {
        const r = nonstop("preview", "--program", singleAzDb, "--stack", "test", "--json");
        expect(r.stderr).to.equal("");
        expect(r.code).to.equal(0);
        const out = JSON.parse(r.stdout) as JsonOut;
        expect(out.stacks).to.have.length(1);
        const s = out.stacks[0];
        expect(s.stack).to.equal("test");
        const db = s.resources.find((x) => x.type === "aws:rds/instance:Instance");
        expect(db?.name).to.equal("orders");
        expect(db?.props.multiAz).to.equal(false);
        // Outputs of resources not yet created are unknown at preview: null in JSON.
        expect(db?.props.dbSubnetGroupName).to.equal(null);
        expect(db?.urn).to.equal("urn:pulumi:test::single-az-db::aws:rds/instance:Instance::orders");
        const multiAz = s.violations.find((v) => v.policy === "rds-multi-az");
        expect(multiAz, JSON.stringify(s.violations, null, 1)).to.not.equal(undefined);
        expect(multiAz?.enforcementLevel).to.equal("advisory");
        expect(multiAz?.urn).to.equal(db?.urn);
        expect(multiAz?.policyPack).to.equal("nonstop-resilience");
    });

    it("exits 1 when the prod pack config makes the violation mandatory", () => {
        const r = nonstop("preview", "--program", singleAzDb, "--stack", "test", "--policy-pack-config", path.join(root, "policies", "config", "prod.json"));
        expect(r.code).to.equal(1);
        expect(r.stdout).to.contain("mandatory").and.contain("[rds-multi-az]").and.contain("would be refused");
    });

    it("runs a third-party pack unchanged, with schema defaults, config overrides and unknown-value skips", () => {
        const pack = path.join(fixtures, "packs", "no-public-buckets");
        let r = nonstop("preview", "--program", singleAzDb, "--stack", "test", "--policy-pack", pack, "--json");
        expect(r.code, r.stderr).to.equal(1);
        let v = (JSON.parse(r.stdout) as JsonOut).stacks[0].violations;
        expect(v.map((x) => x.policy)).to.deep.equal(["db-backup-retention-at-least-7"]);
        expect(v[0]).to.include({ policyPack: "no-public-buckets", enforcementLevel: "mandatory" });
        expect(v[0].message).to.contain("backupRetentionPeriod 1 < 7");

        const cfg = path.join(os.tmpdir(), `nonstop-pack-config-${process.pid}.json`);
        fs.writeFileSync(cfg, JSON.stringify({ "db-backup-retention-at-least-7": { enforcementLevel: "advisory", days: 1 } }));
        r = nonstop("preview", "--program", singleAzDb, "--stack", "test", "--policy-pack", pack, "--policy-pack-config", cfg, "--json");
        expect(r.code, r.stderr).to.equal(0);
        v = (JSON.parse(r.stdout) as JsonOut).stacks[0].violations;
        expect(v).to.deep.equal([]);
    });

    it("exits 2 when the pack config does not match a policy's schema", () => {
        const pack = path.join(fixtures, "packs", "no-public-buckets");
        const cfg = path.join(os.tmpdir(), `nonstop-bad-pack-config-${process.pid}.json`);
        fs.writeFileSync(cfg, JSON.stringify({ "db-backup-retention-at-least-7": { days: "seven" } }));
        const r = nonstop("preview", "--program", singleAzDb, "--stack", "test", "--policy-pack", pack, "--policy-pack-config", cfg);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.contain("db-backup-retention-at-least-7.days").and.contain("must be integer");
    });

    it("exits 2 and shows what threw when the program throws", () => {
        const r = nonstop("preview", "--program", path.join(fixtures, "programs", "throws"), "--stack", "test");
        expect(r.code).to.equal(2);
        expect(r.stderr).to.contain("the program threw").and.contain("bucket name list is empty").and.contain("index.js");
    });

    it("previews nonstop's own stacks with services, the what-if matrix and a report; prod is refused for the defects the model finds until #12's shapes land", () => {
        const report = path.join(os.tmpdir(), `nonstop-report-${process.pid}.md`);
        const r = nonstop("preview", "--json", "--report", report);
        // Exit 1: prod.json makes the model-driven rules mandatory, and today's prod writes to replicas,
        // starts its promotion from the region it recovers and fails back onto stale data.
        expect(r.code, r.stderr).to.equal(1);
        const out = JSON.parse(r.stdout) as JsonOut & { stacks: { whatIf: { domain: string; service: string }[] }[] };
        expect(out.stacks.map((s) => s.stack)).to.deep.equal(["dev", "prod"]);
        const [dev, prod] = out.stacks;
        expect([...new Set(prod.violations.map((v) => v.policy))]).to.have.members(["writes-to-read-only-database", "recovery-trigger-in-failed-region", "automatic-failback-after-data-failover", "resilience-budget"]);
        expect(prod.violations.every((v) => v.enforcementLevel === "mandatory")).to.equal(true);
        expect(dev.violations.length).to.be.greaterThan(0);
        expect(dev.violations.every((v) => v.enforcementLevel === "advisory")).to.equal(true);
        const services = prod.services as { name: string; topology: string; sites: unknown[]; rtoSeconds: number | null; rpoSeconds: number | null; availability: number | null; terms: unknown[] }[];
        expect(services.map((x) => [x.name, x.topology, x.sites.length]).sort()).to.deep.equal([
            ["catalog.example.com", "active-active", 3],
            ["checkout.example.com", "active-passive", 2],
        ]);
        for (const svc of services) {
            expect(svc.rtoSeconds, svc.name).to.be.a("number").and.greaterThan(300);
            expect(svc.terms.length, svc.name).to.be.greaterThan(3);
        }
        expect(prod.whatIf.filter((w) => w.domain === "region:aws/us-east-1").map((w) => w.service).sort()).to.deep.equal(["catalog.example.com", "checkout.example.com"]);
        // Stateful resources are protected in prod: the engine will see protect and retainOnDelete.
        const db = prod.resources.find((x) => x.type === "aws:rds/cluster:Cluster" && x.name === "checkout-aws-us-east-1-db");
        expect(db).to.include({ protect: true, retainOnDelete: true });
        expect(db?.props.deletionProtection).to.equal(true);
        const md = fs.readFileSync(report, "utf8");
        expect(md).to.contain("```mermaid").and.contain("| checkout.example.com | active-passive (warm) |").and.contain("#### What if: checkout.example.com");
    });

    it("exits 2 with every config error at once, naming the stack file and key paths", () => {
        const r = nonstop("preview", "--stack", "prod", "--config-file", path.join(fixtures, "stacks", "typo.yaml"));
        expect(r.code).to.equal(2);
        expect(r.stderr).to.contain("test/fixtures/stacks/typo.yaml: nonstop:services[0].port");
        expect(r.stderr).to.contain("nonstop:services[0].sites[1].role");
        expect(r.stderr).to.contain("nonstop:services[0].sites[1].minCapcity").and.contain('did you mean "minCapacity"');
        expect(r.stderr).to.contain('nonstop:services[0].data.replicationFactor: expected number (got "three")');
        expect(r.stderr).to.contain("nonstop:services[1].sites[0].role").and.contain("contradicts topology active-active");
        expect(r.stdout).to.equal("");
    });
});
