// What a Kubernetes workload runs, as far as its pod template shows it: whether it is a data store
// (a database, queue or broker image, or a StatefulSet with volume claim templates), which engine,
// and where that engine keeps its data inside the container.
//
// Several rules share this (who owns a workload's replica count, whether its data survives a
// restart, whether an autoscaler may be demanded), so it is decided once, here.
import { isUnknown, read } from "./props";

/** A data store engine recognised from a container image. */
export interface Engine {
    /** For messages: `PostgreSQL`, `Redis`, ... */
    readonly label: string;
    /**
     * The directories where the engine keeps its data in this container (any of them, mounted
     * persistently, keeps the data), or undefined when they cannot be told (an unknown setting).
     */
    readonly dataDirs: (container: unknown, image: string) => readonly string[] | undefined;
    /**
     * Whether the container is configured to keep data at all (a Redis used as a cache does not);
     * undefined when it cannot be told. Absent: always.
     */
    readonly persists?: (container: unknown, image: string) => boolean | undefined;
}

/** An image reference without registry, tag or digest: `docker.io/bitnami/redis:7.2` -> `bitnami/redis`. */
export function imageRepository(image: string): string {
    const noDigest = image.split("@")[0];
    const lastSlash = noDigest.lastIndexOf("/");
    const colon = noDigest.indexOf(":", lastSlash + 1);
    const repo = (colon >= 0 ? noDigest.slice(0, colon) : noDigest).toLowerCase();
    const parts = repo.split("/");
    // A first part with a dot or a port is a registry host (docker.io, ghcr.io, localhost:5000).
    if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0])) parts.shift();
    if (parts[0] === "library") parts.shift();
    return parts.join("/");
}

/** The image's tag (`16-alpine`), if any. */
function imageTag(image: string): string | undefined {
    const noDigest = image.split("@")[0];
    const colon = noDigest.indexOf(":", noDigest.lastIndexOf("/") + 1);
    return colon >= 0 ? noDigest.slice(colon + 1) : undefined;
}

/** The container's command and args as known strings; undefined when any part is unknown. */
function argv(container: unknown): string[] | undefined {
    const out: string[] = [];
    for (const key of ["command", "args"]) {
        const v = read(container, key);
        if (v === undefined || v === null) continue;
        if (!Array.isArray(v)) return undefined;
        for (const a of v) {
            if (typeof a !== "string") return undefined;
            out.push(a);
        }
    }
    return out;
}

/** The value of env var `name` in the container: a string, undefined when not set, UNKNOWN-ish (null) when unknown. */
function envValue(container: unknown, name: string): string | undefined | null {
    const env = read(container, "env");
    if (env === undefined || env === null) return undefined;
    if (!Array.isArray(env)) return null;
    for (const e of env) {
        if (isUnknown(e)) return null;
        if (read(e, "name") !== name) continue;
        const value = read(e, "value");
        if (typeof value === "string") return value;
        return value === undefined && read(e, "valueFrom") === undefined ? "" : null;
    }
    // envFrom could set it from a ConfigMap or Secret the rule cannot read.
    const envFrom = read(container, "envFrom");
    return Array.isArray(envFrom) && envFrom.length > 0 ? null : undefined;
}

/** The value of a `--flag value` / `--flag=value` option in argv. */
function option(args: readonly string[], flag: string): string | undefined {
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === flag && i + 1 < args.length) return args[i + 1];
        if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
        // `sh -c "redis-server --appendonly yes"`: options inside one shell string.
        const inner = new RegExp(`(?:^|\\s)${flag.replace(/[-]/g, "\\-")}(?:=|\\s+)(\\S+)`).exec(a);
        if (inner && a.includes(" ")) return inner[1].replace(/^["']|["']$/g, "");
    }
    return undefined;
}

/** Fixed data directories, overridable by an env var and/or a command-line flag. */
function dirs(defaults: readonly string[], overrides: { env?: string; flag?: string } = {}): Engine["dataDirs"] {
    return (container) => {
        if (overrides.env) {
            const v = envValue(container, overrides.env);
            if (v === null) return undefined;
            if (v) return [v];
        }
        if (overrides.flag) {
            const args = argv(container);
            if (args === undefined) return undefined;
            const v = option(args, overrides.flag);
            if (v) return [v];
        }
        return defaults;
    };
}

/** PostgreSQL's official image keeps PGDATA in /var/lib/postgresql/data up to 17, in /var/lib/postgresql/<major>/docker from 18. */
const postgresDirs: Engine["dataDirs"] = (container, image) => {
    const pgdata = envValue(container, "PGDATA");
    if (pgdata === null) return undefined;
    if (pgdata) return [pgdata];
    const major = Number(/^(\d+)/.exec(imageTag(image) ?? "")?.[1]);
    if (Number.isFinite(major) && major >= 18) return [`/var/lib/postgresql/${major}/docker`];
    if (Number.isFinite(major)) return ["/var/lib/postgresql/data"];
    // latest / no tag: either layout, depending on when the image is pulled.
    return ["/var/lib/postgresql/data", "/var/lib/postgresql"];
};

/**
 * Redis keeps data only when persistence is configured: AOF (`--appendonly yes`) or RDB save
 * points given on the command line. Without them the container may be a cache; the pack does not
 * claim data is lost. Bitnami's image turns AOF on by default.
 */
const redisPersists: NonNullable<Engine["persists"]> = (container, image) => {
    const args = argv(container);
    if (args === undefined) return undefined;
    if (option(args, "--appendonly") === "yes") return true;
    const save = option(args, "--save");
    if (save !== undefined) return !["", '""', "''"].includes(save);
    if (imageRepository(image).startsWith("bitnami/")) {
        const env = envValue(container, "REDIS_AOF_ENABLED");
        return env === null ? undefined : env !== "no";
    }
    return false;
};

/** Engines by image repository (without registry and tag). */
const engines: readonly { readonly match: RegExp; readonly engine: Engine }[] = [
    { match: /^bitnami\/postgresql(-repmgr)?$/, engine: { label: "PostgreSQL", dataDirs: dirs(["/bitnami/postgresql"]) } },
    { match: /(^|\/)(postgres|postgresql|postgis\/postgis|timescale\/timescaledb[\w-]*|pgvector\/pgvector)$/, engine: { label: "PostgreSQL", dataDirs: postgresDirs } },
    { match: /^bitnami\/(mysql|mariadb)$/, engine: { label: "MySQL", dataDirs: (_c, image) => [`/bitnami/${imageRepository(image).split("/")[1]}`] } },
    { match: /(^|\/)(mysql|mariadb|mysql-server|percona|percona-server)$/, engine: { label: "MySQL", dataDirs: dirs(["/var/lib/mysql"], { flag: "--datadir" }) } },
    { match: /^bitnami\/mongodb$/, engine: { label: "MongoDB", dataDirs: dirs(["/bitnami/mongodb"]) } },
    { match: /(^|\/)(mongo|mongodb|mongodb-community-server)$/, engine: { label: "MongoDB", dataDirs: dirs(["/data/db"], { flag: "--dbpath" }) } },
    { match: /^bitnami\/(redis|valkey)$/, engine: { label: "Redis", dataDirs: (_c, image) => [`/bitnami/${imageRepository(image).split("/")[1]}/data`], persists: redisPersists } },
    { match: /(^|\/)(redis|redis-stack-server|valkey|valkey\/valkey|keydb)$/, engine: { label: "Redis", dataDirs: dirs(["/data"], { flag: "--dir" }), persists: redisPersists } },
    { match: /^bitnami\/rabbitmq$/, engine: { label: "RabbitMQ", dataDirs: dirs(["/bitnami/rabbitmq/mnesia"]) } },
    { match: /(^|\/)rabbitmq$/, engine: { label: "RabbitMQ", dataDirs: dirs(["/var/lib/rabbitmq"], { env: "RABBITMQ_MNESIA_BASE" }) } },
    { match: /^bitnami\/kafka$/, engine: { label: "Kafka", dataDirs: dirs(["/bitnami/kafka"]) } },
    { match: /^confluentinc\/cp-(kafka|server)$/, engine: { label: "Kafka", dataDirs: dirs(["/var/lib/kafka/data"], { env: "KAFKA_LOG_DIRS" }) } },
    { match: /^apache\/kafka(-native)?$/, engine: { label: "Kafka", dataDirs: dirs(["/tmp/kraft-combined-logs"], { env: "KAFKA_LOG_DIRS" }) } },
    { match: /^bitnami\/zookeeper$/, engine: { label: "ZooKeeper", dataDirs: dirs(["/bitnami/zookeeper"]) } },
    { match: /(^|\/)zookeeper$/, engine: { label: "ZooKeeper", dataDirs: dirs(["/data"], { env: "ZOO_DATA_DIR" }) } },
    { match: /(^|\/)elasticsearch(\/elasticsearch)?$/, engine: { label: "Elasticsearch", dataDirs: dirs(["/usr/share/elasticsearch/data"]) } },
    { match: /(^|\/)opensearch(project\/opensearch)?$/, engine: { label: "OpenSearch", dataDirs: dirs(["/usr/share/opensearch/data"]) } },
    { match: /(^|\/)(cassandra|scylladb\/scylla)$/, engine: { label: "Cassandra", dataDirs: dirs(["/var/lib/cassandra", "/var/lib/scylla"]) } },
    { match: /(^|\/)clickhouse(-server)?$/, engine: { label: "ClickHouse", dataDirs: dirs(["/var/lib/clickhouse"]) } },
];

/** Images recognised as data stores even when the pack does not know where they keep data. */
const otherDataStoreImage = /(^|[/:_-])(postgres|postgresql|mysql|mariadb|redis|valkey|mongo|mongodb|cassandra|scylla|kafka|zookeeper|etcd|elasticsearch|opensearch|clickhouse|cockroach|nats|rabbitmq|minio|neo4j|influxdb|couchdb)([/:_@.-]|$)/i;

/** The engine an image runs, when the pack knows where it keeps data. */
export function engineOf(image: string): Engine | undefined {
    const repo = imageRepository(image);
    return engines.find((e) => e.match.test(repo))?.engine;
}

/** True when an image runs a database, queue or broker. */
export function isDataStoreImage(image: string): boolean {
    return engineOf(image) !== undefined || otherDataStoreImage.test(image);
}

/**
 * Whether a workload (Deployment, StatefulSet, ... props) is a data store: it has volume claim
 * templates or one of its containers runs a data store image. Such a workload is a single writer
 * unless an operator replicates it: more pods or an autoscaler are not the fix for it. Undefined
 * when an unknown image (or container list) could make it one.
 */
export function dataStoreWorkload(props: unknown): boolean | undefined {
    const vcts = read(props, "spec.volumeClaimTemplates");
    if (Array.isArray(vcts) && vcts.length > 0) return true;
    const containers = read(props, "spec.template.spec.containers");
    if (isUnknown(containers) || isUnknown(vcts)) return undefined;
    if (!Array.isArray(containers)) return false;
    let unknown = false;
    for (const c of containers) {
        const image = read(c, "image");
        if (isUnknown(image)) unknown = true;
        else if (typeof image === "string" && isDataStoreImage(image)) return true;
    }
    return unknown ? undefined : false;
}

/** True when a workload is proven to be a data store (see dataStoreWorkload). */
export function isDataStoreWorkload(props: unknown): boolean {
    return dataStoreWorkload(props) === true;
}

/**
 * Whether a container of the workload runs an engine whose data directory the pack knows
 * (undefined when an unknown image could be one).
 */
export function runsKnownEngine(props: unknown): boolean | undefined {
    const containers = read(props, "spec.template.spec.containers");
    if (isUnknown(containers)) return undefined;
    if (!Array.isArray(containers)) return false;
    let unknown = false;
    for (const c of containers) {
        const image = read(c, "image");
        if (isUnknown(image)) unknown = true;
        else if (typeof image === "string" && engineOf(image) !== undefined) return true;
    }
    return unknown ? undefined : false;
}
