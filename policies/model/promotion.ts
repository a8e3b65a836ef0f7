// What starts the promotion of a replica in another region (an Aurora global secondary, a
// cross-region read replica, a Cloud SQL replica, a GCP DMS continuous migration job's
// destination) when the writer's site is lost, read from the graph: a CloudWatch alarm on the
// Route 53 HealthCheckStatus of the writer site's health check whose action reaches a Lambda
// function (through an SNS topic, or directly). The function's code cannot be read: it is taken to
// run the promotion (`action`), and the term says so.
// Without such an alarm, or with one that has no action, the promotion is manual: people run it,
// and how long that takes is not known.
import { GraphResource } from "../lib/graph";
import { bool, isUnknown, num, read, str } from "../lib/props";
import { cite, timing } from "./data";
import { locationOf, Tree } from "./tree";
import { DataStoreInfo, HealthCheckInfo, Term } from "./types";

export const TRIGGER_TYPES = {
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    snsTopic: "aws:sns/topic:Topic",
    snsSubscription: "aws:sns/topicSubscription:TopicSubscription",
    lambda: "aws:lambda/function:Function",
    r53HealthCheck: "aws:route53/healthCheck:HealthCheck",
} as const;

export type PromotionTrigger =
    /** An alarm that reaches a Lambda function: `term` is its delay after the check turns unhealthy. */
    | { readonly kind: "automated"; readonly term: Term; readonly fn: GraphResource; readonly notes: readonly string[] }
    /** Nothing in the graph starts the promotion: people do. */
    | { readonly kind: "manual"; readonly why: string; readonly source: string }
    /** An alarm whose settings or actions are unknown at preview. */
    | { readonly kind: "unknown"; readonly why: string; readonly source: string };

interface Candidate {
    readonly alarm: GraphResource;
    readonly outcome: PromotionTrigger;
}

/**
 * What promotes a replica of `writer` when the site whose DNS health check is `check` is lost;
 * `action` is what the function reached is taken to do (its code cannot be read). The fastest
 * automated trigger wins; otherwise an unknown one; otherwise manual.
 */
export function findPromotionTrigger(tree: Tree, writer: DataStoreInfo, check: HealthCheckInfo | undefined, action = "run the global database failover"): PromotionTrigger {
    const hc = check?.kind === "route53" ? tree.get(check.urn) : undefined;
    if (!hc) {
        return {
            kind: "manual",
            why: `the writer's site has no Route 53 health check for an alarm to watch${check ? ` (it is judged by ${check.kind} ${check.name})` : ""}`,
            source: writer.name,
        };
    }
    const checks = withChildren(tree, hc);
    const alarms = tree
        .ofType(TRIGGER_TYPES.metricAlarm)
        .filter((a) => str(a.props, "namespace") === "AWS/Route53" && str(a.props, "metricName") === "HealthCheckStatus" && watches(a, checks));
    if (alarms.length === 0) {
        return { kind: "manual", why: `no CloudWatch alarm on AWS/Route53 HealthCheckStatus of ${hc.name}`, source: hc.name };
    }
    const candidates: Candidate[] = alarms.map((alarm) => ({ alarm, outcome: alarmOutcome(tree, alarm, hc, writer, action) }));
    const automated = candidates.filter((c) => c.outcome.kind === "automated");
    if (automated.length > 0) {
        return automated.reduce((a, b) => (secondsOf(b.outcome) < secondsOf(a.outcome) ? b : a)).outcome;
    }
    const unknown = candidates.find((c) => c.outcome.kind === "unknown");
    if (unknown) return unknown.outcome;
    return {
        kind: "manual",
        why: candidates.map((c) => (c.outcome.kind === "manual" ? c.outcome.why : "")).join("; "),
        source: candidates.map((c) => `CloudWatch alarm ${c.alarm.name}`).join(", "),
    };
}

function secondsOf(t: PromotionTrigger): number {
    return t.kind === "automated" ? (t.term.seconds ?? Infinity) : Infinity;
}

/** A health check and, for a CALCULATED one, the checks it is computed from. */
function withChildren(tree: Tree, hc: GraphResource, depth = 0): GraphResource[] {
    if (depth >= 3 || str(hc.props, "type") !== "CALCULATED") return [hc];
    return [hc, ...tree.refs(hc, "childHealthchecks").filter((c) => c.type === TRIGGER_TYPES.r53HealthCheck).flatMap((c) => withChildren(tree, c, depth + 1))];
}

/** The alarm's HealthCheckId dimension comes from one of `checks` (property dependency or id). */
function watches(alarm: GraphResource, checks: readonly GraphResource[]): boolean {
    if (read(alarm.props, ["dimensions", "HealthCheckId"]) === undefined) return false;
    const deps = alarm.propertyDependencies.dimensions ?? [];
    const id = str(alarm.props, ["dimensions", "HealthCheckId"]);
    return checks.some((c) => deps.includes(c.urn) || (id !== undefined && str(c.props, "id") === id));
}

function alarmOutcome(tree: Tree, alarm: GraphResource, hc: GraphResource, writer: DataStoreInfo, action: string): PromotionTrigger {
    const source = `CloudWatch alarm ${alarm.name}`;
    const op = str(alarm.props, "comparisonOperator");
    const threshold = num(alarm.props, "threshold");
    if (op === undefined || threshold === undefined) {
        return { kind: "unknown", why: `the comparison of alarm ${alarm.name} (comparisonOperator, threshold) is unknown at preview`, source };
    }
    const firesOnFailure = (op === "LessThanThreshold" && threshold > 0 && threshold <= 1) || (op === "LessThanOrEqualToThreshold" && threshold >= 0 && threshold < 1);
    if (!firesOnFailure) return { kind: "manual", why: `alarm ${alarm.name} fires on ${op} ${threshold}, not when ${hc.name} fails (status 0)`, source };
    if (bool(alarm.props, "actionsEnabled") === false) return { kind: "manual", why: `alarm ${alarm.name} has actionsEnabled false`, source };
    const actions = read(alarm.props, "alarmActions");
    if (isUnknown(actions)) return { kind: "unknown", why: `the alarmActions of alarm ${alarm.name} are unknown at preview`, source };
    const values = Array.isArray(actions) ? actions : [];
    if (values.length === 0) return { kind: "manual", why: `alarm ${alarm.name} has no alarmActions`, source };

    const targets = actionTargets(tree, alarm, values);
    let via: { fn: GraphResource; path: string; topic?: GraphResource } | undefined;
    for (const t of targets) {
        if (t.type === TRIGGER_TYPES.lambda) {
            via = { fn: t, path: `Lambda function ${t.name}` };
            break;
        }
        if (t.type === TRIGGER_TYPES.snsTopic) {
            const fn = lambdaSubscriber(tree, t);
            if (fn) {
                via = { fn, path: `SNS topic ${t.name} -> Lambda function ${fn.name}`, topic: t };
                break;
            }
        }
    }
    if (!via) {
        const named = targets.map((t) => t.name);
        const where = named.length > 0 ? named.join(", ") : values.map((v) => (typeof v === "string" ? v : "an action unknown at preview")).join(", ");
        return { kind: "manual", why: `alarm ${alarm.name} notifies ${where}, to which no Lambda function of the program is subscribed`, source };
    }

    const n = num(alarm.props, "evaluationPeriods");
    const m = num(alarm.props, "datapointsToAlarm");
    const period = num(alarm.props, "period");
    if (n === undefined || period === undefined) {
        return { kind: "unknown", why: `evaluationPeriods or period of alarm ${alarm.name} is unknown at preview`, source };
    }
    // M of N: a site that stays down breaches every period, so the alarm fires after M of them.
    const periods = m !== undefined && m > 0 && m < n ? m : n;
    const counted = periods === n ? `evaluationPeriods ${n}` : `datapointsToAlarm ${m} (of evaluationPeriods ${n})`;
    const metricPeriod = timing("route53-health-check-status-metric");
    const minPeriods = timing("promotion-trigger-min-periods");
    const floorSeconds = minPeriods.amount * metricPeriod.amount;
    const seconds = periods * period;
    const term: Term = {
        metric: "rto",
        kind: "promotion-trigger",
        name: `promotion trigger (alarm ${alarm.name})`,
        seconds,
        formula: `alarm ${alarm.name} on HealthCheckStatus of ${hc.name}: ${counted} x period ${period} s, counted from the check turning unhealthy; then ${via.path}`,
        source: `${source} (${periods === n ? "evaluationPeriods" : "datapointsToAlarm"}, period) -> ${via.path} (aws:lambda/function:Function: its code cannot be read; taken to ${action}); status metric: ${cite(metricPeriod)}`,
        floor:
            seconds > floorSeconds
                ? {
                      seconds: floorSeconds,
                      change: `set ${alarm.name} evaluationPeriods ${minPeriods.amount} and datapointsToAlarm ${minPeriods.amount} (period ${metricPeriod.amount} s: fewer would promote, losing the writes not yet replicated, on a short outage)`,
                  }
                : undefined,
    };
    const inWriterRegion = [alarm, ...(via.topic ? [via.topic] : []), via.fn].filter((r) => locationOf(r) === writer.region);
    const notes =
        inWriterRegion.length > 0
            ? [
                  `The promotion of ${writer.name} is started from ${writer.region}, the writer's own region (${inWriterRegion.map((r) => `${r.type.split(":").pop()} ${r.name}`).join(", ")}): if that whole region fails with the site, the promotion does not start and must be run by hand.`,
              ]
            : [];
    return { kind: "automated", term, fn: via.fn, notes };
}

/** The topics and functions an alarm's actions name: property dependencies, else known ARNs. */
function actionTargets(tree: Tree, alarm: GraphResource, values: readonly unknown[]): GraphResource[] {
    const found = tree.refs(alarm, "alarmActions").filter((r) => r.type === TRIGGER_TYPES.snsTopic || r.type === TRIGGER_TYPES.lambda);
    const arns = values.filter((v): v is string => typeof v === "string");
    for (const r of tree.ofType(TRIGGER_TYPES.snsTopic, TRIGGER_TYPES.lambda)) {
        const arn = str(r.props, "arn");
        if (arn !== undefined && arns.includes(arn) && !found.includes(r)) found.push(r);
    }
    return found;
}

/** A Lambda function subscribed to `topic` (protocol lambda), if any. */
function lambdaSubscriber(tree: Tree, topic: GraphResource): GraphResource | undefined {
    const topicArn = str(topic.props, "arn");
    for (const sub of tree.ofType(TRIGGER_TYPES.snsSubscription)) {
        const onTopic = tree.refs(sub, "topic").includes(topic) || (topicArn !== undefined && str(sub.props, "topic") === topicArn);
        if (!onTopic || str(sub.props, "protocol") !== "lambda") continue;
        const endpoint = str(sub.props, "endpoint");
        const fn =
            tree.refs(sub, "endpoint").find((r) => r.type === TRIGGER_TYPES.lambda) ??
            tree.ofType(TRIGGER_TYPES.lambda).find((f) => endpoint !== undefined && str(f.props, "arn") === endpoint);
        if (fn) return fn;
    }
    return undefined;
}

