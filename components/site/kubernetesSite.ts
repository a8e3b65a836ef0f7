// A service in one Kubernetes cluster: a Deployment spread over zones with a disruption budget
// and an autoscaler, an Ingress that DNS points at, a CloudNativePG Postgres cluster (automated
// failover, backups to object storage, replica cluster across clusters), Velero backups of the
// namespace and Prometheus alerts. The class wires the parts; each part is a function in kubernetes/.
// Release tracks (blue-green, canary) run as one Deployment per track, split by an ingress-nginx
// canary Ingress.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { cronProblem } from "../backup/cron";
import { VeleroSchedule } from "../backup/velero";
import { CNPG_DEFAULT_IMAGE, cnpgClusterName, CnpgBackupArgs, cnpgSchedule, createKubernetesDatabase } from "./kubernetes/database";
import { k8sLabels } from "./kubernetes/labels";
import { createKubernetesMonitoring } from "./kubernetes/monitoring";
import { createWorkload, ingressSplit, KUBERNETES_MAX_TRACKS, versionObjectName } from "./kubernetes/workload";
import { ResolvedSiteArgs, ResolvedSiteData, resolveSiteDataDefaults, resolveSiteDefaults, Site, SiteArgs, SiteBucket, SiteDatabase, SiteDataArgs, SiteEndpoint, SiteRole, SiteTarget, statefulOptions, WriteRoute } from "./site";
import { HOST_NAME_OR_IPV4, IPV4, isHttpsUrl, OBJECT_STORE_PATH } from "./providerLimits";
import { validateTracks } from "./tracks";

export { cnpgClusterName, CnpgBackupArgs, cnpgSchedule, ingressSplit, k8sLabels, KUBERNETES_MAX_TRACKS, versionObjectName };

export interface KubernetesSiteArgs extends SiteArgs {
    /** kubeconfig context of the cluster; the site's Kubernetes provider uses it. */
    readonly cluster: string;
    /** Namespace the site runs in (created by the site). @default the service name */
    readonly namespace?: string;
    /**
     * Static IP of the cluster's ingress controller load balancer. DNS points at it and
     * health-checks it; Cloud DNS needs it (it health-checks only IPs).
     * @default none: the address the Ingress reports (hostname, or IP) once it is admitted
     */
    readonly loadBalancerIp?: string;
    /** StorageClass of the database volumes; zone-bound classes pair with the zone anti-affinity. @default the cluster's default StorageClass */
    readonly storageClass?: string;
    /**
     * IngressClass of the ingress controller. Release tracks need ingress-nginx (they split requests
     * with its canary annotations). @default "nginx"
     */
    readonly ingressClass?: string;
    /** Host the Ingress serves. @default none: the Ingress answers any host */
    readonly domain?: string;
    /** Secret holding the TLS certificate for `domain` (e.g. issued by cert-manager). @default none: plain HTTP on 80 */
    readonly tlsSecretName?: string;
    /** Velero BackupStorageLocation the backups go to; name one in another region for off-site copies. @default Velero's default location */
    readonly backupStorageLocation?: string;
    /** Postgres image CloudNativePG runs. @default CNPG_DEFAULT_IMAGE (ghcr.io/cloudnative-pg/postgresql:16.6) */
    readonly databaseImage?: string;
    /**
     * Where other clusters and clouds reach the database's primary: the site then creates a
     * LoadBalancer Service in front of it (admitting only `data.allowedClients` when given), and a
     * replica cluster elsewhere streams from it. Make this name resolve to that Service's address
     * (e.g. external-dns). @default none: reachable inside the cluster only
     */
    readonly databaseExternalHost?: string;
    /** Base backups and WAL archive in object storage, kept `data.backupRetentionDays`. @default none (a warning in prod) */
    readonly databaseBackup?: CnpgBackupArgs;
    /**
     * What must exist before the database (the CloudNativePG operator installed by the program,
     * e.g. CloudNativePgOperator). @default none: the operator is already running in the cluster
     */
    readonly databaseOperator?: pulumi.Resource;
    /** CPU units per database pod (1024 = 1 vCPU). @default 1024 in prod, 256 in dev */
    readonly databaseCpu?: number;
    /** Memory per database pod, MiB. @default 2048 in prod, 512 in dev */
    readonly databaseMemoryMb?: number;
    /** Labels the Prometheus operator's ruleSelector needs on PrometheusRules (e.g. { release: "kube-prometheus-stack" }). @default {} */
    readonly prometheusRuleLabels?: Readonly<Record<string, string>>;
    /** Share of requests answered with 5xx above which an alert fires. @default 0.05 */
    readonly errorRateThreshold?: number;
}

/** The data settings with every default applied. */
export interface ResolvedKubernetesData extends ResolvedSiteData {
    readonly backupStorageLocation?: string;
    /** Object store of the CloudNativePG backups. */
    readonly backup?: CnpgBackupArgs;
    readonly externalHost?: string;
    /** Addresses the external Service admits (none: any). */
    readonly allowedClients?: pulumi.Input<string[]>;
    /** What the Cluster waits for (the operator). */
    readonly operator: readonly pulumi.Resource[];
    /** The app gets no writer endpoint; writes go to `writeRoute`. */
    readonly readOnly: boolean;
    readonly writeRoute?: WriteRoute;
    readonly storageClass?: string;
    readonly image: string;
    readonly port: number;
    readonly databaseName: string;
    readonly username: string;
    readonly cpuMillis: number;
    readonly memoryMb: number;
    /** A database in another cluster this one streams from (replicaOf on kubernetes only). */
    readonly upstream?: SiteDatabase;
    /**
     * Required zone anti-affinity in prod (the cluster then needs nodes in replicationFactor zones,
     * or the extra pods stay Pending), preferred in dev.
     */
    readonly requireZoneSpread: boolean;
}

/** KubernetesSiteArgs with every default applied (see the @default of each arg). */
export interface ResolvedKubernetesSiteArgs extends ResolvedSiteArgs {
    /** `cpu` in Kubernetes millicores. */
    readonly cpuMillis: number;
    readonly cluster: string;
    readonly namespace: string;
    readonly loadBalancerIp?: string;
    readonly ingressClass: string;
    readonly domain?: string;
    readonly tlsSecretName?: string;
    /** `kubernetes-<cluster>` */
    readonly key: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly prometheusRuleLabels: Readonly<Record<string, string>>;
    readonly errorRateThreshold: number;
    /** DoNotSchedule in prod, ScheduleAnyway in dev. */
    readonly zoneSpread: "DoNotSchedule" | "ScheduleAnyway";
    readonly data?: ResolvedKubernetesData;
}

/** Kubernetes CPU millicores for cpu units (1024 = 1 vCPU). */
export function cpuMillis(cpuUnits: number): number {
    return Math.max(1, Math.round((cpuUnits * 1000) / 1024));
}

/** The one place defaults are applied (the common ones by resolveSiteDefaults). Call only on args that pass validateKubernetesSiteArgs. */
export function resolveKubernetesSiteDefaults(args: KubernetesSiteArgs): ResolvedKubernetesSiteArgs {
    const common = resolveSiteDefaults(args);
    const prod = args.environment === "prod";
    const key = `kubernetes-${args.cluster}`;
    return {
        ...common,
        cpuMillis: cpuMillis(common.cpu),
        cluster: args.cluster,
        namespace: args.namespace ?? args.service,
        loadBalancerIp: args.loadBalancerIp,
        ingressClass: args.ingressClass ?? "nginx",
        domain: args.domain,
        tlsSecretName: args.tlsSecretName,
        key,
        labels: k8sLabels({ "app.kubernetes.io/part-of": args.service, "nonstop.dev/environment": args.environment, "nonstop.dev/site": key, "app.kubernetes.io/managed-by": "nonstop" }, common.tags),
        prometheusRuleLabels: args.prometheusRuleLabels ?? {},
        errorRateThreshold: args.errorRateThreshold ?? 0.05,
        zoneSpread: prod ? "DoNotSchedule" : "ScheduleAnyway",
        data: args.data ? resolveData(args, args.data, prod) : undefined,
    };
}

function resolveData(args: KubernetesSiteArgs, data: SiteDataArgs, prod: boolean): ResolvedKubernetesData {
    const upstream = data.replicaOf?.cloud === "kubernetes" ? data.replicaOf : undefined;
    const defaultName = args.service.replace(/-/g, "_");
    return {
        ...resolveSiteDataDefaults(data, args.environment),
        backupStorageLocation: args.backupStorageLocation,
        storageClass: args.storageClass,
        image: args.databaseImage ?? CNPG_DEFAULT_IMAGE,
        port: 5432,
        backup: args.databaseBackup,
        externalHost: args.databaseExternalHost,
        allowedClients: data.allowedClients,
        operator: args.databaseOperator ? [args.databaseOperator] : [],
        readOnly: data.readOnly ?? false,
        writeRoute: data.writeRoute,
        databaseName: upstream?.databaseName ?? defaultName,
        username: upstream?.username ?? defaultName,
        cpuMillis: cpuMillis(args.databaseCpu ?? (prod ? 1024 : 256)),
        memoryMb: args.databaseMemoryMb ?? (prod ? 2048 : 512),
        upstream,
        requireZoneSpread: prod,
    };
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * Everything wrong with the args, each message naming the arg, the value received and the fix.
 * Pure, so tests and the offline preview call it directly. Empty when the args are valid.
 */
export function validateKubernetesSiteArgs(args: KubernetesSiteArgs): string[] {
    const p: string[] = [];
    if (!args.cluster || args.cluster.trim() !== args.cluster) p.push(`cluster: "${args.cluster}" must be the name of a kubeconfig context, without surrounding spaces`);
    // "-db-primary" is the longest suffix added to the service name in object names.
    if (!DNS_LABEL.test(args.service) || args.service.length > 52) p.push(`service: "${args.service}" must be a DNS label of at most 52 characters (lowercase letters, digits, '-'); it names Kubernetes objects`);
    if (args.namespace !== undefined && (!DNS_LABEL.test(args.namespace) || args.namespace.length > 63)) p.push(`namespace: "${args.namespace}" is not a valid namespace name; expected a DNS label such as "checkout"`);
    if (!Number.isInteger(args.port) || args.port < 1 || args.port > 65535) p.push(`port: ${args.port} is not a TCP port; expected 1-65535`);
    if (!args.healthCheckPath.startsWith("/")) p.push(`healthCheckPath: "${args.healthCheckPath}" must start with '/'`);
    if (!Number.isInteger(args.minCapacity) || args.minCapacity < 0) p.push(`minCapacity: ${args.minCapacity} must be a whole number >= 0 (0 makes the site a pilot light)`);
    if (!Number.isInteger(args.maxCapacity) || args.maxCapacity < 1) p.push(`maxCapacity: ${args.maxCapacity} must be a whole number >= 1 (the autoscaler's ceiling)`);
    if (args.minCapacity > args.maxCapacity) p.push(`minCapacity: ${args.minCapacity} is greater than maxCapacity ${args.maxCapacity}; lower minCapacity or raise maxCapacity`);
    if (args.cpu !== undefined && !(args.cpu > 0)) p.push(`cpu: ${args.cpu} must be a positive number of cpu units (1024 = 1 vCPU)`);
    if (args.memoryMb !== undefined && !(args.memoryMb >= 16)) p.push(`memoryMb: ${args.memoryMb} is too little memory for a pod; give at least 16 MiB`);
    if (args.loadBalancerIp !== undefined && !IPV4.test(args.loadBalancerIp)) p.push(`loadBalancerIp: "${args.loadBalancerIp}" is not an IPv4 address; give the static IP of the ingress controller's load balancer`);
    if (args.domain !== undefined && !/^([a-z0-9-]+\.)+[a-z]{2,}$/.test(args.domain)) p.push(`domain: "${args.domain}" is not a domain name; expected e.g. shop.example.com (no trailing dot, no scheme)`);
    if (args.tlsSecretName !== undefined && !args.domain) p.push(`tlsSecretName: "${args.tlsSecretName}" is set without domain; a certificate is for a host, set domain too`);
    if (args.ingressClass !== undefined && !DNS_LABEL.test(args.ingressClass)) p.push(`ingressClass: "${args.ingressClass}" is not an IngressClass name`);
    (args.alertEmails ?? []).forEach((e, i) => {
        if (!/^[^@\s]+@[^@\s]+$/.test(e)) p.push(`alertEmails[${i}]: "${e}" is not an email address`);
    });
    (args.alertWebhooks ?? []).forEach((w, i) => {
        // Webhook URLs carry tokens: never echoed.
        if (!isHttpsUrl(w)) p.push(`alertWebhooks[${i}]: must be an https:// URL (alerts carry incident details; value not shown: webhooks carry tokens)`);
    });
    if (args.errorRateThreshold !== undefined && !(args.errorRateThreshold > 0 && args.errorRateThreshold < 1)) p.push(`errorRateThreshold: ${args.errorRateThreshold} must be a share between 0 and 1, e.g. 0.05 for 5%`);
    p.push(...validateTracks(args.tracks, KUBERNETES_MAX_TRACKS, "ingress-nginx (a main Ingress and one canary Ingress per host and path)"));
    for (const [i, t] of (args.tracks ?? []).entries()) {
        const objectName = versionObjectName(args.service, t.name);
        if (typeof t.name === "string" && objectName.length > 63) {
            p.push(`tracks[${i}].name: "${t.name}" makes the Service name "${objectName}" ${objectName.length} characters; Kubernetes allows 63, shorten the track name or the service name`);
        }
    }
    if (args.databaseCpu !== undefined && !(args.databaseCpu > 0)) p.push(`databaseCpu: ${args.databaseCpu} must be a positive number of cpu units`);
    if (args.databaseMemoryMb !== undefined && !(args.databaseMemoryMb >= 256)) p.push(`databaseMemoryMb: ${args.databaseMemoryMb} is too little for a database; give at least 256 MiB`);
    if (args.databaseExternalHost !== undefined && !HOST_NAME_OR_IPV4.test(args.databaseExternalHost)) {
        p.push(`databaseExternalHost: "${args.databaseExternalHost}" is not a hostname or IPv4 address`);
    }
    if (args.databaseBackup !== undefined && !OBJECT_STORE_PATH.test(args.databaseBackup.destinationPath)) {
        p.push(`databaseBackup.destinationPath: "${args.databaseBackup.destinationPath}" is not an object store path; expected e.g. s3://bucket/prefix or gs://bucket/prefix`);
    }
    if ((args.databaseExternalHost !== undefined || args.databaseBackup !== undefined) && !args.data) p.push("databaseExternalHost/databaseBackup: set on a site that keeps no data; remove them or give the site data");
    if (args.data) {
        const d = args.data;
        if (!Number.isInteger(d.replicationFactor) || d.replicationFactor < 1 || d.replicationFactor > 15) p.push(`data.replicationFactor: ${d.replicationFactor} must be a whole number of database pods from 1 to 15`);
        const cron = cronProblem(d.backupSchedule);
        if (cron) p.push(`data.backupSchedule: ${cron}`);
        if (!Number.isInteger(d.backupRetentionDays) || d.backupRetentionDays < 1) p.push(`data.backupRetentionDays: ${d.backupRetentionDays} must be a whole number of days >= 1`);
        if (d.storageGb !== undefined && (!Number.isInteger(d.storageGb) || d.storageGb < 1)) p.push(`data.storageGb: ${d.storageGb} must be a whole number of GiB >= 1`);
        if (d.engine !== "postgres") {
            p.push(`data.engine: ${JSON.stringify(d.engine)} is not supported on Kubernetes: the database runs on the CloudNativePG operator, which is Postgres only (a hand-made MySQL StatefulSet would have no automatic failover); use "postgres", or run this service's data on AWS or GCP`);
        }
        if (d.replicaOf) {
            if (d.replicaOf.engine !== d.engine) p.push(`data.replicaOf: a ${d.replicaOf.engine} database cannot feed this site's ${d.engine} database; use the same engine on both sites`);
            if (d.replicaOf.cloud === "kubernetes" && d.replicaOf.location === args.cluster) p.push(`data.replicaOf: the source database runs in cluster ${args.cluster}, this site's own cluster; replicate from another cluster`);
            const source = d.replicaOf.cnpg;
            if (d.replicaOf.cloud === "kubernetes" && (!source || (!source.backup && !source.externalHost))) {
                p.push(
                    `data.replicaOf: the upstream CloudNativePG cluster in ${d.replicaOf.location} neither archives to object storage (databaseBackup) nor publishes its primary (databaseExternalHost), so a replica cluster here has nothing to follow; give the upstream site one of them`,
                );
            }
        }
    }
    return p;
}

/** Allowed but unwise settings, as warnings to log. Pure. */
export function kubernetesSiteWarnings(args: KubernetesSiteArgs): string[] {
    const w: string[] = [];
    const d = args.data;
    if (args.environment === "prod" && (args.alertEmails ?? []).length + (args.alertWebhooks ?? []).length === 0) {
        w.push("alertEmails/alertWebhooks: none given in prod; alerts fire in Prometheus but no Alertmanager receiver is configured for them");
    }
    const ingressClass = args.ingressClass ?? "nginx";
    if ((args.tracks ?? []).length > 1 && !ingressClass.includes("nginx")) {
        w.push(`ingressClass: "${ingressClass}" with release tracks: the split uses ingress-nginx canary annotations, so unless this class is served by ingress-nginx every request goes to the main track`);
    }
    if (d?.objectStorage === true) w.push("data.objectStorage: a Kubernetes site has no object storage of its own; no bucket is created here");
    if (d?.backupCopyRegion && !args.backupStorageLocation) {
        w.push(`data.backupCopyRegion: "${d.backupCopyRegion}" cannot be applied by Velero directly; set backupStorageLocation to a BackupStorageLocation in that region`);
    }
    if (d?.vaultLock) w.push("data.vaultLock: Velero has no vault lock; enable object lock on the bucket behind the BackupStorageLocation instead");
    if (d && args.environment === "prod" && !args.databaseBackup) {
        w.push("databaseBackup: not set in prod, so the database has no base backups or WAL archive in object storage (point-in-time recovery, replica clusters); only Velero's volume snapshots");
    }
    if (d?.replicaOf && d.replicaOf.cloud !== "kubernetes") {
        w.push(`data.replicaOf: the source is on ${d.replicaOf.cloud}; the database here cannot stream from it, so it runs as a primary that the replication component must feed`);
    }
    return w;
}

/**
 * A service in one Kubernetes cluster, with its database, backups and alerts. Implements release
 * `tracks` (one Deployment, Service, disruption budget and autoscaler per track, split by an
 * ingress-nginx canary Ingress; at most two tracks).
 */
export class KubernetesSite extends pulumi.ComponentResource implements Site {
    readonly endpoint: SiteEndpoint;
    readonly role?: SiteRole;
    readonly weight?: number;
    readonly minCapacity: number;
    readonly maxCapacity: number;
    readonly database?: SiteDatabase;
    /** Always undefined: a cluster has no object storage of its own. */
    readonly bucket?: SiteBucket;
    /** The Kubernetes provider every child uses (context = cluster). */
    readonly provider: k8s.Provider;
    readonly namespace: pulumi.Output<string>;
    /** Names of the release tracks this site serves; undefined without tracks. */
    readonly tracks?: readonly string[];

    constructor(name: string, args: KubernetesSiteArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:site:KubernetesSite", name, {}, opts);
        const problems = validateKubernetesSiteArgs(args);
        if (problems.length > 0) throw new pulumi.ResourceError(`KubernetesSite ${name}: invalid args:\n  ${problems.join("\n  ")}`, this);
        for (const warning of kubernetesSiteWarnings(args)) pulumi.log.warn(`KubernetesSite ${name}: ${warning}`, this);
        const a = resolveKubernetesSiteDefaults(args);

        this.provider = new k8s.Provider(`${name}-k8s`, { context: a.cluster }, { parent: this });
        const child = { parent: this, provider: this.provider };

        // Deleting a namespace deletes everything in it, volume claims included: protect it like the data.
        const namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: a.namespace, labels: { ...a.labels } } },
            statefulOptions(this, a.protectStateful, { provider: this.provider }),
        );
        const ns = namespace.metadata.name;

        const db = a.data ? createKubernetesDatabase(name, a, a.data, ns, this, child) : undefined;
        const workload = createWorkload(name, a, ns, db, child);

        if (a.data) {
            new VeleroSchedule(
                `${name}-backup`,
                {
                    schedule: a.data.backupSchedule,
                    retentionDays: a.data.backupRetentionDays,
                    includedNamespaces: [a.namespace],
                    storageLocation: a.data.backupStorageLocation,
                    // With CloudNativePG archiving to object storage, Velero keeps the namespace's
                    // objects; without it, the volumes too (crash-consistent, replayed from the WAL).
                    snapshotVolumes: a.data.backup === undefined,
                    labels: { ...a.labels },
                },
                { parent: this, providers: [this.provider], dependsOn: [namespace] },
            );
        }
        createKubernetesMonitoring(name, a, ns, db?.clusterName, child);

        const target: SiteTarget = a.loadBalancerIp
            ? { kind: "ip", address: pulumi.output(a.loadBalancerIp) }
            : { kind: "hostname", hostname: workload.ingressAddress };
        this.role = a.role;
        this.weight = a.weight;
        this.minCapacity = a.minCapacity;
        this.maxCapacity = a.maxCapacity;
        this.namespace = ns;
        this.tracks = a.tracks?.map((t) => t.name);
        this.endpoint = {
            key: a.key,
            cloud: "kubernetes",
            location: a.cluster,
            target,
            healthCheckHost: target.kind === "ip" ? target.address : workload.ingressAddress,
            healthCheckPath: a.healthCheckPath,
            healthCheckPort: a.tlsSecretName ? 443 : 80,
        };
        this.database = db?.siteDatabase;
        this.bucket = undefined;
        this.registerOutputs({ endpoint: this.endpoint, namespace: this.namespace, database: this.database, tracks: this.tracks });
    }
}
