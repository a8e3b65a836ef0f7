import { expect } from "chai";
import { cloudSqlBackupStartTime, CronError, cronProblem, parseCron, runsPerDay } from "../../../components/backup/cron";

describe("parseCron", () => {
    it("expands lists, ranges, steps and names in every field", () => {
        const s = parseCron("0,30 9-17/4 1,15 JAN-MAR mon-fri");
        expect(s.minutes).to.deep.equal([0, 30]);
        expect(s.hours).to.deep.equal([9, 13, 17]);
        expect(s.daysOfMonth).to.deep.equal([1, 15]);
        expect(s.months).to.deep.equal([1, 2, 3]);
        expect(s.daysOfWeek).to.deep.equal([1, 2, 3, 4, 5]);
        expect(s.everyDay).to.equal(false);
    });

    it("reads a single value with a step as running to the end of the range", () => {
        expect(parseCron("5/20 * * * *").minutes).to.deep.equal([5, 25, 45]);
    });

    it("folds Sunday 7 into 0", () => {
        expect(parseCron("0 0 * * 0,7").daysOfWeek).to.deep.equal([0]);
    });

    it("counts the runs of a day", () => {
        expect(runsPerDay(parseCron("0 3 * * *"))).to.equal(1);
        expect(runsPerDay(parseCron("0 */6 * * *"))).to.equal(4);
        expect(runsPerDay(parseCron("*/15 * * * *"))).to.equal(96);
        expect(parseCron("0 3 * * *").everyDay).to.equal(true);
    });

    for (const [expression, detail] of [
        ["0 3 * *", "found 4 field(s)"],
        ["", "found 0 field(s)"],
        ["0 3 * * * *", "found 6 field(s)"],
        ["60 3 * * *", 'minute field "60" has "60", outside 0-59'],
        ["0 24 * * *", "hour"],
        ["0 3 0 * *", "day-of-month"],
        ["0 3 * 13 *", "month"],
        ["0 3 * * 8", "day-of-week"],
        ["0 5-2 * * *", 'range "5-2" runs backwards'],
        ["0 */0 * * *", "step 0"],
        ["0 3 * * L", 'has "L"'],
        ["0 3 ? * *", "unreadable item"],
    ] as const) {
        it(`refuses "${expression}" (${detail})`, () => {
            expect(() => parseCron(expression)).to.throw(CronError, detail);
            expect(cronProblem(expression)).to.contain(`"${expression}" is not a valid five-field cron expression`);
        });
    }

    it("says what is wrong as a fault too, for callers that word the message their own way", () => {
        expect(() => parseCron("0 9-24 * * *"))
            .to.throw(CronError)
            .with.property("fault")
            .that.deep.includes({ kind: "out-of-range", text: "9-24", value: "24" });
        expect(() => parseCron("0 3 * *")).to.throw(CronError).with.property("fault").that.deep.equals({ kind: "field-count", found: 4 });
    });

    it("keeps the five fields as written", () => {
        expect(parseCron(" 0  */6 * * MON-FRI ").fields).to.deep.equal(["0", "*/6", "*", "*", "MON-FRI"]);
    });

    it("has no problem with a valid expression", () => {
        expect(cronProblem("15 2 * * 0")).to.equal(undefined);
    });
});

describe("cloudSqlBackupStartTime", () => {
    it("is the first hour and minute of the day the schedule fires, zero-padded", () => {
        expect(cloudSqlBackupStartTime("30 2 * * *")).to.equal("02:30");
        expect(cloudSqlBackupStartTime("5 23 * * *")).to.equal("23:05");
        expect(cloudSqlBackupStartTime("45,15 20,4 * * *")).to.equal("04:15");
        expect(cloudSqlBackupStartTime("*/20 */8 * * *")).to.equal("00:00");
    });

    it("refuses an invalid expression", () => {
        expect(() => cloudSqlBackupStartTime("daily")).to.throw(CronError);
    });
});
