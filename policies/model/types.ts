// The shapes of the resilience model: what it finds in a resource graph (services, sites, data
// stores, automation) and what it estimates (per failure domain: what still works, after how long,
// with how much data lost; over a year: availability of reads and writes, RTO, RPO), every number a
// range with its sources. Plain data, so the pack, the preview report and `--json` share one shape.
import type { Stat } from "./quantity";

export type { Stat } from "./quantity";

export type Cloud = "aws" | "gcp" | "kubernetes" | "unknown";
export type Topology = "active-passive" | "active-active" | "single-site";
export type Standby = "warm" | "pilot-light";
export type Metric = "rto" | "rpo" | "availability";

/** What a term measures. */
export type TermKind =
    | "detection"
    | "health-aggregation"
    | "dns-ttl"
    | "client-caching"
    | "capacity-start"
    | "scale-out"
    | "promotion-trigger"
    | "promotion"
    | "reconnect"
    | "manual"
    | "restore"
    | "replication-lag"
    | "backup-interval"
    | "backup-copy"
    | "no-loss"
    | "failure-mode"
    | "defect"
    | "sla"
    | "upper-bound";

/**
 * One input of an estimate: its value (a range), how it was computed and where the number comes
 * from. An unknown term names an input the model could not read at preview; the estimate it
 * belongs to is then unknown, never a guess.
 */
export interface Term {
    readonly metric: Metric;
    readonly kind: TermKind;
    /** What the term is, e.g. `detection (health check checkout-primary)`. */
    readonly name: string;
    /** Seconds (RTO, RPO terms) or downtime seconds a year (availability terms): low / likely / high. */
    readonly seconds?: { readonly low: number; readonly likely: number; readonly high: number };
    /** For SLA terms (a fraction, e.g. 0.9999). */
    readonly value?: number;
    /** How the number was obtained, with its inputs. */
    readonly formula: string;
    /** Where the number comes from (a URL, or the resource and property it was read from), prefixed by its basis when not documented. */
    readonly source: string;
    readonly unknown?: boolean;
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
    readonly kind: "aws-backup" | "cloud-sql" | "velero" | "cnpg";
    readonly name: string;
    readonly urn?: string;
    readonly schedule?: string;
    /** Longest time between two backups; undefined when the schedule is unknown or unsupported. */
    readonly intervalSeconds?: number;
    /** True when a copy survives the loss of the data's region; undefined when unknown at preview. */
    readonly offSite: boolean | undefined;
    readonly copyLocation?: string;
}

export type DataStoreKind = "aurora" | "rds-cluster" | "rds-instance" | "cloud-sql" | "statefulset" | "cnpg";
export type ReplicationKind = "aurora-global" | "aurora-cross-region" | "rds-read-replica" | "cloud-sql-replica" | "dms-cdc" | "gcp-dms-cdc" | "streaming" | "cnpg-replica";

export interface DataStoreInfo {
    readonly name: string;
    readonly urn: string;
    readonly kind: DataStoreKind;
    readonly engine?: string;
    readonly cloud: Cloud;
    /** Region, or cluster for Kubernetes. */
    readonly region: string;
    /** A writer takes writes; a replica is fed from `replicaOf` and must be promoted (or cut over) to take them. */
    readonly role: "writer" | "replica";
    readonly replicaOf?: string;
    readonly replication?: ReplicationKind;
    /** URN of the Aurora global cluster the store is a member of. */
    readonly globalCluster?: string;
    /** An Aurora secondary that forwards writes to the primary (enableGlobalWriteForwarding). */
    readonly writeForwarding?: boolean;
    /** Copies kept inside the store's own region across zones (synchronous). */
    readonly zones: "multi-az" | "single-az" | "unknown";
    /** Instances (Aurora cluster instances, CNPG instances) when known. */
    readonly instances?: number;
    /** Key of the SLA entry (slas.json) the store falls under, when one applies. */
    readonly sla?: string;
    readonly backups: readonly BackupInfo[];
}

export type ComputeKind = "ecs-fargate" | "ecs-ec2" | "ec2" | "cloud-run" | "kubernetes";

/** Where an app's database connection goes (contract C1): what its env-bearing property depends on. */
export type DataTargetKind = "global-endpoint" | "writer" | "write-forwarding" | "replica" | "cdc-target" | "dns-record";

export interface DataTarget {
    readonly kind: DataTargetKind;
    /** The resource the app's env is built from. */
    readonly name: string;
    readonly urn: string;
    /** The data store it stands for (the global cluster's members are found through `globalCluster`). */
    readonly store?: string;
}

export interface AppWiring {
    /** Targets found in the env-bearing properties of the site's compute; empty when none is visible. */
    readonly targets: readonly DataTarget[];
    /** Which properties were read, e.g. `ECS task definition checkout-task.containerDefinitions`. */
    readonly from: readonly string[];
    /** URNs of the resources holding those properties (task definitions, Cloud Run services, Deployments). */
    readonly holders: readonly string[];
    /** Whether the app can write in steady state; "unknown" when no data target is visible. */
    readonly canWrite: boolean | "unknown";
    /**
     * Read-only by design: the app has no writer endpoint (DATABASE_READ_ONLY=true, or no writer-capable
     * target while its writes are routed to another site) and sends its writes to `routes`.
     */
    readonly readOnly?: boolean;
    /** URNs of the entry points (other sites' load balancers) this site's writes are sent to, in the order tried. */
    readonly routes?: readonly string[];
    /** The routes are the answers of a failover DNS name: the first while its site is up, then the next. */
    readonly routedBy?: "dns-failover";
    /** Why it cannot (or why unknown). */
    readonly why?: string;
}

/** Automation found in the graph: a function, what starts it, what it is allowed to do. */
export interface AutomationInfo {
    readonly purpose: "promotion" | "scale-out" | "cutover" | "failback-pin";
    readonly function: { readonly name: string; readonly urn: string; readonly region: string };
    /** `schedule rate(1 minute)`, `alarm x -> SNS y`, ... */
    readonly trigger: string;
    /** What the trigger watches: the database itself, a DNS health check, or something else. */
    readonly probes: "database" | "health-check" | "other";
    /** `cloud/region` of every resource the trigger path needs (rule, alarm, topic, function, APIs). */
    readonly places: readonly string[];
    /** Why it is taken for what it does (permissions read, or the resources its policy names). */
    readonly evidence: string;
    /** What it recovers: the writer database (promotion, cut-over) or the site (scale-out). */
    readonly target?: { readonly name: string; readonly urn?: string; readonly cloud: Cloud; readonly region: string };
}

export interface SiteEstimate {
    /** `<cloud>-<region|cluster>`, e.g. `aws-us-east-1`. */
    readonly key: string;
    readonly cloud: Cloud;
    readonly region: string;
    /** Zones the site's resources are placed in, when known. */
    readonly zones: readonly string[];
    readonly role?: "primary" | "secondary";
    readonly weight?: number;
    /** Share of the service's requests the site takes in steady state (0 for a standby). */
    readonly share: number;
    /** Running copies at rest; 0 is a pilot light; null when unknown. */
    readonly capacity?: number | null;
    readonly computeKind?: ComputeKind;
    /** URNs of the site's compute (ECS services, Cloud Run services, Deployments). */
    readonly computeUrns: readonly string[];
    readonly healthCheck?: HealthCheckInfo;
    /** TTL resolvers cache this site's answer for; null when unknown or no DNS. */
    readonly ttlSeconds?: number | null;
    /** The DNS record that sends traffic here; undefined for a service found by its entry point. */
    readonly recordUrn?: string;
    /** The public entry point (load balancer, address, ingress, Cloud Run, CloudFront). */
    readonly entry?: { readonly name: string; readonly type: string; readonly urn: string };
    readonly dataStores: readonly DataStoreInfo[];
    readonly wiring: AppWiring;
    /** What scales a pilot light out (contract C3), if found. */
    readonly scaleOut?: AutomationInfo;
    /** Share of the site's requests the newest release track takes (1 without a split, 0 < x < 1 for a canary). */
    readonly releaseExposure: number;
    /** Image registries the site pulls from, when known. */
    readonly registries: readonly string[];
    /** Availability of the site's request path (series of its SLAs); null when a factor is unknown. Upper bound only. */
    readonly slaAvailability?: number | null;
}

/** A failure domain of the plan. */
export type DomainKind = "steady-state" | "zone" | "region" | "cloud" | "dns" | "writer" | "registry" | "release";

/** What happens to one kind of request (reads or writes) when a domain is lost. */
export interface PathOutcome {
    /**
     * unaffected: nothing fails; recovers: every failing request is served again after `afterSeconds`;
     * until-recovery: some fail until the domain itself comes back (or people rebuild); fails: they
     * fail even with nothing lost (a defect of the design).
     */
    readonly outcome: "unaffected" | "recovers" | "until-recovery" | "fails";
    /** Share of these requests that fail at the start. */
    readonly share: number;
    /** When every request is served again (P10/P50/P90); null when not before the domain recovers, or unknown. */
    readonly afterSeconds: Stat | null;
    /** A step people must take is on the way (the time includes a manual range). */
    readonly manual: boolean;
    readonly why: string;
}

export interface TimelineStep {
    /** Seconds after the loss (P10/P50/P90); null for "when the domain recovers" (or unknown at preview). */
    readonly at: Stat | null;
    readonly event: string;
}

/** One row of the what-if matrix: a failure domain and one service. */
export interface WhatIfRow {
    readonly domain: string;
    readonly kind: DomainKind;
    /** What the domain is, in words. */
    readonly label: string;
    readonly service: string;
    readonly reads: PathOutcome;
    readonly writes: PathOutcome;
    readonly dataLoss: { readonly typicalSeconds: Stat | null; readonly worstSeconds: Stat | null; readonly why: string };
    readonly timeline: readonly TimelineStep[];
    /** Sites DNS sends traffic back to when the domain recovers, onto a database that is no longer the writer (or never got the new writes). */
    readonly failback: readonly { readonly site: string; readonly recordUrn?: string; readonly why: string }[];
    readonly notes: readonly string[];
}

/** One failure mode's yearly contribution to unavailability. */
export interface FailureModeResult {
    /** The failure domain (or `steady-state` for a defect, `gray:<site>` for the assumption). */
    readonly domain: string;
    readonly description: string;
    /** Events a year (P10/P50/P90); undefined for a steady-state defect. */
    readonly ratePerYear?: Stat;
    /** Seconds a year of failed reads / writes, weighted by the share of requests failing. */
    readonly readDowntime: Stat;
    readonly writeDowntime: Stat;
    readonly formula: string;
    readonly source: string;
}

export interface Ranges {
    /** Seconds until reads / writes are all served again after the worst single loss of a site (or the writer). */
    readonly rto: { readonly reads: Stat | null; readonly writes: Stat | null; readonly domain?: string };
    /** Seconds of writes lost when the writer is lost and something takes over: typical lag and the tail. */
    readonly rpo: { readonly typical: Stat | null; readonly worst: Stat | null; readonly domain?: string };
    /** Data-loss events a year the design implies (promotions or cut-overs that discard unreplicated writes). */
    readonly dataLossEventsPerYear: Stat | null;
    /** 1 - downtime / year, for reads and for writes (P90 is the pessimistic end). */
    readonly availability: { readonly reads: Stat | null; readonly writes: Stat | null };
}

export interface ServiceEstimate {
    /** The DNS name the service answers on, or its public entry point. */
    readonly name: string;
    /** How it was found: its DNS records, or a public entry point with no failover DNS. */
    readonly discoveredBy: "dns" | "entry-point";
    readonly topology: Topology;
    readonly standby?: Standby;
    readonly sites: readonly SiteEstimate[];
    /** Data stores related to the service (replicas, sources) that live outside every site. */
    readonly externalDataStores: readonly DataStoreInfo[];
    readonly automation: readonly AutomationInfo[];
    readonly ranges: Ranges;
    /** P90 RTO (the worse of reads and writes): what the budget judges; null when unknown. */
    readonly rtoSeconds: number | null;
    /** P90 of the worst-case RPO; null when unknown. */
    readonly rpoSeconds: number | null;
    /** P90 (pessimistic) availability, the worse of reads and writes; null when unknown. */
    readonly availability: number | null;
    /** The old independent-SLA product: an upper bound, never the estimate. */
    readonly slaUpperBound: { readonly availability: number | null; readonly formula: string };
    readonly modes: readonly FailureModeResult[];
    readonly whatIf: readonly WhatIfRow[];
    readonly terms: readonly Term[];
    /** Inputs the model could not read at preview: each makes the number it belongs to unknown. */
    readonly unknowns: { readonly rto: readonly string[]; readonly rpo: readonly string[]; readonly availability: readonly string[] };
    /** Assumptions and facts that do not enter the numbers. */
    readonly notes: readonly string[];
    /** What to change, most useful first (defects the matrix exposes, then the largest failure modes). */
    readonly fixes: readonly string[];
    /** URNs of the DNS records of the service (or its entry point). */
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
    /** The judged value (P90, the pessimistic end). */
    readonly estimate: number;
    readonly limit: number;
    /** What decides it: the failure domain or mode, and the term that weighs most. */
    readonly dominant: string;
    /** What to change. */
    readonly fix: string;
}

export interface Judgement {
    readonly verdict: "pass" | "fail" | "unknown";
    readonly misses: readonly Miss[];
    /** For each configured target whose estimate is unknown: `rtoSeconds: <the unknown inputs>`. */
    readonly unknowns: readonly string[];
    readonly summary: string;
}
