import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { AwsSite, AwsSiteArgs, resolveAwsSiteDefaults, validateAwsSiteArgs } from "../../../components/site/awsSite";
import { SiteDataArgs, SiteDatabase } from "../../../components/site/site";
import { MockRun, RecordedResource, runUnderMocks } from "../../harness";

const NAME = "checkout-aws-us-east-1";
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab";

const T = {
    provider: "pulumi:providers:aws",
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    nat: "aws:ec2/natGateway:NatGateway",
    route: "aws:ec2/route:Route",
    routeTable: "aws:ec2/routeTable:RouteTable",
    association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    flowLog: "aws:ec2/flowLog:FlowLog",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    alb: "aws:lb/loadBalancer:LoadBalancer",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    cluster: "aws:ecs/cluster:Cluster",
    service: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    scalingTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    instance: "aws:rds/instance:Instance",
    dbCluster: "aws:rds/cluster:Cluster",
    dbClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    globalCluster: "aws:rds/globalCluster:GlobalCluster",
    dbSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    password: "random:index/randomPassword:RandomPassword",
    kmsKey: "aws:kms/key:Key",
    bucket: "aws:s3/bucket:Bucket",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    vault: "aws:backup/vault:Vault",
    vaultLock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    plan: "aws:backup/plan:Plan",
    selection: "aws:backup/selection:Selection",
    restoreTestingPlan: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
    restoreTestingSelection: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    certificate: "aws:acm/certificate:Certificate",
    certificateValidation: "aws:acm/certificateValidation:CertificateValidation",
    record: "aws:route53/record:Record",
} as const;

/** What a stateful resource is; each must be protected in prod. */
const STATEFUL_TYPES = [T.instance, T.dbCluster, T.dbClusterInstance, T.globalCluster, T.kmsKey, T.bucket, T.vault, T.vaultLock];

function siteArgs(overrides: Partial<AwsSiteArgs> = {}): AwsSiteArgs {
    return {
        service: "checkout",
        image: "ghcr.io/acme/checkout:1.4.2",
        port: 8080,
        healthCheckPath: "/healthz",
        minCapacity: 2,
        maxCapacity: 4,
        environment: "dev",
        region: "us-east-1",
        ...overrides,
    };
}

function dataArgs(overrides: Partial<SiteDataArgs> = {}): SiteDataArgs {
    return { engine: "postgres", replicationFactor: 1, backupSchedule: "0 3 * * *", backupRetentionDays: 14, ...overrides };
}

const prodArgs = siteArgs({
    environment: "prod",
    minCapacity: 3,
    maxCapacity: 12,
    certificateArn: CERT,
    alertEmails: ["oncall@example.com", "db-team@example.com"],
    alertWebhooks: ["https://hooks.example.com/nonstop"],
    tags: { team: "payments" },
    data: dataArgs({ replicationFactor: 3, backupCopyRegion: "us-west-2" }),
});

/** Runs one AwsSite under mocks (ids are "<name>-id") and returns what it exposes as stack outputs. */
async function deploy(args: AwsSiteArgs, replicaOf?: () => SiteDatabase): Promise<MockRun> {
    return runUnderMocks(() => {
        const withReplica = replicaOf && args.data ? { ...args, data: { ...args.data, replicaOf: replicaOf() } } : args;
        const site = new AwsSite(NAME, withReplica);
        return {
            endpoint: site.endpoint,
            database: site.database && { id: site.database.id, host: site.database.host, engine: site.database.engine, port: site.database.port, global: site.database.global ?? false },
            bucket: site.bucket,
            tracks: site.tracks,
        };
    });
}

/** The hosted zone lookups a run made, and a zone id per zone name (the stock mock answers one id for every name). */
function zoneLookups(): { lookups: Record<string, unknown>[]; dataSources: Record<string, unknown> } {
    const lookups: Record<string, unknown>[] = [];
    const answer = (inputs: Record<string, unknown>) => {
        lookups.push(inputs);
        return { id: `Z-${String(inputs.name)}`, zoneId: `Z-${String(inputs.name)}`, name: `${String(inputs.name)}.`, privateZone: false, nameServers: [] };
    };
    return { lookups, dataSources: { "aws:route53/getZone:getZone": answer } };
}

const id = (r: RecordedResource) => `${r.name}-id`;
const providerRef = (p: RecordedResource) => `${p.urn}::${id(p)}`;
const dependsOn = (r: RecordedResource, prop: string, on: RecordedResource) => expect(r.propertyDependencies[prop] ?? [], `${r.name}.${prop} comes from ${on.name}`).to.include(on.urn);
/** Resources in the order of the index their names end with (registration order is not creation order). */
const ordered = (rs: RecordedResource[]) => [...rs].sort((a, b) => Number(/(\d+)$/.exec(a.name)?.[1]) - Number(/(\d+)$/.exec(b.name)?.[1]));
const tier = (run: MockRun, name: "public" | "private") => ordered(run.ofType(T.subnet).filter((s) => (s.inputs.tags as Record<string, string>).tier === name));
/** The resource of `type` named exactly NAME + suffix. */
const named = (run: MockRun, type: string, suffix: string) => {
    const found = run.ofType(type).filter((r) => r.name === `${NAME}${suffix}`);
    expect(found, `${type} ${NAME}${suffix}`).to.have.length(1);
    return found[0];
};
const alarm = (run: MockRun, suffix: string) => named(run, T.alarm, `-${suffix}`);

/** A database SiteDatabase from another site, as the service composition would pass it. */
function otherSiteDatabase(overrides: Partial<SiteDatabase> = {}): SiteDatabase {
    return {
        engine: "postgres",
        cloud: "aws",
        location: "us-east-1",
        host: pulumi.output("checkout-primary.cluster-abc.us-east-1.rds.amazonaws.com"),
        writerHost: pulumi.output("checkout-global-prod.global-abc.global.rds.amazonaws.com"),
        readerHost: pulumi.output("checkout-primary.cluster-ro-abc.us-east-1.rds.amazonaws.com"),
        port: 5432,
        databaseName: "checkout",
        username: "nonstop_admin",
        password: pulumi.secret("from-the-primary"),
        id: pulumi.output("checkout-global-prod"),
        global: true,
        ...overrides,
    };
}

describe("AwsSite", () => {
    describe("in prod (3 zones, Aurora with 3 copies, backup copy to us-west-2)", () => {
        let run: MockRun;
        before(async () => {
            run = await deploy(prodArgs);
        });

        it("creates its own provider for its region and gives it to every resource of that region", () => {
            const providers = run.ofType(T.provider);
            const own = providers.find((p) => p.inputs.region === "us-east-1");
            const copy = providers.find((p) => p.inputs.region === "us-west-2");
            expect(own, "us-east-1 provider").to.exist;
            expect(copy, "us-west-2 provider").to.exist;
            expect(own?.parent).to.equal(run.one("nonstop:site:AwsSite").urn);
            const awsResources = run.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
            expect(awsResources.length).to.be.greaterThan(50);
            for (const r of awsResources) {
                const expected = r.name.endsWith("-copy") ? copy! : own!;
                expect(r.provider, r.name).to.equal(providerRef(expected));
            }
        });

        it("spans three availability zones with a public and a private subnet in each", () => {
            expect(tier(run, "public").map((s) => s.inputs.availabilityZone)).to.deep.equal(["us-east-1a", "us-east-1b", "us-east-1c"]);
            expect(tier(run, "private").map((s) => s.inputs.availabilityZone)).to.deep.equal(["us-east-1a", "us-east-1b", "us-east-1c"]);
            const vpc = run.one(T.vpc);
            for (const s of run.ofType(T.subnet)) expect(s.inputs.vpcId).to.equal(id(vpc));
        });

        it("runs one NAT gateway in each availability zone", () => {
            const nats = ordered(run.ofType(T.nat));
            expect(nats).to.have.length(3);
            expect(nats.map((n) => n.inputs.subnetId)).to.deep.equal(tier(run, "public").map(id));
        });

        it("routes each private subnet to the internet through the NAT gateway of its own zone", () => {
            const nats = run.ofType(T.nat);
            const publicSubnets = tier(run, "public");
            const natsUsed = tier(run, "private").map((subnet) => {
                const association = run.ofType(T.association).find((a) => a.inputs.subnetId === id(subnet));
                expect(association, `route table association of ${subnet.name}`).to.exist;
                const defaultRoute = run.ofType(T.route).find((r) => r.inputs.routeTableId === association!.inputs.routeTableId && r.inputs.destinationCidrBlock === "0.0.0.0/0");
                expect(defaultRoute, `default route of ${subnet.name}`).to.exist;
                const nat = nats.find((n) => id(n) === defaultRoute!.inputs.natGatewayId);
                expect(nat, `NAT gateway of ${subnet.name}`).to.exist;
                const natSubnet = publicSubnets.find((p) => id(p) === nat!.inputs.subnetId);
                expect(natSubnet?.inputs.availabilityZone, subnet.name).to.equal(subnet.inputs.availabilityZone);
                return nat!.name;
            });
            expect(new Set(natsUsed).size).to.equal(3);
        });

        it("logs every flow of the VPC to CloudWatch Logs through its own IAM role", () => {
            const flowLog = run.one(T.flowLog);
            expect(flowLog.inputs).to.include({ vpcId: id(run.one(T.vpc)), trafficType: "ALL", logDestinationType: "cloud-watch-logs" });
            dependsOn(flowLog, "logDestination", named(run, T.logGroup, "-flow-logs"));
            dependsOn(flowLog, "iamRoleArn", named(run, T.role, "-flow-logs"));
            expect(JSON.parse(named(run, T.role, "-flow-logs").inputs.assumeRolePolicy as string).Statement[0].Principal.Service).to.equal("vpc-flow-logs.amazonaws.com");
        });

        it("puts an internet-facing load balancer in the public subnets of every zone", () => {
            const alb = run.one(T.alb);
            expect(alb.inputs).to.include({ internal: false, loadBalancerType: "application" });
            expect(alb.inputs.subnets).to.deep.equal(tier(run, "public").map(id));
            expect(alb.inputs.securityGroups).to.deep.equal([id(named(run, T.securityGroup, "-alb"))]);
        });

        it("terminates HTTPS with the given certificate and redirects HTTP to it", () => {
            const https = named(run, T.listener, "-https");
            expect(https.inputs).to.include({ port: 443, protocol: "HTTPS", certificateArn: CERT });
            expect(https.inputs.sslPolicy).to.match(/^ELBSecurityPolicy-TLS13/);
            expect((https.inputs.defaultActions as { type: string }[])[0].type).to.equal("forward");
            dependsOn(https, "defaultActions", run.one(T.targetGroup));
            const http = named(run, T.listener, "-http");
            expect(http.inputs.defaultActions).to.deep.equal([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
            // A given certificate is used as is: the site requests none of its own.
            for (const type of [T.certificate, T.certificateValidation, T.record]) expect(run.ofType(type), type).to.be.empty;
        });

        it("health-checks the tasks on healthCheckPath", () => {
            const tg = run.one(T.targetGroup);
            expect(tg.inputs).to.include({ targetType: "ip", protocol: "HTTP", port: 8080 });
            expect(tg.inputs.healthCheck).to.include({ enabled: true, path: "/healthz" });
        });

        it("runs minCapacity Fargate tasks in the private subnets of every zone, rolling deploys without downtime and rolling back failures", () => {
            const service = run.one(T.service);
            expect(service.inputs).to.include({ launchType: "FARGATE", desiredCount: 3, deploymentMinimumHealthyPercent: 100 });
            expect(service.inputs.deploymentCircuitBreaker).to.deep.equal({ enable: true, rollback: true });
            expect(service.inputs.networkConfiguration).to.deep.equal({
                subnets: tier(run, "private").map(id),
                securityGroups: [id(named(run, T.securityGroup, "-tasks"))],
                assignPublicIp: false,
            });
            expect((service.inputs.loadBalancers as { containerPort: number }[])[0].containerPort).to.equal(8080);
            dependsOn(service, "loadBalancers", run.one(T.targetGroup));
            // Autoscaling owns the count once the service exists.
            expect(service.ignoreChanges).to.include("desiredCount");
        });

        it("scales between minCapacity and maxCapacity on CPU and on requests per task", () => {
            const target = run.one(T.scalingTarget);
            expect(target.inputs).to.include({ minCapacity: 3, maxCapacity: 12, serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount" });
            dependsOn(target, "resourceId", run.one(T.cluster));
            dependsOn(target, "resourceId", run.one(T.service));
            const policies = run.ofType(T.scalingPolicy);
            for (const p of policies) {
                expect(p.inputs.policyType).to.equal("TargetTrackingScaling");
                dependsOn(p, "resourceId", target);
            }
            const metric = (p: RecordedResource) => (p.inputs.targetTrackingScalingPolicyConfiguration as { predefinedMetricSpecification: { predefinedMetricType: string } }).predefinedMetricSpecification.predefinedMetricType;
            expect(policies.map(metric).sort()).to.deep.equal(["ALBRequestCountPerTarget", "ECSServiceAverageCPUUtilization"]);
            // The request-count label is "<alb arnSuffix>/<target group arnSuffix>".
            const requests = policies.find((p) => metric(p) === "ALBRequestCountPerTarget")!;
            dependsOn(requests, "targetTrackingScalingPolicyConfiguration", run.one(T.alb));
            dependsOn(requests, "targetTrackingScalingPolicyConfiguration", run.one(T.targetGroup));
        });

        it("gives the container a health check and sends its logs to a log group kept 365 days", () => {
            const taskDefinition = run.one(T.taskDefinition);
            expect(taskDefinition.inputs).to.include({ networkMode: "awsvpc", cpu: "512", memory: "1024" });
            const [container] = JSON.parse(taskDefinition.inputs.containerDefinitions as string);
            expect(container.healthCheck.command.join(" ")).to.contain("http://localhost:8080/healthz");
            expect(container.logConfiguration.logDriver).to.equal("awslogs");
            const appLogs = named(run, T.logGroup, "-app-logs");
            dependsOn(taskDefinition, "containerDefinitions", appLogs);
            expect(appLogs.inputs.retentionInDays).to.equal(365);
            dependsOn(taskDefinition, "executionRoleArn", named(run, T.role, "-execution"));
            dependsOn(taskDefinition, "taskRoleArn", named(run, T.role, "-task"));
        });

        it("opens the load balancer on 80 and 443, the tasks to the load balancer only and the database to the tasks only", () => {
            const sg = (suffix: string) => id(named(run, T.securityGroup, suffix));
            const rules = run.ofType(T.ingress);
            const into = (group: string) => rules.filter((r) => r.inputs.securityGroupId === group).map((r) => r.inputs);
            expect(into(sg("-alb")).map((r) => [r.fromPort, r.cidrIpv4])).to.deep.equal([[80, "0.0.0.0/0"], [443, "0.0.0.0/0"]]);
            expect(into(sg("-tasks"))).to.deep.equal([{ securityGroupId: sg("-tasks"), description: "the container port from the load balancer", ipProtocol: "tcp", fromPort: 8080, toPort: 8080, referencedSecurityGroupId: sg("-alb"), tags: into(sg("-tasks"))[0].tags }]);
            expect(into(sg("-db")).map((r) => [r.fromPort, r.referencedSecurityGroupId, r.cidrIpv4])).to.deep.equal([[5432, sg("-tasks"), undefined]]);
        });

        it("runs Aurora PostgreSQL with three instances, one in each zone", () => {
            expect(run.ofType(T.instance)).to.be.empty;
            const cluster = run.one(T.dbCluster);
            expect(cluster.inputs.engine).to.equal("aurora-postgresql");
            const instances = ordered(run.ofType(T.dbClusterInstance));
            expect(instances.map((i) => i.inputs.availabilityZone)).to.deep.equal(["us-east-1a", "us-east-1b", "us-east-1c"]);
            for (const i of instances) expect(i.inputs).to.include({ clusterIdentifier: id(cluster), engine: "aurora-postgresql", publiclyAccessible: false });
        });

        it("encrypts the database with its KMS key, keeps backups for backupRetentionDays and takes a final snapshot", () => {
            const cluster = run.one(T.dbCluster);
            expect(cluster.inputs).to.include({ storageEncrypted: true, backupRetentionPeriod: 14, copyTagsToSnapshot: true, skipFinalSnapshot: false, deletionProtection: true });
            expect(cluster.inputs.finalSnapshotIdentifier).to.be.a("string").and.match(/^checkout-aws-us-east-1-.*final$/);
            dependsOn(cluster, "kmsKeyId", named(run, T.kmsKey, "-data"));
            expect(cluster.inputs.vpcSecurityGroupIds).to.deep.equal([id(named(run, T.securityGroup, "-db"))]);
            expect(run.one(T.dbSubnetGroup).inputs.subnetIds).to.deep.equal(tier(run, "private").map(id));
            // The master password comes from RandomPassword, never from config.
            dependsOn(cluster, "masterPassword", run.one(T.password));
        });

        it("exposes the database as the cluster's ARN, not a global id", () => {
            const db = run.outputs.database as { id: string; engine: string; port: number; global: boolean; host: string };
            expect(db.id).to.match(/^arn:aws:rds:.*checkout-aws-us-east-1-db$/);
            expect(db).to.include({ engine: "postgres", port: 5432, global: false });
            expect(db.host).to.contain("checkout-aws-us-east-1-db");
        });

        it("keeps objects in a versioned, KMS-encrypted bucket with every kind of public access blocked", () => {
            const bucket = run.one(T.bucket);
            expect(bucket.inputs.forceDestroy).to.equal(false);
            expect(run.one(T.versioning).inputs).to.deep.equal({ bucket: id(bucket), versioningConfiguration: { status: "Enabled" } });
            const encryption = run.one(T.encryption);
            expect(encryption.inputs.bucket).to.equal(id(bucket));
            expect((encryption.inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[])[0].applyServerSideEncryptionByDefault.sseAlgorithm).to.equal("aws:kms");
            dependsOn(encryption, "rules", named(run, T.kmsKey, "-data"));
            expect(run.one(T.publicAccessBlock).inputs).to.deep.equal({ bucket: id(bucket), blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
            const exposed = run.outputs.bucket as { cloud: string; location: string; uri: string };
            expect(exposed).to.include({ cloud: "aws", location: "us-east-1" });
            expect(exposed.uri).to.match(/^arn:aws:s3:.*checkout-aws-us-east-1-objects$/);
        });

        it("protects every stateful resource (protect, retainOnDelete) and nothing stateless", () => {
            const stateful = run.resources.filter((r) => (STATEFUL_TYPES as readonly string[]).includes(r.type));
            // data key, backup key, copy key, cluster, 3 instances, bucket, 2 vaults, 2 vault locks
            expect(stateful).to.have.length(12);
            for (const r of stateful) expect([r.name, r.protect, r.retainOnDelete]).to.deep.equal([r.name, true, true]);
            for (const r of [run.one(T.service), run.one(T.alb), run.one(T.vpc)]) expect([r.name, r.protect]).to.deep.equal([r.name, false]);
        });

        it("backs up on the configured schedule in AWS cron, keeps recovery points backupRetentionDays and copies them to us-west-2", () => {
            const rule = (run.one(T.plan).inputs.rules as Record<string, unknown>[])[0];
            expect(rule).to.include({ schedule: "cron(0 3 * * ? *)", enableContinuousBackup: true });
            expect(rule.lifecycle).to.deep.equal({ deleteAfter: 14 });
            const copyVault = named(run, T.vault, "-vault-copy");
            const copyProvider = run.ofType(T.provider).find((p) => p.inputs.region === "us-west-2")!;
            expect(copyVault.provider).to.equal(providerRef(copyProvider));
            dependsOn(run.one(T.plan), "rules", copyVault);
            expect((rule.copyActions as { lifecycle: unknown }[]).map((c) => c.lifecycle)).to.deep.equal([{ deleteAfter: 14 }]);
            // Each vault has its own key in its own region.
            dependsOn(named(run, T.vault, "-vault"), "kmsKeyArn", named(run, T.kmsKey, "-backup"));
            dependsOn(copyVault, "kmsKeyArn", named(run, T.kmsKey, "-backup-copy"));
            expect(named(run, T.kmsKey, "-backup-copy").provider).to.equal(providerRef(copyProvider));
        });

        it("locks both vaults in compliance mode for backupRetentionDays", () => {
            const locks = run.ofType(T.vaultLock);
            expect(locks).to.have.length(2);
            for (const lock of locks) expect(lock.inputs).to.include({ minRetentionDays: 14, changeableForDays: 3 });
            // One lock in each region: the copy vault's lock goes through the copy region's provider.
            const copyProvider = run.ofType(T.provider).find((p) => p.inputs.region === "us-west-2")!;
            expect(named(run, T.vaultLock, "-vault-copy").provider).to.equal(providerRef(copyProvider));
            expect(named(run, T.vaultLock, "-vault").provider).not.to.equal(providerRef(copyProvider));
        });

        it("selects the database cluster and the bucket for backup with a role holding the backup and restore policies", () => {
            const selection = run.one(T.selection);
            expect(selection.inputs.planId).to.equal(id(run.one(T.plan)));
            expect(selection.inputs.resources).to.have.length(2);
            dependsOn(selection, "resources", run.one(T.dbCluster));
            dependsOn(selection, "resources", run.one(T.bucket));
            const role = named(run, T.role, "-backup");
            dependsOn(selection, "iamRoleArn", role);
            const attached = run.ofType(T.attachment).filter((a) => a.inputs.role === role.inputs.name || (a.propertyDependencies.role ?? []).includes(role.urn)).map((a) => String(a.inputs.policyArn).split("/").pop());
            expect(attached).to.include.members(["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores", "AWSBackupServiceRolePolicyForS3Backup", "AWSBackupServiceRolePolicyForS3Restore"]);
        });

        it("tests restores of the database (into the site's VPC) and of the bucket every week", () => {
            const plan = run.one(T.restoreTestingPlan);
            expect(plan.inputs.name).to.match(/^[A-Za-z0-9_]+$/);
            expect(plan.inputs.scheduleExpression).to.match(/^cron\(/);
            const selections = run.ofType(T.restoreTestingSelection);
            expect(selections.map((s) => s.inputs.protectedResourceType).sort()).to.deep.equal(["Aurora", "S3"]);
            const db = selections.find((s) => s.inputs.protectedResourceType === "Aurora")!;
            expect(JSON.parse((db.inputs.restoreMetadataOverrides as Record<string, string>).vpcsecuritygroupids)).to.deep.equal([id(named(run, T.securityGroup, "-db"))]);
            dependsOn(db, "protectedResourceArns", run.one(T.dbCluster));
        });

        it("sends alerts to the SNS topic's email and webhook subscribers", () => {
            const topic = run.one(T.topic);
            const subs = run.ofType(T.subscription).map((s) => [s.inputs.protocol, s.inputs.endpoint]);
            expect(subs).to.deep.equal([["email", "oncall@example.com"], ["email", "db-team@example.com"], ["https", "https://hooks.example.com/nonstop"]]);
            for (const s of run.ofType(T.subscription)) dependsOn(s, "topic", topic);
        });

        it("wires every alarm to the topic for both ALARM and OK, with a deliberate treatment of missing data", () => {
            const topic = run.one(T.topic);
            const alarms = run.ofType(T.alarm);
            expect(alarms.map((a) => a.name.replace(`${NAME}-`, "")).sort()).to.deep.equal(
                ["5xx-rate", "db-cpu", "db-memory", "db-replica-lag", "healthy-hosts", "latency-p99", "unhealthy-hosts"],
            );
            for (const a of alarms) {
                expect(a.inputs.alarmActions, a.name).to.have.length(1);
                expect(a.inputs.okActions, a.name).to.deep.equal(a.inputs.alarmActions);
                dependsOn(a, "alarmActions", topic);
                dependsOn(a, "okActions", topic);
                expect(a.inputs.treatMissingData, a.name).to.be.oneOf(["notBreaching", "breaching"]);
            }
        });

        it("alarms on the 5xx rate, unhealthy tasks, fewer healthy tasks than minCapacity and p99 latency", () => {
            const rate = alarm(run, "5xx-rate");
            const queries = rate.inputs.metricQueries as { id: string; expression?: string; metric?: { metricName: string } }[];
            expect(queries.map((q) => q.metric?.metricName).filter(Boolean)).to.include("HTTPCode_Target_5XX_Count");
            expect(queries.find((q) => q.expression)?.expression).to.contain("/ FILL(requests, 1)");
            expect(rate.inputs).to.include({ threshold: 5, comparisonOperator: "GreaterThanThreshold" });
            expect(alarm(run, "unhealthy-hosts").inputs).to.include({ metricName: "UnHealthyHostCount", threshold: 0, comparisonOperator: "GreaterThanThreshold" });
            expect(alarm(run, "healthy-hosts").inputs).to.include({ metricName: "HealthyHostCount", threshold: 3, comparisonOperator: "LessThanThreshold", treatMissingData: "breaching" });
            expect(alarm(run, "latency-p99").inputs).to.include({ metricName: "TargetResponseTime", extendedStatistic: "p99", threshold: 1 });
            dependsOn(alarm(run, "healthy-hosts"), "dimensions", run.one(T.targetGroup));
        });

        it("alarms on the database's CPU, memory and reader lag, by cluster", () => {
            for (const name of ["db-cpu", "db-memory", "db-replica-lag"]) {
                const a = alarm(run, name);
                expect(a.inputs.namespace).to.equal("AWS/RDS");
                expect(Object.keys(a.inputs.dimensions as object)).to.deep.equal(["DBClusterIdentifier"]);
                dependsOn(a, "dimensions", run.one(T.dbCluster));
            }
        });

        it("offers its load balancer as a Route 53 alias endpoint, health-checked over HTTPS on healthCheckPath", () => {
            const endpoint = run.outputs.endpoint as Record<string, unknown>;
            expect(endpoint).to.include({ key: "aws-us-east-1", cloud: "aws", location: "us-east-1", healthCheckPath: "/healthz", healthCheckPort: 443, healthCheckProtocol: "HTTPS" });
            expect(endpoint.target).to.deep.equal({ kind: "alias", dnsName: endpoint.healthCheckHost, zoneId: "Z35SXDOTRQ7X7K" });
            expect(endpoint.healthCheckHost).to.contain("checkout-aws-us-east-1-alb");
        });

        it("tags every taggable resource with service, site, environment, managed-by and the extra tags", () => {
            const tagged = run.resources.filter((r) => r.type.startsWith("aws:") && "tags" in r.inputs);
            expect(tagged.length).to.be.greaterThan(40);
            for (const r of tagged) {
                expect(r.inputs.tags, r.name).to.include({ service: "checkout", site: "aws-us-east-1", environment: "prod", "managed-by": "nonstop", team: "payments" });
            }
            for (const type of [T.nat, T.subnet, T.alb, T.service, T.dbCluster, T.dbClusterInstance, T.bucket, T.vault, T.alarm, T.kmsKey]) {
                for (const r of run.ofType(type)) expect(r.inputs, r.name).to.have.property("tags");
            }
        });
    });

    describe("in dev (defaults: 2 zones, one database copy, no certificate)", () => {
        let run: MockRun;
        before(async () => {
            run = await deploy(siteArgs({ data: dataArgs() }));
        });

        it("spans two zones with one NAT gateway each", () => {
            expect(tier(run, "private").map((s) => s.inputs.availabilityZone)).to.deep.equal(["us-east-1a", "us-east-1b"]);
            expect(run.ofType(T.nat).map((n) => n.inputs.subnetId)).to.deep.equal(tier(run, "public").map(id));
        });

        it("serves plain HTTP on 80 without a certificate, and says so in its endpoint", () => {
            const [listener] = run.ofType(T.listener);
            expect(run.ofType(T.listener)).to.have.length(1);
            expect(listener.inputs).to.include({ port: 80, protocol: "HTTP" });
            expect((listener.inputs.defaultActions as { type: string }[])[0].type).to.equal("forward");
            expect(run.outputs.endpoint).to.include({ healthCheckPort: 80, healthCheckProtocol: "HTTP" });
        });

        it("runs replication factor 1 as one single-AZ RDS instance with 20 GiB", () => {
            expect(run.ofType(T.dbCluster)).to.be.empty;
            const instance = run.one(T.instance);
            expect(instance.inputs).to.include({ engine: "postgres", multiAz: false, allocatedStorage: 20, storageEncrypted: true, skipFinalSnapshot: false, publiclyAccessible: false });
            dependsOn(instance, "password", run.one(T.password));
        });

        it("leaves stateful resources unprotected and deletion protection off", () => {
            for (const r of run.resources.filter((r) => (STATEFUL_TYPES as readonly string[]).includes(r.type))) {
                expect([r.name, r.protect, r.retainOnDelete]).to.deep.equal([r.name, false, false]);
            }
            expect(run.one(T.instance).inputs.deletionProtection).to.equal(false);
        });

        it("keeps logs 30 days, has no vault lock and copies no backups to another region", () => {
            for (const lg of run.ofType(T.logGroup)) expect(lg.inputs.retentionInDays).to.equal(30);
            expect(run.ofType(T.vaultLock)).to.be.empty;
            expect(run.ofType(T.provider)).to.have.length(1);
            expect((run.one(T.plan).inputs.rules as { copyActions: unknown[] }[])[0].copyActions).to.deep.equal([]);
        });

        it("alarms on the instance's free storage and tests restores as RDS", () => {
            expect(alarm(run, "db-storage").inputs).to.include({ metricName: "FreeStorageSpace", comparisonOperator: "LessThanThreshold" });
            dependsOn(alarm(run, "db-cpu"), "dimensions", run.one(T.instance));
            expect(run.ofType(T.alarm).map((a) => a.name)).not.to.include(`${NAME}-db-replica-lag`);
            expect(run.ofType(T.restoreTestingSelection).map((s) => s.inputs.protectedResourceType).sort()).to.deep.equal(["RDS", "S3"]);
        });
    });

    describe("with a domain (requests and validates its own certificate)", () => {
        const WEST = "checkout-aws-us-west-2";
        const domainArgs = siteArgs({ environment: "prod", region: "us-west-2", minCapacity: 3, maxCapacity: 12, domain: { name: "checkout.example.com", zoneName: "example.com" } });
        const zones = zoneLookups();
        let run: MockRun;
        before(async () => {
            // The stack's default region is us-east-1: the certificate must not land there.
            run = await runUnderMocks(() => ({ endpoint: new AwsSite(WEST, domainArgs).endpoint }), { dataSources: zones.dataSources });
        });
        const own = () => run.ofType(T.provider).find((p) => p.inputs.region === "us-west-2")!;

        it("requests an ACM certificate for the domain, validated by DNS, through the provider of its own region", () => {
            const cert = run.one(T.certificate);
            expect(cert.name).to.equal(`${WEST}-cert`);
            expect(cert.inputs).to.include({ domainName: "checkout.example.com", validationMethod: "DNS" });
            expect(cert.provider).to.equal(providerRef(own()));
            expect(cert.parent).to.equal(run.one("nonstop:site:AwsSite").urn);
            // Replaced certificates are created before the old one is deleted (the listener moves over first).
            expect(cert.deleteBeforeReplace).not.to.equal(true);
            expect(cert.inputs.tags).to.include({ service: "checkout", site: "aws-us-west-2", Name: `${WEST}-cert` });
        });

        it("publishes ACM's validation record in the public hosted zone it looks up by zoneName, overwriting the identical record of the same name's certificate in another region", () => {
            expect(zones.lookups).to.deep.equal([{ name: "example.com", privateZone: false }]);
            const record = run.one(T.record);
            expect(record.inputs).to.include({ zoneId: "Z-example.com", allowOverwrite: true });
            const cert = run.one(T.certificate);
            for (const prop of ["name", "type", "records"]) dependsOn(record, prop, cert);
            expect(record.provider).to.equal(providerRef(own()));
            // Other sites' certificates renew with the same record: removing this site leaves it in place.
            expect(record.retainOnDelete).to.equal(true);
        });

        it("waits for ACM to issue the certificate (through the validation record) and serves HTTPS with the issued certificate", () => {
            const cert = run.one(T.certificate);
            const record = run.one(T.record);
            const validation = run.one(T.certificateValidation);
            dependsOn(validation, "certificateArn", cert);
            dependsOn(validation, "validationRecordFqdns", record);
            expect(validation.provider).to.equal(providerRef(own()));
            const https = run.ofType(T.listener).find((l) => l.name === `${WEST}-https`)!;
            expect(https.inputs).to.include({ port: 443, protocol: "HTTPS" });
            expect(https.inputs.sslPolicy).to.match(/^ELBSecurityPolicy-TLS13/);
            // The listener takes the ARN from the validation, not from the certificate directly.
            dependsOn(https, "certificateArn", validation);
            expect(https.propertyDependencies.certificateArn).not.to.include(cert.urn);
            expect(https.inputs.certificateArn).to.equal(validation.inputs.certificateArn).and.to.match(/^arn:aws:acm:.*-cert$/);
        });

        it("redirects HTTP on 80 to HTTPS", () => {
            const http = run.ofType(T.listener).find((l) => l.name === `${WEST}-http`)!;
            expect(http.inputs).to.include({ port: 80, protocol: "HTTP" });
            expect(http.inputs.defaultActions).to.deep.equal([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
            expect(run.ofType(T.listener)).to.have.length(2);
        });

        it("offers its endpoint for health checks over HTTPS on 443", () => {
            expect(run.outputs.endpoint).to.include({ key: "aws-us-west-2", healthCheckPort: 443, healthCheckProtocol: "HTTPS" });
        });

        it("does not warn about plain HTTP in prod", () => {
            expect(validateAwsSiteArgs(domainArgs).join("\n")).not.to.match(/certificateArn|plain HTTP/);
        });
    });

    describe("as a stateless pilot light (minCapacity 0, no data)", () => {
        let run: MockRun;
        before(async () => {
            run = await deploy(siteArgs({ minCapacity: 0, maxCapacity: 4 }));
        });

        it("starts no tasks and lets autoscaling go down to zero", () => {
            expect(run.one(T.service).inputs.desiredCount).to.equal(0);
            expect(run.one(T.scalingTarget).inputs).to.include({ minCapacity: 0, maxCapacity: 4 });
        });

        it("has no healthy-host floor alarm, since zero tasks is the plan", () => {
            expect(run.ofType(T.alarm).map((a) => a.name)).not.to.include(`${NAME}-healthy-hosts`);
        });

        it("creates no database, bucket, key or backups", () => {
            for (const type of [T.instance, T.dbCluster, T.bucket, T.kmsKey, T.vault, T.plan, T.password]) expect(run.ofType(type), type).to.be.empty;
            expect(run.ofType(T.securityGroup).map((s) => s.name)).not.to.include(`${NAME}-db`);
            expect(run.outputs.database).not.to.exist;
        });
    });

    describe("with release tracks", () => {
        let canary: MockRun;
        before(async () => {
            canary = await deploy(siteArgs({
                minCapacity: 3,
                maxCapacity: 12,
                tracks: [
                    { name: "stable", image: "ghcr.io/acme/checkout:1.4.2", percent: 90 },
                    { name: "canary", image: "ghcr.io/acme/checkout:1.5.0", percent: 10 },
                ],
            }));
        });

        it("runs one ECS service, task definition and target group per track, each with its own image", () => {
            for (const [track, image] of [["stable", "ghcr.io/acme/checkout:1.4.2"], ["canary", "ghcr.io/acme/checkout:1.5.0"]]) {
                const taskDefinition = named(canary, T.taskDefinition, `-task-${track}`);
                const [container] = JSON.parse(taskDefinition.inputs.containerDefinitions as string);
                expect(container.image, track).to.equal(image);
                expect(container.environment).to.deep.include({ name: "RELEASE_TRACK", value: track });
                const service = named(canary, T.service, `-service-${track}`);
                dependsOn(service, "taskDefinition", taskDefinition);
                dependsOn(service, "loadBalancers", named(canary, T.targetGroup, `-tg-${track}`));
                expect(service.inputs.deploymentCircuitBreaker).to.deep.equal({ enable: true, rollback: true });
            }
            expect(canary.ofType(T.service)).to.have.length(2);
            expect(canary.outputs.tracks).to.deep.equal(["stable", "canary"]);
        });

        it("splits the listener's requests between the tracks' target groups by their percentages", () => {
            const [action] = canary.one(T.listener).inputs.defaultActions as { type: string; forward: { targetGroups: { weight: number }[] } }[];
            expect(action.type).to.equal("forward");
            expect(action.forward.targetGroups.map((g) => g.weight)).to.deep.equal([90, 10]);
            dependsOn(canary.one(T.listener), "defaultActions", named(canary, T.targetGroup, "-tg-stable"));
            dependsOn(canary.one(T.listener), "defaultActions", named(canary, T.targetGroup, "-tg-canary"));
        });

        it("gives each track its share of the floor (never a single task) and scales each on its own target group", () => {
            expect(named(canary, T.scalingTarget, "-scaling-stable").inputs).to.include({ minCapacity: 3, maxCapacity: 12 });
            expect(named(canary, T.scalingTarget, "-scaling-canary").inputs).to.include({ minCapacity: 2, maxCapacity: 12 });
            expect(named(canary, T.service, "-service-canary").inputs.desiredCount).to.equal(2);
            dependsOn(named(canary, T.scalingPolicy, "-scale-requests-canary"), "targetTrackingScalingPolicyConfiguration", named(canary, T.targetGroup, "-tg-canary"));
        });

        it("alarms on each track's healthy and unhealthy tasks separately", () => {
            expect(alarm(canary, "healthy-hosts-stable").inputs.threshold).to.equal(3);
            expect(alarm(canary, "healthy-hosts-canary").inputs.threshold).to.equal(2);
            dependsOn(alarm(canary, "unhealthy-hosts-canary"), "dimensions", named(canary, T.targetGroup, "-tg-canary"));
        });

        it("keeps the idle blue-green colour warm at the floor, with no requests", async () => {
            const run = await deploy(siteArgs({
                minCapacity: 2,
                tracks: [
                    { name: "blue", image: "ghcr.io/acme/checkout:1.4.2", percent: 100 },
                    { name: "green", image: "ghcr.io/acme/checkout:1.5.0", percent: 0 },
                ],
            }));
            expect(named(run, T.scalingTarget, "-scaling-green").inputs.minCapacity).to.equal(2);
            const [action] = run.one(T.listener).inputs.defaultActions as { forward: { targetGroups: { weight: number }[] } }[];
            expect(action.forward.targetGroups.map((g) => g.weight)).to.deep.equal([100, 0]);
        });
    });

    describe("replication factor", () => {
        it("2 gives one Multi-AZ RDS instance", async () => {
            const run = await deploy(siteArgs({ data: dataArgs({ replicationFactor: 2 }) }));
            expect(run.one(T.instance).inputs.multiAz).to.equal(true);
            expect(run.ofType(T.dbCluster)).to.be.empty;
        });

        it("4 over 3 zones gives four Aurora instances spread round-robin", async () => {
            const run = await deploy(siteArgs({ environment: "prod", data: dataArgs({ replicationFactor: 4 }) }));
            expect(ordered(run.ofType(T.dbClusterInstance)).map((i) => i.inputs.availabilityZone)).to.deep.equal(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1a"]);
        });

        it("3 with mysql gives Aurora MySQL, reachable from the tasks on 3306", async () => {
            const run = await deploy(siteArgs({ data: dataArgs({ engine: "mysql", replicationFactor: 3 }) }));
            expect(run.one(T.dbCluster).inputs).to.include({ engine: "aurora-mysql", port: 3306 });
            const dbGroup = id(named(run, T.securityGroup, "-db"));
            expect(run.ofType(T.ingress).filter((r) => r.inputs.securityGroupId === dbGroup).map((r) => r.inputs.fromPort)).to.deep.equal([3306]);
        });
    });

    describe("protection overrides", () => {
        it("protects stateful resources in dev when protectStateful is true, including RDS deletion protection", async () => {
            const run = await deploy(siteArgs({ protectStateful: true, data: dataArgs() }));
            expect(run.one(T.instance)).to.include({ protect: true, retainOnDelete: true });
            expect(run.one(T.instance).inputs.deletionProtection).to.equal(true);
            expect(run.one(T.bucket)).to.include({ protect: true, retainOnDelete: true });
        });

        it("backs up only the database when objectStorage is false", async () => {
            const run = await deploy(siteArgs({ data: dataArgs({ objectStorage: false }) }));
            expect(run.ofType(T.bucket)).to.be.empty;
            expect(run.one(T.selection).inputs.resources).to.have.length(1);
            expect(run.outputs.bucket).not.to.exist;
        });
    });

    describe("across regions", () => {
        it("founds an Aurora Global Database when data.global is set, and exposes its identifier", async () => {
            const run = await deploy(siteArgs({ environment: "prod", certificateArn: CERT, data: dataArgs({ replicationFactor: 3, global: true, backupCopyRegion: "us-west-2" }) }));
            const global = run.one(T.globalCluster);
            expect(global.inputs).to.include({ engine: "aurora-postgresql", storageEncrypted: true, deletionProtection: true });
            expect(global).to.include({ protect: true, retainOnDelete: true });
            expect(run.one(T.dbCluster).inputs.globalClusterIdentifier).to.equal(global.inputs.globalClusterIdentifier);
            expect(run.outputs.database).to.include({ id: global.inputs.globalClusterIdentifier, global: true });
        });

        it("joins another AWS site's global database as a secondary cluster instead of creating a primary", async () => {
            const run = await deploy(
                siteArgs({ region: "us-west-2", data: dataArgs({ replicationFactor: 2 }) }),
                () => otherSiteDatabase(),
            );
            const cluster = run.one(T.dbCluster);
            expect(cluster.inputs.globalClusterIdentifier).to.equal("checkout-global-prod");
            for (const key of ["masterUsername", "masterPassword", "databaseName"]) expect(cluster.inputs, key).not.to.have.property(key);
            expect(cluster.ignoreChanges).to.include("replicationSourceIdentifier");
            expect(run.ofType(T.globalCluster)).to.be.empty;
            expect(run.ofType(T.password)).to.be.empty;
            expect(ordered(run.ofType(T.dbClusterInstance)).map((i) => i.inputs.availabilityZone)).to.deep.equal(["us-west-2a", "us-west-2b"]);
            expect(alarm(run, "db-global-lag").inputs.metricName).to.equal("AuroraGlobalDBReplicationLag");
            expect(run.outputs.database).to.include({ id: "checkout-global-prod", global: true });
            expect(run.outputs.endpoint).to.include({ key: "aws-us-west-2" });
        });

        it("creates an ordinary primary when replicaOf is a database in another cloud (a change-data-capture target)", async () => {
            const run = await deploy(siteArgs({ data: dataArgs() }), () => otherSiteDatabase({ cloud: "gcp", location: "us-central1", global: undefined }));
            expect(run.one(T.instance).inputs).not.to.have.property("replicateSourceDb");
            expect(run.ofType(T.dbCluster)).to.be.empty;
            expect(run.ofType(T.password)).to.have.length(1);
        });
    });

    it("refuses invalid args before creating anything", async () => {
        let error: unknown;
        try {
            await runUnderMocks(() => {
                new AwsSite(NAME, siteArgs({ environment: "prod", azCount: 1 }));
            });
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.match(/azCount: 1 in prod/);
    });
});

describe("validateAwsSiteArgs", () => {
    const problem = (args: AwsSiteArgs) => {
        try {
            validateAwsSiteArgs(args);
        } catch (e) {
            return (e as Error).message;
        }
        throw new Error("expected validateAwsSiteArgs to throw");
    };

    it("accepts the defaults in dev without warnings", () => {
        expect(validateAwsSiteArgs(siteArgs({ data: dataArgs() }))).to.deep.equal([]);
    });

    it("refuses fewer than two zones in prod, and warns about one zone in dev", () => {
        expect(problem(siteArgs({ environment: "prod", azCount: 1, certificateArn: CERT }))).to.match(/azCount: 1 in prod .* use 2 or more/);
        expect(validateAwsSiteArgs(siteArgs({ azCount: 1 }))).to.have.length(1).and.to.match(/azCount: 1/);
    });

    it("refuses minCapacity above maxCapacity", () => {
        expect(problem(siteArgs({ minCapacity: 5, maxCapacity: 2 }))).to.match(/minCapacity: 5 is greater than maxCapacity 2; raise maxCapacity or lower minCapacity/);
    });

    it("refuses a replication factor above Aurora's 15 instances", () => {
        expect(problem(siteArgs({ data: dataArgs({ replicationFactor: 16 }) }))).to.match(/data\.replicationFactor: 16 is more than 15/);
    });

    it("warns when there are more copies than zones", () => {
        expect(validateAwsSiteArgs(siteArgs({ data: dataArgs({ replicationFactor: 3 }) })).join("\n")).to.match(/replicationFactor: 3 copies over 2 availability zones/);
    });

    it("refuses a backup copy to the site's own region", () => {
        expect(problem(siteArgs({ data: dataArgs({ backupCopyRegion: "us-east-1" }) }))).to.match(/data\.backupCopyRegion: "us-east-1" is the site's own region; .* pick another region/);
    });

    it("refuses a backup schedule that is not five-field cron or runs more than hourly", () => {
        expect(problem(siteArgs({ data: dataArgs({ backupSchedule: "0 3 * *" }) }))).to.match(/data\.backupSchedule: "0 3 \* \*" has 4 fields/);
        expect(problem(siteArgs({ data: dataArgs({ backupSchedule: "*/15 * * * *" }) }))).to.match(/data\.backupSchedule: .*more than once an hour/);
        expect(problem(siteArgs({ data: dataArgs({ backupSchedule: "0 3 1 * 1" }) }))).to.match(/data\.backupSchedule: .*restrict only one of them/);
    });

    it("refuses a retention AWS cannot keep", () => {
        expect(problem(siteArgs({ data: dataArgs({ backupRetentionDays: 90 }) }))).to.match(/data\.backupRetentionDays: 90 must be .* from 1 to 35/);
    });

    it("refuses a certificate from another region", () => {
        expect(problem(siteArgs({ certificateArn: CERT.replace("us-east-1", "eu-west-1") }))).to.match(/certificateArn: .* is in eu-west-1, but a load balancer in us-east-1 needs a certificate from ACM in us-east-1/);
    });

    it("refuses a certificate ARN together with a domain", () => {
        expect(problem(siteArgs({ certificateArn: CERT, domain: { name: "checkout.example.com", zoneName: "example.com" } }))).to.match(
            /domain: .* is given together with certificateArn; give one: certificateArn to use a certificate you manage, or domain for a certificate the site requests/,
        );
    });

    it("refuses a domain outside its zone, and names or zones that are not lowercase DNS names", () => {
        expect(problem(siteArgs({ domain: { name: "checkout.example.org", zoneName: "example.com" } }))).to.match(
            /domain\.name: "checkout\.example\.org" is not inside zone "example\.com", so the certificate cannot be validated there; use a name ending in "\.example\.com"/,
        );
        // A zone whose name merely ends like the domain is not its parent.
        expect(problem(siteArgs({ domain: { name: "checkout.myexample.com", zoneName: "example.com" } }))).to.match(/domain\.name: .* is not inside zone "example\.com"/);
        const message = problem(siteArgs({ domain: { name: "https://Checkout.example.com", zoneName: "Example.com" } }));
        expect(message).to.match(/domain\.name: "https:\/\/Checkout\.example\.com" is not a lowercase DNS name; give the name clients reach the service on, e\.g\. "checkout\.example\.com"/);
        expect(message).to.match(/domain\.zoneName: "Example\.com" is not a lowercase DNS name; give the public Route 53 hosted zone/);
        expect(problem(siteArgs({ domain: { name: "*.example.com", zoneName: "example.com" } }))).to.match(/domain\.name: "\*\.example\.com" is not a lowercase DNS name/);
    });

    it("accepts a domain at the zone's apex and a zone written with its trailing dot", () => {
        expect(validateAwsSiteArgs(siteArgs({ domain: { name: "example.com", zoneName: "example.com" } }))).to.deep.equal([]);
        expect(validateAwsSiteArgs(siteArgs({ domain: { name: "checkout.eu.example.com", zoneName: "example.com." } }))).to.deep.equal([]);
    });

    it("refuses memory that does not fit Fargate's CPU size", () => {
        expect(problem(siteArgs({ cpu: 256, memoryMb: 4096 }))).to.match(/memoryMb: 4096 does not fit Fargate cpu 256; use 512 to 2048/);
    });

    it("refuses to join an AWS database that is not a global database, or of another engine", () => {
        const message = problem(siteArgs({ region: "us-west-2", data: dataArgs({ engine: "mysql", replicaOf: otherSiteDatabase({ global: false }) }) }));
        expect(message).to.match(/data\.replicaOf: the AWS database in us-east-1 is not an Aurora Global Database; set data\.global: true on that primary site/);
        expect(message).to.match(/data\.engine: "mysql" differs from the primary's "postgres"/);
    });

    it("refuses release tracks whose percentages do not add up to 100 or whose names repeat", () => {
        const message = problem(siteArgs({ tracks: [{ name: "blue", image: "a", percent: 100 }, { name: "blue", image: "b", percent: 10 }] }));
        expect(message).to.match(/tracks\[1\]\.name: "blue" is used twice/);
        expect(message).to.match(/tracks: the percentages add up to 110; they must add up to 100/);
    });

    it("reports every problem at once", () => {
        expect(problem(siteArgs({ minCapacity: 5, maxCapacity: 2, port: 0, healthCheckPath: "healthz" }))).to.match(/\(3 problems\)/);
    });

    it("warns in prod about what is allowed but unwise: fewer than 3 copies, no backup copy region, no certificate", () => {
        const warnings = validateAwsSiteArgs(siteArgs({ environment: "prod", data: dataArgs({ replicationFactor: 2 }) })).join("\n");
        expect(warnings).to.match(/replicationFactor: 2 in prod/);
        expect(warnings).to.match(/backupCopyRegion: not set in prod/);
        expect(warnings).to.match(/certificateArn: not set in prod/);
    });
});

describe("resolveAwsSiteDefaults", () => {
    it("serves plain HTTP without certificateArn or domain, the given certificate with certificateArn, and its own certificate with domain", () => {
        expect(resolveAwsSiteDefaults(siteArgs()).tls).to.deep.equal({ kind: "plain-http" });
        expect(resolveAwsSiteDefaults(siteArgs({ certificateArn: CERT })).tls).to.deep.equal({ kind: "certificate", certificateArn: CERT });
        // The zone is looked up without its trailing dot.
        expect(resolveAwsSiteDefaults(siteArgs({ domain: { name: "checkout.example.com", zoneName: "example.com." } })).tls).to.deep.equal({
            kind: "own-certificate",
            domainName: "checkout.example.com",
            zoneName: "example.com",
        });
    });
});
