// The service's pods: a Deployment spread over zones and nodes, a disruption budget that keeps
// most of them up yet never blocks a node drain, an autoscaler, a Service and an Ingress.
//
// With release tracks each track is a Deployment of its own (its image, its floor) with its own
// disruption budget, autoscaler and Service, all labelled `track: <name>`. The split is
// ingress-nginx's canary: the main Ingress routes to the track taking the most requests, and a
// canary Ingress with the same rules sends the other track its percentage (`canary-weight`).
// Flipping blue-green's `live` swaps the two Services between the Ingresses.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedKubernetesSiteArgs } from "../kubernetesSite";
import { mainTrack, ResolvedTrack } from "../tracks";
import type { KubernetesDatabase } from "./database";
import { siteDatabaseEnvironment } from "../site";

/** ingress-nginx takes one canary Ingress per host and path: a main track and one other. */
export const KUBERNETES_MAX_TRACKS = 2;

/** One version of the service: its Deployment, disruption budget, autoscaler and Service. */
export interface WorkloadVersion {
    /** Track name; undefined without tracks. */
    readonly track?: string;
    /** Share of the site's requests, 0-100. */
    readonly percent: number;
    readonly minCapacity: number;
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service: k8s.core.v1.Service;
    readonly disruptionBudget: k8s.policy.v1.PodDisruptionBudget;
    readonly autoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler;
}

export interface Workload {
    /** One per track (a single one without tracks). */
    readonly versions: readonly WorkloadVersion[];
    /** Routes to the only version, or to the main track (see ingressSplit). */
    readonly ingress: k8s.networking.v1.Ingress;
    /** ingress-nginx canary Ingress sending the second track its share; only with two tracks. */
    readonly canaryIngress?: k8s.networking.v1.Ingress;
    /** What the ingress controller reports: its hostname, else its IP ("" until admitted). */
    readonly ingressAddress: pulumi.Output<string>;
}

/** Name of a version's Deployment, Service, disruption budget and autoscaler: the service, suffixed with the track. */
export function versionObjectName(service: string, track?: string): string {
    return track ? `${service}-${track}` : service;
}

/**
 * How the ingress splits a site's requests between its tracks: the main Ingress routes to the track
 * taking the most (blue-green's live colour, a canary's stable track), the canary Ingress sends the
 * other track its percentage (0 for blue-green's idle colour). Pure; call on validated tracks.
 */
export function ingressSplit(tracks: readonly ResolvedTrack[]): { readonly main: ResolvedTrack; readonly canary?: ResolvedTrack } {
    const main = mainTrack(tracks);
    return { main, canary: tracks.find((t) => t !== main) };
}

export function createWorkload(
    name: string,
    a: ResolvedKubernetesSiteArgs,
    namespace: pulumi.Output<string>,
    db: KubernetesDatabase | undefined,
    child: pulumi.CustomResourceOptions,
): Workload {
    const probe = (periodSeconds: number, failureThreshold: number) => ({
        httpGet: { path: a.healthCheckPath, port: "http" },
        periodSeconds,
        failureThreshold,
        timeoutSeconds: 3,
    });
    // The writer: this cluster's primary, or the upstream's across clusters for a replica cluster;
    // none for a read-only site.
    const env: k8s.types.input.core.v1.EnvVar[] =
        db && a.data
            ? [
                  ...Object.entries(siteDatabaseEnvironment(db.siteDatabase, a.data)).map(([name, value]) => ({ name, value })),
                  { name: "DATABASE_PASSWORD", valueFrom: { secretKeyRef: { name: db.secretName, key: "password" } } },
              ]
            : [];
    const specs = a.tracks
        ? a.tracks.map((t) => ({ track: t.name as string | undefined, image: t.image, percent: t.percent, minCapacity: t.minCapacity }))
        : [{ track: undefined as string | undefined, image: a.image, percent: 100, minCapacity: a.minCapacity }];

    const versions = specs.map((v): WorkloadVersion => {
        const s = v.track ? `-${v.track}` : "";
        const objectName = versionObjectName(a.service, v.track);
        // A track's selector carries its track, so its Service, budget and spread count only its own pods.
        const selector = { "app.kubernetes.io/name": a.service, "app.kubernetes.io/component": "app", ...(v.track ? { track: v.track } : {}) };
        const labels = { ...a.labels, ...selector };
        const deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment${s}`,
            {
                metadata: { name: objectName, namespace, labels },
                spec: {
                    // 0 is a pilot light: the autoscaler leaves a Deployment scaled to zero alone until failover raises it.
                    replicas: v.minCapacity,
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
                                    image: v.image,
                                    ports: [{ name: "http", containerPort: a.port }],
                                    env: v.track ? [...env, { name: "RELEASE_TRACK", value: v.track }] : env,
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
            `${name}-pdb${s}`,
            { metadata: { name: objectName, namespace, labels }, spec: { maxUnavailable: 1, selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: "AlwaysAllow" } },
            child,
        );

        const autoscaler = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${name}-hpa${s}`,
            {
                metadata: { name: objectName, namespace, labels },
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: objectName },
                    minReplicas: Math.max(1, v.minCapacity),
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
            `${name}-service${s}`,
            { metadata: { name: objectName, namespace, labels }, spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: 80, targetPort: "http" }] } },
            child,
        );
        return { track: v.track, percent: v.percent, minCapacity: v.minCapacity, deployment, service, disruptionBudget, autoscaler };
    });

    const labels = { ...a.labels, "app.kubernetes.io/name": a.service, "app.kubernetes.io/component": "app" };
    const split = a.tracks ? ingressSplit(a.tracks) : undefined;
    const versionOf = (track: string | undefined) => versions.find((v) => v.track === track) as WorkloadVersion;
    // Health checkers connect by IP, without the domain as Host: the health path answers any host,
    // on the main Ingress only (it has no canary twin, so DNS always judges the stable track).
    const rulesTo = (serviceName: string, main: boolean): k8s.types.input.networking.v1.IngressRule[] => {
        const backend = { service: { name: serviceName, port: { name: "http" } } };
        const rules: k8s.types.input.networking.v1.IngressRule[] = [];
        if (a.domain) rules.push({ host: a.domain, http: { paths: [{ path: "/", pathType: "Prefix", backend }] } });
        const anyHost: k8s.types.input.networking.v1.HTTPIngressPath[] = [];
        if (main && (a.domain || a.tracks)) anyHost.push({ path: a.dnsHealthCheckPath, pathType: "Exact", backend });
        if (!a.domain) anyHost.push({ path: "/", pathType: "Prefix", backend });
        if (anyHost.length > 0) rules.push({ http: { paths: anyHost } });
        return rules;
    };

    const main = versionOf(split?.main.name);
    const ingress = new k8s.networking.v1.Ingress(
        `${name}-ingress`,
        {
            metadata: { name: a.service, namespace, labels },
            spec: {
                ingressClassName: a.ingressClass,
                rules: rulesTo(versionObjectName(a.service, main.track), true),
                ...(a.tlsSecretName && a.domain ? { tls: [{ hosts: [a.domain], secretName: a.tlsSecretName }] } : {}),
            },
        },
        { ...child, dependsOn: [main.service] },
    );
    // The main Ingress's hosts and paths except the health path (ingress-nginx merges a canary only
    // into identical host/path/pathType locations, so that one stays on the main track); TLS is the
    // main Ingress's, per host.
    const canary = split?.canary ? versionOf(split.canary.name) : undefined;
    const canaryIngress = canary
        ? new k8s.networking.v1.Ingress(
              `${name}-ingress-canary`,
              {
                  metadata: {
                      name: `${a.service}-canary`,
                      namespace,
                      labels,
                      annotations: { "nginx.ingress.kubernetes.io/canary": "true", "nginx.ingress.kubernetes.io/canary-weight": String(canary.percent) },
                  },
                  spec: { ingressClassName: a.ingressClass, rules: rulesTo(versionObjectName(a.service, canary.track), false) },
              },
              { ...child, dependsOn: [canary.service, ingress] },
          )
        : undefined;
    const ingressAddress = ingress.status.apply((st) => {
        const lb = st?.loadBalancer?.ingress?.[0];
        return lb?.hostname ?? lb?.ip ?? "";
    });
    return { versions, ingress, canaryIngress, ingressAddress };
}
