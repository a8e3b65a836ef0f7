// The policy host gives packs the engine's semantics; these specs pin the ones policies rely on.
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { expect } from "chai";
import { LoadedPack, PolicyPackError } from "../../preview/policyHost";
import { checkResource, checkStack, judge, testResource, UNKNOWN } from "../harness";

const retention: ResourceValidationPolicy = {
    name: "retention",
    description: "Backups are kept long enough.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { days: { type: "integer", minimum: 1, default: 7 } } },
    validateResource: validateResourceOfType(aws.rds.Instance, (db, args, report) => {
        const { days } = args.getConfig<{ days: number }>();
        if ((db.backupRetentionPeriod ?? 0) < days) report(`backupRetentionPeriod ${db.backupRetentionPeriod} is below ${days}`);
    }),
};

const countDbs: StackValidationPolicy = {
    name: "count-dbs",
    description: "Sees the graph.",
    validateStack: (args, report) => {
        const dbs = args.resources.filter((r) => r.type === "aws:rds/instance:Instance");
        for (const db of dbs) if (db.parent?.type !== "test:index:Group") report(`db ${db.name} has no group parent`, db.urn);
    },
};

describe("policy host (engine semantics offline)", () => {
    it("fills a policy's config with its schema defaults", async () => {
        const v = await checkResource(retention, { type: "aws:rds/instance:Instance", props: { backupRetentionPeriod: 3 } });
        expect(v).to.have.length(1);
        expect(v[0].message).to.contain("below 7");
    });

    it("overlays the config file on the defaults", async () => {
        expect(await checkResource(retention, { type: "aws:rds/instance:Instance", props: { backupRetentionPeriod: 3 } }, { days: 2 })).to.deep.equal([]);
    });

    it("skips a policy that reads an unknown value instead of failing or reporting it", async () => {
        expect(await checkResource(retention, { type: "aws:rds/instance:Instance", props: { backupRetentionPeriod: UNKNOWN } })).to.deep.equal([]);
    });

    it("takes the enforcement level from config over policy over pack, with 'all' for every policy", async () => {
        const db = testResource({ type: "aws:rds/instance:Instance", props: { backupRetentionPeriod: 1 } });
        expect((await judge([retention], [db]))[0].enforcementLevel).to.equal("mandatory");
        expect((await judge([retention], [db], { all: "advisory" }))[0].enforcementLevel).to.equal("advisory");
        expect((await judge([retention], [db], { all: "advisory", retention: "mandatory" }))[0].enforcementLevel).to.equal("mandatory");
        expect(await judge([retention], [db], { retention: "disabled" })).to.deep.equal([]);
    });

    it("refuses config that does not match a policy's schema or names no policy", async () => {
        const pack = await LoadedPack.fromPolicies("p", [retention]);
        for (const bad of [{ retention: { days: "x" } }, { retension: "advisory" }, { retention: "sometimes" }]) {
            try {
                await pack.configure(bad, "cfg.json");
                expect.fail(`accepted ${JSON.stringify(bad)}`);
            } catch (e) {
                expect(e).to.be.instanceOf(PolicyPackError);
                expect((e as Error).message).to.contain("cfg.json");
            }
        }
    });

    it("gives stack policies parents and dependencies as resource objects", async () => {
        const group = "urn:pulumi:test::nonstop::test:index:Group::g";
        const v = await checkStack(countDbs, [
            { type: "test:index:Group", name: "g", urn: group, props: {} },
            { type: "aws:rds/instance:Instance", name: "in-group", parent: group, props: {} },
            { type: "aws:rds/instance:Instance", name: "loose", props: {} },
        ]);
        expect(v.map((x) => x.message)).to.deep.equal(["Sees the graph.\ndb loose has no group parent"]);
        expect(v[0].urn).to.contain("::loose");
    });
});
