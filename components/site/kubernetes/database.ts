// The site's database: a CloudNativePG `Cluster` (postgresql.cnpg.io/v1), a maintained operator
// that does what a hand-made StatefulSet cannot:
//   - `instances` = the replication factor: one primary and streaming standbys, each in its own
//     zone in prod (required pod anti-affinity on topology.kubernetes.io/zone, preferred in dev);
//   - automated failover: when the primary's pod, node or zone is lost the operator promotes the
//     most advanced standby and moves the `-rw` Service to it (typically within a minute);
//   - base backups and the WAL archive in object storage (barman), kept for the retention, with a
//     ScheduledBackup on the site's cron: point-in-time recovery, and the source of a replica cluster;
//   - a cross-cluster standby: on a secondary site the Cluster is a *replica cluster*
//     (`spec.replica.enabled`) of the upstream site's, fed from the upstream's WAL archive and, when
//     the upstream has an `externalHost`, by streaming from its primary there. Promoting it is one
//     field (`spec.replica.enabled: false`, see docs/services.md).
// The operator must be running in the cluster (KubernetesSiteArgs.databaseOperator, or installed
// beforehand: docs/services.md). MySQL is refused here: CloudNativePG is Postgres only.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ResolvedKubernetesData, ResolvedKubernetesSiteArgs } from "../kubernetesSite";
import { SiteDatabase, statefulOptions } from "../site";

/** Where a CloudNativePG cluster keeps its base backups and WAL archive. */
export interface CnpgBackupArgs {
    /** e.g. `s3://acme-backups/checkout` or `gs://acme-backups/checkout`. */
    readonly destinationPath: string;
    /** S3-compatible endpoint other than AWS S3. @default none */
    readonly endpointUrl?: string;
    /**
     * Secret (in the site's namespace) with the object store credentials: `ACCESS_KEY_ID` and
     * `ACCESS_SECRET_KEY` for s3://, `credentials.json` for gs://.
     * @default none: the pods' own identity (IRSA on EKS, Workload Identity on GKE)
     */
    readonly credentialsSecret?: string;
}

/** What another site needs to follow this database (a replica cluster of it). */
export interface CnpgSource {
    /** The Cluster's name, which is also its `serverName` in the object store. */
    readonly clusterName: string;
    /** The upstream's object store, when it archives. */
    readonly backup?: CnpgBackupArgs;
    /** Where the upstream's primary is reachable from other clusters. */
    readonly externalHost?: string;
}

export interface KubernetesDatabase {
    readonly cluster: k8s.apiextensions.CustomResource;
    readonly clusterName: string;
    readonly scheduledBackup?: k8s.apiextensions.CustomResource;
    /** The LoadBalancer Service in front of the primary (only with an external host). */
    readonly externalServiceName?: string;
    readonly secret: k8s.core.v1.Secret;
    readonly secretName: string;
    readonly siteDatabase: SiteDatabase;
}

export const CNPG_API_VERSION = "postgresql.cnpg.io/v1";

/** Default Postgres image: CloudNativePG's own, the same major as the AWS and GCP defaults. */
export const CNPG_DEFAULT_IMAGE = "ghcr.io/cloudnative-pg/postgresql:16.6";

/**
 * The Cluster's name: the service and the kubeconfig context, so that an upstream's and its replica
 * cluster's operator-made Secrets (`<name>-ca`, `<name>-replication`) never collide when copied
 * across clusters. At most 40 characters (the operator suffixes pods, Services and Secrets).
 */
export function cnpgClusterName(service: string, cluster: string): string {
    const slug = cluster.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    const full = `${service}-db-${slug}`;
    if (full.length <= 40) return full.replace(/-+$/, "");
    let h = 0x811c9dc5; // FNV-1a, so two long contexts sharing a prefix still differ
    for (const ch of cluster) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    return `${full.slice(0, 33).replace(/-+$/, "")}-${h.toString(36).slice(0, 6)}`;
}

/** CloudNativePG's ScheduledBackup takes six cron fields (seconds first). */
export function cnpgSchedule(fiveFieldCron: string): string {
    return `0 ${fiveFieldCron.trim()}`;
}

/** The `barmanObjectStore` section for a backup destination. */
export function barmanObjectStore(backup: CnpgBackupArgs, serverName?: string): Record<string, unknown> {
    const gcs = backup.destinationPath.startsWith("gs://");
    const credentials = gcs
        ? { googleCredentials: backup.credentialsSecret ? { applicationCredentials: { name: backup.credentialsSecret, key: "credentials.json" } } : { gkeEnvironment: true } }
        : {
              s3Credentials: backup.credentialsSecret
                  ? { accessKeyId: { name: backup.credentialsSecret, key: "ACCESS_KEY_ID" }, secretAccessKey: { name: backup.credentialsSecret, key: "ACCESS_SECRET_KEY" } }
                  : { inheritFromIAMRole: true },
          };
    return {
        destinationPath: backup.destinationPath,
        ...(backup.endpointUrl ? { endpointURL: backup.endpointUrl } : {}),
        ...(serverName ? { serverName } : {}),
        ...credentials,
        wal: { compression: "gzip", maxParallel: 4 },
        data: { compression: "gzip" },
    };
}

export function createKubernetesDatabase(
    name: string,
    a: ResolvedKubernetesSiteArgs,
    d: ResolvedKubernetesData,
    namespace: pulumi.Output<string>,
    parent: pulumi.Resource,
    child: pulumi.CustomResourceOptions,
): KubernetesDatabase {
    const stateful = statefulOptions(parent, a.protectStateful, { provider: child.provider });
    const clusterName = cnpgClusterName(a.service, a.cluster);
    const secretName = `${a.service}-db-app`;
    const selector = { "app.kubernetes.io/name": a.service, "app.kubernetes.io/component": "database" };
    const labels = { ...a.labels, ...selector };
    const upstream = d.upstream;
    const source = upstream?.cnpg;

    // The application's credentials (CloudNativePG takes a basic-auth Secret). A replica cluster
    // carries its upstream's users through replication, so it gets the upstream's password.
    const password = upstream ? upstream.password : new random.RandomPassword(`${name}-db-password`, { length: 32, special: false }, { parent }).result;
    const secret = new k8s.core.v1.Secret(
        `${name}-db-secret`,
        { metadata: { name: secretName, namespace, labels }, type: "kubernetes.io/basic-auth", stringData: { username: d.username, password } },
        stateful,
    );

    const externalServiceName = d.externalHost !== undefined ? `${clusterName}-external` : undefined;
    const upstreamName = "upstream";
    const replicaSpec = source
        ? {
              replica: { enabled: true, source: upstreamName },
              bootstrap: source.backup ? { recovery: { source: upstreamName } } : { pg_basebackup: { source: upstreamName } },
              externalClusters: [
                  {
                      name: upstreamName,
                      ...(source.externalHost
                          ? {
                                // Streaming from the upstream's primary, authenticated with the upstream's
                                // replication certificate (copied into this namespace: docs/services.md).
                                connectionParameters: { host: source.externalHost, user: "streaming_replica", dbname: "postgres", sslmode: "verify-full" },
                                sslKey: { name: `${source.clusterName}-replication`, key: "tls.key" },
                                sslCert: { name: `${source.clusterName}-replication`, key: "tls.crt" },
                                sslRootCert: { name: `${source.clusterName}-ca`, key: "ca.crt" },
                            }
                          : {}),
                      ...(source.backup ? { barmanObjectStore: barmanObjectStore(source.backup, source.clusterName) } : {}),
                  },
              ],
          }
        : { bootstrap: { initdb: { database: d.databaseName, owner: d.username, secret: { name: secretName } } } };

    const cluster = new k8s.apiextensions.CustomResource(
        `${name}-db`,
        {
            apiVersion: CNPG_API_VERSION,
            kind: "Cluster",
            metadata: { name: clusterName, namespace, labels },
            spec: {
                instances: d.replicationFactor,
                imageName: d.image,
                // Updates restart the standbys first, then switch the primary over (no failover needed).
                primaryUpdateStrategy: "unsupervised",
                primaryUpdateMethod: "switchover",
                storage: { size: `${d.storageGb}Gi`, ...(d.storageClass ? { storageClass: d.storageClass } : {}) },
                resources: {
                    requests: { cpu: `${d.cpuMillis}m`, memory: `${d.memoryMb}Mi` },
                    limits: { cpu: `${d.cpuMillis}m`, memory: `${d.memoryMb}Mi` },
                },
                // Each copy in its own zone: a zone outage takes at most one (required in prod, so
                // the cluster needs nodes in replicationFactor zones; preferred in dev).
                affinity: {
                    enablePodAntiAffinity: true,
                    topologyKey: "topology.kubernetes.io/zone",
                    podAntiAffinityType: d.requireZoneSpread ? "required" : "preferred",
                },
                // The operator's disruption budget: drains never take the primary and a standby at once.
                enablePDB: true,
                ...replicaSpec,
                ...(d.backup
                    ? { backup: { barmanObjectStore: barmanObjectStore(d.backup), retentionPolicy: `${d.backupRetentionDays}d` } }
                    : {}),
                monitoring: { enablePodMonitor: true },
                ...(externalServiceName
                    ? {
                          // The primary, reachable from other clusters and clouds (replica clusters, change
                          // data capture); only from the addresses given.
                          managed: {
                              services: {
                                  additional: [
                                      {
                                          selectorType: "rw",
                                          serviceTemplate: {
                                              metadata: { name: externalServiceName, labels },
                                              spec: { type: "LoadBalancer", ...(d.allowedClients !== undefined ? { loadBalancerSourceRanges: d.allowedClients } : {}) },
                                          },
                                      },
                                  ],
                              },
                          },
                      }
                    : {}),
            },
        },
        { ...stateful, dependsOn: [secret, ...d.operator] },
    );

    const scheduledBackup = d.backup
        ? new k8s.apiextensions.CustomResource(
              `${name}-db-backup`,
              {
                  apiVersion: CNPG_API_VERSION,
                  kind: "ScheduledBackup",
                  metadata: { name: `${clusterName}-scheduled`, namespace, labels },
                  spec: {
                      schedule: cnpgSchedule(d.backupSchedule),
                      cluster: { name: clusterName },
                      method: "barmanObjectStore",
                      backupOwnerReference: "self",
                      immediate: true,
                  },
              },
              { ...child, dependsOn: [cluster] },
          )
        : undefined;

    // Names from the Cluster's own output, so the app's environment depends on the Cluster.
    const service = (suffix: string) => cluster.metadata.apply((m) => `${m?.name ?? clusterName}-${suffix}.${a.namespace}.svc.cluster.local`);
    const host = service("rw");
    const external = d.externalHost;
    const siteDatabase: SiteDatabase = {
        engine: d.engine,
        cloud: "kubernetes",
        location: a.cluster,
        host,
        // A replica cluster's writer is its upstream's primary, reached across clusters when the
        // upstream publishes an external host; the site is read-only otherwise.
        writerHost: upstream ? upstream.externalHost ?? upstream.writerHost : host,
        readerHost: service(d.replicationFactor > 1 ? "ro" : "r"),
        externalHost: external !== undefined ? cluster.metadata.apply(() => external) : undefined,
        port: d.port,
        databaseName: d.databaseName,
        username: d.username,
        password: pulumi.secret(password),
        id: cluster.metadata.apply((m) => m?.name ?? clusterName),
        cnpg: { clusterName, backup: d.backup, externalHost: d.externalHost },
    };
    return { cluster, clusterName, scheduledBackup, externalServiceName, secret, secretName, siteDatabase };
}
