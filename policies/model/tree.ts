// The resource graph as the model walks it: the component tree (parents, subtrees), where each
// resource runs (cloud and region), and how one resource refers to another (property dependencies
// first, because they survive preview where the referenced ids are still unknown).
import { Graph, GraphResource } from "../lib/graph";
import { isUnknown, read, str } from "../lib/props";
import { Cloud } from "./types";

export class Tree {
    readonly graph: Graph;
    private readonly kids = new Map<string, GraphResource[]>();

    constructor(resources: readonly GraphResource[]) {
        this.graph = new Graph(resources);
        for (const r of resources) {
            if (!r.parent) continue;
            const list = this.kids.get(r.parent) ?? [];
            list.push(r);
            this.kids.set(r.parent, list);
        }
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

/** True when a known string equal to `value` appears anywhere in the props of `r`. */
export function propsContain(r: GraphResource, value: string): boolean {
    const stack: unknown[] = [r.props];
    while (stack.length) {
        const v = stack.pop();
        if (v === value) return true;
        if (v && typeof v === "object" && !isUnknown(v)) stack.push(...Object.values(v as Record<string, unknown>));
    }
    return false;
}

/** A known non-empty string at `path`, or "unknown" / "absent". */
export function presence(props: unknown, path: string): "known" | "unknown" | "absent" {
    const v = read(props, path);
    if (isUnknown(v)) return "unknown";
    if (v === undefined || v === null || v === "") return "absent";
    return "known";
}
