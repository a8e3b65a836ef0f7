// Standard five-field cron (backup/cron.ts) in AWS's own six-field dialect, and what AWS Backup
// refuses. Pure, so the stack config check refuses such a schedule before any SDK is loaded.
import { CronError as FiveFieldCronError, CronFault, CronSchedule, parseCron } from "./cron";

/** Thrown for a schedule that is not valid five-field cron or has no AWS equivalent (worded for AWS). */
export class CronError extends Error {
    constructor(readonly expression: string, reason: string) {
        super(`"${expression}" ${reason}`);
        this.name = "CronError";
    }
}

/** The schedule parsed by the shared five-field parser, its faults reworded as AWS CronErrors. */
function parseSchedule(expression: string): CronSchedule {
    try {
        return parseCron(expression);
    } catch (e) {
        if (e instanceof FiveFieldCronError) throw new CronError(expression, faultReason(e.fault));
        throw e;
    }
}

function faultReason(f: CronFault): string {
    switch (f.kind) {
        case "field-count":
            return `has ${f.found} fields; expected five: minute hour day-of-month month day-of-week, e.g. "0 3 * * *"`;
        case "unreadable-item":
            return `has "${f.item}" in the ${f.field.name} field, which is not a value, a range, * or a step`;
        case "zero-step":
            return `has a step of 0 in the ${f.field.name} field`;
        case "backwards-range":
            return `has the backwards range "${f.range}" in the ${f.field.name} field`;
        case "out-of-range": {
            const { name, min, max, names } = f.field;
            return `has "${f.value}" in the ${name} field; expected ${min}-${max}${names ? ` or ${names[0]}-${names[names.length - 1]}` : ""}`;
        }
    }
}

/** AWS day-of-week list for a set of standard days (0/7 Sunday): AWS counts Sunday as 1. */
function awsDaysOfWeek(standardDays: readonly number[]): string {
    const aws = [...new Set(standardDays.map((d) => (d % 7) + 1))].sort((x, y) => x - y);
    const parts: string[] = [];
    for (let i = 0; i < aws.length; ) {
        let j = i;
        while (j + 1 < aws.length && aws[j + 1] === aws[j] + 1) j++;
        parts.push(j - i >= 2 ? `${aws[i]}-${aws[j]}` : aws.slice(i, j + 1).join(","));
        i = j + 1;
    }
    return parts.join(",");
}

/**
 * Converts standard five-field cron ("m h dom mon dow") to an AWS schedule expression
 * ("cron(m h dom mon dow year)"). AWS needs "?" in exactly one of the two day fields, so the
 * unrestricted one becomes "?" (day-of-week when both are "*"); a schedule restricting both
 * (standard cron's "either day matches") has no AWS equivalent and is refused. Day-of-week
 * numbers are shifted to AWS's Sunday=1 and steps in that field are spelled out.
 */
export function toAwsCron(expression: string): string {
    const schedule = parseSchedule(expression);
    const [minute, hour, dayOfMonth, month, dayOfWeek] = schedule.fields;
    const everyDay = `cron(${minute} ${hour} * ${month} ? *)`;
    const allWeek = schedule.daysOfWeek.length === 7;
    const allMonth = schedule.daysOfMonth.length === 31;
    if (dayOfMonth !== "*" && dayOfWeek !== "*") {
        // Standard cron matches either day field when neither starts with "*"; if one of them
        // already covers every day, so does the schedule. Anything else has no AWS form.
        const either = !dayOfMonth.startsWith("*") && !dayOfWeek.startsWith("*");
        if (either && (allWeek || allMonth)) return everyDay;
        throw new CronError(expression, "restricts both day-of-month and day-of-week, which AWS cron cannot express; restrict only one of them");
    }
    if (dayOfWeek !== "*") return allWeek ? everyDay : `cron(${minute} ${hour} ? ${month} ${awsDaysOfWeek(schedule.daysOfWeek)} *)`;
    return `cron(${minute} ${hour} ${dayOfMonth} ${month} ? *)`;
}

/** AWS Backup runs a rule at most once an hour: the minute field must name a single minute. */
export function checkBackupSchedule(expression: string): void {
    toAwsCron(expression);
    // toAwsCron has refused anything that does not parse.
    const minute = parseCron(expression).fields[0];
    if (!/^\d+$/.test(minute)) {
        throw new CronError(expression, `runs more than once an hour (minute field "${minute}"); AWS Backup allows at most hourly backups, give one minute such as "0"`);
    }
}
