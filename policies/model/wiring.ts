// Where each site's app sends its database connections (contract C1), read from the resources: the
// property that carries the app's environment (an ECS task definition's containerDefinitions, a Cloud
// Run service's template, a Deployment's spec) is built from the data resources the app connects to,
// so its property dependencies name them even at preview, when the endpoint strings are unknown.
// What they are decides whether the app can write: a global writer endpoint, a primary, a
// write-forwarding secondary or a DNS record the failover moves can take writes; a read-only
// replica or the target of change data capture cannot.
import { GraphResource } from "../lib/graph";
import { read, str } from "../lib/props";
import { STORE_TYPES } from "./stores";
import { Tree } from "./tree";
import { AppWiring, DataStoreInfo, DataTarget } from "./types";

const ENV_PROPERTIES: Readonly<Record<string, { readonly via?: { readonly prop: string; readonly type: string }; readonly prop: string; readonly label: string }>> = {
    "aws:ecs/service:Service": { via: { prop: "taskDefinition", type: "aws:ecs/taskDefinition:TaskDefinition" }, prop: "containerDefinitions", label: "ECS task definition" },
    "gcp:cloudrunv2/service:Service": { prop: "template", label: "Cloud Run service" },
    "gcp:cloudrun/service:Service": { prop: "template", label: "Cloud Run service" },
    "kubernetes:apps/v1:Deployment": { prop: "spec", label: "Deployment" },
};

/** Resources an app's environment may pass through on its way from a data store (one hop). */
const CARRIERS = new Set(["aws:secretsmanager/secretVersion:SecretVersion", "kubernetes:core/v1:ConfigMap", "kubernetes:core/v1:Secret", "gcp:secretmanager/secretVersion:SecretVersion"]);

/**
 * The data targets of the apps among `compute` (a site's compute). `siteResources` and `entries`
 * (every entry point of the plan) find where a read-only site sends its writes: another site's
 * entry its env is built from (WRITES_URL), or the one a GCP internet NEG endpoint names.
 */
export function appWiring(
    tree: Tree,
    compute: readonly GraphResource[],
    stores: ReadonlyMap<string, DataStoreInfo>,
    siteResources: readonly GraphResource[] = [],
    entries: ReadonlySet<string> = new Set(),
    ownEntry?: string,
): AppWiring {
    const targets = new Map<string, DataTarget>();
    const from: string[] = [];
    const holderUrns: string[] = [];
    const routes = new Set<string>();
    let readOnlyFlag = false;
    let viaDns = false;
    for (const app of compute) {
        const spec = ENV_PROPERTIES[app.type];
        if (!spec) continue;
        const holders = spec.via ? tree.refs(app, spec.via.prop).filter((r) => r.type === spec.via?.type) : [app];
        for (const holder of holders) {
            from.push(`${spec.label} ${holder.name}.${spec.prop}`);
            holderUrns.push(holder.urn);
            if (declaresReadOnly(holder)) readOnlyFlag = true;
            for (const dep of tree.refs(holder, spec.prop)) {
                if (entries.has(dep.urn) && dep.urn !== ownEntry) routes.add(dep.urn);
                // WRITES_URL through a failover name over other sites' load balancers: a route, not a database.
                const via = dep.type === ROUTE53_RECORD ? failoverEntries(tree, dep, entries).filter((e) => e !== ownEntry) : [];
                if (via.length > 0) {
                    via.forEach((e) => routes.add(e));
                    viaDns = true;
                    continue;
                }
                for (const t of targetsOf(tree, dep, stores, 0)) targets.set(t.urn, t);
            }
        }
    }
    for (const r of siteResources) {
        if (r.type !== "gcp:compute/globalNetworkEndpoint:GlobalNetworkEndpoint") continue;
        for (const dep of tree.allRefs(r)) {
            if (entries.has(dep.urn) && dep.urn !== ownEntry) routes.add(dep.urn);
            // A failover name over other sites' load balancers (it follows the site that is up).
            if (dep.type === ROUTE53_RECORD) {
                for (const entry of failoverEntries(tree, dep, entries)) if (entry !== ownEntry) routes.add(entry);
                viaDns = true;
            }
        }
    }
    const list = [...targets.values()];
    const writable = list.filter((t) => t.kind !== "replica" && t.kind !== "cdc-target");
    if ((readOnlyFlag || writable.length === 0) && routes.size > 0) {
        return {
            targets: list,
            from,
            holders: holderUrns,
            canWrite: true,
            readOnly: true,
            routes: [...routes],
            ...(viaDns ? { routedBy: "dns-failover" as const } : {}),
            why: `read-only by design: its writes are sent to another site${viaDns ? " through a failover DNS name" : ""}`,
        };
    }
    if (list.length === 0 || (readOnlyFlag && writable.length === 0)) {
        return {
            targets: list,
            from,
            holders: holderUrns,
            canWrite: "unknown",
            readOnly: readOnlyFlag || undefined,
            why: readOnlyFlag
                ? "read-only by design (DATABASE_READ_ONLY), but where its writes go is not in the graph"
                : from.length === 0
                  ? "no app environment found beside the entry point"
                  : `no data store among what ${from.join(", ")} is built from`,
        };
    }
    if (writable.length > 0) return { targets: list, from, holders: holderUrns, canWrite: true };
    return {
        targets: list,
        from,
        holders: holderUrns,
        canWrite: false,
        why: `its database host${list.length > 1 ? "s are" : " is"} ${list.map((t) => (t.kind === "replica" ? `the read-only replica ${t.name}` : `the change-data-capture target ${t.name} (its writes never reach the writer)`)).join(" and ")}`,
    };
}

const ROUTE53_RECORD = "aws:route53/record:Record";

// Per tree: Route 53 records by name and zone (in tree order), so that finding a record's siblings
// is a lookup and not a scan of every record of the stack per record.
const recordIndexes = new WeakMap<Tree, Map<string, GraphResource[]>>();

function nameKey(name: string, zone: string | undefined): string {
    return `${name}\u0000${zone ?? ""}\u0000${zone === undefined ? "none" : "zone"}`;
}

function recordsByName(tree: Tree): Map<string, GraphResource[]> {
    let index = recordIndexes.get(tree);
    if (!index) {
        index = new Map();
        for (const r of tree.ofType(ROUTE53_RECORD)) {
            const name = str(r.props, "name");
            if (name === undefined) continue;
            const key = nameKey(name, str(r.props, "zoneId") ?? r.propertyDependencies.zoneId?.[0]);
            const list = index.get(key);
            if (list) list.push(r);
            else index.set(key, [r]);
        }
        recordIndexes.set(tree, index);
    }
    return index;
}

/** The load balancers the records of `record`'s name answer with, PRIMARY first (the order DNS tries them). */
function failoverEntries(tree: Tree, record: GraphResource, entries: ReadonlySet<string>): string[] {
    const name = str(record.props, "name");
    const zone = str(record.props, "zoneId") ?? record.propertyDependencies.zoneId?.[0];
    const same = name === undefined ? [record] : (recordsByName(tree).get(nameKey(name, zone)) ?? []);
    const rank = (r: GraphResource) => (str(r.props, ["failoverRoutingPolicies", 0, "type"]) === "PRIMARY" ? 0 : 1);
    return [...same]
        .sort((a, b) => rank(a) - rank(b))
        .flatMap((r) => tree.refs(r, "aliases").filter((x) => entries.has(x.urn)).map((x) => x.urn));
}

/** A known DATABASE_READ_ONLY=true in the app's environment (Cloud Run, Kubernetes, a known ECS definition). */
function declaresReadOnly(holder: GraphResource): boolean {
    const envs: unknown[] = [];
    const containers = (v: unknown) => {
        for (const c of Array.isArray(v) ? v : []) envs.push(...((read(c, "envs") ?? read(c, "env") ?? read(c, "environment")) as unknown[] | undefined ?? []));
    };
    if (holder.type === "gcp:cloudrunv2/service:Service") containers(read(holder.props, "template.containers"));
    if (holder.type === "gcp:cloudrun/service:Service") containers(read(holder.props, "template.spec.containers"));
    if (holder.type === "kubernetes:apps/v1:Deployment") containers(read(holder.props, "spec.template.spec.containers"));
    if (holder.type === "aws:ecs/taskDefinition:TaskDefinition") {
        const defs = read(holder.props, "containerDefinitions");
        if (typeof defs === "string") {
            try {
                containers(JSON.parse(defs));
            } catch {
                // not JSON: nothing to read
            }
        }
    }
    return envs.some((e) => read(e, "name") === "DATABASE_READ_ONLY" && read(e, "value") === "true");
}

function targetsOf(tree: Tree, r: GraphResource, stores: ReadonlyMap<string, DataStoreInfo>, depth: number): DataTarget[] {
    if (r.type === STORE_TYPES.rdsGlobalCluster) return [{ kind: "global-endpoint", name: r.name, urn: r.urn }];
    const store = storeFor(tree, r, stores);
    if (store) return [{ kind: kindOf(store), name: store.name, urn: store.urn, store: store.urn }];
    if (r.type === "aws:route53/record:Record") {
        const pointed = tree.refs(r, "records").concat(tree.refs(r, "aliases")).map((x) => storeFor(tree, x, stores)).find((s) => s !== undefined);
        if (pointed || depth === 0) return [{ kind: "dns-record", name: r.name, urn: r.urn, store: pointed?.urn }];
    }
    if (CARRIERS.has(r.type) && depth === 0) return tree.allRefs(r).flatMap((x) => targetsOf(tree, x, stores, depth + 1)).filter((t) => t.kind !== "dns-record" || t.store !== undefined);
    return [];
}

function storeFor(tree: Tree, r: GraphResource, stores: ReadonlyMap<string, DataStoreInfo>): DataStoreInfo | undefined {
    const own = stores.get(r.urn);
    if (own) return own;
    if (r.type === STORE_TYPES.rdsClusterInstance) for (const c of tree.refs(r, "clusterIdentifier")) if (stores.has(c.urn)) return stores.get(c.urn);
    return undefined;
}

function kindOf(store: DataStoreInfo): DataTarget["kind"] {
    if (store.role === "writer") return "writer";
    if (store.replication === "dms-cdc" || store.replication === "gcp-dms-cdc") return "cdc-target";
    if (store.writeForwarding) return "write-forwarding";
    return "replica";
}
