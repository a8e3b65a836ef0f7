import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { ServiceDashboard, ServiceDashboardArgs, validateServiceDashboardArgs } from "../../../components/monitoring/serviceDashboard";
import { MockRun, RecordedResource, runUnderMocks } from "../../harness";

const T = {
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    provider: "pulumi:providers:aws",
};

type Metric = [string, string, string, string, Record<string, unknown>];
interface Widget {
    readonly type: string;
    readonly properties: { readonly title: string; readonly region: string; readonly metrics: unknown[][] };
}

const SITES = ["aws-us-east-1", "aws-us-west-2", "gcp-us-central1"];
const AWS_REGIONS: Record<string, string> = { "aws-us-east-1": "us-east-1", "aws-us-west-2": "us-west-2" };

/**
 * A service of three sites: real health checks and load balancers, so the dashboard receives the
 * ids and ARN suffixes the engine would give it ("<name>-id", "app/<name>/…").
 */
async function run(overrides: Partial<ServiceDashboardArgs> = {}): Promise<MockRun> {
    return runUnderMocks(() => {
        const healthCheckIds = Object.fromEntries(SITES.map((key) => [key, new aws.route53.HealthCheck(`catalog-dns-${key}`, { type: "HTTPS", fqdn: "catalog.example.com" }).id]));
        const awsSites = Object.entries(AWS_REGIONS).map(([key, region]) => ({
            key,
            region,
            loadBalancerArnSuffix: new aws.lb.LoadBalancer(`catalog-${key}-alb`, { loadBalancerType: "application" }).arnSuffix,
        }));
        new ServiceDashboard("catalog-dashboard", { service: "catalog", fqdn: "catalog.example.com", healthCheckIds, awsSites, ...overrides });
    });
}

function widgets(dashboard: RecordedResource): Widget[] {
    return (JSON.parse(dashboard.inputs.dashboardBody as string) as { widgets: Widget[] }).widgets;
}

describe("ServiceDashboard", () => {
    let r: MockRun;
    let body: Widget[];
    before(async () => {
        r = await run();
        body = widgets(r.one(T.dashboard));
    });

    it("creates the dashboard in us-east-1 with its own provider, named after the service", () => {
        const dashboard = r.one(T.dashboard);
        const provider = r.one(T.provider, "catalog-dashboard");
        expect(provider.inputs.region).to.equal("us-east-1");
        expect(dashboard.provider?.startsWith(provider.urn)).to.equal(true);
        expect(dashboard.inputs.dashboardName).to.equal("nonstop-catalog");
    });

    it("graphs the Route 53 status and percentage healthy of every site's health check, labelled by site key", () => {
        for (const metricName of ["HealthCheckStatus", "HealthCheckPercentageHealthy"]) {
            const widget = body.find((w) => (w.properties.metrics as Metric[]).some((m) => m[1] === metricName))!;
            expect(widget.properties.region).to.equal("us-east-1");
            expect(widget.properties.metrics).to.deep.equal(
                SITES.map((key) => ["AWS/Route53", metricName, "HealthCheckId", `catalog-dns-${key}-id`, { label: key, region: "us-east-1" }]),
            );
        }
    });

    it("graphs each AWS site's load balancer in the site's own region", () => {
        for (const [key, region] of Object.entries(AWS_REGIONS)) {
            const suffix = `app/catalog-${key}-alb/0123456789abcdef`;
            const widget = body.find((w) => w.properties.title.includes(key))!;
            expect(widget.properties.region).to.equal(region);
            const [errors, requests, latency, healthy] = widget.properties.metrics;
            expect(errors).to.deep.equal(["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", suffix, { region, stat: "Sum", label: "5XX from targets" }]);
            expect(requests).to.deep.equal(["AWS/ApplicationELB", "RequestCount", "LoadBalancer", suffix, { region, stat: "Sum", label: "requests" }]);
            expect(latency).to.deep.equal(["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", suffix, { region, stat: "p99", label: "p99 response time (s)", yAxis: "right" }]);
            expect(healthy[0]).to.deep.include({ region, id: "healthy" });
            expect((healthy[0] as { expression: string }).expression).to.equal(
                `SEARCH('{AWS/ApplicationELB,LoadBalancer,TargetGroup} MetricName="HealthyHostCount" LoadBalancer="${suffix}"', 'Minimum', 60)`,
            );
        }
    });

    it("gives no load balancer widget to a site that is not on AWS", () => {
        expect(body.map((w) => w.properties.title).filter((t) => t.includes("load balancer"))).to.have.length(2);
        expect(body.some((w) => w.properties.title.includes("gcp-us-central1"))).to.equal(false);
    });

    it("links to the dashboard in the CloudWatch console", async () => {
        let dashboard: ServiceDashboard | undefined;
        await runUnderMocks(() => {
            dashboard = new ServiceDashboard("checkout-dashboard", { service: "checkout", fqdn: "checkout.example.com", healthCheckIds: { "aws-us-east-1": "hc-1" }, dashboardName: "nonstop-prod-checkout" });
        });
        expect(dashboard!.url).to.equal("https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=nonstop-prod-checkout");
    });

    it("refuses a service without sites before creating anything", async () => {
        let error: unknown;
        let created: MockRun | undefined;
        try {
            created = await run({ healthCheckIds: {}, awsSites: [] });
        } catch (e) {
            error = e;
        }
        expect(created).to.equal(undefined);
        expect(String(error)).to.match(/ServiceDashboard "catalog-dashboard" has invalid args:\n {2}healthCheckIds: \{\} names no site/);
    });
});

describe("validateServiceDashboardArgs", () => {
    const valid: ServiceDashboardArgs = {
        service: "catalog",
        fqdn: "catalog.example.com",
        healthCheckIds: { "aws-us-east-1": "hc-1" },
        awsSites: [{ key: "aws-us-east-1", region: "us-east-1", loadBalancerArnSuffix: "app/a/1" }],
    };

    it("accepts a site with its health check and load balancer", () => {
        expect(validateServiceDashboardArgs(valid)).to.deep.equal([]);
    });

    it("refuses an AWS site that has no health check", () => {
        expect(validateServiceDashboardArgs({ ...valid, awsSites: [{ key: "aws-eu-west-1", region: "eu-west-1", loadBalancerArnSuffix: "app/b/2" }] })).to.deep.equal([
            'awsSites[0].key: "aws-eu-west-1" has no health check in healthCheckIds (aws-us-east-1); use the site\'s key',
        ]);
    });

    it("refuses a region that is not an AWS region", () => {
        expect(validateServiceDashboardArgs({ ...valid, awsSites: [{ key: "aws-us-east-1", region: "us-central1", loadBalancerArnSuffix: "app/a/1" }] })).to.deep.equal([
            'awsSites[0].region: "us-central1" is not an AWS region; expected a name such as "us-east-1"',
        ]);
    });

    it("refuses a dashboard name CloudWatch does not accept", () => {
        expect(validateServiceDashboardArgs({ ...valid, dashboardName: "prod checkout" })).to.deep.equal([
            'dashboardName: "prod checkout" is not a CloudWatch dashboard name; use 1-255 letters, digits, "-" or "_"',
        ]);
    });

    it("refuses a period that is not a whole number of minutes", () => {
        expect(validateServiceDashboardArgs({ ...valid, periodSeconds: 45 })).to.have.length(1);
    });
});
