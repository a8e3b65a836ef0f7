import { expect } from "chai";
import { resilienceBudget } from "../../../../policies/rules/budget/resilienceBudget";
import { checkStack, UNKNOWN } from "../../../harness";
import { awsActivePassive } from "../../model/designs";

describe("resilience-budget", () => {
    it("is an advisory stack policy with a one-sentence description and targets without defaults", () => {
        expect(resilienceBudget.name).to.equal("resilience-budget");
        expect(resilienceBudget.enforcementLevel).to.equal("advisory");
        expect(resilienceBudget.description).to.match(/^[^.]+\.$/);
        const props = resilienceBudget.configSchema?.properties ?? {};
        expect(Object.keys(props)).to.have.members(["rtoSeconds", "rpoSeconds", "availability"]);
        for (const p of Object.values(props)) expect(p).to.not.have.property("default");
    });

    it("Compliance: a warm standby meets RTO 300 s, RPO 60 s and 99.95%", async () => {
        const { d } = awsActivePassive({ standbyTasks: 2 });
        expect(await checkStack(resilienceBudget, d.resources, { rtoSeconds: 300, rpoSeconds: 60, availability: 0.9995 })).to.deep.equal([]);
    });

    it("Noncompliance 1: a pilot light misses RTO 300 s; the message names the dominant term and the fix", async () => {
        const { d, records } = awsActivePassive({ standbyTasks: 0 });
        const v = await checkStack(resilienceBudget, d.resources, { rtoSeconds: 300, rpoSeconds: 60, availability: 0.9995 });
        expect(v).to.have.length(1);
        expect(v[0].policy).to.equal("resilience-budget");
        expect(v[0].enforcementLevel).to.equal("advisory");
        expect(v[0].urn).to.equal(records[0]);
        // The analyzer puts the policy's description on the first line, as the Pulumi CLI shows it.
        expect(v[0].message.split("\n")).to.deep.equal([
            resilienceBudget.description,
            "checkout.example.com: RTO 360 s > 300 s target (active-passive): largest term start capacity in aws-us-west-2 (pilot light) 120 s " +
                "(aws-us-west-2 runs no copies at rest (usw2-svc: desiredCount 0): ecs-fargate start 120 s); fix: run at least 1 copy in aws-us-west-2 (warm standby) (estimate becomes 240 s)",
        ]);
    });

    it("Noncompliance 2: mandatory when the config says so", async () => {
        const { d } = awsActivePassive({ standbyTasks: 0 });
        const v = await checkStack(resilienceBudget, d.resources, { enforcementLevel: "mandatory", rtoSeconds: 300 });
        expect(v.map((x) => x.enforcementLevel)).to.deep.equal(["mandatory"]);
    });

    it("judges only configured targets: no targets, no violations", async () => {
        const { d } = awsActivePassive({ standbyTasks: 0 });
        expect(await checkStack(resilienceBudget, d.resources, {})).to.deep.equal([]);
        expect(await checkStack(resilienceBudget, d.resources, { rpoSeconds: 60 })).to.deep.equal([]);
    });

    it("Unknown: an estimate unknown at preview is not a violation", async () => {
        const { d } = awsActivePassive({ standbyTasks: 0, interval: UNKNOWN });
        expect(await checkStack(resilienceBudget, d.resources, { rtoSeconds: 10 })).to.deep.equal([]);
    });
});
