// Happy-path props for every AWS resource type the resource rules judge: each passes every rule
// with default thresholds. Typed by the provider's args so property names are checked.
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";

type P<T> = Unwrap<T>;

export const ecsService = (): P<aws.ecs.ServiceArgs> => ({
    cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/checkout",
    taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/checkout:3",
    desiredCount: 2,
    launchType: "FARGATE",
    deploymentCircuitBreaker: { enable: true, rollback: true },
    networkConfiguration: { subnets: ["subnet-a", "subnet-b", "subnet-c"], securityGroups: ["sg-1"] },
});

export const appautoscalingTarget = (): P<aws.appautoscaling.TargetArgs> => ({
    serviceNamespace: "ecs",
    scalableDimension: "ecs:service:DesiredCount",
    resourceId: "service/checkout/checkout-api",
    minCapacity: 2,
    maxCapacity: 10,
});

export const autoscalingGroup = (): P<aws.autoscaling.GroupArgs> => ({
    minSize: 2,
    maxSize: 6,
    vpcZoneIdentifiers: ["subnet-a", "subnet-b", "subnet-c"],
    launchTemplate: { id: "lt-123", version: "$Latest" },
});

export const loadBalancer = (): P<aws.lb.LoadBalancerArgs> => ({
    loadBalancerType: "application",
    internal: false,
    subnets: ["subnet-pub-a", "subnet-pub-b", "subnet-pub-c"],
    securityGroups: ["sg-lb"],
});

export const classicLoadBalancer = (): P<aws.elb.LoadBalancerArgs> => ({
    listeners: [{ instancePort: 8080, instanceProtocol: "http", lbPort: 80, lbProtocol: "http" }],
    availabilityZones: ["us-east-1a", "us-east-1b"],
});

export const targetGroup = (): P<aws.lb.TargetGroupArgs> => ({
    port: 8080,
    protocol: "HTTP",
    targetType: "ip",
    vpcId: "vpc-1",
    healthCheck: { enabled: true, path: "/healthz", healthyThreshold: 2, unhealthyThreshold: 2, interval: 10 },
});

export const rdsInstance = (): P<aws.rds.InstanceArgs> => ({
    instanceClass: "db.r6g.large",
    engine: "postgres",
    engineVersion: "16.3",
    allocatedStorage: 100,
    multiAz: true,
    backupRetentionPeriod: 7,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "orders-db-final",
    storageEncrypted: true,
});

export const rdsCluster = (): P<aws.rds.ClusterArgs> => ({
    engine: "aurora-postgresql",
    engineMode: "provisioned",
    backupRetentionPeriod: 7,
    deletionProtection: true,
    finalSnapshotIdentifier: "orders-final",
    storageEncrypted: true,
    serverlessv2ScalingConfiguration: { minCapacity: 0.5, maxCapacity: 8 },
});

export const dynamodbTable = (): P<aws.dynamodb.TableArgs> => ({
    billingMode: "PAY_PER_REQUEST",
    hashKey: "id",
    attributes: [{ name: "id", type: "S" }],
    pointInTimeRecovery: { enabled: true },
    deletionProtectionEnabled: true,
    streamEnabled: true,
    streamViewType: "NEW_AND_OLD_IMAGES",
    replicas: [{ regionName: "us-west-2", pointInTimeRecovery: true }],
});

export const elasticacheReplicationGroup = (): P<aws.elasticache.ReplicationGroupArgs> => ({
    description: "sessions",
    engine: "valkey",
    nodeType: "cache.r7g.large",
    numCacheClusters: 2,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
});

export const bucketVersioning = (): P<aws.s3.BucketVersioningArgs> => ({
    bucket: "assets-bucket-id",
    versioningConfiguration: { status: "Enabled" },
});

export const bucket = (): P<aws.s3.BucketArgs> => ({ bucket: "assets", versioning: { enabled: true } });

export const bucketV2 = (): P<aws.s3.BucketV2Args> => ({ bucket: "assets", versionings: [{ enabled: true }] });

export const vaultLock = (): P<aws.backup.VaultLockConfigurationArgs> => ({
    backupVaultName: "nonstop-vault",
    minRetentionDays: 7,
    maxRetentionDays: 35,
    changeableForDays: 3,
});

export const healthCheck = (): P<aws.route53.HealthCheckArgs> => ({
    type: "HTTPS",
    fqdn: "checkout.us-east-1.example.com",
    port: 443,
    resourcePath: "/healthz",
    requestInterval: 10,
    failureThreshold: 3,
    regions: ["us-east-1", "us-west-2", "eu-west-1"],
});

export const failoverRecord = (): P<aws.route53.RecordArgs> => ({
    zoneId: "Z123",
    name: "checkout.example.com",
    type: "A",
    ttl: 60,
    records: ["203.0.113.10"],
    setIdentifier: "primary",
    failoverRoutingPolicies: [{ type: "PRIMARY" }],
    healthCheckId: "hc-primary-id",
});

export const aliasFailoverRecord = (): P<aws.route53.RecordArgs> => ({
    zoneId: "Z123",
    name: "checkout.example.com",
    type: "A",
    setIdentifier: "secondary",
    failoverRoutingPolicies: [{ type: "SECONDARY" }],
    aliases: [{ name: "checkout-lb.us-west-2.elb.amazonaws.com", zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true }],
});

/** Every AWS type the rules judge, with a compliant factory. */
export const awsFactories: readonly { readonly type: string; readonly name: string; readonly props: () => object }[] = [
    { type: "aws:ecs/service:Service", name: "checkout-api", props: ecsService },
    { type: "aws:appautoscaling/target:Target", name: "checkout-api-scaling", props: appautoscalingTarget },
    { type: "aws:autoscaling/group:Group", name: "workers", props: autoscalingGroup },
    { type: "aws:lb/loadBalancer:LoadBalancer", name: "checkout-lb", props: loadBalancer },
    { type: "aws:alb/loadBalancer:LoadBalancer", name: "checkout-alb", props: loadBalancer },
    { type: "aws:elb/loadBalancer:LoadBalancer", name: "legacy-elb", props: classicLoadBalancer },
    { type: "aws:lb/targetGroup:TargetGroup", name: "checkout-tg", props: targetGroup },
    { type: "aws:alb/targetGroup:TargetGroup", name: "checkout-alb-tg", props: targetGroup },
    { type: "aws:rds/instance:Instance", name: "orders-db", props: rdsInstance },
    { type: "aws:rds/cluster:Cluster", name: "orders", props: rdsCluster },
    { type: "aws:dynamodb/table:Table", name: "carts", props: dynamodbTable },
    { type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "sessions", props: elasticacheReplicationGroup },
    { type: "aws:s3/bucketVersioning:BucketVersioning", name: "assets-versioning", props: bucketVersioning },
    { type: "aws:s3/bucketVersioningV2:BucketVersioningV2", name: "assets-versioning-v2", props: bucketVersioning },
    { type: "aws:s3/bucket:Bucket", name: "assets", props: bucket },
    { type: "aws:s3/bucketV2:BucketV2", name: "assets-v2", props: bucketV2 },
    { type: "aws:backup/vaultLockConfiguration:VaultLockConfiguration", name: "vault-lock", props: vaultLock },
    { type: "aws:route53/healthCheck:HealthCheck", name: "checkout-primary", props: healthCheck },
    { type: "aws:route53/record:Record", name: "checkout-primary", props: failoverRecord },
    { type: "aws:route53/record:Record", name: "checkout-secondary", props: aliasFailoverRecord },
];
