// The kubernetes rules of the pack, in the order they are reported.
import { Policy } from "../../lib/policy";
import { k8sDataPersistence } from "./k8sDataPersistence";
import { k8sDeploymentReplicas } from "./k8sDeploymentReplicas";
import { k8sHpaMinReplicas } from "./k8sHpaMinReplicas";
import { k8sPdbAllowsDisruption } from "./k8sPdbAllowsDisruption";
import { k8sReadinessProbe } from "./k8sReadinessProbe";
import { k8sResources } from "./k8sResources";
import { k8sStatefulsetVolumes } from "./k8sStatefulsetVolumes";
import { k8sZoneSpread } from "./k8sZoneSpread";

export { k8sDataPersistence, k8sDeploymentReplicas, k8sHpaMinReplicas, k8sPdbAllowsDisruption, k8sReadinessProbe, k8sResources, k8sStatefulsetVolumes, k8sZoneSpread };

export const policies: Policy[] = [
    // no single pod or zone
    k8sDeploymentReplicas,
    k8sHpaMinReplicas,
    k8sZoneSpread,
    k8sPdbAllowsDisruption,
    // pods that fail are taken out and restarted, not evicted first
    k8sReadinessProbe,
    k8sResources,
    // data outlives pods
    k8sDataPersistence,
    k8sStatefulsetVolumes,
];
