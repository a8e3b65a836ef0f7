// Properties every graph rule must have, over random resource graphs: judging never throws,
// whatever the props; and a rule reports only what it can prove, so making values unknown (as a
// preview does) never adds a violation.
import { expect } from "chai";
import * as fc from "fast-check";
import { GraphResource } from "../../../../policies/lib/graph";
import { ecsServiceMinCapacity } from "../../../../policies/rules/aws";
import { graphRules as packGraphRules } from "../../../../policies/rules/graph";
import { k8sDeploymentReplicas } from "../../../../policies/rules/kubernetes";
import { checkStack, UNKNOWN } from "../../../harness";
import { scenarioStack, toGraphResources } from "./scenarios";

const typePool = [
    "pulumi:providers:aws",
    "pulumi:providers:kubernetes",
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/route:Route",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:ec2/eip:Eip",
    "aws:route53/zone:Zone",
    "aws:route53/record:Record",
    "aws:route53/healthCheck:HealthCheck",
    "gcp:dns/recordSet:RecordSet",
    "gcp:dns/managedZone:ManagedZone",
    "gcp:compute/address:Address",
    "gcp:compute/globalAddress:GlobalAddress",
    "aws:rds/instance:Instance",
    "aws:rds/cluster:Cluster",
    "aws:rds/clusterInstance:ClusterInstance",
    "gcp:sql/databaseInstance:DatabaseInstance",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:dynamodb/table:Table",
    "aws:efs/fileSystem:FileSystem",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    "gcp:storage/bucket:Bucket",
    "aws:backup/vault:Vault",
    "aws:backup/plan:Plan",
    "aws:backup/selection:Selection",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "aws:eks/cluster:Cluster",
    "aws:eks/nodeGroup:NodeGroup",
    "kubernetes:core/v1:Namespace",
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:core/v1:Service",
    "kubernetes:core/v1:PersistentVolumeClaim",
    "kubernetes:policy/v1:PodDisruptionBudget",
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    "kubernetes:velero.io/v1:Schedule",
    "kubernetes:postgresql.cnpg.io/v1:Cluster",
    "kubernetes:helm.sh/v3:Release",
    "aws:ec2/instance:Instance",
    "aws:ec2/eip:Eip",
    "aws:backup/selection:Selection",
    "aws:dlm/lifecyclePolicy:LifecyclePolicy",
    "gcp:compute/instance:Instance",
    "gcp:container/cluster:Cluster",
    "gcp:container/nodePool:NodePool",
    "aws:ecs/service:Service",
    "aws:appautoscaling/target:Target",
    "eks:index:Cluster",
    "kubernetes:acid.zalan.do/v1:postgresql",
];

const keyPool = [
    "name", "type", "zoneId", "aliases", "records", "failoverRoutingPolicies", "weightedRoutingPolicies", "healthCheckId", "evaluateTargetHealth",
    "natGatewayId", "routeTableId", "subnetId", "routes", "availabilityZone", "vpcId", "availabilityMode", "multiAz", "replicateSourceDb",
    "clusterIdentifier", "engineMode", "settings", "availabilityType", "masterInstanceName", "spec", "metadata", "namespace", "labels",
    "replicas", "template", "containers", "image", "volumeClaimTemplates", "selector", "matchLabels", "scaleTargetRef", "minReplicas",
    "numCacheClusters", "preferredCacheClusterAzs", "rules", "copyActions", "destinationVaultArn", "targetVaultName", "resources",
    "selectionTags", "conditions", "stringEquals", "notResources", "key", "value", "tags", "region", "location", "versioning", "enabled",
    "versionings", "bucket", "destination", "deletionProtection", "protect", "dimensions", "LoadBalancer", "HealthCheckId", "alarmActions",
    "subnets", "subnetIds", "chart", "values", "schedules", "includedNamespaces", "kubeconfig", "defaultTags", "arn", "id", "weight",
    "routingPolicy", "wrrs", "primaryBackup", "backupGeos", "rrdatas", "managedZone", "dnsName", "vpcs", "backupVaultName", "status",
    "instances", "backupConfiguration", "fqdn", "snapshotVolumes", "dbClusterInstanceClass",
    "userData", "instance", "capacityType", "clusterName", "cluster", "nodeConfig", "spot", "preemptible", "removeDefaultNodePool",
    "networkInterfaces", "accessConfigs", "desiredCount", "resourceId", "scalableDimension", "numberOfInstances", "policyDetails",
    "targetTags", "resourceTypes", "volumeMounts", "mountPath", "volumes", "emptyDir",
];

const stringPool = [
    "us-east-1a", "us-east-1b", "us-east-1c", "us-east-1", "us-west-2", "us-central1", "PRIMARY", "SECONDARY", "A", "CNAME", "www.example.com", "www",
    "example.com", "Enabled", "REGIONAL", "ZONAL", "postgres:16", "redis", "*", "web", "shop", "data", "default", "arn:aws:backup:us-east-1:1:backup-vault:x",
    "arn:aws:rds:*:*:db:*", "STRINGEQUALS", "backup", "daily", "Deployment", "StatefulSet", "velero", "regional", "zonal", "aws:ResourceTag/backup",
    "US", "US-CENTRAL1", "", "provisioned", "STANDARD_HA",
    "SPOT", "ON_DEMAND", "apt-get install -y postgresql", "ecs:service:DesiredCount", "INSTANCE", "/data", "mongo:7",
];

interface RefMark {
    readonly ref: number;
    readonly known: boolean;
}

const { tree } = fc.letrec<{ tree: unknown; leaf: unknown }>((tie) => ({
    leaf: fc.oneof(
        fc.constant(UNKNOWN),
        fc.constantFrom(...stringPool),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        fc.constant(null),
        fc.record({ ref: fc.nat(40), known: fc.boolean() }),
    ),
    tree: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        tie("leaf"),
        fc.array(tie("tree"), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom(...keyPool), tie("tree"), { maxKeys: 4 }),
    ),
}));

const resourceArb = fc.record({
    type: fc.constantFrom(...typePool),
    props: fc.dictionary(fc.constantFrom(...keyPool), tree, { maxKeys: 6 }),
    provider: fc.option(fc.nat(40), { nil: undefined }),
    protect: fc.boolean(),
    parent: fc.option(fc.nat(40), { nil: undefined }),
});

type Raw = fc.Arbitrary<ReturnType<typeof build>>;

/** Turns generated resources into a graph: `{ref}` marks become references (UNKNOWN or a known id) recorded in propertyDependencies. */
function build(raw: readonly { type: string; props: Record<string, unknown>; provider?: number; protect: boolean; parent?: number }[]): GraphResource[] {
    const urns = raw.map((r, i) => `urn:pulumi:test::nonstop::${r.type}::r${i}`);
    const providers = raw.map((r, i) => (r.type.startsWith("pulumi:providers:") ? i : -1)).filter((i) => i >= 0);
    const resources = raw.map((r, i) => {
        const pd: Record<string, string[]> = {};
        const props: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(r.props)) {
            const deps = new Set<string>();
            const strip = (v: unknown): unknown => {
                if (v !== null && typeof v === "object" && "ref" in (v as object) && "known" in (v as object)) {
                    const m = v as RefMark;
                    const target = m.ref % raw.length;
                    deps.add(urns[target]);
                    return m.known ? `r${target}-id` : UNKNOWN;
                }
                if (Array.isArray(v)) return v.map(strip);
                if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, strip(x)]));
                return v;
            };
            props[key] = strip(value);
            pd[key] = [...deps];
        }
        const providerIndex = r.provider !== undefined && providers.length > 0 ? providers[r.provider % providers.length] : undefined;
        return {
            type: r.type,
            name: `r${i}`,
            urn: urns[i],
            props,
            parent: r.parent !== undefined ? urns[r.parent % raw.length] : undefined,
            dependencies: [...new Set(Object.values(pd).flat())],
            propertyDependencies: pd,
            provider: providerIndex !== undefined && providerIndex !== i ? urns[providerIndex] : undefined,
            protect: r.protect,
        };
    });
    return resources.map((r) => ({ ...r, providerProps: r.provider ? resources[urns.indexOf(r.provider)].props : undefined }));
}

const graphArb: Raw = fc.array(resourceArb, { minLength: 1, maxLength: 24 }).map(build);

/** The graph with every value whose position `pick` selects replaced by UNKNOWN (references stay where they were). */
function blur(graph: readonly GraphResource[], seed: number): GraphResource[] {
    let counter = 0;
    const pick = () => ((++counter * 2654435761 + seed) >>> 0) % 3 === 0;
    const walk = (v: unknown): unknown => {
        if (v === UNKNOWN) return v;
        if (pick()) return UNKNOWN;
        if (Array.isArray(v)) return v.map(walk);
        if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
        return v;
    };
    const blurred = graph.map((r) => ({ ...r, props: Object.fromEntries(Object.entries(r.props).map(([k, v]) => [k, walk(v)])) }));
    return blurred.map((r) => ({ ...r, providerProps: r.provider ? blurred.find((p) => p.urn === r.provider)?.props : undefined }));
}

/** Scale the number of runs (e.g. GRAPH_RULES_RUNS=10 for a longer search). */
const scale = Math.max(1, Number(process.env.GRAPH_RULES_RUNS ?? 1) || 1);

/** The graph rules of every domain (some aws and kubernetes rules are stack rules too). */
const graphRules = [...packGraphRules, ecsServiceMinCapacity, k8sDeploymentReplicas];

const configs = [{}, { requireMultiCloud: true, requireVaultLock: true, minReplicationFactor: 2, requireProtect: false }];

describe("graph rules: properties over random graphs", function () {
    this.timeout(60000);

    it("never throw, whatever the props (unknowns, wrong types, dangling references)", () => {
        fc.assert(
            fc.property(graphArb, (graph) => {
                for (const rule of graphRules) for (const config of configs) rule.check(graph, config);
            }),
            { numRuns: 300 * scale },
        );
    });

    it("report only what they can prove: making values unknown never adds a violation", () => {
        // How often each rule found something before blurring: the property says nothing about a rule that never reports.
        const seen = new Map<string, number>();
        fc.assert(
            fc.property(graphArb, fc.nat(), (graph, seed) => {
                const blurred = blur(graph, seed);
                for (const rule of graphRules) {
                    for (const config of configs) {
                        const before = new Set(rule.check(graph, config).map((f) => f.urn));
                        if (before.size > 0) seen.set(rule.name, (seen.get(rule.name) ?? 0) + 1);
                        const after = rule.check(blurred, config).map((f) => f.urn);
                        const added = after.filter((u) => !before.has(u));
                        expect(added, `${rule.name} ${JSON.stringify(config)}`).to.deep.equal([]);
                    }
                }
            }),
            { numRuns: 300 * scale },
        );
        if (process.env.GRAPH_RULES_COVERAGE) console.log(Object.fromEntries(seen));
    });

    it("report only what they can prove on plausible stacks too (NAT routing, DNS, backups, workloads, data stores)", () => {
        const seen = new Map<string, number>();
        fc.assert(
            fc.property(scenarioStack, fc.nat(), (stack, seed) => {
                const graph = toGraphResources(stack);
                const blurred = blur(graph, seed);
                for (const rule of graphRules) {
                    for (const config of configs) {
                        const before = new Set(rule.check(graph, config).map((f) => f.urn));
                        if (before.size > 0) seen.set(rule.name, (seen.get(rule.name) ?? 0) + 1);
                        const added = rule.check(blurred, config).filter((f) => !before.has(f.urn));
                        expect(added.map((f) => f.message), `${rule.name} ${JSON.stringify(config)}`).to.deep.equal([]);
                    }
                }
            }),
            { numRuns: 200 * scale },
        );
        if (process.env.GRAPH_RULES_COVERAGE) console.log(Object.fromEntries(seen));
        // Every rule found something in some stack: the property is not vacuous for any of them.
        expect(graphRules.map((r) => r.name).filter((n) => !seen.has(n))).to.deep.equal([]);
    });

    it("never fail the analyzer either (the real AnalyzeStack path)", async () => {
        await fc.assert(
            fc.asyncProperty(graphArb, async (graph) => {
                const resources = graph.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props, parent: r.parent, dependencies: r.dependencies, propertyDependencies: r.propertyDependencies, protect: r.protect, provider: r.provider }));
                for (const rule of graphRules) await checkStack(rule, resources);
            }),
            { numRuns: 15 * scale },
        );
    });
});
