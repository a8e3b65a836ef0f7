import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ProgramError, runProgram } from "../../preview/program";
import { runUnderMocks, UNKNOWN } from "../harness";

class Pair extends pulumi.ComponentResource {
    constructor(name: string, opts: pulumi.ComponentResourceOptions = {}) {
        super("test:index:Pair", name, {}, opts);
        const provider = new aws.Provider(`${name}-west`, { region: "us-west-2" }, { parent: this });
        const vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: "10.0.0.0/16" }, { parent: this, provider });
        new aws.ec2.Subnet(`${name}-subnet`, { vpcId: vpc.id, cidrBlock: "10.0.1.0/24" }, { parent: this, provider, protect: true, retainOnDelete: true, ignoreChanges: ["tags"], dependsOn: [vpc] });
        this.registerOutputs({});
    }
}

describe("runProgram (the mocks the preview runs programs under)", () => {
    it("records parent, provider and the options policies see", async () => {
        const run = await runUnderMocks(() => new Pair("a"));
        const subnet = run.one("aws:ec2/subnet:Subnet");
        const pair = run.one("test:index:Pair");
        const vpc = run.one("aws:ec2/vpc:Vpc");
        expect(subnet.parent).to.equal(pair.urn);
        expect(subnet.protect).to.equal(true);
        expect(subnet.retainOnDelete).to.equal(true);
        expect(subnet.ignoreChanges).to.deep.equal(["tags"]);
        expect(subnet.dependencies).to.include(vpc.urn);
        expect(subnet.propertyDependencies.vpcId).to.deep.equal([vpc.urn]);
        expect(subnet.provider).to.match(/^urn:pulumi:test::nonstop::test:index:Pair\$pulumi:providers:aws::a-west::/);
        expect(vpc.protect).to.equal(false);
    });

    it("builds URNs as the engine does: the parent's qualified type, no type for the root stack", async () => {
        const run = await runUnderMocks(() => new Pair("b"));
        expect(run.one("test:index:Pair").urn).to.equal("urn:pulumi:test::nonstop::test:index:Pair::b");
        expect(run.one("aws:ec2/vpc:Vpc").urn).to.equal("urn:pulumi:test::nonstop::test:index:Pair$aws:ec2/vpc:Vpc::b-vpc");
    });

    it("makes outputs of new resources unknown in preview mode, and ids '<name>-id' otherwise", async () => {
        const preview = await runUnderMocks(() => new Pair("c"), { preview: true });
        expect(preview.one("aws:ec2/subnet:Subnet").inputs.vpcId).to.equal(UNKNOWN);
        const update = await runUnderMocks(() => new Pair("c"));
        expect(update.one("aws:ec2/subnet:Subnet").inputs.vpcId).to.equal("c-vpc-id");
    });

    it("at preview, gives a program back each resource's inputs as its outputs: values, secrets and unknowns as the SDK reads them", async () => {
        type Seen = { value: unknown; known: boolean; secret: boolean };
        const read = async (o: pulumi.Output<unknown>): Promise<Seen> => {
            const impl = o as unknown as { promise(): Promise<unknown>; isKnown: Promise<boolean>; isSecret: Promise<boolean> };
            return { value: await impl.promise(), known: await impl.isKnown, secret: await impl.isSecret };
        };
        let seen: Record<string, Promise<Seen>> = {};
        const run = await runUnderMocks(() => {
            const vpc = new aws.ec2.Vpc("answered", { cidrBlock: "10.0.0.0/16", tags: { team: "web" } });
            const subnet = new aws.ec2.Subnet("answered-subnet", { vpcId: vpc.id, cidrBlock: pulumi.secret("10.0.1.0/24") });
            seen = { cidr: read(vpc.cidrBlock), tags: read(vpc.tags), vpcId: read(subnet.vpcId), secretCidr: read(subnet.cidrBlock), arn: read(vpc.arn) };
            return { cidr: vpc.cidrBlock };
        }, { preview: true });
        expect(await seen.cidr).to.deep.equal({ value: "10.0.0.0/16", known: true, secret: false });
        expect(await seen.tags).to.deep.equal({ value: { team: "web" }, known: true, secret: false });
        expect((await seen.vpcId).known, "an output of a resource not created yet").to.equal(false);
        expect(await seen.secretCidr).to.deep.include({ value: "10.0.1.0/24", known: true, secret: true });
        expect((await seen.arn).known, "an output the provider computes").to.equal(false);
        expect(run.outputs.cidr).to.equal("10.0.0.0/16");
        // Recorded in the order the program registered them.
        expect(run.resources.map((r) => r.name).filter((n) => n.startsWith("answered"))).to.deep.equal(["answered", "answered-subnet"]);
    });

    it("answers availability zones for the region of the call's provider", async () => {
        const run = await runUnderMocks(() => {
            const west = new aws.Provider("west", { region: "us-west-2" });
            return {
                west: aws.getAvailabilityZonesOutput({}, { provider: west }).names,
                home: aws.getAvailabilityZonesOutput({}).names,
                account: aws.getCallerIdentityOutput({}).accountId,
            };
        }, { config: { "aws:region": "eu-central-1" } });
        expect((run.outputs.west as string[])[0]).to.equal("us-west-2a");
        expect((run.outputs.home as string[]).slice(0, 3)).to.deep.equal(["eu-central-1a", "eu-central-1b", "eu-central-1c"]);
        expect(run.outputs.account).to.equal("123456789012");
        expect(run.unansweredInvokes).to.deep.equal([]);
    });

    it("reports a data source it cannot answer by name instead of crashing, and takes user answers", async () => {
        const program = () => ({ ami: aws.ec2.getAmiOutput({ owners: ["amazon"], mostRecent: true }).id });
        const unanswered = await runUnderMocks(program);
        expect(unanswered.unansweredInvokes).to.deep.equal(["aws:ec2/getAmi:getAmi"]);
        const answered = await runUnderMocks(program, { dataSources: { "aws:ec2/getAmi:getAmi": { id: "ami-0abc" } } });
        expect(answered.outputs.ami).to.equal("ami-0abc");
        expect(answered.unansweredInvokes).to.deep.equal([]);
    });

    it("wraps what a program throws in a ProgramError that names it", async () => {
        try {
            await runUnderMocks(() => {
                throw new Error("no sites configured");
            });
            expect.fail("expected a ProgramError");
        } catch (e) {
            expect(e).to.be.instanceOf(ProgramError);
            expect((e as Error).message).to.contain("the program threw").and.contain("no sites configured");
        }
    });

    it("starts every run from a clean slate", async () => {
        await runUnderMocks(() => new Pair("first"));
        const second = await runUnderMocks(() => new Pair("second"));
        expect(second.resources.some((r) => r.name.startsWith("first"))).to.equal(false);
    });
});

describe("runProgram: waiting for the run for real", () => {
    it("names each resource whose registration failed or waits on one that did, instead of dropping it", async () => {
        const run = await runProgram(
            () => {
                const role = new aws.iam.Role("app", { assumeRolePolicy: Promise.reject(new Error("policy service down")) });
                new aws.iam.RolePolicyAttachment("app-ro", { role: role.name, policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" });
                new aws.s3.Bucket("kept");
            },
            // In-process the event loop never drains (mocha's timers), so the time limit ends the wait (2 s: registrations must settle first on a loaded CI machine).
            { project: "p", stack: "test", config: { "aws:region": "us-east-1" }, timeLimitSeconds: 2 },
        );
        expect(run.resources.map((r) => r.type)).to.include("aws:s3/bucket:Bucket");
        const byWhat = Object.fromEntries(run.incomplete.map((i) => [i.what, i]));
        expect(byWhat['aws:iam/role:Role "app"'].why).to.contain('input "assumeRolePolicy" failed').and.contain("policy service down");
        expect(byWhat['aws:iam/rolePolicyAttachment:RolePolicyAttachment "app-ro"'].why).to.contain('input "role" waits for aws:iam/role:Role "app"');
        expect(byWhat["the program"]).to.include({ kind: "timeout" });
    });

    it("lists a remote (multi-language) component as not evaluated", async () => {
        class Vpc extends pulumi.ComponentResource {
            constructor(name: string) {
                super("awsx:ec2:Vpc", name, {}, {}, true);
            }
        }
        const run = await runUnderMocks(() => new Vpc("main"));
        expect(run.one("awsx:ec2:Vpc").remote).to.equal(true);
        expect(run.incomplete.map((i) => [i.kind, i.what])).to.deep.equal([["remote-component", 'awsx:ec2:Vpc "main"']]);
    });

    it("lists unanswered data sources and .get() reads, which --data-sources can answer", async () => {
        const program = () => ({ ami: aws.ec2.getAmiOutput({ owners: ["amazon"] }).id, vpc: aws.ec2.Vpc.get("default", "vpc-0abc").cidrBlock });
        const unanswered = await runUnderMocks(program);
        expect(unanswered.incomplete.map((i) => [i.kind, i.what])).to.deep.equal([
            ["data-source", "aws:ec2/getAmi:getAmi"],
            ["read", 'aws:ec2/vpc:Vpc "default" (id "vpc-0abc")'],
        ]);
        const answered = await runUnderMocks(program, { dataSources: { "aws:ec2/getAmi:getAmi": { id: "ami-1" }, "aws:ec2/vpc:Vpc": { cidrBlock: "10.1.0.0/16" } } });
        expect(answered.incomplete).to.deep.equal([]);
        expect(answered.outputs).to.deep.equal({ ami: "ami-1", vpc: "10.1.0.0/16" });
    });

    it("does not let the program end the run with process.exit", async () => {
        const run = await runUnderMocks(() => {
            new aws.s3.Bucket("first");
            process.exit(0);
        });
        expect(run.incomplete.map((i) => i.why)[0]).to.contain("the program called process.exit(0)");
        expect(run.resources.map((r) => r.name)).to.include("first");
    });

    it("records where secrets sit: pulumi.secret, secret config, and fields the provider declares secret", async () => {
        const run = await runUnderMocks(
            () => {
                new aws.ssm.Parameter("key", { type: "SecureString", value: pulumi.secret("value-from-secret") });
                new aws.ssm.Parameter("token", { type: "SecureString", value: new pulumi.Config("app").requireSecret("token") });
                new aws.s3.BucketObject("obj", { bucket: "b", key: "k", content: "declared-secret" }, { additionalSecretOutputs: ["content"] });
            },
            { config: { "aws:region": "us-east-1", "app:token": "token-from-config" }, secretKeys: ["app:token"] },
        );
        expect(run.one("aws:ssm/parameter:Parameter", "key").secretPaths).to.deep.equal([["value"]]);
        expect(run.one("aws:ssm/parameter:Parameter", "token").secretPaths).to.deep.equal([["value"]]);
        expect(run.one("aws:s3/bucketObject:BucketObject").additionalSecretOutputs).to.deep.equal(["content"]);
        expect([...run.secretValues].sort()).to.deep.equal(["declared-secret", "token-from-config", "value-from-secret"]);
    });

    it("runs the program in the working directory it is given, as the CLI runs it in its project", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nonstop-cwd-"));
        fs.writeFileSync(path.join(dir, "user-data.sh"), "#!/bin/sh\necho from-project-dir\n");
        try {
            const run = await runProgram(() => ({ userData: fs.readFileSync("./user-data.sh", "utf8") }), { project: "p", stack: "test", config: {}, cwd: dir, preview: false });
            expect(run.outputs.userData).to.contain("from-project-dir");
            expect(process.cwd()).to.not.equal(fs.realpathSync(dir));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("names the file and line of a program with a syntax error", async () => {
        const entry = path.join(__dirname, "..", "..", "..", "test", "fixtures", "preview", "syntax-error", "index.js");
        try {
            await runProgram(entry, { project: "syntax-error", stack: "test", config: {} });
            expect.fail("expected a ProgramError");
        } catch (e) {
            expect(e).to.be.instanceOf(ProgramError);
            expect((e as Error).message).to.contain("SyntaxError").and.contain(`${entry}:3`);
        }
    });
});
