// How the DMS rules read a replication pipeline from the resource graph: a task's replication
// instance and endpoints, and the databases behind an endpoint's serverName (recognised through
// property dependencies first, values second, as CONTRACTS.md C1/C6 describe).
import { Graph, GraphResource } from "../../lib/graph";
import { isUnknown, read } from "../../lib/props";
import { referrers, resolve } from "../../lib/refs";
import { Maybe } from "../graph/lib";

export const dmsTypes = {
    task: "aws:dms/replicationTask:ReplicationTask",
    instance: "aws:dms/replicationInstance:ReplicationInstance",
    endpoint: "aws:dms/endpoint:Endpoint",
    subnetGroup: "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup",
} as const;

export const dbTypes = {
    cluster: "aws:rds/cluster:Cluster",
    clusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    instance: "aws:rds/instance:Instance",
    global: "aws:rds/globalCluster:GlobalCluster",
    cloudSql: "gcp:sql/databaseInstance:DatabaseInstance",
} as const;

const dbTypeList = Object.values(dbTypes);

/** Whether a task captures changes (cdc or full-load-and-cdc); undefined when unknown. */
export function capturesChanges(task: GraphResource): Maybe {
    const m = read(task.props, "migrationType");
    if (isUnknown(m) || typeof m !== "string") return undefined;
    return m === "cdc" || m === "full-load-and-cdc";
}

export interface TaskParts {
    readonly instance?: GraphResource;
    readonly source?: GraphResource;
    readonly target?: GraphResource;
}

function one(graph: Graph, r: GraphResource, prop: string, type: string, identity: readonly string[]): GraphResource | undefined {
    const targets = resolve(graph, r, prop, [type], { identity }).targets;
    return targets.length === 1 ? targets[0] : undefined;
}

/** A task's replication instance and its source and target endpoints, when the graph shows them. */
export function taskParts(graph: Graph, task: GraphResource): TaskParts {
    return {
        instance: one(graph, task, "replicationInstanceArn", dmsTypes.instance, ["replicationInstanceArn", "arn", "id"]),
        source: one(graph, task, "sourceEndpointArn", dmsTypes.endpoint, ["endpointArn", "arn", "id"]),
        target: one(graph, task, "targetEndpointArn", dmsTypes.endpoint, ["endpointArn", "arn", "id"]),
    };
}

/** The Aurora clusters that are members of a global cluster. */
export function globalMembers(graph: Graph, global: GraphResource): GraphResource[] {
    return [...(referrers(graph, [dbTypes.cluster], "globalClusterIdentifier", [dbTypes.global], { identity: ["globalClusterIdentifier", "id"] }).get(global.urn) ?? [])];
}

/**
 * The databases an endpoint's serverName points at: RDS/Aurora clusters and instances (a cluster
 * instance stands for its cluster; a global cluster for every member cluster, since its writer
 * endpoint follows a promotion) and Cloud SQL instances.
 */
export function databasesBehind(graph: Graph, endpoint: GraphResource): GraphResource[] {
    const found = resolve(graph, endpoint, "serverName", dbTypeList, {
        identity: ["endpoint", "address", "readerEndpoint", "firstIpAddress", "publicIpAddress", "privateIpAddress"],
    }).targets;
    const out = new Map<string, GraphResource>();
    for (const db of found) {
        if (db.type === dbTypes.clusterInstance) {
            for (const c of resolve(graph, db, "clusterIdentifier", [dbTypes.cluster], { identity: ["id", "clusterIdentifier"] }).targets) out.set(c.urn, c);
        } else if (db.type === dbTypes.global) {
            for (const c of globalMembers(graph, db)) out.set(c.urn, c);
        } else out.set(db.urn, db);
    }
    return [...out.values()];
}
