// Happy-path props for every GCP resource type the resource rules judge: each passes every rule
// with default thresholds. Typed by the provider's args so property names are checked.
import type * as gcp from "@pulumi/gcp";
import type { Unwrap } from "@pulumi/pulumi";

type P<T> = Unwrap<T>;

export const sqlInstance = (): P<gcp.sql.DatabaseInstanceArgs> => ({
    databaseVersion: "POSTGRES_15",
    region: "us-central1",
    deletionProtection: true,
    settings: {
        tier: "db-custom-2-7680",
        edition: "ENTERPRISE",
        availabilityType: "REGIONAL",
        deletionProtectionEnabled: true,
        backupConfiguration: {
            enabled: true,
            pointInTimeRecoveryEnabled: true,
            startTime: "03:00",
            backupRetentionSettings: { retainedBackups: 7, retentionUnit: "COUNT" },
        },
    },
});

export const mysqlInstance = (): P<gcp.sql.DatabaseInstanceArgs> => ({
    databaseVersion: "MYSQL_8_0",
    region: "us-central1",
    settings: {
        tier: "db-n1-standard-2",
        availabilityType: "REGIONAL",
        deletionProtectionEnabled: true,
        backupConfiguration: { enabled: true, binaryLogEnabled: true },
    },
});

export const cloudRunService = (): P<gcp.cloudrunv2.ServiceArgs> => ({
    location: "us-central1",
    ingress: "INGRESS_TRAFFIC_ALL",
    template: {
        containers: [{ image: "us-docker.pkg.dev/proj/checkout/api:1.2.3" }],
        scaling: { minInstanceCount: 2, maxInstanceCount: 20 },
    },
});

export const cloudRunV1Service = (): P<gcp.cloudrun.ServiceArgs> => ({
    location: "us-central1",
    template: {
        metadata: { annotations: { "autoscaling.knative.dev/minScale": "2", "autoscaling.knative.dev/maxScale": "20" } },
        spec: { containers: [{ image: "gcr.io/proj/checkout:1.2.3" }] },
    },
});

export const gkeCluster = (): P<gcp.container.ClusterArgs> => ({
    location: "us-central1",
    removeDefaultNodePool: true,
    initialNodeCount: 1,
    releaseChannel: { channel: "REGULAR" },
});

export const gkeNodePool = (): P<gcp.container.NodePoolArgs> => ({
    cluster: "projects/proj/locations/us-central1/clusters/main",
    location: "us-central1",
    nodeLocations: ["us-central1-a", "us-central1-b", "us-central1-c"],
    autoscaling: { minNodeCount: 1, maxNodeCount: 5 },
    nodeConfig: { machineType: "e2-standard-4" },
});

export const storageBucket = (): P<gcp.storage.BucketArgs> => ({
    location: "US",
    uniformBucketLevelAccess: true,
    versioning: { enabled: true },
    softDeletePolicy: { retentionDurationSeconds: 604800 },
});

export const redisInstance = (): P<gcp.redis.InstanceArgs> => ({
    memorySizeGb: 5,
    tier: "STANDARD_HA",
    region: "us-central1",
    locationId: "us-central1-a",
    alternativeLocationId: "us-central1-b",
});

export const regionInstanceGroupManager = (): P<gcp.compute.RegionInstanceGroupManagerArgs> => ({
    baseInstanceName: "web",
    region: "us-central1",
    versions: [{ instanceTemplate: "projects/proj/global/instanceTemplates/web-3" }],
    targetSize: 3,
    distributionPolicyZones: ["us-central1-a", "us-central1-b", "us-central1-c"],
});

/** A zonal group kept at zero instances: a pilot light, the only zonal group the rules accept. */
export const zonalInstanceGroupManager = (): P<gcp.compute.InstanceGroupManagerArgs> => ({
    baseInstanceName: "web",
    zone: "us-central1-a",
    versions: [{ instanceTemplate: "projects/proj/global/instanceTemplates/web-3" }],
    targetSize: 0,
});

/** Every GCP type the rules judge, with a compliant factory. */
export const gcpFactories: readonly { readonly type: string; readonly name: string; readonly props: () => object }[] = [
    { type: "gcp:sql/databaseInstance:DatabaseInstance", name: "orders-db", props: sqlInstance },
    { type: "gcp:sql/databaseInstance:DatabaseInstance", name: "ledger-db", props: mysqlInstance },
    { type: "gcp:cloudrunv2/service:Service", name: "checkout-api", props: cloudRunService },
    { type: "gcp:cloudrun/service:Service", name: "checkout-legacy", props: cloudRunV1Service },
    { type: "gcp:container/cluster:Cluster", name: "main", props: gkeCluster },
    { type: "gcp:container/nodePool:NodePool", name: "main-pool", props: gkeNodePool },
    { type: "gcp:storage/bucket:Bucket", name: "assets", props: storageBucket },
    { type: "gcp:redis/instance:Instance", name: "sessions", props: redisInstance },
    { type: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", name: "web", props: regionInstanceGroupManager },
    { type: "gcp:compute/instanceGroupManager:InstanceGroupManager", name: "web-standby", props: zonalInstanceGroupManager },
];
