import { expect } from "chai";
import { standbyTakesNoTraffic } from "../../../../policies/rules/model";
import { checkStack, UNKNOWN } from "../../../harness";
import { awsActivePassive, scheduledFunction } from "../../model/designs";

describe("standby-takes-no-traffic", () => {
    it("Noncompliance 1: a pilot light that nothing scales out", async () => {
        const ap = awsActivePassive({ standbyTasks: 0 });
        const v = await checkStack(standbyTakesNoTraffic, ap.d.resources);
        expect(v).to.have.length(1);
        expect(v[0].urn).to.equal(ap.secondary.ecs);
        expect(v[0].message).to.include("checkout.example.com's standby aws-us-west-2 runs no task (pilot light) and nothing in the program scales it out");
        expect(v[0].message).to.include("ecs:UpdateService");
    });

    it("Noncompliance 2: a primary without a health check never hands over", async () => {
        const ap = awsActivePassive({ standbyTasks: 2, interval: 30 });
        const record = ap.d.resources.find((r) => r.urn === ap.records[0]) as { props: Record<string, unknown>; propertyDependencies: Record<string, readonly string[]> };
        delete record.props.healthCheckId;
        record.propertyDependencies = { aliases: record.propertyDependencies.aliases };
        (record.props.aliases as Record<string, unknown>[])[0].evaluateTargetHealth = false;
        const v = await checkStack(standbyTakesNoTraffic, ap.d.resources);
        expect(v.map((x) => x.urn)).to.deep.equal([ap.records[0]]);
        expect(v[0].message).to.include("checkout.example.com's primary aws-us-east-1 has no health check");
    });

    it("Compliance: a warm standby, or a pilot light with a scale-out in its own region (C3)", async () => {
        expect(await checkStack(standbyTakesNoTraffic, awsActivePassive({ standbyTasks: 2 }).d.resources)).to.deep.equal([]);
        const ap = awsActivePassive({ standbyTasks: 0 });
        scheduledFunction(ap.d, { name: "scale-out", region: "us-west-2", actions: ["ecs:UpdateService"], about: [ap.secondary.ecs] });
        expect(await checkStack(standbyTakesNoTraffic, ap.d.resources)).to.deep.equal([]);
    });

    it("Unknown: a standby whose capacity is unknown at preview is not a violation", async () => {
        const ap = awsActivePassive({ standbyTasks: 0 });
        for (const r of ap.d.resources) {
            if (r.urn === ap.secondary.ecs) (r.props as Record<string, unknown>).desiredCount = UNKNOWN;
            if (r.urn === ap.secondary.scalingTarget) (r.props as Record<string, unknown>).minCapacity = UNKNOWN;
        }
        expect(await checkStack(standbyTakesNoTraffic, ap.d.resources)).to.deep.equal([]);
    });
});
