import type * as k8s from "@pulumi/kubernetes";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { facts, says } from "../../lib/facts";
import { plain } from "../../lib/props";
import { resourceOf } from "../../lib/rule";
import { statefulSet } from "./podTemplate";

/**
 * A StatefulSet's data must outlive its pods: each replica needs a volume from volumeClaimTemplates
 * (not an emptyDir, which is lost when the pod is rescheduled), and deleting the StatefulSet must
 * not delete those volumes.
 */
export const k8sStatefulsetVolumes: ResourceValidationPolicy = {
    name: "k8s-statefulset-volumes",
    description: "StatefulSets must keep their data on persistent volumes (volumeClaimTemplates) that are retained when the StatefulSet is deleted.",
    enforcementLevel: "advisory",
    validateResource: resourceOf<k8s.apps.v1.StatefulSetArgs>(statefulSet, (set, say, args) => {
        const spec = set.at("spec");
        if (spec.isUnknown) return;
        // Kubernetes runs one replica when replicas is not set.
        const replicas = spec.num("replicas") ?? (spec.absent("replicas") ? 1 : undefined);
        if (replicas === undefined || replicas < 1) return;
        const templates = spec.list("volumeClaimTemplates");
        // For a known database image, k8s-data-persistence says where its data goes (lib/facts).
        const owns = says("k8s-statefulset-volumes", facts.dataPersistence, { type: args.type, props: plain(args.props) });
        if (owns && (spec.absent("volumeClaimTemplates") || (templates !== undefined && templates.length === 0))) {
            say(
                `${spec.is("volumeClaimTemplates")}${templates !== undefined ? " (empty)" : ""}`,
                "each pod keeps its data only in the pod, so it is lost when the pod is rescheduled to another node",
                "Add volumeClaimTemplates with a PersistentVolumeClaim per replica (a zone-redundant or regional storage class where the store does not replicate itself).",
            );
        }
        const retention = spec.at("persistentVolumeClaimRetentionPolicy");
        if (retention.str("whenDeleted") === "Delete") {
            say(retention.is("whenDeleted"), "deleting or replacing the StatefulSet deletes every replica's volume and its data", 'Set persistentVolumeClaimRetentionPolicy.whenDeleted: "Retain" (the default).');
        }
    }),
};
