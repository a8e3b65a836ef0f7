// What a service component is given: plain, documented types that belong to the component
// library, so that any Pulumi program (not only stacks/index.ts) can build a service. The stack
// program maps its validated config onto these (stacks/index.ts); nothing here imports from
// stacks/, and this module imports nothing at all, so the config schema can reuse `siteKey`.

export type CloudName = "aws" | "gcp" | "kubernetes";

/** One site of a service: where it runs and how much it serves. */
export interface SiteSpec {
    readonly cloud: CloudName;
    /** AWS or GCP region (not for kubernetes). @default none (required for aws and gcp) */
    readonly region?: string;
    /** kubeconfig context of the cluster (kubernetes only). @default none (required for kubernetes) */
    readonly cluster?: string;
    /** active-passive only. @default none (required in active-passive) */
    readonly role?: "primary" | "secondary";
    /** active-active only: relative share of traffic, 0-255. @default none (required in active-active) */
    readonly weight?: number;
    /** Lowest number of running copies (a pilot-light secondary runs none until failover, then this many). */
    readonly minCapacity: number;
    readonly maxCapacity: number;
    /** AWS only: availability zones the network and the tasks span. @default 3 in prod, 2 in dev */
    readonly azCount?: number;
    /** kubernetes only: the static IP of the cluster's ingress. @default none: the address the Ingress reports */
    readonly loadBalancerIp?: string;
    /** gcp only: the second region of a dual-region bucket. @default none: a regional bucket */
    readonly bucketDualRegion?: string;
}

export interface BackupSpec {
    /** Five-field cron. */
    readonly schedule: string;
    readonly retentionDays: number;
    /** Region the backups are copied to. @default none */
    readonly crossRegionCopy?: string;
    /** AWS Backup vault lock. @default true in prod */
    readonly vaultLock?: boolean;
}

export interface DataSpec {
    readonly engine: "postgres" | "mysql";
    /** Copies of the data kept in the writer's site. */
    readonly replicationFactor: number;
    readonly backup: BackupSpec;
    /** Object storage beside the database. @default true */
    readonly objectStorage?: boolean;
    /** Database storage in GiB. @default 20 in dev, 100 in prod */
    readonly storageGb?: number;
}

export type ReleaseSpec =
    | { readonly strategy: "rolling" }
    | { readonly strategy: "blue-green"; readonly live: "blue" | "green"; readonly blueImage?: string; readonly greenImage?: string }
    | { readonly strategy: "canary"; readonly canaryImage: string; readonly canaryPercent: number };

export interface ServiceSpec {
    /** DNS label: the service answers on `<name>.<zone>`. */
    readonly name: string;
    readonly image: string;
    readonly port: number;
    readonly healthCheckPath: string;
    readonly topology: "active-passive" | "active-active";
    /** active-passive only. @default "warm" */
    readonly standby?: "warm" | "pilot-light";
    /** In order: the first site of an active-active service holds the writer database; secondaries are tried in the order listed. */
    readonly sites: readonly SiteSpec[];
    readonly data: DataSpec;
    /** @default { strategy: "rolling" } */
    readonly release?: ReleaseSpec;
    /** CPU units per copy (1024 = 1 vCPU). @default 512 */
    readonly cpu?: number;
    /** Memory per copy, MiB. @default 1024 */
    readonly memoryMb?: number;
}

export interface DnsSpec {
    readonly provider: "route53" | "clouddns";
    /** Public zone, e.g. example.com. */
    readonly zone: string;
    readonly ttlSeconds: number;
    readonly healthCheck: {
        readonly intervalSeconds: number;
        readonly failureThreshold: number;
        /** @default each site's health path */
        readonly path?: string;
    };
}

export interface AlertSpec {
    /** @default none */
    readonly emails?: readonly string[];
    /** HTTPS webhooks. @default none */
    readonly webhooks?: readonly string[];
}

/**
 * After a data failover the automation holds the writer's home site out of DNS (inverts its health
 * check) so that traffic never returns by itself onto a database that missed writes. Setting this
 * keeps that pin in the program too (a later `pulumi up`, even with --refresh, does not undo it),
 * and `switchBack` lets the automation run the planned, no-data-loss switchover home.
 */
export interface FailbackSpec {
    /**
     * Run `SwitchoverGlobalCluster` back to the home region once the old writer has rejoined the
     * global database and caught up (planned: no data loss; retried every minute until it succeeds).
     * @default false: people run it (docs/services.md, failback runbook)
     */
    readonly switchBack?: boolean;
}

/** How a Kubernetes site's CloudNativePG cluster is reached and backed up. */
export interface KubernetesDatabaseSpec {
    /**
     * Hostname (or IP) that other clusters and clouds reach this site's Postgres primary on: the
     * address of the LoadBalancer Service the site creates for it (e.g. through external-dns). A
     * replica cluster in another cluster streams from it, and change data capture connects to it.
     * @default none: the database is reachable only inside its cluster
     */
    readonly externalHost?: string;
    /** Base backups and WAL archive in object storage (barman). @default none (required in prod) */
    readonly backup?: KubernetesDatabaseBackupSpec;
}

export interface KubernetesDatabaseBackupSpec {
    /** e.g. `s3://acme-backups/checkout` or `gs://acme-backups/checkout`. */
    readonly destinationPath: string;
    /** S3-compatible endpoint other than AWS S3. @default none */
    readonly endpointUrl?: string;
    /**
     * Secret in the site's namespace with the object store credentials: `ACCESS_KEY_ID` and
     * `ACCESS_SECRET_KEY` for s3://, `credentials.json` (a service account key) for gs://.
     * @default none: the pods' own identity (IRSA, GKE Workload Identity)
     */
    readonly credentialsSecret?: string;
}

/** The key that names a site everywhere (drills, resource names, reports): `<cloud>-<region|cluster>`. */
export function siteKey(site: Pick<SiteSpec, "cloud" | "region" | "cluster">): string {
    return `${site.cloud}-${site.region ?? site.cluster ?? "unknown"}`;
}
