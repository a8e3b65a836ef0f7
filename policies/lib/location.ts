// Where a resource runs, as far as the resource graph proves it: cloud, region, zone, and for
// Kubernetes objects the cluster and namespace.
//
// A region is a known string, DEFAULT_REGION (the provider sets none: the stack's default region,
// the same for every such resource of that cloud but not known to a policy), or UNKNOWN.
import { Graph, GraphResource } from "./graph";
import { dependencyUrns } from "./refs";
import { isUnknown, read, str, UNKNOWN, Unknown } from "./props";

/** The region of a resource whose provider names none: the stack's default region for its cloud. */
export const DEFAULT_REGION = "(default region)";

export type Region = string | Unknown;

/** The cloud a type token belongs to: `aws`, `gcp`, `kubernetes`, ... */
export function cloudOfType(type: string): string {
    const pkg = type.split(":")[0] ?? "";
    return pkg === "pulumi" ? "pulumi" : pkg;
}

/** A provider-set or resource-set string prop: the string, UNKNOWN, or undefined when absent. */
function setting(props: unknown, path: string): string | Unknown | undefined {
    const v = read(props, path);
    if (isUnknown(v)) return UNKNOWN;
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** The region of an AWS resource: its own `region` (provider v7), else its provider's, else the default. */
export function awsRegion(r: GraphResource): Region {
    const own = setting(r.props, "region");
    if (own !== undefined) return own;
    const p = r.providerProps ? setting(r.providerProps, "region") : undefined;
    return p ?? DEFAULT_REGION;
}

/** `us-central1-a` -> `us-central1`; `us-east-1a` -> `us-east-1`; a region stays itself. */
export function zoneToRegion(zone: string): string {
    const z = zone.trim().toLowerCase();
    if (/^[a-z]+-[a-z]+\d+-[a-z]$/.test(z)) return z.slice(0, z.lastIndexOf("-")); // GCP zone
    if (/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/.test(z)) return z.slice(0, -1); // AWS zone name
    return z;
}

/** The region of a GCP resource: its `region`, else the region of its `zone`/`location`, else its provider's. */
export function gcpRegion(r: GraphResource): Region {
    const own = setting(r.props, "region");
    if (own !== undefined) return own;
    for (const key of ["zone", "location"]) {
        const v = setting(r.props, key);
        if (v === UNKNOWN) return UNKNOWN;
        if (typeof v === "string" && /^[a-z]+-[a-z]+\d+(-[a-z])?$/i.test(v)) return zoneToRegion(v);
        if (typeof v === "string") return UNKNOWN; // a multi-region location, not one region
    }
    if (r.providerProps) {
        const pr = setting(r.providerProps, "region");
        if (pr !== undefined) return pr;
        const pz = setting(r.providerProps, "zone");
        if (pz === UNKNOWN) return UNKNOWN;
        if (typeof pz === "string") return zoneToRegion(pz);
    }
    return DEFAULT_REGION;
}

/** The region of an AWS or GCP resource (UNKNOWN for other clouds). */
export function regionOf(r: GraphResource): Region {
    const cloud = cloudOfType(r.type);
    if (cloud === "aws") return awsRegion(r);
    if (cloud === "gcp") return gcpRegion(r);
    return UNKNOWN;
}

/** The region named in an ARN (`arn:aws:backup:eu-west-1:...`), if any. */
export function arnRegion(arn: string): string | undefined {
    const parts = arn.split(":");
    return parts.length >= 6 && parts[0] === "arn" && parts[3] ? parts[3] : undefined;
}

/**
 * Whether two regions of the same cloud are the same: true/false when it is proven, undefined when
 * not (an unknown, or the default region against a named one: the default may be that region).
 */
export function sameRegion(a: Region, b: Region): boolean | undefined {
    if (isUnknown(a) || isUnknown(b)) return undefined;
    if (a === b) return true;
    if (a === DEFAULT_REGION || b === DEFAULT_REGION) return undefined;
    return false;
}

/** A region for messages. */
export function showRegion(region: Region): string {
    if (isUnknown(region)) return "an unknown region";
    return region === DEFAULT_REGION ? "the stack's default region" : region;
}

/** The availability zone a subnet or instance names (`availabilityZone`, else `availabilityZoneId`), if known. */
export function zoneOf(r: GraphResource): string | undefined {
    return str(r.props, "availabilityZone") ?? str(r.props, "availabilityZoneId") ?? str(r.props, "availabilityZoneName");
}

// ---------------------------------------------------------------------------------------------
// Kubernetes
// ---------------------------------------------------------------------------------------------

const eksCluster = "aws:eks/cluster:Cluster";
const gkeCluster = "gcp:container/cluster:Cluster";

/** The cluster a Kubernetes object lives in, as far as its provider tells. */
export interface ClusterInfo {
    /** Equal for two objects only when they are provably in the same cluster. */
    readonly key: string;
    /** For messages. */
    readonly label: string;
    /** The EKS/GKE cluster resource its provider's kubeconfig came from, if the graph shows it. */
    readonly managed?: GraphResource;
}

/** The cluster of a Kubernetes object: the one its provider's kubeconfig came from, else the provider itself. */
export function clusterOf(graph: Graph, r: GraphResource): ClusterInfo {
    if (!r.provider) return { key: "provider:default", label: "the default Kubernetes provider's cluster" };
    const provider = graph.byUrn.get(r.provider);
    const providerName = provider?.name ?? r.provider.split("::").pop() ?? r.provider;
    if (provider) {
        const sources = dependencyUrns(provider, "kubeconfig")
            .map((u) => graph.byUrn.get(u))
            .filter((x): x is GraphResource => x !== undefined && (x.type === eksCluster || x.type === gkeCluster));
        if (sources.length === 1) return { key: `cluster:${sources[0].urn}`, label: `cluster ${sources[0].type} "${sources[0].name}"`, managed: sources[0] };
    }
    const props = provider?.props ?? r.providerProps;
    const kubeconfig = str(props, "kubeconfig");
    const context = str(props, "context") ?? "";
    if (kubeconfig !== undefined && kubeconfig !== "") {
        return { key: `kubeconfig:${context}:${kubeconfig}`, label: `the cluster of provider "${providerName}"` };
    }
    return { key: `provider:${r.provider}`, label: `the cluster of provider "${providerName}"` };
}

/** Whether two Kubernetes objects are provably in the same cluster (undefined when it cannot be told). */
export function sameCluster(graph: Graph, a: GraphResource, b: GraphResource): boolean | undefined {
    const ka = clusterOf(graph, a).key;
    const kb = clusterOf(graph, b).key;
    if (ka === kb) return true;
    const proven = (k: string) => k.startsWith("cluster:") || k.startsWith("kubeconfig:");
    return proven(ka) && proven(kb) ? false : undefined;
}

/** Whether two namespaced Kubernetes objects are provably in the same namespace of the same cluster. */
export function sameNamespace(graph: Graph, a: GraphResource, b: GraphResource): boolean | undefined {
    const cluster = sameCluster(graph, a, b);
    if (cluster === false) return false;
    const na = namespaceOf(graph, a);
    const nb = namespaceOf(graph, b);
    if (na === undefined || nb === undefined) return undefined;
    if (na === nb) return cluster;
    return na.startsWith("name:") && nb.startsWith("name:") ? false : undefined;
}

/**
 * The namespace of a namespaced Kubernetes object: `name:<ns>` when known, `urn:<Namespace urn>`
 * when it came from a Namespace resource whose name is unknown, undefined when it cannot be told.
 */
export function namespaceOf(graph: Graph, r: GraphResource): string | undefined {
    const ns = read(r.props, "metadata.namespace");
    if (typeof ns === "string" && ns !== "") return `name:${ns}`;
    if (ns === undefined || ns === null || ns === "") {
        const md = read(r.props, "metadata");
        if (isUnknown(md)) return namespaceFromDeps(graph, r);
        const fallback = r.providerProps ? read(r.providerProps, "namespace") : undefined;
        if (isUnknown(fallback)) return undefined;
        return `name:${typeof fallback === "string" && fallback !== "" ? fallback : "default"}`;
    }
    if (isUnknown(ns)) return namespaceFromDeps(graph, r);
    return undefined;
}

function namespaceFromDeps(graph: Graph, r: GraphResource): string | undefined {
    const namespaces = dependencyUrns(r, "metadata")
        .map((u) => graph.byUrn.get(u))
        .filter((x): x is GraphResource => x !== undefined && x.type === "kubernetes:core/v1:Namespace");
    if (namespaces.length !== 1) return undefined;
    return namespaceKeyOf(namespaces[0]);
}

/** The key a Namespace resource gives the objects in it. */
export function namespaceKeyOf(ns: GraphResource): string {
    const name = str(ns.props, "metadata.name");
    return name ? `name:${name}` : `urn:${ns.urn}`;
}

/** A namespace key for messages. */
export function showNamespace(key: string | undefined, graph: Graph): string {
    if (key === undefined) return "an unknown namespace";
    if (key.startsWith("name:")) return `namespace "${key.slice(5)}"`;
    const ns = graph.byUrn.get(key.slice(4));
    return `the namespace of kubernetes:core/v1:Namespace "${ns?.name ?? key.slice(4)}"`;
}

// ---------------------------------------------------------------------------------------------
// Places
// ---------------------------------------------------------------------------------------------

/** Where something serves from, for single-region / single-cloud judgements. */
export interface Place {
    /** `aws`, `gcp`, or `kubernetes:<cluster key>` when the cluster's cloud is not shown. */
    readonly cloud: string;
    /** `<cloud>/<region>`; `kubernetes:<cluster key>` when the cluster's region is not shown; UNKNOWN. */
    readonly region: string | Unknown;
    /** True for anycast/global front doors (CloudFront, Global Accelerator, GCP global addresses). */
    readonly global: boolean;
    /** For messages, e.g. `aws us-east-1`. */
    readonly label: string;
}

const globalTypes = new Set([
    "aws:cloudfront/distribution:Distribution",
    "aws:globalaccelerator/accelerator:Accelerator",
    "gcp:compute/globalAddress:GlobalAddress",
    "gcp:compute/globalForwardingRule:GlobalForwardingRule",
]);

/** The place of a resource: its cloud and region (Kubernetes objects: their cluster's). */
export function placeOf(graph: Graph, r: GraphResource): Place {
    const cloud = cloudOfType(r.type);
    if (globalTypes.has(r.type)) return { cloud, region: `${cloud}/global`, global: true, label: `${cloud} (global)` };
    if (cloud === "kubernetes") {
        const cluster = clusterOf(graph, r);
        if (cluster.managed) {
            const inner = placeOf(graph, cluster.managed);
            return { ...inner, label: `${inner.label} (${cluster.label})` };
        }
        return { cloud: `kubernetes:${cluster.key}`, region: `kubernetes:${cluster.key}`, global: false, label: cluster.label };
    }
    const region = regionOf(r);
    if (isUnknown(region)) return { cloud, region: UNKNOWN, global: false, label: `${cloud} (unknown region)` };
    return { cloud, region: `${cloud}/${region}`, global: false, label: `${cloud} ${showRegion(region)}` };
}
