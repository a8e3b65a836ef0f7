// The resource graph as the model walks it: the component tree (parents, subtrees), where each
// resource runs (cloud and region), and how one resource refers to another (property dependencies
// first, because they survive preview where the referenced ids are still unknown).
import { Graph, GraphResource } from "../lib/graph";
import { isUnknown, read, str } from "../lib/props";
import { Cloud } from "./types";

export class Tree {
    readonly graph: Graph;
    private readonly kids = new Map<string, GraphResource[]>();
    private readonly users = new Map<string, GraphResource[]>();

    constructor(resources: readonly GraphResource[]) {
        this.graph = new Graph(resources);
        for (const r of resources) {
            if (r.parent) push(this.kids, r.parent, r);
            const seen = new Set<string>();
            for (const u of [...Object.values(r.propertyDependencies).flat(), ...r.dependencies]) {
                if (seen.has(u)) continue;
                seen.add(u);
                push(this.users, u, r);
            }
        }
    }

    /** Resources some property (or plain dependency) of which comes from `urn`: the reverse of allRefs. */
    dependents(urn: string): readonly GraphResource[] {
        return this.users.get(urn) ?? [];
    }

    get(urn: string | undefined): GraphResource | undefined {
        return urn ? this.graph.byUrn.get(urn) : undefined;
    }

    ofType(...types: string[]): GraphResource[] {
        return this.graph.ofType(...types);
    }

    /** The parent URN, or undefined at the top (the stack). */
    parentOf(urn: string): string | undefined {
        const p = this.get(urn)?.parent;
        return p && !isStack(p) ? p : undefined;
    }

    /** Every resource below `urn` (not `urn` itself). */
    descendants(urn: string): GraphResource[] {
        const out: GraphResource[] = [];
        const stack = [...(this.kids.get(urn) ?? [])];
        while (stack.length) {
            const r = stack.pop() as GraphResource;
            out.push(r);
            stack.push(...(this.kids.get(r.urn) ?? []));
        }
        return out;
    }

    /** Resources the property `key` of `r` was computed from (property dependencies), resolved. */
    refs(r: GraphResource, key: string): GraphResource[] {
        return (r.propertyDependencies[key] ?? []).map((u) => this.get(u)).filter((x): x is GraphResource => x !== undefined);
    }

    /** Resources any property of `r` was computed from, plus its plain dependencies. */
    allRefs(r: GraphResource): GraphResource[] {
        const urns = new Set<string>([...Object.values(r.propertyDependencies).flat(), ...r.dependencies]);
        return [...urns].map((u) => this.get(u)).filter((x): x is GraphResource => x !== undefined);
    }
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
}

export function isStack(urn: string): boolean {
    return urn.split("::")[2]?.endsWith("pulumi:pulumi:Stack") ?? false;
}

export function cloudOf(type: string): Cloud {
    const pkg = type.split(":")[0];
    return pkg === "aws" || pkg === "gcp" || pkg === "kubernetes" ? pkg : "unknown";
}

/**
 * Where a resource runs: AWS region (the resource's own `region`, else its provider's, else
 * "default"), GCP region (`region`, `location`, else the provider's), Kubernetes cluster (the
 * provider's kubeconfig `context`). Undefined for global GCP resources.
 */
export function locationOf(r: GraphResource): string | undefined {
    const cloud = cloudOf(r.type);
    if (cloud === "aws") return str(r.props, "region") ?? str(r.providerProps, "region") ?? "default";
    if (cloud === "gcp") {
        const own = str(r.props, "region") ?? str(r.props, "location");
        if (own) return own;
        if (GLOBAL_GCP_TYPES.has(r.type)) return undefined;
        return str(r.providerProps, "region") ?? "default";
    }
    if (cloud === "kubernetes") return clusterOf(r);
    return undefined;
}

/**
 * The physical place of a resource as failure domains see it: `<cloud>/<region>`. A Kubernetes
 * cluster whose context names a GKE or EKS cluster is placed in that cloud's region too (losing
 * the region loses the cluster); others are a place of their own, `kubernetes/<context>`.
 */
export function placeOf(r: GraphResource): { readonly cloud: Cloud; readonly region: string; readonly host?: { readonly cloud: Cloud; readonly region: string } } {
    const cloud = cloudOf(r.type);
    if (cloud === "kubernetes") {
        const context = clusterOf(r);
        return { cloud, region: context, host: hostOfCluster(context) };
    }
    return { cloud, region: locationOf(r) ?? "global" };
}

/** The cloud region a kubeconfig context's cluster runs in (GKE and EKS contexts name it). */
export function hostOfCluster(context: string): { readonly cloud: Cloud; readonly region: string } | undefined {
    const gke = /^gke_[^_]+_([^_]+)_.+$/.exec(context);
    if (gke) return { cloud: "gcp", region: gke[1].replace(/-[a-z]$/, "") };
    const eks = /^arn:aws[^:]*:eks:([^:]+):\d+:cluster\/.+$/.exec(context);
    if (eks) return { cloud: "aws", region: eks[1] };
    return undefined;
}

export function clusterOf(r: GraphResource): string {
    return str(r.providerProps, "context") ?? str(r.providerProps, "cluster") ?? "default";
}

const GLOBAL_GCP_TYPES = new Set([
    "gcp:compute/globalAddress:GlobalAddress",
    "gcp:compute/globalForwardingRule:GlobalForwardingRule",
    "gcp:compute/healthCheck:HealthCheck",
    "gcp:compute/backendService:BackendService",
    "gcp:compute/uRLMap:URLMap",
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
    "gcp:compute/targetHttpProxy:TargetHttpProxy",
    "gcp:compute/managedSslCertificate:ManagedSslCertificate",
    "gcp:dns/recordSet:RecordSet",
    "gcp:dns/managedZone:ManagedZone",
]);

/** A known non-empty string at `path`, or "unknown" / "absent". */
export function presence(props: unknown, path: string): "known" | "unknown" | "absent" {
    const v = read(props, path);
    if (isUnknown(v)) return "unknown";
    if (v === undefined || v === null || v === "") return "absent";
    return "known";
}
