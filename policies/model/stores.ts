// Data stores of a program, how they are replicated and how they are backed up — read from the
// resources alone: RDS/Aurora, Cloud SQL and StatefulSets; Aurora global databases, cross-region
// read replicas, Cloud SQL replicas and AWS DMS change data capture; AWS Backup plans, Cloud SQL
// automated backups and Velero schedules.
import { GraphResource } from "../lib/graph";
import { bool, list, num, str } from "../lib/props";
import { maxIntervalSeconds } from "./cron";
import { clusterOf, locationOf, presence, Tree } from "./tree";
import { BackupInfo, DataStoreInfo, DataStoreKind, ReplicationKind } from "./types";

export const STORE_TYPES = {
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    rdsInstance: "aws:rds/instance:Instance",
    rdsGlobalCluster: "aws:rds/globalCluster:GlobalCluster",
    cloudSql: "gcp:sql/databaseInstance:DatabaseInstance",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    dmsTask: "aws:dms/replicationTask:ReplicationTask",
    gcpMigrationJob: "gcp:databasemigrationservice/migrationJob:MigrationJob",
    dmsEndpoint: "aws:dms/endpoint:Endpoint",
    backupPlan: "aws:backup/plan:Plan",
    backupSelection: "aws:backup/selection:Selection",
    backupVault: "aws:backup/vault:Vault",
    veleroSchedule: "kubernetes:velero.io/v1:Schedule",
    cnpgCluster: "kubernetes:postgresql.cnpg.io/v1:Cluster",
    cnpgScheduledBackup: "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup",
} as const;

interface Draft {
    name: string;
    urn: string;
    kind: DataStoreKind;
    engine?: string;
    cloud: DataStoreInfo["cloud"];
    region: string;
    role: "writer" | "replica";
    replicaOf?: string;
    replication?: ReplicationKind;
    globalCluster?: string;
    writeForwarding?: boolean;
    zones: DataStoreInfo["zones"];
    instances?: number;
    sla?: string;
    backups: BackupInfo[];
}

/** A note about one data store (urn), or about the whole program. */
export interface StoreNote {
    readonly urn?: string;
    readonly text: string;
}

/** Every data store of the graph by URN, with replication and backups resolved. */
export function findDataStores(tree: Tree, notes: StoreNote[]): Map<string, DataStoreInfo> {
    const drafts = new Map<string, Draft>();
    for (const r of tree.ofType(STORE_TYPES.rdsCluster)) drafts.set(r.urn, rdsCluster(tree, r));
    for (const r of tree.ofType(STORE_TYPES.rdsInstance)) drafts.set(r.urn, rdsInstance(tree, r));
    for (const r of tree.ofType(STORE_TYPES.cloudSql)) drafts.set(r.urn, cloudSql(tree, r, notes));
    for (const r of tree.ofType(STORE_TYPES.statefulSet)) drafts.set(r.urn, statefulSet(r));
    for (const r of tree.ofType(STORE_TYPES.cnpgCluster)) drafts.set(r.urn, cnpgCluster(r));
    auroraGlobal(tree, drafts);
    cnpgReplicas(tree, drafts);
    dmsCdc(tree, drafts);
    gcpDmsCdc(tree, drafts);
    streamingReplicas(tree, drafts);
    awsBackups(tree, drafts, notes);
    veleroBackups(tree, drafts, notes);
    cnpgBackups(tree, drafts);
    return new Map([...drafts].map(([k, d]) => [k, { ...d, backups: [...d.backups] }]));
}

/**
 * The data store a resource stands for: a cluster instance stands for its cluster, a global cluster
 * (its global writer endpoint) for its current writer (contract C6: DMS follows the writer).
 */
function storeOf(tree: Tree, r: GraphResource, drafts: Map<string, Draft>): Draft | undefined {
    if (drafts.has(r.urn)) return drafts.get(r.urn);
    if (r.type === STORE_TYPES.rdsGlobalCluster) {
        for (const d of drafts.values()) if (d.globalCluster === r.urn && d.role === "writer") return d;
    }
    if (r.type === STORE_TYPES.rdsClusterInstance) {
        for (const c of tree.refs(r, "clusterIdentifier")) if (drafts.has(c.urn)) return drafts.get(c.urn);
    }
    return undefined;
}

function rdsCluster(tree: Tree, r: GraphResource): Draft {
    const engine = str(r.props, "engine");
    const aurora = engine === undefined || engine.startsWith("aurora");
    const id = str(r.props, "clusterIdentifier");
    // Instances name their cluster through a property dependency (preview) or its known identifier.
    const byDependency = tree.dependents(r.urn).filter((i) => i.type === STORE_TYPES.rdsClusterInstance && (i.propertyDependencies.clusterIdentifier ?? []).includes(r.urn));
    const instances =
        byDependency.length > 0 || id === undefined ? byDependency : tree.ofType(STORE_TYPES.rdsClusterInstance).filter((i) => str(i.props, "clusterIdentifier") === id);
    const multiAzCluster = !aurora && presence(r.props, "dbClusterInstanceClass") !== "absent";
    let zones: Draft["zones"];
    let sla: string | undefined;
    if (aurora) {
        zones = instances.length >= 2 ? "multi-az" : instances.length === 1 ? "single-az" : "unknown";
        sla = instances.length >= 2 ? "aurora-multi-az" : instances.length === 1 ? "aurora-single-az" : undefined;
    } else {
        zones = multiAzCluster ? "multi-az" : "unknown";
        sla = multiAzCluster ? "rds-multi-az" : undefined;
    }
    const d: Draft = {
        name: r.name,
        urn: r.urn,
        kind: aurora ? "aurora" : "rds-cluster",
        engine,
        cloud: "aws",
        region: locationOf(r) ?? "default",
        role: "writer",
        zones,
        instances: aurora ? instances.length : undefined,
        sla,
        backups: [],
        writeForwarding: bool(r.props, "enableGlobalWriteForwarding") === true || undefined,
    };
    if (presence(r.props, "replicationSourceIdentifier") !== "absent") {
        d.role = "replica";
        d.replication = aurora ? "aurora-cross-region" : "rds-read-replica";
        d.replicaOf = tree.refs(r, "replicationSourceIdentifier")[0]?.urn;
    }
    return d;
}

function rdsInstance(tree: Tree, r: GraphResource): Draft {
    const multiAz = bool(r.props, "multiAz") === true;
    const d: Draft = {
        name: r.name,
        urn: r.urn,
        kind: "rds-instance",
        engine: str(r.props, "engine"),
        cloud: "aws",
        region: locationOf(r) ?? "default",
        role: "writer",
        zones: multiAz ? "multi-az" : presence(r.props, "multiAz") === "unknown" ? "unknown" : "single-az",
        sla: multiAz ? "rds-multi-az" : presence(r.props, "multiAz") === "unknown" ? undefined : "rds-single-az",
        backups: [],
    };
    if (presence(r.props, "replicateSourceDb") !== "absent") {
        d.role = "replica";
        d.replication = "rds-read-replica";
        const source = str(r.props, "replicateSourceDb");
        d.replicaOf =
            tree.refs(r, "replicateSourceDb")[0]?.urn ??
            tree.ofType(STORE_TYPES.rdsInstance).find((x) => source !== undefined && (str(x.props, "identifier") === source || x.name === source))?.urn;
    }
    return d;
}

function cloudSql(tree: Tree, r: GraphResource, notes: StoreNote[]): Draft {
    const availability = str(r.props, "settings.availabilityType");
    const regional = availability === "REGIONAL";
    const edition = str(r.props, "settings.edition");
    let sla: string | undefined;
    if (regional) {
        sla = edition === "ENTERPRISE_PLUS" ? "cloud-sql-enterprise-plus-ha" : "cloud-sql-enterprise-ha";
        if (edition === undefined) notes.push({ urn: r.urn, text: `Cloud SQL "${r.name}": settings.edition is not set; the Enterprise edition SLA (the lower one) is used.` });
    }
    const region = locationOf(r) ?? "default";
    const d: Draft = {
        name: r.name,
        urn: r.urn,
        kind: "cloud-sql",
        engine: str(r.props, "databaseVersion"),
        cloud: "gcp",
        region,
        role: "writer",
        zones: regional ? "multi-az" : presence(r.props, "settings.availabilityType") === "unknown" ? "unknown" : "single-az",
        sla,
        backups: [],
    };
    if (presence(r.props, "masterInstanceName") !== "absent") {
        d.role = "replica";
        d.replication = "cloud-sql-replica";
        const master = str(r.props, "masterInstanceName");
        d.replicaOf =
            tree.refs(r, "masterInstanceName").find((x) => x.type === STORE_TYPES.cloudSql)?.urn ??
            tree.ofType(STORE_TYPES.cloudSql).find((x) => master !== undefined && (str(x.props, "name") === master || x.name === master))?.urn;
    }
    if (bool(r.props, "settings.backupConfiguration.enabled") === true) {
        const location = str(r.props, "settings.backupConfiguration.location");
        // Without a location Cloud SQL keeps backups in the multi-region nearest the instance.
        const offSite = location === undefined ? true : location !== region;
        d.backups.push({
            kind: "cloud-sql",
            name: r.name,
            urn: r.urn,
            schedule: `daily from ${str(r.props, "settings.backupConfiguration.startTime") ?? "a time Cloud SQL picks"}`,
            intervalSeconds: 86400,
            offSite,
            copyLocation: location ?? "multi-region",
        });
    }
    return d;
}

function statefulSet(r: GraphResource): Draft {
    return { name: r.name, urn: r.urn, kind: "statefulset", cloud: "kubernetes", region: clusterOf(r), role: "writer", zones: "unknown", backups: [] };
}

/** Aurora global databases: one writer cluster, the others replicas fed at storage level. */
function auroraGlobal(tree: Tree, drafts: Map<string, Draft>): void {
    const groups = new Map<string, GraphResource[]>();
    for (const r of tree.ofType(STORE_TYPES.rdsCluster)) {
        if (presence(r.props, "globalClusterIdentifier") === "absent") continue;
        const deps = tree.refs(r, "globalClusterIdentifier");
        const key = deps.find((d) => d.type === STORE_TYPES.rdsGlobalCluster)?.urn ?? str(r.props, "globalClusterIdentifier") ?? deps[0]?.urn;
        if (!key) continue;
        groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    for (const [key, members] of groups) {
        const global = tree.get(key);
        for (const m of members) {
            const d = drafts.get(m.urn);
            if (d) d.globalCluster = key;
        }
        const sourceUrns = global ? (global.propertyDependencies.sourceDbClusterIdentifier ?? []) : [];
        const hasCredentials = (r: GraphResource) =>
            presence(r.props, "masterUsername") !== "absent" || bool(r.props, "manageMasterUserPassword") === true || presence(r.props, "snapshotIdentifier") !== "absent";
        const writer = members.find((m) => sourceUrns.includes(m.urn)) ?? members.find(hasCredentials);
        if (!writer) continue;
        for (const m of members) {
            const d = drafts.get(m.urn);
            if (!d) continue;
            if (m.urn === writer.urn) {
                d.role = "writer";
                d.replicaOf = undefined;
                d.replication = undefined;
            } else {
                d.role = "replica";
                d.replicaOf = writer.urn;
                d.replication = "aurora-global";
            }
        }
    }
}

/** AWS DMS tasks that capture changes: the target store becomes a replica fed by CDC. */
function dmsCdc(tree: Tree, drafts: Map<string, Draft>): void {
    for (const task of tree.ofType(STORE_TYPES.dmsTask)) {
        const type = str(task.props, "migrationType");
        if (type !== "cdc" && type !== "full-load-and-cdc") continue;
        const endpointStore = (key: string): Draft | undefined => {
            for (const ep of tree.refs(task, key)) {
                for (const ref of tree.allRefs(ep)) {
                    const s = storeOf(tree, ref, drafts);
                    if (s) return s;
                }
            }
            return undefined;
        };
        const source = endpointStore("sourceEndpointArn");
        const target = endpointStore("targetEndpointArn");
        if (!source || !target || source === target) continue;
        target.role = "replica";
        target.replicaOf = source.urn;
        target.replication = "dms-cdc";
    }
}

/** GCP Database Migration Service CONTINUOUS jobs: the destination's store becomes a replica fed by CDC. */
function gcpDmsCdc(tree: Tree, drafts: Map<string, Draft>): void {
    for (const job of tree.ofType(STORE_TYPES.gcpMigrationJob)) {
        if (str(job.props, "type") !== "CONTINUOUS") continue;
        const profileStore = (key: string): Draft | undefined => {
            for (const profile of tree.refs(job, key)) {
                for (const ref of tree.allRefs(profile)) {
                    const s = storeOf(tree, ref, drafts);
                    if (s) return s;
                }
            }
            return undefined;
        };
        const source = profileStore("source");
        const target = profileStore("destination");
        if (!source || !target || source === target) continue;
        target.role = "replica";
        target.replicaOf = source.urn;
        target.replication = "gcp-dms-cdc";
    }
}

/**
 * A CloudNativePG cluster (contract C7): `spec.instances` copies, one primary and streaming
 * standbys, spread over zones when the anti-affinity on the zone label is required.
 */
function cnpgCluster(r: GraphResource): Draft {
    const instances = num(r.props, "spec.instances");
    const topologyKey = str(r.props, "spec.affinity.topologyKey");
    const required = str(r.props, "spec.affinity.podAntiAffinityType") === "required" && bool(r.props, "spec.affinity.enablePodAntiAffinity") !== false;
    const zoned = topologyKey === "topology.kubernetes.io/zone" || topologyKey === "failure-domain.beta.kubernetes.io/zone";
    const zones: Draft["zones"] = instances === undefined ? "unknown" : instances < 2 ? "single-az" : zoned && required ? "multi-az" : "unknown";
    const d: Draft = { name: r.name, urn: r.urn, kind: "cnpg", engine: "postgres", cloud: "kubernetes", region: clusterOf(r), role: "writer", zones, instances, backups: [] };
    if (bool(r.props, "spec.replica.enabled") === true) {
        d.role = "replica";
        d.replication = "cnpg-replica";
    }
    return d;
}

/** A CNPG replica cluster streams from its external cluster: linked when that host comes from a store of the program. */
function cnpgReplicas(tree: Tree, drafts: Map<string, Draft>): void {
    for (const d of drafts.values()) {
        if (d.kind !== "cnpg" || d.role !== "replica") continue;
        const r = tree.get(d.urn);
        const upstream = r ? tree.refs(r, "spec").map((x) => storeOf(tree, x, drafts)).find((s) => s !== undefined && s !== d) : undefined;
        if (upstream) d.replicaOf = upstream.urn;
    }
}

/** CNPG backups: WAL archived continuously to object storage (barmanObjectStore), base backups by ScheduledBackup. */
function cnpgBackups(tree: Tree, drafts: Map<string, Draft>): void {
    for (const d of drafts.values()) {
        if (d.kind !== "cnpg") continue;
        const r = tree.get(d.urn);
        if (!r || presence(r.props, "spec.backup.barmanObjectStore") === "absent") continue;
        d.backups.push({
            kind: "cnpg",
            name: `${r.name} WAL archive`,
            urn: r.urn,
            schedule: "continuous WAL archiving (archive_timeout 5 min)",
            // CloudNativePG archives a WAL segment at least every archive_timeout (default 5 minutes).
            intervalSeconds: 300,
            offSite: true,
            copyLocation: str(r.props, "spec.backup.barmanObjectStore.destinationPath") ?? "object storage",
        });
    }
}

/** A StatefulSet whose pod spec is computed from another data store streams from it (a standby). */
function streamingReplicas(tree: Tree, drafts: Map<string, Draft>): void {
    for (const d of drafts.values()) {
        if (d.kind !== "statefulset") continue;
        const r = tree.get(d.urn);
        if (!r) continue;
        const upstream = tree
            .refs(r, "spec")
            .map((x) => storeOf(tree, x, drafts))
            .find((s) => s !== undefined && s !== d);
        if (!upstream) continue;
        d.role = "replica";
        d.replicaOf = upstream.urn;
        d.replication = "streaming";
    }
}

/** AWS Backup: each selected store gets one backup per plan rule, off-site when copied to another region. */
function awsBackups(tree: Tree, drafts: Map<string, Draft>, notes: StoreNote[]): void {
    for (const sel of tree.ofType(STORE_TYPES.backupSelection)) {
        const plan = tree.refs(sel, "planId").find((p) => p.type === STORE_TYPES.backupPlan);
        if (!plan) continue;
        const stores = new Set<Draft>();
        for (const ref of tree.refs(sel, "resources")) {
            const s = storeOf(tree, ref, drafts);
            if (s) stores.add(s);
        }
        if (stores.size === 0) {
            if (presence(sel.props, "selectionTags") !== "absent" || presence(sel.props, "conditions") !== "absent") {
                notes.push({ text: `AWS Backup selection "${sel.name}" selects by tag or condition; the model cannot tell which data stores it covers.` });
            }
            continue;
        }
        const planRegion = locationOf(plan) ?? "default";
        const vaultRegions = tree
            .refs(plan, "rules")
            .filter((v) => v.type === STORE_TYPES.backupVault)
            .map((v) => locationOf(v) ?? "default");
        const rules = list(plan.props, "rules") ?? [];
        rules.forEach((rule, i) => {
            const schedule = str(rule, "schedule");
            const ruleName = str(rule, "ruleName") ?? `${plan.name} rule ${i + 1}`;
            const copies = list(rule, "copyActions") ?? [];
            let copyRegion: string | undefined;
            let copyUnknown = false;
            for (const c of copies) {
                const arn = str(c, "destinationVaultArn");
                const region = arn ? /^arn:[^:]+:backup:([^:]+):/.exec(arn)?.[1] : undefined;
                if (region && region !== planRegion) copyRegion = region;
                else if (!arn) {
                    const other = vaultRegions.find((r) => r !== planRegion);
                    if (other) copyRegion = other;
                    else copyUnknown = true;
                }
            }
            for (const s of stores) {
                const offSite = copyRegion !== undefined && copyRegion !== s.region;
                s.backups.push({
                    kind: "aws-backup",
                    name: `${plan.name}/${ruleName}`,
                    urn: plan.urn,
                    schedule,
                    intervalSeconds: schedule ? maxIntervalSeconds(schedule) : undefined,
                    offSite: offSite ? true : copyUnknown ? undefined : false,
                    copyLocation: copyRegion,
                });
            }
        });
    }
}

/** Velero schedules back up the cluster they run in to object storage outside it. */
function veleroBackups(tree: Tree, drafts: Map<string, Draft>, notes: StoreNote[]): void {
    const schedules = tree.ofType(STORE_TYPES.veleroSchedule);
    if (schedules.length === 0) return;
    for (const d of drafts.values()) {
        if (d.kind !== "statefulset") continue;
        for (const sch of schedules) {
            if (clusterOf(sch) !== d.region) continue;
            const schedule = str(sch.props, "spec.schedule");
            const namespaces = list(sch.props, "spec.template.includedNamespaces");
            const ns = str(tree.get(d.urn)?.props, "metadata.namespace") ?? "default";
            if (namespaces && !namespaces.some((n) => n === "*" || n === ns)) continue;
            notes.push({
                urn: d.urn,
                text: `Velero schedule "${sch.name}" is taken to keep ${d.name} off-site: backups go to object storage outside the cluster (volume snapshots stay in the cluster's cloud region).`,
            });
            d.backups.push({
                kind: "velero",
                name: sch.name,
                urn: sch.urn,
                schedule,
                intervalSeconds: schedule ? maxIntervalSeconds(schedule) : undefined,
                offSite: true,
                copyLocation: str(sch.props, "spec.template.storageLocation") ?? "default backup storage location",
            });
        }
    }
}
