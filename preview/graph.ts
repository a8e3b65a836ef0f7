// The recorded resources of a run as the resilience model and the stack rules read them.
import { GraphResource } from "../policies/lib/graph";
import type { RecordedResource } from "./program";

export function toGraph(resources: readonly RecordedResource[]): GraphResource[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return resources.map((r) => {
        const providerUrn = r.provider ? r.provider.split("::").slice(0, -1).join("::") : undefined;
        const provider = providerUrn ? byUrn.get(providerUrn) : undefined;
        return {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: r.inputs,
            parent: r.parent,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            provider: provider?.urn,
            providerProps: provider?.inputs,
            protect: r.protect,
        };
    });
}
