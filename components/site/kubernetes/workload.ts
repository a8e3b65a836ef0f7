// The service's pods: a Deployment spread over zones and nodes, a disruption budget that keeps
// most of them up yet never blocks a node drain, an autoscaler, a Service and an Ingress.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedKubernetesSiteArgs } from "../kubernetesSite";
import type { KubernetesDatabase } from "./database";

export interface Workload {
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service: k8s.core.v1.Service;
    readonly ingress: k8s.networking.v1.Ingress;
    readonly disruptionBudget: k8s.policy.v1.PodDisruptionBudget;
    readonly autoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    /** What the ingress controller reports: its hostname, else its IP ("" until admitted). */
    readonly ingressAddress: pulumi.Output<string>;
}

export function createWorkload(
    name: string,
    a: ResolvedKubernetesSiteArgs,
    namespace: pulumi.Output<string>,
    db: KubernetesDatabase | undefined,
    child: pulumi.CustomResourceOptions,
): Workload {
    const selector = { "app.kubernetes.io/name": a.service, "app.kubernetes.io/component": "app" };
    const labels = { ...a.labels, ...selector };
    const probe = (periodSeconds: number, failureThreshold: number) => ({
        httpGet: { path: a.healthCheckPath, port: "http" },
        periodSeconds,
        failureThreshold,
        timeoutSeconds: 3,
    });
    const env: k8s.types.input.core.v1.EnvVar[] = db
        ? [
              { name: "DB_HOST", value: db.siteDatabase.host },
              { name: "DB_PORT", value: String(db.siteDatabase.port) },
              { name: "DB_NAME", value: db.siteDatabase.databaseName },
              { name: "DB_USER", value: db.siteDatabase.username },
              { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: db.secretName, key: "password" } } },
          ]
        : [];

    const deployment = new k8s.apps.v1.Deployment(
        `${name}-deployment`,
        {
            metadata: { name: a.service, namespace, labels },
            spec: {
                // 0 is a pilot light: the autoscaler leaves a Deployment scaled to zero alone until failover raises it.
                replicas: a.minCapacity,
                selector: { matchLabels: selector },
                // Never below the current count during a rollout: new pods come up before old ones go.
                strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
                template: {
                    metadata: { labels },
                    spec: {
                        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                        topologySpreadConstraints: [
                            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: a.zoneSpread, labelSelector: { matchLabels: selector } },
                            { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
                        ],
                        containers: [
                            {
                                name: "app",
                                image: a.image,
                                ports: [{ name: "http", containerPort: a.port }],
                                env,
                                resources: {
                                    requests: { cpu: `${a.cpuMillis}m`, memory: `${a.memoryMb}Mi` },
                                    limits: { cpu: `${a.cpuMillis}m`, memory: `${a.memoryMb}Mi` },
                                },
                                // Up to 150 s to start; out of the Service after 3 failed checks; restarted after 3 more.
                                startupProbe: probe(5, 30),
                                readinessProbe: probe(10, 3),
                                livenessProbe: probe(20, 3),
                                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                            },
                        ],
                    },
                },
            },
        },
        child,
    );

    // maxUnavailable 1 (not minAvailable = replicas) so a drain can always evict one pod at a time;
    // AlwaysAllow lets crash-looping pods be evicted rather than hold the drain.
    const disruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
        `${name}-pdb`,
        { metadata: { name: a.service, namespace, labels }, spec: { maxUnavailable: 1, selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: "AlwaysAllow" } },
        child,
    );

    const autoscaler = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        `${name}-hpa`,
        {
            metadata: { name: a.service, namespace, labels },
            spec: {
                scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: a.service },
                minReplicas: Math.max(1, a.minCapacity),
                maxReplicas: a.maxCapacity,
                metrics: [
                    { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
                    { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } },
                ],
            },
        },
        { ...child, dependsOn: [deployment] },
    );

    const service = new k8s.core.v1.Service(
        `${name}-service`,
        { metadata: { name: a.service, namespace, labels }, spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: 80, targetPort: "http" }] } },
        child,
    );

    const backend = { service: { name: a.service, port: { name: "http" } } };
    const rules: k8s.types.input.networking.v1.IngressRule[] = [];
    if (a.domain) rules.push({ host: a.domain, http: { paths: [{ path: "/", pathType: "Prefix", backend }] } });
    // Health checkers connect by IP, without the domain as Host: the health path answers any host.
    rules.push({ http: { paths: [a.domain ? { path: a.healthCheckPath, pathType: "Exact", backend } : { path: "/", pathType: "Prefix", backend }] } });
    const ingress = new k8s.networking.v1.Ingress(
        `${name}-ingress`,
        {
            metadata: { name: a.service, namespace, labels },
            spec: {
                ingressClassName: a.ingressClass,
                rules,
                ...(a.tlsSecretName && a.domain ? { tls: [{ hosts: [a.domain], secretName: a.tlsSecretName }] } : {}),
            },
        },
        { ...child, dependsOn: [service] },
    );
    const ingressAddress = ingress.status.apply((s) => {
        const lb = s?.loadBalancer?.ingress?.[0];
        return lb?.hostname ?? lb?.ip ?? "";
    });
    return { deployment, service, ingress, disruptionBudget, autoscaler, ingressAddress };
}
