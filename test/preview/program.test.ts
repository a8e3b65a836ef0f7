import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ProgramError } from "../../preview/program";
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
