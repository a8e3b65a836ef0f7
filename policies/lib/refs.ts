// Which resources a property's value came from.
//
// Under a preview the ids and ARNs of new resources are unknown, so a reference is resolved
// through the engine's `propertyDependencies` (the URNs a property's value came from). When a
// value is known (an update, or a name the program set itself) it is also matched by equality
// with the target's identifying props. Nothing here throws on unknown or malformed values.
import { Graph, GraphResource } from "./graph";
import { isUnknown, plain, str } from "./props";

/** What a property refers to among resources of some types. */
export interface Ref {
    /** Resources of the wanted types the value came from or equals. */
    readonly targets: readonly GraphResource[];
    /** Known string values that name no resource of the wanted types in the stack (e.g. an existing resource's id). */
    readonly external: readonly string[];
    /**
     * True when part of the value is unknown and the engine names no resource it came from: it could
     * refer to anything, so a rule must not conclude that it refers to nothing.
     */
    readonly open: boolean;
    /** True when the value is absent (undefined/null) and no resource is named as its source. */
    readonly absent: boolean;
}

/**
 * The URNs the value of top-level property `prop` of `r` came from. The engine sends an entry for
 * every property the program set; when a resource carries no property dependencies at all (an
 * older engine, a hand-built graph) its dependencies stand in, which over-approximate.
 */
export function dependencyUrns(r: GraphResource, prop: string): readonly string[] {
    const pd = r.propertyDependencies;
    if (pd && typeof pd === "object" && Object.keys(pd).length > 0) {
        const urns = Object.prototype.hasOwnProperty.call(pd, prop) ? pd[prop] : undefined;
        return Array.isArray(urns) ? urns : [];
    }
    return Array.isArray(r.dependencies) ? r.dependencies : [];
}

/** Known strings inside a value (arrays and objects walked), and whether any part is unknown. */
export function stringsIn(value: unknown): { readonly known: string[]; readonly unknown: boolean } {
    const known: string[] = [];
    let unknown = false;
    const seen = new Set<unknown>();
    const walk = (v: unknown, depth: number): void => {
        if (isUnknown(v)) {
            unknown = true;
            return;
        }
        if (typeof v === "string") known.push(v);
        else if (v !== null && typeof v === "object" && depth < 8 && !seen.has(v)) {
            seen.add(v);
            for (const x of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) walk(x, depth + 1);
        }
    };
    walk(plain(value), 0);
    return { known, unknown };
}

export interface ResolveOptions {
    /**
     * The value to match by equality. Defaults to the whole top-level property; pass a narrower
     * value (e.g. the `natGatewayId` of each inline route) so equality looks only at it.
     */
    readonly value?: unknown;
    /** Dotted paths of the target's props that identify it. @default ["id", "arn"] */
    readonly identity?: readonly string[];
}

/** What property `prop` of `r` refers to among resources of `types`. */
export function resolve(graph: Graph, r: GraphResource, prop: string, types: readonly string[], options: ResolveOptions = {}): Ref {
    const wanted = new Set(types);
    const targets = new Map<string, GraphResource>();
    const deps = dependencyUrns(r, prop);
    for (const urn of deps) {
        const t = graph.byUrn.get(urn);
        if (t && t.urn !== r.urn && wanted.has(t.type)) targets.set(t.urn, t);
    }
    const value = "value" in options ? options.value : readTop(r, prop);
    const { known, unknown } = stringsIn(value);
    const identity = options.identity ?? ["id", "arn"];
    const external: string[] = [];
    if (known.length > 0) {
        const byIdentity = identityIndex(graph, types, identity);
        for (const s of known) {
            let matched = false;
            for (const t of byIdentity.get(s) ?? []) {
                if (t.urn === r.urn) continue;
                targets.set(t.urn, t);
                matched = true;
            }
            if (!matched && s !== "") external.push(s);
        }
    }
    const absent = (value === undefined || value === null) && targets.size === 0;
    return { targets: [...targets.values()], external, open: unknown && deps.length === 0, absent };
}

// Per graph: resources of some types by the values of their identifying props, so that matching a
// value is a lookup and not a scan of every candidate (records resolved against every record and
// endpoint of a stack made the DNS rules quadratic in services).
const identityIndexes = new WeakMap<Graph, Map<string, Map<string, GraphResource[]>>>();

/** Resources of `types` (in `graph.ofType` order) by each known string value of their `identity` props. */
function identityIndex(graph: Graph, types: readonly string[], identity: readonly string[]): Map<string, GraphResource[]> {
    let indexes = identityIndexes.get(graph);
    if (!indexes) identityIndexes.set(graph, (indexes = new Map()));
    const key = JSON.stringify([types, identity]);
    let index = indexes.get(key);
    if (!index) {
        index = new Map();
        for (const t of graph.ofType(...types)) {
            for (const f of identity) {
                const v = str(t.props, f);
                if (v === undefined) continue;
                const list = index.get(v);
                if (!list) index.set(v, [t]);
                else if (list[list.length - 1] !== t) list.push(t);
            }
        }
        indexes.set(key, index);
    }
    return index;
}

function readTop(r: GraphResource, prop: string): unknown {
    const props = r.props;
    if (props === null || typeof props !== "object") return undefined;
    const v = (props as Record<string, unknown>)[prop];
    return v;
}

/** Keys for what a reference names: target URNs and `value:<external>` for values outside the stack. */
export function refKeys(ref: Ref): string[] {
    return [...ref.targets.map((t) => t.urn), ...ref.external.map((v) => `value:${v}`)];
}

// Per graph: for one kind of reference, the resources that make it, by what they refer to. Finding
// "the rules of this security group" or "the routes of this table" by resolving every candidate
// for every subject scanned the stack once per subject, quadratic in services.
const referrerIndexes = new WeakMap<Graph, Map<string, { readonly byKey: Map<string, GraphResource[]>; readonly order: Map<GraphResource, number> }>>();

/**
 * Resources of `types` by each `refKeys` of what their property `prop` refers to among `targets`
 * (a target's URN, or `value:<external>`), in `graph.ofType(...types)` order; built once per graph.
 * `referrers(...).get(t.urn)` is exactly the resources whose `resolve(...).targets` include `t`.
 */
export function referrers(graph: Graph, types: readonly string[], prop: string, targets: readonly string[], options: { readonly identity?: readonly string[] } = {}): ReadonlyMap<string, readonly GraphResource[]> {
    return referrerIndex(graph, types, prop, targets, options).byKey;
}

/** The resources of `types` that refer through `prop` to any of `keys` (refKeys), once each, in `graph.ofType(...types)` order. */
export function referrersOfAny(graph: Graph, types: readonly string[], prop: string, targets: readonly string[], keys: Iterable<string>, options: { readonly identity?: readonly string[] } = {}): GraphResource[] {
    const index = referrerIndex(graph, types, prop, targets, options);
    const found = new Set<GraphResource>();
    for (const k of keys) for (const r of index.byKey.get(k) ?? []) found.add(r);
    return [...found].sort((a, b) => (index.order.get(a) ?? 0) - (index.order.get(b) ?? 0));
}

function referrerIndex(graph: Graph, types: readonly string[], prop: string, targets: readonly string[], options: { readonly identity?: readonly string[] }) {
    let indexes = referrerIndexes.get(graph);
    if (!indexes) referrerIndexes.set(graph, (indexes = new Map()));
    const key = JSON.stringify([types, prop, targets, options.identity ?? null]);
    let index = indexes.get(key);
    if (!index) {
        const byKey = new Map<string, GraphResource[]>();
        const order = new Map<GraphResource, number>();
        graph.ofType(...types).forEach((r, i) => {
            order.set(r, i);
            for (const k of new Set(refKeys(resolve(graph, r, prop, targets, options.identity ? { identity: options.identity } : {})))) {
                const list = byKey.get(k);
                if (list) list.push(r);
                else byKey.set(k, [r]);
            }
        });
        indexes.set(key, (index = { byKey, order }));
    }
    return index;
}
