// What the workload rules share: the pod template of a Deployment, StatefulSet or DaemonSet and
// the containers in it, read through typed views.
import type * as k8s from "@pulumi/kubernetes";
import type { Unwrap } from "@pulumi/pulumi";
import { View } from "../../lib/rule";

/** Workloads that run a number of replicas. */
export type ReplicatedArgs = k8s.apps.v1.DeploymentArgs | k8s.apps.v1.StatefulSetArgs;
export type WorkloadArgs = ReplicatedArgs | k8s.apps.v1.DaemonSetArgs;
export type PodTemplate = Unwrap<k8s.types.input.core.v1.PodTemplateSpec>;
export type Container = Unwrap<k8s.types.input.core.v1.Container>;

export const deployment = "kubernetes:apps/v1:Deployment";
export const statefulSet = "kubernetes:apps/v1:StatefulSet";
export const daemonSet = "kubernetes:apps/v1:DaemonSet";

/** The known containers of a pod template (`spec.template`); unknown lists and entries are skipped. */
export function containers(template: View<PodTemplate>): View<Container>[] {
    return (template.at("spec").items("containers") ?? []).filter((c) => c.isObject);
}

/** `container "api"` (or `container 0` when it has no known name), for messages. */
export function containerLabel(c: View<Container>, index: number): string {
    const name = c.str("name");
    return name !== undefined ? `container ${JSON.stringify(name)}` : `container ${index}`;
}
