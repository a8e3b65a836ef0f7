import { GraphResource } from "../../lib/graph";
import { awsRegion, DEFAULT_REGION } from "../../lib/location";
import { isUnknown, list, read } from "../../lib/props";
import { resolve } from "../../lib/refs";
import { finding, Finding, graphRule, Maybe, names } from "./lib";

const alarmType = "aws:cloudwatch/metricAlarm:MetricAlarm";
const loadBalancerTypes = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const healthCheckType = "aws:route53/healthCheck:HealthCheck";

/** Whether an alarm notifies anyone (an unknown action list may). */
function notifies(alarm: GraphResource): Maybe {
    if (read(alarm.props, "actionsEnabled") === false) return false;
    const actions = read(alarm.props, "alarmActions");
    if (isUnknown(actions)) return undefined;
    const known = list(alarm.props, "alarmActions");
    return known !== undefined && known.length > 0;
}

/** What an alarm watches among `types`, through its dimensions and metric queries. */
function watched(graph: Parameters<typeof resolve>[0], alarm: GraphResource, types: readonly string[], identity: readonly string[]): { targets: GraphResource[]; open: boolean } {
    const a = resolve(graph, alarm, "dimensions", types, { identity });
    const b = resolve(graph, alarm, "metricQueries", types, { identity });
    return { targets: [...a.targets, ...b.targets], open: a.open || b.open };
}

/**
 * A failure nobody hears about lasts until a customer reports it: every load balancer needs an
 * alarm on its metrics that notifies someone, and every Route 53 health check an alarm on its
 * status (which is also what tells you DNS has failed over).
 */
export const alarmCoverage = graphRule({
    name: "alarm-coverage",
    description: "Every load balancer and every Route 53 health check must have a CloudWatch alarm with alarm actions on its metrics.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        const alarms = graph.ofType(alarmType).filter((a) => notifies(a) !== false);
        const lbWatch = alarms.map((a) => ({ a, w: watched(graph, a, loadBalancerTypes, ["arnSuffix", "arn"]) }));
        const lbOpen = lbWatch.some((x) => x.w.open);
        for (const lb of graph.ofType(...loadBalancerTypes)) {
            if (lbOpen || lbWatch.some((x) => x.w.targets.includes(lb))) continue;
            findings.push(
                finding(
                    lb,
                    "no CloudWatch alarm with alarmActions watches its metrics (no aws:cloudwatch/metricAlarm:MetricAlarm has dimensions.LoadBalancer from it)",
                    "a rise in 5xx responses or unhealthy targets goes unnoticed until users report it",
                    'Add an aws.cloudwatch.MetricAlarm with namespace "AWS/ApplicationELB" (or "AWS/NetworkELB"), dimensions: { LoadBalancer: <this load balancer>.arnSuffix }, a metric such as HTTPCode_ELB_5XX_Count or UnHealthyHostCount, and alarmActions (an SNS topic).',
                ),
            );
        }
        const hcWatch = alarms.map((a) => ({ a, w: watched(graph, a, [healthCheckType], ["id"]) }));
        const hcOpen = hcWatch.some((x) => x.w.open);
        for (const hc of graph.ofType(healthCheckType)) {
            if (hcOpen) continue;
            const on = hcWatch.filter((x) => x.w.targets.includes(hc)).map((x) => x.a);
            // Route 53 publishes health check metrics in us-east-1 only.
            const elsewhere = on.filter((a) => {
                const r = awsRegion(a);
                return typeof r === "string" && r !== DEFAULT_REGION && r !== "us-east-1";
            });
            if (on.length > elsewhere.length) continue;
            findings.push(
                finding(
                    hc,
                    elsewhere.length
                        ? `its alarms ${names(elsewhere)} are in ${[...new Set(elsewhere.map((a) => String(awsRegion(a))))].join(", ")}, where Route 53 publishes no health check metrics`
                        : "no CloudWatch alarm with alarmActions watches its status (no aws:cloudwatch/metricAlarm:MetricAlarm has dimensions.HealthCheckId from it)",
                    "nobody learns that the endpoint is down or that DNS has failed over",
                    'Add an aws.cloudwatch.MetricAlarm in us-east-1 (a provider for us-east-1) with namespace "AWS/Route53", metricName "HealthCheckStatus", dimensions: { HealthCheckId: <this health check>.id }, comparisonOperator "LessThanThreshold", threshold 1 and alarmActions.',
                ),
            );
        }
        return findings;
    },
});
