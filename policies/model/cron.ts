// The longest time between two runs of a backup schedule: the worst-case age of the newest backup,
// which is what an RPO that relies on backups is made of.
//
// Accepts the schedule forms the backup engines here take:
//   - five-field cron (`0 */6 * * *`: Velero, the nonstop stack config),
//   - AWS `cron(min hour day-of-month month day-of-week year)` and `rate(6 hours)` (AWS Backup),
//   - `@hourly`, `@daily`, `@weekly`, `@monthly`, `@every 6h` (Velero, robfig/cron).
// Anything else (L, W, #, a restricted year) gives undefined: unknown, never a guess.

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** Seconds between the two runs furthest apart, or undefined when the schedule is not understood. */
export function maxIntervalSeconds(schedule: string): number | undefined {
    const s = schedule.trim();
    const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/i.exec(s);
    if (rate) return Number(rate[1]) * unitSeconds(rate[2]);
    const every = /^@every\s+((?:\d+h)?(?:\d+m)?(?:\d+s)?)$/i.exec(s);
    if (every && every[1]) {
        const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/i.exec(every[1]);
        const total = m ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : 0;
        return total > 0 ? total : undefined;
    }
    const descriptors: Record<string, string> = {
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
        "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    };
    const expanded = descriptors[s.toLowerCase()] ?? s;
    const aws = /^cron\((.*)\)$/i.exec(expanded);
    const fields = (aws ? aws[1] : expanded).trim().split(/\s+/);
    let spec: CronSpec | undefined;
    if (aws) {
        if (fields.length !== 6) return undefined;
        if (fields[5] !== "*" && fields[5] !== "?") return undefined;
        spec = parseFields(fields.slice(0, 5), true);
    } else {
        if (fields.length !== 5) return undefined;
        spec = parseFields(fields, false);
    }
    return spec ? maxGap(spec) : undefined;
}

function unitSeconds(unit: string): number {
    const u = unit.toLowerCase();
    if (u.startsWith("minute")) return 60;
    if (u.startsWith("hour")) return 3600;
    return 86400;
}

interface CronSpec {
    readonly minutes: readonly number[];
    readonly hours: readonly number[];
    readonly daysOfMonth: ReadonlySet<number>;
    readonly months: ReadonlySet<number>;
    /** 0 = Sunday. */
    readonly daysOfWeek: ReadonlySet<number>;
    readonly domAny: boolean;
    readonly dowAny: boolean;
}

function parseFields(f: readonly string[], aws: boolean): CronSpec | undefined {
    const minutes = parseField(f[0], 0, 59, []);
    const hours = parseField(f[1], 0, 23, []);
    const dom = parseField(f[2], 1, 31, []);
    const months = parseField(f[3], 1, 12, MONTHS, 1);
    // AWS numbers days of week 1-7 from Sunday; standard cron 0-7 with 0 and 7 for Sunday.
    const dowRaw = parseField(f[4], aws ? 1 : 0, 7, DAYS, aws ? 1 : 0);
    if (!minutes || !hours || !dom || !months || !dowRaw) return undefined;
    const dow = dowRaw.map((d) => (aws ? d - 1 : d % 7));
    return {
        minutes,
        hours,
        daysOfMonth: new Set(dom),
        months: new Set(months),
        daysOfWeek: new Set(dow),
        domAny: f[2] === "*" || f[2] === "?",
        dowAny: f[4] === "*" || f[4] === "?",
    };
}

/** Values of one field, sorted; undefined for syntax this parser does not support. */
function parseField(field: string, min: number, max: number, names: readonly string[], nameBase = 0): number[] | undefined {
    if (field === "*" || field === "?") return range(min, max, 1);
    const out = new Set<number>();
    for (const part of field.split(",")) {
        const m = /^([^/]+?)(?:\/(\d+))?$/.exec(part);
        if (!m) return undefined;
        const step = m[2] ? Number(m[2]) : 1;
        if (step < 1) return undefined;
        let lo: number | undefined;
        let hi: number | undefined;
        if (m[1] === "*") {
            lo = min;
            hi = max;
        } else {
            const bounds = m[1].split("-");
            if (bounds.length > 2) return undefined;
            lo = value(bounds[0], names, nameBase);
            hi = bounds.length === 2 ? value(bounds[1], names, nameBase) : m[2] ? max : lo;
        }
        if (lo === undefined || hi === undefined || lo < min || hi > max || lo > hi) return undefined;
        for (const v of range(lo, hi, step)) out.add(v);
    }
    return [...out].sort((a, b) => a - b);
}

function value(text: string, names: readonly string[], nameBase: number): number | undefined {
    if (/^\d+$/.test(text)) return Number(text);
    const i = names.indexOf(text.toUpperCase());
    return i >= 0 ? i + nameBase : undefined;
}

function range(lo: number, hi: number, step: number): number[] {
    const out: number[] = [];
    for (let v = lo; v <= hi; v += step) out.push(v);
    return out;
}

/**
 * Walks every run over four years (leap years included) and keeps the largest gap between two
 * consecutive runs: long enough for every weekly, monthly and yearly pattern to repeat.
 */
function maxGap(spec: CronSpec): number | undefined {
    const start = Date.UTC(2024, 0, 1) / 60000; // minutes
    const days = 4 * 365 + 1;
    let first: number | undefined;
    let prev: number | undefined;
    let gap = 0;
    for (let d = 0; d < days; d++) {
        const date = new Date((start + d * 1440) * 60000);
        if (!spec.months.has(date.getUTCMonth() + 1)) continue;
        const domHit = spec.daysOfMonth.has(date.getUTCDate());
        const dowHit = spec.daysOfWeek.has(date.getUTCDay());
        // Standard cron: when both day fields are restricted, either may match.
        const dayHit = spec.domAny && spec.dowAny ? true : spec.domAny ? dowHit : spec.dowAny ? domHit : domHit || dowHit;
        if (!dayHit) continue;
        for (const h of spec.hours) {
            for (const m of spec.minutes) {
                const t = start + d * 1440 + h * 60 + m;
                if (first === undefined) first = t;
                if (prev !== undefined) gap = Math.max(gap, t - prev);
                prev = t;
            }
        }
    }
    if (first === undefined || prev === undefined || first === prev) return undefined;
    return gap * 60;
}
