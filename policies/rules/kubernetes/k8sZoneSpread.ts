import { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, resourceOf, thresholds } from "../../lib/rule";
import { deployment, statefulSet, ReplicatedArgs } from "./podTemplate";

const config = {
    topologyKey: { type: "string", minLength: 1, default: "topology.kubernetes.io/zone", description: "Node label that names a node's zone." },
} as const;

/** The zone label older clusters still set. */
const legacyZoneKey = "failure-domain.beta.kubernetes.io/zone";

/**
 * A Deployment or StatefulSet with two or more replicas must spread them over zones, with a
 * topology spread constraint or pod anti-affinity on the zone label: otherwise the scheduler may
 * put every replica in one zone and the replicas fail together.
 */
export const k8sZoneSpread: ResourceValidationPolicy = {
    name: "k8s-zone-spread",
    description: "Deployments and StatefulSets with two or more replicas must spread them across zones (topology spread constraints or pod anti-affinity on the zone label).",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourceOf<ReplicatedArgs>([deployment, statefulSet], (workload, say, args) => {
        const { topologyKey } = thresholds(args, config);
        const replicas = workload.at("spec").num("replicas");
        if (replicas === undefined || replicas < 2) return;
        const pod = workload.at("spec").at("template").at("spec");
        if (pod.isUnknown) return;

        // A key that is unknown might be the zone key: then nothing can be proven.
        const keys: unknown[] = [];
        const constraints = pod.items("topologySpreadConstraints");
        if (pod.unknown("topologySpreadConstraints")) return;
        for (const c of constraints ?? []) keys.push(c.read("topologyKey"));
        const anti = pod.at("affinity").at("podAntiAffinity");
        if (anti.isUnknown || anti.unknown("requiredDuringSchedulingIgnoredDuringExecution") || anti.unknown("preferredDuringSchedulingIgnoredDuringExecution")) return;
        for (const term of anti.items("requiredDuringSchedulingIgnoredDuringExecution") ?? []) keys.push(term.read("topologyKey"));
        for (const term of anti.items("preferredDuringSchedulingIgnoredDuringExecution") ?? []) keys.push(term.at("podAffinityTerm").read("topologyKey"));
        if (keys.some((k) => typeof k !== "string" && k !== undefined && k !== null)) return; // unknown
        if (keys.some((k) => k === topologyKey || k === legacyZoneKey)) return;

        say(
            `spec.replicas is ${replicas} but neither spec.template.spec.topologySpreadConstraints nor podAntiAffinity uses topologyKey "${topologyKey}"`,
            "the scheduler may place every replica in one zone, and they all fail with it",
            `Add topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "${topologyKey}", whenUnsatisfiable: "ScheduleAnyway", labelSelector: <the pod labels> }].`,
        );
    }),
};
