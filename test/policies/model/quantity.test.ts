// The numeric core: triangular draws with common random numbers, expressions folding NEVER and
// zero, percentiles with P90 at the pessimistic end.
import { expect } from "chai";
import { c, draw, evaluate, exact, isNever, isZero, max, min, NEVER, q, Quantity, sample, SAMPLES, sum, triangular, ZERO } from "../../../policies/model/quantity";

const duration: Quantity = { key: "test-duration", label: "d", low: 10, likely: 20, high: 60, unit: "s", basis: "assumption", source: "test" };
const rate: Quantity = { key: "test-rate", label: "r", low: 0.01, likely: 0.1, high: 1, unit: "/yr", basis: "assumption", source: "test" };

describe("quantities", () => {
    it("triangular: the inverse CDF spans [low, high] and puts the likely value at F = (likely - low) / (high - low)", () => {
        expect(triangular(0, 10, 20, 60)).to.equal(10);
        expect(triangular(1, 10, 20, 60)).to.equal(60);
        expect(triangular(0.2, 10, 20, 60)).to.be.closeTo(20, 1e-9);
    });

    it("draws are deterministic per key and sample, inside the range; rates span orders of magnitude on a log scale", () => {
        const a = Array.from({ length: 50 }, (_, i) => draw(duration, i));
        expect(a).to.deep.equal(Array.from({ length: 50 }, (_, i) => draw(duration, i)));
        for (const v of a) expect(v).to.be.within(10, 60);
        const rates = Array.from({ length: 500 }, (_, i) => draw(rate, i));
        for (const v of rates) expect(v).to.be.within(0.01, 1);
        // The log-scale median sits near the likely value (0.1), not near the arithmetic middle (0.5).
        const sorted = [...rates].sort((x, y) => x - y);
        expect(sorted[250]).to.be.within(0.06, 0.2);
    });

    it("sums, maxima and minima fold constants: NEVER absorbs a sum and a max, zero absorbs a min", () => {
        expect(isNever(sum(q(duration), NEVER))).to.equal(true);
        expect(isNever(max(q(duration), NEVER))).to.equal(true);
        expect(isZero(min(q(duration), ZERO))).to.equal(true);
        expect(min(NEVER, q(duration))).to.deep.equal(q(duration));
        expect(evaluate(sum(q(duration), c(5)), (x) => x.high)).to.equal(65);
    });

    it("sample: P10 <= P50 <= P90 between the all-low and all-high points; P90 is the low end when lower is worse", () => {
        const s = sample((pick) => pick(duration) + pick(duration));
        expect([s.low, s.likely, s.high]).to.deep.equal([20, 40, 120]);
        expect(s.p10).to.be.at.least(s.low).and.at.most(s.p50);
        expect(s.p90).to.be.at.least(s.p50).and.at.most(s.high);
        const a = sample((pick) => 1 - pick(duration) / 1000, "low");
        expect(a.p90).to.be.below(a.p10);
        expect(SAMPLES).to.be.at.least(1000);
    });

    it("sample computes each expression for all samples at once, to the bit what evaluating sample by sample gives", () => {
        const other: Quantity = { ...duration, key: "test-other", low: 5, likely: 30, high: 90 };
        const fixed = exact("test-fixed", "f", 7, "s", "test");
        const rto = max(sum(q(duration), q(fixed), c(3)), min(q(other), c(45)));
        const loss = { op: "mul", xs: [q(rate), q(other), c(1 / 3)] } as const;
        const late = sum(q(other), q(duration));
        // A branch the first sample may not take, and an expression built anew in every sample.
        const f = (pick: (x: Quantity) => number) => {
            const base = evaluate(rto, pick) + evaluate(loss, pick);
            return pick(duration) > 40 ? base + evaluate(late, pick) : base - evaluate(sum(q(duration), c(1)), pick);
        };
        for (const n of [SAMPLES, 200]) {
            const values = Float64Array.from({ length: n }, (_, i) => f((x) => (x.low === x.high ? x.likely : draw(x, i)))).sort();
            const at = (p: number) => values[Math.round(p * (n - 1))];
            expect(sample(f, "high", n)).to.deep.include({ p10: at(0.1), p50: at(0.5), p90: at(0.9) });
        }
    });

    it("common random numbers: the same quantity draws the same value in every function of a sample, so comparisons are exact", () => {
        const base = sample((pick) => pick(duration));
        const shifted = sample((pick) => pick(duration) + 7);
        expect(shifted.p10 - base.p10).to.be.closeTo(7, 1e-9);
        expect(shifted.p90 - base.p90).to.be.closeTo(7, 1e-9);
        const fixed = sample((pick) => pick(exact("x", "x", 42, "s", "graph")));
        expect(fixed).to.deep.include({ p10: 42, p50: 42, p90: 42 });
    });
});
