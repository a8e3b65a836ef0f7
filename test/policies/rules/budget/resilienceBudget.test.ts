import { expect } from "chai";
import { resilienceBudget } from "../../../../policies/rules/budget/resilienceBudget";
import { checkStack, UNKNOWN } from "../../../harness";
import { awsActivePassive, promotionFromStandbyRegion } from "../../model/designs";

/** Warm standby, 10 s checks, apps on the global writer endpoint, promotion scheduled from us-west-2 (C1, C2). */
function automated() {
    const ap = awsActivePassive({ standbyTasks: 2, interval: 10, app: "global", promotion: "none" });
    promotionFromStandbyRegion(ap.d, ap, { failures: 3 });
    return ap;
}

describe("resilience-budget", () => {
    it("is an advisory stack policy with a one-sentence description and targets without defaults", () => {
        expect(resilienceBudget.name).to.equal("resilience-budget");
        expect(resilienceBudget.enforcementLevel).to.equal("advisory");
        expect(resilienceBudget.description).to.match(/^[^.]+\.$/);
        const props = resilienceBudget.configSchema?.properties ?? {};
        expect(Object.keys(props)).to.have.members(["rtoSeconds", "rpoSeconds", "availability"]);
        for (const p of Object.values(props)) expect(p).to.not.have.property("default");
    });

    it("Compliance: loose targets are met at P90", async () => {
        expect(await checkStack(resilienceBudget, automated().d.resources, { rpoSeconds: 3600, availability: 0.99 })).to.deep.equal([]);
    });

    it("Noncompliance 1: the P90 RTO decides, not the median: the message names the worst loss and the fix", async () => {
        const { d, records } = awsActivePassive({ standbyTasks: 0 });
        const v = await checkStack(resilienceBudget, d.resources, { rtoSeconds: 600 });
        expect(v).to.have.length(1);
        expect(v[0].urn).to.equal(records[0]);
        const line = v[0].message.split("\n");
        expect(line[0]).to.equal(resilienceBudget.description);
        expect(line[1]).to.match(/^checkout\.example\.com: RTO .* at P90 > 600 s target \(active-passive\); decided by (reads|writes) after losing .*; fix: /);
    });

    it("Noncompliance 2: mandatory when the config says so", async () => {
        const { d } = awsActivePassive({ standbyTasks: 0 });
        const v = await checkStack(resilienceBudget, d.resources, { enforcementLevel: "mandatory", rtoSeconds: 300 });
        expect(v.map((x) => x.enforcementLevel)).to.deep.equal(["mandatory"]);
    });

    it("judges only configured targets: no targets, no violations", async () => {
        const { d } = awsActivePassive({ standbyTasks: 0 });
        expect(await checkStack(resilienceBudget, d.resources, {})).to.deep.equal([]);
    });

    it("Unknown: an estimate unknown at preview is not a violation", async () => {
        const { d } = awsActivePassive({ standbyTasks: 0, interval: UNKNOWN });
        expect(await checkStack(resilienceBudget, d.resources, { rtoSeconds: 10, availability: 0.99999 })).to.deep.equal([]);
    });
});
