// Makes a pilot light take traffic. A pilot-light standby runs no task, so target tracking has
// nothing to scale from; this raises it to its floor when the primary fails:
//
//   EventBridge schedule, every minute, in the STANDBY's region
//     └─ Lambda function (same region):
//          1. is the primary down? Route 53's own verdict, HealthCheckStatus of the primary's
//             check (a drill's inversion included) over the last `failedMinutes` minutes; those
//             metrics exist only in us-east-1, so when us-east-1 cannot be read the function
//             probes the primary's health path itself from this region, three times 5 s apart;
//          2. if so, raises every ECS service of the standby to its floor: the scalable target's
//             MinCapacity (so target tracking never scales it back in) and the desired count (so it
//             starts now), and tells people (it stays scaled out until the failback runbook lowers it).
//
// Meanwhile the standby's DNS record stays routable: its health check probes a path the load
// balancer answers itself (AwsSite's LOAD_BALANCER_PROBE_PATH), so Route 53 fails over to it at
// once and the first tasks serve as soon as they pass the target group's health check.
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../site/site";
import { createScheduledFunction } from "./scheduledFunction";

export interface ScaledService {
    readonly serviceArn: pulumi.Input<string>;
    readonly scalableTargetArn: pulumi.Input<string>;
    /** `service/<cluster>/<service>`. */
    readonly scalableTargetResourceId: pulumi.Input<string>;
    /** What the service is raised to (the site's floor, or the release track's share of it). */
    readonly minCapacity: number;
    readonly maxCapacity: number;
}

/** How the function probes the primary itself when Route 53's metrics cannot be read. */
export interface PrimaryProbe {
    /** Address to connect to (the primary's load balancer). */
    readonly host: pulumi.Input<string>;
    readonly port: number;
    readonly protocol: "HTTP" | "HTTPS";
    readonly path: string;
    /** Name the primary's certificate is for (TLS server name and Host header). @default host */
    readonly serverName?: string;
}

export interface PilotLightScaleOutArgs {
    /** Region of the standby: the function runs there. */
    readonly region: string;
    readonly standbySiteKey: string;
    readonly primarySiteKey: string;
    /** The Route 53 health check the primary's record carries. */
    readonly primaryHealthCheckId: pulumi.Input<string>;
    readonly primaryProbe: PrimaryProbe;
    readonly services: readonly ScaledService[];
    readonly environment: Environment;
    /** Consecutive minutes the primary must be down before the standby scales out. @default 2 */
    readonly failedMinutes?: number;
    /** SNS topic in `region` told about every scale-out and about the function's errors. @default none */
    readonly alertTopicArn?: pulumi.Input<string>;
    /** @default 365 in prod, 30 in dev */
    readonly logRetentionDays?: number;
    /** @default {} */
    readonly tags?: Readonly<Record<string, string>>;
}

type OptionalWithoutDefault = "alertTopicArn";
export type ResolvedPilotLightScaleOutArgs = Required<Omit<PilotLightScaleOutArgs, OptionalWithoutDefault>> & Pick<PilotLightScaleOutArgs, OptionalWithoutDefault>;

/** Every default of PilotLightScaleOutArgs, in one place. */
export function resolvePilotLightScaleOutDefaults(args: PilotLightScaleOutArgs): ResolvedPilotLightScaleOutArgs {
    return { ...args, failedMinutes: args.failedMinutes ?? 2, logRetentionDays: args.logRetentionDays ?? (args.environment === "prod" ? 365 : 30), tags: args.tags ?? {} };
}

export function validatePilotLightScaleOutArgs(args: PilotLightScaleOutArgs): string[] {
    const issues: string[] = [];
    if (args.services.length === 0) issues.push("services: empty; name the standby's ECS services to raise");
    args.services.forEach((s, i) => {
        if (!Number.isInteger(s.minCapacity) || s.minCapacity < 1) issues.push(`services[${i}].minCapacity: ${s.minCapacity} must be 1 or more (what the standby is raised to)`);
        if (s.maxCapacity < s.minCapacity) issues.push(`services[${i}].maxCapacity: ${s.maxCapacity} is below its minCapacity ${s.minCapacity}`);
    });
    const m = args.failedMinutes;
    if (m !== undefined && (!Number.isInteger(m) || m < 1 || m > 60)) issues.push(`failedMinutes: ${m} must be a whole number of minutes from 1 to 60`);
    if (!args.primaryProbe.path.startsWith("/")) issues.push(`primaryProbe.path: "${args.primaryProbe.path}" must start with '/'`);
    return issues;
}

/** The function (index.mjs). Invoked by its schedule, or by hand with `{}` (or `{"force": true}` to scale out now). */
export const SCALE_OUT_HANDLER_SOURCE = `// nonstop PilotLightScaleOut: raises a pilot-light standby to its floor when the primary is down.
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand, RegisterScalableTargetCommand } from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import http from "node:http";
import https from "node:https";

// Route 53 publishes health-check metrics in us-east-1 only: ask briefly, so that a lost us-east-1 does not hold the scale-out.
const metrics = new CloudWatchClient({ region: "us-east-1", maxAttempts: 2 });
const scaling = new ApplicationAutoScalingClient({});
const ecs = new ECSClient({});
const sns = new SNSClient({});
const log = (action, detail) => console.log(JSON.stringify({ action, standby: process.env.STANDBY_SITE, ...detail }));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function route53Verdict(env, minutes) {
    try {
        const end = new Date();
        const out = await metrics.send(
            new GetMetricDataCommand({
                StartTime: new Date(end.getTime() - (minutes + 3) * 60000),
                EndTime: end,
                ScanBy: "TimestampDescending",
                MetricDataQueries: [{ Id: "status", MetricStat: { Metric: { Namespace: "AWS/Route53", MetricName: "HealthCheckStatus", Dimensions: [{ Name: "HealthCheckId", Value: env.PRIMARY_HEALTH_CHECK_ID }] }, Period: 60, Stat: "Minimum" } }],
            }),
            { abortSignal: AbortSignal.timeout(5000) },
        );
        const values = (out.MetricDataResults?.[0]?.Values ?? []).slice(0, minutes);
        if (values.length < minutes) return { known: false, why: "too few datapoints", values };
        return { known: true, down: values.every((v) => v < 1), values };
    } catch (e) {
        return { known: false, why: String(e?.name ?? e) };
    }
}

function probeOnce(env) {
    const tls = env.PROBE_PROTOCOL === "HTTPS";
    const serverName = env.PROBE_SERVER_NAME || env.PROBE_HOST;
    return new Promise((resolve) => {
        const request = (tls ? https : http).get(
            { host: env.PROBE_HOST, port: Number(env.PROBE_PORT), path: env.PROBE_PATH, headers: { Host: serverName }, timeout: 5000, ...(tls ? { servername: serverName } : {}) },
            (res) => {
                res.resume();
                resolve(res.statusCode >= 200 && res.statusCode < 400);
            },
        );
        request.on("timeout", () => request.destroy(new Error("timeout")));
        request.on("error", () => resolve(false));
    });
}

/** Three probes 5 s apart from this region: down only if every one fails. */
async function probeVerdict(env) {
    const results = [];
    for (let i = 0; i < 3; i++) {
        if (i > 0) await sleep(Number(env.PROBE_SPACING_MS ?? 5000));
        results.push(await probeOnce(env));
    }
    return { known: true, down: results.every((ok) => !ok), results };
}

export const handler = async (event) => {
    const env = process.env;
    const minutes = Number(env.FAILED_MINUTES ?? 2);
    const targets = JSON.parse(env.TARGETS);
    let verdict = event?.force === true ? { known: true, down: true, source: "forced by hand" } : { ...(await route53Verdict(env, minutes)), source: "route53" };
    if (!verdict.known) verdict = { ...(await probeVerdict(env)), source: "probe from " + (env.AWS_REGION ?? "this region"), route53: verdict.why };
    if (!verdict.down) {
        log("none", { reason: "the primary is up", verdict });
        return { action: "none", reason: "primary-up", source: verdict.source };
    }

    const described = await scaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs", ResourceIds: targets.map((t) => t.resourceId), ScalableDimension: "ecs:service:DesiredCount" }));
    const current = new Map((described.ScalableTargets ?? []).map((t) => [t.ResourceId, t]));
    const raised = [];
    for (const t of targets) {
        const registered = current.get(t.resourceId);
        if (!registered || registered.MinCapacity < t.minCapacity) {
            await scaling.send(new RegisterScalableTargetCommand({ ServiceNamespace: "ecs", ScalableDimension: "ecs:service:DesiredCount", ResourceId: t.resourceId, MinCapacity: t.minCapacity, MaxCapacity: Math.max(t.maxCapacity, t.minCapacity) }));
        }
        const [, cluster, service] = t.resourceId.split("/");
        const svc = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0];
        if ((svc?.desiredCount ?? 0) < t.minCapacity) {
            await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: t.minCapacity }));
            raised.push({ service, from: svc?.desiredCount ?? 0, to: t.minCapacity });
        }
    }
    if (raised.length === 0) {
        log("none", { reason: "the standby runs at its floor already", verdict });
        return { action: "none", reason: "already-scaled", source: verdict.source };
    }
    log("scale-out", { raised, verdict });
    if (env.ALERT_TOPIC_ARN) {
        await sns.send(new PublishCommand({
            TopicArn: env.ALERT_TOPIC_ARN,
            Subject: ("nonstop: pilot light " + env.STANDBY_SITE + " scaled out").slice(0, 100),
            Message: env.PRIMARY_SITE + " is down (" + verdict.source + "); " + env.STANDBY_SITE + " raised: " + raised.map((r) => r.service + " " + r.from + " -> " + r.to).join(", ") + ". It stays scaled out until the failback runbook lowers it (docs/services.md).",
        }));
    }
    return { action: "scale-out", raised, source: verdict.source };
};
`;

export class PilotLightScaleOut extends pulumi.ComponentResource {
    public readonly functionArn: pulumi.Output<string>;
    public readonly functionName: pulumi.Output<string>;
    public readonly scheduleArn: pulumi.Output<string>;

    constructor(name: string, args: PilotLightScaleOutArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:failover:PilotLightScaleOut", name, {}, opts);
        const issues = validatePilotLightScaleOutArgs(args);
        if (issues.length > 0) throw new pulumi.ResourceError(`PilotLightScaleOut "${name}" has invalid args:\n  ${issues.join("\n  ")}`, this);
        const a = resolvePilotLightScaleOutDefaults(args);
        const tags = { ...a.tags, "nonstop:scale-out": `${a.standbySiteKey} when ${a.primarySiteKey} is down` };
        const targets = pulumi.jsonStringify(a.services.map((s) => ({ resourceId: s.scalableTargetResourceId, minCapacity: s.minCapacity, maxCapacity: s.maxCapacity })));
        const f = createScheduledFunction(this, name, {
            region: a.region,
            description: `Raises the pilot light ${a.standbySiteKey} to its floor when ${a.primarySiteKey} is down`,
            source: SCALE_OUT_HANDLER_SOURCE,
            environment: {
                STANDBY_SITE: a.standbySiteKey,
                PRIMARY_SITE: a.primarySiteKey,
                PRIMARY_HEALTH_CHECK_ID: a.primaryHealthCheckId,
                FAILED_MINUTES: String(a.failedMinutes),
                PROBE_HOST: a.primaryProbe.host,
                PROBE_PORT: String(a.primaryProbe.port),
                PROBE_PROTOCOL: a.primaryProbe.protocol,
                PROBE_PATH: a.primaryProbe.path,
                ...(a.primaryProbe.serverName ? { PROBE_SERVER_NAME: a.primaryProbe.serverName } : {}),
                TARGETS: targets,
                ...(a.alertTopicArn !== undefined ? { ALERT_TOPIC_ARN: a.alertTopicArn } : {}),
            },
            policyStatements: [
                // Reading metrics and describing targets take no resource-level permission.
                { Sid: "ReadThePrimarysHealth", Effect: "Allow", Action: "cloudwatch:GetMetricData", Resource: "*" },
                { Sid: "DescribeTheStandby", Effect: "Allow", Action: "application-autoscaling:DescribeScalableTargets", Resource: "*" },
                { Sid: "RaiseTheFloor", Effect: "Allow", Action: "application-autoscaling:RegisterScalableTarget", Resource: a.services.map((s) => s.scalableTargetArn) },
                { Sid: "StartTasks", Effect: "Allow", Action: ["ecs:DescribeServices", "ecs:UpdateService"], Resource: a.services.map((s) => s.serviceArn) },
                ...(a.alertTopicArn !== undefined ? [{ Sid: "TellPeople", Effect: "Allow", Action: "sns:Publish", Resource: a.alertTopicArn }] : []),
            ],
            timeoutSeconds: 60,
            logRetentionDays: a.logRetentionDays,
            alertTopicArn: a.alertTopicArn,
            errorAdvice: `The function that scales out the pilot light ${a.standbySiteKey} failed: if ${a.primarySiteKey} is down, raise the standby's ECS services by hand (docs/services.md, pilot light)`,
            tags,
        });
        this.functionArn = f.fn.arn;
        this.functionName = f.fn.name;
        this.scheduleArn = f.schedule.arn;
        this.registerOutputs({ functionArn: this.functionArn, scheduleArn: this.scheduleArn });
    }
}
