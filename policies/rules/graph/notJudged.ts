import { GraphResource } from "../../lib/graph";
import { isUnknown, read } from "../../lib/props";
import { finding, Finding, graphRule } from "./lib";

/** Prefix of every message of this rule, so a reader (and a tool) can tell a gap from a finding. */
export const NOT_JUDGED = "NOT JUDGED";

/**
 * Data stores the pack knows but no rule judges for replication or backups. Listed so that a stack
 * made of them is not read as compliant.
 */
const unjudgedDataTypes: Readonly<Record<string, string>> = {
    "aws:opensearch/domain:Domain": "an OpenSearch domain",
    "aws:elasticsearch/domain:Domain": "an Elasticsearch domain",
    "aws:msk/cluster:Cluster": "an MSK (Kafka) cluster",
    "aws:msk/serverlessCluster:ServerlessCluster": "an MSK Serverless cluster",
    "aws:mq/broker:Broker": "an Amazon MQ broker",
    "aws:redshift/cluster:Cluster": "a Redshift cluster",
    "aws:redshiftserverless/namespace:Namespace": "a Redshift Serverless namespace",
    "aws:docdb/elasticCluster:ElasticCluster": "a DocumentDB elastic cluster",
    "aws:keyspaces/table:Table": "a Keyspaces table",
    "aws:timestreamwrite/table:Table": "a Timestream table",
    "aws:kinesis/stream:Stream": "a Kinesis stream",
    "aws:fsx/lustreFileSystem:LustreFileSystem": "an FSx for Lustre file system",
    "aws:fsx/windowsFileSystem:WindowsFileSystem": "an FSx for Windows file system",
    "aws:fsx/ontapFileSystem:OntapFileSystem": "an FSx for ONTAP file system",
    "aws:fsx/openZfsFileSystem:OpenZfsFileSystem": "an FSx for OpenZFS file system",
    "aws:lightsail/database:Database": "a Lightsail database",
    "aws:elasticache/serverlessCache:ServerlessCache": "an ElastiCache Serverless cache",
    "gcp:alloydb/cluster:Cluster": "an AlloyDB cluster",
    "gcp:spanner/instance:Instance": "a Spanner instance",
    "gcp:bigtable/instance:Instance": "a Bigtable instance",
    "gcp:filestore/instance:Instance": "a Filestore instance",
    "gcp:firestore/database:Database": "a Firestore database",
    "gcp:redis/cluster:Cluster": "a Memorystore for Redis cluster",
};

/** Operators' custom resources the pack judges (replication-factor, stateful-resource-protected, velero-schedule-coverage). */
const judgedCustomResources = new Set([
    "kubernetes:postgresql.cnpg.io/v1:Cluster",
    "kubernetes:acid.zalan.do/v1:postgresql",
    "kubernetes:postgres-operator.crunchydata.com/v1beta1:PostgresCluster",
    "kubernetes:pgv2.percona.com/v2:PerconaPGCluster",
    "kubernetes:pxc.percona.com/v1:PerconaXtraDBCluster",
    "kubernetes:psmdb.percona.com/v1:PerconaServerMongoDB",
    "kubernetes:mongodbcommunity.mongodb.com/v1:MongoDBCommunity",
    "kubernetes:rabbitmq.com/v1beta1:RabbitmqCluster",
    "kubernetes:kafka.strimzi.io/v1beta2:Kafka",
]);

/** API groups or kinds of custom resources that run data stores. */
const dataOperator = /postgres|mysql|maria|mongo|redis|valkey|kafka|strimzi|rabbitmq|cassandra|scylla|elastic|opensearch|clickhouse|cockroach|etcd|zookeeper|minio|vitess|tidb|percona|crunchydata|zalan|cnpg|couchbase|yugabyte|dragonfly|keydb|neo4j|influx|galera|pxc|psmdb/i;

/** Kinds of those groups that configure a store rather than run one (topics, users, backups, ...). */
const notAStore = /(Topic|User|Backup|Restore|Pooler|Connect|Connector|MirrorMaker2?|Bridge|Rebalance|Policy|Binding|Permission|Exchange|Queue|Vhost|Shovel|Federation|Schema|Role|Grant|Database|ImageCatalog|Publication|Subscription)$/;

/** Packages whose resources the pack's rules know; resources of other packages are judged by none. */
const knownPackages = new Set(["aws", "gcp", "kubernetes", "pulumi", "random", "tls", "command", "std"]);

/** Words in a type token of an unknown package that say it holds data. */
const dataWords = /database|dbinstance|dbcluster|(^|[/:])db|sql|postgres|mysql|maria|mongo|redis|cache|kafka|queue|broker|bucket|storage|volume|disk|filesystem|table|warehouse/i;

/** Multi-language components of the kubernetes provider: their objects are created by the provider. */
const kubernetesComponents = new Set(["kubernetes:helm.sh/v4:Chart", "kubernetes:yaml/v2:ConfigFile", "kubernetes:yaml/v2:ConfigGroup", "kubernetes:kustomize/v2:Directory"]);

/** True for a component type token (`awsx:ec2:Vpc`, `eks:index:Cluster`): a module without a resource path. */
function isComponentType(type: string): boolean {
    if (kubernetesComponents.has(type)) return true;
    const [pkg, module] = type.split(":");
    if (pkg === "pulumi" || module === undefined) return false;
    return !module.includes("/");
}

/** Whether a value holds anything (a component's inputs). */
function hasInputs(props: unknown): boolean {
    if (isUnknown(props)) return true;
    return props !== null && typeof props === "object" && Object.keys(props as object).length > 0;
}

/** Why the pack cannot judge a resource, or undefined when it can. */
export function unjudgedReason(r: GraphResource, parents: ReadonlySet<string>): string | undefined {
    const pkg = r.type.split(":")[0];
    if (isComponentType(r.type)) {
        if (parents.has(r.urn) || !hasInputs(r.props)) return undefined;
        return "a component whose resources are not in the program the pack sees (a multi-language component under a preview that does not run its provider, or one that created nothing): whatever it creates is not checked";
    }
    if (r.type === "kubernetes:helm.sh/v3:Release") {
        const chart = read(r.props, "chart");
        const shown = typeof chart === "string" && !isUnknown(chart) ? ` (chart "${chart}")` : "";
        const data = typeof chart === "string" && dataOperator.test(chart);
        return `a Helm release${shown}: the chart's objects are created by Helm, not as Pulumi resources, so no rule sees their replicas, volumes or backups${data ? "; the chart runs a data store" : ""}`;
    }
    if (unjudgedDataTypes[r.type]) return `${unjudgedDataTypes[r.type]}: it holds data, and no rule of this pack judges its replication, zones or backups`;
    if (pkg === "kubernetes") {
        if (judgedCustomResources.has(r.type)) return undefined;
        const [, groupVersion, kind] = r.type.split(":");
        const group = (groupVersion ?? "").split("/")[0];
        if (group.includes(".") && !group.endsWith(".k8s.io") && (dataOperator.test(group) || dataOperator.test(kind ?? "")) && !notAStore.test(kind ?? "")) {
            return `a ${kind} of ${group}, an operator's data store the pack does not know: its replicas, volumes and backups are not judged`;
        }
        return undefined;
    }
    if (!knownPackages.has(pkg) && dataWords.test(r.type)) {
        return `a resource of the ${pkg} provider that looks like it holds data: no rule of this pack knows the ${pkg} provider`;
    }
    return undefined;
}

/**
 * What the pack cannot see into is said, not passed. Every other rule judges what it recognises
 * and stays silent about the rest, so a program made of components the preview did not expand, Helm
 * releases, operators the pack does not know or another provider's databases would otherwise pass
 * clean. This rule lists each such resource as NOT JUDGED. It is advisory in every environment: it
 * reports a gap in the verdict, not a defect of the program; the offline preview prints these apart
 * from the findings.
 */
export const notJudged = graphRule({
    name: "not-judged",
    description: "Lists, as NOT JUDGED (advisory), every resource the pack cannot see into: components whose resources are absent, Helm releases, and data stores of types no rule judges.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        const parents = new Set(graph.resources.map((r) => r.parent).filter((p): p is string => p !== undefined));
        for (const r of graph.resources) {
            const reason = unjudgedReason(r, parents);
            if (!reason) continue;
            findings.push(
                finding(
                    r,
                    `${NOT_JUDGED}: ${reason}`,
                    "a clean verdict says nothing about it",
                    "Check it by other means (render the chart or component and preview what it creates, or review the service's own replication and backup settings), or replace it with resources the pack judges.",
                ),
            );
        }
        return findings;
    },
});
