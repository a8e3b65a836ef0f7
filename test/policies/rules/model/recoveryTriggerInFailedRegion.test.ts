import { expect } from "chai";
import { recoveryTriggerInFailedRegion } from "../../../../policies/rules/model";
import { checkStack } from "../../../harness";
import { awsActivePassive, promotionFromStandbyRegion, scheduledFunction } from "../../model/designs";

describe("recovery-trigger-in-failed-region", () => {
    it("Noncompliance 1: a promotion started only by an alarm in us-east-1, the writer's region (Route 53 metrics live there)", async () => {
        const ap = awsActivePassive({ standbyTasks: 2 });
        const v = await checkStack(recoveryTriggerInFailedRegion, ap.d.resources);
        expect(v).to.have.length(1);
        expect(v[0].urn).to.match(/aws:lambda\/function:Function::checkout-promote$/);
        expect(v[0].message).to.include("it starts the promotion of use1-db, but every trigger it has (alarm checkout-writer-down -> SNS topic checkout-promote) runs in aws/us-east-1, the region it recovers from");
        expect(v[0].message).to.include("Route 53 publishes health-check metrics in us-east-1 only");
    });

    it("Noncompliance 2: a pilot light's scale-out scheduled in the primary's region", async () => {
        const ap = awsActivePassive({ standbyTasks: 0, promotion: "none" });
        scheduledFunction(ap.d, { name: "scale-out", region: "us-east-1", actions: ["ecs:UpdateService"], about: [ap.secondary.ecs] });
        const v = await checkStack(recoveryTriggerInFailedRegion, ap.d.resources);
        expect(v.map((x) => x.message)).to.have.length(1);
        expect(v[0].message).to.include("it scales out aws-us-west-2");
    });

    it("Compliance: the promotion scheduled in the standby's region, probing the writer (C2)", async () => {
        const ap = awsActivePassive({ standbyTasks: 2, promotion: "none" });
        promotionFromStandbyRegion(ap.d, ap, { failures: 3 });
        expect(await checkStack(recoveryTriggerInFailedRegion, ap.d.resources)).to.deep.equal([]);
    });

    it("Unknown: a function whose role's policy is unknown at preview is judged by what it is built from, and a function whose region is unknown is not a violation", async () => {
        const ap = awsActivePassive({ standbyTasks: 2, promotion: "none" });
        promotionFromStandbyRegion(ap.d, ap, { failures: 3, unknownPolicy: true });
        expect(await checkStack(recoveryTriggerInFailedRegion, ap.d.resources)).to.deep.equal([]);
        const nowhere = awsActivePassive({ standbyTasks: 2, promotion: "none" });
        const { fn } = scheduledFunction(nowhere.d, { name: "promote", region: "us-west-2", actions: ["rds:FailoverGlobalCluster"], about: [nowhere.primary.global as string] });
        const r = nowhere.d.resources.find((x) => x.urn === fn) as { provider?: string };
        r.provider = undefined;
        expect(await checkStack(recoveryTriggerInFailedRegion, nowhere.d.resources)).to.deep.equal([]);
    });
});
