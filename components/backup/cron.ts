// Five-field cron (minute hour day-of-month month day-of-week), the one schedule format the stack
// config accepts. Engines take it in different shapes: Velero takes it as is, Cloud SQL takes one
// daily start time ("HH:MM", UTC). Parsing once here keeps every conversion and every error alike.

export interface CronSchedule {
    readonly expression: string;
    /** The five fields as written: minute, hour, day-of-month, month, day-of-week. */
    readonly fields: readonly string[];
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

/** One of the five fields: its name, its bounds and the names it accepts for values. */
export interface CronField {
    readonly name: string;
    readonly min: number;
    readonly max: number;
    readonly names?: readonly string[];
}

/**
 * What makes an expression invalid, for callers that word the message their own way. `text` is
 * the field as written; `item`, `range` and `value` the part of it that is wrong.
 */
export type CronFault =
    | { readonly kind: "field-count"; readonly found: number }
    | { readonly kind: "unreadable-item"; readonly field: CronField; readonly text: string; readonly item: string }
    | { readonly kind: "zero-step"; readonly field: CronField; readonly text: string }
    | { readonly kind: "backwards-range"; readonly field: CronField; readonly range: string }
    | { readonly kind: "out-of-range"; readonly field: CronField; readonly text: string; readonly value: string };

/** Thrown for an expression that is not a valid five-field cron; the message says what and where. */
export class CronError extends Error {
    constructor(readonly expression: string, readonly fault: CronFault) {
        super(`"${expression}" is not a valid five-field cron expression: ${faultDetail(fault)}; expected "minute hour day-of-month month day-of-week", e.g. "0 3 * * *"`);
        this.name = "CronError";
    }
}

function faultDetail(f: CronFault): string {
    switch (f.kind) {
        case "field-count":
            return `found ${f.found} field(s)`;
        case "unreadable-item":
            return `${f.field.name} field "${f.text}" has an unreadable item "${f.item}"`;
        case "zero-step":
            return `${f.field.name} field "${f.text}" has step 0`;
        case "backwards-range":
            return `${f.field.name} range "${f.range}" runs backwards`;
        case "out-of-range":
            return `${f.field.name} field "${f.text}" has "${f.value}", outside ${f.field.min}-${f.field.max}`;
    }
}

const FIELDS: readonly CronField[] = [
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
        throw new CronError(expression, { kind: "field-count", found: parts[0] === "" ? 0 : parts.length });
    }
    const [minutes, hours, daysOfMonth, months, rawDaysOfWeek] = parts.map((p, i) => expandField(expression, p, FIELDS[i]));
    const daysOfWeek = [...new Set(rawDaysOfWeek.map((d) => d % 7))].sort((a, b) => a - b);
    return {
        expression,
        fields: parts,
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

function expandField(expression: string, field: string, spec: CronField): number[] {
    const values = new Set<number>();
    for (const item of field.split(",")) {
        const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
        if (!m) throw new CronError(expression, { kind: "unreadable-item", field: spec, text: field, item });
        const [, range, stepText] = m;
        const step = stepText === undefined ? 1 : Number(stepText);
        if (step < 1) throw new CronError(expression, { kind: "zero-step", field: spec, text: field });
        let lo: number;
        let hi: number;
        if (range === "*") {
            lo = spec.min;
            hi = spec.max;
        } else if (range.includes("-")) {
            const [a, b] = range.split("-");
            lo = value(expression, a, spec, field);
            hi = value(expression, b, spec, field);
            if (lo > hi) throw new CronError(expression, { kind: "backwards-range", field: spec, range });
        } else {
            lo = value(expression, range, spec, field);
            // "5/15" means from 5 to the end in steps of 15, as in Vixie cron.
            hi = stepText === undefined ? lo : spec.max;
        }
        for (let v = lo; v <= hi; v += step) values.add(v);
    }
    return [...values].sort((a, b) => a - b);
}

function value(expression: string, text: string, spec: CronField, field: string): number {
    const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
    const v = named >= 0 ? named + (spec.name === "month" ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(v) || v < spec.min || v > spec.max) {
        throw new CronError(expression, { kind: "out-of-range", field: spec, text: field, value: text });
    }
    return v;
}
