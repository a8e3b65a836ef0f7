// The offline preview as a user runs it: spawned `nonstop` processes, their output and exit codes.
// Every process starts together in one `before` (a few at a time) and each `it` reads its result.
import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PassThrough } from "stream";
import { main } from "../../preview/cli";

const root = path.resolve(__dirname, "..", "..", "..");
const fixtures = path.join(root, "test", "fixtures");
const previewFixtures = path.join(fixtures, "preview");
const singleAzDb = path.join(fixtures, "programs", "single-az-db");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nonstop-cli-"));

interface Run {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

interface RunSpec {
    readonly args: readonly string[];
    /** Working directory of the process. @default the repository root */
    readonly cwd?: string;
    /** Close the reading end of stdout at once, as `| head` does. @default false */
    readonly closeStdout?: boolean;
}

function nonstop(spec: RunSpec): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(root, "bin", "nonstop.js"), ...spec.args], { cwd: spec.cwd ?? root, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        if (spec.closeStdout) child.stdout.destroy();
        else child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        const timer = setTimeout(() => child.kill("SIGKILL"), 90000);
        child.on("error", reject);
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        });
    });
}

/** Runs the CLI's main in this process (cheap: the SDKs are loaded once), capturing its streams. */
async function inProcess(...args: string[]): Promise<Run> {
    const collect = () => {
        const stream = new PassThrough();
        let text = "";
        stream.on("data", (d: Buffer) => (text += d.toString()));
        return { stream, text: () => text };
    };
    const out = collect();
    const err = collect();
    const code = await main(args, out.stream, err.stream);
    return { code, stdout: out.text(), stderr: err.text() };
}

/** Runs every spec, `concurrency` at a time (the machine is shared). */
async function runAll<K extends string>(specs: Record<K, RunSpec>, concurrency = 4): Promise<Record<K, Run>> {
    const keys = Object.keys(specs) as K[];
    const out = {} as Record<K, Run>;
    let next = 0;
    const worker = async () => {
        while (next < keys.length) {
            const k = keys[next++];
            out[k] = await nonstop(specs[k]);
        }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return out;
}

interface JsonOut {
    verdict: { exitCode: number; mandatoryViolations: number; incomplete: number; allowIncomplete: boolean };
    stacks: {
        stack: string;
        notes: string[];
        incomplete: { kind: string; what: string; why: string; urn: string | null }[];
        resources: {
            type: string;
            name: string;
            urn: string;
            parent: string | null;
            props: Record<string, unknown>;
            protect: boolean;
            retainOnDelete: boolean;
            dependencies: string[];
            propertyDependencies: Record<string, string[]>;
        }[];
        violations: { policyPack: string; policy: string; enforcementLevel: string; urn: string | null; message: string }[];
        services: unknown[];
    }[];
}

const file = (name: string, text: string) => {
    const f = path.join(tmp, name);
    fs.writeFileSync(f, text);
    return f;
};
const pack = (name: string) => path.join(previewFixtures, "packs", name);
const program = (name: string) => path.join(previewFixtures, name);
const reports = { own: path.join(tmp, "own.md"), webapp: path.join(tmp, "webapp.md") };
const thirdPartyPack = path.join(fixtures, "packs", "no-public-buckets");
// Where nonstop's own pack is not the point, a one-policy pack keeps each run light.
const lightPack = ["--policy-pack", pack("reads-references")];

/** Runs where the process itself is the point: exit codes through bin/, stdout vs stderr, idle detection, EPIPE, ES modules. */
const specs = {
    foreign: { args: ["preview", "--program", singleAzDb, "--stack", "test", "--json"] },
    own: { args: ["preview", "--json", "--report", reports.own] },
    rejected: { args: ["preview", "--program", program("rejected"), "--stack", "test", ...lightPack] },
    liveTimer: { args: ["preview", "--program", program("unfinished"), "--stack", "b-timer", "--time-limit", "2", ...lightPack] },
    webappJson: {
        args: ["preview", "--program", program("webapp"), "--stack", "test", "--policy-pack", path.join(root, "policies"), "--policy-pack", pack("reads-references"), "--json", "--report", reports.webapp],
        cwd: tmp,
    },
    webappText: { args: ["preview", "--program", program("webapp"), "--stack", "test"], cwd: os.tmpdir() },
    esm: { args: ["preview", "--program", program("esm"), "--stack", "ci", "--policy-pack", pack("tagging")] },
    esmPolicyEnabled: { args: ["preview", "--program", program("esm"), "--stack", "ci", "--policy-pack", pack("tagging"), "--policy-pack-config", file("tagging.json", JSON.stringify({ "legacy-naming": "advisory", "owner-lookup": "advisory" }))] },
    closedPipe: { args: ["preview", "--program", singleAzDb, "--stack", "test", "--json", ...lightPack], closeStdout: true },
} satisfies Record<string, RunSpec>;

/** Runs of the CLI's main in this process (what it returns is what bin/ exits with), one after the other. */
const local = {
    help: ["--help"],
    unknownOption: ["preview", "--stak", "prod"],
    missingConfigFile: ["preview", "--program", singleAzDb, "--stack", "staging", "--config-file", path.join(tmp, "absent.yaml")],
    prodConfig: ["preview", "--program", singleAzDb, "--stack", "test", "--policy-pack-config", path.join(root, "policies", "config", "prod.json")],
    prodEu: ["preview", "--program", singleAzDb, "--stack", "prod-eu"],
    thirdParty: ["preview", "--program", singleAzDb, "--stack", "test", "--policy-pack", thirdPartyPack, "--json"],
    thirdPartyConfigured: ["preview", "--program", singleAzDb, "--stack", "test", "--policy-pack", thirdPartyPack, "--json", "--policy-pack-config", file("relaxed.json", JSON.stringify({ "db-backup-retention-at-least-7": { enforcementLevel: "advisory", days: 1 } }))],
    badPackConfig: ["preview", "--program", singleAzDb, "--stack", "test", "--policy-pack", thirdPartyPack, "--policy-pack-config", file("bad.json", JSON.stringify({ "db-backup-retention-at-least-7": { days: "seven" } }))],
    throws: ["preview", "--program", path.join(fixtures, "programs", "throws"), "--stack", "test", ...lightPack],
    typo: ["preview", "--stack", "prod", "--config-file", path.join(fixtures, "stacks", "typo.yaml")],
    remote: ["preview", "--program", program("remote"), "--stack", "test", "--json"],
    exitInProgram: ["preview", "--program", program("unfinished"), "--stack", "a-exit", ...lightPack],
    reportInMissingDir: ["preview", "--program", singleAzDb, "--stack", "test", "--report", path.join(tmp, "no", "such", "dir", "r.md"), ...lightPack],
    reportOverInput: ["preview", "--program", singleAzDb, "--stack", "test", "--report", path.join(singleAzDb, "Pulumi.test.yaml")],
    dataSourcesNotObject: ["preview", "--program", singleAzDb, "--stack", "test", "--data-sources", file("answers.json", "[1, 2]")],
    whatIf: ["preview", "--stack", "prod", "--what-if", "region:aws/us-east-1"],
} satisfies Record<string, string[]>;

describe("nonstop preview (CLI)", function () {
    this.timeout(240000);
    let r: Record<keyof typeof specs | keyof typeof local, Run>;
    before(async () => {
        // The spawned processes run while this process runs the local ones.
        const inThisProcess = async () => {
            const out = {} as Record<keyof typeof local, Run>;
            for (const [k, args] of Object.entries(local) as [keyof typeof local, string[]][]) out[k] = await inProcess(...args);
            return out;
        };
        const [spawned, here] = await Promise.all([runAll(specs), inThisProcess()]);
        r = { ...spawned, ...here };
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const json = (run: Run): JsonOut => JSON.parse(run.stdout) as JsonOut;

    it("prints usage with the exit codes and exits 0 for --help", () => {
        expect(r.help.code).to.equal(0);
        expect(r.help.stdout).to.contain("usage: nonstop preview").and.contain("--allow-incomplete").and.contain("3 something was not evaluated");
    });

    it("exits 2 on an unknown option and says which", () => {
        expect(r.unknownOption.code).to.equal(2);
        expect(r.unknownOption.stderr).to.contain("unknown option --stak");
    });

    it("exits 2 when the --config-file it is given does not exist", () => {
        expect(r.missingConfigFile.code).to.equal(2);
        expect(r.missingConfigFile.stderr).to.contain("--config-file").and.contain("absent.yaml: no such file");
    });

    it("judges a stack with no config of its own by its environment's: prod-eu gets prod.json (mandatory), never every rule's advisory default", () => {
        expect(r.prodEu.stdout).to.contain(`(${path.join("policies", "config", "prod.json")}))`).and.contain("mandatory [rds-multi-az]");
        expect(r.prodEu.code).to.equal(1);
        expect(r.foreign.stdout).to.not.contain("prod.json");
    });

    it("runs a foreign program with --program and catches its single-AZ database (advisory: exit 0)", () => {
        expect(r.foreign.stderr).to.equal("");
        expect(r.foreign.code).to.equal(0);
        const out = json(r.foreign);
        expect(out.stacks).to.have.length(1);
        const s = out.stacks[0];
        expect(s.stack).to.equal("test");
        expect(s.incomplete).to.deep.equal([]);
        expect(out.verdict).to.deep.equal({ exitCode: 0, mandatoryViolations: 0, incomplete: 0, allowIncomplete: false });
        const db = s.resources.find((x) => x.type === "aws:rds/instance:Instance");
        expect(db?.name).to.equal("orders");
        expect(db?.props.multiAz).to.equal(false);
        // Outputs of resources not yet created are unknown at preview: null in JSON.
        expect(db?.props.dbSubnetGroupName).to.equal(null);
        expect(db?.urn).to.equal("urn:pulumi:test::single-az-db::aws:rds/instance:Instance::orders");
        // The graph the policies saw: what each resource and each property came from.
        const subnetGroup = s.resources.find((x) => x.type === "aws:rds/subnetGroup:SubnetGroup");
        expect(db?.propertyDependencies.dbSubnetGroupName).to.deep.equal([subnetGroup?.urn]);
        expect(db?.dependencies).to.include(subnetGroup?.urn);
        const multiAz = s.violations.find((v) => v.policy === "rds-multi-az");
        expect(multiAz, JSON.stringify(s.violations, null, 1)).to.not.equal(undefined);
        expect(multiAz?.enforcementLevel).to.equal("advisory");
        expect(multiAz?.urn).to.equal(db?.urn);
        expect(multiAz?.policyPack).to.equal("nonstop-resilience");
    });

    it("exits 1 when the prod pack config makes the violation mandatory", () => {
        expect(r.prodConfig.code).to.equal(1);
        expect(r.prodConfig.stdout).to.contain("mandatory").and.contain("[rds-multi-az]").and.contain("would be refused");
    });

    it("runs a third-party pack unchanged, with schema defaults, config overrides and unknown-value skips", () => {
        expect(r.thirdParty.code, r.thirdParty.stderr).to.equal(1);
        const v = json(r.thirdParty).stacks[0].violations;
        expect(v.map((x) => x.policy)).to.deep.equal(["db-backup-retention-at-least-7"]);
        expect(v[0]).to.include({ policyPack: "no-public-buckets", enforcementLevel: "mandatory" });
        expect(v[0].message).to.contain("backupRetentionPeriod 1 < 7");
        expect(r.thirdPartyConfigured.code, r.thirdPartyConfigured.stderr).to.equal(0);
        expect(json(r.thirdPartyConfigured).stacks[0].violations).to.deep.equal([]);
    });

    it("exits 2 when the pack config does not match a policy's schema", () => {
        expect(r.badPackConfig.code).to.equal(2);
        expect(r.badPackConfig.stderr).to.contain("db-backup-retention-at-least-7.days").and.contain("must be integer");
    });

    it("exits 2 and shows what threw when the program throws", () => {
        expect(r.throws.code).to.equal(2);
        expect(r.throws.stderr).to.contain("the program threw").and.contain("bucket name list is empty").and.contain("index.js");
    });

    it("previews nonstop's own stacks: everything evaluated, prod with no violation and within its targets, dev only advisory; services, the what-if matrix and a report", () => {
        expect(r.own.code, r.own.stderr).to.equal(0);
        const out = json(r.own) as JsonOut & { stacks: { whatIf: { domain: string; service: string }[] }[] };
        expect(out.stacks.map((s) => s.stack)).to.deep.equal(["dev", "prod"]);
        const [dev, prod] = out.stacks;
        expect(dev.incomplete, JSON.stringify(dev.incomplete)).to.deep.equal([]);
        expect(prod.incomplete, JSON.stringify(prod.incomplete)).to.deep.equal([]);
        expect(prod.violations.map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
        expect(out.verdict).to.deep.include({ exitCode: 0, mandatoryViolations: 0, incomplete: 0 });
        expect(dev.violations.length).to.be.greaterThan(0);
        expect(dev.violations.every((v) => v.enforcementLevel === "advisory")).to.equal(true);
        const services = prod.services as { name: string; topology: string; sites: unknown[]; rtoSeconds: number | null; rpoSeconds: number | null; availability: number | null; terms: unknown[] }[];
        expect(services.map((x) => [x.name, x.topology, x.sites.length]).sort()).to.deep.equal([
            ["catalog.example.com", "active-active", 3],
            ["checkout.example.com", "active-passive", 3],
        ]);
        for (const svc of services) {
            // Known at preview (P90, the pessimistic end the budget judges): minutes, not hours, and within
            // prod's targets (900 s, 120 s) - but above the 300 s and 60 s an Aurora global failover cannot promise.
            expect(svc.rtoSeconds, svc.name).to.be.a("number").and.within(300, 900);
            expect(svc.rpoSeconds, svc.name).to.be.a("number").and.within(60, 120);
            expect(svc.terms.length, svc.name).to.be.greaterThan(3);
        }
        expect(prod.whatIf.filter((w) => w.domain === "region:aws/us-east-1").map((w) => w.service).sort()).to.deep.equal(["catalog.example.com", "checkout.example.com"]);
        // Stateful resources are protected in prod: the engine will see protect and retainOnDelete.
        const db = prod.resources.find((x) => x.type === "aws:rds/cluster:Cluster" && x.name === "checkout-aws-us-east-1-db");
        expect(db).to.include({ protect: true, retainOnDelete: true });
        expect(db?.props.deletionProtection).to.equal(true);
        // Webhook URLs carry tokens: secret in the resources, so `[secret]` in every output.
        const webhook = prod.resources.find((x) => x.type === "aws:sns/topicSubscription:TopicSubscription" && x.props.protocol === "https");
        expect(webhook?.props.endpoint).to.equal("[secret]");
        expect(r.own.stdout).to.not.contain("REPLACE_WITH_INTEGRATION_KEY");
        const md = fs.readFileSync(reports.own, "utf8");
        expect(md).to.contain("```mermaid").and.contain("| checkout.example.com | active-passive (warm) |").and.contain("#### What if: checkout.example.com");
    });

    it("--what-if prints one failure domain in full for every service, then the verdict", () => {
        const lines = r.whatIf.stdout.trimEnd().split("\n");
        expect(lines[0]).to.equal("What if region:aws/us-east-1 (AWS us-east-1) is lost - stack prod");
        expect(r.whatIf.stdout).to.contain("  catalog.example.com\n").and.contain("  checkout.example.com\n").and.contain("catalog-db-failover starts an Aurora global database failover");
        expect(r.whatIf.stdout).to.not.contain("Plan by type");
        expect(lines[lines.length - 1]).to.equal("Verdict: no mandatory violation.");
        expect(r.whatIf.code).to.equal(0);
    });

    it("exits 2 with every config error at once, naming the stack file and key paths", () => {
        const t = r.typo;
        expect(t.code).to.equal(2);
        expect(t.stderr).to.contain("test/fixtures/stacks/typo.yaml: nonstop:services[0].port");
        expect(t.stderr).to.contain("nonstop:services[0].sites[1].role");
        expect(t.stderr).to.contain("nonstop:services[0].sites[1].minCapcity").and.contain('did you mean "minCapacity"');
        expect(t.stderr).to.contain('nonstop:services[0].data.replicationFactor: expected number (got "three")');
        expect(t.stderr).to.contain("nonstop:services[1].sites[0].role").and.contain("contradicts topology active-active");
        expect(t.stdout).to.equal("");
    });

    describe("never a silent pass", () => {
        it("exits 3 on a program whose input promise rejects, naming each resource not registered and why", () => {
            const t = r.rejected;
            expect(t.code, t.stderr).to.equal(3);
            expect(t.stdout).to.contain('resource not registered: aws:iam/role:Role "app"').and.contain('input "assumeRolePolicy" failed').and.contain("policy document service unavailable");
            expect(t.stdout).to.contain('aws:iam/rolePolicyAttachment:RolePolicyAttachment "app-readonly"').and.contain('input "role" waits for aws:iam/role:Role "app"');
            // An apply that throws leaves its resource unregistered too.
            expect(t.stdout).to.contain('aws:s3/bucketPolicy:BucketPolicy "logs"').and.contain("cannot render the policy of rejected-logs");
            expect(t.stdout).to.contain("Verdict: INCOMPLETE").and.contain("this is not a pass");
            // What did register is still planned and judged.
            expect(t.stdout).to.contain("aws:s3/bucket:Bucket");
        });

        it("lists remote components (awsx, eks) as not evaluated in --json and exits 3", () => {
            const t = r.remote;
            expect(t.code, t.stderr).to.equal(3);
            const out = json(t);
            expect(out.verdict).to.include({ exitCode: 3, incomplete: 2 });
            const remote = out.stacks[0].incomplete.filter((i) => i.kind === "remote-component");
            expect(remote.map((i) => i.what)).to.deep.equal(['awsx:ec2:Vpc "main"', 'eks:index:Cluster "apps"']);
            expect(remote[0].why).to.contain("awsx provider plugin");
            expect(remote[0].urn).to.equal("urn:pulumi:test::remote::awsx:ec2:Vpc::main");
        });

        it("does not let a program end the run with process.exit(0): exit 3, naming where it was called", () => {
            const t = r.exitInProgram;
            expect(t.code, t.stderr).to.equal(3);
            expect(t.stdout).to.contain("the program called process.exit(0)").and.contain("index.js:10");
        });

        it("stops waiting for a program that never settles under a live timer after --time-limit, and says so", () => {
            const t = r.liveTimer;
            expect(t.code, t.stderr).to.equal(3);
            expect(t.stdout).to.contain("did not finish: the program").and.contain("did not finish within the time limit (2 s");
        });
    });

    describe("runs what the CLI runs", () => {
        it("reads files relative to the project directory, passes resource objects to every pack, and keeps --json one document despite console.log", () => {
            const t = r.webappJson;
            expect(t.code, t.stderr).to.equal(0);
            // What the program prints goes to stderr.
            expect(t.stderr).to.contain("webapp: building the stack");
            const s = json(t).stacks[0];
            expect(s.incomplete).to.deep.equal([]);
            const instance = s.resources.find((x) => x.type === "aws:ec2/instance:Instance");
            expect(instance?.props.userData).to.contain("USER-DATA-FROM-RELATIVE-FILE");
            // A Role object as an input: the engine gives analyzers the role's id (unknown at preview).
            const profile = s.resources.find((x) => x.type === "aws:iam/instanceProfile:InstanceProfile");
            const role = s.resources.find((x) => x.type === "aws:iam/role:Role");
            expect(profile?.props.role).to.equal(null);
            expect(profile?.propertyDependencies.role).to.deep.equal([role?.urn]);
            expect(t.stderr).to.not.contain("Unrecognized signature");
            const canary = s.violations.find((v) => v.policy === "instance-profiles-seen");
            expect(canary?.message).to.equal("saw 1 instance profile(s) and 1 instance(s)");
        });

        it("runs an ES-module TypeScript program with no stack file (empty config, said once) and a TypeScript pack with no build", () => {
            const t = r.esm;
            expect(t.code, t.stderr).to.equal(0);
            expect(t.stdout).to.contain("2 resources to create");
            expect(t.stdout.match(/ran with empty config/g)).to.have.length(1);
            expect(t.stdout).to.contain("Policies: no violations from tagging");
        });

        it("honours a pack's initialConfig, and lets the config file override it (policies that end the process or never settle are reported, exit 3)", () => {
            // The pack author disabled both; enabled by the config file, one calls process.exit(0), the other never settles.
            const t = r.esmPolicyEnabled;
            expect(t.code, t.stderr).to.equal(3);
            expect(t.stdout).to.contain('policy failed: policy "legacy-naming" of pack tagging').and.contain("called process.exit(0)");
            expect(t.stdout).to.contain('did not finish: aws:s3/bucket:Bucket "site" (policy pack tagging)').and.contain("a policy never settled on it");
        });
    });

    describe("secrets", () => {
        const markers = ["MARKER-PULUMI-SECRET-7f3a", "MARKER-PROVIDER-SECRET-9c1e", "CIPHERTEXTMARKER"];

        it("never appear in text, --json, --report or stderr; secret values show as [secret]", () => {
            const outputs = {
                "--json": r.webappJson.stdout,
                "--json stderr": r.webappJson.stderr,
                "--report": fs.readFileSync(reports.webapp, "utf8"),
                text: r.webappText.stdout,
                "text stderr": r.webappText.stderr,
            };
            for (const [form, text] of Object.entries(outputs)) {
                for (const marker of markers) expect(text, `${form} holds ${marker}`).to.not.contain(marker);
            }
            const byType = (type: string) => json(r.webappJson).stacks[0].resources.find((x) => x.type === type)?.props;
            expect(byType("aws:ssm/parameter:Parameter")?.value).to.equal("[secret]");
            expect(byType("aws:s3/bucketObject:BucketObject")?.content).to.equal("[secret]");
            expect(byType("aws:rds/instance:Instance")?.password).to.equal("[secret]");
            expect(r.webappText.code).to.equal(0);
            expect(r.webappText.stdout).to.contain("cannot be decrypted offline; webapp:dbPassword");
        });
    });

    describe("output handling", () => {
        it("keeps the preview on stdout and exits 2 when --report cannot be written", () => {
            const t = r.reportInMissingDir;
            expect(t.code).to.equal(2);
            expect(t.stdout).to.contain("Verdict:");
            expect(t.stderr).to.contain("cannot write the report (its directory does not exist)");
        });

        it("refuses a --report path that is one of its inputs, before running anything", () => {
            const t = r.reportOverInput;
            expect(t.code).to.equal(2);
            expect(t.stdout).to.equal("");
            expect(t.stderr).to.contain("is an input of this preview");
            expect(fs.readFileSync(path.join(singleAzDb, "Pulumi.test.yaml"), "utf8")).to.contain("aws:region");
        });

        it("refuses --data-sources that is not a JSON object", () => {
            expect(r.dataSourcesNotObject.code).to.equal(2);
            expect(r.dataSourcesNotObject.stderr).to.contain("expected a JSON object").and.contain("got an array");
        });

        it("ends quietly with the verdict's code when the reader of stdout goes away (| head)", () => {
            expect(r.closedPipe.code).to.equal(0);
            expect(r.closedPipe.stderr).to.equal("");
        });
    });
});
