// The shapes of the resilience model: what it finds in a resource graph (services, sites, data
// stores, backups) and what it estimates (RTO, RPO, availability, each with the terms it is made of).
// Everything here is plain data so the pack, the preview report and `--json` share one shape.

export type Cloud = "aws" | "gcp" | "kubernetes" | "unknown";
export type Topology = "active-passive" | "active-active" | "single-site";
export type Standby = "warm" | "pilot-light";
export type Metric = "rto" | "rpo" | "availability";

/** What a term measures; the judge uses it to say what to change. */
export type TermKind =
    | "detection"
    | "health-aggregation"
    | "dns-ttl"
    | "capacity-start"
    | "promotion-trigger"
    | "promotion"
    | "restore"
    | "replication-lag"
    | "backup-interval"
    | "backup-copy"
    | "no-loss"
    | "sla"
    | "site"
    | "composition";

/**
 * The two things that must finish before a lost site's work is served again: DNS moving clients
 * to a surviving site (traffic) and a replica of the lost writer taking writes (data). They run in
 * parallel when something found in the graph starts the promotion on its own.
 */
export type RecoveryPath = "traffic" | "data";

/**
 * One input of an estimate: its value, how it was computed and where the number comes from. An
 * unknown term names an input the model could not read or does not know; the estimate it belongs
 * to is then null, never a guess.
 */
export interface Term {
    readonly metric: Metric;
    readonly kind: TermKind;
    /** What the term is, e.g. `detection (health check checkout-primary)`. */
    readonly name: string;
    /** For RTO and RPO terms. */
    readonly seconds?: number;
    /** For availability terms (a fraction, e.g. 0.9999). */
    readonly value?: number;
    /** How the number was obtained, with its inputs, e.g. `requestInterval 30 s x failureThreshold 3`. */
    readonly formula: string;
    /** Where the number or the constant comes from (a URL, or the resource and property it was read from). */
    readonly source: string;
    readonly unknown?: boolean;
    /** The best this term can become by a configuration change alone, and that change. */
    readonly floor?: { readonly seconds?: number; readonly value?: number; readonly change: string };
    /**
     * RTO only, and only when traffic and data fail over in parallel: the paths the term lies on
     * (the health check's detection starts both). Absent: the RTO is one sequence of steps.
     */
    readonly paths?: readonly RecoveryPath[];
}

export interface HealthCheckInfo {
    readonly kind: "route53" | "cloud-dns" | "elb-target-health";
    /** Resource name of the health check (or the target group for ELB target health). */
    readonly name: string;
    readonly urn?: string;
    readonly intervalSeconds?: number;
    readonly failureThreshold?: number;
}

export interface BackupInfo {
    readonly kind: "aws-backup" | "cloud-sql" | "velero";
    /** Plan rule, instance or schedule name. */
    readonly name: string;
    readonly urn?: string;
    readonly schedule?: string;
    /** Longest time between two backups; undefined when the schedule is unknown or unsupported. */
    readonly intervalSeconds?: number;
    /**
     * True when a copy survives the loss of the data's region (cross-region copy, multi-region
     * storage); undefined when the copy's destination is not known at preview.
     */
    readonly offSite: boolean | undefined;
    /** Where the surviving copy is kept (region, or "multi-region"). */
    readonly copyLocation?: string;
}

export type DataStoreKind = "aurora" | "rds-cluster" | "rds-instance" | "cloud-sql" | "statefulset";
export type ReplicationKind = "aurora-global" | "aurora-cross-region" | "rds-read-replica" | "cloud-sql-replica" | "dms-cdc" | "gcp-dms-cdc" | "streaming";

export interface DataStoreInfo {
    readonly name: string;
    readonly urn: string;
    readonly kind: DataStoreKind;
    readonly engine?: string;
    readonly cloud: Cloud;
    /** Region, or cluster for Kubernetes. */
    readonly region: string;
    /** A writer takes writes; a replica is fed from `replicaOf` and must be promoted to take them. */
    readonly role: "writer" | "replica";
    /** URN of the data store this replica is fed from. */
    readonly replicaOf?: string;
    readonly replication?: ReplicationKind;
    /** Copies kept inside the store's own region across zones (synchronous). */
    readonly zones: "multi-az" | "single-az" | "unknown";
    /** Key of the SLA entry (slas.json) the store falls under, when one applies. */
    readonly sla?: string;
    readonly backups: readonly BackupInfo[];
}

export interface SiteEstimate {
    /** `<cloud>-<region|cluster>`, e.g. `aws-us-east-1`. */
    readonly key: string;
    readonly cloud: Cloud;
    readonly region: string;
    readonly role?: "primary" | "secondary";
    readonly weight?: number;
    /** Running copies (tasks, instances, replicas) at rest; 0 is a pilot light; null when unknown. */
    readonly capacity?: number | null;
    readonly computeKind?: ComputeKind;
    readonly healthCheck?: HealthCheckInfo;
    /** TTL resolvers cache this site's answer for; null when unknown. */
    readonly ttlSeconds?: number | null;
    /** The DNS record (set) that sends traffic to this site. */
    readonly recordUrn: string;
    /** The resource the record points at (load balancer, address, ingress). */
    readonly entry?: { readonly name: string; readonly type: string; readonly urn: string };
    readonly dataStores: readonly DataStoreInfo[];
    /** Availability of the site's request path (series of its SLAs); null when a factor is unknown. */
    readonly availability?: number | null;
}

export type ComputeKind = "ecs-fargate" | "ecs-ec2" | "cloud-run" | "kubernetes";

export interface ServiceEstimate {
    /** The DNS name the service answers on. */
    readonly name: string;
    readonly topology: Topology;
    readonly standby?: Standby;
    readonly sites: readonly SiteEstimate[];
    /** Data stores related to the service (replicas, sources) that live outside every site. */
    readonly externalDataStores: readonly DataStoreInfo[];
    /** Seconds to serve again after losing the primary site (active-passive) or any one site; null when unknown. */
    readonly rtoSeconds: number | null;
    /** Seconds of writes lost with that site; null when unknown. */
    readonly rpoSeconds: number | null;
    /** Composed availability (fraction); null when unknown. */
    readonly availability: number | null;
    readonly terms: readonly Term[];
    /** Assumptions and facts that do not enter the numbers (zone loss, what was not modelled). */
    readonly notes: readonly string[];
    /** URNs of the DNS records of the service. */
    readonly recordUrns: readonly string[];
}

/** Targets a stack sets; a target left out is not judged. */
export interface Targets {
    readonly rtoSeconds?: number;
    readonly rpoSeconds?: number;
    readonly availability?: number;
}

export interface Miss {
    readonly target: keyof Targets;
    readonly estimate: number;
    readonly limit: number;
    /** The term that contributes most (RTO, RPO) or the weakest link (availability). */
    readonly dominantTerm: Term;
    /** What to change, concretely, and what the estimate becomes. */
    readonly fix: string;
}

export interface Judgement {
    readonly verdict: "pass" | "fail" | "unknown";
    readonly misses: readonly Miss[];
    /** For each configured target whose estimate is null: `rtoSeconds: <the unknown inputs>`. */
    readonly unknowns: readonly string[];
    /** One line: `pass`, `fail: RTO 250 s > 60 s`, `unknown: RTO (health check of ...)`. */
    readonly summary: string;
}
