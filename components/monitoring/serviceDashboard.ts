// One CloudWatch dashboard per service: every site's Route 53 health check (is DNS sending it
// traffic?) and, for each AWS site, what its load balancer sees (errors, requests, latency, healthy
// targets). The dashboard lives in us-east-1, where Route 53 publishes its metrics; each ALB metric
// names its own region, since a dashboard can graph metrics of any region.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertNoIssues } from "../dns/endpoints";
import { ROUTE53_METRICS_REGION } from "../dns/route53Failover";

/** An AWS site's load balancer, as the dashboard graphs it. */
export interface DashboardAwsSite {
    /** Site key (as in `healthCheckIds`); titles the site's widget. */
    readonly key: string;
    /** Region of the site's load balancer, where its metrics are. */
    readonly region: string;
    /** The load balancer's ARN suffix (`app/<name>/<id>`), its CloudWatch `LoadBalancer` dimension. */
    readonly loadBalancerArnSuffix: pulumi.Input<string>;
}

export interface ServiceDashboardArgs {
    /** The service's name; titles the dashboard. */
    readonly service: string;
    /** The name clients resolve, shown in the dashboard's title. */
    readonly fqdn: string;
    /** Route 53 health check of each site, by site key (at least one). */
    readonly healthCheckIds: Readonly<Record<string, pulumi.Input<string>>>;
    /** AWS sites whose load balancer metrics to graph. @default [] */
    readonly awsSites?: readonly DashboardAwsSite[];
    /** CloudWatch dashboard name (unique in the account). @default `nonstop-<service>` */
    readonly dashboardName?: string;
    /** Period of every graphed metric, in seconds. @default 60 */
    readonly periodSeconds?: number;
}

type ResolvedArgs = Required<ServiceDashboardArgs>;

export function resolveServiceDashboardDefaults(args: ServiceDashboardArgs): ResolvedArgs {
    return {
        ...args,
        awsSites: args.awsSites ?? [],
        dashboardName: args.dashboardName ?? `nonstop-${args.service}`,
        periodSeconds: args.periodSeconds ?? 60,
    };
}

const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Every problem with the args, empty when they are valid. */
export function validateServiceDashboardArgs(args: ServiceDashboardArgs): string[] {
    const issues: string[] = [];
    const a = resolveServiceDashboardDefaults(args);
    const keys = Object.keys(args.healthCheckIds);
    if (keys.length === 0) issues.push(`healthCheckIds: {} names no site; give the health check id of at least one site, by site key`);
    if (!DASHBOARD_NAME.test(a.dashboardName)) issues.push(`dashboardName: "${a.dashboardName}" is not a CloudWatch dashboard name; use 1-255 letters, digits, "-" or "_"`);
    if (!Number.isInteger(a.periodSeconds) || a.periodSeconds < 60 || a.periodSeconds % 60 !== 0) {
        issues.push(`periodSeconds: ${a.periodSeconds} is not a period Route 53 and ALB metrics have; use a multiple of 60`);
    }
    const seen = new Set<string>();
    a.awsSites.forEach((s, i) => {
        if (!keys.includes(s.key)) issues.push(`awsSites[${i}].key: "${s.key}" has no health check in healthCheckIds (${keys.join(", ") || "none"}); use the site's key`);
        if (seen.has(s.key)) issues.push(`awsSites[${i}].key: "${s.key}" is listed twice; give each AWS site once`);
        seen.add(s.key);
        if (!AWS_REGION.test(s.region)) issues.push(`awsSites[${i}].region: "${s.region}" is not an AWS region; expected a name such as "us-east-1"`);
    });
    return issues;
}

/** Console page of a dashboard (dashboards are opened through us-east-1's console). */
export function dashboardConsoleUrl(dashboardName: string): string {
    return `https://console.aws.amazon.com/cloudwatch/home?region=${ROUTE53_METRICS_REGION}#dashboards:name=${dashboardName}`;
}

const WIDTH = 24;
const HALF = 12;
const HEIGHT = 6;

type Widget = Record<string, unknown>;

/** The dashboard body as an object whose leaves may be Outputs (ids, ARN suffixes); jsonStringify resolves them. */
export function dashboardBody(a: ResolvedArgs): Record<string, unknown> {
    const checks = Object.entries(a.healthCheckIds);
    const route53 = (metricName: string, stat: string, title: string, x: number): Widget => ({
        type: "metric",
        x,
        y: 0,
        width: HALF,
        height: HEIGHT,
        properties: {
            title,
            view: "timeSeries",
            region: ROUTE53_METRICS_REGION,
            period: a.periodSeconds,
            stat,
            metrics: checks.map(([key, id]) => ["AWS/Route53", metricName, "HealthCheckId", id, { label: key, region: ROUTE53_METRICS_REGION }]),
        },
    });
    const widgets: Widget[] = [
        // Minimum: one failing period is a failure, as the failover alarms judge it.
        route53("HealthCheckStatus", "Minimum", `${a.fqdn}: health check status (1 healthy, 0 failing)`, 0),
        route53("HealthCheckPercentageHealthy", "Average", `${a.fqdn}: % of Route 53 checkers seeing the site healthy`, HALF),
        ...a.awsSites.map((site, i): Widget => {
            const lb = site.loadBalancerArnSuffix;
            const r = { region: site.region };
            return {
                type: "metric",
                x: 0,
                y: HEIGHT * (i + 1),
                width: WIDTH,
                height: HEIGHT,
                properties: {
                    title: `${a.service} ${site.key}: load balancer (${site.region})`,
                    view: "timeSeries",
                    region: site.region,
                    period: a.periodSeconds,
                    metrics: [
                        ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", lb, { ...r, stat: "Sum", label: "5XX from targets" }],
                        ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", lb, { ...r, stat: "Sum", label: "requests" }],
                        ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", lb, { ...r, stat: "p99", label: "p99 response time (s)", yAxis: "right" }],
                        // HealthyHostCount exists only per target group (one per release track): search them all under this load balancer.
                        [
                            {
                                ...r,
                                id: "healthy",
                                label: "healthy targets",
                                expression: pulumi.interpolate`SEARCH('{AWS/ApplicationELB,LoadBalancer,TargetGroup} MetricName="HealthyHostCount" LoadBalancer="${lb}"', 'Minimum', ${a.periodSeconds})`,
                            },
                        ],
                    ],
                },
            };
        }),
    ];
    return { widgets };
}

/**
 * A CloudWatch dashboard of one service. Route 53 DNS only: Cloud DNS health checks publish to
 * Cloud Monitoring, not CloudWatch, so services behind Cloud DNS get none.
 */
export class ServiceDashboard extends pulumi.ComponentResource {
    public readonly dashboardName: string;
    /** Console page of the dashboard. */
    public readonly url: string;
    public readonly dashboardArn: pulumi.Output<string>;

    constructor(name: string, args: ServiceDashboardArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:monitoring:ServiceDashboard", name, {}, opts);
        assertNoIssues("ServiceDashboard", name, validateServiceDashboardArgs(args), this);
        const a = resolveServiceDashboardDefaults(args);

        const provider = new aws.Provider(`${name}-${ROUTE53_METRICS_REGION}`, { region: ROUTE53_METRICS_REGION }, { parent: this });
        const dashboard = new aws.cloudwatch.Dashboard(
            name,
            { dashboardName: a.dashboardName, dashboardBody: pulumi.jsonStringify(dashboardBody(a)) },
            { parent: this, provider },
        );

        this.dashboardName = a.dashboardName;
        this.url = dashboardConsoleUrl(a.dashboardName);
        this.dashboardArn = dashboard.dashboardArn;
        this.registerOutputs({ dashboardName: this.dashboardName, url: this.url, dashboardArn: this.dashboardArn });
    }
}
