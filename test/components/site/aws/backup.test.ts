import { expect } from "chai";
import { checkBackupSchedule, CronError, toAwsCron } from "../../../../components/site/aws/backup";

describe("toAwsCron", () => {
    it("turns a daily schedule into AWS cron with '?' for day-of-week when both day fields are '*'", () => {
        expect(toAwsCron("0 3 * * *")).to.equal("cron(0 3 * * ? *)");
    });

    it("keeps day-of-month and puts '?' in day-of-week when only day-of-month is restricted", () => {
        expect(toAwsCron("30 2 1,15 * *")).to.equal("cron(30 2 1,15 * ? *)");
    });

    it("puts '?' in day-of-month and shifts day-of-week to AWS numbering (Sunday = 1)", () => {
        expect(toAwsCron("15 4 * * 0")).to.equal("cron(15 4 ? * 1 *)");
        expect(toAwsCron("15 4 * * 7")).to.equal("cron(15 4 ? * 1 *)");
        expect(toAwsCron("0 1 * * 1-5")).to.equal("cron(0 1 ? * 2-6 *)");
    });

    it("accepts day names and month names", () => {
        expect(toAwsCron("0 1 * * MON,WED")).to.equal("cron(0 1 ? * 2,4 *)");
        expect(toAwsCron("0 1 1 JAN *")).to.equal("cron(0 1 1 JAN ? *)");
    });

    it("spells out a day-of-week step and a range over the week's end, which AWS cannot write the cron way", () => {
        expect(toAwsCron("0 1 * * */2")).to.equal("cron(0 1 ? * 1,3,5,7 *)");
        expect(toAwsCron("0 1 * * 5-7")).to.equal("cron(0 1 ? * 1,6,7 *)");
    });

    it("treats a day-of-week list covering the whole week like '*'", () => {
        expect(toAwsCron("0 6 * * 0-6")).to.equal("cron(0 6 * * ? *)");
    });

    it("passes steps in the minute and hour fields through", () => {
        expect(toAwsCron("0 */6 * * *")).to.equal("cron(0 */6 * * ? *)");
    });

    it("refuses a schedule restricting both day-of-month and day-of-week", () => {
        expect(() => toAwsCron("0 3 1 * 1")).to.throw(CronError, /both day-of-month and day-of-week/);
        expect(() => toAwsCron("0 3 */2 * 1")).to.throw(CronError, /both day-of-month and day-of-week/);
    });

    it("runs every day when one of two restricted day fields already covers every day (standard cron's 'either' rule)", () => {
        expect(toAwsCron("0 3 1 * 0-6")).to.equal("cron(0 3 * * ? *)");
        expect(toAwsCron("0 3 1-31 * 1")).to.equal("cron(0 3 * * ? *)");
    });

    it("refuses anything but five fields", () => {
        expect(() => toAwsCron("0 3 * *")).to.throw(CronError, /has 4 fields; expected five/);
        expect(() => toAwsCron("0 3 * * * 2025")).to.throw(CronError, /has 6 fields/);
        expect(() => toAwsCron("")).to.throw(CronError, /has 0 fields/);
        expect(() => toAwsCron("@daily")).to.throw(CronError, /has 1 fields/);
    });

    it("refuses values out of range, naming the field", () => {
        expect(() => toAwsCron("0 24 * * *")).to.throw(CronError, /"24" in the hour field; expected 0-23/);
        expect(() => toAwsCron("60 1 * * *")).to.throw(CronError, /minute field/);
        expect(() => toAwsCron("0 1 32 * *")).to.throw(CronError, /day-of-month field/);
        expect(() => toAwsCron("0 1 * 13 *")).to.throw(CronError, /month field/);
        expect(() => toAwsCron("0 1 * * 8")).to.throw(CronError, /day-of-week field/);
        expect(() => toAwsCron("0 1 * * FUNDAY")).to.throw(CronError, /day-of-week field/);
        expect(() => toAwsCron("0 5-1 * * *")).to.throw(CronError, /backwards range/);
    });

    it("refuses AWS's own '?' in a five-field schedule, naming the field", () => {
        expect(() => toAwsCron("0 3 ? * *")).to.throw(CronError, /"\?" in the day-of-month field, which is not a value, a range, \* or a step/);
    });
});

describe("checkBackupSchedule", () => {
    it("accepts schedules that run at most once an hour", () => {
        expect(() => checkBackupSchedule("0 * * * *")).not.to.throw();
        expect(() => checkBackupSchedule("45 2 * * 0")).not.to.throw();
    });

    it("refuses schedules that run more than once an hour, which AWS Backup does not allow", () => {
        expect(() => checkBackupSchedule("*/30 * * * *")).to.throw(CronError, /more than once an hour/);
        expect(() => checkBackupSchedule("0,30 1 * * *")).to.throw(CronError, /more than once an hour/);
    });
});
