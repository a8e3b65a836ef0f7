// Automation found in the graph: AWS Lambda functions, what starts them (an EventBridge schedule,
// a CloudWatch alarm directly, through SNS or through an EventBridge rule), what they are allowed to
// do (their role's policies) and what they are about (the resources their environment and policies
// are built from). Recognition is by resources only (contracts C2-C4): a promotion trigger, a
// pilot light's scale-out, a CDC cut-over, a failback pin. A function's code cannot be read; a
// function allowed to do X to Y, and started by something, is taken to do X to Y when started.
import { GraphResource } from "../lib/graph";
import { bool, isUnknown, num, read, str } from "../lib/props";
import { constant, quantity } from "./data";
import { allows, functionPermissions, Permissions } from "./iam";
import { exact, Expr, q, Quantity, sum, unknownQuantity } from "./quantity";
import { locationOf, Tree } from "./tree";
import { AutomationInfo } from "./types";

export const AUTOMATION_TYPES = {
    lambda: "aws:lambda/function:Function",
    eventRule: "aws:cloudwatch/eventRule:EventRule",
    eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    snsTopic: "aws:sns/topic:Topic",
    snsSubscription: "aws:sns/topicSubscription:TopicSubscription",
    r53HealthCheck: "aws:route53/healthCheck:HealthCheck",
} as const;

/** What starts a function. */
export interface Trigger {
    readonly kind: "schedule" | "alarm";
    /** `EventBridge schedule rate(1 minute) (rule x)`, `alarm a -> SNS t`. */
    readonly description: string;
    /** Resources on the path (rule, alarm, topic, subscription, target). */
    readonly path: readonly GraphResource[];
    readonly probes: AutomationInfo["probes"];
    /** For an alarm on AWS/Route53 HealthCheckStatus: the health check it watches. */
    readonly watchedCheck?: GraphResource;
    /** Seconds from the watched thing failing to the function running (a health-check alarm adds the check's own detection at use). */
    readonly time: Expr;
    readonly formula: string;
}

export interface FunctionFacts {
    readonly fn: GraphResource;
    readonly region: string;
    readonly permissions: Permissions;
    readonly triggers: readonly Trigger[];
    /** Why some trigger was not counted (an alarm without actions...). */
    readonly inactive: readonly string[];
    /** URNs of everything its environment and its policies are built from. */
    readonly about: ReadonlySet<string>;
}

/** Functions by the resources they are about, so a service finds its own without scanning them all. */
export class FunctionIndex {
    private readonly byAbout = new Map<string, FunctionFacts[]>();

    constructor(readonly all: readonly FunctionFacts[]) {
        for (const f of all) {
            for (const u of f.about) {
                const list = this.byAbout.get(u);
                if (list) list.push(f);
                else this.byAbout.set(u, [f]);
            }
        }
    }

    /** Functions whose environment or policies are built from one of `urns`, each once, in graph order. */
    about(urns: readonly string[]): FunctionFacts[] {
        const found = new Set<FunctionFacts>();
        for (const u of urns) for (const f of this.byAbout.get(u) ?? []) found.add(f);
        return this.all.filter((f) => found.has(f));
    }
}

/** Every function of the graph with its triggers and permissions. Linear in the resources. */
export function findFunctions(tree: Tree): FunctionFacts[] {
    return tree.ofType(AUTOMATION_TYPES.lambda).map((fn) => {
        const permissions = functionPermissions(tree, fn);
        const about = new Set<string>([...Object.values(fn.propertyDependencies).flat(), ...permissions.about.map((r) => r.urn)]);
        const found = triggersOf(tree, fn);
        // A function its own environment disarms (ARMED=false, ENABLED=false) starts nothing.
        const off = disarmedBy(fn);
        const triggers = off ? [] : found.triggers;
        const inactive = off ? [...found.inactive, `${fn.name}'s environment says ${off}: it only reports`] : found.inactive;
        return { fn, region: locationOf(fn) ?? "default", permissions, triggers, inactive, about };
    });
}

/** The `cloud/region` strings a trigger path and its function need. */
export function placesOf(f: FunctionFacts, t: Trigger, extra: readonly string[] = []): string[] {
    return [...new Set([...t.path, f.fn].map((r) => `aws/${locationOf(r) ?? "default"}`).concat(extra))];
}

/**
 * How a function's permissions relate to an action on a resource: allowed by a known document;
 * possibly (the document is unknown at preview but is built from one of `targets`); or not.
 */
export function mayDo(f: FunctionFacts, actions: readonly string[], targets: readonly string[]): { readonly ok: boolean; readonly evidence: string } {
    const aboutTarget = targets.some((u) => f.about.has(u));
    const known = actions.filter((a) => allows(f.permissions.actions, a));
    if (known.length > 0 && aboutTarget) return { ok: true, evidence: `its role allows ${known.join(", ")}` };
    if (known.length > 0 && f.permissions.actions.some((a) => a === "*" || a.endsWith(":*"))) return { ok: aboutTarget, evidence: `its role allows ${known.join(", ")}` };
    if (f.permissions.unknownPolicies.length > 0 && aboutTarget) {
        return {
            ok: true,
            evidence: `its role's policy (${f.permissions.unknownPolicies.join(", ")}) is unknown at preview but is built from the resources it acts on; taken to allow ${actions.join(" / ")}`,
        };
    }
    return { ok: false, evidence: known.length > 0 ? `its role allows ${known.join(", ")} but nothing ties it to them` : `its role does not allow ${actions.join(" / ")}` };
}

/** An AutomationInfo for reports. */
export function automationInfo(f: FunctionFacts, t: Trigger, purpose: AutomationInfo["purpose"], evidence: string, extraPlaces: readonly string[] = []): AutomationInfo {
    return {
        purpose,
        function: { name: f.fn.name, urn: f.fn.urn, region: f.region },
        trigger: t.description,
        probes: t.probes,
        places: placesOf(f, t, extraPlaces),
        evidence,
    };
}

// ---------------------------------------------------------------------------------------------
// Triggers
// ---------------------------------------------------------------------------------------------

function triggersOf(tree: Tree, fn: GraphResource): { triggers: Trigger[]; inactive: string[] } {
    const triggers: Trigger[] = [];
    const inactive: string[] = [];
    for (const user of tree.dependents(fn.urn)) {
        if (user.type === AUTOMATION_TYPES.eventTarget && (user.propertyDependencies.arn ?? []).includes(fn.urn)) {
            for (const rule of tree.refs(user, "rule").filter((r) => r.type === AUTOMATION_TYPES.eventRule)) {
                const t = ruleTrigger(tree, fn, rule, user, inactive);
                if (t) triggers.push(...t);
            }
        }
        if (user.type === AUTOMATION_TYPES.snsSubscription && (user.propertyDependencies.endpoint ?? []).includes(fn.urn) && str(user.props, "protocol") === "lambda") {
            for (const topic of tree.refs(user, "topic").filter((r) => r.type === AUTOMATION_TYPES.snsTopic)) {
                for (const alarm of tree.dependents(topic.urn).filter((a) => a.type === AUTOMATION_TYPES.metricAlarm && (a.propertyDependencies.alarmActions ?? []).includes(topic.urn))) {
                    const t = alarmTrigger(tree, fn, alarm, [topic, user], `alarm ${alarm.name} -> SNS topic ${topic.name}`, inactive);
                    if (t) triggers.push(t);
                }
            }
        }
        if (user.type === AUTOMATION_TYPES.metricAlarm && (user.propertyDependencies.alarmActions ?? []).includes(fn.urn)) {
            const t = alarmTrigger(tree, fn, user, [], `alarm ${user.name}`, inactive);
            if (t) triggers.push(t);
        }
    }
    return { triggers, inactive };
}

function ruleTrigger(tree: Tree, fn: GraphResource, rule: GraphResource, target: GraphResource, inactive: string[]): Trigger[] | undefined {
    if (str(rule.props, "state") === "DISABLED" || bool(rule.props, "isEnabled") === false) {
        inactive.push(`EventBridge rule ${rule.name} is disabled`);
        return undefined;
    }
    const schedule = str(rule.props, "scheduleExpression");
    if (schedule !== undefined || isUnknown(read(rule.props, "scheduleExpression"))) {
        const period = schedulePeriod(schedule);
        const probes = probesOf(tree, fn);
        const count = probeCount(fn);
        const periodQ: Quantity =
            period === undefined
                ? unknownQuantity(`schedule:${rule.urn}`, `schedule of ${rule.name}`, "s", `scheduleExpression ${schedule ?? "unknown at preview"} is not a rate() the model reads`, rule.name)
                : exact(`schedule:${rule.urn}`, `schedule period of ${rule.name}`, period, "s", `EventBridge rule ${rule.name}.scheduleExpression ${schedule}`);
        // The first failing probe comes within one period of the failure; the window closes `count` probes later.
        const window: Quantity =
            period === undefined
                ? periodQ
                : {
                      key: `window:${rule.urn}:${fn.urn}`,
                      label: `probe window of ${fn.name}`,
                      low: (count.n - 1) * period,
                      likely: (count.n - 0.5) * period,
                      high: count.n * period,
                      unit: "s",
                      basis: count.basis,
                      source: `${rule.name}.scheduleExpression ${schedule}; ${count.source}`,
                  };
        const api = quantity("automation-api", "function start and API call");
        return [
            {
                kind: "schedule",
                description: `EventBridge schedule ${schedule ?? "(unknown)"} (rule ${rule.name})`,
                path: [rule, target],
                probes,
                time: sum(q(window), q(api)),
                formula: `${count.n} consecutive failed probe(s) every ${period ?? "?"} s (the first within one period of the failure) + function start and API call`,
            },
        ];
    }
    // An event pattern: counted when it follows an alarm of the graph (alarm state change).
    const alarms = tree.refs(rule, "eventPattern").filter((r) => r.type === AUTOMATION_TYPES.metricAlarm);
    const out: Trigger[] = [];
    for (const alarm of alarms) {
        const t = alarmTrigger(tree, fn, alarm, [rule, target], `alarm ${alarm.name} -> EventBridge rule ${rule.name}`, inactive);
        if (t) out.push(t);
    }
    if (alarms.length === 0) inactive.push(`EventBridge rule ${rule.name} has an event pattern the model does not follow`);
    return out;
}

function alarmTrigger(tree: Tree, fn: GraphResource, alarm: GraphResource, via: readonly GraphResource[], description: string, inactive: string[]): Trigger | undefined {
    if (bool(alarm.props, "actionsEnabled") === false) {
        inactive.push(`alarm ${alarm.name} has actionsEnabled false`);
        return undefined;
    }
    const namespace = str(alarm.props, "namespace");
    const metric = str(alarm.props, "metricName");
    let watchedCheck: GraphResource | undefined;
    let probes: AutomationInfo["probes"] = "other";
    if (namespace === "AWS/Route53" && metric === "HealthCheckStatus") {
        const op = str(alarm.props, "comparisonOperator");
        const threshold = num(alarm.props, "threshold");
        const firesOnFailure = op === undefined || threshold === undefined || (op === "LessThanThreshold" && threshold > 0 && threshold <= 1) || (op === "LessThanOrEqualToThreshold" && threshold >= 0 && threshold < 1);
        if (!firesOnFailure) {
            inactive.push(`alarm ${alarm.name} fires on ${op} ${threshold}, not when its health check fails`);
            return undefined;
        }
        probes = "health-check";
        watchedCheck = tree.refs(alarm, "dimensions").find((r) => r.type === AUTOMATION_TYPES.r53HealthCheck);
    } else if (namespace === "AWS/RDS" || namespace === "AWS/DMS") probes = "database";
    const n = num(alarm.props, "evaluationPeriods");
    const m = num(alarm.props, "datapointsToAlarm");
    const period = num(alarm.props, "period");
    const periods = n === undefined ? undefined : m !== undefined && m > 0 && m < n ? m : n;
    const evaluation: Quantity =
        periods === undefined || period === undefined
            ? unknownQuantity(`alarm:${alarm.urn}`, `periods of alarm ${alarm.name}`, "s", "evaluationPeriods or period is unknown at preview", alarm.name)
            : exact(`alarm:${alarm.urn}`, `alarm ${alarm.name}: ${periods} x ${period} s`, periods * period, "s", `CloudWatch alarm ${alarm.name} (${m !== undefined && m < (n ?? 0) ? "datapointsToAlarm" : "evaluationPeriods"} x period)`);
    const delay = quantity("cloudwatch-alarm-delay", "alarm evaluation and action delay");
    return {
        kind: "alarm",
        description,
        path: [alarm, ...via],
        probes,
        watchedCheck,
        time: sum(q(evaluation), q(delay), q(quantity("automation-api", "function start and API call"))),
        formula: `${periods ?? "?"} period(s) of ${period ?? "?"} s + evaluation and action delay + function start`,
    };
}

/** `ARMED=false` when the function's known environment switches its action off. */
function disarmedBy(fn: GraphResource): string | undefined {
    const vars = read(fn.props, "environment.variables");
    if (!vars || typeof vars !== "object" || isUnknown(vars)) return undefined;
    for (const [k, v] of Object.entries(vars as Record<string, unknown>)) if (/^(ARMED|ENABLED)$/i.test(k) && v === "false") return `${k}=false`;
    return undefined;
}

/** Seconds between runs of `rate(N unit)`; undefined for cron() or anything else. */
export function schedulePeriod(expression: string | undefined): number | undefined {
    const m = expression ? /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression.trim()) : null;
    if (!m) return undefined;
    const n = Number(m[1]);
    const unit = m[2].startsWith("minute") ? 60 : m[2].startsWith("hour") ? 3600 : 86400;
    return n * unit;
}

/** What a scheduled function probes: a data store it is built from, a health check, or unknown. */
function probesOf(tree: Tree, fn: GraphResource): AutomationInfo["probes"] {
    const env = tree.refs(fn, "environment");
    if (env.some((r) => r.type.startsWith("aws:rds/") || r.type.startsWith("gcp:sql/") || r.type === "kubernetes:postgresql.cnpg.io/v1:Cluster")) return "database";
    if (env.some((r) => r.type === AUTOMATION_TYPES.r53HealthCheck)) return "health-check";
    return "other";
}

/** Consecutive failed probes before acting: a numeric environment variable that says so, else an assumption. */
function probeCount(fn: GraphResource): { n: number; basis: Quantity["basis"]; source: string } {
    const vars = read(fn.props, "environment.variables");
    if (vars && typeof vars === "object" && !isUnknown(vars)) {
        for (const [k, v] of Object.entries(vars as Record<string, unknown>)) {
            if (!/(FAILURE|FAILED|THRESHOLD|PROBE|ATTEMPTS|CONSECUTIVE)/i.test(k)) continue;
            const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined;
            if (n !== undefined && n >= 1) return { n, basis: "configured", source: `${fn.name} environment ${k}=${n}` };
        }
    }
    const minimum = constant("promotion-trigger-min-periods");
    return { n: minimum.amount, basis: "assumption", source: `no probe count in ${fn.name}'s environment: ${minimum.amount} taken (${minimum.source})` };
}
