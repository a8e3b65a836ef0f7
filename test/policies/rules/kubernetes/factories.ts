// Happy-path props for every Kubernetes kind the resource rules judge: each passes every rule with
// default thresholds. Typed by the provider's args so property names are checked.
import type * as k8s from "@pulumi/kubernetes";
import type { Unwrap } from "@pulumi/pulumi";

type P<T> = Unwrap<T>;
type PodTemplate = Unwrap<k8s.types.input.core.v1.PodTemplateSpec>;

const labels = { app: "checkout" };

export const podTemplate = (): PodTemplate => ({
    metadata: { labels },
    spec: {
        containers: [
            {
                name: "api",
                image: "ghcr.io/nonstop/checkout:1.2.3",
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: "/live", port: 8080 }, failureThreshold: 6 },
                resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } },
            },
        ],
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: labels } }],
    },
});

export const deployment = (): P<k8s.apps.v1.DeploymentArgs> => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "checkout", labels },
    spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: podTemplate(),
    },
});

export const statefulSet = (): P<k8s.apps.v1.StatefulSetArgs> => ({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "ledger", labels },
    spec: {
        replicas: 3,
        serviceName: "ledger",
        selector: { matchLabels: labels },
        template: podTemplate(),
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } } } }],
    },
});

export const daemonSet = (): P<k8s.apps.v1.DaemonSetArgs> => ({
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "log-agent", labels },
    spec: { selector: { matchLabels: labels }, template: podTemplate() },
});

export const podDisruptionBudget = (): P<k8s.policy.v1.PodDisruptionBudgetArgs> => ({
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "checkout" },
    spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
});

export const hpa = (): P<k8s.autoscaling.v2.HorizontalPodAutoscalerArgs> => ({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "checkout" },
    spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "checkout" },
        minReplicas: 3,
        maxReplicas: 12,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    },
});

export const hpaV1 = (): P<k8s.autoscaling.v1.HorizontalPodAutoscalerArgs> => ({
    apiVersion: "autoscaling/v1",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "checkout" },
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "checkout" }, minReplicas: 2, maxReplicas: 6 },
});

/** Every Kubernetes type the rules judge, with a compliant factory. */
export const kubernetesFactories: readonly { readonly type: string; readonly name: string; readonly props: () => object }[] = [
    { type: "kubernetes:apps/v1:Deployment", name: "checkout", props: deployment },
    { type: "kubernetes:apps/v1:StatefulSet", name: "ledger", props: statefulSet },
    { type: "kubernetes:apps/v1:DaemonSet", name: "log-agent", props: daemonSet },
    { type: "kubernetes:policy/v1:PodDisruptionBudget", name: "checkout-pdb", props: podDisruptionBudget },
    { type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", name: "checkout-hpa", props: hpa },
    { type: "kubernetes:autoscaling/v1:HorizontalPodAutoscaler", name: "checkout-hpa-v1", props: hpaV1 },
];
