// The resource graph as stack rules and the resilience model read it. The pack builds it from the
// engine's `args.resources`; the offline preview builds it from the resources it recorded. Both
// give the same shape, so the pack and the report always agree.
import { PolicyResource } from "@pulumi/policy";
import { plain, propsTarget } from "./props";

export interface GraphResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** Plain props; unknown values are UNKNOWN (see ./props). */
    readonly props: Readonly<Record<string, unknown>>;
    /** URN of the parent resource. */
    readonly parent?: string;
    readonly dependencies: readonly string[];
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    /** Provider resource URN, when the resource has an explicit provider. */
    readonly provider?: string;
    /** Props of that provider (e.g. its region). */
    readonly providerProps?: Readonly<Record<string, unknown>>;
    readonly protect: boolean;
}

/** The graph from a stack policy's `args.resources`. */
export function fromPolicyResources(resources: readonly PolicyResource[]): GraphResource[] {
    return resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: (plain(r.props) as Record<string, unknown>) ?? {},
        parent: r.parent?.urn,
        dependencies: r.dependencies.map((d) => d.urn),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map((d) => d.urn)])),
        provider: r.provider?.urn,
        providerProps: r.provider ? ((plain(r.provider.props) as Record<string, unknown>) ?? {}) : undefined,
        protect: r.opts.protect === true,
    }));
}

/**
 * The graph of a stack policy's `args.resources`, shared by the stack policies of one AnalyzeStack
 * call when their resources are the same decoded objects. The SDK hands every stack policy its own
 * array of resource objects, and a plain copy of every resource's props per policy was the largest
 * cost of the stack policies at scale (40-odd rules, tens of thousands of resources). Under the
 * Pulumi CLI each policy's props are decoded anew, so nothing is shared and each rule builds its
 * own graph as before; the offline preview decodes a call's props once, so its rules share one.
 */
export function graphOf(resources: readonly PolicyResource[]): Graph {
    const key = resources.length ? propsObject(resources[0].props) : undefined;
    const cached = key ? sharedGraphs.get(key) : undefined;
    if (cached && sameSources(cached.sources, resources)) return cached.graph;
    const graph = new Graph(fromPolicyResources(resources));
    if (key) sharedGraphs.set(key, { sources: resources.map(sourceOf), graph });
    return graph;
}

/** What a graph resource was built from, compared by identity: the decoded props behind the proxy and the URNs. */
interface Source {
    readonly props: unknown;
    readonly providerProps: unknown;
    readonly urn: string;
    readonly parent?: string;
    readonly dependencies: number;
}

const sharedGraphs = new WeakMap<object, { readonly sources: readonly Source[]; readonly graph: Graph }>();

function sourceOf(r: PolicyResource): Source {
    return { props: propsObject(r.props), providerProps: r.provider ? propsObject(r.provider.props) : undefined, urn: r.urn, parent: r.parent?.urn, dependencies: r.dependencies.length };
}

function sameSources(sources: readonly Source[], resources: readonly PolicyResource[]): boolean {
    if (sources.length !== resources.length) return false;
    for (let i = 0; i < resources.length; i++) {
        const s = sources[i];
        const r = resources[i];
        if (s.props !== propsObject(r.props) || s.urn !== r.urn || s.parent !== r.parent?.urn || s.dependencies !== r.dependencies.length) return false;
        if (s.providerProps !== (r.provider ? propsObject(r.provider.props) : undefined)) return false;
    }
    return true;
}

/** The decoded object behind a policy props proxy (the object itself when it is not a proxy). */
function propsObject(props: unknown): object | undefined {
    const target = propsTarget(props);
    return target !== null && typeof target === "object" ? target : undefined;
}

/** Index of a graph by URN and by type. */
export class Graph {
    readonly byUrn = new Map<string, GraphResource>();
    private readonly byType = new Map<string, GraphResource[]>();

    constructor(readonly resources: readonly GraphResource[]) {
        for (const r of resources) {
            this.byUrn.set(r.urn, r);
            const list = this.byType.get(r.type) ?? [];
            list.push(r);
            this.byType.set(r.type, list);
        }
    }

    ofType(...types: string[]): GraphResource[] {
        return types.flatMap((t) => this.byType.get(t) ?? []);
    }

    children(urn: string): GraphResource[] {
        return this.resources.filter((r) => r.parent === urn);
    }
}
