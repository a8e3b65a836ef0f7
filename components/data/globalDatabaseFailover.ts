// Promotes the secondary cluster of an Aurora Global Database when the writer DATABASE is lost,
// from outside the writer's region, and holds traffic away from the old writer afterwards.
//
//   EventBridge schedule, every minute, in the TARGET's region (the region that takes over)
//     └─ Lambda function (same region, in the target site's private subnets; the VPC peering
//        between the sites reaches the writer's private address):
//          1. probes the writer cluster's own endpoint with the engine's protocol (Postgres
//             SSLRequest, MySQL greeting) and records it (metric nonstop/GlobalDatabase
//             WriterReachable, in the target's region);
//          2. after `probeWindowMinutes` unanswered minutes in a row, asks the writer's region
//             about its cluster:
//               - that region's RDS API does not answer → the region is lost: FailoverGlobalCluster
//                 to the target, allowing data loss (the only case that may lose writes);
//               - it answers and the cluster is `available` → the path is broken, not the
//                 database: nothing is promoted (the WriterReachable alarm tells people);
//               - it answers and the cluster is failing over in its region → wait for it;
//               - it answers and the cluster is down → SwitchoverGlobalCluster (planned, no data
//                 loss); if Aurora refuses it, people decide on a failover with data loss;
//          3. after any promotion (its own or someone's), pins traffic away from the old writer's
//             site: inverts that site's Route 53 health check, as the drill does, retried every
//             minute until Route 53's API (us-east-1) answers, so that DNS never sends clients
//             back onto a database that missed writes; and reports every replication task that
//             followed the old writer (re-point or reload them, docs/services.md);
//          4. with `switchBack` (nonstop:failback.switchBack), runs the planned switchover home
//             once the old writer has rejoined and caught up.
//
// The app's own health (`/healthz`) plays no part: a bad release or a NAT fault never promotes a
// healthy database, and a database-only outage is seen although every app still answers. A game
// day (nonstop:drill) moves traffic only and never starts a promotion.
// `enabled: false` (the dev default) keeps the probe, the metric and its alarm but gives the
// function no permission to fail over or switch over: people run the commands in docs/services.md.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createScheduledFunction } from "../failover/scheduledFunction";
import { AWS_LOG_RETENTION_DAYS } from "../site/awsSite";
import { Environment } from "../site/site";

export interface GlobalDatabaseFailoverArgs {
    /** The Aurora Global Database (its GlobalClusterIdentifier): the writer site's `SiteDatabase.id`. */
    readonly globalClusterIdentifier: pulumi.Input<string>;
    /** Home region of the writer cluster, the region whose loss this component answers. */
    readonly writerRegion: string;
    /** Site key of the writer, e.g. "aws-us-east-1". */
    readonly writerSiteKey: string;
    /** The writer cluster's own (regional) endpoint, which the function probes. */
    readonly writerEndpoint: pulumi.Input<string>;
    readonly writerPort: number;
    readonly engine: "postgres" | "mysql";
    /** The writer's VPC range: the function's security group reaches the database port there only. */
    readonly writerVpcCidr: string;
    /**
     * ARN of the writer cluster, whose status the function asks the writer's region for.
     * @default - the global database's member cluster in `writerRegion`, found when the function runs
     */
    readonly writerClusterArn?: pulumi.Input<string>;
    /** Region of the secondary cluster to promote; the function runs there. */
    readonly targetRegion: string;
    /**
     * ARN of the secondary cluster to promote.
     * @default - the global database's member cluster in `targetRegion`, found when the function runs
     */
    readonly targetClusterArn?: pulumi.Input<string>;
    /** The target site's network: the function runs in its private subnets (which reach the writer over the peering). */
    readonly network: { readonly vpcId: pulumi.Input<string>; readonly subnetIds: readonly pulumi.Input<string>[] };
    /**
     * The Route 53 health check of the writer site's record: inverted after a data failover, so
     * traffic stays on the new writer's site until the failback. @default none: no pin (traffic
     * returns to the old writer's site as soon as its app answers)
     */
    readonly homeHealthCheckId?: pulumi.Input<string>;
    /** Replication tasks (AWS DMS) that follow the writer: reported after a promotion. @default none */
    readonly followerTaskArns?: readonly pulumi.Input<string>[];
    readonly environment: Environment;
    /**
     * Arm the automation: let the function fail over and switch over. Off, it still probes,
     * records and pins, and people run the commands. @default true in prod, false in dev
     */
    readonly enabled?: boolean;
    /**
     * Minutes in a row the writer must not answer before the function judges it lost (Aurora's own
     * in-region failover takes about a minute and must not be mistaken for a loss). @default 3
     */
    readonly probeWindowMinutes?: number;
    /** Run the planned switchover back home once the old writer has caught up (the failback). @default false */
    readonly switchBack?: boolean;
    /** SNS topic in `targetRegion` told about promotions, pins and errors. @default none */
    readonly alertTopicArn?: pulumi.Input<string>;
    /** Retention of the function's log group, in days (a CloudWatch Logs value). @default 365 in prod, 30 in dev */
    readonly logRetentionDays?: number;
    /** @default {} */
    readonly tags?: Readonly<Record<string, string>>;
}

type OptionalWithoutDefault = "writerClusterArn" | "targetClusterArn" | "homeHealthCheckId" | "alertTopicArn";
export type ResolvedGlobalDatabaseFailoverArgs = Required<Omit<GlobalDatabaseFailoverArgs, OptionalWithoutDefault>> & Pick<GlobalDatabaseFailoverArgs, OptionalWithoutDefault>;

/** Every default of GlobalDatabaseFailoverArgs, in one place. */
export function resolveGlobalDatabaseFailoverDefaults(args: GlobalDatabaseFailoverArgs): ResolvedGlobalDatabaseFailoverArgs {
    const prod = args.environment === "prod";
    return {
        ...args,
        followerTaskArns: args.followerTaskArns ?? [],
        enabled: args.enabled ?? prod,
        probeWindowMinutes: args.probeWindowMinutes ?? 3,
        switchBack: args.switchBack ?? false,
        logRetentionDays: args.logRetentionDays ?? (prod ? 365 : 30),
        tags: args.tags ?? {},
    };
}

/** The metric the function records every minute (in the target's region). */
export const WRITER_PROBE_METRIC = { namespace: "nonstop/GlobalDatabase", name: "WriterReachable" } as const;

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
        errors.push(`targetRegion: ${show(args.targetRegion)} is the writer's own region; the promotion must be started from the region that takes over (a global database has one cluster per region)`);
    }
    if (!args.writerSiteKey) errors.push(`writerSiteKey: ${show(args.writerSiteKey)} is empty; give the writer's site key, e.g. "aws-us-east-1"`);
    if (args.environment !== "dev" && args.environment !== "prod") errors.push(`environment: ${show(args.environment)} is not "dev" or "prod"`);
    if (!Number.isInteger(args.writerPort) || args.writerPort < 1 || args.writerPort > 65535) errors.push(`writerPort: ${show(args.writerPort)} is not a TCP port`);
    if (args.engine !== "postgres" && args.engine !== "mysql") errors.push(`engine: ${show(args.engine)} is not "postgres" or "mysql" (the probe speaks the engine's protocol)`);
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(args.writerVpcCidr ?? "")) errors.push(`writerVpcCidr: ${show(args.writerVpcCidr)} is not a CIDR such as 10.0.0.0/16`);
    if (args.network.subnetIds.length < 2) errors.push(`network.subnetIds: ${args.network.subnetIds.length} subnet(s); run the function in the target site's private subnets of at least 2 zones`);
    const minutes = args.probeWindowMinutes;
    if (minutes !== undefined) {
        if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
            errors.push(`probeWindowMinutes: ${show(minutes)} is not a whole number of minutes from 1 to 60; use 3 (the default) or more`);
        } else if (minutes < 3) {
            warnings.push(
                `probeWindowMinutes: ${minutes} may judge the writer lost while Aurora is still failing over inside its own region (about a minute), and promote with data loss; use 3 or more (3 is the default)`,
            );
        }
    }
    for (const [key, arn, region] of [
        ["targetClusterArn", args.targetClusterArn, args.targetRegion],
        ["writerClusterArn", args.writerClusterArn, args.writerRegion],
    ] as const) {
        if (typeof arn !== "string") continue;
        const m = CLUSTER_ARN.exec(arn);
        if (!m) errors.push(`${key}: ${show(arn)} is not an RDS cluster ARN (arn:aws:rds:<region>:<account>:cluster:<id>)`);
        else if (m[1] !== region) errors.push(`${key}: ${show(arn)} is in ${m[1]}, not in ${show(region)}; give the cluster of that region`);
    }
    if (args.logRetentionDays !== undefined && !(AWS_LOG_RETENTION_DAYS as readonly number[]).includes(args.logRetentionDays)) {
        errors.push(`logRetentionDays: ${show(args.logRetentionDays)} is not a CloudWatch Logs retention; use one of ${AWS_LOG_RETENTION_DAYS.join(", ")}`);
    }
    if (args.environment === "prod" && args.enabled === false) {
        warnings.push(`enabled: false in prod leaves the secondary in ${args.targetRegion} read-only when ${args.writerSiteKey}'s database is lost, until someone runs the manual failover (docs/services.md)`);
    }
    if (args.homeHealthCheckId === undefined) {
        warnings.push(`homeHealthCheckId: not given, so after a data failover DNS sends clients back to ${args.writerSiteKey} as soon as its app answers, onto a database that missed writes; give the health check of its record`);
    }
    return { errors, warnings };
}

/**
 * The function (index.mjs, AWS SDK v3 from the Lambda runtime). Invoked every minute by its
 * schedule, or by hand with `{}`. Idempotent: every run starts from what DescribeGlobalClusters says.
 */
export const FAILOVER_HANDLER_SOURCE = `// nonstop GlobalDatabaseFailover: promotes this region's Aurora global secondary when the writer database is lost.
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DatabaseMigrationServiceClient, DescribeReplicationTasksCommand } from "@aws-sdk/client-database-migration-service";
import { DescribeDBClustersCommand, DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, RDSClient, SwitchoverGlobalClusterCommand } from "@aws-sdk/client-rds";
import { GetHealthCheckCommand, Route53Client, UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import net from "node:net";

const env = process.env;
const rds = new RDSClient({});
// The writer's own region, asked once and briefly: no answer there is what "region lost" means.
const writerRds = new RDSClient({ region: env.WRITER_REGION, maxAttempts: 1 });
const cloudwatch = new CloudWatchClient({});
// Route 53's API lives in us-east-1; the pin is retried every minute until it answers.
const route53 = new Route53Client({ region: "us-east-1", maxAttempts: 2 });
const sns = new SNSClient({});
const BUSY = ["pending", "failing-over", "switching-over", "cancelling"];
// The writer's region is recovering by itself: wait rather than move it.
const RECOVERING = ["failing-over", "rebooting", "modifying", "upgrading", "maintenance", "backing-up", "resetting-master-credentials", "renaming"];
const METRIC = { Namespace: "${WRITER_PROBE_METRIC.namespace}", MetricName: "${WRITER_PROBE_METRIC.name}" };

const regionOf = (arn) => String(arn ?? "").split(":")[3];
const log = (action, detail) => console.log(JSON.stringify({ action, globalCluster: env.GLOBAL_CLUSTER_ID, ...detail }));
const dimensions = () => [{ Name: "GlobalClusterId", Value: env.GLOBAL_CLUSTER_ID }];

async function tell(subject, message) {
    if (!env.ALERT_TOPIC_ARN) return;
    await sns.send(new PublishCommand({ TopicArn: env.ALERT_TOPIC_ARN, Subject: ("nonstop: " + subject).slice(0, 100), Message: message }));
}

/** Does the writer's database answer? The engine's own first exchange, not just a TCP accept. */
export function probeWriter(host, port, engine, timeoutMs = 3000) {
    return new Promise((resolve) => {
        let settled = false;
        const done = (ok) => {
            if (settled) return;
            settled = true;
            socket.destroy();
            resolve(ok);
        };
        const socket = net.connect({ host, port });
        socket.setTimeout(timeoutMs, () => done(false));
        socket.on("error", () => done(false));
        socket.on("close", () => done(false));
        socket.on("connect", () => {
            // Postgres answers an SSLRequest with one byte, S or N; MySQL greets first.
            if (engine === "postgres") socket.write(Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]));
        });
        socket.on("data", (data) => done(engine === "postgres" ? data[0] === 83 || data[0] === 78 : data.length > 4));
    });
}

async function record(reachable) {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: METRIC.Namespace, MetricData: [{ MetricName: METRIC.MetricName, Dimensions: dimensions(), Value: reachable ? 1 : 0, Unit: "Count" }] }));
}

/** The previous minutes' probes, newest first (this run's is not readable yet). */
async function previousProbes(minutes) {
    if (minutes <= 0) return [];
    const end = new Date(Date.now() - 30000);
    const out = await cloudwatch.send(
        new GetMetricDataCommand({
            StartTime: new Date(end.getTime() - (minutes + 1) * 60000),
            EndTime: end,
            ScanBy: "TimestampDescending",
            MetricDataQueries: [{ Id: "probe", MetricStat: { Metric: { ...METRIC, Dimensions: dimensions() }, Period: 60, Stat: "Maximum" } }],
        }),
    );
    return (out.MetricDataResults?.[0]?.Values ?? []).slice(0, minutes);
}

/** Does the writer's region answer for its cluster? No answer (or a 5xx) = the region is lost. */
async function writerRegion(writerArn) {
    try {
        const out = await writerRds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: writerArn }), { abortSignal: AbortSignal.timeout(5000) });
        const c = out.DBClusters?.[0];
        return { lost: false, status: c?.Status ?? "unknown" };
    } catch (e) {
        const code = e?.$metadata?.httpStatusCode;
        return { lost: code === undefined || code >= 500, error: String(e?.name ?? e), httpStatus: code };
    }
}

/** Holds traffic away from the old writer's site: its health check inverted, as the drill does. */
async function pinHome() {
    if (!env.HOME_HEALTH_CHECK_ID) return { pinned: false, why: "no health check to pin" };
    try {
        const hc = (await route53.send(new GetHealthCheckCommand({ HealthCheckId: env.HOME_HEALTH_CHECK_ID }), { abortSignal: AbortSignal.timeout(5000) })).HealthCheck;
        if (hc?.HealthCheckConfig?.Inverted) return { pinned: true, already: true };
        await route53.send(new UpdateHealthCheckCommand({ HealthCheckId: env.HOME_HEALTH_CHECK_ID, HealthCheckVersion: hc?.HealthCheckVersion, Inverted: true }));
        log("pinned", { site: env.HOME_SITE, healthCheck: env.HOME_HEALTH_CHECK_ID });
        await tell(
            "traffic pinned away from " + env.HOME_SITE,
            "After the data failover of " + env.GLOBAL_CLUSTER_ID + ", the health check of " + env.HOME_SITE + " is inverted so that DNS does not send clients back onto a database that missed writes. " +
                "Before any pulumi up, set nonstop:failback.service so the program keeps the pin; fail back with the runbook in docs/services.md.",
        );
        return { pinned: true, already: false };
    } catch (e) {
        return { pinned: false, error: String(e?.name ?? e) };
    }
}

async function followers() {
    const arns = JSON.parse(env.REPLICATION_TASK_ARNS ?? "[]");
    const out = [];
    for (const arn of arns) {
        try {
            const dms = new DatabaseMigrationServiceClient({ region: regionOf(arn), maxAttempts: 1 });
            const task = (await dms.send(new DescribeReplicationTasksCommand({ Filters: [{ Name: "replication-task-arn", Values: [arn] }] }), { abortSignal: AbortSignal.timeout(5000) })).ReplicationTasks?.[0];
            out.push(arn + ": " + (task?.Status ?? "not found"));
        } catch (e) {
            out.push(arn + ": unreachable (" + String(e?.name ?? e) + ")");
        }
    }
    return out;
}

async function promoted(kind, from, target) {
    const pin = await pinHome();
    const tasks = await followers();
    log(kind, { from, target, pin, followers: tasks });
    await tell(
        kind + " of " + env.GLOBAL_CLUSTER_ID + " to " + env.TARGET_REGION,
        kind + " of " + env.GLOBAL_CLUSTER_ID + " from " + from + " to " + target + " started. Apps write through the global writer endpoint and follow it. " +
            (tasks.length ? "Replication that followed the old writer: " + tasks.join("; ") + ": reload or re-create it (docs/services.md). " : "") +
            (pin.pinned ? "Traffic is pinned away from " + env.HOME_SITE + "." : "Pin of " + env.HOME_SITE + " not applied yet (" + (pin.error ?? pin.why) + "); retried every minute."),
    );
}

export const handler = async () => {
    const armed = env.ARMED === "true";
    const described = await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: env.GLOBAL_CLUSTER_ID }));
    const cluster = described.GlobalClusters?.[0];
    if (!cluster) throw new Error("global cluster " + env.GLOBAL_CLUSTER_ID + " not found");
    const members = cluster.GlobalClusterMembers ?? [];
    const writer = members.find((m) => m.IsWriter)?.DBClusterArn;
    const target = env.TARGET_CLUSTER_ARN || members.find((m) => regionOf(m.DBClusterArn) === env.TARGET_REGION)?.DBClusterArn;
    const home = env.WRITER_CLUSTER_ARN || members.find((m) => regionOf(m.DBClusterArn) === env.WRITER_REGION)?.DBClusterArn;
    const busy = BUSY.includes(cluster.FailoverState?.Status);

    // After a data failover (by this function or by people): pin, and run the failback if asked to.
    if (writer && regionOf(writer) !== env.WRITER_REGION) {
        const pin = await pinHome();
        if (env.SWITCH_BACK === "true" && armed && !busy && home && members.some((m) => m.DBClusterArn === home && !m.IsWriter)) {
            try {
                await rds.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: env.GLOBAL_CLUSTER_ID, TargetDbClusterIdentifier: home }));
                log("switchback", { from: writer, to: home });
                await tell("failback of " + env.GLOBAL_CLUSTER_ID + " started", "Planned switchover from " + writer + " back to " + home + " (no data loss). When it is done, remove nonstop:failback and pulumi up to release the pin of " + env.HOME_SITE + ".");
                return { action: "switchback", target: home };
            } catch (e) {
                log("none", { reason: "switchover home refused, retried next minute", error: String(e?.name ?? e) });
                return { action: "none", reason: "switchback-refused", error: String(e?.name ?? e) };
            }
        }
        log("none", { reason: "failed over: the writer is " + writer, pin });
        return { action: "none", reason: "failed-over", pin };
    }
    if (busy) {
        log("none", { reason: "a failover or switchover is " + cluster.FailoverState.Status });
        return { action: "none", reason: "under-way" };
    }

    const reachable = await probeWriter(env.WRITER_ENDPOINT, Number(env.WRITER_PORT), env.ENGINE);
    await record(reachable);
    if (reachable) return { action: "none", reason: "writer-up" };
    const window = Number(env.PROBE_WINDOW ?? 3);
    const previous = await previousProbes(window - 1);
    const upAt = previous.findIndex((v) => v >= 1);
    // Minutes in a row without an answer, this one included (a missing minute breaks the run).
    const failed = 1 + (upAt === -1 ? previous.length : upAt);
    if (failed < window) {
        log("none", { reason: "the writer does not answer, " + failed + " of " + window + " minutes", writer: env.WRITER_ENDPOINT });
        return { action: "none", reason: "probe-failing", failed };
    }

    if (!target) throw new Error("no member cluster of " + env.GLOBAL_CLUSTER_ID + " in " + env.TARGET_REGION + " (members: " + (members.map((m) => m.DBClusterArn).join(", ") || "none") + ")");
    const writerArn = home ?? writer;
    if (!writerArn) throw new Error("no member cluster of " + env.GLOBAL_CLUSTER_ID + " in " + env.WRITER_REGION + " to ask about");
    const region = await writerRegion(writerArn);
    if (region.lost) {
        if (!armed) {
            log("none", { reason: "the writer's region is lost but the automation is disarmed: run the manual failover", region });
            return { action: "none", reason: "disarmed", region };
        }
        log("failover", { from: writer, target, allowDataLoss: true, region });
        await rds.send(new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: env.GLOBAL_CLUSTER_ID, TargetDbClusterIdentifier: target, AllowDataLoss: true }));
        await promoted("failover (allowing data loss: " + env.WRITER_REGION + " does not answer)", writer, target);
        return { action: "failover", target };
    }
    if (region.error) {
        log("none", { reason: "the writer's region answered with an error, not about the database: nothing is moved", region });
        return { action: "none", reason: "region-unclear", region };
    }
    if (region.status === "available") {
        log("none", { reason: "the writer's region reports its cluster available: the path from " + env.TARGET_REGION + " is broken, not the database", region });
        return { action: "none", reason: "path-broken", region };
    }
    if (RECOVERING.includes(region.status)) {
        log("none", { reason: "the writer's cluster is " + region.status + " in its own region", region });
        return { action: "none", reason: "recovering-in-region", region };
    }
    if (!armed) {
        log("none", { reason: "the writer database is down in a live region but the automation is disarmed", region });
        return { action: "none", reason: "disarmed", region };
    }
    // The writer's region answers: keep every committed write (a planned switchover), never allow data loss.
    try {
        await rds.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: env.GLOBAL_CLUSTER_ID, TargetDbClusterIdentifier: target }));
    } catch (e) {
        log("none", { reason: "switchover refused while the writer's region answers; a failover with data loss is for people to decide", error: String(e?.name ?? e), region });
        await tell(
            "writer database of " + env.GLOBAL_CLUSTER_ID + " down, switchover refused",
            "The writer in " + env.WRITER_REGION + " has not answered for " + window + " minutes while its region reports it " + region.status + "; the planned switchover was refused (" + String(e?.message ?? e) + "). " +
                "Only people may allow data loss: docs/services.md, manual failover.",
        );
        return { action: "none", reason: "switchover-refused", region };
    }
    await promoted("switchover (no data loss)", writer, target);
    return { action: "switchover", target };
};
`;

/** The manual failover (the runbook when the automation is off or refused): run it from the target's region. */
export function manualFailoverCommand(globalClusterIdentifier: string, targetRegion: string, targetClusterArn = `<ARN of its cluster in ${targetRegion}>`): string {
    return `aws rds failover-global-cluster --region ${targetRegion} --global-cluster-identifier ${globalClusterIdentifier} --target-db-cluster-identifier ${targetClusterArn} --allow-data-loss`;
}

/** The planned switchover (no data loss): to promote while the writer's region works, and to fail back. */
export function switchoverCommand(globalClusterIdentifier: string, region: string, targetClusterArn = `<ARN of its cluster in ${region}>`): string {
    return `aws rds switchover-global-cluster --region ${region} --global-cluster-identifier ${globalClusterIdentifier} --target-db-cluster-identifier ${targetClusterArn}`;
}

export class GlobalDatabaseFailover extends pulumi.ComponentResource {
    /** Whether the function may fail over and switch over (enabled). */
    public readonly armed: boolean;
    public readonly functionArn: pulumi.Output<string>;
    public readonly functionName: pulumi.Output<string>;
    public readonly scheduleArn: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    /** Alarm (target region) on the writer not answering the function's probe. */
    public readonly writerAlarmArn: pulumi.Output<string>;

    constructor(name: string, args: GlobalDatabaseFailoverArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:data:GlobalDatabaseFailover", name, {}, opts);
        const { errors, warnings } = validateGlobalDatabaseFailoverArgs(args);
        if (errors.length > 0) throw new pulumi.ResourceError(`GlobalDatabaseFailover "${name}" has invalid args:\n  ${errors.join("\n  ")}`, this);
        for (const w of warnings) pulumi.log.warn(w, this);
        const a = resolveGlobalDatabaseFailoverDefaults(args);
        const targetKey = `aws-${a.targetRegion}`;
        const tags = { ...a.tags, "nonstop:failover": `${a.writerSiteKey} to ${targetKey}` };
        const opt = { parent: this };

        const partition = aws.getPartitionOutput({}, opt).partition;
        const account = aws.getCallerIdentityOutput({}, opt).accountId;
        const globalClusterArn = pulumi.interpolate`arn:${partition}:rds::${account}:global-cluster:${a.globalClusterIdentifier}`;
        const clusterIn = (region: string) => pulumi.interpolate`arn:${partition}:rds:${region}:${account}:cluster:*`;
        const writerCluster = a.writerClusterArn ?? clusterIn(a.writerRegion);
        const targetCluster = a.targetClusterArn ?? clusterIn(a.targetRegion);

        // The function reaches the writer's database port over the peering, and the AWS APIs through NAT.
        const securityGroup = new aws.ec2.SecurityGroup(`${name}-probe`, {
            region: a.targetRegion,
            vpcId: a.network.vpcId,
            description: `${name}: probes the writer database in ${a.writerRegion}, calls AWS APIs`,
            tags,
        }, opt);
        new aws.vpc.SecurityGroupEgressRule(`${name}-probe-writer`, {
            region: a.targetRegion,
            securityGroupId: securityGroup.id,
            description: `the writer database in ${a.writerRegion} over the peering`,
            ipProtocol: "tcp",
            fromPort: a.writerPort,
            toPort: a.writerPort,
            cidrIpv4: a.writerVpcCidr,
            tags,
        }, opt);
        new aws.vpc.SecurityGroupEgressRule(`${name}-probe-apis`, {
            region: a.targetRegion,
            securityGroupId: securityGroup.id,
            description: "AWS APIs (RDS, CloudWatch, Route 53, SNS, DMS) over HTTPS",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: "0.0.0.0/0",
            tags,
        }, opt);

        const promote = a.enabled
            ? [
                  // Both are authorized against the global cluster and the member clusters they move the writer between.
                  { Sid: "PromoteTheTarget", Effect: "Allow", Action: ["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"], Resource: [globalClusterArn, writerCluster, targetCluster] },
              ]
            : [];
        const f = createScheduledFunction(this, name, {
            region: a.targetRegion,
            description: `Probes the writer database of ${a.writerSiteKey} from ${a.targetRegion} and promotes the Aurora global secondary there when the writer's region is lost`,
            source: FAILOVER_HANDLER_SOURCE,
            environment: {
                GLOBAL_CLUSTER_ID: a.globalClusterIdentifier,
                WRITER_REGION: a.writerRegion,
                WRITER_ENDPOINT: a.writerEndpoint,
                WRITER_PORT: String(a.writerPort),
                ENGINE: a.engine,
                TARGET_REGION: a.targetRegion,
                PROBE_WINDOW: String(a.probeWindowMinutes),
                ARMED: String(a.enabled),
                SWITCH_BACK: String(a.switchBack),
                HOME_SITE: a.writerSiteKey,
                REPLICATION_TASK_ARNS: pulumi.jsonStringify(a.followerTaskArns),
                ...(a.writerClusterArn !== undefined ? { WRITER_CLUSTER_ARN: a.writerClusterArn } : {}),
                ...(a.targetClusterArn !== undefined ? { TARGET_CLUSTER_ARN: a.targetClusterArn } : {}),
                ...(a.homeHealthCheckId !== undefined ? { HOME_HEALTH_CHECK_ID: a.homeHealthCheckId } : {}),
                ...(a.alertTopicArn !== undefined ? { ALERT_TOPIC_ARN: a.alertTopicArn } : {}),
            },
            policyStatements: [
                { Sid: "DescribeTheGlobalDatabase", Effect: "Allow", Action: "rds:DescribeGlobalClusters", Resource: globalClusterArn },
                { Sid: "AskTheWritersRegion", Effect: "Allow", Action: "rds:DescribeDBClusters", Resource: writerCluster },
                ...promote,
                // PutMetricData and GetMetricData take no resource; the namespace condition confines the writes.
                { Sid: "RecordTheProbe", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": WRITER_PROBE_METRIC.namespace } } },
                { Sid: "ReadThePreviousProbes", Effect: "Allow", Action: "cloudwatch:GetMetricData", Resource: "*" },
                ...(a.homeHealthCheckId !== undefined
                    ? [{ Sid: "PinTrafficAwayFromTheOldWriter", Effect: "Allow", Action: ["route53:GetHealthCheck", "route53:UpdateHealthCheck"], Resource: pulumi.interpolate`arn:${partition}:route53:::healthcheck/${a.homeHealthCheckId}` }]
                    : []),
                ...(a.followerTaskArns.length > 0 ? [{ Sid: "ReportTheFollowers", Effect: "Allow", Action: "dms:DescribeReplicationTasks", Resource: "*" }] : []),
                ...(a.alertTopicArn !== undefined ? [{ Sid: "TellPeople", Effect: "Allow", Action: "sns:Publish", Resource: a.alertTopicArn }] : []),
            ],
            // Probe (3 s), the writer region's API (5 s), Route 53 (10 s), DMS per task (5 s), SNS.
            timeoutSeconds: 50,
            logRetentionDays: a.logRetentionDays,
            vpc: { subnetIds: a.network.subnetIds, securityGroupIds: [securityGroup.id] },
            alertTopicArn: a.alertTopicArn,
            errorAdvice: pulumi.all([a.globalClusterIdentifier, a.targetClusterArn]).apply(
                ([id, target]) => `The function that promotes the Aurora global secondary in ${a.targetRegion} failed. If ${a.writerSiteKey}'s database is lost, run: ${manualFailoverCommand(id, a.targetRegion, target)}`,
            ),
            tags,
        });

        const writerAlarm = new aws.cloudwatch.MetricAlarm(`${name}-writer-unreachable`, {
            region: a.targetRegion,
            alarmDescription: pulumi.all([a.globalClusterIdentifier, a.targetClusterArn]).apply(
                ([id, target]) =>
                    `The writer database of ${a.writerSiteKey} does not answer from ${a.targetRegion}. ` +
                    (a.enabled ? `The automation promotes ${targetKey} if ${a.writerRegion} is lost (switchover if only the database is). ` : `Automated promotion is OFF: `) +
                    `By hand, planned: ${switchoverCommand(id, a.targetRegion, target)}; region lost: ${manualFailoverCommand(id, a.targetRegion, target)}`,
            ),
            namespace: WRITER_PROBE_METRIC.namespace,
            metricName: WRITER_PROBE_METRIC.name,
            dimensions: { GlobalClusterId: a.globalClusterIdentifier },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
            threshold: 1,
            comparisonOperator: "LessThanThreshold",
            // The function stops probing once the writer has moved: no data is no news.
            treatMissingData: "notBreaching",
            alarmActions: a.alertTopicArn !== undefined ? [a.alertTopicArn] : [],
            okActions: a.alertTopicArn !== undefined ? [a.alertTopicArn] : [],
            tags,
        }, opt);

        this.armed = a.enabled;
        this.functionArn = f.fn.arn;
        this.functionName = f.fn.name;
        this.scheduleArn = f.schedule.arn;
        this.logGroupName = f.logGroup.name;
        this.writerAlarmArn = writerAlarm.arn;
        this.registerOutputs({ armed: this.armed, functionArn: this.functionArn, scheduleArn: this.scheduleArn, logGroupName: this.logGroupName, writerAlarmArn: this.writerAlarmArn });
    }
}
