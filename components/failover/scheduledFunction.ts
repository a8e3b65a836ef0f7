// What every failover automation here is made of: a Lambda function (Node.js 24, the AWS SDK v3 of
// the runtime) in the region that must keep working when another is lost, started every minute by
// an EventBridge schedule in that same region, with a role that may do only what it needs, its own
// log group, and an alarm on its errors that notifies people there.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { hash } from "../data/names";

/**
 * The runtime of every function nonstop creates (the AWS SDK v3 ships with it): the newest Node.js.
 * nodejs20.x has been refused since Aug 31, 2026 and nodejs22.x is deprecated on Apr 30, 2027
 * (policies/rules/deploy/data/versions.json, from the Lambda runtimes page).
 */
export const LAMBDA_RUNTIME = "nodejs24.x";

export interface ScheduledFunctionArgs {
    /** Region the function, its schedule, log group and error alarm live in. */
    readonly region: string;
    readonly description: string;
    /** The handler module (index.mjs, `export const handler`). */
    readonly source: string;
    readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
    /** What the function may do, beside writing its logs. */
    readonly policyStatements: readonly pulumi.Input<Record<string, unknown>>[];
    /** EventBridge schedule. @default "rate(1 minute)" */
    readonly scheduleExpression?: string;
    /** Seconds the function may run (its probes and API calls fit well inside the minute). */
    readonly timeoutSeconds: number;
    /** A CloudWatch Logs retention. */
    readonly logRetentionDays: number;
    /** Runs in these private subnets (with NAT for the AWS APIs), to reach private addresses. @default none: outside any VPC */
    readonly vpc?: { readonly subnetIds: readonly pulumi.Input<string>[]; readonly securityGroupIds: readonly pulumi.Input<string>[] };
    /** SNS topic (in `region`) its error alarm notifies. @default none: the alarm has no action */
    readonly alertTopicArn?: pulumi.Input<string>;
    /** What the error alarm tells people to do. */
    readonly errorAdvice: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

export interface ScheduledFunction {
    readonly role: aws.iam.Role;
    readonly fn: aws.lambda.Function;
    readonly schedule: aws.cloudwatch.EventRule;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly errorAlarm: aws.cloudwatch.MetricAlarm;
}

/**
 * A physical name within AWS's 64-character limit (IAM roles, Lambda functions, EventBridge rules)
 * that stays unique per stack: the component name cut short, and a hash of project, stack and name.
 */
export function shortPhysicalName(name: string, max = 64): string {
    const suffix = hash(`${pulumi.getProject()}/${pulumi.getStack()}/${name}`);
    return `${name.slice(0, max - suffix.length - 1).replace(/-+$/, "")}-${suffix}`;
}

export function createScheduledFunction(parent: pulumi.Resource, name: string, args: ScheduledFunctionArgs): ScheduledFunction {
    const opt = { parent };
    const tags = args.tags;
    const partition = aws.getPartitionOutput({}, opt).partition;
    const role = new aws.iam.Role(name, {
        name: shortPhysicalName(name),
        description: args.description.slice(0, 1000),
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        tags,
    }, opt);
    // Logs, and (in a VPC) the network interfaces Lambda places in the subnets.
    const execution = new aws.iam.RolePolicyAttachment(`${name}-logs`, {
        role: role.name,
        policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/${args.vpc ? "AWSLambdaVPCAccessExecutionRole" : "AWSLambdaBasicExecutionRole"}`,
    }, opt);
    const policy = new aws.iam.RolePolicy(`${name}-actions`, {
        role: role.id,
        policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [...args.policyStatements] }),
    }, opt);

    const logGroup = new aws.cloudwatch.LogGroup(name, { region: args.region, retentionInDays: args.logRetentionDays, tags }, opt);
    const fn = new aws.lambda.Function(name, {
        region: args.region,
        name: shortPhysicalName(name),
        description: args.description.slice(0, 256),
        runtime: LAMBDA_RUNTIME,
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset(args.source) }),
        role: role.arn,
        timeout: args.timeoutSeconds,
        memorySize: 256,
        environment: { variables: { ...args.environment } },
        ...(args.vpc ? { vpcConfig: { subnetIds: [...args.vpc.subnetIds], securityGroupIds: [...args.vpc.securityGroupIds] } } : {}),
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        tags,
    }, { parent, dependsOn: [execution, policy] });

    const schedule = new aws.cloudwatch.EventRule(name, {
        region: args.region,
        name: shortPhysicalName(name),
        description: args.description.slice(0, 512),
        scheduleExpression: args.scheduleExpression ?? "rate(1 minute)",
        tags,
    }, opt);
    const permission = new aws.lambda.Permission(name, {
        region: args.region,
        action: "lambda:InvokeFunction",
        function: fn.name,
        principal: "events.amazonaws.com",
        sourceArn: schedule.arn,
    }, opt);
    new aws.cloudwatch.EventTarget(name, { region: args.region, rule: schedule.name, arn: fn.arn }, { parent, dependsOn: [permission] });

    const errorAlarm = new aws.cloudwatch.MetricAlarm(`${name}-errors`, {
        region: args.region,
        alarmDescription: args.errorAdvice,
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: fn.name },
        statistic: "Sum",
        period: 60,
        // Two failed runs in five minutes: one transient API error is retried by the next run.
        evaluationPeriods: 5,
        datapointsToAlarm: 2,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        alarmActions: args.alertTopicArn !== undefined ? [args.alertTopicArn] : [],
        okActions: args.alertTopicArn !== undefined ? [args.alertTopicArn] : [],
        tags,
    }, opt);
    return { role, fn, schedule, logGroup, errorAlarm };
}
