import { expect } from "chai";
import * as net from "net";
import {
    FAILOVER_HANDLER_SOURCE,
    GlobalDatabaseFailover,
    GlobalDatabaseFailoverArgs,
    manualFailoverCommand,
    resolveGlobalDatabaseFailoverDefaults,
    switchoverCommand,
    validateGlobalDatabaseFailoverArgs,
} from "../../../components/data/globalDatabaseFailover";
import { MockRun, runUnderMocks } from "../../harness";
import { FakeAws, installFakeAws, loadFunction, sdkError, SdkCall, withEnv } from "../failover/fakeAws";

const T = {
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    permission: "aws:lambda/permission:Permission",
    function: "aws:lambda/function:Function",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
};

const GLOBAL_ID = "checkout-aws-us-east-1-prod";
const ALERTS = "arn:aws:sns:us-west-2:123456789012:checkout-aws-us-west-2-alerts";
const WRITER_ARN = "arn:aws:rds:us-east-1:123456789012:cluster:checkout-aws-us-east-1-db-9z8y7x6";
const TARGET_ARN = "arn:aws:rds:us-west-2:123456789012:cluster:checkout-aws-us-west-2-db-1a2b3c4";
const TASK_ARN = "arn:aws:dms:us-east-1:123456789012:task:ABCDEF";

/** The function's environment as the component sets it from args() (the handler specs run with it too). */
const FUNCTION_ENV = {
    GLOBAL_CLUSTER_ID: GLOBAL_ID,
    WRITER_REGION: "us-east-1",
    WRITER_ENDPOINT: "checkout-aws-us-east-1-db.cluster-abc.us-east-1.rds.amazonaws.com",
    WRITER_PORT: "5432",
    ENGINE: "postgres",
    TARGET_REGION: "us-west-2",
    PROBE_WINDOW: "3",
    ARMED: "true",
    SWITCH_BACK: "false",
    HOME_SITE: "aws-us-east-1",
    REPLICATION_TASK_ARNS: JSON.stringify([TASK_ARN]),
    WRITER_CLUSTER_ARN: WRITER_ARN,
    TARGET_CLUSTER_ARN: TARGET_ARN,
    HOME_HEALTH_CHECK_ID: "checkout-dns-aws-us-east-1-id",
    ALERT_TOPIC_ARN: ALERTS,
};

function args(overrides: Partial<GlobalDatabaseFailoverArgs> = {}): GlobalDatabaseFailoverArgs {
    return {
        globalClusterIdentifier: GLOBAL_ID,
        writerRegion: "us-east-1",
        writerSiteKey: "aws-us-east-1",
        writerEndpoint: "checkout-aws-us-east-1-db.cluster-abc.us-east-1.rds.amazonaws.com",
        writerPort: 5432,
        engine: "postgres",
        writerVpcCidr: "10.0.0.0/16",
        writerClusterArn: WRITER_ARN,
        targetRegion: "us-west-2",
        targetClusterArn: TARGET_ARN,
        network: { vpcId: "vpc-usw2", subnetIds: ["subnet-a", "subnet-b", "subnet-c"] },
        homeHealthCheckId: "checkout-dns-aws-us-east-1-id",
        followerTaskArns: [TASK_ARN],
        environment: "prod",
        alertTopicArn: ALERTS,
        ...overrides,
    };
}

async function build(overrides: Partial<GlobalDatabaseFailoverArgs> = {}): Promise<{ r: MockRun; component: GlobalDatabaseFailover }> {
    let component: GlobalDatabaseFailover | undefined;
    const r = await runUnderMocks(() => {
        component = new GlobalDatabaseFailover("checkout-db-failover", args(overrides));
    });
    return { r, component: component! };
}

type Statement = { Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown };
const statements = (r: MockRun) => (JSON.parse(r.one(T.rolePolicy).inputs.policy as string) as { Statement: Statement[] }).Statement;
const variables = (r: MockRun) => (r.one(T.function).inputs.environment as { variables: Record<string, string> }).variables;

describe("GlobalDatabaseFailover", () => {
    describe("armed (prod)", () => {
        let b: { r: MockRun; component: GlobalDatabaseFailover };
        before(async () => {
            b = await build();
        });

        it("runs the function in the region that takes over, on nodejs24.x, every minute by an EventBridge schedule there", () => {
            const fn = b.r.one(T.function);
            expect(fn.inputs).to.include({ region: "us-west-2", runtime: "nodejs24.x", handler: "index.handler", timeout: 50 });
            const rule = b.r.one(T.rule);
            expect(rule.inputs).to.include({ region: "us-west-2", scheduleExpression: "rate(1 minute)" });
            expect(b.r.one(T.target).inputs).to.include({ region: "us-west-2", rule: rule.inputs.name, arn: `arn:aws:lambda:us-east-1:123456789012:${fn.name}` });
            expect(b.r.one(T.permission).inputs).to.include({ region: "us-west-2", principal: "events.amazonaws.com", sourceArn: `arn:aws:cloudwatch:us-east-1:123456789012:${rule.name}` });
            expect(b.component.armed).to.equal(true);
        });

        it("watches the writer DATABASE (its own endpoint and engine), not the app's health check", () => {
            expect(variables(b.r)).to.deep.equal(FUNCTION_ENV);
            expect(b.r.ofType(T.alarm).filter((a) => a.inputs.namespace === "AWS/Route53")).to.have.length(0);
        });

        it("runs in the target site's private subnets, reaching only the writer's database port over the peering and HTTPS APIs", () => {
            const sg = b.r.one(T.securityGroup);
            expect(sg.inputs).to.include({ region: "us-west-2", vpcId: "vpc-usw2" });
            expect((b.r.one(T.function).inputs.vpcConfig as { subnetIds: string[]; securityGroupIds: string[] })).to.deep.equal({ subnetIds: ["subnet-a", "subnet-b", "subnet-c"], securityGroupIds: [`${sg.name}-id`] });
            expect(b.r.ofType(T.egress).map((e) => [e.inputs.fromPort, e.inputs.cidrIpv4])).to.deep.equal([
                [5432, "10.0.0.0/16"],
                [443, "0.0.0.0/0"],
            ]);
            expect(b.r.one(T.attachment).inputs.policyArn).to.equal("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole");
        });

        it("may promote this global database only, pin the old writer's health check, record its probe and tell people", () => {
            const globalArn = `arn:aws:rds::123456789012:global-cluster:${GLOBAL_ID}`;
            expect(statements(b.r).map((s) => [s.Sid, s.Action, s.Resource])).to.deep.equal([
                ["DescribeTheGlobalDatabase", "rds:DescribeGlobalClusters", globalArn],
                ["AskTheWritersRegion", "rds:DescribeDBClusters", WRITER_ARN],
                ["PromoteTheTarget", ["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"], [globalArn, WRITER_ARN, TARGET_ARN]],
                ["RecordTheProbe", "cloudwatch:PutMetricData", "*"],
                ["ReadThePreviousProbes", "cloudwatch:GetMetricData", "*"],
                ["PinTrafficAwayFromTheOldWriter", ["route53:GetHealthCheck", "route53:UpdateHealthCheck"], "arn:aws:route53:::healthcheck/checkout-dns-aws-us-east-1-id"],
                ["ReportTheFollowers", "dms:DescribeReplicationTasks", "*"],
                ["TellPeople", "sns:Publish", ALERTS],
            ]);
            expect(statements(b.r)[3].Condition).to.deep.equal({ StringEquals: { "cloudwatch:namespace": "nonstop/GlobalDatabase" } });
        });

        it("alarms in the target's region when the writer stops answering, and on the function's errors", () => {
            const writer = b.r.one(T.alarm, "writer-unreachable").inputs;
            expect(writer).to.include({ region: "us-west-2", namespace: "nonstop/GlobalDatabase", metricName: "WriterReachable", threshold: 1, comparisonOperator: "LessThanThreshold", treatMissingData: "notBreaching" });
            expect(writer.dimensions).to.deep.equal({ GlobalClusterId: GLOBAL_ID });
            expect(writer.alarmActions).to.deep.equal([ALERTS]);
            expect(writer.alarmDescription).to.contain(`aws rds switchover-global-cluster --region us-west-2 --global-cluster-identifier ${GLOBAL_ID}`);
            const errors = b.r.one(T.alarm, "errors").inputs;
            expect(errors).to.include({ region: "us-west-2", namespace: "AWS/Lambda", metricName: "Errors" });
            expect(errors.alarmActions).to.deep.equal([ALERTS]);
        });

        it("gives the length-limited resources short names that stay unique per stack", () => {
            for (const type of [T.function, T.role, T.rule]) {
                const name = b.r.one(type).inputs.name as string;
                expect(name, type).to.match(/^checkout-db-failover-[0-9a-z]{7}$/);
                expect(name.length).to.be.at.most(64);
            }
        });
    });

    it("when disabled (the dev default) still probes and alarms, but may not fail over or switch over", async () => {
        const { r, component } = await build({ environment: "dev", enabled: undefined });
        expect(component.armed).to.equal(false);
        expect(variables(r).ARMED).to.equal("false");
        expect(statements(r).map((s) => s.Sid)).to.not.include("PromoteTheTarget");
        expect(r.one(T.alarm, "writer-unreachable").inputs.alarmDescription).to.contain("Automated promotion is OFF").and.contain("--allow-data-loss");
        expect(r.one(T.logGroup).inputs.retentionInDays).to.equal(30);
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
        expect(String(error)).to.match(/targetRegion: "us-east-1" is the writer's own region; the promotion must be started from the region that takes over/);
    });
});

describe("validateGlobalDatabaseFailoverArgs", () => {
    const errors = (o: Partial<GlobalDatabaseFailoverArgs>) => validateGlobalDatabaseFailoverArgs(args(o)).errors;
    const warnings = (o: Partial<GlobalDatabaseFailoverArgs>) => validateGlobalDatabaseFailoverArgs(args(o)).warnings;

    it("accepts the defaults", () => {
        expect(validateGlobalDatabaseFailoverArgs(args())).to.deep.equal({ errors: [], warnings: [] });
    });

    it("names the arg, the value and the fix", () => {
        expect(errors({ writerRegion: "useast1" })[0]).to.equal('writerRegion: "useast1" is not an AWS region; give the writer cluster\'s region, e.g. "us-east-1"');
        expect(errors({ probeWindowMinutes: 2.5 })).to.deep.equal(["probeWindowMinutes: 2.5 is not a whole number of minutes from 1 to 60; use 3 (the default) or more"]);
        expect(errors({ logRetentionDays: 10 })[0]).to.match(/^logRetentionDays: 10 is not a CloudWatch Logs retention; use one of 1, 3, 5/);
        expect(errors({ network: { vpcId: "vpc", subnetIds: ["a"] } })[0]).to.match(/^network\.subnetIds: 1 subnet/);
        expect(errors({ writerVpcCidr: "10.0.0.0" })[0]).to.match(/^writerVpcCidr: "10\.0\.0\.0" is not a CIDR/);
    });

    it("refuses a cluster ARN from another region", () => {
        expect(errors({ targetClusterArn: "arn:aws:rds:eu-west-1:123456789012:cluster:x" })).to.deep.equal([
            'targetClusterArn: "arn:aws:rds:eu-west-1:123456789012:cluster:x" is in eu-west-1, not in "us-west-2"; give the cluster of that region',
        ]);
        expect(errors({ writerClusterArn: "cluster-x" })[0]).to.match(/^writerClusterArn: "cluster-x" is not an RDS cluster ARN/);
    });

    it("warns about a short probe window, about turning it off in prod, and about a failover with no pin", () => {
        expect(warnings({ probeWindowMinutes: 1 })[0]).to.match(/^probeWindowMinutes: 1 may judge the writer lost while Aurora is still failing over inside its own region/);
        expect(warnings({ enabled: false })[0]).to.match(/^enabled: false in prod leaves the secondary in us-west-2 read-only/);
        expect(warnings({ homeHealthCheckId: undefined })[0]).to.match(/^homeHealthCheckId: not given, so after a data failover DNS sends clients back to aws-us-east-1/);
    });

    it("resolves its defaults in one place: armed in prod only, a 3-minute window, no switch back", () => {
        const prod = resolveGlobalDatabaseFailoverDefaults(args());
        const dev = resolveGlobalDatabaseFailoverDefaults(args({ environment: "dev" }));
        expect([prod.enabled, prod.probeWindowMinutes, prod.switchBack, prod.logRetentionDays, dev.enabled, dev.logRetentionDays]).to.deep.equal([true, 3, false, 365, false, 30]);
    });

    it("writes the manual commands: failover with data loss, and the planned switchover", () => {
        expect(manualFailoverCommand("g1", "us-west-2", TARGET_ARN)).to.equal(`aws rds failover-global-cluster --region us-west-2 --global-cluster-identifier g1 --target-db-cluster-identifier ${TARGET_ARN} --allow-data-loss`);
        expect(switchoverCommand("g1", "us-east-1", WRITER_ARN)).to.equal(`aws rds switchover-global-cluster --region us-east-1 --global-cluster-identifier g1 --target-db-cluster-identifier ${WRITER_ARN}`);
    });
});

// ---------------------------------------------------------------------------------------------
// The function's code, run in Node against stand-ins for the AWS SDK clients and a local "database".
// ---------------------------------------------------------------------------------------------

interface FailoverModule {
    handler: (event?: unknown) => Promise<{ action: string; reason?: string; target?: string; failed?: number }>;
    probeWriter: (host: string, port: number, engine: string, timeoutMs?: number) => Promise<boolean>;
}

const SDK = {
    "client-rds": { client: "RDSClient", commands: ["DescribeGlobalClustersCommand", "DescribeDBClustersCommand", "FailoverGlobalClusterCommand", "SwitchoverGlobalClusterCommand"] },
    "client-cloudwatch": { client: "CloudWatchClient", commands: ["GetMetricDataCommand", "PutMetricDataCommand"] },
    "client-route-53": { client: "Route53Client", commands: ["GetHealthCheckCommand", "UpdateHealthCheckCommand"] },
    "client-database-migration-service": { client: "DatabaseMigrationServiceClient", commands: ["DescribeReplicationTasksCommand"] },
    "client-sns": { client: "SNSClient", commands: ["PublishCommand"] },
};

/** A local server that answers a Postgres SSLRequest with "N", as a live Postgres does. */
function fakePostgres(): Promise<net.Server> {
    return new Promise((resolve) => {
        const server = net.createServer((socket) => socket.once("data", () => socket.write("N")));
        server.listen(0, "127.0.0.1", () => resolve(server));
    });
}
const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;

describe("the failover function", () => {
    let fn: FailoverModule;
    let fake: FakeAws;
    let db: net.Server;
    let silent: net.Server;
    let closedPort: number;
    let restore: () => void;
    const originalLog = console.log;

    before(async () => {
        db = await fakePostgres();
        // Accepts connections and never answers: a hung database.
        silent = await new Promise<net.Server>((resolve) => {
            const s = net.createServer(() => undefined);
            s.listen(0, "127.0.0.1", () => resolve(s));
        });
        const closed = await fakePostgres();
        closedPort = portOf(closed);
        await new Promise((resolve) => closed.close(resolve));
        restore = withEnv({ WRITER_REGION: "us-east-1" });
        fn = await loadFunction<FailoverModule>(FAILOVER_HANDLER_SOURCE, SDK);
    });
    after(() => {
        db.close();
        silent.close();
        restore();
    });

    let restoreEnv: () => void;
    beforeEach(() => {
        fake = installFakeAws();
        console.log = () => undefined;
        // The component's environment, with the writer on a local port and the clusters found by the function.
        restoreEnv = withEnv({ ...FUNCTION_ENV, WRITER_ENDPOINT: "127.0.0.1", WRITER_PORT: String(closedPort), HOME_HEALTH_CHECK_ID: "hc-home", WRITER_CLUSTER_ARN: undefined, TARGET_CLUSTER_ARN: undefined });
    });
    afterEach(() => {
        console.log = originalLog;
        restoreEnv();
    });

    /** What the AWS APIs answer: the global cluster, the previous probes, the writer's region, the pin. */
    function world(o: { writer?: string; failoverState?: Record<string, string>; previous?: number[]; region?: Error | string; inverted?: boolean; refuseSwitchover?: boolean } = {}): void {
        const members = [WRITER_ARN, TARGET_ARN].map((arn) => ({ DBClusterArn: arn, IsWriter: arn === (o.writer ?? WRITER_ARN) }));
        fake.answer = (call: SdkCall) => {
            switch (call.command) {
                case "DescribeGlobalClustersCommand":
                    return { GlobalClusters: [{ GlobalClusterIdentifier: GLOBAL_ID, GlobalClusterMembers: members, FailoverState: o.failoverState }] };
                case "GetMetricDataCommand":
                    return { MetricDataResults: [{ Values: o.previous ?? [0, 0] }] };
                case "DescribeDBClustersCommand":
                    if (o.region instanceof Error) throw o.region;
                    return { DBClusters: [{ Status: o.region ?? "available" }] };
                case "GetHealthCheckCommand":
                    return { HealthCheck: { HealthCheckVersion: 4, HealthCheckConfig: { Inverted: o.inverted ?? false } } };
                case "SwitchoverGlobalClusterCommand":
                    if (o.refuseSwitchover) throw sdkError("InvalidGlobalClusterStateFault", 400);
                    return {};
                case "DescribeReplicationTasksCommand":
                    throw sdkError("TimeoutError");
                default:
                    return {};
            }
        };
    }
    const calls = (command: string) => fake.calls.filter((c) => c.command === command);

    it("speaks Postgres to the writer: an answer is up, silence or a refused connection is down", async () => {
        expect(await fn.probeWriter("127.0.0.1", portOf(db), "postgres")).to.equal(true);
        expect(await fn.probeWriter("127.0.0.1", closedPort, "postgres")).to.equal(false);
        expect(await fn.probeWriter("127.0.0.1", portOf(silent), "postgres", 200)).to.equal(false);
    });

    it("records an answering writer and does nothing else", async () => {
        world();
        process.env.WRITER_PORT = String(portOf(db));
        expect(await fn.handler({})).to.deep.equal({ action: "none", reason: "writer-up" });
        expect(calls("PutMetricDataCommand")[0].input).to.deep.include({ Namespace: "nonstop/GlobalDatabase" });
        expect((calls("PutMetricDataCommand")[0].input.MetricData as { Value: number }[])[0].Value).to.equal(1);
        expect(calls("FailoverGlobalClusterCommand")).to.have.length(0);
    });

    it("waits the probe window: a writer silent for 2 of 3 minutes is not lost yet", async () => {
        world({ previous: [0, 1] });
        expect(await fn.handler({})).to.deep.include({ action: "none", reason: "probe-failing", failed: 2 });
        expect(calls("DescribeDBClustersCommand")).to.have.length(0);
    });

    it("fails over, allowing data loss, only when the writer's region does not answer either; then pins and reports the followers", async () => {
        world({ region: sdkError("TimeoutError") });
        expect(await fn.handler({})).to.deep.equal({ action: "failover", target: TARGET_ARN });
        expect(calls("DescribeDBClustersCommand")[0]).to.deep.include({ region: "us-east-1", input: { DBClusterIdentifier: WRITER_ARN } });
        expect(calls("FailoverGlobalClusterCommand").map((c) => c.input)).to.deep.equal([{ GlobalClusterIdentifier: GLOBAL_ID, TargetDbClusterIdentifier: TARGET_ARN, AllowDataLoss: true }]);
        expect(calls("UpdateHealthCheckCommand").map((c) => c.input)).to.deep.equal([{ HealthCheckId: "hc-home", HealthCheckVersion: 4, Inverted: true }]);
        expect(calls("UpdateHealthCheckCommand")[0].region).to.equal("us-east-1");
        expect(calls("DescribeReplicationTasksCommand")[0].region).to.equal("us-east-1");
        const message = calls("PublishCommand").map((c) => String(c.input.Message)).join("\n");
        expect(message).to.contain(`${TASK_ARN}: unreachable (TimeoutError)`).and.contain("Traffic is pinned away from aws-us-east-1");
    });

    it("never promotes while the writer's region reports its cluster available (the path is broken, not the database)", async () => {
        world({ region: "available" });
        expect(await fn.handler({})).to.deep.include({ action: "none", reason: "path-broken" });
        expect(calls("FailoverGlobalClusterCommand").concat(calls("SwitchoverGlobalClusterCommand"))).to.have.length(0);
    });

    it("waits while Aurora fails the writer over inside its own region", async () => {
        world({ region: "failing-over" });
        expect(await fn.handler({})).to.deep.include({ reason: "recovering-in-region" });
    });

    it("switches over (no data loss) when the database alone is down in a live region", async () => {
        world({ region: "inaccessible-encryption-credentials" });
        expect(await fn.handler({})).to.deep.equal({ action: "switchover", target: TARGET_ARN });
        expect(calls("SwitchoverGlobalClusterCommand").map((c) => c.input)).to.deep.equal([{ GlobalClusterIdentifier: GLOBAL_ID, TargetDbClusterIdentifier: TARGET_ARN }]);
        expect(calls("FailoverGlobalClusterCommand")).to.have.length(0);
    });

    it("leaves a failover with data loss to people when Aurora refuses the switchover", async () => {
        world({ region: "inaccessible-encryption-credentials", refuseSwitchover: true });
        expect(await fn.handler({})).to.deep.include({ action: "none", reason: "switchover-refused" });
        expect(calls("FailoverGlobalClusterCommand")).to.have.length(0);
        expect(String(calls("PublishCommand")[0].input.Message)).to.contain("Only people may allow data loss");
    });

    it("does not act on an error answer from the writer's region (e.g. access denied)", async () => {
        world({ region: sdkError("AccessDenied", 403) });
        expect(await fn.handler({})).to.deep.include({ reason: "region-unclear" });
    });

    it("disarmed, judges but never promotes", async () => {
        world({ region: sdkError("TimeoutError") });
        process.env.ARMED = "false";
        expect(await fn.handler({})).to.deep.include({ action: "none", reason: "disarmed" });
        expect(calls("FailoverGlobalClusterCommand")).to.have.length(0);
    });

    it("does nothing while a failover or switchover is under way", async () => {
        world({ failoverState: { Status: "failing-over", FromDbClusterArn: WRITER_ARN, ToDbClusterArn: TARGET_ARN } });
        expect(await fn.handler({})).to.deep.equal({ action: "none", reason: "under-way" });
        expect(calls("PutMetricDataCommand")).to.have.length(0);
    });

    it("after any promotion, keeps the old writer's site pinned out (retried until Route 53 answers) instead of probing", async () => {
        world({ writer: TARGET_ARN });
        expect(await fn.handler({})).to.deep.include({ action: "none", reason: "failed-over" });
        expect(calls("UpdateHealthCheckCommand")).to.have.length(1);
        expect(calls("PutMetricDataCommand")).to.have.length(0);
        world({ writer: TARGET_ARN, inverted: true });
        fake.calls = [];
        await fn.handler({});
        expect(calls("UpdateHealthCheckCommand")).to.have.length(0);
    });

    it("with switchBack (the failback), runs the planned switchover home once the old writer has rejoined", async () => {
        world({ writer: TARGET_ARN, inverted: true });
        process.env.SWITCH_BACK = "true";
        expect(await fn.handler({})).to.deep.equal({ action: "switchback", target: WRITER_ARN });
        expect(calls("SwitchoverGlobalClusterCommand").map((c) => c.input)).to.deep.equal([{ GlobalClusterIdentifier: GLOBAL_ID, TargetDbClusterIdentifier: WRITER_ARN }]);
    });

    it("fails (for its error alarm) when the global database has no member in its region", async () => {
        world({ region: sdkError("TimeoutError") });
        fake.answer = ((inner) => (call: SdkCall) =>
            call.command === "DescribeGlobalClustersCommand" ? { GlobalClusters: [{ GlobalClusterMembers: [{ DBClusterArn: WRITER_ARN, IsWriter: true }] }] } : inner(call))(fake.answer);
        let error: unknown;
        try {
            await fn.handler({});
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.match(/no member cluster of checkout-aws-us-east-1-prod in us-west-2/);
    });
});

