// The policy host gives packs the engine's semantics; these specs pin the ones policies rely on.
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { expect } from "chai";
import * as path from "path";
import { decodeOncePerCall, DeserializeModule, LoadedPack, PolicyPackError } from "../../preview/policyHost";
import { WIRE } from "../../preview/values";
import { checkResource, checkStack, judge, RecordedResource, testResource, UNKNOWN } from "../harness";

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

describe("policy host: each resource decoded once per call (decodeOncePerCall)", () => {
    function counting(): { mod: DeserializeModule; calls: unknown[] } {
        const calls: unknown[] = [];
        const mod: DeserializeModule = {
            deserializeProperties: (struct, proxySecrets) => {
                calls.push(struct);
                return { decoded: struct, proxySecrets };
            },
        };
        decodeOncePerCall(mod);
        return { mod, calls };
    }

    it("hands every policy of a call the one decoded copy of a request's props", () => {
        const { mod, calls } = counting();
        const [a, b] = [{}, {}];
        const first = mod.deserializeProperties(a, false);
        expect(mod.deserializeProperties(a, false)).to.equal(first);
        expect(mod.deserializeProperties(b, false)).to.not.equal(first);
        expect(calls).to.deep.equal([a, b]);
    });

    it("decodes afresh for remediation, whose props proxy secrets", () => {
        const { mod, calls } = counting();
        const a = {};
        mod.deserializeProperties(a, true);
        mod.deserializeProperties(a, true);
        expect(calls).to.have.length(2);
    });

    it("keeps the policies' verdicts: each still sees the values and skips on its own unknowns", async () => {
        const tagged: ResourceValidationPolicy = { name: "tagged", description: "Tags are set.", enforcementLevel: "mandatory", validateResource: (r, report) => (r.props.tags ? undefined : report("no tags")) };
        const db = (tags: unknown) => testResource({ type: "aws:rds/instance:Instance", props: { backupRetentionPeriod: 3, tags } });
        expect((await judge([retention, tagged], [db(UNKNOWN)])).map((x) => x.policy)).to.deep.equal(["retention"]);
        expect((await judge([tagged, retention], [db(null)])).map((x) => x.policy)).to.deep.equal(["tagged", "retention"]);
    });
});

describe("policy host: what the CLI gives packs", () => {
    const roleUrn = "urn:pulumi:test::nonstop::aws:iam/role:Role::web";
    const profileWithRole = (id: string | undefined): RecordedResource => {
        const r = testResource({ type: "aws:iam/instanceProfile:InstanceProfile", name: "web", props: {} });
        const wire = { role: { [WIRE.sigKey]: WIRE.resourceSig, urn: roleUrn, ...(id === undefined ? {} : { id }) } };
        return { ...r, rawInputs: { toJavaScript: () => wire } };
    };
    const roleOf: ResourceValidationPolicy = {
        name: "role-of",
        description: "Reads the role a profile was given.",
        enforcementLevel: "advisory",
        validateResource: (args, report) => {
            if (args.type === "aws:iam/instanceProfile:InstanceProfile") report(`role ${String(args.props.role)}`);
        },
    };

    it("hands a resource object input to policies as the engine does: its id when known, its URN for a component", async () => {
        expect((await judge([roleOf], [profileWithRole("web-role-id")])).map((v) => v.message)).to.deep.equal(["Reads the role a profile was given.\nrole web-role-id"]);
        expect((await judge([roleOf], [profileWithRole(undefined)])).map((v) => v.message)).to.deep.equal([`Reads the role a profile was given.\nrole ${roleUrn}`]);
        // Unknown at preview: the policy is skipped on it, as the engine would.
        expect(await judge([roleOf], [profileWithRole(WIRE.unknown)])).to.deep.equal([]);
    });

    it("reports a policy that throws as not evaluated, and still runs the pack's other policies on that resource", async () => {
        const boom: ResourceValidationPolicy = {
            name: "boom",
            description: "Throws on every resource.",
            enforcementLevel: "mandatory",
            validateResource: () => {
                throw new Error("cannot read tags");
            },
        };
        const pack = await LoadedPack.fromPolicies("p", [boom, retention]);
        await pack.configure({}, "cfg");
        const verdict = await pack.analyze([testResource({ type: "aws:rds/instance:Instance", name: "db", props: { backupRetentionPeriod: 1 } })]);
        expect(verdict.violations.map((v) => v.policy)).to.deep.equal(["retention"]);
        expect(verdict.incomplete).to.have.length(1);
        expect(verdict.incomplete[0]).to.include({ kind: "policy", what: 'policy "boom" of pack p' });
        expect(verdict.incomplete[0].why).to.contain('aws:rds/instance:Instance "db"').and.contain("cannot read tags");
    });

    describe("a TypeScript pack with no build step and an initialConfig", () => {
        const dir = path.join(__dirname, "..", "..", "..", "test", "fixtures", "preview", "packs", "tagging");
        let pack: LoadedPack;
        before(async () => {
            pack = await LoadedPack.fromDirectory(dir);
        });

        it("loads its index.ts, as the CLI does", () => {
            expect(pack.name).to.equal("tagging");
            expect(pack.policies.map((p) => p.name)).to.deep.equal(["buckets-have-owner", "legacy-naming", "owner-lookup"]);
        });

        it("applies the pack's initialConfig over each policy's own level, and the config file over both (ReconcilePolicyPackConfig)", async () => {
            await pack.configure({}, "none");
            expect(pack.effectiveConfig.get("legacy-naming")?.level).to.equal("disabled");
            expect(pack.effectiveConfig.get("buckets-have-owner")?.level).to.equal("mandatory");
            await pack.configure({ "legacy-naming": "advisory" }, "file");
            expect(pack.effectiveConfig.get("legacy-naming")?.level).to.equal("advisory");
            // "all" in the file sets every level, the policy's own entry in the same file wins over it.
            await pack.configure({ all: "advisory", "buckets-have-owner": "mandatory" }, "file");
            expect(pack.effectiveConfig.get("legacy-naming")?.level).to.equal("advisory");
            expect(pack.effectiveConfig.get("buckets-have-owner")?.level).to.equal("mandatory");
        });

        it("never runs the policy its author disabled, unless the config file enables it", async () => {
            const bucket = testResource({ type: "aws:s3/bucket:Bucket", name: "b", props: { tags: { owner: "web" } } });
            await pack.configure({}, "none");
            expect(await pack.analyze([bucket])).to.deep.include({ violations: [], incomplete: [] });
            await pack.configure({ "legacy-naming": "advisory" }, "file");
            const enabled = await pack.analyze([bucket]);
            expect(enabled.incomplete.map((i) => i.what)).to.deep.equal(['policy "legacy-naming" of pack tagging']);
            expect(enabled.incomplete[0].why).to.contain("called process.exit(0)");
        });
    });
});
