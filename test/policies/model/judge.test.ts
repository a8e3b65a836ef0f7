import { expect } from "chai";
import { describeMiss, estimateServices, judge, ServiceEstimate } from "../../../policies/model";
import { UNKNOWN } from "../../harness";
import { awsActiveActive, awsActivePassive, Design, promotionFromStandbyRegion } from "./designs";

function estimate(d: Design): ServiceEstimate {
    const [e] = estimateServices(d.graph());
    return e;
}

/** Warm standby wired to the global writer endpoint, promoted from us-west-2 (C1 + C2). */
function automated(): ServiceEstimate {
    const ap = awsActivePassive({ standbyTasks: 2, app: "global", interval: 10 });
    promotionFromStandbyRegion(ap.d, ap, { failures: 3 });
    return estimate(ap.d);
}

describe("judge (the pessimistic end: P90)", () => {
    it("passes a target the P90 meets and judges only the targets given", () => {
        const e = automated();
        expect(judge(e, { rpoSeconds: (e.rpoSeconds as number) + 1 }).verdict).to.equal("pass");
        expect(judge(e, {}).verdict).to.equal("pass");
        expect(judge(e, {}).summary).to.equal("pass");
    });

    it("fails on the P90, not the median: a target between P50 and P90 is a miss", () => {
        const e = automated();
        const rpo = e.ranges.rpo.worst;
        expect(rpo).to.not.equal(null);
        const between = ((rpo?.p50 as number) + (rpo?.p90 as number)) / 2;
        const j = judge(e, { rpoSeconds: between });
        expect(j.verdict).to.equal("fail");
        expect(j.misses[0]).to.include({ target: "rpoSeconds", estimate: rpo?.p90, limit: between });
    });

    it("names what decides a miss and the fix the what-if matrix found: writes routed to a replica decide availability", () => {
        const e = estimate(awsActiveActive(["us-east-1", "us-west-2"], { app: "own" }));
        const j = judge(e, { availability: 0.999 });
        expect(j.verdict).to.equal("fail");
        expect(j.misses[0].dominant).to.match(/^writes: steady-state \(writes from aws-us-west-2 fail with nothing lost/);
        expect(j.misses[0].fix).to.include("aws-us-west-2: writes fail (its database host is the read-only replica site1-db)");
        expect(describeMiss(e, j.misses[0])).to.match(/^orders\.example\.com: availability \d+(\.\d+)?% at P90 < 99\.9% target \(active-active\); decided by writes: steady-state/);
    });

    it("an RTO miss names the worst single loss and the fix: a promotion nobody starts when the alarm's region is lost", () => {
        const e = estimate(awsActivePassive({ standbyTasks: 2 }).d);
        const j = judge(e, { rtoSeconds: 300 });
        expect(j.misses[0].dominant).to.match(/^(reads|writes) after losing (region:aws\/us-east-1|writer:use1-db)$/);
        expect(j.misses[0].fix).to.match(/promotion/);
    });

    it("an estimate unknown at preview is never a miss: it is unknown, naming the input", () => {
        const e = estimate(awsActivePassive({ interval: UNKNOWN }).d);
        const j = judge(e, { rtoSeconds: 1, availability: 0.5 });
        expect(j.verdict).to.equal("unknown");
        expect(j.misses).to.deep.equal([]);
        expect(j.unknowns[0]).to.match(/^rtoSeconds: .*requestInterval is unknown at preview/);
    });
});
