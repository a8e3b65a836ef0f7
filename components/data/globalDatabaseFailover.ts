// Promotes the secondary cluster of an Aurora Global Database when the writer's site is declared
// dead. DNS failover is automatic (Route 53 health checks), but a global secondary stays read-only
// until someone runs a global database failover; this component runs it:
//
//   Route 53 health check of the writer's site
//     └─ CloudWatch alarm (us-east-1, where Route 53 publishes HealthCheckStatus): failing for
//        `failoverAfterMinutes` minutes in a row, slower than the DNS switch on purpose
//          └─ SNS topic (us-east-1)
//               └─ Lambda function in the SECONDARY's region (so it does not depend on the lost
//                  one): FailoverGlobalCluster with AllowDataLoss to the secondary cluster,
//                  idempotently, after checking that Route 53 still sees the writer failing.
//
// `enabled: false` (the dev default) and a game day on the writer's site (`drillSiteKey`) keep
// every resource but leave the alarm without actions: the alarm still shows ALARM and operators
// run the manual failover from docs/services.md.
//
// Limit: Route 53 health-check metrics exist only in us-east-1, so the trigger runs on CloudWatch
// and SNS there. A writer in us-east-1 lost together with those services is not promoted
// automatically; the documented manual failover (run from the secondary's region) still works.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ROUTE53_METRICS_REGION } from "../dns/route53Failover";
import { AWS_LOG_RETENTION_DAYS } from "../site/awsSite";
import { Environment } from "../site/site";

export interface GlobalDatabaseFailoverArgs {
    /** The Aurora Global Database (its GlobalClusterIdentifier): the writer site's `SiteDatabase.id`. */
    readonly globalClusterIdentifier: pulumi.Input<string>;
    /** Region of the writer cluster, the region whose loss this component answers. */
    readonly writerRegion: string;
    /** Site key of the writer, e.g. "aws-us-east-1": names the alarm and is compared with `drillSiteKey`. */
    readonly writerSiteKey: string;
    /** The Route 53 health check that the writer site's record carries. */
    readonly writerHealthCheckId: pulumi.Input<string>;
    /** Region of the secondary cluster to promote; the function runs there. */
    readonly targetRegion: string;
    /**
     * ARN of the secondary cluster to promote.
     * @default - the global database's member cluster in `targetRegion`, found by the function when
     * it runs (a global database has at most one cluster per region)
     */
    readonly targetClusterArn?: pulumi.Input<string>;
    /**
     * Clusters the function may move the writer between (IAM scope, beside the global cluster).
     * @default - `targetClusterArn` when given, else `arn:<partition>:rds:<region>:<account>:cluster:*`
     * for `writerRegion` and `targetRegion`; the global cluster in the same statement still confines
     * the action to this global database
     */
    readonly memberClusterArns?: readonly pulumi.Input<string>[];
    readonly environment: Environment;
    /**
     * Arm the automation. When false every resource is still created but the trigger alarm has no
     * action: it shows ALARM and people run the manual failover.
     * @default true in prod, false in dev
     */
    readonly enabled?: boolean;
    /**
     * Minutes Route 53 must report the writer's health check failed, in a row, before the secondary
     * is promoted (on top of the check's own detection). Two minutes keeps a prod RTO of 300 s with
     * margin while a one-minute blip still never costs data. @default 2
     */
    readonly failoverAfterMinutes?: number;
    /** Site key whose health check a game day inverts (`nonstop:drill`); the writer's disarms the automation. @default none */
    readonly drillSiteKey?: string;
    /** SNS topic in `targetRegion` that the function's error alarm notifies. @default none: the alarm has no action */
    readonly alertTopicArn?: pulumi.Input<string>;
    /** Retention of the function's log group, in days (a CloudWatch Logs value). @default 365 in prod, 30 in dev */
    readonly logRetentionDays?: number;
    /** @default {} */
    readonly tags?: Readonly<Record<string, string>>;
}

type OptionalWithoutDefault = "targetClusterArn" | "memberClusterArns" | "drillSiteKey" | "alertTopicArn";
export type ResolvedGlobalDatabaseFailoverArgs = Required<Omit<GlobalDatabaseFailoverArgs, OptionalWithoutDefault>> & Pick<GlobalDatabaseFailoverArgs, OptionalWithoutDefault>;

/** Every default of GlobalDatabaseFailoverArgs, in one place. */
export function resolveGlobalDatabaseFailoverDefaults(args: GlobalDatabaseFailoverArgs): ResolvedGlobalDatabaseFailoverArgs {
    const prod = args.environment === "prod";
    return {
        ...args,
        enabled: args.enabled ?? prod,
        failoverAfterMinutes: args.failoverAfterMinutes ?? 2,
        logRetentionDays: args.logRetentionDays ?? (prod ? 365 : 30),
        tags: args.tags ?? {},
    };
}

/** CloudWatch evaluates at most one day of one-minute periods. */
export const MAX_FAILOVER_AFTER_MINUTES = 1440;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const CLUSTER_ARN = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):\d{12}:cluster:[A-Za-z0-9-]+$/;

export interface GlobalDatabaseFailoverIssues {
    /** Refused: nothing is created. */
    readonly errors: string[];
    /** Allowed but unwise: logged. */
    readonly warnings: string[];
}

/** Checks the args before anything is created; each message names the arg, shows the value and says the fix. */
export function validateGlobalDatabaseFailoverArgs(args: GlobalDatabaseFailoverArgs): GlobalDatabaseFailoverIssues {
    const errors: string[] = [];
    const warnings: string[] = [];
    const show = (v: unknown) => JSON.stringify(v);
    if (!REGION.test(args.writerRegion ?? "")) errors.push(`writerRegion: ${show(args.writerRegion)} is not an AWS region; give the writer cluster's region, e.g. "us-east-1"`);
    if (!REGION.test(args.targetRegion ?? "")) errors.push(`targetRegion: ${show(args.targetRegion)} is not an AWS region; give the secondary cluster's region, e.g. "us-west-2"`);
    if (args.writerRegion === args.targetRegion) {
        errors.push(`targetRegion: ${show(args.targetRegion)} is the writer's own region; promote a secondary in another region (a global database has one cluster per region)`);
    }
    if (!args.writerSiteKey) errors.push(`writerSiteKey: ${show(args.writerSiteKey)} is empty; give the writer's site key, e.g. "aws-us-east-1"`);
    if (args.environment !== "dev" && args.environment !== "prod") errors.push(`environment: ${show(args.environment)} is not "dev" or "prod"`);
    const minutes = args.failoverAfterMinutes;
    if (minutes !== undefined) {
        if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_FAILOVER_AFTER_MINUTES) {
            errors.push(`failoverAfterMinutes: ${show(minutes)} is not a whole number of minutes from 1 to ${MAX_FAILOVER_AFTER_MINUTES}; use 2 (the default) or more`);
        } else if (minutes < 2) {
            warnings.push(
                `failoverAfterMinutes: ${minutes} promotes the secondary, discarding the writes not yet replicated, after one failed minute (as soon as DNS fails over); a short blip would cost data. Use 2 or more (2 is the default)`,
            );
        }
    }
    if (typeof args.targetClusterArn === "string") {
        const m = CLUSTER_ARN.exec(args.targetClusterArn);
        if (!m) errors.push(`targetClusterArn: ${show(args.targetClusterArn)} is not an RDS cluster ARN (arn:aws:rds:<region>:<account>:cluster:<id>)`);
        else if (m[1] !== args.targetRegion) errors.push(`targetClusterArn: ${show(args.targetClusterArn)} is in ${m[1]}, not in targetRegion ${show(args.targetRegion)}; give the secondary cluster of that region`);
    }
    if (args.memberClusterArns !== undefined && args.memberClusterArns.length === 0) {
        errors.push("memberClusterArns: [] allows no cluster, so the failover would be denied; list the writer's and the secondary's cluster ARNs, or leave it out");
    }
    if (args.logRetentionDays !== undefined && !(AWS_LOG_RETENTION_DAYS as readonly number[]).includes(args.logRetentionDays)) {
        errors.push(`logRetentionDays: ${show(args.logRetentionDays)} is not a CloudWatch Logs retention; use one of ${AWS_LOG_RETENTION_DAYS.join(", ")}`);
    }
    if (args.environment === "prod" && args.enabled === false) {
        warnings.push(`enabled: false in prod leaves the secondary in ${args.targetRegion} read-only when ${args.writerSiteKey} is lost, until someone runs the manual failover (docs/services.md)`);
    }
    return { errors, warnings };
}

/** Whether the trigger alarm calls the function: enabled, and no game day on the writer's own check. */
export function failoverArmed(a: Pick<ResolvedGlobalDatabaseFailoverArgs, "enabled" | "drillSiteKey" | "writerSiteKey">): boolean {
    return a.enabled && a.drillSiteKey !== a.writerSiteKey;
}

/**
 * The function (index.mjs, AWS SDK v3 from the Lambda runtime). Invoked by the alarm's SNS topic, or
 * by hand with `{}`. It promotes only when all of these hold, so a repeated or late call is harmless:
 *   - the notification (if any) is an ALARM;
 *   - Route 53 does not see the writer healthy right now (more than 18 % of its checkers succeeding,
 *     the point where Route 53 itself calls an endpoint healthy; a drill or a recovery since the
 *     alarm stops here). When Route 53 cannot be asked, the alarm's verdict stands;
 *   - no failover or switchover is under way;
 *   - the target is not the writer already, and the writer is still in WRITER_REGION (if someone
 *     else moved it, this function does not move it again).
 */
export const FAILOVER_HANDLER_SOURCE = `// nonstop GlobalDatabaseFailover: promotes this region's Aurora global secondary when the writer's site is lost.
import { DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, RDSClient } from "@aws-sdk/client-rds";
import { GetHealthCheckStatusCommand, Route53Client } from "@aws-sdk/client-route-53";

const rds = new RDSClient({});
// Route 53's API lives in us-east-1: ask briefly, so that a lost us-east-1 does not hold the promotion.
const route53 = new Route53Client({ region: "us-east-1", maxAttempts: 2 });
const BUSY = ["pending", "failing-over", "switching-over", "cancelling"];
// Route 53 judges an endpoint healthy when more than 18 % of its checkers report it healthy.
const HEALTHY_SHARE = 0.18;

const regionOf = (arn) => String(arn ?? "").split(":")[3];
const log = (action, detail) => console.log(JSON.stringify({ action, globalCluster: process.env.GLOBAL_CLUSTER_ID, ...detail }));

async function writerHealthyNow(healthCheckId) {
    try {
        const out = await route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId }), { abortSignal: AbortSignal.timeout(5000) });
        const observations = out.HealthCheckObservations ?? [];
        if (observations.length === 0) return { known: false };
        const succeeding = observations.filter((o) => String(o.StatusReport?.Status ?? "").startsWith("Success")).length;
        return { known: true, healthy: succeeding / observations.length > HEALTHY_SHARE, succeeding, checkers: observations.length };
    } catch (e) {
        return { known: false, error: String(e?.name ?? e) };
    }
}

export const handler = async (event) => {
    const env = process.env;
    const records = Array.isArray(event?.Records) ? event.Records : [];
    const states = records.map((r) => {
        try {
            return JSON.parse(r.Sns?.Message ?? "{}").NewStateValue;
        } catch {
            return undefined;
        }
    });
    if (records.length > 0 && !states.includes("ALARM")) {
        log("none", { reason: "the notification is not an ALARM", states });
        return { action: "none", reason: "not-alarm" };
    }

    const writerCheck = env.WRITER_HEALTH_CHECK_ID ? await writerHealthyNow(env.WRITER_HEALTH_CHECK_ID) : { known: false };
    if (writerCheck.known && writerCheck.healthy) {
        log("none", { reason: "Route 53 sees the writer healthy now (a drill, or it recovered)", ...writerCheck });
        return { action: "none", reason: "writer-healthy" };
    }

    const described = await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: env.GLOBAL_CLUSTER_ID }));
    const cluster = described.GlobalClusters?.[0];
    if (!cluster) throw new Error(\`global cluster \${env.GLOBAL_CLUSTER_ID} not found\`);
    const members = cluster.GlobalClusterMembers ?? [];
    const target = env.TARGET_CLUSTER_ARN || members.find((m) => regionOf(m.DBClusterArn) === env.TARGET_REGION)?.DBClusterArn;
    if (!target) {
        throw new Error(\`no member cluster of \${env.GLOBAL_CLUSTER_ID} in \${env.TARGET_REGION} (members: \${members.map((m) => m.DBClusterArn).join(", ") || "none"})\`);
    }
    const writer = members.find((m) => m.IsWriter)?.DBClusterArn;
    if (writer === target) {
        log("none", { reason: "the target is the writer already", target });
        return { action: "none", reason: "already-writer", target };
    }
    const state = cluster.FailoverState;
    if (state && BUSY.includes(state.Status)) {
        log("none", { reason: \`a failover or switchover is \${state.Status}\`, from: state.FromDbClusterArn, to: state.ToDbClusterArn });
        return { action: "none", reason: "under-way", target };
    }
    if (writer && regionOf(writer) !== env.WRITER_REGION) {
        log("none", { reason: \`the writer has moved to \${regionOf(writer)} already; not moving it again\`, writer, target });
        return { action: "none", reason: "writer-moved", target };
    }

    log("failover", { from: writer, target, allowDataLoss: true, writerCheck });
    await rds.send(new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: env.GLOBAL_CLUSTER_ID, TargetDbClusterIdentifier: target, AllowDataLoss: true }));
    log("failover-started", { from: writer, target });
    return { action: "failover", target };
};
`;

/** The manual failover (the runbook when the automation is off or did not run). */
export function manualFailoverCommand(globalClusterIdentifier: string, targetRegion: string, targetClusterArn = `<ARN of its cluster in ${targetRegion}>`): string {
    return `aws rds failover-global-cluster --region ${targetRegion} --global-cluster-identifier ${globalClusterIdentifier} --target-db-cluster-identifier ${targetClusterArn} --allow-data-loss`;
}

export class GlobalDatabaseFailover extends pulumi.ComponentResource {
    /** Whether the trigger alarm calls the function (enabled and not drilled). */
    public readonly armed: boolean;
    /** The alarm on the writer's health check that starts the failover. */
    public readonly triggerAlarmArn: pulumi.Output<string>;
    /** SNS topic (us-east-1) between the alarm and the function. */
    public readonly topicArn: pulumi.Output<string>;
    public readonly functionArn: pulumi.Output<string>;
    public readonly functionName: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: GlobalDatabaseFailoverArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:data:GlobalDatabaseFailover", name, {}, opts);
        const { errors, warnings } = validateGlobalDatabaseFailoverArgs(args);
        if (errors.length > 0) throw new pulumi.ResourceError(`GlobalDatabaseFailover "${name}" has invalid args:\n  ${errors.join("\n  ")}`, this);
        for (const w of warnings) pulumi.log.warn(w, this);
        const a = resolveGlobalDatabaseFailoverDefaults(args);
        const armed = failoverArmed(a);
        const targetKey = `aws-${a.targetRegion}`;
        if (a.enabled && !armed) {
            pulumi.log.warn(
                `${name}: the game day fails ${a.writerSiteKey}'s health check on purpose, so the automated promotion of ${targetKey} is NOT armed while nonstop:drill is set ` +
                    `(it would discard writes); its alarm still shows ALARM. If ${a.writerSiteKey} is really lost during the drill, run the manual failover (docs/services.md)`,
                this,
            );
        }
        const tags = { ...a.tags, "nonstop:failover": `${a.writerSiteKey} to ${targetKey}` };
        const opt = { parent: this };

        const partition = aws.getPartitionOutput({}, opt).partition;
        const account = aws.getCallerIdentityOutput({}, opt).accountId;
        const globalClusterArn = pulumi.interpolate`arn:${partition}:rds::${account}:global-cluster:${a.globalClusterIdentifier}`;
        const clusterArns: pulumi.Input<string>[] = a.memberClusterArns
            ? [...a.memberClusterArns]
            : a.targetClusterArn !== undefined
                ? [a.targetClusterArn]
                : [a.writerRegion, a.targetRegion].map((region) => pulumi.interpolate`arn:${partition}:rds:${region}:${account}:cluster:*`);

        const role = new aws.iam.Role(`${name}`, {
            description: `Promotes the Aurora global secondary in ${a.targetRegion} when ${a.writerSiteKey} is lost`,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags,
        }, opt);
        const basicExecution = new aws.iam.RolePolicyAttachment(`${name}-logs`, {
            role: role.name,
            policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`,
        }, opt);
        const failoverPolicy = new aws.iam.RolePolicy(`${name}-failover`, {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Sid: "DescribeTheGlobalDatabase", Effect: "Allow", Action: "rds:DescribeGlobalClusters", Resource: globalClusterArn },
                    // FailoverGlobalCluster is authorized against the global cluster and the member clusters.
                    { Sid: "FailOverTheGlobalDatabase", Effect: "Allow", Action: "rds:FailoverGlobalCluster", Resource: [globalClusterArn, ...clusterArns] },
                    { Sid: "ConfirmTheWriterIsDown", Effect: "Allow", Action: "route53:GetHealthCheckStatus", Resource: pulumi.interpolate`arn:${partition}:route53:::healthcheck/${a.writerHealthCheckId}` },
                ],
            }),
        }, opt);

        const logGroup = new aws.cloudwatch.LogGroup(`${name}`, { region: a.targetRegion, retentionInDays: a.logRetentionDays, tags }, opt);
        const fn = new aws.lambda.Function(`${name}`, {
            region: a.targetRegion,
            description: `Promotes the Aurora global secondary in ${a.targetRegion} (FailoverGlobalCluster, allow data loss) when ${a.writerSiteKey} is lost`,
            // The newest Node.js runtime (AWS SDK v3 included): nodejs20.x has been refused since Aug 31,
            // 2026 and nodejs22.x is deprecated on Apr 30, 2027 (the pack's runtime-version rules).
            runtime: "nodejs24.x",
            handler: "index.handler",
            code: new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset(FAILOVER_HANDLER_SOURCE) }),
            role: role.arn,
            timeout: 60,
            memorySize: 128,
            environment: {
                variables: {
                    GLOBAL_CLUSTER_ID: a.globalClusterIdentifier,
                    WRITER_REGION: a.writerRegion,
                    WRITER_HEALTH_CHECK_ID: a.writerHealthCheckId,
                    TARGET_REGION: a.targetRegion,
                    ...(a.targetClusterArn !== undefined ? { TARGET_CLUSTER_ARN: a.targetClusterArn } : {}),
                },
            },
            loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
            tags,
        }, { parent: this, dependsOn: [basicExecution, failoverPolicy] });

        // SNS in us-east-1 invokes the function in the secondary's region (cross-region subscription).
        const topic = new aws.sns.Topic(`${name}-trigger`, { region: ROUTE53_METRICS_REGION, tags }, opt);
        const permission = new aws.lambda.Permission(`${name}-trigger`, {
            region: a.targetRegion,
            action: "lambda:InvokeFunction",
            function: fn.name,
            principal: "sns.amazonaws.com",
            sourceArn: topic.arn,
        }, opt);
        new aws.sns.TopicSubscription(`${name}-trigger`, { region: ROUTE53_METRICS_REGION, topic: topic.arn, protocol: "lambda", endpoint: fn.arn }, { parent: this, dependsOn: [permission] });

        const minutes = a.failoverAfterMinutes;
        const trigger = new aws.cloudwatch.MetricAlarm(`${name}-writer-down`, {
            region: ROUTE53_METRICS_REGION,
            alarmDescription: armed
                ? `${a.writerSiteKey} has failed its Route 53 health check for ${minutes} minutes: promoting the Aurora global secondary in ${a.targetRegion} (FailoverGlobalCluster, allow data loss)`
                : pulumi.all([a.globalClusterIdentifier, a.targetClusterArn]).apply(
                      ([globalId, target]) =>
                          `${a.writerSiteKey} has failed its Route 53 health check for ${minutes} minutes. Automated promotion is OFF (${a.enabled ? "game day on this site" : "enabled: false"}); ` +
                          `if the site is really lost, run: ${manualFailoverCommand(globalId, a.targetRegion, target)}`,
                  ),
            namespace: "AWS/Route53",
            metricName: "HealthCheckStatus",
            dimensions: { HealthCheckId: a.writerHealthCheckId },
            statistic: "Minimum",
            period: 60,
            evaluationPeriods: minutes,
            datapointsToAlarm: minutes,
            threshold: 1,
            comparisonOperator: "LessThanThreshold",
            // Only measured failures promote (with data loss); missing metrics never do.
            treatMissingData: "notBreaching",
            alarmActions: armed ? [topic.arn] : [],
            tags,
        }, opt);

        new aws.cloudwatch.MetricAlarm(`${name}-errors`, {
            region: a.targetRegion,
            alarmDescription: pulumi.interpolate`The function that promotes the Aurora global secondary in ${a.targetRegion} failed, so it may still be read-only: read log group ${logGroup.name} and run the manual failover`,
            namespace: "AWS/Lambda",
            metricName: "Errors",
            dimensions: { FunctionName: fn.name },
            statistic: "Sum",
            period: 60,
            evaluationPeriods: 1,
            threshold: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            treatMissingData: "notBreaching",
            alarmActions: a.alertTopicArn !== undefined ? [a.alertTopicArn] : [],
            tags,
        }, opt);

        this.armed = armed;
        this.triggerAlarmArn = trigger.arn;
        this.topicArn = topic.arn;
        this.functionArn = fn.arn;
        this.functionName = fn.name;
        this.logGroupName = logGroup.name;
        this.registerOutputs({ armed, triggerAlarmArn: this.triggerAlarmArn, topicArn: this.topicArn, functionArn: this.functionArn, logGroupName: this.logGroupName });
    }
}
