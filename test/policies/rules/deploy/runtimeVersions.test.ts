import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { blockedRuntimeVersions, deprecatedRuntimeVersions } from "../../../../policies/rules/deploy";
import { dayNumber, judgementDate } from "../../../../policies/rules/deploy/lib";
import { rdsMajor } from "../../../../policies/rules/deploy/runtimeVersions";
import { judge as judgePack, testResource, UNKNOWN } from "../../../harness";
import { expectNone, expectOne } from "../support";
import { from, judge, TestStack } from "../graph/stack";

const today = { asOf: "2026-12-04" };
const LAMBDA = "aws:lambda/function:Function";

function one(type: string, name: string, props: Record<string, unknown>): TestStack {
    const stack = new TestStack();
    stack.add(type, name, props);
    return stack;
}

describe("blocked-runtime-versions / deprecated-runtime-versions", () => {
    it("Noncompliance 1: a Lambda on nodejs20.x after its block dates: refused, with Lambda's error and the runtime to move to", async () => {
        const stack = one(LAMBDA, "promote", { runtime: "nodejs20.x", handler: "index.handler" });
        expectOne(
            await judge(blockedRuntimeVersions, stack, today),
            "blocked-runtime-versions",
            `${LAMBDA} "promote"`,
            'runtime is "nodejs20.x", deprecated since Apr 30, 2026',
            "blocked creating functions on it since Aug 31, 2026",
            "The runtime parameter of nodejs20.x is no longer supported",
            'Set runtime to "nodejs24.x"',
        );
        expectNone(await judge(deprecatedRuntimeVersions, stack, today));
    });

    it("judges against the date it is given: in May 2026 nodejs20.x was deprecated but still deployable", async () => {
        const stack = one(LAMBDA, "promote", { runtime: "nodejs20.x" });
        expectNone(await judge(blockedRuntimeVersions, stack, { asOf: "2026-05-15" }));
        expectOne(await judge(deprecatedRuntimeVersions, stack, { asOf: "2026-05-15" }), "deprecated-runtime-versions", "deprecated since Apr 30, 2026", "blocks creating functions on it from Aug 31, 2026");
    });

    it("Noncompliance 2: warns warnDays ahead (nodejs22.x, deprecated Apr 30, 2027), and not with a shorter window", async () => {
        const stack = one(LAMBDA, "f", { runtime: "nodejs22.x" });
        expectOne(await judge(deprecatedRuntimeVersions, stack, today), "deprecated-runtime-versions", "which Lambda deprecates on Apr 30, 2027", 'Set runtime to "nodejs24.x"');
        expectNone(await judge(deprecatedRuntimeVersions, stack, { ...today, warnDays: 90 }));
    });

    it("Compliance: a supported runtime, a container image function, an unknown runtime", async () => {
        const stack = new TestStack();
        stack.add(LAMBDA, "a", { runtime: "nodejs24.x" });
        stack.add(LAMBDA, "b", { packageType: "Image", imageUri: "x" });
        stack.add(LAMBDA, "c", { runtime: UNKNOWN });
        expectNone(await judge(blockedRuntimeVersions, stack, today));
        expectNone(await judge(deprecatedRuntimeVersions, stack, today));
    });

    it("RDS and Aurora: paid Extended Support is a warning, past it the version is refused", async () => {
        const pg11 = one("aws:rds/instance:Instance", "db", { engine: "postgres", engineVersion: "11.22" });
        expectOne(await judge(deprecatedRuntimeVersions, pg11, today), "deprecated-runtime-versions", "major version 11 left RDS standard support on Feb 29, 2024", "RDS Extended Support");
        expectOne(await judge(blockedRuntimeVersions, pg11, { asOf: "2027-04-01" }), "blocked-runtime-versions", "left RDS Extended Support on Mar 31, 2027", "Cannot find version 11.22 for postgres");
        const aurora = one("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql", engineVersion: "16.6" });
        expectNone(await judge(deprecatedRuntimeVersions, aurora, today));
        expect(rdsMajor("aurora-mysql", "8.0.mysql_aurora.3.08.0")).to.equal("8.0");
        expect(rdsMajor("postgres", "9.6.24")).to.equal("9.6");
    });

    it("Cloud SQL: a version in extended support is a warning; POSTGRES_16 is fine", async () => {
        const stack = one("gcp:sql/databaseInstance:DatabaseInstance", "db", { databaseVersion: "POSTGRES_13" });
        expectOne(await judge(deprecatedRuntimeVersions, stack, today), "deprecated-runtime-versions", "POSTGRES_13, in Cloud SQL extended support since Feb 1, 2026");
        expectNone(await judge(deprecatedRuntimeVersions, one("gcp:sql/databaseInstance:DatabaseInstance", "db", { databaseVersion: "POSTGRES_16" }), today));
    });

    it("Kubernetes: an API no supported cluster serves is refused; one the cluster's known version still serves is a warning", async () => {
        const pdb = one("kubernetes:policy/v1beta1:PodDisruptionBudget", "pdb", { spec: {} });
        expectOne(await judge(blockedRuntimeVersions, pdb, today), "blocked-runtime-versions", "policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25", 'no matches for kind "PodDisruptionBudget" in version "policy/v1beta1"');

        const onOld = new TestStack();
        const cluster = onOld.add("aws:eks/cluster:Cluster", "eks", { version: "1.24" });
        const provider = onOld.add("pulumi:providers:kubernetes", "k8s", { kubeconfig: from(cluster) });
        onOld.add("kubernetes:policy/v1beta1:PodDisruptionBudget", "pdb", { spec: {} }, { provider });
        expectNone(await judge(blockedRuntimeVersions, onOld, today));
        expectOne(await judge(deprecatedRuntimeVersions, onOld, today), "deprecated-runtime-versions", "runs 1.24", "upgrading the cluster to 1.25 or later breaks");

        expectNone(await judge(blockedRuntimeVersions, one("kubernetes:policy/v1:PodDisruptionBudget", "pdb", { spec: {} }), today));
    });

    it("under policies/config/prod.json a refused version is mandatory and a deprecated one advisory", async () => {
        const prod = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "..", "..", "policies", "config", "prod.json"), "utf8")) as Record<string, unknown>;
        const config = { all: prod.all, [blockedRuntimeVersions.name]: today, [deprecatedRuntimeVersions.name]: { ...(prod[deprecatedRuntimeVersions.name] as object), ...today } };
        const lambdas = [testResource({ type: LAMBDA, name: "old", props: { runtime: "nodejs20.x" } }), testResource({ type: LAMBDA, name: "ending", props: { runtime: "nodejs22.x" } })];
        const v = await judgePack([blockedRuntimeVersions, deprecatedRuntimeVersions], lambdas, config);
        expect(v.map((x) => [x.policy, x.enforcementLevel]).sort()).to.deep.equal([
            ["blocked-runtime-versions", "mandatory"],
            ["deprecated-runtime-versions", "advisory"],
        ]);
    });

    it("takes today from the clock unless asOf is set (deterministic when injected)", () => {
        const clock = () => Date.UTC(2026, 11, 4, 15, 30);
        expect(judgementDate("", clock)).to.equal("2026-12-04");
        expect(judgementDate("2027-01-31", clock)).to.equal("2027-01-31");
        expect(judgementDate("2027-02-30", clock)).to.equal("2026-12-04");
        expect(dayNumber("2026-12-04")! - dayNumber("2026-08-31")!).to.equal(95);
    });
});
