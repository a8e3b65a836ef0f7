// Properties of the model over generated designs (fast-check; a fixed seed under CI=true, see
// test/setup.ts). Monte Carlo draws use common random numbers, so two designs that share an
// uncertain input see the same draw of it in every sample and the comparisons below are exact up
// to floating-point rounding.
import { expect } from "chai";
import fc from "fast-check";
import { estimateServices, ServiceEstimate, Stat } from "../../../policies/model";
import { awsActiveActive, awsActivePassive, awsSite, Design, promotionFromStandbyRegion, route53 } from "./designs";

/** Regions of one failure class (AWS outside us-east-1): a healthy site added in one of them has the same rates as the others. */
const REGIONS = ["us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1", "ca-central-1"];
/** Designs per property (each run estimates two designs); NONSTOP_PROPERTY_RUNS raises it for a longer soak. */
const RUNS = Number(process.env.NONSTOP_PROPERTY_RUNS ?? 6);
const EPS = 1e-12;

function only(d: Design): ServiceEstimate {
    const [e] = estimateServices(d.graph());
    return e;
}

function notLower(after: Stat | null, before: Stat | null, what: string): void {
    expect(after, what).to.not.equal(null);
    expect(before, what).to.not.equal(null);
    for (const k of ["p10", "p50", "p90", "low", "likely", "high"] as const) expect((after as Stat)[k], `${what} ${k}`).to.be.at.least((before as Stat)[k] - EPS);
}

function notShorter(after: Stat | null, before: Stat | null, what: string): void {
    for (const k of ["p10", "p50", "p90", "low", "likely", "high"] as const) expect((after as Stat)[k], `${what} ${k}`).to.be.at.least((before as Stat)[k] - EPS);
}

describe("properties of the model", function () {
    this.timeout(60000);

    it("adding a healthy active site (same failure class, same checks, writing through the global endpoint) never lowers read availability", () => {
        fc.assert(
            fc.property(fc.integer({ min: 2, max: 4 }), fc.constantFrom(10, 30), fc.integer({ min: 1, max: 3 }), (n, interval, threshold) => {
                const o = { app: "global" as const, interval, threshold };
                const before = only(awsActiveActive(REGIONS.slice(0, n), o));
                const after = only(awsActiveActive(REGIONS.slice(0, n + 1), o));
                notLower(after.ranges.availability.reads, before.ranges.availability.reads, `reads ${n} -> ${n + 1} sites`);
                // Writes: the new region's own loss fails its share of writes while DNS moves it (the writer's
                // loss already stops every write), so write availability may drop - by no more than that.
                const newRegion = after.modes.find((m) => m.domain === `region:aws/${REGIONS[n]}`);
                const bound = (newRegion?.writeDowntime.high ?? 0) / (365.25 * 86400);
                for (const k of ["p10", "p50", "p90"] as const) {
                    expect((after.ranges.availability.writes as Stat)[k], `writes ${k}`).to.be.at.least((before.ranges.availability.writes as Stat)[k] - bound - EPS);
                }
            }),
            { numRuns: RUNS },
        );
    });

    it("adding a warm secondary to an active-passive service never lowers availability", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 4 }), fc.constantFrom(10, 30), (tasks, interval) => {
                const build = (withSecondary: boolean) => {
                    const ap = awsActivePassive({ standbyTasks: tasks, app: "global", interval });
                    if (withSecondary) {
                        const third = awsSite(ap.d, { name: "euw1", region: "eu-west-1", tasks, app: "global", db: { kind: "aurora-global-secondary", global: ap.primary.global as string, writer: ap.primary.db as string } });
                        route53(ap.d, "failover-2.checkout.example.com", [{ key: "euw1", role: "SECONDARY", lb: third.lb }]);
                    }
                    return only(ap.d);
                };
                const before = build(false);
                const after = build(true);
                notLower(after.ranges.availability.reads, before.ranges.availability.reads, "reads");
                notLower(after.ranges.availability.writes, before.ranges.availability.writes, "writes");
            }),
            { numRuns: Math.max(3, Math.floor(RUNS / 2)) },
        );
    });

    it("removing the only trigger that survives the writer's region never lowers the RTO (with it, the data failover is the faster of it and people)", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), (minutes, failures, alarmToo) => {
                const build = (withTrigger: boolean) => {
                    const ap = awsActivePassive({ standbyTasks: 2, app: "global", promotion: alarmToo ? { minutes: 3 } : "none" });
                    if (withTrigger) promotionFromStandbyRegion(ap.d, ap, { failures, schedule: `rate(${minutes} ${minutes === 1 ? "minute" : "minutes"})` });
                    return only(ap.d);
                };
                const withTrigger = build(true);
                const without = build(false);
                notShorter(without.ranges.rto.writes, withTrigger.ranges.rto.writes, `writes RTO, schedule every ${minutes} min x ${failures}`);
                expect(without.rtoSeconds as number).to.be.at.least((withTrigger.rtoSeconds as number) - EPS);
            }),
            { numRuns: RUNS },
        );
    });
});
