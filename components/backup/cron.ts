// Five-field cron (minute hour day-of-month month day-of-week), the one schedule format the stack
// config accepts. Engines take it in different shapes: Velero takes it as is, Cloud SQL takes one
// daily start time ("HH:MM", UTC). Parsing once here keeps every conversion and every error alike.

export interface CronSchedule {
    readonly expression: string;
    /** Expanded, sorted values of each field. */
    readonly minutes: readonly number[];
    readonly hours: readonly number[];
    readonly daysOfMonth: readonly number[];
    readonly months: readonly number[];
    /** 0 = Sunday (7 is folded into 0). */
    readonly daysOfWeek: readonly number[];
    /** True when day-of-month, month and day-of-week are all `*`: the schedule fires every day. */
    readonly everyDay: boolean;
}

/** Thrown for an expression that is not a valid five-field cron; the message says what and where. */
export class CronError extends Error {
    constructor(readonly expression: string, detail: string) {
        super(`"${expression}" is not a valid five-field cron expression: ${detail}; expected "minute hour day-of-month month day-of-week", e.g. "0 3 * * *"`);
        this.name = "CronError";
    }
}

interface FieldSpec {
    readonly name: string;
    readonly min: number;
    readonly max: number;
    readonly names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day-of-month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
    { name: "day-of-week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

/** Parses a five-field cron expression; throws CronError naming the bad field. */
export function parseCron(expression: string): CronSchedule {
    const parts = expression.trim().split(/\s+/);
    if (parts.length !== 5 || parts[0] === "") {
        throw new CronError(expression, `found ${parts[0] === "" ? 0 : parts.length} field(s)`);
    }
    const [minutes, hours, daysOfMonth, months, rawDaysOfWeek] = parts.map((p, i) => expandField(expression, p, FIELDS[i]));
    const daysOfWeek = [...new Set(rawDaysOfWeek.map((d) => d % 7))].sort((a, b) => a - b);
    return {
        expression,
        minutes,
        hours,
        daysOfMonth,
        months,
        daysOfWeek,
        everyDay: parts[2] === "*" && parts[3] === "*" && parts[4] === "*",
    };
}

/** The error message for an invalid expression, or undefined when it is valid. */
export function cronProblem(expression: string): string | undefined {
    try {
        parseCron(expression);
        return undefined;
    } catch (e) {
        if (e instanceof CronError) return e.message;
        throw e;
    }
}

/** Times the schedule fires on a day it fires at all. */
export function runsPerDay(schedule: CronSchedule): number {
    return schedule.minutes.length * schedule.hours.length;
}

/**
 * The Cloud SQL automated backup start time ("HH:MM", UTC) for a cron schedule: the first time of
 * day the schedule fires. Cloud SQL takes one automated backup a day; more frequent schedules are
 * covered by point-in-time recovery (transaction logs) between the daily backups.
 */
export function cloudSqlBackupStartTime(expression: string): string {
    const s = parseCron(expression);
    return `${pad2(s.hours[0])}:${pad2(s.minutes[0])}`;
}

function pad2(n: number): string {
    return String(n).padStart(2, "0");
}

function expandField(expression: string, field: string, spec: FieldSpec): number[] {
    const values = new Set<number>();
    for (const item of field.split(",")) {
        const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
        if (!m) throw new CronError(expression, `${spec.name} field "${field}" has an unreadable item "${item}"`);
        const [, range, stepText] = m;
        const step = stepText === undefined ? 1 : Number(stepText);
        if (step < 1) throw new CronError(expression, `${spec.name} field "${field}" has step 0`);
        let lo: number;
        let hi: number;
        if (range === "*") {
            lo = spec.min;
            hi = spec.max;
        } else if (range.includes("-")) {
            const [a, b] = range.split("-");
            lo = value(expression, a, spec, field);
            hi = value(expression, b, spec, field);
            if (lo > hi) throw new CronError(expression, `${spec.name} range "${range}" runs backwards`);
        } else {
            lo = value(expression, range, spec, field);
            // "5/15" means from 5 to the end in steps of 15, as in Vixie cron.
            hi = stepText === undefined ? lo : spec.max;
        }
        for (let v = lo; v <= hi; v += step) values.add(v);
    }
    return [...values].sort((a, b) => a - b);
}

function value(expression: string, text: string, spec: FieldSpec, field: string): number {
    const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
    const v = named >= 0 ? named + (spec.name === "month" ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(v) || v < spec.min || v > spec.max) {
        throw new CronError(expression, `${spec.name} field "${field}" has "${text}", outside ${spec.min}-${spec.max}`);
    }
    return v;
}
