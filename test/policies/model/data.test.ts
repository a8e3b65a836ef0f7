import { expect } from "chai";
import { SLAS, TIMINGS } from "../../../policies/model";

describe("the model's data files", () => {
    it("slas.json: one entry per key, an SLA in (0, 1], the provider's SLA page and what it covers", () => {
        expect(new Set(SLAS.map((e) => e.key)).size).to.equal(SLAS.length);
        for (const e of SLAS) {
            expect(e.sla, e.key).to.be.greaterThan(0).and.at.most(1);
            expect(e.source, e.key).to.match(/^https:\/\/(aws\.amazon\.com|cloud\.google\.com)\/.+sla/);
            expect(e.note.length, e.key).to.be.greaterThan(10);
        }
    });

    it("slas.json holds the published numbers the model composes", () => {
        const by = Object.fromEntries(SLAS.map((e) => [e.key, e.sla]));
        expect(by).to.deep.include({
            route53: 1,
            "cloud-dns": 1,
            elb: 0.9999,
            "ecs-multi-az": 0.9999,
            "aurora-multi-az": 0.9999,
            "aurora-single-az": 0.999,
            "rds-multi-az": 0.9995,
            "rds-single-az": 0.995,
            "cloud-run": 0.9995,
            "cloud-load-balancing": 0.9999,
            "cloud-sql-enterprise-ha": 0.9995,
            "cloud-sql-enterprise-plus-ha": 0.9999,
            "gke-regional": 0.9995,
            "gke-zonal": 0.995,
            eks: 0.9995,
        });
    });

    it("timings.json: every constant has a positive amount, a kind and an https source; assumptions say so in their note", () => {
        expect(new Set(TIMINGS.map((e) => e.key)).size).to.equal(TIMINGS.length);
        for (const e of TIMINGS) {
            expect(e.seconds ?? e.value, e.key).to.be.a("number").and.greaterThan(0);
            expect(["documented", "default", "assumption"], e.key).to.include(e.kind);
            expect(e.source, e.key).to.match(/^https:\/\//);
            if (e.kind === "assumption") expect(e.note, e.key).to.match(/allowed|publishes no figure|working/i);
        }
    });
});
