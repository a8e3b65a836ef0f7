import { expect } from "chai";
import * as http from "http";
import * as net from "net";
import { PilotLightScaleOut, PilotLightScaleOutArgs, SCALE_OUT_HANDLER_SOURCE, validatePilotLightScaleOutArgs } from "../../../components/failover/pilotLightScaleOut";
import { MockRun, runUnderMocks } from "../../harness";
import { FakeAws, installFakeAws, loadFunction, sdkError, SdkCall, withEnv } from "./fakeAws";

const T = {
    function: "aws:lambda/function:Function",
    rule: "aws:cloudwatch/eventRule:EventRule",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};

const ALERTS = "arn:aws:sns:us-west-2:123456789012:checkout-aws-us-west-2-alerts";
const SERVICE_ARN = "arn:aws:ecs:us-west-2:123456789012:service/checkout-usw2/checkout-svc";
const TARGET_ARN = "arn:aws:application-autoscaling:us-west-2:123456789012:scalable-target/0123";

function args(overrides: Partial<PilotLightScaleOutArgs> = {}): PilotLightScaleOutArgs {
    return {
        region: "us-west-2",
        standbySiteKey: "aws-us-west-2",
        primarySiteKey: "aws-us-east-1",
        primaryHealthCheckId: "checkout-dns-aws-us-east-1-id",
        primaryProbe: { host: "checkout-use1-alb.us-east-1.elb.amazonaws.com", port: 443, protocol: "HTTPS", path: "/healthz", serverName: "checkout.example.com" },
        services: [{ serviceArn: SERVICE_ARN, scalableTargetArn: TARGET_ARN, scalableTargetResourceId: "service/checkout-usw2/checkout-svc", minCapacity: 2, maxCapacity: 12 }],
        environment: "prod",
        alertTopicArn: ALERTS,
        ...overrides,
    };
}

describe("PilotLightScaleOut", () => {
    let r: MockRun;
    before(async () => {
        r = await runUnderMocks(() => new PilotLightScaleOut("checkout-scale-out-aws-us-west-2", args()));
    });

    it("runs every minute in the standby's region, on nodejs24.x, outside any VPC", () => {
        const fn = r.one(T.function).inputs;
        expect(fn).to.include({ region: "us-west-2", runtime: "nodejs24.x" });
        expect(fn.vpcConfig).to.equal(undefined);
        expect(r.one(T.rule).inputs).to.include({ region: "us-west-2", scheduleExpression: "rate(1 minute)" });
        expect(r.one(T.attachment).inputs.policyArn).to.equal("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
    });

    it("knows the primary's Route 53 check, how to probe the primary itself, and what to raise the standby to", () => {
        expect((r.one(T.function).inputs.environment as { variables: Record<string, string> }).variables).to.deep.equal({
            STANDBY_SITE: "aws-us-west-2",
            PRIMARY_SITE: "aws-us-east-1",
            PRIMARY_HEALTH_CHECK_ID: "checkout-dns-aws-us-east-1-id",
            FAILED_MINUTES: "2",
            PROBE_HOST: "checkout-use1-alb.us-east-1.elb.amazonaws.com",
            PROBE_PORT: "443",
            PROBE_PROTOCOL: "HTTPS",
            PROBE_PATH: "/healthz",
            PROBE_SERVER_NAME: "checkout.example.com",
            TARGETS: JSON.stringify([{ resourceId: "service/checkout-usw2/checkout-svc", minCapacity: 2, maxCapacity: 12 }]),
            ALERT_TOPIC_ARN: ALERTS,
        });
    });

    it("may raise only the standby's own services and scalable targets", () => {
        const statements = (JSON.parse(r.one(T.rolePolicy).inputs.policy as string) as { Statement: { Sid: string; Action: unknown; Resource: unknown }[] }).Statement;
        expect(statements.map((s) => [s.Sid, s.Action, s.Resource])).to.deep.equal([
            ["ReadThePrimarysHealth", "cloudwatch:GetMetricData", "*"],
            ["DescribeTheStandby", "application-autoscaling:DescribeScalableTargets", "*"],
            ["RaiseTheFloor", "application-autoscaling:RegisterScalableTarget", [TARGET_ARN]],
            ["StartTasks", ["ecs:DescribeServices", "ecs:UpdateService"], [SERVICE_ARN]],
            ["TellPeople", "sns:Publish", ALERTS],
        ]);
    });

    it("alarms on its own errors to the standby's alert topic", () => {
        expect(r.one(T.alarm, "errors").inputs).to.deep.include({ region: "us-west-2", metricName: "Errors", alarmActions: [ALERTS] });
    });

    it("refuses a floor of zero and a window out of range", () => {
        const issues = validatePilotLightScaleOutArgs(args({ services: [{ ...args().services[0], minCapacity: 0 }], failedMinutes: 0 }));
        expect(issues).to.deep.equal(["services[0].minCapacity: 0 must be 1 or more (what the standby is raised to)", "failedMinutes: 0 must be a whole number of minutes from 1 to 60"]);
    });
});

// ---------------------------------------------------------------------------------------------
// The function's code against stand-ins for the AWS SDK clients and a local "primary".
// ---------------------------------------------------------------------------------------------

type Handler = (event?: unknown) => Promise<{ action: string; reason?: string; source?: string; raised?: unknown[] }>;
const SDK = {
    "client-application-auto-scaling": { client: "ApplicationAutoScalingClient", commands: ["DescribeScalableTargetsCommand", "RegisterScalableTargetCommand"] },
    "client-cloudwatch": { client: "CloudWatchClient", commands: ["GetMetricDataCommand"] },
    "client-ecs": { client: "ECSClient", commands: ["DescribeServicesCommand", "UpdateServiceCommand"] },
    "client-sns": { client: "SNSClient", commands: ["PublishCommand"] },
};

describe("the pilot-light scale-out function", () => {
    let handler: Handler;
    let fake: FakeAws;
    let primary: http.Server;
    let primaryStatus = 200;
    let restoreEnv: () => void;
    const originalLog = console.log;

    before(async () => {
        primary = http.createServer((_req, res) => {
            res.statusCode = primaryStatus;
            res.end();
        });
        await new Promise<void>((resolve) => primary.listen(0, "127.0.0.1", resolve));
        handler = (await loadFunction<{ handler: Handler }>(SCALE_OUT_HANDLER_SOURCE, SDK)).handler;
    });
    after(() => primary.close());
    beforeEach(() => {
        fake = installFakeAws();
        console.log = () => undefined;
        primaryStatus = 200;
        restoreEnv = withEnv({
            STANDBY_SITE: "aws-us-west-2",
            PRIMARY_SITE: "aws-us-east-1",
            PRIMARY_HEALTH_CHECK_ID: "hc-primary",
            FAILED_MINUTES: "2",
            PROBE_HOST: "127.0.0.1",
            PROBE_PORT: String((primary.address() as net.AddressInfo).port),
            PROBE_PROTOCOL: "HTTP",
            PROBE_PATH: "/healthz",
            PROBE_SPACING_MS: "1",
            TARGETS: JSON.stringify([{ resourceId: "service/checkout-usw2/checkout-svc", minCapacity: 2, maxCapacity: 12 }]),
            ALERT_TOPIC_ARN: ALERTS,
        });
    });
    afterEach(() => {
        console.log = originalLog;
        restoreEnv();
    });

    function world(o: { route53?: number[] | Error; min?: number; desired?: number } = {}): void {
        fake.answer = (call: SdkCall) => {
            switch (call.command) {
                case "GetMetricDataCommand":
                    if (o.route53 instanceof Error) throw o.route53;
                    return { MetricDataResults: [{ Values: o.route53 ?? [1, 1] }] };
                case "DescribeScalableTargetsCommand":
                    return { ScalableTargets: [{ ResourceId: "service/checkout-usw2/checkout-svc", MinCapacity: o.min ?? 0 }] };
                case "DescribeServicesCommand":
                    return { services: [{ desiredCount: o.desired ?? 0 }] };
                default:
                    return {};
            }
        };
    }
    const calls = (command: string) => fake.calls.filter((c) => c.command === command);

    it("does nothing while Route 53 sees the primary up", async () => {
        world();
        expect(await handler({})).to.deep.equal({ action: "none", reason: "primary-up", source: "route53" });
        expect(calls("GetMetricDataCommand")[0].region).to.equal("us-east-1");
        expect(calls("UpdateServiceCommand")).to.have.length(0);
    });

    it("raises the floor and starts the tasks when Route 53 has seen the primary down for the window, and tells people", async () => {
        world({ route53: [0, 0] });
        const result = await handler({});
        expect(result).to.deep.include({ action: "scale-out", source: "route53" });
        expect(calls("RegisterScalableTargetCommand").map((c) => c.input)).to.deep.equal([
            { ServiceNamespace: "ecs", ScalableDimension: "ecs:service:DesiredCount", ResourceId: "service/checkout-usw2/checkout-svc", MinCapacity: 2, MaxCapacity: 12 },
        ]);
        expect(calls("UpdateServiceCommand").map((c) => c.input)).to.deep.equal([{ cluster: "checkout-usw2", service: "checkout-svc", desiredCount: 2 }]);
        expect(String(calls("PublishCommand")[0].input.Message)).to.contain("aws-us-east-1 is down").and.contain("checkout-svc 0 -> 2");
    });

    it("waits for the whole window: one failed minute is not enough", async () => {
        world({ route53: [0, 1] });
        expect((await handler({})).reason).to.equal("primary-up");
    });

    it("when us-east-1 (Route 53's metrics) cannot be read, probes the primary itself from its own region", async () => {
        world({ route53: sdkError("TimeoutError") });
        expect(await handler({})).to.deep.include({ action: "none", reason: "primary-up", source: "probe from this region" });
        primaryStatus = 503;
        fake.calls = [];
        expect(await handler({})).to.deep.include({ action: "scale-out", source: "probe from this region" });
    });

    it("does nothing more once the standby runs at its floor", async () => {
        world({ route53: [0, 0], min: 2, desired: 3 });
        expect((await handler({})).reason).to.equal("already-scaled");
        expect(calls("RegisterScalableTargetCommand").concat(calls("UpdateServiceCommand"))).to.have.length(0);
    });

    it("scales out by hand with {\"force\": true}", async () => {
        world();
        expect((await handler({ force: true })).action).to.equal("scale-out");
    });
});
