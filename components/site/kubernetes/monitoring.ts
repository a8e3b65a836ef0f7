// Prometheus alerts for a Kubernetes site (Prometheus operator CRDs): availability of the
// Deployment, share of 5xx answers, database copies ready and standby lag; routed by an AlertmanagerConfig to
// the site's emails and webhooks. With release tracks the availability and 5xx alerts are per
// track (per Deployment, labelled `track`), so a failing canary alerts even at a small share.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedKubernetesSiteArgs } from "../kubernetesSite";
import { versionObjectName } from "./workload";

export interface PrometheusAlert {
    readonly alert: string;
    readonly expr: string;
    readonly for: string;
    /** `track` names the release track the alert is about (sites with tracks only). */
    readonly labels: { readonly severity: "critical" | "warning"; readonly track?: string };
    readonly annotations: { readonly summary: string };
}

/** Replication lag (seconds) of a CloudNativePG standby above which an alert fires. */
export const DATABASE_LAG_SECONDS = 60;

/** The alert rules of a site, as plain data (tested directly). `databaseCluster` is the CloudNativePG Cluster's name. */
export function kubernetesAlertRules(a: ResolvedKubernetesSiteArgs, databaseCluster?: string): PrometheusAlert[] {
    const ns = a.namespace;
    const versions = a.tracks
        ? a.tracks.map((t) => ({ track: t.name as string | undefined, minCapacity: t.minCapacity }))
        : [{ track: undefined as string | undefined, minCapacity: a.minCapacity }];
    const rules = versions.flatMap((v) => workloadRules(a, v.track, v.minCapacity));
    if (databaseCluster && a.data) {
        // CloudNativePG names its pods <cluster>-<serial>; kube-state-metrics reports their readiness.
        const pods = `namespace="${ns}", pod=~"${databaseCluster}-[0-9]+"`;
        rules.push(
            {
                alert: "DatabaseReplicasNotReady",
                expr: `count(kube_pod_status_ready{${pods}, condition="true"} == 1) < ${a.data.replicationFactor} or absent(kube_pod_status_ready{${pods}, condition="true"})`,
                for: "10m",
                labels: { severity: "critical" },
                annotations: { summary: `${a.service} in ${a.key}: fewer than ${a.data.replicationFactor} database copies ready (CloudNativePG cluster ${databaseCluster})` },
            },
            {
                alert: "DatabaseReplicationLag",
                expr: `max(cnpg_pg_replication_lag{${pods}}) > ${DATABASE_LAG_SECONDS}`,
                for: "5m",
                labels: { severity: "warning" },
                annotations: { summary: `${a.service} in ${a.key}: a database standby is more than ${DATABASE_LAG_SECONDS} s behind (CloudNativePG cluster ${databaseCluster})` },
            },
        );
    }
    return rules;
}

/** Availability and 5xx alerts of one Deployment: the site's only one, or one track's. */
function workloadRules(a: ResolvedKubernetesSiteArgs, track: string | undefined, minCapacity: number): PrometheusAlert[] {
    const ns = a.namespace;
    const name = versionObjectName(a.service, track);
    const deployment = `namespace="${ns}", deployment="${name}"`;
    const who = track ? `${a.service} (track ${track}) in ${a.key}` : `${a.service} in ${a.key}`;
    const labels = (severity: "critical" | "warning") => (track ? { severity, track } : { severity });
    // Without tracks, every request of the namespace; with tracks, the pods of the track's
    // Deployment (named <deployment>-<replicaset hash>-<pod hash>), by the `pod` label that
    // Prometheus' Kubernetes discovery attaches.
    const requests = track ? `namespace="${ns}", pod=~"${name}-[a-z0-9]+-[a-z0-9]+"` : `namespace="${ns}"`;
    const rules: PrometheusAlert[] = [
        {
            alert: "DeploymentMissing",
            expr: `absent(kube_deployment_status_replicas_available{${deployment}})`,
            for: "5m",
            labels: labels("critical"),
            annotations: { summary: `${who}: no availability metrics for the Deployment (gone, or kube-state-metrics is not scraping)` },
        },
        {
            alert: "HighErrorRate",
            expr:
                `sum(rate(http_requests_total{${requests}, code=~"5.."}[5m])) / ` +
                `sum(rate(http_requests_total{${requests}}[5m])) > ${a.errorRateThreshold}`,
            for: "5m",
            labels: labels("critical"),
            annotations: { summary: `${who}: more than ${a.errorRateThreshold * 100}% of requests answered 5xx` },
        },
    ];
    // A pilot light runs no pods on purpose; only alert on missing pods where some are expected.
    if (minCapacity > 0) {
        rules.unshift({
            alert: "ServiceUnavailable",
            expr: `kube_deployment_status_replicas_available{${deployment}} < ${minCapacity}`,
            for: "5m",
            labels: labels(minCapacity > 1 ? "warning" : "critical"),
            annotations: { summary: `${who}: fewer than ${minCapacity} pods available` },
        });
        rules.unshift({
            alert: "ServiceDown",
            expr: `kube_deployment_status_replicas_available{${deployment}} == 0`,
            for: "2m",
            labels: labels("critical"),
            annotations: { summary: `${who}: no pod available` },
        });
    }
    return rules;
}

export function createKubernetesMonitoring(
    name: string,
    a: ResolvedKubernetesSiteArgs,
    namespace: pulumi.Output<string>,
    databaseCluster: string | undefined,
    child: pulumi.CustomResourceOptions,
): { rule: k8s.apiextensions.CustomResource; alertmanagerConfig?: k8s.apiextensions.CustomResource } {
    const rule = new k8s.apiextensions.CustomResource(
        `${name}-alerts`,
        {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PrometheusRule",
            metadata: { name: `${a.service}-alerts`, namespace, labels: { ...a.labels, ...a.prometheusRuleLabels } },
            spec: { groups: [{ name: `${a.service}.rules`, rules: kubernetesAlertRules(a, databaseCluster) }] },
        },
        child,
    );
    if (a.alertEmails.length + a.alertWebhooks.length === 0) return { rule };

    // Webhook URLs carry tokens: they live in a Secret the route references, not in the route.
    const webhookSecretName = `${a.service}-alert-webhooks`;
    const webhookSecret = a.alertWebhooks.length
        ? new k8s.core.v1.Secret(
              `${name}-alert-webhooks`,
              {
                  metadata: { name: webhookSecretName, namespace, labels: { ...a.labels } },
                  type: "Opaque",
                  stringData: Object.fromEntries(a.alertWebhooks.map((url, i) => [`webhook-${i}`, pulumi.secret(url)])),
              },
              child,
          )
        : undefined;
    // Alertmanager scopes this route to the namespace's alerts by itself.
    const alertmanagerConfig = new k8s.apiextensions.CustomResource(
        `${name}-alert-routing`,
        {
            apiVersion: "monitoring.coreos.com/v1alpha1",
            kind: "AlertmanagerConfig",
            metadata: { name: `${a.service}-alerts`, namespace, labels: { ...a.labels } },
            spec: {
                route: { receiver: "nonstop", groupBy: ["alertname"], groupWait: "30s", repeatInterval: "4h" },
                receivers: [
                    {
                        name: "nonstop",
                        ...(a.alertEmails.length ? { emailConfigs: a.alertEmails.map((to) => ({ to, sendResolved: true })) } : {}),
                        ...(a.alertWebhooks.length ? { webhookConfigs: a.alertWebhooks.map((_url, i) => ({ urlSecret: { name: webhookSecretName, key: `webhook-${i}` }, sendResolved: true })) } : {}),
                    },
                ],
            },
        },
        { ...child, dependsOn: webhookSecret ? [webhookSecret] : [] },
    );
    return { rule, alertmanagerConfig };
}
