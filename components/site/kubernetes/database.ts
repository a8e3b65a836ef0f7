// The site's database as a plain StatefulSet with replicas = replication factor.
//
// Why a StatefulSet and not an operator (CloudNativePG, Patroni): it needs nothing installed in
// the cluster beyond Kubernetes itself, works for both postgres and mysql, and every property the
// policy pack checks (replicas, anti-affinity, volumes, disruption budget) is on a core resource.
// The price: no automatic failover inside the cluster. Pod 0 is the writer and the other pods are
// streaming replicas of it (postgres: pg_basebackup + hot standby; mysql: GTID replication); if
// pod 0's node dies, Kubernetes reschedules pod 0 onto its volume, and losing the zone of that
// volume is handled by the site-level failover to another site.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ResolvedKubernetesData, ResolvedKubernetesSiteArgs } from "../kubernetesSite";
import { SiteDatabase, statefulOptions } from "../site";

export interface KubernetesDatabase {
    readonly statefulSet: k8s.apps.v1.StatefulSet;
    readonly statefulSetName: string;
    readonly secret: k8s.core.v1.Secret;
    readonly secretName: string;
    readonly siteDatabase: SiteDatabase;
}

/** mysql server ids must be unique across every server that replicates together: derived from the cluster. */
export function databaseServerIdBase(cluster: string): number {
    let h = 0x811c9dc5; // FNV-1a
    for (let i = 0; i < cluster.length; i++) h = Math.imul(h ^ cluster.charCodeAt(i), 0x01000193) >>> 0;
    // Room for 100 pods per cluster below 2^32 - 1, mysql's largest server id.
    return (h % 40_000_000) * 100 + 1;
}

const POSTGRES_BOOTSTRAP = `#!/bin/bash
# Pod 0 is the writer (or, on a replica site, a standby of the upstream database); every other
# pod is a hot standby streaming from pod 0.
set -euo pipefail
ordinal="\${HOSTNAME##*-}"
if [ "$ordinal" = "0" ]; then upstream="\${UPSTREAM_HOST:-}"; upstream_port="\${UPSTREAM_PORT:-5432}"; else upstream="$PRIMARY_HOST"; upstream_port="$DB_PORT"; fi
if [ -n "$upstream" ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -q -h "$upstream" -p "$upstream_port"; do echo "waiting for $upstream:$upstream_port"; sleep 2; done
  PGPASSWORD="$POSTGRES_PASSWORD" pg_basebackup -h "$upstream" -p "$upstream_port" -U "$POSTGRES_USER" -D "$PGDATA" -R -X stream -c fast
  chmod 0700 "$PGDATA"
fi
exec docker-entrypoint.sh postgres -c wal_level=replica -c max_wal_senders=16 -c max_replication_slots=16 -c hot_standby=on -c wal_keep_size=1024
`;

const POSTGRES_INITDB = `#!/bin/bash
# Standbys replicate with the database owner's credentials.
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
`;

const MYSQL_BOOTSTRAP = `#!/bin/bash
# Pod 0 is the writer (or, on a replica site, a replica of the upstream database); every other pod
# replicates from pod 0 with GTID auto-positioning.
set -euo pipefail
ordinal="\${HOSTNAME##*-}"
if [ "$ordinal" = "0" ]; then upstream="\${UPSTREAM_HOST:-}"; upstream_port="\${UPSTREAM_PORT:-3306}"; else upstream="$PRIMARY_HOST"; upstream_port="$DB_PORT"; fi
if [ -n "$upstream" ]; then
  # The application database and user arrive through replication; creating them here would collide.
  unset MYSQL_DATABASE MYSQL_USER MYSQL_PASSWORD
  cat > /docker-entrypoint-initdb.d/50-replica.sql <<SQL
CHANGE REPLICATION SOURCE TO SOURCE_HOST='$upstream', SOURCE_PORT=$upstream_port, SOURCE_USER='root', SOURCE_PASSWORD='$MYSQL_ROOT_PASSWORD', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1;
START REPLICA;
SET PERSIST super_read_only = ON;
SQL
fi
exec docker-entrypoint.sh mysqld --server-id=$((SERVER_ID_BASE + ordinal)) --gtid-mode=ON --enforce-gtid-consistency=ON --log-replica-updates=ON
`;

export function createKubernetesDatabase(
    name: string,
    a: ResolvedKubernetesSiteArgs,
    d: ResolvedKubernetesData,
    namespace: pulumi.Output<string>,
    parent: pulumi.Resource,
    child: pulumi.CustomResourceOptions,
): KubernetesDatabase {
    const stateful = statefulOptions(parent, a.protectStateful, { provider: child.provider });
    const postgres = d.engine === "postgres";
    const stsName = `${a.service}-db`;
    const headlessName = `${a.service}-db`;
    const primaryName = `${a.service}-db-primary`;
    const secretName = `${a.service}-db`;
    const selector = { "app.kubernetes.io/name": a.service, "app.kubernetes.io/component": "database" };
    const labels = { ...a.labels, ...selector };
    const primaryHost = `${stsName}-0.${headlessName}.${a.namespace}.svc.cluster.local`;

    // A replica site shares its source's credentials; a new primary gets its own.
    const password = d.upstream ? d.upstream.password : new random.RandomPassword(`${name}-db-password`, { length: 32, special: false }, { parent }).result;
    const secret = new k8s.core.v1.Secret(
        `${name}-db-secret`,
        { metadata: { name: secretName, namespace, labels }, type: "Opaque", stringData: { username: d.username, password, database: d.databaseName } },
        stateful,
    );
    const bootstrap = new k8s.core.v1.ConfigMap(
        `${name}-db-bootstrap`,
        {
            metadata: { name: `${a.service}-db-bootstrap`, namespace, labels },
            data: postgres ? { "bootstrap.sh": POSTGRES_BOOTSTRAP, "10-replication.sh": POSTGRES_INITDB } : { "bootstrap.sh": MYSQL_BOOTSTRAP },
        },
        child,
    );

    const fromSecret = (key: string) => ({ valueFrom: { secretKeyRef: { name: secretName, key } } });
    const env: k8s.types.input.core.v1.EnvVar[] = [
        { name: "PRIMARY_HOST", value: primaryHost },
        { name: "DB_PORT", value: String(d.port) },
        ...(d.upstream
            ? [
                  { name: "UPSTREAM_HOST", value: d.upstream.host },
                  { name: "UPSTREAM_PORT", value: String(d.upstream.port) },
              ]
            : []),
        ...(postgres
            ? [
                  { name: "POSTGRES_USER", value: d.username },
                  { name: "POSTGRES_DB", value: d.databaseName },
                  { name: "POSTGRES_PASSWORD", ...fromSecret("password") },
                  // A subdirectory: the volume's root may hold lost+found, which initdb refuses.
                  { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
              ]
            : [
                  { name: "MYSQL_ROOT_PASSWORD", ...fromSecret("password") },
                  { name: "MYSQL_DATABASE", value: d.databaseName },
                  { name: "MYSQL_USER", value: d.username },
                  { name: "MYSQL_PASSWORD", ...fromSecret("password") },
                  { name: "SERVER_ID_BASE", value: String(databaseServerIdBase(a.cluster)) },
              ]),
    ];
    const ready = postgres ? 'pg_isready -q -h 127.0.0.1 -p 5432 -U "$POSTGRES_USER"' : "mysqladmin ping -h 127.0.0.1 --silent";
    const execProbe = (periodSeconds: number, failureThreshold: number) => ({ exec: { command: ["sh", "-c", ready] }, periodSeconds, failureThreshold, timeoutSeconds: 5 });
    const dataPath = postgres ? "/var/lib/postgresql/data" : "/var/lib/mysql";
    const zoneTerm = { topologyKey: "topology.kubernetes.io/zone", labelSelector: { matchLabels: selector } };
    const resources = { cpu: `${d.cpuMillis}m`, memory: `${d.memoryMb}Mi` };
    // Flush to disk before Velero snapshots the volumes, so a restore starts from a clean checkpoint.
    const backupHook = postgres ? 'psql -U "$POSTGRES_USER" -d postgres -c CHECKPOINT' : 'mysql -uroot -p"$MYSQL_ROOT_PASSWORD" -e "FLUSH TABLES"';

    const statefulSet = new k8s.apps.v1.StatefulSet(
        `${name}-db`,
        {
            metadata: { name: stsName, namespace, labels },
            spec: {
                serviceName: headlessName,
                replicas: d.replicationFactor,
                // Pod 0 must be up before the standbys copy from it.
                podManagementPolicy: "OrderedReady",
                selector: { matchLabels: selector },
                // The provider-side guard: volumes outlive the StatefulSet (and scale-downs) when protected.
                persistentVolumeClaimRetentionPolicy: { whenDeleted: a.protectStateful ? "Retain" : "Delete", whenScaled: "Retain" },
                template: {
                    metadata: {
                        labels,
                        annotations: {
                            "pre.hook.backup.velero.io/container": "database",
                            "pre.hook.backup.velero.io/command": JSON.stringify(["/bin/bash", "-c", backupHook]),
                        },
                    },
                    spec: {
                        terminationGracePeriodSeconds: 60,
                        securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: "RuntimeDefault" } },
                        affinity: {
                            podAntiAffinity: d.requireZoneSpread
                                ? {
                                      // Each copy in its own zone: a zone outage takes at most one.
                                      requiredDuringSchedulingIgnoredDuringExecution: [zoneTerm],
                                      preferredDuringSchedulingIgnoredDuringExecution: [
                                          { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: selector } } },
                                      ],
                                  }
                                : {
                                      preferredDuringSchedulingIgnoredDuringExecution: [
                                          { weight: 100, podAffinityTerm: zoneTerm },
                                          { weight: 50, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: selector } } },
                                      ],
                                  },
                        },
                        containers: [
                            {
                                name: "database",
                                image: d.image,
                                command: ["bash", "/nonstop/bootstrap.sh"],
                                ports: [{ name: "db", containerPort: d.port }],
                                env,
                                resources: { requests: resources, limits: resources },
                                startupProbe: execProbe(10, 60),
                                readinessProbe: execProbe(10, 3),
                                livenessProbe: execProbe(20, 6),
                                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                                volumeMounts: [
                                    { name: "data", mountPath: dataPath },
                                    { name: "bootstrap", mountPath: "/nonstop/bootstrap.sh", subPath: "bootstrap.sh" },
                                    postgres
                                        ? { name: "bootstrap", mountPath: "/docker-entrypoint-initdb.d/10-replication.sh", subPath: "10-replication.sh" }
                                        : // The mysql bootstrap writes its replica setup here; the image's directory is not writable.
                                          { name: "initdb", mountPath: "/docker-entrypoint-initdb.d" },
                                ],
                            },
                        ],
                        volumes: [
                            { name: "bootstrap", configMap: { name: `${a.service}-db-bootstrap`, defaultMode: 0o555 } },
                            ...(postgres ? [] : [{ name: "initdb", emptyDir: {} }]),
                        ],
                    },
                },
                volumeClaimTemplates: [
                    {
                        metadata: { name: "data", labels },
                        spec: {
                            accessModes: ["ReadWriteOnce"],
                            ...(d.storageClass ? { storageClassName: d.storageClass } : {}),
                            resources: { requests: { storage: `${d.storageGb}Gi` } },
                        },
                    },
                ],
            },
        },
        { ...stateful, dependsOn: [secret, bootstrap] },
    );

    // Headless: stable per-pod DNS names (pod 0 is the replication source); not-ready pods resolve too.
    new k8s.core.v1.Service(
        `${name}-db-headless`,
        { metadata: { name: headlessName, namespace, labels }, spec: { clusterIP: "None", publishNotReadyAddresses: true, selector, ports: [{ name: "db", port: d.port, targetPort: "db" }] } },
        child,
    );
    // The writer: pod 0 only.
    new k8s.core.v1.Service(
        `${name}-db-primary`,
        {
            metadata: { name: primaryName, namespace, labels },
            spec: { type: "ClusterIP", selector: { ...selector, "statefulset.kubernetes.io/pod-name": `${stsName}-0` }, ports: [{ name: "db", port: d.port, targetPort: "db" }] },
        },
        child,
    );
    // One database pod at a time may go during drains and upgrades; never zero.
    new k8s.policy.v1.PodDisruptionBudget(
        `${name}-db-pdb`,
        { metadata: { name: stsName, namespace, labels }, spec: { maxUnavailable: 1, selector: { matchLabels: selector } } },
        child,
    );

    const siteDatabase: SiteDatabase = {
        engine: d.engine,
        cloud: "kubernetes",
        location: a.cluster,
        host: pulumi.output(`${primaryName}.${a.namespace}.svc.cluster.local`),
        port: d.port,
        databaseName: d.databaseName,
        username: d.username,
        password: pulumi.secret(password),
        id: statefulSet.metadata.name,
    };
    return { statefulSet, statefulSetName: stsName, secret, secretName, siteDatabase };
}
