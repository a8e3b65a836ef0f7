import { Graph, GraphResource } from "../../lib/graph";
import { clusterOf, namespaceOf, sameCluster, showNamespace } from "../../lib/location";
import { isUnknown, read, str } from "../../lib/props";
import { dependencyUrns } from "../../lib/refs";
import { and3, finding, Finding, graphRule, isDataStoreWorkload, Maybe, or3, types } from "./lib";

const helmReleases = ["kubernetes:helm.sh/v3:Release"];

/** A Velero schedule: where it runs and its `spec.template` (a Schedule resource, or one in a Velero Helm release's values). */
interface Schedule {
    readonly resource: GraphResource;
    /** The backup template, or UNKNOWN. */
    readonly template: unknown;
}

function schedules(graph: Graph): Schedule[] {
    const out: Schedule[] = graph.ofType(types.veleroSchedule).map((s) => ({ resource: s, template: read(s.props, "spec.template") }));
    for (const release of graph.ofType(...helmReleases)) {
        const chart = read(release.props, "chart");
        if (isUnknown(chart)) continue;
        if (typeof chart !== "string" || !/velero/i.test(chart)) continue;
        const values = read(release.props, "values.schedules");
        if (isUnknown(values)) out.push({ resource: release, template: values });
        else if (values && typeof values === "object") {
            for (const s of Object.values(values as Record<string, unknown>)) out.push({ resource: release, template: isUnknown(s) ? s : read(s, "template") ?? {} });
        }
    }
    return out;
}

function namespaceListed(graph: Graph, schedule: GraphResource, entries: unknown, ns: string | undefined, emptyMeansAll: boolean): Maybe {
    if (entries === undefined || entries === null) return emptyMeansAll;
    if (isUnknown(entries)) return undefined;
    if (!Array.isArray(entries)) return undefined;
    if (entries.length === 0) return emptyMeansAll;
    if (entries.includes("*")) return true;
    if (ns === undefined) return undefined;
    if (ns.startsWith("name:") && entries.includes(ns.slice(5))) return true;
    if (ns.startsWith("urn:") && dependencyUrns(schedule, "spec").includes(ns.slice(4))) return true;
    if (entries.some(isUnknown)) return undefined;
    // A namespace whose name is not known could be any listed name.
    return ns.startsWith("urn:") ? undefined : false;
}

/** Whether a schedule backs up the data of a stateful object in namespace `ns`. */
function covers(graph: Graph, s: Schedule, workload: GraphResource, ns: string | undefined): Maybe {
    if (isUnknown(s.template)) return and3(sameCluster(graph, s.resource, workload), undefined);
    const included = namespaceListed(graph, s.resource, read(s.template, "includedNamespaces"), ns, true);
    const excluded = namespaceListed(graph, s.resource, read(s.template, "excludedNamespaces"), ns, false);
    // Without volume snapshots or file-system backup a schedule keeps the manifests, not the data.
    const snapshots = read(s.template, "snapshotVolumes");
    const fsBackup = read(s.template, "defaultVolumesToFsBackup");
    const volumes: Maybe = isUnknown(snapshots) || isUnknown(fsBackup) ? undefined : snapshots !== false || fsBackup === true;
    return and3(sameCluster(graph, s.resource, workload), included, excluded === undefined ? undefined : !excluded, volumes);
}

/** A CloudNativePG ScheduledBackup of `cluster`, in its namespace. */
function cnpgBackedUp(graph: Graph, cluster: GraphResource, ns: string | undefined): Maybe {
    const name = str(cluster.props, "metadata.name");
    return or3(
        ...graph.ofType(types.cnpgScheduledBackup).map((b): Maybe => {
            const target = read(b.props, "spec.cluster.name");
            const byName: Maybe = isUnknown(target) ? (dependencyUrns(b, "spec").includes(cluster.urn) ? true : undefined) : name === undefined ? undefined : target === name;
            const bns = namespaceOf(graph, b);
            const sameNs: Maybe = bns === undefined || ns === undefined ? undefined : bns === ns;
            return and3(sameCluster(graph, b, cluster), byName, sameNs);
        }),
    );
}

/**
 * Data kept in a Kubernetes cluster (volume claims of StatefulSets, PersistentVolumeClaims,
 * CloudNativePG clusters) is lost with the cluster unless something backs it up: a Velero
 * schedule covering its namespace (with volume data), or for CloudNativePG a ScheduledBackup.
 */
export const veleroScheduleCoverage = graphRule({
    name: "velero-schedule-coverage",
    description: "Every namespace holding stateful Kubernetes workloads must be backed up, volumes included, by a Velero schedule in the same cluster.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        const all = schedules(graph);
        const stateful = [
            ...graph.ofType(types.k8sStatefulSet).filter(isDataStoreWorkload),
            ...graph.ofType(types.k8sPvc),
            ...graph.ofType(types.cnpgCluster),
        ];
        for (const w of stateful) {
            const ns = namespaceOf(graph, w);
            const byVelero = or3(...all.map((s) => covers(graph, s, w, ns)));
            const covered = w.type === types.cnpgCluster ? or3(byVelero, cnpgBackedUp(graph, w, ns)) : byVelero;
            if (covered !== false) continue;
            const where = `${showNamespace(ns, graph)} of ${clusterOf(graph, w).label}`;
            const nsName = ns?.startsWith("name:") ? ns.slice(5) : "<its namespace>";
            findings.push(
                finding(
                    w,
                    `no Velero schedule backs up its data (${all.length === 0 ? "the stack has no velero.io/v1 Schedule" : `no schedule in its cluster includes ${where} with volume snapshots or file-system backup`})`,
                    "losing the cluster, the namespace or the volumes loses the data with no backup to restore",
                    `Create a velero.io/v1 Schedule (k8s.apiextensions.CustomResource, same provider) whose spec.template.includedNamespaces contains "${nsName}" and that keeps volume data (snapshotVolumes: true or defaultVolumesToFsBackup: true)${w.type === types.cnpgCluster ? ", or a postgresql.cnpg.io/v1 ScheduledBackup for this cluster" : ""}.`,
                ),
            );
        }
        return findings;
    },
});
