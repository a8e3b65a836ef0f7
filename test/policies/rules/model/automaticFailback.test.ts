import { expect } from "chai";
import { automaticFailback } from "../../../../policies/rules/model";
import { checkStack } from "../../../harness";
import { awsActivePassive, awsToGcpCdc, promotionFromStandbyRegion, scheduledFunction } from "../../model/designs";

describe("automatic-failback-after-data-failover", () => {
    it("Noncompliance 1: after a promotion, the primary's record comes back on its own and its app writes to the demoted writer", async () => {
        const ap = awsActivePassive({ standbyTasks: 2, app: "own", promotion: "none" });
        promotionFromStandbyRegion(ap.d, ap, { failures: 3 });
        const v = await checkStack(automaticFailback, ap.d.resources);
        expect(v.map((x) => x.urn)).to.deep.equal([ap.records[0]]);
        expect(v[0].message).to.include("aws-us-east-1 comes back into DNS on its own").and.include("which is no longer the writer (usw2-db is)");
        expect(v[0].message).to.include("route53:UpdateHealthCheck");
    });

    it("Noncompliance 2: after a one-way CDC cut-over, the old primary takes writes on data that missed the new ones", async () => {
        const v = await checkStack(automaticFailback, awsToGcpCdc().resources);
        expect(v).to.have.length(1);
        expect(v[0].message).to.include("one-way change data capture");
    });

    it("Compliance: a pin (C4) keeps traffic on the new writer's site; or apps write through the global writer endpoint", async () => {
        const pinned = awsActivePassive({ standbyTasks: 2, app: "own", promotion: "none" });
        promotionFromStandbyRegion(pinned.d, pinned, { failures: 3 });
        scheduledFunction(pinned.d, { name: "pin", region: "us-west-2", actions: ["route53:UpdateHealthCheck"], about: [pinned.checks[0]] });
        expect(await checkStack(automaticFailback, pinned.d.resources)).to.deep.equal([]);
        const global = awsActivePassive({ standbyTasks: 2, app: "global", promotion: "none" });
        promotionFromStandbyRegion(global.d, global, { failures: 3 });
        expect(await checkStack(automaticFailback, global.d.resources)).to.deep.equal([]);
    });

    it("Unknown: a pin whose policy is unknown at preview counts when its environment names the check it pins", async () => {
        const ap = awsActivePassive({ standbyTasks: 2, app: "own", promotion: "none" });
        promotionFromStandbyRegion(ap.d, ap, { failures: 3 });
        scheduledFunction(ap.d, { name: "pin", region: "us-west-2", actions: [], about: [ap.checks[0]], unknownPolicy: true, env: { PIN_HEALTH_CHECK_ID: "(unknown)" } });
        expect(await checkStack(automaticFailback, ap.d.resources)).to.deep.equal([]);
    });
});
