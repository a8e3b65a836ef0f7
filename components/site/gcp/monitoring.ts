// Cloud Monitoring for a GCP site: an uptime check through the load balancer (what users and DNS
// see) and alert policies for it, the service's 5xx share and p99 latency, and Cloud SQL health,
// all sent to the site's notification channels. With release tracks the 5xx share and latency are
// watched per track (per Cloud Run service), so a failing canary alerts even at a small share.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedGcpSiteArgs } from "../gcpSite";

export interface GcpMonitoringInputs {
    /** The Cloud Run services the error-rate and latency alerts watch: one per release track. */
    readonly serviceNames: readonly pulumi.Output<string>[];
    /** Load balancer IP the uptime check probes. */
    readonly address: pulumi.Output<string>;
    readonly sqlInstances: readonly gcp.sql.DatabaseInstance[];
}

export interface GcpMonitoring {
    readonly channels: readonly gcp.monitoring.NotificationChannel[];
    readonly uptimeCheck: gcp.monitoring.UptimeCheckConfig;
    readonly policies: readonly gcp.monitoring.AlertPolicy[];
}

/** Regions the uptime check probes from (Cloud Monitoring needs at least three). */
export const UPTIME_CHECKER_REGIONS = ["USA", "EUROPE", "ASIA_PACIFIC"];

/**
 * Cloud Run request metrics of the site's services: the one service, or every track's service
 * (`one_of`). The alert conditions group by service name, so each track is its own time series.
 */
export function cloudRunFilter(serviceNames: readonly pulumi.Input<string>[]): pulumi.Output<string> {
    return pulumi.all([...serviceNames]).apply((names) =>
        names.length === 1
            ? `resource.type="cloud_run_revision" AND resource.label.service_name="${names[0]}"`
            : `resource.type="cloud_run_revision" AND resource.label.service_name=one_of(${names.map((n) => `"${n}"`).join(", ")})`,
    );
}

export function createGcpMonitoring(name: string, a: ResolvedGcpSiteArgs, inputs: GcpMonitoringInputs, child: pulumi.CustomResourceOptions): GcpMonitoring {
    const labels = { ...a.labels };
    const channels = [
        ...a.alertEmails.map(
            (email, i) =>
                new gcp.monitoring.NotificationChannel(
                    `${name}-alert-email-${i}`,
                    { type: "email", displayName: `${a.service} ${a.key} alerts: ${email}`, labels: { email_address: email }, userLabels: labels },
                    child,
                ),
        ),
        ...a.alertWebhooks.map(
            (url, i) =>
                new gcp.monitoring.NotificationChannel(
                    `${name}-alert-webhook-${i}`,
                    { type: "webhook_tokenauth", displayName: `${a.service} ${a.key} alerts: webhook ${i + 1}`, labels: { url: pulumi.secret(url) }, userLabels: labels },
                    child,
                ),
        ),
    ];
    const notificationChannels = channels.map((c) => c.id);

    const https = a.domain !== undefined;
    const uptimeCheck = new gcp.monitoring.UptimeCheckConfig(
        `${name}-uptime`,
        {
            displayName: `${a.service} ${a.key} health`,
            period: "60s",
            timeout: "10s",
            selectedRegions: UPTIME_CHECKER_REGIONS,
            // By IP, like the DNS health checks: this site, whatever DNS currently points at.
            monitoredResource: { type: "uptime_url", labels: { project_id: a.project, host: inputs.address } },
            httpCheck: {
                path: a.healthCheckPath,
                port: https ? 443 : 80,
                useSsl: https,
                // The certificate names the domain, not the IP the check connects to.
                validateSsl: false,
                acceptedResponseStatusCodes: [{ statusClass: "STATUS_CLASS_2XX" }],
            },
            userLabels: labels,
        },
        child,
    );

    const policy = (suffix: string, displayName: string, severity: string, conditions: gcp.types.input.monitoring.AlertPolicyCondition[], content: string) =>
        new gcp.monitoring.AlertPolicy(
            `${name}-alert-${suffix}`,
            {
                displayName: `${a.service} ${a.key}: ${displayName}`,
                combiner: "OR",
                severity,
                conditions,
                notificationChannels,
                alertStrategy: { autoClose: "1800s" },
                documentation: { content, mimeType: "text/markdown" },
                userLabels: labels,
            },
            child,
        );
    const runFilter = cloudRunFilter(inputs.serviceNames);
    const perMinute = (aligner: string, reducer: string) => [
        { alignmentPeriod: "60s", perSeriesAligner: aligner, crossSeriesReducer: reducer, groupByFields: ["resource.label.service_name"] },
    ];

    const policies = [
        policy(
            "uptime",
            "health check failing",
            "CRITICAL",
            [
                {
                    displayName: "uptime check fails from more than one region",
                    conditionThreshold: {
                        filter: pulumi.interpolate`metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url" AND metric.label.check_id="${uptimeCheck.uptimeCheckId}"`,
                        aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_NEXT_OLDER", crossSeriesReducer: "REDUCE_COUNT_FALSE", groupByFields: ["resource.label.host"] }],
                        comparison: "COMPARISON_GT",
                        thresholdValue: 1,
                        duration: "120s",
                        trigger: { count: 1 },
                    },
                },
            ],
            `${a.healthCheckPath} on the ${a.key} load balancer fails. DNS failover takes traffic away from this site; find out why before it returns.`,
        ),
        policy(
            "errors",
            "5xx error rate",
            "CRITICAL",
            [
                {
                    displayName: `more than ${a.errorRateThreshold * 100}% of requests answered 5xx`,
                    conditionThreshold: {
                        filter: pulumi.interpolate`${runFilter} AND metric.type="run.googleapis.com/request_count" AND metric.label.response_code_class="5xx"`,
                        denominatorFilter: pulumi.interpolate`${runFilter} AND metric.type="run.googleapis.com/request_count"`,
                        aggregations: perMinute("ALIGN_RATE", "REDUCE_SUM"),
                        denominatorAggregations: perMinute("ALIGN_RATE", "REDUCE_SUM"),
                        comparison: "COMPARISON_GT",
                        thresholdValue: a.errorRateThreshold,
                        duration: "300s",
                        trigger: { count: 1 },
                    },
                },
            ],
            a.tracks
                ? `A Cloud Run service of ${a.service} in ${a.region} (release tracks ${a.tracks.map((t) => t.name).join(", ")}; the service_name label says which) answers too many requests with 5xx.`
                : `The Cloud Run service of ${a.service} in ${a.region} answers too many requests with 5xx.`,
        ),
        policy(
            "latency",
            "p99 latency",
            "WARNING",
            [
                {
                    displayName: `p99 latency above ${a.latencyThresholdMs} ms`,
                    conditionThreshold: {
                        filter: pulumi.interpolate`${runFilter} AND metric.type="run.googleapis.com/request_latencies"`,
                        aggregations: perMinute("ALIGN_PERCENTILE_99", "REDUCE_MAX"),
                        comparison: "COMPARISON_GT",
                        thresholdValue: a.latencyThresholdMs,
                        duration: "300s",
                        trigger: { count: 1 },
                    },
                },
            ],
            `Requests to ${a.service} in ${a.region} are slow (p99).`,
        ),
    ];

    if (inputs.sqlInstances.length > 0) {
        const conditions = inputs.sqlInstances.flatMap((instance, i): gcp.types.input.monitoring.AlertPolicyCondition[] => {
            const db = pulumi.interpolate`resource.type="cloudsql_database" AND resource.label.database_id="${a.project}:${instance.name}"`;
            const which = i === 0 ? "primary" : `replica ${i}`;
            return [
                {
                    displayName: `Cloud SQL ${which} down`,
                    conditionThreshold: {
                        filter: pulumi.interpolate`${db} AND metric.type="cloudsql.googleapis.com/database/up"`,
                        aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MIN" }],
                        comparison: "COMPARISON_LT",
                        thresholdValue: 1,
                        duration: "180s",
                        trigger: { count: 1 },
                    },
                },
                {
                    displayName: `Cloud SQL ${which} CPU above 90%`,
                    conditionThreshold: {
                        filter: pulumi.interpolate`${db} AND metric.type="cloudsql.googleapis.com/database/cpu/utilization"`,
                        aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MEAN" }],
                        comparison: "COMPARISON_GT",
                        thresholdValue: 0.9,
                        duration: "900s",
                        trigger: { count: 1 },
                    },
                },
            ];
        });
        policies.push(policy("database", "Cloud SQL health", "CRITICAL", conditions, `A Cloud SQL instance of ${a.service} in ${a.region} is down or saturated.`));
    }
    return { channels, uptimeCheck, policies };
}
