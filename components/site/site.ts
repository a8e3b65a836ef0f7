// The one small interface every kind of site (AWS region, GCP region, Kubernetes cluster) offers
// to the service and DNS components. Everything cloud-specific stays behind it.
import * as pulumi from "@pulumi/pulumi";
import type { CnpgSource } from "./kubernetes/database";
import { ResolvedTrack, resolveTracks } from "./tracks";

export type Cloud = "aws" | "gcp" | "kubernetes";
export type SiteRole = "primary" | "secondary";
export type Environment = "dev" | "prod";

/**
 * How DNS reaches the site. One object carries both the address a record points at and what
 * its health check probes, so a record can never point at one site while checking another.
 */
export type SiteTarget =
    /** An AWS load balancer: Route 53 alias record (no fixed IP). */
    | { readonly kind: "alias"; readonly dnsName: pulumi.Output<string>; readonly zoneId: pulumi.Output<string> }
    /** A hostname: CNAME-style record (Route 53 only). */
    | { readonly kind: "hostname"; readonly hostname: pulumi.Output<string> }
    /** A fixed IPv4 address: A record (Route 53 or Cloud DNS health-checked routing). */
    | { readonly kind: "ip"; readonly address: pulumi.Output<string> };

export interface SiteEndpoint {
    /** `<cloud>-<region|cluster>`, e.g. `aws-us-east-1`. */
    readonly key: string;
    readonly cloud: Cloud;
    /** Region, or cluster name for Kubernetes. */
    readonly location: string;
    readonly target: SiteTarget;
    /** Hostname or IP the health checker connects to (same site as `target`). */
    readonly healthCheckHost: pulumi.Output<string>;
    readonly healthCheckPath: string;
    /** HTTPS port the health checker uses. */
    readonly healthCheckPort: number;
    /**
     * Protocol the health checker speaks on `healthCheckPort` (an AWS site without a certificate
     * serves plain HTTP on 80). @default "HTTPS"
     */
    readonly healthCheckProtocol?: "HTTP" | "HTTPS";
    /**
     * A path that answers 200 as long as the site's load balancer is up, even with no task running
     * (a fixed response of the load balancer). DNS probes it instead of the service for a pilot-light
     * standby, so that the standby's record stays routable while it scales out. @default none
     */
    readonly loadBalancerProbePath?: string;
}

/** The database a site runs, as the replication components need it. */
export interface SiteDatabase {
    readonly engine: "postgres" | "mysql";
    readonly cloud: Cloud;
    readonly location: string;
    /** This site's own primary (writer, or the standby that would be promoted) inside its network. */
    readonly host: pulumi.Output<string>;
    /**
     * The endpoint that reaches the current writer of the replication group this database belongs
     * to, and follows a promotion by itself: an Aurora Global Database's global writer endpoint;
     * otherwise `host`. Only the writer site's (or an AWS global member's) value is a writer.
     */
    readonly writerHost: pulumi.Output<string>;
    /** This site's own read endpoint (Aurora reader endpoint, a read replica, CloudNativePG's -ro service). */
    readonly readerHost: pulumi.Output<string>;
    /**
     * The address replication tools on another cloud connect to (Cloud SQL's public IP, a
     * CloudNativePG cluster's external host). @default host
     */
    readonly externalHost?: pulumi.Output<string>;
    /** GCP only: the Cloud SQL instance's connection name (project:region:instance), for the Cloud SQL connectors. @default none */
    readonly connectionName?: pulumi.Output<string>;
    /** Kubernetes only: the CloudNativePG cluster a replica cluster in another cluster follows. @default none */
    readonly cnpg?: CnpgSource;
    readonly port: number;
    readonly databaseName: string;
    readonly username: string;
    /** Secret output. */
    readonly password: pulumi.Output<string>;
    /** Provider identifier used to attach cross-region replicas (RDS cluster ARN, Cloud SQL instance name, StatefulSet name). */
    readonly id: pulumi.Output<string>;
    /**
     * `id` is an Aurora Global Database identifier that a secondary AWS site joins (set by an AWS
     * site whose `data.global` is true). @default false
     */
    readonly global?: boolean;
    /** AWS Aurora only: the ARN of this site's own cluster (in a global database, `id` is the global id). @default none */
    readonly clusterArn?: pulumi.Output<string>;
    /**
     * AWS only: the network replication tools (DMS) run in to reach this database. DMS gets its
     * own security group in `vpcId`, and an ingress rule on `securityGroupId` for the database port.
     * @default none: cross-cloud change data capture from or to this database cannot be set up
     */
    readonly network?: SiteDatabaseNetwork;
}

export interface SiteDatabaseNetwork {
    readonly vpcId: pulumi.Output<string>;
    /** The VPC's address range (a /16): peered VPCs route to it and the database admits it. */
    readonly vpcCidr: string;
    /** Private subnets, one per availability zone the database spans. */
    readonly subnetIds: readonly pulumi.Output<string>[];
    /** Route tables of the private subnets (a peering adds its route to each). */
    readonly privateRouteTableIds: readonly pulumi.Output<string>[];
    /** The database's security group. */
    readonly securityGroupId: pulumi.Output<string>;
    /**
     * Public addresses the site's outbound connections leave from (its NAT gateways): what a
     * database on another cloud must admit for change data capture run from this site.
     */
    readonly egressIps: readonly pulumi.Output<string>[];
}

/** Object storage a site keeps beside its database. */
export interface SiteBucket {
    readonly cloud: Cloud;
    readonly location: string;
    readonly name: pulumi.Output<string>;
    /** e.g. arn:aws:s3:::bucket or gs://bucket */
    readonly uri: pulumi.Output<string>;
    /**
     * AWS only: the KMS key objects are encrypted with (SSE-KMS); replication decrypts with the
     * source's key and re-encrypts with the destination's. @default none: SSE-S3
     */
    readonly kmsKeyArn?: pulumi.Output<string>;
}

/** What every site component exposes. */
export interface Site {
    readonly endpoint: SiteEndpoint;
    readonly role?: SiteRole;
    readonly weight?: number;
    readonly minCapacity: number;
    readonly maxCapacity: number;
    readonly database?: SiteDatabase;
    readonly bucket?: SiteBucket;
    /** Names of the release tracks the site serves, set by sites that implement `SiteArgs.tracks`. @default none */
    readonly tracks?: readonly string[];
}

/**
 * One version of the service a site runs side by side with others, and its share of the site's
 * requests (blue-green: blue and green at 100/0; canary: stable and canary at 100-p/p).
 */
export interface TrafficTrack {
    /** "stable", "canary", "blue" or "green": names the track's compute (ECS service, Cloud Run revision tag, Deployment). */
    readonly name: string;
    readonly image: string;
    /** Share of the site's requests, 0-100; the tracks of a site add up to 100. */
    readonly percent: number;
}

/** Arguments common to every kind of site. Cloud-specific args extend this. */
export interface SiteArgs {
    /** Service name; used in resource names and tags. */
    readonly service: string;
    readonly image: string;
    /** Container port. */
    readonly port: number;
    readonly healthCheckPath: string;
    readonly role?: SiteRole;
    readonly weight?: number;
    /** Lowest number of running copies; 0 makes the site a pilot light (no compute until failover). */
    readonly minCapacity: number;
    readonly maxCapacity: number;
    readonly environment: Environment;
    /**
     * Adds `protect` and `retainOnDelete` to stateful children and turns on the provider's own
     * deletion protection. @default true when environment is prod
     */
    readonly protectStateful?: boolean;
    /** Data the site keeps; omitted for a stateless site. */
    readonly data?: SiteDataArgs;
    /** Email addresses and HTTPS webhooks that receive alerts. @default none */
    readonly alertEmails?: readonly string[];
    readonly alertWebhooks?: readonly string[];
    /** CPU units per copy (1024 = 1 vCPU). @default 512 */
    readonly cpu?: number;
    /** Memory per copy, MiB. @default 1024 */
    readonly memoryMb?: number;
    /** Extra tags/labels for every child. @default {} */
    readonly tags?: Readonly<Record<string, string>>;
    /**
     * The path DNS health checks probe. The site routes it to its stable track only (blue-green's
     * live colour, a canary's stable image), so an idle colour or a failing canary never fails the
     * whole site over. @default healthCheckPath
     */
    readonly dnsHealthCheckPath?: string;
    /**
     * Versions to run side by side, split by the site's load balancer (weighted target groups,
     * Cloud Run traffic split, weighted ingress). A site that implements it sets `Site.tracks`.
     * @default none: `image` takes all requests
     */
    readonly tracks?: readonly TrafficTrack[];
}

export interface SiteDataArgs {
    readonly engine: "postgres" | "mysql";
    /** Copies of the data kept in this site. */
    readonly replicationFactor: number;
    /** Five-field cron. */
    readonly backupSchedule: string;
    readonly backupRetentionDays: number;
    /** Region that receives backup copies. @default none */
    readonly backupCopyRegion?: string;
    /** @default true in prod */
    readonly vaultLock?: boolean;
    /** @default true */
    readonly objectStorage?: boolean;
    /** @default 20 in dev, 100 in prod */
    readonly storageGb?: number;
    /**
     * This site's database is a replica fed from another site (cross-region read replica or
     * change-data-capture target) rather than a new primary. @default false
     */
    readonly replicaOf?: SiteDatabase;
    /**
     * AWS only: make this primary an Aurora Global Database so that AWS sites in other regions can
     * join it as secondaries (`replicaOf` this site's database). Implies Aurora. @default false
     */
    readonly global?: boolean;
    /**
     * The database may be the source of change data capture to a site on another cloud: logical
     * replication on (RDS/Aurora PostgreSQL `rds.logical_replication = 1`, MySQL `binlog_format =
     * ROW`, both in a parameter group the site creates; Cloud SQL PostgreSQL the
     * `cloudsql.logical_decoding` flag). Without it a DMS task from this database fails when it
     * starts. @default false
     */
    readonly logicalReplication?: boolean;
    /**
     * The site's app cannot reach the writer database (its own database is a change-data-capture
     * copy or an unreachable replica): it gets no writer endpoint (DATABASE_WRITER_HOST empty,
     * DATABASE_READ_ONLY=true) and `writeRoute` for its writes. @default false
     */
    readonly readOnly?: boolean;
    /**
     * Where a read-only site sends write requests (POST, PUT, PATCH, DELETE): the writer's site.
     * A GCP site routes them there at its load balancer; every site passes it to the app as
     * WRITES_URL. @default none
     */
    readonly writeRoute?: WriteRoute;
    /**
     * Addresses (CIDR) allowed to connect to this site's database from outside its cloud: the egress
     * addresses of the change data capture that reads or writes it. @default none
     */
    readonly allowedClients?: pulumi.Input<string[]>;
}

/** The site a read-only site sends its writes to. */
export interface WriteRoute {
    /** Host name or IP the writer's site answers on. */
    readonly host: pulumi.Input<string>;
    /** Whether `host` is a DNS name (a load balancer's) or an IPv4 address. */
    readonly hostKind: "name" | "ip";
    readonly port: number;
    readonly protocol: "HTTP" | "HTTPS";
    /** The name the writer's site serves (its certificate's): the TLS server name and Host to send. @default host */
    readonly serverName?: string;
}

/** The environment every site gives its app to reach the database: a writer and a reader endpoint. */
export function databaseEnvironment(v: {
    readonly engine: string;
    readonly writerHost?: pulumi.Input<string>;
    readonly readerHost: pulumi.Input<string>;
    readonly port: number;
    readonly databaseName: string;
    readonly username: string;
    readonly writeRoute?: WriteRoute;
}): Record<string, pulumi.Input<string>> {
    const writer = v.writerHost ?? "";
    return {
        DATABASE_ENGINE: v.engine,
        DATABASE_WRITER_HOST: writer,
        DATABASE_READER_HOST: v.readerHost,
        // Older apps read one host: the writer's (never a replica or a copy).
        DATABASE_HOST: writer,
        DATABASE_PORT: String(v.port),
        DATABASE_NAME: v.databaseName,
        DATABASE_USER: v.username,
        ...(v.writerHost === undefined ? { DATABASE_READ_ONLY: "true" } : {}),
        ...(v.writeRoute ? { WRITES_URL: writeRouteUrl(v.writeRoute) } : {}),
        ...(v.writeRoute?.serverName ? { WRITES_SERVER_NAME: v.writeRoute.serverName } : {}),
    };
}

/**
 * The app's database environment from the site's own database: its writer endpoint (the one that
 * follows a promotion) and its reader endpoint, or no writer on a read-only site.
 */
export function siteDatabaseEnvironment(db: SiteDatabase, data: Pick<SiteDataArgs, "readOnly" | "writeRoute">): Record<string, pulumi.Input<string>> {
    return databaseEnvironment({
        engine: db.engine,
        writerHost: data.readOnly ? undefined : db.writerHost,
        readerHost: db.readerHost,
        port: db.port,
        databaseName: db.databaseName,
        username: db.username,
        writeRoute: data.readOnly ? data.writeRoute : undefined,
    });
}

/** `https://host` (or with a port other than the protocol's). */
export function writeRouteUrl(route: WriteRoute): pulumi.Output<string> {
    const standard = (route.protocol === "HTTPS" && route.port === 443) || (route.protocol === "HTTP" && route.port === 80);
    return pulumi.interpolate`${route.protocol.toLowerCase()}://${route.host}${standard ? "" : `:${route.port}`}`;
}

/**
 * SiteArgs with the defaults every kind of site shares applied (see the @default of each
 * SiteArgs field). Each site's resolved args extend it with their cloud's own.
 */
export interface ResolvedSiteArgs
    extends Pick<SiteArgs, "service" | "image" | "port" | "healthCheckPath" | "role" | "weight" | "minCapacity" | "maxCapacity" | "environment">,
        Required<Pick<SiteArgs, "protectStateful" | "alertEmails" | "alertWebhooks" | "cpu" | "memoryMb" | "tags" | "dnsHealthCheckPath">> {
    /** Release tracks with their capacity floors; undefined without tracks (`image` takes all requests). */
    readonly tracks?: readonly ResolvedTrack[];
}

/** The one place the SiteArgs defaults are applied. Pure, so validators use it too (for the defaulted cpu and memory). */
export function resolveSiteDefaults(args: SiteArgs): ResolvedSiteArgs {
    return {
        service: args.service,
        image: args.image,
        port: args.port,
        healthCheckPath: args.healthCheckPath,
        role: args.role,
        weight: args.weight,
        minCapacity: args.minCapacity,
        maxCapacity: args.maxCapacity,
        environment: args.environment,
        protectStateful: args.protectStateful ?? args.environment === "prod",
        alertEmails: args.alertEmails ?? [],
        alertWebhooks: args.alertWebhooks ?? [],
        cpu: args.cpu ?? 512,
        memoryMb: args.memoryMb ?? 1024,
        tags: args.tags ?? {},
        dnsHealthCheckPath: args.dnsHealthCheckPath ?? args.healthCheckPath,
        tracks: resolveTracks(args.tracks, args.minCapacity),
    };
}

/** SiteDataArgs with the defaults every kind of site shares applied. Each site's resolved data extends it. */
export interface ResolvedSiteData
    extends Pick<SiteDataArgs, "engine" | "replicationFactor" | "backupSchedule" | "backupRetentionDays">,
        Required<Pick<SiteDataArgs, "storageGb" | "logicalReplication">> {}

/** The one place the shared SiteDataArgs defaults are applied; each site adds its own in its resolve function. */
export function resolveSiteDataDefaults(data: SiteDataArgs, environment: Environment): ResolvedSiteData {
    return {
        engine: data.engine,
        replicationFactor: data.replicationFactor,
        backupSchedule: data.backupSchedule,
        backupRetentionDays: data.backupRetentionDays,
        storageGb: data.storageGb ?? (environment === "prod" ? 100 : 20),
        logicalReplication: data.logicalReplication ?? false,
    };
}

/** Resource options for a stateful child: protection from `protectStateful`, always parented. */
export function statefulOptions(parent: pulumi.Resource, protectStateful: boolean, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
    return { ...extra, parent, protect: protectStateful, retainOnDelete: protectStateful };
}
