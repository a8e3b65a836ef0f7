// Route 53 record sets that move traffic between sites when a site's health check fails:
// failover (PRIMARY / SECONDARY) for active-passive, weighted for active-active. Every record
// carries the health check built from the same endpoint object in the same loop iteration, so a
// record can never be judged by another site's health.
//
// More than one secondary: a Route 53 failover set holds one PRIMARY and one SECONDARY per name,
// so further secondaries form an ordered chain. The SECONDARY of each level is an alias (evaluate
// target health) to a nested failover set `failover-<n>.<record>` whose PRIMARY is the next
// secondary. Secondaries are therefore tried in the order listed, each judged by its own check.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertNoIssues, commonDnsIssues, DnsFailoverArgs, endpointsByRole, HealthProbe, isIpv4, judgedDown, probeProtocol, recordFqdn, resolveDnsFailoverDefaults, RoutedEndpoint, RoutingMode, stripDot, SUPPORT_RECORD_TTL_SECONDS } from "./endpoints";

/** Regions Route 53 health checkers run in (the API accepts only these). */
export const ROUTE53_CHECKER_REGIONS = ["us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"] as const;

/** Route 53 publishes health-check metrics in us-east-1 only, so alarms live there. */
export const ROUTE53_METRICS_REGION = "us-east-1";

/**
 * A Route 53 record set over the sites. `zoneName` is a public hosted zone; `drillSiteKey`'s health
 * check is inverted so that Route 53 judges that site down.
 */
export interface Route53FailoverArgs extends DnsFailoverArgs {
    /** Regions the health checkers probe from (at least 3). @default ["us-east-1", "eu-west-1", "ap-southeast-1"] */
    readonly regions?: readonly string[];
    /** Record latency from every checker region (CloudWatch graphs). @default true */
    readonly measureLatency?: boolean;
    /** For sites with `extraProbes`: how many of the site's probes must pass. @default all of them */
    readonly childHealthThreshold?: number;
    /** SNS topic (in us-east-1) for health-check alarms. @default a new topic */
    readonly alarmTopicArn?: pulumi.Input<string>;
    /** Email addresses subscribed to a topic this component creates. @default none */
    readonly alertEmails?: readonly string[];
    /** HTTPS endpoints subscribed to a topic this component creates. @default none */
    readonly alertWebhooks?: readonly string[];
    /** AWS provider for us-east-1, shared between components. @default a new one */
    readonly metricsProvider?: aws.Provider;
    /**
     * Sites the service's read-only sites send their writes to, in the order tried (the writer's site,
     * then the site a promotion moves the writer to): a failover record set `writes.<fqdn>` over them,
     * each record carrying its site's own health check, so writes follow the site that is up (and a
     * pinned-out old writer's site hands over). One or two site keys. @default none
     */
    readonly writeRoute?: { readonly siteKeys: readonly string[] };
    /** @default {} */
    readonly tags?: Readonly<Record<string, string>>;
}

type OptionalWithoutDefault = "drillSiteKey" | "pinnedOutSiteKey" | "alarmTopicArn" | "metricsProvider" | "childHealthThreshold" | "writeRoute";
type ResolvedArgs = Required<Omit<Route53FailoverArgs, OptionalWithoutDefault>> & Pick<Route53FailoverArgs, OptionalWithoutDefault>;

export function resolveRoute53Defaults(args: Route53FailoverArgs): ResolvedArgs {
    return {
        ...resolveDnsFailoverDefaults(args),
        regions: args.regions ?? ["us-east-1", "eu-west-1", "ap-southeast-1"],
        measureLatency: args.measureLatency ?? true,
        alertEmails: args.alertEmails ?? [],
        alertWebhooks: args.alertWebhooks ?? [],
        tags: args.tags ?? {},
    };
}

/** Record type a whole record set uses: Route 53 cannot mix CNAME with A records at one name. */
export function route53RecordType(endpoints: readonly RoutedEndpoint[]): "A" | "CNAME" {
    return endpoints.length > 0 && endpoints.every((e) => e.target.kind === "hostname") ? "CNAME" : "A";
}

/** Every problem with the args, empty when they are valid. */
export function validateRoute53FailoverArgs(args: Route53FailoverArgs): string[] {
    const issues = commonDnsIssues(args);
    const a = resolveRoute53Defaults(args);
    if (![10, 30].includes(args.healthCheck.intervalSeconds)) {
        issues.push(`healthCheck.intervalSeconds: ${args.healthCheck.intervalSeconds} is not an interval Route 53 offers; expected 10 or 30`);
    }
    if (new Set(a.regions).size < 3) issues.push(`regions: ${JSON.stringify(a.regions)} names fewer than 3 distinct regions; Route 53 needs at least 3 checker regions`);
    a.regions.forEach((r, i) => {
        if (!(ROUTE53_CHECKER_REGIONS as readonly string[]).includes(r)) {
            issues.push(`regions[${i}]: "${r}" is not a Route 53 checker region; expected one of ${ROUTE53_CHECKER_REGIONS.join(", ")}`);
        }
    });
    const hostnames = args.endpoints.filter((e) => e.target.kind === "hostname");
    if (hostnames.length > 0 && hostnames.length < args.endpoints.length) {
        const others = args.endpoints.filter((e) => e.target.kind !== "hostname");
        issues.push(
            `endpoints: ${hostnames.map((e) => e.key).join(", ")} resolve by hostname (CNAME) while ${others.map((e) => e.key).join(", ")} resolve to addresses (A); ` +
                "Route 53 cannot mix CNAME and A records at one name; give the hostname sites a static IP (e.g. the Kubernetes site's loadBalancerIp)",
        );
    }
    if (route53RecordType(args.endpoints) === "CNAME" && recordFqdn(args.recordName, args.zoneName) === stripDot(args.zoneName)) {
        issues.push(`recordName: "${args.recordName}" is the zone apex, where a CNAME is not allowed; use a label such as "www" or give the sites IP or load-balancer targets`);
    }
    if (args.writeRoute !== undefined) {
        const keys = args.writeRoute.siteKeys;
        if (keys.length < 1 || keys.length > 2) issues.push(`writeRoute.siteKeys: ${JSON.stringify(keys)}; expected one or two site keys (a failover record set has a PRIMARY and a SECONDARY)`);
        keys.forEach((k, i) => {
            const e = args.endpoints.find((x) => x.key === k);
            if (!e) issues.push(`writeRoute.siteKeys[${i}]: "${k}" is not one of the endpoints (${args.endpoints.map((x) => x.key).join(", ")})`);
            else if (e.target.kind !== "alias") issues.push(`writeRoute.siteKeys[${i}]: "${k}" is not behind a load balancer (alias target); writes are routed to load balancers only`);
        });
    }
    if (args.childHealthThreshold !== undefined) {
        const most = Math.max(1, ...args.endpoints.map((e) => 1 + (e.extraProbes?.length ?? 0)));
        if (!Number.isInteger(args.childHealthThreshold) || args.childHealthThreshold < 1 || args.childHealthThreshold > most) {
            issues.push(`childHealthThreshold: ${args.childHealthThreshold} is out of range; expected 1-${most} (the probes a site has)`);
        }
    }
    return issues;
}

/** Where an endpoint's record sits. */
export interface Route53Placement {
    /** Record name (FQDN without trailing dot). */
    readonly name: string;
    readonly setIdentifier: string;
    readonly failover?: "PRIMARY" | "SECONDARY";
    readonly weight?: number;
}

/** A SECONDARY alias that hands over to the next level of a failover chain. */
export interface Route53ChainLink {
    readonly name: string;
    readonly setIdentifier: string;
    readonly next: string;
}

export interface Route53Plan {
    /** Same order as the endpoints. */
    readonly placements: readonly Route53Placement[];
    readonly chain: readonly Route53ChainLink[];
}

/** The name read-only sites send their writes to (see Route53FailoverArgs.writeRoute). */
export function writesRecordName(fqdn: string): string {
    return `writes.${fqdn}`;
}

/** Name of level `n` (n >= 1) of a failover chain. */
export function chainLevelName(fqdn: string, n: number): string {
    return `failover-${n}.${fqdn}`;
}

/** Pure layout of the record set: which name, set identifier and failover role or weight each endpoint gets. */
export function planRoute53Records(endpoints: readonly RoutedEndpoint[], mode: RoutingMode, fqdn: string): Route53Plan {
    if (mode === "weighted") {
        return { placements: endpoints.map((e) => ({ name: fqdn, setIdentifier: e.key, weight: e.weight ?? 0 })), chain: [] };
    }
    const { secondaries } = endpointsByRole(endpoints);
    const level = (n: number) => (n === 0 ? fqdn : chainLevelName(fqdn, n));
    const placements = endpoints.map((e): Route53Placement => {
        if (e.role === "primary") return { name: fqdn, setIdentifier: e.key, failover: "PRIMARY" };
        const i = secondaries.indexOf(e);
        const last = i === secondaries.length - 1;
        // The last secondary is the SECONDARY of the deepest level; each earlier one is a PRIMARY one level down.
        return last ? { name: level(i), setIdentifier: e.key, failover: "SECONDARY" } : { name: level(i + 1), setIdentifier: e.key, failover: "PRIMARY" };
    });
    const chain: Route53ChainLink[] = [];
    for (let n = 0; n < secondaries.length - 1; n++) chain.push({ name: level(n), setIdentifier: `next-${n + 1}`, next: level(n + 1) });
    return { placements, chain };
}

export class Route53Failover extends pulumi.ComponentResource {
    /** The name clients resolve (FQDN, no trailing dot). */
    public readonly fqdn: string;
    public readonly zoneId: pulumi.Output<string>;
    /** The health check each site's record carries, by site key. */
    public readonly healthCheckIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** Records by site key. */
    public readonly records: Readonly<Record<string, aws.route53.Record>>;
    public readonly alarmTopicArn: pulumi.Output<string>;
    /** Route 53 console page of the health checks. */
    public readonly consoleUrl: string;
    /** `writes.<fqdn>`, built from its records (see writeRoute); undefined without a write route. */
    public readonly writesFqdn?: pulumi.Output<string>;

    constructor(name: string, args: Route53FailoverArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:dns:Route53Failover", name, {}, opts);
        assertNoIssues("Route53Failover", name, validateRoute53FailoverArgs(args), this);
        const a = resolveRoute53Defaults(args);
        const fqdn = recordFqdn(a.recordName, a.zoneName);
        const zoneName = stripDot(a.zoneName);
        const tags = { ...a.tags, "nonstop:record": fqdn };

        const zoneId = a.createZone
            ? // A hosted zone's resource id is its zone id.
              new aws.route53.Zone(`${name}-zone`, { name: zoneName, comment: `nonstop: ${fqdn}`, tags }, { parent: this, protect: a.protectZone, retainOnDelete: a.protectZone }).id
            : aws.route53.getZoneOutput({ name: zoneName, privateZone: false }, { parent: this }).zoneId;

        const metricsProvider = a.metricsProvider ?? new aws.Provider(`${name}-${ROUTE53_METRICS_REGION}`, { region: ROUTE53_METRICS_REGION }, { parent: this });
        const topicArn = a.alarmTopicArn !== undefined ? pulumi.output(a.alarmTopicArn) : this.createAlertTopic(name, a, metricsProvider, tags);

        const type = route53RecordType(a.endpoints);
        const plan = planRoute53Records(a.endpoints, a.mode, fqdn);
        const healthCheckIds: Record<string, pulumi.Output<string>> = {};
        const records: Record<string, aws.route53.Record> = {};

        // One loop: the health check and the record of a site come from the same endpoint object.
        a.endpoints.forEach((endpoint, i) => {
            const place = plan.placements[i];
            const inverted = judgedDown(endpoint, a);
            const healthCheck = this.createSiteHealthCheck(name, endpoint, inverted, a, tags, topicArn, metricsProvider);
            healthCheckIds[endpoint.key] = healthCheck.id;
            records[endpoint.key] = new aws.route53.Record(
                `${name}-${endpoint.key}`,
                {
                    zoneId,
                    name: place.name,
                    type,
                    setIdentifier: place.setIdentifier,
                    healthCheckId: healthCheck.id,
                    ...(place.failover ? { failoverRoutingPolicies: [{ type: place.failover }] } : { weightedRoutingPolicies: [{ weight: place.weight ?? 0 }] }),
                    ...recordTarget(endpoint, a.ttlSeconds),
                },
                { parent: this },
            );
        });
        // Links of a failover chain: no health check of their own, they follow the nested set's health.
        for (const link of plan.chain) {
            new aws.route53.Record(
                `${name}-${link.setIdentifier}`,
                {
                    zoneId,
                    name: link.name,
                    type,
                    setIdentifier: link.setIdentifier,
                    failoverRoutingPolicies: [{ type: "SECONDARY" }],
                    aliases: [{ name: link.next, zoneId, evaluateTargetHealth: true }],
                },
                { parent: this, dependsOn: Object.values(records) },
            );
        }

        // Writes of read-only sites: the writer's site while its check passes, then the next one.
        const writes = (a.writeRoute?.siteKeys ?? []).map((key, i) => {
            const endpoint = a.endpoints.find((e) => e.key === key)!;
            return new aws.route53.Record(
                `${name}-writes-${key}`,
                {
                    zoneId,
                    name: writesRecordName(fqdn),
                    type: "A",
                    setIdentifier: key,
                    healthCheckId: healthCheckIds[key],
                    failoverRoutingPolicies: [{ type: i === 0 ? "PRIMARY" : "SECONDARY" }],
                    ...recordTarget(endpoint, a.ttlSeconds),
                },
                { parent: this },
            );
        });

        a.supportRecords.forEach((r, i) => {
            new aws.route53.Record(
                `${name}-support-${i}`,
                { zoneId, name: r.name, type: r.type, records: [r.data], ttl: SUPPORT_RECORD_TTL_SECONDS },
                { parent: this },
            );
        });

        this.fqdn = fqdn;
        this.zoneId = zoneId;
        this.healthCheckIds = healthCheckIds;
        this.records = records;
        this.alarmTopicArn = topicArn;
        this.consoleUrl = "https://us-east-1.console.aws.amazon.com/route53/healthchecks/home";
        // Built from every writes record, so whatever uses the name depends on all of them.
        this.writesFqdn = writes.length > 0 ? pulumi.all(writes.map((r) => r.fqdn)).apply(() => writesRecordName(fqdn)) : undefined;
        this.registerOutputs({ fqdn, zoneId, healthCheckIds, alarmTopicArn: topicArn });
    }

    private createAlertTopic(name: string, a: ResolvedArgs, provider: aws.Provider, tags: Record<string, string>): pulumi.Output<string> {
        const topic = new aws.sns.Topic(`${name}-health`, { tags }, { parent: this, provider });
        a.alertEmails.forEach((email, i) => new aws.sns.TopicSubscription(`${name}-health-email-${i}`, { topic: topic.arn, protocol: "email", endpoint: email }, { parent: this, provider }));
        a.alertWebhooks.forEach((url, i) => new aws.sns.TopicSubscription(`${name}-health-webhook-${i}`, { topic: topic.arn, protocol: "https", endpoint: pulumi.secret(url) }, { parent: this, provider }));
        return topic.arn;
    }

    /** The check a site's record carries: one HTTP(S) check, or a CALCULATED check over the site's probes. */
    private createSiteHealthCheck(
        name: string,
        endpoint: RoutedEndpoint,
        inverted: boolean,
        a: ResolvedArgs,
        tags: Record<string, string>,
        topicArn: pulumi.Output<string>,
        provider: aws.Provider,
    ): aws.route53.HealthCheck {
        const main: HealthProbe = {
            host: endpoint.healthCheckHost,
            path: endpoint.probePath ?? a.healthCheck.path ?? endpoint.healthCheckPath,
            port: endpoint.healthCheckPort,
            protocol: endpoint.healthCheckProtocol,
        };
        const probes = [main, ...(endpoint.extraProbes ?? [])];
        const siteTags = { ...tags, "nonstop:site": endpoint.key };
        if (probes.length === 1) {
            const check = this.createProbeCheck(`${name}-${endpoint.key}`, main, inverted, a, siteTags);
            this.createAlarm(`${name}-${endpoint.key}`, check, endpoint.key, topicArn, provider);
            return check;
        }
        // The drill inverts the site's verdict (the parent), never a single probe.
        const children = probes.map((p, j) => {
            const check = this.createProbeCheck(`${name}-${endpoint.key}-probe-${j}`, p, false, a, siteTags);
            this.createAlarm(`${name}-${endpoint.key}-probe-${j}`, check, endpoint.key, topicArn, provider);
            return check;
        });
        const parent = new aws.route53.HealthCheck(
            `${name}-${endpoint.key}`,
            {
                type: "CALCULATED",
                childHealthchecks: children.map((c) => c.id),
                childHealthThreshold: Math.min(a.childHealthThreshold ?? children.length, children.length),
                invertHealthcheck: inverted,
                tags: { ...siteTags, Name: `${name}-${endpoint.key}` },
            },
            { parent: this },
        );
        this.createAlarm(`${name}-${endpoint.key}`, parent, endpoint.key, topicArn, provider);
        return parent;
    }

    private createProbeCheck(resourceName: string, probe: HealthProbe, inverted: boolean, a: ResolvedArgs, tags: Record<string, string>): aws.route53.HealthCheck {
        return new aws.route53.HealthCheck(
            resourceName,
            {
                type: probeProtocol(probe),
                // The host is a name for load balancers and an address for static IPs.
                fqdn: probe.host.apply((h) => (isIpv4(h) ? undefined : h)),
                ipAddress: probe.host.apply((h) => (isIpv4(h) ? h : undefined)),
                port: probe.port,
                resourcePath: probe.path,
                requestInterval: a.healthCheck.intervalSeconds,
                failureThreshold: a.healthCheck.failureThreshold,
                regions: [...a.regions],
                measureLatency: a.measureLatency,
                invertHealthcheck: inverted,
                tags: { ...tags, Name: resourceName },
            },
            { parent: this },
        );
    }

    private createAlarm(resourceName: string, check: aws.route53.HealthCheck, siteKey: string, topicArn: pulumi.Output<string>, provider: aws.Provider): aws.cloudwatch.MetricAlarm {
        return new aws.cloudwatch.MetricAlarm(
            `${resourceName}-down`,
            {
                alarmDescription: `Route 53 health check of site ${siteKey} is failing; DNS has moved its traffic to the other sites`,
                namespace: "AWS/Route53",
                metricName: "HealthCheckStatus",
                dimensions: { HealthCheckId: check.id },
                statistic: "Minimum",
                period: 60,
                evaluationPeriods: 1,
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
                // No data from the checkers is as bad as a failing check.
                treatMissingData: "breaching",
                alarmActions: [topicArn],
                okActions: [topicArn],
            },
            { parent: this, provider },
        );
    }
}

/** The part of a record that says where it points: alias for load balancers, values with a TTL otherwise. */
function recordTarget(endpoint: RoutedEndpoint, ttlSeconds: number): Pick<aws.route53.RecordArgs, "aliases" | "records" | "ttl"> {
    const t = endpoint.target;
    switch (t.kind) {
        case "alias":
            // The record's own health check judges the site (it probes the stable track only); the
            // load balancer's target health would count every track, idle colour and canary included.
            return { aliases: [{ name: t.dnsName, zoneId: t.zoneId, evaluateTargetHealth: false }] };
        case "ip":
            return { records: [t.address], ttl: ttlSeconds };
        case "hostname":
            return { records: [t.hostname], ttl: ttlSeconds };
    }
}
