import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import YAML from "yaml";
import { findAppRoot, listAppStacks, readAppStack } from "../../delivery/appProject";
import { DeliveryConfig, parseDeliveryConfig } from "../../delivery/config";
import { planDelivery } from "../../delivery/plan";
import { toServicePolicyConfig } from "../../delivery/policyConfig";
import { BUILD_INPUTS, deploymentSettingsArgs, ttlScheduleArgs } from "../../delivery/settings";
import { ConfigError } from "../../stacks/config";
import { MockRun, RecordedResource, withQueries } from "../harness";
import { runProgram } from "../../preview/program";

const root = findAppRoot(__dirname);
const deliveryFile = path.join(root, "delivery", "Pulumi.main.yaml");
const committed = (YAML.parse(fs.readFileSync(deliveryFile, "utf8")) as { config: Record<string, unknown> }).config;
const pack = JSON.parse(fs.readFileSync(path.join(root, "policies", "package.json"), "utf8")) as { version: string };
/** The name the pack registers, as the CLI publishes it. */
const packName = /new PolicyPack\("([^"]+)"/.exec(fs.readFileSync(path.join(root, "policies", "index.ts"), "utf8"))?.[1];

function parsed(overrides: Record<string, unknown> = {}): DeliveryConfig {
    return parseDeliveryConfig({ ...committed, ...overrides }, "delivery/Pulumi.main.yaml");
}

function refusal(fn: () => unknown): string {
    try {
        fn();
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return (e as Error).message;
    }
    throw new Error("expected a ConfigError");
}

describe("delivery program (delivery/, under mocks with delivery/Pulumi.main.yaml)", () => {
    let run: MockRun;
    const settingsOf = (stack: string) => run.one("pulumiservice:index:DeploymentSettings", `${stack}-`).inputs as Record<string, any>;
    const groupOf = (env: string) => run.one("pulumiservice:index:PolicyGroup", `${env}-`).inputs as Record<string, any>;

    before(async () => {
        run = withQueries(await runProgram(path.join(root, "dist", "delivery", "index.js"), { project: "nonstop-delivery", stack: "main", config: committed, preview: false }));
    });

    it("has its own Pulumi project, so `npm start` and the app stacks never load it", () => {
        const project = YAML.parse(fs.readFileSync(path.join(root, "delivery", "Pulumi.yaml"), "utf8")) as { name: string; runtime: unknown };
        expect(project.name).to.equal("nonstop-delivery");
        expect(project.runtime).to.deep.equal({ name: "nodejs", options: { typescript: true } });
        expect(listAppStacks(root)).to.deep.equal(["dev", "prod"]);
    });

    it("configures Deployments for every app stack file", () => {
        expect(Object.keys(committed["delivery:stacks"] as object).sort()).to.deep.equal(listAppStacks(root));
        expect(run.ofType("pulumiservice:index:DeploymentSettings").map((r) => r.inputs.stack).sort()).to.deep.equal(["dev", "prod"]);
    });

    for (const stack of ["dev", "prod"]) {
        describe(`DeploymentSettings of ${stack}`, () => {
            it("deploys the GitHub repository's main on push and previews pull requests", () => {
                const s = settingsOf(stack);
                expect(s).to.deep.include({ organization: "acme", project: "nonstop", stack });
                expect(s.sourceContext).to.deep.equal({ git: { branch: "refs/heads/main" } });
                expect(s.vcs).to.deep.include({ provider: "github", repository: "acme/nonstop", deployCommits: true, previewPullRequests: true, pullRequestTemplate: false });
                expect(s).to.not.have.property("github"); // deprecated in favour of vcs
            });

            it("triggers on the build inputs and its own stack file only", () => {
                const paths = settingsOf(stack).vcs.paths as string[];
                expect(paths).to.include.members(["package.json", "package-lock.json", "tsconfig.json", "Pulumi.yaml", `Pulumi.${stack}.yaml`]);
                expect(paths).to.not.include(`Pulumi.${stack === "dev" ? "prod" : "dev"}.yaml`);
            });

            it("installs from the lockfile and runs the offline preview with its environment's pack config before the CLI", () => {
                const ctx = settingsOf(stack).operationContext;
                expect(ctx.preRunCommands).to.deep.equal(["npm ci", `npx nonstop preview --stack ${stack} --policy-pack policies --policy-pack-config policies/config/${stack}.json`]);
                expect(ctx.options).to.include({ skipInstallDependencies: true, skipIntermediateDeployments: true });
            });
        });
    }

    it("gives dev an AWS role and prod an AWS role and GCP workload identity, by OIDC", () => {
        expect(settingsOf("dev").operationContext.oidc).to.deep.equal({ aws: { roleARN: "arn:aws:iam::111111111111:role/nonstop-deployments-dev", sessionName: "pulumi-deployments-dev" } });
        const prod = settingsOf("prod").operationContext.oidc;
        expect(prod.aws).to.deep.equal({ roleARN: "arn:aws:iam::222222222222:role/nonstop-deployments-prod", sessionName: "pulumi-deployments-prod", duration: "2h" });
        expect(prod.gcp).to.deep.equal({ projectId: "123456789012", workloadPoolId: "pulumi-deployments", providerId: "pulumi-cloud", serviceAccount: "nonstop-deployments@acme-nonstop-prod.iam.gserviceaccount.com" });
    });

    it("puts only the prod stacks in a preventative group with the published pack and prod's mandatory config", () => {
        const g = groupOf("prod");
        expect(g).to.deep.include({ name: "nonstop-prod", organizationName: "acme", entityType: "stacks", mode: "preventative" });
        expect(g.stacks).to.deep.equal([{ name: "prod", routingProject: "nonstop" }]);
        expect(g.policyPacks).to.have.length(1);
        expect(g.policyPacks[0]).to.deep.include({ name: packName, versionTag: pack.version });
        const file = JSON.parse(fs.readFileSync(path.join(root, "policies", "config", "prod.json"), "utf8"));
        expect(g.policyPacks[0].config).to.deep.equal(toServicePolicyConfig("prod.json", file));
        expect(g.policyPacks[0].config.all).to.deep.equal({ enforcementLevel: "mandatory" });
    });

    it("puts dev in its own group with the advisory config", () => {
        const g = groupOf("dev");
        expect(g).to.deep.include({ name: "nonstop-dev", mode: "preventative" });
        expect(g.stacks).to.deep.equal([{ name: "dev", routingProject: "nonstop" }]);
        expect(g.policyPacks[0].config.all).to.deep.equal({ enforcementLevel: "advisory" });
    });

    it("detects drift on prod every 4 hours without remediating, after its settings exist", () => {
        const drift = run.ofType("pulumiservice:index:DriftSchedule");
        expect(drift.map((d) => d.inputs)).to.deep.equal([{ organization: "acme", project: "nonstop", stack: "prod", scheduleCron: "0 */4 * * *", autoRemediate: false }]);
        expect(drift[0].dependencies).to.include(run.one("pulumiservice:index:DeploymentSettings", "prod-").urn);
        expect(run.ofType("pulumiservice:index:TtlSchedule")).to.have.length(0);
    });

    it("lets only this repository's pull requests get the read-only preview team's token", () => {
        const issuer = run.one("pulumiservice:index:OidcIssuer").inputs as Record<string, any>;
        expect(issuer.url).to.equal("https://token.actions.githubusercontent.com");
        expect(issuer.policies).to.deep.equal([{ decision: "allow", tokenType: "team", teamName: "nonstop-pr-preview", rules: { sub: "repo:acme/nonstop:pull_request" } }]);
        const reads = run.ofType("pulumiservice:index:TeamStackPermission").map((r: RecordedResource) => r.inputs);
        expect(reads).to.deep.equal(["dev", "prod"].map((stack) => ({ organization: "acme", project: "nonstop", stack, team: "nonstop-pr-preview", permission: 101 })));
    });

    it("exports each stack's branch, environment and schedules and each group's pack version", () => {
        expect(run.outputs.policyGroups).to.deep.equal({
            dev: { name: "nonstop-dev", stacks: ["dev"], pack: `${packName}@${pack.version}` },
            prod: { name: "nonstop-prod", stacks: ["prod"], pack: `${packName}@${pack.version}` },
        });
        expect(run.outputs.deployments).to.deep.include({ prod: { settings: "prod-deployment-settings-id", branch: "main", environment: "prod", drift: "0 */4 * * *", ttl: "none" } });
    });
});

describe("delivery paths", () => {
    /** Top-level folders reached from an entry file through relative imports and requires. */
    function foldersReached(entries: readonly string[]): Set<string> {
        const seen = new Set<string>();
        const queue = entries.map((e) => path.join(root, e));
        while (queue.length) {
            const file = queue.pop()!;
            if (seen.has(file)) continue;
            seen.add(file);
            const text = fs.readFileSync(file, "utf8");
            for (const m of text.matchAll(/(?:from\s+|require\(\s*(?:path\.join\([^)]*?)?)["'](\.{1,2}\/[^"']+)["']/g)) {
                const base = path.resolve(path.dirname(file), m[1]);
                const found = [base, `${base}.ts`, `${base}.js`, path.join(base, "index.ts"), path.join(base, "index.js")].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
                if (found) queue.push(found);
            }
        }
        return new Set([...seen].map((f) => path.relative(root, f).split(path.sep)[0]));
    }

    it("cover every folder the program imports and the pre-run commands run", () => {
        const folders = foldersReached(["stacks/index.ts", "preview/cli.ts", "policies/index.ts", "bin/nonstop.js", "scripts/build.js"]);
        expect([...folders].sort()).to.deep.equal(["bin", "components", "policies", "preview", "scripts", "stacks"]);
        for (const folder of folders) expect(BUILD_INPUTS, folder).to.include(`${folder}/**`);
    });

    it("name only files that exist", () => {
        for (const p of BUILD_INPUTS) expect(fs.existsSync(path.join(root, p.replace(/\/\*\*$/, ""))), p).to.equal(true);
    });
});

describe("delivery config", () => {
    it("refuses a stack with GCP sites but no GCP OIDC, naming the key and the stack file", () => {
        const stacks = { ...(committed["delivery:stacks"] as Record<string, Record<string, unknown>>) };
        stacks.prod = { aws: stacks.prod.aws };
        const message = refusal(() => planDelivery(parsed({ "delivery:stacks": stacks }), root, "delivery/Pulumi.main.yaml"));
        expect(message).to.include("delivery:stacks.prod.gcp: is required: Pulumi.prod.yaml deploys to GCP");
    });

    it("refuses a TTL or a review-stack template on prod", () => {
        const stacks = { ...(committed["delivery:stacks"] as Record<string, Record<string, unknown>>) };
        stacks.prod = { ...stacks.prod, ttl: "2026-12-31T18:00:00Z", reviewStackTemplate: true };
        const message = refusal(() => planDelivery(parsed({ "delivery:stacks": stacks }), root, "delivery/Pulumi.main.yaml"));
        expect(message).to.include("delivery:stacks.prod.ttl").and.include("delivery:stacks.prod.reviewStackTemplate");
    });

    it("refuses a stack that has no stack file", () => {
        const stacks = { ...(committed["delivery:stacks"] as Record<string, unknown>), staging: { aws: { roleARN: "arn:aws:iam::111111111111:role/x" } } };
        expect(refusal(() => planDelivery(parsed({ "delivery:stacks": stacks }), root, "f"))).to.include("Pulumi.staging.yaml not found");
    });

    it("reports every bad key at once, with what is expected", () => {
        const message = refusal(() =>
            parseDeliveryConfig({ "delivery:repository": "nonstop", "delivery:stacks": { dev: { aws: { roleARN: "role/dev" }, ttl: "tomorrow" } }, "delivery:brnch": "main" }, "delivery/Pulumi.x.yaml"),
        );
        expect(message).to.include("delivery/Pulumi.x.yaml: delivery:repository: a GitHub repository as owner/name");
        expect(message).to.include("delivery:stacks.dev.aws.roleARN: an IAM role ARN");
        expect(message).to.include("delivery:stacks.dev.ttl: an ISO 8601 time");
        expect(message).to.include("delivery:brnch: unknown key");
        expect(message).to.include("delivery:organization: is required");
    });

    it("makes a dev stack a review-stack template whose review stacks delete their history, and gives an ephemeral stack a TTL", () => {
        const config = parsed();
        const dev = readAppStack(root, "dev");
        const own = { ...config.stacks.dev, reviewStackTemplate: true, ttl: "2026-12-31T18:00:00Z" };
        const app = planDelivery(config, root, "f").app;
        const args = deploymentSettingsArgs(config, app, dev, own) as Record<string, any>;
        expect(args.vcs.pullRequestTemplate).to.equal(true);
        expect(args.operationContext.options.deleteAfterDestroy).to.equal(true);
        expect(ttlScheduleArgs(config, app, dev, own)).to.deep.equal({ organization: "acme", project: "nonstop", stack: "dev", timestamp: "2026-12-31T18:00:00Z", deleteAfterDestroy: true });
    });
});

describe("toServicePolicyConfig", () => {
    it("writes enforcement levels as the service stores them, beside the settings", () => {
        expect(toServicePolicyConfig("f.json", { all: "mandatory", "a-rule": { minZones: 2 }, "b-rule": { enforcementLevel: "disabled", max: 1 }, "c-rule": {} })).to.deep.equal({
            all: { enforcementLevel: "mandatory" },
            "a-rule": { minZones: 2 },
            "b-rule": { max: 1, enforcementLevel: "disabled" },
        });
    });

    it("refuses what the CLI refuses, naming the file and the entry", () => {
        expect(() => toServicePolicyConfig("prod.json", { all: "strict" })).to.throw('prod.json: "all": enforcement level "strict" is not one of advisory | mandatory | remediate | disabled');
        expect(() => toServicePolicyConfig("prod.json", { "a-rule": 3 })).to.throw('prod.json: "a-rule": 3 is not a valid value');
        expect(() => toServicePolicyConfig("prod.json", [])).to.throw("a policy pack config must be a JSON object");
    });
});
