// The site's alarms: the load balancer's error rate, unhealthy and too few healthy tasks, p99
// latency, and the database's health, all notifying one SNS topic (email and HTTPS webhooks) on
// both ALARM and OK so that a page is always followed by its all-clear.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsSiteContext, childOptions, tagsNamed } from "./context";

export interface MonitoredDatabase {
    readonly kind: "instance" | "aurora";
    /** DBInstanceIdentifier or DBClusterIdentifier. */
    readonly identifier: pulumi.Output<string>;
    /** Aurora instances in the cluster (replica lag only means something with readers). */
    readonly instanceCount: number;
    /** Aurora Global Database secondary: alarm on replication lag from the primary region. */
    readonly globalSecondary: boolean;
    /** Instance storage, to alarm before it fills (Aurora storage grows by itself). */
    readonly storageGb?: number;
}

export interface MonitoredVersion {
    /** Track name; undefined without tracks. */
    readonly track?: string;
    readonly targetGroup: aws.lb.TargetGroup;
    /** The version's floor: fewer healthy tasks than this alarms (none at 0). */
    readonly minCapacity: number;
}

export interface MonitoringArgs {
    readonly alertEmails: readonly string[];
    readonly alertWebhooks: readonly string[];
    readonly loadBalancer: aws.lb.LoadBalancer;
    /** Each version (release track) behind the load balancer, alarmed on separately. */
    readonly versions: readonly MonitoredVersion[];
    readonly errorRatePercent: number;
    readonly latencyP99Seconds: number;
    readonly database?: MonitoredDatabase;
}

export interface Monitoring {
    readonly topic: aws.sns.Topic;
    readonly alarms: aws.cloudwatch.MetricAlarm[];
}

/** Alarm thresholds that are not arguments. */
export const DB_CPU_PERCENT = 80;
export const DB_FREEABLE_MEMORY_BYTES = 256 * 1024 * 1024;
export const DB_REPLICA_LAG_MS = 1000;

export function createMonitoring(ctx: AwsSiteContext, args: MonitoringArgs): Monitoring {
    const opts = childOptions(ctx);
    const topic = new aws.sns.Topic(`${ctx.name}-alerts`, { displayName: `nonstop alerts: ${ctx.name}`, tags: tagsNamed(ctx, `${ctx.name}-alerts`) }, opts);
    // The account's own principals and CloudWatch alarms publish as with the default policy;
    // EventBridge rules of this account (e.g. DMS task state changes) need their own grant.
    const account = aws.getCallerIdentityOutput({}, { parent: ctx.parent, provider: ctx.provider }).accountId;
    new aws.sns.TopicPolicy(`${ctx.name}-alerts`, {
        arn: topic.arn,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AccountPrincipals",
                    Effect: "Allow",
                    Principal: { AWS: pulumi.interpolate`arn:${ctx.partition}:iam::${account}:root` },
                    Action: ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:ListSubscriptionsByTopic"],
                    Resource: topic.arn,
                },
                {
                    Sid: "AlarmsAndEventRulesOfThisAccount",
                    Effect: "Allow",
                    Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
                    Action: "sns:Publish",
                    Resource: topic.arn,
                    Condition: { StringEquals: { "aws:SourceAccount": account } },
                },
            ],
        }),
    }, opts);
    args.alertEmails.forEach((email, i) => new aws.sns.TopicSubscription(`${ctx.name}-alerts-email-${i}`, { topic: topic.arn, protocol: "email", endpoint: email }, opts));
    // A webhook URL carries its token: kept secret in the state and in every preview.
    args.alertWebhooks.forEach((url, i) => new aws.sns.TopicSubscription(`${ctx.name}-alerts-webhook-${i}`, { topic: topic.arn, protocol: "https", endpoint: pulumi.secret(url) }, opts));

    const alarm = (suffix: string, description: string, props: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "alarmDescription" | "tags">) =>
        new aws.cloudwatch.MetricAlarm(`${ctx.name}-${suffix}`, {
            ...props,
            alarmDescription: `${ctx.name}: ${description}`,
            alarmActions: [topic.arn],
            okActions: [topic.arn],
            tags: tagsNamed(ctx, `${ctx.name}-${suffix}`),
        }, opts);

    const lb = { LoadBalancer: args.loadBalancer.arnSuffix };
    const albMetric = (id: string, metricName: string) => ({
        id,
        returnData: false,
        metric: { namespace: "AWS/ApplicationELB", metricName, dimensions: lb, period: 60, stat: "Sum" },
    });
    const alarms: aws.cloudwatch.MetricAlarm[] = [
        alarm("5xx-rate", `more than ${args.errorRatePercent}% of requests answered 5xx (by the tasks or by the load balancer)`, {
            comparisonOperator: "GreaterThanThreshold",
            threshold: args.errorRatePercent,
            evaluationPeriods: 5,
            datapointsToAlarm: 3,
            metricQueries: [
                albMetric("targetErrors", "HTTPCode_Target_5XX_Count"),
                albMetric("lbErrors", "HTTPCode_ELB_5XX_Count"),
                albMetric("requests", "RequestCount"),
                { id: "errorRate", label: "5xx rate (%)", returnData: true, expression: "100 * (FILL(targetErrors, 0) + FILL(lbErrors, 0)) / FILL(requests, 1)" },
            ],
            // No traffic is not an outage; the healthy-host alarm covers a site that cannot serve.
            treatMissingData: "notBreaching",
        }),
    ];
    for (const version of args.versions) {
        const s = version.track ? `-${version.track}` : "";
        const of = version.track ? ` (track ${version.track})` : "";
        const lbAndTarget = { LoadBalancer: args.loadBalancer.arnSuffix, TargetGroup: version.targetGroup.arnSuffix };
        alarms.push(
            alarm(`unhealthy-hosts${s}`, `tasks failing the load balancer health check for 3 minutes${of}`, {
                namespace: "AWS/ApplicationELB",
                metricName: "UnHealthyHostCount",
                dimensions: lbAndTarget,
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 3,
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                treatMissingData: "notBreaching",
            }),
            alarm(`latency-p99${s}`, `p99 response time above ${args.latencyP99Seconds}s${of}`, {
                namespace: "AWS/ApplicationELB",
                metricName: "TargetResponseTime",
                dimensions: lbAndTarget,
                extendedStatistic: "p99",
                period: 60,
                evaluationPeriods: 5,
                datapointsToAlarm: 3,
                comparisonOperator: "GreaterThanThreshold",
                threshold: args.latencyP99Seconds,
                treatMissingData: "notBreaching",
            }),
        );
        // A pilot light (minCapacity 0) runs no tasks on purpose; there is no floor to fall below.
        if (version.minCapacity > 0) {
            alarms.push(alarm(`healthy-hosts${s}`, `fewer than ${version.minCapacity} healthy tasks (minCapacity)${of}`, {
                namespace: "AWS/ApplicationELB",
                metricName: "HealthyHostCount",
                dimensions: lbAndTarget,
                statistic: "Minimum",
                period: 60,
                evaluationPeriods: 3,
                comparisonOperator: "LessThanThreshold",
                threshold: version.minCapacity,
                // No data from the target group means nothing healthy is reporting.
                treatMissingData: "breaching",
            }));
        }
    }
    if (args.database) alarms.push(...databaseAlarms(args.database, alarm));
    return { topic, alarms };
}

type AlarmFactory = (suffix: string, description: string, props: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "alarmDescription" | "tags">) => aws.cloudwatch.MetricAlarm;

function databaseAlarms(db: MonitoredDatabase, alarm: AlarmFactory): aws.cloudwatch.MetricAlarm[] {
    const dimensions: Record<string, pulumi.Input<string>> = db.kind === "aurora" ? { DBClusterIdentifier: db.identifier } : { DBInstanceIdentifier: db.identifier };
    // A running database reports every minute; silence means it is down, so missing data alarms.
    const rds = { namespace: "AWS/RDS", dimensions, period: 60, treatMissingData: "breaching" };
    const alarms = [
        alarm("db-cpu", `database CPU above ${DB_CPU_PERCENT}% for 5 minutes`, {
            ...rds,
            metricName: "CPUUtilization",
            statistic: "Average",
            evaluationPeriods: 5,
            comparisonOperator: "GreaterThanThreshold",
            threshold: DB_CPU_PERCENT,
        }),
        alarm("db-memory", `database freeable memory below ${DB_FREEABLE_MEMORY_BYTES / 1024 / 1024} MiB`, {
            ...rds,
            metricName: "FreeableMemory",
            statistic: "Minimum",
            evaluationPeriods: 5,
            comparisonOperator: "LessThanThreshold",
            threshold: DB_FREEABLE_MEMORY_BYTES,
        }),
    ];
    if (db.kind === "instance" && db.storageGb !== undefined) {
        const tenth = Math.round(db.storageGb * 0.1 * 1024 * 1024 * 1024);
        alarms.push(alarm("db-storage", "database free storage below 10% of its allocated size", {
            ...rds,
            metricName: "FreeStorageSpace",
            statistic: "Minimum",
            evaluationPeriods: 5,
            comparisonOperator: "LessThanThreshold",
            threshold: tenth,
        }));
    }
    if (db.globalSecondary) {
        alarms.push(alarm("db-global-lag", `replication from the primary region more than ${DB_REPLICA_LAG_MS} ms behind`, {
            ...rds,
            metricName: "AuroraGlobalDBReplicationLag",
            statistic: "Maximum",
            evaluationPeriods: 5,
            comparisonOperator: "GreaterThanThreshold",
            threshold: DB_REPLICA_LAG_MS,
        }));
    } else if (db.kind === "aurora" && db.instanceCount > 1) {
        alarms.push(alarm("db-replica-lag", `a reader more than ${DB_REPLICA_LAG_MS} ms behind the writer`, {
            ...rds,
            metricName: "AuroraReplicaLagMaximum",
            statistic: "Maximum",
            evaluationPeriods: 5,
            comparisonOperator: "GreaterThanThreshold",
            threshold: DB_REPLICA_LAG_MS,
        }));
    }
    return alarms;
}
