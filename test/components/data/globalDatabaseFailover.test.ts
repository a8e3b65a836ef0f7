import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import {
    FAILOVER_HANDLER_SOURCE,
    failoverArmed,
    GlobalDatabaseFailover,
    GlobalDatabaseFailoverArgs,
    manualFailoverCommand,
    resolveGlobalDatabaseFailoverDefaults,
    validateGlobalDatabaseFailoverArgs,
} from "../../../components/data/globalDatabaseFailover";
import { MockRun, RecordedResource, runUnderMocks } from "../../harness";

const T = {
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    permission: "aws:lambda/permission:Permission",
    function: "aws:lambda/function:Function",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
};

const GLOBAL_ID = "checkout-aws-us-east-1-prod";
const ALERTS = "arn:aws:sns:us-west-2:123456789012:checkout-aws-us-west-2-alerts";
const TARGET_ARN = "arn:aws:rds:us-west-2:123456789012:cluster:checkout-aws-us-west-2-db-1a2b3c4";

function args(overrides: Partial<GlobalDatabaseFailoverArgs> = {}): GlobalDatabaseFailoverArgs {
    return {
        globalClusterIdentifier: GLOBAL_ID,
        writerRegion: "us-east-1",
        writerSiteKey: "aws-us-east-1",
        writerHealthCheckId: "checkout-dns-aws-us-east-1-id",
        targetRegion: "us-west-2",
        environment: "prod",
        alertTopicArn: ALERTS,
        ...overrides,
    };
}

interface Built {
    r: MockRun;
    component: GlobalDatabaseFailover;
    warnings: string[];
}

type Warn = (message: string, resource?: pulumi.Resource) => void;

async function build(overrides: Partial<GlobalDatabaseFailoverArgs> = {}): Promise<Built> {
    const log = pulumi.log as { warn: Warn };
    const original = log.warn;
    const warnings: string[] = [];
    log.warn = (message) => warnings.push(message);
    let component: GlobalDatabaseFailover | undefined;
    try {
        const r = await runUnderMocks(() => {
            component = new GlobalDatabaseFailover("checkout-db-failover", args(overrides));
        });
        return { r, component: component!, warnings };
    } finally {
        log.warn = original;
    }
}

const trigger = (r: MockRun): RecordedResource => r.one(T.alarm, "writer-down");
const policyDocument = (r: MockRun) => JSON.parse(r.one(T.rolePolicy).inputs.policy as string) as { Statement: { Sid: string; Action: string; Resource: string | string[] }[] };

describe("GlobalDatabaseFailover", () => {
    describe("armed (prod)", () => {
        let b: Built;
        before(async () => {
            b = await build();
        });

        it("alarms in us-east-1 when the writer's Route 53 health check has failed for 2 minutes in a row", () => {
            const alarm = trigger(b.r).inputs;
            expect(alarm).to.include({
                region: "us-east-1",
                namespace: "AWS/Route53",
                metricName: "HealthCheckStatus",
                statistic: "Minimum",
                period: 60,
                evaluationPeriods: 2,
                datapointsToAlarm: 2,
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
                treatMissingData: "notBreaching",
            });
            expect(alarm.dimensions).to.deep.equal({ HealthCheckId: "checkout-dns-aws-us-east-1-id" });
        });

        it("sends the alarm to an SNS topic in us-east-1 that invokes the function, which only that topic may invoke", () => {
            const topic = b.r.one(T.topic);
            const topicArn = `arn:aws:sns:us-east-1:123456789012:${topic.name}`;
            expect(topic.inputs.region).to.equal("us-east-1");
            expect(trigger(b.r).inputs.alarmActions).to.deep.equal([topicArn]);
            const fn = b.r.one(T.function);
            const subscription = b.r.one(T.subscription).inputs;
            expect([subscription.region, subscription.topic, subscription.protocol, subscription.endpoint]).to.deep.equal(["us-east-1", topicArn, "lambda", `arn:aws:lambda:us-east-1:123456789012:${fn.name}`]);
            const permission = b.r.one(T.permission).inputs;
            expect(permission).to.include({ region: "us-west-2", action: "lambda:InvokeFunction", function: fn.name, principal: "sns.amazonaws.com", sourceArn: topicArn });
            expect(b.r.one(T.subscription).dependencies).to.include(b.r.one(T.permission).urn);
        });

        it("runs the function in the secondary's region, on nodejs24.x, with the global cluster, both regions and the writer's check in its environment", () => {
            const fn = b.r.one(T.function).inputs;
            expect(fn).to.include({ region: "us-west-2", runtime: "nodejs24.x", handler: "index.handler", role: `arn:aws:iam:us-east-1:123456789012:${b.r.one(T.role).name}` });
            expect((fn.environment as { variables: Record<string, string> }).variables).to.deep.equal({
                GLOBAL_CLUSTER_ID: GLOBAL_ID,
                WRITER_REGION: "us-east-1",
                WRITER_HEALTH_CHECK_ID: "checkout-dns-aws-us-east-1-id",
                TARGET_REGION: "us-west-2",
            });
            expect(b.component.armed).to.equal(true);
        });

        it("lets the function assume its role with basic execution and an inline policy on this global database only", () => {
            const role = b.r.one(T.role).inputs;
            expect(JSON.parse(role.assumeRolePolicy as string).Statement).to.deep.equal([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]);
            expect(b.r.one(T.attachment).inputs.policyArn).to.equal("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
            const globalArn = `arn:aws:rds::123456789012:global-cluster:${GLOBAL_ID}`;
            const statements = policyDocument(b.r).Statement.map((s) => [s.Action, s.Resource]);
            expect(statements).to.deep.equal([
                ["rds:DescribeGlobalClusters", globalArn],
                ["rds:FailoverGlobalCluster", [globalArn, "arn:aws:rds:us-east-1:123456789012:cluster:*", "arn:aws:rds:us-west-2:123456789012:cluster:*"]],
                ["route53:GetHealthCheckStatus", "arn:aws:route53:::healthcheck/checkout-dns-aws-us-east-1-id"],
            ]);
            expect(b.r.one(T.function).dependencies).to.include.members([b.r.one(T.attachment).urn, b.r.one(T.rolePolicy).urn]);
        });

        it("logs to a log group with a retention in the secondary's region", () => {
            const group = b.r.one(T.logGroup);
            expect(group.inputs).to.include({ region: "us-west-2", retentionInDays: 365 });
            expect(b.r.one(T.function).inputs.loggingConfig).to.deep.equal({ logFormat: "Text", logGroup: group.name });
        });

        it("alarms on the function's errors to the service's alert topic in the secondary's region", () => {
            const alarm = b.r.one(T.alarm, "errors").inputs;
            expect(alarm).to.include({ region: "us-west-2", namespace: "AWS/Lambda", metricName: "Errors", statistic: "Sum", threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold" });
            expect(alarm.dimensions).to.deep.equal({ FunctionName: b.r.one(T.function).name });
            expect(alarm.alarmActions).to.deep.equal([ALERTS]);
        });
    });

    it("waits failoverAfterMinutes consecutive failing minutes when given", async () => {
        const { r } = await build({ failoverAfterMinutes: 5 });
        expect([trigger(r).inputs.evaluationPeriods, trigger(r).inputs.datapointsToAlarm]).to.deep.equal([5, 5]);
    });

    it("promotes the given target cluster and allows failover on it alone", async () => {
        const { r } = await build({ targetClusterArn: TARGET_ARN });
        expect((r.one(T.function).inputs.environment as { variables: Record<string, string> }).variables.TARGET_CLUSTER_ARN).to.equal(TARGET_ARN);
        const failover = policyDocument(r).Statement.find((s) => s.Action === "rds:FailoverGlobalCluster")!;
        expect(failover.Resource).to.deep.equal([`arn:aws:rds::123456789012:global-cluster:${GLOBAL_ID}`, TARGET_ARN]);
    });

    it("when disabled, still builds everything but the alarm calls nothing and names the manual failover", async () => {
        const { r, component } = await build({ enabled: false });
        const alarm = trigger(r).inputs;
        expect(alarm.alarmActions).to.deep.equal([]);
        expect(alarm.alarmDescription).to.contain("enabled: false").and.to.contain(`aws rds failover-global-cluster --region us-west-2 --global-cluster-identifier ${GLOBAL_ID}`);
        expect(r.ofType(T.function)).to.have.length(1);
        expect(r.ofType(T.subscription)).to.have.length(1);
        expect(component.armed).to.equal(false);
    });

    it("is off by default in dev, with a 30-day log retention", async () => {
        const { r, component } = await build({ environment: "dev" });
        expect(trigger(r).inputs.alarmActions).to.deep.equal([]);
        expect(r.one(T.logGroup).inputs.retentionInDays).to.equal(30);
        expect(component.armed).to.equal(false);
    });

    it("is not armed while a game day fails the writer's own health check, and warns", async () => {
        const { r, component, warnings } = await build({ drillSiteKey: "aws-us-east-1" });
        expect(trigger(r).inputs.alarmActions).to.deep.equal([]);
        expect(trigger(r).inputs.alarmDescription).to.contain("game day");
        expect(component.armed).to.equal(false);
        expect(warnings.join("\n")).to.match(/NOT armed while nonstop:drill is set/);
    });

    it("stays armed while a game day fails another site", async () => {
        const { r, component, warnings } = await build({ drillSiteKey: "aws-us-west-2" });
        expect(trigger(r).inputs.alarmActions).to.have.length(1);
        expect(component.armed).to.equal(true);
        expect(warnings).to.deep.equal([]);
    });

    it("refuses invalid args before creating anything", async () => {
        let error: unknown;
        let r: MockRun | undefined;
        try {
            r = await runUnderMocks(() => new GlobalDatabaseFailover("checkout-db-failover", args({ targetRegion: "us-east-1" })));
        } catch (e) {
            error = e;
        }
        expect(r).to.equal(undefined);
        expect(String(error)).to.match(/targetRegion: "us-east-1" is the writer's own region/);
    });
});

describe("validateGlobalDatabaseFailoverArgs", () => {
    const errors = (o: Partial<GlobalDatabaseFailoverArgs>) => validateGlobalDatabaseFailoverArgs(args(o)).errors;
    const warnings = (o: Partial<GlobalDatabaseFailoverArgs>) => validateGlobalDatabaseFailoverArgs(args(o)).warnings;

    it("accepts the defaults", () => {
        expect(validateGlobalDatabaseFailoverArgs(args())).to.deep.equal({ errors: [], warnings: [] });
    });

    it("names the arg, the value and the fix", () => {
        expect(errors({ writerRegion: "useast1" })).to.deep.equal(['writerRegion: "useast1" is not an AWS region; give the writer cluster\'s region, e.g. "us-east-1"']);
        expect(errors({ failoverAfterMinutes: 2.5 })).to.deep.equal(["failoverAfterMinutes: 2.5 is not a whole number of minutes from 1 to 1440; use 2 (the default) or more"]);
        expect(errors({ logRetentionDays: 10 })[0]).to.match(/^logRetentionDays: 10 is not a CloudWatch Logs retention; use one of 1, 3, 5/);
        expect(errors({ memberClusterArns: [] })[0]).to.match(/^memberClusterArns: \[\] allows no cluster/);
    });

    it("refuses a target cluster ARN from another region", () => {
        expect(errors({ targetClusterArn: "arn:aws:rds:eu-west-1:123456789012:cluster:x" })).to.deep.equal([
            'targetClusterArn: "arn:aws:rds:eu-west-1:123456789012:cluster:x" is in eu-west-1, not in targetRegion "us-west-2"; give the secondary cluster of that region',
        ]);
        expect(errors({ targetClusterArn: "cluster-x" })[0]).to.match(/is not an RDS cluster ARN/);
    });

    it("warns about a one-minute trigger and about turning it off in prod", () => {
        expect(warnings({ failoverAfterMinutes: 1 })[0]).to.match(/^failoverAfterMinutes: 1 promotes the secondary, discarding the writes not yet replicated/);
        expect(warnings({ enabled: false })[0]).to.match(/^enabled: false in prod leaves the secondary in us-west-2 read-only/);
        expect(warnings({ enabled: false, environment: "dev" })).to.deep.equal([]);
    });
});

describe("resolveGlobalDatabaseFailoverDefaults and failoverArmed", () => {
    it("arms in prod and not in dev, after 3 minutes, unless the writer is drilled", () => {
        const prod = resolveGlobalDatabaseFailoverDefaults(args());
        const dev = resolveGlobalDatabaseFailoverDefaults(args({ environment: "dev" }));
        expect([prod.enabled, prod.failoverAfterMinutes, prod.logRetentionDays, dev.enabled, dev.logRetentionDays]).to.deep.equal([true, 2, 365, false, 30]);
        expect([failoverArmed(prod), failoverArmed(dev), failoverArmed({ ...prod, drillSiteKey: "aws-us-east-1" }), failoverArmed({ ...prod, drillSiteKey: "gcp-us-central1" })]).to.deep.equal([
            true,
            false,
            false,
            true,
        ]);
    });

    it("writes the manual failover command", () => {
        expect(manualFailoverCommand("g1", "us-west-2", TARGET_ARN)).to.equal(
            `aws rds failover-global-cluster --region us-west-2 --global-cluster-identifier g1 --target-db-cluster-identifier ${TARGET_ARN} --allow-data-loss`,
        );
    });
});

// ---------------------------------------------------------------------------------------------
// The function's code, run in Node against stand-ins for the two AWS SDK clients it imports.
// ---------------------------------------------------------------------------------------------

interface SdkCall {
    readonly client: string;
    readonly command: string;
    readonly input: Record<string, unknown>;
}

interface FakeAws {
    calls: SdkCall[];
    answer: (client: string, command: string, input: Record<string, unknown>) => unknown;
}

type Handler = (event: unknown) => Promise<{ action: string; reason?: string; target?: string }>;

const fakeClient = (client: string, commands: string[]) =>
    [
        `export class ${client} { async send(cmd) { const f = globalThis.__nonstopFakeAws; f.calls.push({ client: "${client}", command: cmd.constructor.name, input: cmd.input }); return f.answer("${client}", cmd.constructor.name, cmd.input); } }`,
        ...commands.map((c) => `export class ${c} { constructor(input) { this.input = input; } }`),
    ].join("\n");

async function loadHandler(): Promise<Handler> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nonstop-failover-"));
    fs.writeFileSync(path.join(dir, "index.mjs"), FAILOVER_HANDLER_SOURCE);
    const sdk: Record<string, string> = {
        "client-rds": fakeClient("RDSClient", ["DescribeGlobalClustersCommand", "FailoverGlobalClusterCommand"]),
        "client-route-53": fakeClient("Route53Client", ["GetHealthCheckStatusCommand"]),
    };
    for (const [pkg, source] of Object.entries(sdk)) {
        const at = path.join(dir, "node_modules", "@aws-sdk", pkg);
        fs.mkdirSync(at, { recursive: true });
        fs.writeFileSync(path.join(at, "package.json"), JSON.stringify({ name: `@aws-sdk/${pkg}`, type: "module", exports: "./index.mjs" }));
        fs.writeFileSync(path.join(at, "index.mjs"), source);
    }
    // A real dynamic import (TypeScript would turn `import()` into require, which cannot load ESM).
    const importModule = new Function("url", "return import(url)") as (url: string) => Promise<{ handler: Handler }>;
    return (await importModule(pathToFileURL(path.join(dir, "index.mjs")).href)).handler;
}

const WRITER = "arn:aws:rds:us-east-1:123456789012:cluster:checkout-aws-us-east-1-db-9z8y7x6";
const SECONDARY = "arn:aws:rds:us-west-2:123456789012:cluster:checkout-aws-us-west-2-db-1a2b3c4";
const alarmEvent = (state: string) => ({ Records: [{ Sns: { Message: JSON.stringify({ AlarmName: "checkout-db-failover-writer-down", NewStateValue: state }) } }] });
const observations = (statuses: string[]) => ({ HealthCheckObservations: statuses.map((s) => ({ StatusReport: { Status: s } })) });

describe("the failover function", () => {
    let handler: Handler;
    let fake: FakeAws;
    let logs: string[];
    const originalLog = console.log;
    const savedEnv = { ...process.env };

    before(async () => {
        handler = await loadHandler();
    });

    /** Global cluster as DescribeGlobalClusters returns it, Route 53 checkers as GetHealthCheckStatus does. */
    function world(o: { writer?: string; failoverState?: Record<string, string>; route53?: unknown | Error; members?: string[] } = {}): void {
        const members = (o.members ?? [WRITER, SECONDARY]).map((arn) => ({ DBClusterArn: arn, IsWriter: arn === (o.writer ?? WRITER) }));
        fake.answer = (client, command) => {
            if (command === "GetHealthCheckStatusCommand") {
                if (o.route53 instanceof Error) throw o.route53;
                return o.route53 ?? observations(["Failure: Connection timed out", "Failure: Connection timed out", "Failure: Connection timed out"]);
            }
            if (command === "DescribeGlobalClustersCommand") return { GlobalClusters: [{ GlobalClusterIdentifier: GLOBAL_ID, GlobalClusterMembers: members, FailoverState: o.failoverState }] };
            return {};
        };
    }

    const failovers = () => fake.calls.filter((c) => c.command === "FailoverGlobalClusterCommand").map((c) => c.input);

    beforeEach(() => {
        fake = { calls: [], answer: () => ({}) };
        (globalThis as { __nonstopFakeAws?: FakeAws }).__nonstopFakeAws = fake;
        Object.assign(process.env, { GLOBAL_CLUSTER_ID: GLOBAL_ID, WRITER_REGION: "us-east-1", TARGET_REGION: "us-west-2", WRITER_HEALTH_CHECK_ID: "hc-1" });
        delete process.env.TARGET_CLUSTER_ARN;
        logs = [];
        console.log = (line: string) => logs.push(line);
    });
    afterEach(() => {
        console.log = originalLog;
        for (const k of ["GLOBAL_CLUSTER_ID", "WRITER_REGION", "TARGET_REGION", "WRITER_HEALTH_CHECK_ID", "TARGET_CLUSTER_ARN"]) {
            if (savedEnv[k] === undefined) delete process.env[k];
            else process.env[k] = savedEnv[k];
        }
    });

    it("fails the global database over to its member in the function's region, allowing data loss, and logs it", async () => {
        world();
        expect(await handler(alarmEvent("ALARM"))).to.deep.equal({ action: "failover", target: SECONDARY });
        expect(failovers()).to.deep.equal([{ GlobalClusterIdentifier: GLOBAL_ID, TargetDbClusterIdentifier: SECONDARY, AllowDataLoss: true }]);
        expect(fake.calls.find((c) => c.command === "GetHealthCheckStatusCommand")?.input).to.deep.equal({ HealthCheckId: "hc-1" });
        expect(logs.map((l) => JSON.parse(l).action)).to.deep.equal(["failover", "failover-started"]);
    });

    it("promotes TARGET_CLUSTER_ARN when it is set", async () => {
        world();
        process.env.TARGET_CLUSTER_ARN = SECONDARY;
        await handler({});
        expect(failovers().map((f) => f.TargetDbClusterIdentifier)).to.deep.equal([SECONDARY]);
    });

    it("does nothing when the target is the writer already (a repeated or late call)", async () => {
        world({ writer: SECONDARY });
        expect((await handler(alarmEvent("ALARM"))).reason).to.equal("already-writer");
        expect(failovers()).to.deep.equal([]);
    });

    it("does nothing while a failover is under way", async () => {
        world({ failoverState: { Status: "failing-over", FromDbClusterArn: WRITER, ToDbClusterArn: SECONDARY } });
        expect((await handler(alarmEvent("ALARM"))).reason).to.equal("under-way");
        expect(failovers()).to.deep.equal([]);
    });

    it("does not move a writer that someone has already moved to a third region", async () => {
        const third = "arn:aws:rds:eu-west-1:123456789012:cluster:checkout-aws-eu-west-1-db";
        world({ writer: third, members: [WRITER, SECONDARY, third] });
        expect((await handler(alarmEvent("ALARM"))).reason).to.equal("writer-moved");
        expect(failovers()).to.deep.equal([]);
    });

    it("does nothing when Route 53 sees the writer healthy now (a drill or a recovery since the alarm)", async () => {
        world({ route53: observations(["Success: HTTP Status Code 200, OK", "Failure: Connection timed out", "Failure: Connection timed out"]) });
        expect((await handler(alarmEvent("ALARM"))).reason).to.equal("writer-healthy");
        expect(failovers()).to.deep.equal([]);
    });

    it("trusts the alarm when Route 53 cannot be asked", async () => {
        world({ route53: new Error("ServiceUnavailable") });
        expect((await handler(alarmEvent("ALARM"))).action).to.equal("failover");
    });

    it("ignores a notification that is not an ALARM", async () => {
        world();
        expect((await handler(alarmEvent("OK"))).reason).to.equal("not-alarm");
        expect(fake.calls).to.deep.equal([]);
    });

    it("fails (for its error alarm) when the global database has no member in its region", async () => {
        world({ members: [WRITER] });
        let error: unknown;
        try {
            await handler(alarmEvent("ALARM"));
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.match(/no member cluster of checkout-aws-us-east-1-prod in us-west-2/);
        expect(failovers()).to.deep.equal([]);
    });
});
