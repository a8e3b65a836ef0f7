// How bad a finding of each rule is when it is true, so a report can put the worst first: data that
// can be lost, then an outage (a single point of failure), then a degraded service (slower
// recovery, noisier failures). Enforcement levels come first; this orders findings of one level.
import { NOT_JUDGED } from "./graph/notJudged";

export type Severity = "data-loss" | "outage" | "degraded" | "not-judged";

/** Severity of each rule of the pack, by name; rules not listed (other packs') sort after these. */
export const ruleSeverity: Readonly<Record<string, Severity>> = {
    // data that can be lost
    "rds-backup-retention": "data-loss",
    "dynamodb-pitr": "data-loss",
    "s3-bucket-versioning": "data-loss",
    "backup-vault-lock": "data-loss",
    "cloudsql-backups": "data-loss",
    "gcs-bucket-versioning": "data-loss",
    "k8s-data-persistence": "data-loss",
    "k8s-statefulset-volumes": "data-loss",
    "replication-factor": "data-loss",
    "backup-plan-coverage": "data-loss",
    "backup-cross-region-copy": "data-loss",
    "velero-schedule-coverage": "data-loss",
    "backup-vault-lock-required": "data-loss",
    "bucket-versioning-coverage": "data-loss",
    "bucket-replication-coverage": "data-loss",
    "stateful-resource-protected": "data-loss",
    "single-machine": "data-loss",
    // a single point of failure: an outage when one thing fails
    "rds-multi-az": "outage",
    "aurora-multi-az": "outage",
    "elasticache-failover": "outage",
    "cloudsql-high-availability": "outage",
    "memorystore-ha": "outage",
    "ecs-service-min-capacity": "outage",
    "ecs-service-multi-az": "outage",
    "autoscaling-min-capacity": "outage",
    "load-balancer-multi-az": "outage",
    "cloud-run-min-instances": "outage",
    "gke-regional-cluster": "outage",
    "compute-instance-group-multi-zone": "outage",
    "k8s-deployment-replicas": "outage",
    "k8s-hpa-min-replicas": "outage",
    "k8s-zone-spread": "outage",
    "single-az-placement": "outage",
    "single-nat-gateway": "outage",
    "spot-only-capacity": "outage",
    "dns-single-region": "outage",
    "dns-single-cloud": "outage",
    "failover-record-pair": "outage",
    "weighted-record-redundancy": "outage",
    "route53-health-check": "outage",
    "route53-failover-record-health-check": "outage",
    "resilience-budget": "outage",
    // slower or noisier recovery
    "lb-target-group-health-check": "degraded",
    "k8s-readiness-probe": "degraded",
    "k8s-resources": "degraded",
    "k8s-pdb-allows-disruption": "degraded",
    "k8s-workload-pdb": "degraded",
    "k8s-workload-hpa": "degraded",
    "alarm-coverage": "degraded",
    // a gap in the verdict, not a finding
    "not-judged": "not-judged",
};

/** The policy whose findings are gaps in the verdict (NOT JUDGED), not defects. */
export const notJudgedPolicy = "not-judged";
export { NOT_JUDGED };
