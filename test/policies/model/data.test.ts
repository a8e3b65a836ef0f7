import { expect } from "chai";
import { RATES, SLAS, TIMINGS } from "../../../policies/model";

describe("the model's data files", () => {
    it("slas.json: one entry per key, an SLA in (0, 1], the provider's SLA page and what it covers", () => {
        expect(new Set(SLAS.map((e) => e.key)).size).to.equal(SLAS.length);
        for (const e of SLAS) {
            expect(e.sla, e.key).to.be.greaterThan(0).and.at.most(1);
            expect(e.source, e.key).to.match(/^https:\/\/(aws\.amazon\.com|cloud\.google\.com)\/.+sla/);
            expect(e.note.length, e.key).to.be.greaterThan(10);
        }
    });

    it("slas.json holds the published numbers the upper bound composes", () => {
        const by = Object.fromEntries(SLAS.map((e) => [e.key, e.sla]));
        expect(by).to.deep.include({ route53: 1, "cloud-dns": 1, elb: 0.9999, "ecs-multi-az": 0.9999, "aurora-multi-az": 0.9999, "rds-multi-az": 0.9995, "cloud-run": 0.9995, "cloud-sql-enterprise-plus-ha": 0.9999 });
    });

    it("timings.json and rates.json: unique keys; every range low <= likely <= high, positive where a rate; an https source; a kind", () => {
        const all = [...TIMINGS, ...RATES];
        expect(new Set(all.map((e) => e.key)).size).to.equal(all.length);
        for (const e of all) {
            expect(["documented", "default", "assumption"], e.key).to.include(e.kind);
            expect(e.source, e.key).to.match(/^https:\/\//);
            expect(e.note.length, e.key).to.be.greaterThan(20);
            if (e.value !== undefined) {
                expect(e.low, e.key).to.equal(undefined);
                expect(e.value, e.key).to.be.greaterThan(0);
                continue;
            }
            expect([e.low, e.likely, e.high].every((x) => typeof x === "number"), e.key).to.equal(true);
            expect(e.low as number, e.key).to.be.at.least(0).and.at.most(e.likely as number);
            expect(e.likely as number, e.key).to.be.at.most(e.high as number);
            if (e.unit === "/yr") expect(e.low as number, e.key).to.be.greaterThan(0);
        }
    });

    it("keeps the documented figures the issue names: Aurora global failover 'order of minutes', RDS Multi-AZ 60-120 s, Aurora in-region within 30 s", () => {
        const by = Object.fromEntries([...TIMINGS, ...RATES].map((e) => [e.key, e]));
        expect(by["promote-aurora-global"]).to.include({ low: 60, high: 600, kind: "documented" });
        expect(by["promote-aurora-global"].note).to.include("order of minutes");
        expect(by["failover-rds-multi-az"].note).to.include("60-120 seconds");
        expect(by["failover-aurora-in-region"].note).to.include("within 30 seconds");
        expect(by["cloudwatch-alarm-delay"].note).to.include("several minutes might elapse");
        expect(by["manual-failover"]).to.include({ low: 900, high: 3600 });
        expect(by["rate-region-aws-us-east-1"].likely as number).to.be.greaterThan(by["rate-region-aws"].likely as number);
    });
});
