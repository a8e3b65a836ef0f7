import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import YAML from "yaml";
import { findAppRoot, listAppStacks, readAppStack } from "../../delivery/appProject";
import { parseDeliveryConfig } from "../../delivery/config";
import { policyConfigFile } from "../../delivery/settings";
import { parseArgs } from "../../preview/cli";
import { Finished, startEarly } from "./background";
import { WorkflowFindings } from "./lintWorkflows";

const root = findAppRoot(__dirname);
const workflowsDir = path.join(root, ".github", "workflows");
const workflowFiles = fs.readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(workflowsDir, f));
const previewFile = path.join(workflowsDir, "preview.yml");
const previewText = fs.readFileSync(previewFile, "utf8");

// Negative controls: the same workflow broken twice, so a validator that stopped validating fails here.
const controls = fs.mkdtempSync(path.join(os.tmpdir(), "nonstop-workflow-"));
const noRunsOn = path.join(controls, "no-runs-on.yml");
const badStepId = path.join(controls, "bad-step-id.yml");
fs.writeFileSync(noRunsOn, previewText.replace(/^ {4}runs-on: .*\n/m, ""));
fs.writeFileSync(badStepId, previewText.split("steps.offline.outputs").join("steps.offlin.outputs"));
const linting: Promise<Finished> = startEarly(process.execPath, [path.join(__dirname, "lintWorkflows.js"), ...workflowFiles, noRunsOn, badStepId], { cwd: root });

interface Step {
    readonly name?: string;
    readonly id?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly if?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, string>;
}
interface Job {
    readonly permissions: Record<string, string>;
    readonly strategy: { "fail-fast": boolean; matrix: { include: Record<string, unknown>[] } };
    readonly concurrency: { group: string; "cancel-in-progress": boolean };
    readonly env: Record<string, string>;
    readonly steps: Step[];
}
interface ActionInput {
    readonly required?: boolean;
    readonly default?: unknown;
}

/** Inputs an action's code requires although its action.yml says `required: false` (pulumi/auth-actions src/main.ts reads it with `required: true`). */
const REQUIRED_IN_CODE: Record<string, readonly string[]> = { "pulumi/auth-actions@v2": ["requested-token-type"] };

/** Every `with:` of every step checked against the upstream action.yml vendored in test/fixtures/actions/. */
export function checkActionInputs(jobs: Record<string, { steps?: Step[] }>): string[] {
    const problems: string[] = [];
    for (const [jobId, job] of Object.entries(jobs)) {
        for (const step of job.steps ?? []) {
            if (!step.uses) continue;
            const where = `${jobId}: ${step.name ?? step.uses}`;
            const file = path.join(root, "test", "fixtures", "actions", `${step.uses}.yml`);
            if (!fs.existsSync(file)) {
                problems.push(`${where}: no vendored action.yml for ${step.uses} (add test/fixtures/actions/${step.uses}.yml from upstream)`);
                continue;
            }
            const inputs = ((YAML.parse(fs.readFileSync(file, "utf8")) as { inputs?: Record<string, ActionInput> }).inputs ?? {}) as Record<string, ActionInput>;
            const given = Object.keys(step.with ?? {});
            for (const key of given) if (!(key in inputs)) problems.push(`${where}: ${step.uses} has no input "${key}" (inputs: ${Object.keys(inputs).join(", ")})`);
            const required = [...Object.entries(inputs).filter(([, i]) => i.required && i.default === undefined).map(([k]) => k), ...(REQUIRED_IN_CODE[step.uses] ?? [])];
            for (const key of required) if (!given.includes(key)) problems.push(`${where}: ${step.uses} requires input "${key}"`);
        }
    }
    return problems;
}

describe(".github/workflows/preview.yml", () => {
    const doc = YAML.parse(previewText) as { on: { pull_request: { branches: string[] } }; permissions: unknown; jobs: Record<string, Job> };
    const job = doc.jobs.preview;
    const steps = job.steps;
    const stepUsing = (action: string) => {
        const found = steps.filter((s) => s.uses?.startsWith(`${action}@`));
        expect(found, action).to.have.length(1);
        return found[0];
    };
    const index = (step: Step) => steps.indexOf(step);
    const delivery = parseDeliveryConfig((YAML.parse(fs.readFileSync(path.join(root, "delivery", "Pulumi.main.yaml"), "utf8")) as { config: Record<string, unknown> }).config, "delivery/Pulumi.main.yaml");

    let findings: Record<string, WorkflowFindings>;
    before(async function () {
        this.timeout(120_000);
        const done = await linting;
        if (done.code !== 0) throw new Error(`lintWorkflows exited ${done.code}: ${done.stderr}`);
        findings = JSON.parse(done.stdout) as Record<string, WorkflowFindings>;
    });

    after(() => fs.rmSync(controls, { recursive: true, force: true }));

    describe("validation", () => {
        it("passes the workflow schema (action-validator) and actionlint, every workflow file", () => {
            for (const file of workflowFiles) expect(findings[file], path.relative(root, file)).to.deep.equal({ schema: [], actionlint: [] });
        });

        it("has validators that catch a job without runs-on and a reference to a step that does not exist", () => {
            expect(findings[noRunsOn].schema).to.not.deep.equal([]);
            expect(findings[noRunsOn].actionlint.join("\n")).to.include('"runs-on" section is missing');
            expect(findings[badStepId].actionlint.join("\n")).to.include('property "offlin" is not defined');
        });

        it("gives every action only inputs its upstream action.yml declares, and every required one", () => {
            for (const file of workflowFiles) expect(checkActionInputs((YAML.parse(fs.readFileSync(file, "utf8")) as { jobs: Record<string, Job> }).jobs)).to.deep.equal([]);
            const typo = YAML.parse(previewText.replace("role-to-assume:", "role-to-asume:")) as { jobs: Record<string, Job> };
            expect(checkActionInputs(typo.jobs)).to.deep.equal([`preview: AWS credentials (OIDC): aws-actions/configure-aws-credentials@v6 has no input "role-to-asume" (inputs: ${Object.keys((YAML.parse(fs.readFileSync(path.join(root, "test/fixtures/actions/aws-actions/configure-aws-credentials@v6.yml"), "utf8")) as { inputs: object }).inputs).join(", ")})`]);
        });
    });

    it("runs on pull requests to main, one job per stack file, none cancelled by another's failure", () => {
        expect(doc.on.pull_request.branches).to.deep.equal(["main"]);
        expect(job.strategy["fail-fast"]).to.equal(false);
        expect(job.strategy.matrix.include.map((m) => m.stack)).to.deep.equal(listAppStacks(root));
    });

    it("serialises runs per stack and pull request, cancelling the older", () => {
        expect(job.concurrency.group).to.include("${{ matrix.stack }}").and.include("${{ github.event.pull_request.number }}");
        expect(job.concurrency["cancel-in-progress"]).to.equal(true);
    });

    it("checks out, sets up Node from package.json's engines with the npm cache, caches Pulumi plugins, then npm ci and npm test", () => {
        const checkout = stepUsing("actions/checkout");
        const node = stepUsing("actions/setup-node");
        const plugins = stepUsing("actions/cache");
        const ci = steps.find((s) => s.run === "npm ci")!;
        const test = steps.find((s) => s.run === "npm test")!;
        expect(node.with).to.deep.equal({ "node-version-file": "package.json", cache: "npm" });
        expect(JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).engines.node).to.be.a("string");
        expect(plugins.with).to.include({ path: "~/.pulumi/plugins" });
        expect(String(plugins.with!.key)).to.include("hashFiles('package-lock.json')");
        expect([index(checkout), index(node), index(plugins), index(ci), index(test)]).to.deep.equal([0, 1, 2, 3, 4]);
    });

    it("runs the offline preview with the stack's pack config and writes its --report, which one comment per stack carries", () => {
        const offline = steps.find((s) => s.id === "offline")!;
        const command = /npx nonstop (preview [^\n]*)/.exec(offline.run!)![1];
        const argv = command.replace(/"\$STACK"/g, "prod").replace(/"\$POLICY_CONFIG"/g, job.env.POLICY_CONFIG.replace("${{ matrix.stack }}", "prod")).replace(/"\$REPORT"/g, "report.md").split(/\s+/);
        const args = parseArgs(argv);
        expect(args).to.not.equal("help");
        if (args === "help") return;
        expect(args.stacks).to.deep.equal(["prod"]);
        expect(args.report).to.match(/report\.md$/);
        expect(args.policyPackConfigs.map((f) => path.relative(process.cwd(), f))).to.deep.equal(["policies/config/prod.json"]);
        const comment = stepUsing("marocchino/sticky-pull-request-comment");
        expect(comment.with).to.deep.equal({ header: "nonstop-offline-preview-${{ matrix.stack }}", path: "${{ env.REPORT }}" });
        expect(job.env.REPORT).to.include("${{ matrix.stack }}");
        expect(index(offline)).to.be.greaterThan(index(steps.find((s) => s.run === "npm test")!));
        expect(index(comment)).to.be.greaterThan(index(offline));
    });

    it("judges each stack with its environment's pack config, the same file its policy group carries", () => {
        expect(job.env.POLICY_CONFIG).to.equal("policies/config/${{ matrix.stack }}.json");
        for (const stack of listAppStacks(root)) {
            expect(`policies/config/${stack}.json`).to.equal(policyConfigFile(readAppStack(root, stack).environment));
            expect(fs.existsSync(path.join(root, "policies", "config", `${stack}.json`))).to.equal(true);
        }
    });

    it("runs the real pulumi preview through pulumi/actions v7 with the pack, after the credentials", () => {
        const preview = stepUsing("pulumi/actions");
        expect(preview.uses).to.equal("pulumi/actions@v7");
        expect(preview.with).to.include({ command: "preview", "stack-name": "${{ vars.PULUMI_ORG }}/${{ matrix.stack }}", policyPacks: "policies", policyPackConfigs: "${{ env.POLICY_CONFIG }}" });
        for (const auth of ["pulumi/auth-actions", "aws-actions/configure-aws-credentials", "google-github-actions/auth"]) expect(index(stepUsing(auth)), auth).to.be.lessThan(index(preview));
    });

    it("fails the check on the offline verdict after everything has run", () => {
        const verdict = steps[steps.length - 1];
        expect(verdict.if).to.include("always()");
        expect(verdict.env).to.deep.equal({ CODE: "${{ steps.offline.outputs.exit-code }}" });
        expect(verdict.run).to.match(/exit "\$code"/);
    });

    describe("credentials: OIDC only", () => {
        it("reads no stored secret and may request an OIDC token", () => {
            expect(previewText).to.not.match(/secrets\./);
            expect(job.permissions).to.deep.equal({ contents: "read", "pull-requests": "write", "id-token": "write" });
            expect(doc.permissions).to.deep.equal({});
        });

        it("gets a Pulumi Cloud token of the team the delivery project trusts for this repository's pull requests", () => {
            const auth = stepUsing("pulumi/auth-actions");
            expect(auth.with).to.deep.equal({ organization: "${{ vars.PULUMI_ORG }}", "requested-token-type": "urn:pulumi:token-type:access_token:team", scope: `team:${delivery.githubActions!.team}` });
        });

        it("assumes an AWS role per stack, with no access keys", () => {
            const aws = stepUsing("aws-actions/configure-aws-credentials");
            expect(aws.with).to.include({ "role-to-assume": "${{ matrix.aws-role }}" });
            expect(Object.keys(aws.with!).filter((k) => k.startsWith("aws-access") || k.startsWith("aws-secret"))).to.deep.equal([]);
            for (const entry of job.strategy.matrix.include) expect(entry["aws-role"]).to.equal(`\${{ vars.AWS_PREVIEW_ROLE_ARN_${String(entry.stack).toUpperCase()} }}`);
        });

        it("uses GCP workload identity federation exactly for the stacks with GCP sites", () => {
            const gcp = stepUsing("google-github-actions/auth");
            expect(gcp.with).to.have.all.keys("workload_identity_provider", "service_account");
            expect(gcp.if).to.include("matrix.gcp");
            for (const entry of job.strategy.matrix.include) expect(entry.gcp, String(entry.stack)).to.equal(readAppStack(root, String(entry.stack)).clouds.has("gcp"));
        });
    });

    it("reads only variables the README documents", () => {
        const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
        const names = [...new Set([...previewText.matchAll(/\b(?:vars|secrets)\.([A-Z0-9_]+)/g)].map((m) => m[1]))];
        expect(names).to.not.deep.equal([]);
        for (const name of names) expect(readme, name).to.include(`| \`${name}\` |`);
    });
});
