import { expect } from "chai";
import { describeMiss, estimateServices, judge, ServiceEstimate } from "../../../policies/model";
import { UNKNOWN } from "../../harness";
import { awsActivePassive, awsSite, Design, promotion, route53 } from "./designs";

function estimate(d: Design): ServiceEstimate {
    const [e] = estimateServices(d.graph());
    return e;
}

/**
 * Plain A records with TTL 300 s to two warm sites; the secondary holds an Aurora global replica
 * promoted by an alarm of one one-minute period. Traffic: 90 + 30 + 300 = 420 s; data: 90 + 30 + 60 + 60 = 240 s.
 */
function slowDns(): ServiceEstimate {
    const d = new Design();
    const a = awsSite(d, { name: "use1", region: "us-east-1", tasks: 2, db: { kind: "aurora-global-writer" } });
    const b = awsSite(d, { name: "usw2", region: "us-west-2", tasks: 2, db: { kind: "aurora-global-secondary", global: a.global as string, writer: a.db as string } });
    const { checks } = route53(d, "checkout.example.com", [
        { key: "use1", role: "PRIMARY", ip: { value: "198.51.100.1", from: a.lb } },
        { key: "usw2", role: "SECONDARY", ip: { value: "198.51.100.2", from: b.lb } },
    ], { ttl: 300 });
    promotion(d, { minutes: 1 }, { name: "checkout", healthCheck: checks[0], targetRegion: "us-west-2" });
    return estimate(d);
}

describe("judge", () => {
    it("passes when every configured target is met, and judges only the targets given", () => {
        const e = estimate(awsActivePassive().d); // RTO max(180, 360) = 360 s, RPO 1 s
        expect(judge(e, { rtoSeconds: 360, rpoSeconds: 1, availability: 0.9999 })).to.deep.include({ verdict: "pass", summary: "pass" });
        expect(judge(e, {}).verdict).to.equal("pass");
        expect(judge(e, { rpoSeconds: 5 }).misses).to.deep.equal([]);
    });

    it("fails with the dominant term of the longer path and the changes that meet the target: TTL 300 s -> 30, interval 30 -> 10", () => {
        const e = slowDns(); // max(420, 240) = 420 s
        expect(e.rtoSeconds).to.equal(420);
        const j = judge(e, { rtoSeconds: 180 });
        expect(j.verdict).to.equal("fail");
        expect(j.summary).to.equal("fail: RTO 420 s > 180 s");
        const [miss] = j.misses;
        expect(miss).to.include({ target: "rtoSeconds", estimate: 420, limit: 180 });
        expect(miss.dominantTerm.name).to.equal("DNS TTL (checkout.example.com-use1)");
        // TTL alone: max(90 + 30 + 30, 240) = 240 > 180; with the check at 10 s x 3 too: max(30 + 30 + 30, 30 + 30 + 60 + 60) = 180.
        expect(miss.fix).to.equal("lower checkout.example.com-use1 ttl to 30; set checkout.example.com-use1-hc requestInterval 10 (estimate becomes 180 s)");
        expect(describeMiss(e, miss)).to.equal(
            "checkout.example.com: RTO 420 s > 180 s target (active-passive): largest term DNS TTL (checkout.example.com-use1) 300 s (ttl 300 s: resolvers keep the old answer this long); fix: " + miss.fix,
        );
    });

    it("says when configuration alone cannot meet the target: the data path keeps 180 s", () => {
        const [miss] = judge(slowDns(), { rtoSeconds: 60 }).misses;
        expect(miss.fix).to.match(/still leaves 180 s: the configuration alone cannot meet it/);
    });

    it("traffic and data in parallel: the largest term of the longer path dominates, and a change to the shorter path is not proposed", () => {
        // Pilot light, 3-minute trigger: traffic 90 + 30 + 60 + 120 = 300 s, data 90 + 30 + 180 + 60 = 360 s.
        const e = estimate(awsActivePassive({ standbyTasks: 0 }).d);
        const [miss] = judge(e, { rtoSeconds: 300 }).misses;
        expect(miss.dominantTerm.name).to.equal("promotion trigger (alarm checkout-writer-down)");
        // Warming the standby shortens traffic only (max(180, 360) = 360): the check at 10 s shortens both (max(240, 300) = 300).
        expect(miss.fix).to.equal("set checkout.example.com-use1-hc requestInterval 10 (estimate becomes 300 s)");
        // 240 s needs the trigger too: max(30 + 30 + 60 + 120 = 240, 30 + 30 + 120 + 60 = 240); the standby stays cold.
        const [tighter] = judge(e, { rtoSeconds: 240 }).misses;
        expect(tighter.fix).to.equal(
            "set checkout.example.com-use1-hc requestInterval 10; set checkout-writer-down evaluationPeriods 2 and datapointsToAlarm 2 (period 60 s: fewer would promote, losing the writes not yet replicated, on a short outage) (estimate becomes 240 s)",
        );
    });

    it("an RPO that only backups meet: how often to back up, or to replicate continuously", () => {
        const d = new Design();
        const a = awsSite(d, { name: "use1", region: "us-east-1", tasks: 2, db: { kind: "aurora" }, backup: { schedule: "cron(0 3 * * ? *)", copyRegion: "us-east-2" } });
        const b = awsSite(d, { name: "usw2", region: "us-west-2", tasks: 2, db: { kind: "aurora" } });
        route53(d, "ledger.example.com", [
            { key: "use1", role: "PRIMARY", lb: a.lb },
            { key: "usw2", role: "SECONDARY", lb: b.lb },
        ]);
        const e = estimate(d); // 86400 s interval + 3600 s copy
        expect(e.rpoSeconds).to.equal(90000);
        expect(judge(e, { rpoSeconds: 6 * 3600 }).misses[0].fix).to.equal("back up at least every 5 h (18000 s) (estimate becomes 6 h (21600 s))");
        expect(judge(e, { rpoSeconds: 600 }).misses[0].fix).to.equal("replicate continuously (Aurora global database, a cross-region replica or CDC) instead of relying on backups");
    });

    it("an availability miss names the weakest link and what one more site would give", () => {
        const e = estimate(awsActivePassive().d);
        const [miss] = judge(e, { availability: 0.99999999 }).misses;
        expect(miss.target).to.equal("availability");
        expect(miss.dominantTerm.value).to.equal(0.9999);
        expect(miss.fix).to.match(/^adding one more site like the best one \(99\.97%\) gives 99\.99999999/);
    });

    it("is unknown, never failed, when an estimate is unknown, and names the input", () => {
        const e = estimate(awsActivePassive({ threshold: UNKNOWN }).d);
        const j = judge(e, { rtoSeconds: 10, rpoSeconds: 60 });
        expect(j.verdict).to.equal("unknown");
        expect(j.misses).to.deep.equal([]);
        expect(j.unknowns).to.have.length(1);
        expect(j.unknowns[0]).to.match(/^rtoSeconds: detection \(health check checkout\.example\.com-use1-hc\)/);
        expect(j.summary).to.match(/^unknown: rtoSeconds: /);
    });
});
