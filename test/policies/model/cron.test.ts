import { expect } from "chai";
import { maxIntervalSeconds } from "../../../policies/model";

const H = 3600;

describe("maxIntervalSeconds (backup schedules)", () => {
    it("reads five-field cron as Velero and the stack config write it", () => {
        expect(maxIntervalSeconds("0 */6 * * *")).to.equal(6 * H);
        expect(maxIntervalSeconds("15 2,14 * * *")).to.equal(12 * H);
        expect(maxIntervalSeconds("0 3 * * 0")).to.equal(7 * 24 * H);
        expect(maxIntervalSeconds("0 3 * * 7")).to.equal(7 * 24 * H);
    });

    it("takes the longest gap of an uneven schedule (monthly: 31 days; weekdays only: over the weekend)", () => {
        expect(maxIntervalSeconds("0 0 1 * *")).to.equal(31 * 24 * H);
        expect(maxIntervalSeconds("0 5 * * 1-5")).to.equal(3 * 24 * H);
    });

    it("reads AWS Backup's cron(...) with six fields and ?, and rate(...)", () => {
        expect(maxIntervalSeconds("cron(0 */12 * * ? *)")).to.equal(12 * H);
        expect(maxIntervalSeconds("cron(0 5 ? * * *)")).to.equal(24 * H);
        expect(maxIntervalSeconds("cron(0 5 ? * MON-FRI *)")).to.equal(3 * 24 * H);
        expect(maxIntervalSeconds("rate(6 hours)")).to.equal(6 * H);
        expect(maxIntervalSeconds("rate(1 day)")).to.equal(24 * H);
    });

    it("reads Velero's descriptors", () => {
        expect(maxIntervalSeconds("@daily")).to.equal(24 * H);
        expect(maxIntervalSeconds("@hourly")).to.equal(H);
        expect(maxIntervalSeconds("@every 1h30m")).to.equal(1.5 * H);
    });

    it("answers undefined (unknown) for what it does not understand, never a guess", () => {
        expect(maxIntervalSeconds("0 0 L * *")).to.equal(undefined);
        expect(maxIntervalSeconds("cron(0 5 ? * 2#1 *)")).to.equal(undefined);
        expect(maxIntervalSeconds("cron(0 5 * * ? 2027)")).to.equal(undefined);
        expect(maxIntervalSeconds("every six hours")).to.equal(undefined);
        expect(maxIntervalSeconds("61 * * * *")).to.equal(undefined);
    });
});
