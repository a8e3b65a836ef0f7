// Who says what. Several rules look at the same resource from different angles, and some angles
// overlap: "this database has no standby in another zone" follows from rds-multi-az's check and
// from replication-factor's count of copies. Each such fact has exactly one owner per kind of
// resource, named here; every other rule that could say it defers (stays silent on it, or counts
// as if the owner's fix were applied and says so). One table instead of special cases in rules,
// so a reader (and docs/policies.md) can see who reports what, and a test can hold it.
//
// An owner is a rule name. When the owner is turned off (`disabled` in the pack config), the fact
// is not reported by anyone: deference is by design, not by the owner's verdict.
import { dataStoreWorkload, runsKnownEngine } from "./workloads";

/** The resource a fact is about, as a resource rule (type, props) or a stack rule (graph resource) sees it. */
export interface Subject {
    readonly type: string;
    readonly props: unknown;
}

/** One row of a fact's owner table: which resources, and the rule that says the fact about them. */
export interface Ownership {
    /** For docs: the resources this row covers. */
    readonly resources: string;
    readonly rule: string | undefined;
    /** True / false, or undefined when an unknown value decides it (then no rule says the fact). */
    readonly applies: (r: Subject) => boolean | undefined;
}

export interface Fact {
    readonly id: string;
    /** For docs: what a finding of this fact says. */
    readonly says: string;
    /** First matching row wins; the last row applies to every resource. */
    readonly owners: readonly Ownership[];
}

const ofType =
    (...types: string[]) =>
    (r: Subject) =>
        types.includes(r.type);
const always = () => true;

const k8sWorkloads = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"];
const isK8sDataStore = (r: Subject) => (k8sWorkloads.includes(r.type) ? dataStoreWorkload(r.props) : false);
const isK8sKnownEngine = (r: Subject) => (k8sWorkloads.includes(r.type) ? runsKnownEngine(r.props) : false);

export const facts = {
    zoneStandby: {
        id: "zone-standby",
        says: "a data store has no standby in another zone, so it is down (or lost) with its zone",
        owners: [
            { resources: "aws:rds/instance:Instance", rule: "rds-multi-az", applies: ofType("aws:rds/instance:Instance") },
            { resources: "gcp:sql/databaseInstance:DatabaseInstance", rule: "cloudsql-high-availability", applies: ofType("gcp:sql/databaseInstance:DatabaseInstance") },
            { resources: "aws:elasticache/replicationGroup:ReplicationGroup", rule: "elasticache-failover", applies: ofType("aws:elasticache/replicationGroup:ReplicationGroup") },
            { resources: "gcp:redis/instance:Instance", rule: "memorystore-ha", applies: ofType("gcp:redis/instance:Instance") },
            { resources: "every other data store", rule: "replication-factor", applies: always },
        ],
    },
    dataCopies: {
        id: "data-copies",
        says: "a data store keeps fewer copies of its data than required (counting the standby its zone rule asks for)",
        owners: [
            { resources: "aws:elasticache/replicationGroup:ReplicationGroup (replicas per shard)", rule: "elasticache-failover", applies: ofType("aws:elasticache/replicationGroup:ReplicationGroup") },
            { resources: "every other data store, Kubernetes data stores and operators' clusters included", rule: "replication-factor", applies: always },
        ],
    },
    podCount: {
        id: "pod-count",
        says: "a workload runs fewer pods, tasks or instances than required",
        owners: [
            { resources: "a Deployment or StatefulSet that runs a data store (its pods are its copies)", rule: "replication-factor", applies: isK8sDataStore },
            { resources: "any other Deployment or StatefulSet not scaled by an autoscaler", rule: "k8s-deployment-replicas", applies: ofType(...k8sWorkloads) },
            { resources: "a HorizontalPodAutoscaler (and the workload it scales)", rule: "k8s-hpa-min-replicas", applies: ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "kubernetes:autoscaling/v1:HorizontalPodAutoscaler") },
            { resources: "an ECS service not scaled by an autoscaling target", rule: "ecs-service-min-capacity", applies: ofType("aws:ecs/service:Service") },
            { resources: "an autoscaling target or Auto Scaling group (and the service it scales)", rule: "autoscaling-min-capacity", applies: ofType("aws:appautoscaling/target:Target", "aws:autoscaling/group:Group") },
            { resources: "everything else", rule: undefined, applies: always },
        ],
    },
    subnetCount: {
        id: "subnet-count",
        says: "a resource lists fewer distinct subnets than the zones it must span",
        owners: [
            { resources: "load balancers", rule: "load-balancer-multi-az", applies: ofType("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", "aws:elb/loadBalancer:LoadBalancer") },
            { resources: "aws:ecs/service:Service", rule: "ecs-service-multi-az", applies: ofType("aws:ecs/service:Service") },
            { resources: "aws:autoscaling/group:Group", rule: "autoscaling-min-capacity", applies: ofType("aws:autoscaling/group:Group") },
            { resources: "every other placed resource (EKS node groups and clusters, subnet groups, VPC functions, MSK)", rule: "single-az-placement", applies: always },
        ],
    },
    dataPersistence: {
        id: "data-persistence",
        says: "a workload's data does not survive a restart or a reschedule (no persistent volume)",
        owners: [
            { resources: "a Deployment or StatefulSet running a data store whose data directory the pack knows", rule: "k8s-data-persistence", applies: isK8sKnownEngine },
            { resources: "any other StatefulSet", rule: "k8s-statefulset-volumes", applies: ofType("kubernetes:apps/v1:StatefulSet") },
            { resources: "everything else", rule: undefined, applies: always },
        ],
    },
    providerDeletionProtection: {
        id: "provider-deletion-protection",
        says: "the provider's own deletion protection is off",
        owners: [
            { resources: "RDS instances and clusters", rule: "rds-backup-retention", applies: ofType("aws:rds/instance:Instance", "aws:rds/cluster:Cluster") },
            { resources: "DynamoDB tables", rule: "dynamodb-pitr", applies: ofType("aws:dynamodb/table:Table") },
            { resources: "Cloud SQL instances", rule: "cloudsql-backups", applies: ofType("gcp:sql/databaseInstance:DatabaseInstance") },
            { resources: "every other stateful resource", rule: "stateful-resource-protected", applies: always },
        ],
    },
    pulumiProtect: {
        id: "pulumi-protect",
        says: "Pulumi may delete the resource: no protect option (for Cloud SQL, also deletionProtection: false)",
        owners: [{ resources: "every stateful resource", rule: "stateful-resource-protected", applies: always }],
    },
    autoscaler: {
        id: "autoscaler",
        says: "a served workload is not scaled with load",
        owners: [
            { resources: "a Deployment that runs a data store: a single writer, never told to autoscale", rule: undefined, applies: isK8sDataStore },
            { resources: "any other Deployment a Service sends traffic to", rule: "k8s-workload-hpa", applies: ofType("kubernetes:apps/v1:Deployment") },
            { resources: "everything else", rule: undefined, applies: always },
        ],
    },
} as const satisfies Record<string, Fact>;

/** The owner of a fact about a resource: a rule, nobody (undefined), or UNDECIDED when an unknown value decides it. */
export const UNDECIDED = "(undecided)";

/** The rule that says `fact` about `r`: undefined when no rule says it, UNDECIDED when an unknown value decides who does. */
export function ownerOf(fact: Fact, r: Subject): string | undefined {
    for (const o of fact.owners) {
        const applies = o.applies(r);
        if (applies === undefined) return UNDECIDED;
        if (applies) return o.rule;
    }
    return undefined;
}

/**
 * True when `rule` is the one that says `fact` about `r`; any other rule defers. When an unknown
 * value decides who owns it, nobody says it: a preview must not report what it cannot prove.
 */
export function says(rule: string, fact: Fact, r: Subject): boolean {
    return ownerOf(fact, r) === rule;
}

/** Every fact, for docs and tests. */
export const allFacts: readonly Fact[] = Object.values(facts);
