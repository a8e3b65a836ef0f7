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

    it("Compliance: a warm standby with 10 s health checks meets RTO 300 s, RPO 60 s and 99.95%", async () => {
        // Traffic 10 x 3 + 30 + 60 = 120 s and data 30 + 30 + 180 (alarm 3 x 60 s) + 60 = 300 s in parallel: 300 s.
        const { d } = awsActivePassive({ standbyTasks: 2, interval: 10 });
        expect(await checkStack(resilienceBudget, d.resources, { rtoSeconds: 300, rpoSeconds: 60, availability: 0.9995 })).to.deep.equal([]);
        // Exactly at the target: one second less is a miss (the estimate is known, not skipped).
        expect(await checkStack(resilienceBudget, d.resources, { rtoSeconds: 299 })).to.have.length(1);
    });

    it("Noncompliance 1: a pilot light whose promotion waits 3 minutes misses RTO 300 s; the message names the dominant term and the fix", async () => {
        const { d, records } = awsActivePassive({ standbyTasks: 0 });
        const v = await checkStack(resilienceBudget, d.resources, { rtoSeconds: 300, rpoSeconds: 60, availability: 0.9995 });
        expect(v).to.have.length(1);
        expect(v[0].policy).to.equal("resilience-budget");
        expect(v[0].enforcementLevel).to.equal("advisory");
        expect(v[0].urn).to.equal(records[0]);
        // max(traffic 90 + 30 + 60 + 120 = 300, data 90 + 30 + 180 + 60 = 360) = 360 s: the data path decides, so its
        // largest term dominates; the check at 10 s shortens both paths: max(240, 300) = 300 s.
        // The analyzer puts the policy's description on the first line, as the Pulumi CLI shows it.
        expect(v[0].message.split("\n")).to.deep.equal([
            resilienceBudget.description,
            "checkout.example.com: RTO 360 s > 300 s target (active-passive): largest term promotion trigger (alarm checkout-writer-down) 180 s " +
                "(alarm checkout-writer-down on HealthCheckStatus of checkout.example.com-use1-hc: evaluationPeriods 3 x period 60 s, counted from the check turning unhealthy; " +
                "then SNS topic checkout-promote -> Lambda function checkout-promote); fix: set checkout.example.com-use1-hc requestInterval 10 (estimate becomes 300 s)",
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

    it("Unknown: a manual promotion (an alarm without actions) is not a violation, however tight the target", async () => {
        const { d } = awsActivePassive({ standbyTasks: 0, promotion: "manual" });
        expect(await checkStack(resilienceBudget, d.resources, { rtoSeconds: 10 })).to.deep.equal([]);
    });
});
