// Route 53 publishes health check metrics (namespace AWS/Route53) in us-east-1 only. An alarm on
// them in any other Region deploys fine and then stays in INSUFFICIENT_DATA forever: it never fires.
import { GraphResource } from "../../lib/graph";
import { awsRegion, DEFAULT_REGION } from "../../lib/location";
import { isUnknown, list, read } from "../../lib/props";
import { finding, Finding, graphRule } from "../graph/lib";

const alarmType = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** Whether an alarm reads AWS/Route53 metrics (directly or in a metric query); undefined when unknown. */
function readsRoute53(alarm: GraphResource): boolean | undefined {
    const ns = read(alarm.props, "namespace");
    if (ns === "AWS/Route53") return true;
    const queries = list(alarm.props, "metricQueries");
    if (queries?.some((q) => read(q, "metric.namespace") === "AWS/Route53")) return true;
    if (isUnknown(ns) || isUnknown(read(alarm.props, "metricQueries"))) return undefined;
    return false;
}

/** CloudWatch alarms on Route 53 metrics must be in us-east-1, the only Region that has them. */
export const route53AlarmRegion = graphRule({
    name: "route53-alarm-region",
    description: "CloudWatch alarms on Route 53 health check metrics (AWS/Route53) must be created in us-east-1, the only Region where Route 53 publishes them.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        for (const alarm of graph.ofType(alarmType)) {
            if (readsRoute53(alarm) !== true) continue;
            const region = awsRegion(alarm);
            if (isUnknown(region) || region === DEFAULT_REGION || region === "us-east-1") continue;
            findings.push(
                finding(
                    alarm,
                    `it watches AWS/Route53 metrics but is created in ${region}`,
                    "Route 53 publishes health check metrics only in us-east-1, so this alarm stays in INSUFFICIENT_DATA and never fires: the failure it should report goes unnoticed",
                    "Create the alarm with a provider (or region) for us-east-1; its actions (SNS topics) must then be in us-east-1 too.",
                ),
            );
        }
        return findings;
    },
});
