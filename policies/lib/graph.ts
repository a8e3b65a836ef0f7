// The resource graph as stack rules and the resilience model read it. The pack builds it from the
// engine's `args.resources`; the offline preview builds it from the resources it recorded. Both
// give the same shape, so the pack and the report always agree.
import { PolicyResource } from "@pulumi/policy";
import { plain } from "./props";

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
