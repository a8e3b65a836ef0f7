// Random but plausible stacks for the property tests: the shapes the graph rules look for (VPCs
// with NAT routing, DNS names over sites, backup plans, Kubernetes workloads, data stores), with
// every choice that decides a verdict drawn at random.
import * as fc from "fast-check";
import { GraphResource } from "../../../../policies/lib/graph";
import { from, Ref, TestStack } from "./stack";

const zonePool = ["us-east-1a", "us-east-1b", "us-east-1c"];
const regionPool = ["us-east-1", "us-west-2", "eu-west-1", "(default)"];

function provider(stack: TestStack, region: string): Ref | undefined {
    return region === "(default)" ? undefined : stack.add("pulumi:providers:aws", `p-${region}`, { region });
}

const providersOf = new WeakMap<TestStack, Map<string, Ref | undefined>>();

/** Providers are shared per region and stack: added once. */
function providers(stack: TestStack): (region: string) => Ref | undefined {
    const made = providersOf.get(stack) ?? new Map<string, Ref | undefined>();
    providersOf.set(stack, made);
    return (region) => {
        if (!made.has(region)) made.set(region, provider(stack, region));
        return made.get(region);
    };
}

const network = fc.record({
    zones: fc.array(fc.constantFrom(...zonePool), { minLength: 1, maxLength: 3 }),
    natZones: fc.subarray(zonePool, { minLength: 1 }),
    natFor: fc.array(fc.nat(2), { minLength: 3, maxLength: 3 }),
    inline: fc.boolean(),
    regional: fc.boolean(),
    lbSubnets: fc.array(fc.nat(5), { maxLength: 3 }),
});

function buildNetwork(stack: TestStack, o: typeof network extends fc.Arbitrary<infer T> ? T : never): void {
    const vpc = stack.add("aws:ec2/vpc:Vpc", "vpc", {});
    const nats: Ref[] = o.natZones.map((z, i) => {
        const pub = stack.add("aws:ec2/subnet:Subnet", `pub-${i}`, { vpcId: from(vpc), availabilityZone: z });
        return stack.add("aws:ec2/natGateway:NatGateway", `nat-${i}`, { subnetId: from(pub), ...(o.regional && i === 0 ? { availabilityMode: "regional" } : {}) });
    });
    const subnets: Ref[] = [];
    o.zones.forEach((zone, i) => {
        const nat = nats[o.natFor[i] % nats.length];
        const subnet = stack.add("aws:ec2/subnet:Subnet", `priv-${i}`, { vpcId: from(vpc), availabilityZone: zone });
        subnets.push(subnet);
        const table = stack.add("aws:ec2/routeTable:RouteTable", `rt-${i}`, o.inline ? { routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: from(nat) }] } : {});
        if (!o.inline) stack.add("aws:ec2/route:Route", `route-${i}`, { routeTableId: from(table), natGatewayId: from(nat) });
        stack.add("aws:ec2/routeTableAssociation:RouteTableAssociation", `assoc-${i}`, { routeTableId: from(table), subnetId: from(subnet) });
    });
    if (o.lbSubnets.length > 0) {
        const ids = o.lbSubnets.map((n) => from(subnets[n % subnets.length]));
        stack.add("aws:lb/loadBalancer:LoadBalancer", "lb", { subnets: ids });
        stack.add("aws:eks/nodeGroup:NodeGroup", "nodes", { subnetIds: ids });
    }
}

const dnsRecord = fc.record({
    region: fc.constantFrom(...regionPool),
    target: fc.constantFrom("lb", "eip", "gcp-address", "global-address", "literal"),
    policy: fc.constantFrom("failover", "weighted", "simple"),
    role: fc.constantFrom("PRIMARY", "SECONDARY"),
    weight: fc.nat(2),
    healthCheck: fc.boolean(),
    evaluateTargetHealth: fc.boolean(),
    sharedTarget: fc.boolean(),
    name: fc.constantFrom("www", "api"),
});
const dns = fc.record({ records: fc.array(dnsRecord, { minLength: 1, maxLength: 4 }), privateZone: fc.boolean(), cloudDns: fc.boolean() });

function buildDns(stack: TestStack, o: typeof dns extends fc.Arbitrary<infer T> ? T : never): void {
    const providerFor = providers(stack);
    const vpc = stack.add("aws:ec2/vpc:Vpc", "dns-vpc", {});
    const zone = stack.add("aws:route53/zone:Zone", "zone", { name: "example.com", ...(o.privateZone ? { vpcs: [{ vpcId: from(vpc) }] } : {}) });
    let shared: Ref | undefined;
    o.records.forEach((r, i) => {
        const p = providerFor(r.region);
        let target: Ref | undefined;
        if (r.sharedTarget && shared) target = shared;
        else if (r.target === "lb") target = stack.add("aws:lb/loadBalancer:LoadBalancer", `web-${i}`, {}, { provider: p });
        else if (r.target === "eip") target = stack.add("aws:ec2/eip:Eip", `eip-${i}`, {}, { provider: p });
        else if (r.target === "gcp-address") target = stack.add("gcp:compute/address:Address", `addr-${i}`, { region: "us-central1" });
        else if (r.target === "global-address") target = stack.add("gcp:compute/globalAddress:GlobalAddress", `gaddr-${i}`, {});
        shared = shared ?? target;
        const hc = r.healthCheck && target ? stack.add("aws:route53/healthCheck:HealthCheck", `hc-${i}`, { type: "HTTPS", fqdn: from(target) }) : undefined;
        const answer = target?.type === "aws:lb/loadBalancer:LoadBalancer" ? { aliases: [{ name: from(target), zoneId: from(target), evaluateTargetHealth: r.evaluateTargetHealth }] } : { records: [target ? from(target) : "203.0.113.7"] };
        stack.add("aws:route53/record:Record", `rec-${i}`, {
            zoneId: from(zone),
            name: `${r.name}.example.com`,
            type: "A",
            setIdentifier: `s${i}`,
            ...answer,
            ...(r.policy === "failover" ? { failoverRoutingPolicies: [{ type: r.role }] } : r.policy === "weighted" ? { weightedRoutingPolicies: [{ weight: r.weight }] } : {}),
            ...(hc ? { healthCheckId: from(hc) } : {}),
        });
    });
    if (o.cloudDns) {
        const mz = stack.add("gcp:dns/managedZone:ManagedZone", "mz", { dnsName: "example.org." });
        const address = stack.add("gcp:compute/address:Address", "org", { region: "europe-west1" });
        stack.add("gcp:dns/recordSet:RecordSet", "org", {
            managedZone: from(mz),
            name: "www.example.org.",
            type: "A",
            rrdatas: [from(address)],
            routingPolicy: { wrrs: o.records.map((r) => ({ weight: r.weight, rrdatas: ["203.0.113.1"], ...(r.healthCheck ? { healthCheckedTargets: { internalLoadBalancers: [] } } : {}) })) },
        });
    }
}

const backup = fc.record({
    tables: fc.array(fc.record({ region: fc.constantFrom(...regionPool), tagged: fc.boolean() }), { maxLength: 3 }),
    planRegion: fc.constantFrom(...regionPool),
    copyRegion: fc.option(fc.constantFrom(...regionPool), { nil: undefined }),
    selectByList: fc.array(fc.nat(3), { maxLength: 3 }),
    selectByTag: fc.boolean(),
    lock: fc.boolean(),
    sqlLocation: fc.constantFrom(undefined, "us-central1", "us", "europe-west1"),
    buckets: fc.array(fc.record({ region: fc.constantFrom(...regionPool), versioned: fc.boolean(), replicateTo: fc.option(fc.constantFrom(...regionPool), { nil: undefined }) }), { maxLength: 2 }),
});

function buildBackup(stack: TestStack, o: typeof backup extends fc.Arbitrary<infer T> ? T : never): void {
    const providerFor = providers(stack);
    const tables = o.tables.map((t, i) => stack.add("aws:dynamodb/table:Table", `t${i}`, { hashKey: "id", ...(t.tagged ? { tags: { backup: "daily" } } : {}) }, { provider: providerFor(t.region) }));
    const pp = providerFor(o.planRegion);
    const main = stack.add("aws:backup/vault:Vault", "main", { name: "main" }, { provider: pp });
    const copy = o.copyRegion ? stack.add("aws:backup/vault:Vault", "copy", {}, { provider: providerFor(o.copyRegion) }) : undefined;
    if (o.lock) stack.add("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "lock", { backupVaultName: from(main) });
    const plan = stack.add("aws:backup/plan:Plan", "plan", { rules: [{ ruleName: "daily", targetVaultName: from(main, "main"), ...(copy ? { copyActions: [{ destinationVaultArn: from(copy) }] } : {}) }] }, { provider: pp });
    if (o.selectByList.length > 0 && tables.length > 0) {
        stack.add("aws:backup/selection:Selection", "list", { planId: from(plan), iamRoleArn: "r", resources: o.selectByList.map((n) => from(tables[n % tables.length])) }, { provider: pp });
    }
    if (o.selectByTag) stack.add("aws:backup/selection:Selection", "tags", { planId: from(plan), iamRoleArn: "r", selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] }, { provider: pp });
    stack.add("gcp:sql/databaseInstance:DatabaseInstance", "sql", { region: "us-central1", settings: { availabilityType: "ZONAL", backupConfiguration: { enabled: true, ...(o.sqlLocation ? { location: o.sqlLocation } : {}) } } });
    o.buckets.forEach((b, i) => {
        const p = providerFor(b.region);
        const bucket = stack.add("aws:s3/bucket:Bucket", `b${i}`, {}, { provider: p });
        if (b.versioned) stack.add("aws:s3/bucketVersioning:BucketVersioning", `bv${i}`, { bucket: from(bucket), versioningConfiguration: { status: "Enabled" } }, { provider: p });
        if (b.replicateTo) {
            const dest = stack.add("aws:s3/bucket:Bucket", `b${i}-copy`, {}, { provider: providerFor(b.replicateTo) });
            stack.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", `rc${i}`, { bucket: from(bucket), role: "r", rules: [{ status: "Enabled", destination: { bucket: from(dest) } }] }, { provider: p });
        }
    });
}

const workload = fc.record({
    kind: fc.constantFrom("Deployment", "StatefulSet"),
    replicas: fc.option(fc.nat(4), { nil: undefined }),
    namespace: fc.constantFrom("shop", "data"),
    app: fc.constantFrom("web", "pg"),
    served: fc.boolean(),
    hpaMin: fc.option(fc.nat(3), { nil: undefined }),
});
const kubernetes = fc.record({
    workloads: fc.array(workload, { minLength: 1, maxLength: 3 }),
    pdbs: fc.array(fc.record({ namespace: fc.constantFrom("shop", "data"), app: fc.constantFrom("web", "pg", "api") }), { maxLength: 2 }),
    velero: fc.option(fc.record({ included: fc.subarray(["shop", "data", "*"]), snapshotVolumes: fc.boolean() }), { nil: undefined }),
});

function buildKubernetes(stack: TestStack, o: typeof kubernetes extends fc.Arbitrary<infer T> ? T : never): void {
    o.workloads.forEach((w, i) => {
        const labels = { app: w.app };
        const d = stack.add(`kubernetes:apps/v1:${w.kind}`, `w${i}`, {
            metadata: { name: `w${i}`, namespace: w.namespace },
            spec: { ...(w.replicas === undefined ? {} : { replicas: w.replicas }), template: { metadata: { labels }, spec: { containers: [{ name: "c", image: w.app === "pg" ? "postgres:16" : "nginx" }] } } },
        });
        if (w.served) stack.add("kubernetes:core/v1:Service", `svc${i}`, { metadata: { namespace: w.namespace }, spec: { selector: labels } });
        if (w.hpaMin !== undefined) stack.add("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", `hpa${i}`, { metadata: { namespace: w.namespace }, spec: { scaleTargetRef: { kind: w.kind, name: from(d) }, minReplicas: w.hpaMin, maxReplicas: 10 } });
    });
    o.pdbs.forEach((p, i) => stack.add("kubernetes:policy/v1:PodDisruptionBudget", `pdb${i}`, { metadata: { namespace: p.namespace }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: p.app } } } }));
    if (o.velero) stack.add("kubernetes:velero.io/v1:Schedule", "velero", { spec: { template: { includedNamespaces: o.velero.included, snapshotVolumes: o.velero.snapshotVolumes } } });
}

const data = fc.record({
    rds: fc.array(fc.record({ multiAz: fc.boolean(), replicas: fc.nat(2) }), { maxLength: 2 }),
    aurora: fc.array(fc.array(fc.constantFrom(...zonePool), { maxLength: 3 }), { maxLength: 2 }),
    sql: fc.array(fc.record({ regional: fc.boolean(), replicas: fc.nat(2) }), { maxLength: 2 }),
    alarms: fc.array(fc.record({ on: fc.constantFrom("lb", "hc"), actions: fc.boolean(), region: fc.constantFrom(...regionPool) }), { maxLength: 3 }),
    protect: fc.boolean(),
    ecs: fc.array(fc.record({ desired: fc.option(fc.nat(3), { nil: undefined }), targetMin: fc.option(fc.nat(3), { nil: undefined }) }), { maxLength: 2 }),
});

function buildData(stack: TestStack, o: typeof data extends fc.Arbitrary<infer T> ? T : never): void {
    const providerFor = providers(stack);
    o.rds.forEach((r, i) => {
        const db = stack.add("aws:rds/instance:Instance", `db${i}`, { multiAz: r.multiAz, availabilityZone: "us-east-1a" }, { protect: o.protect });
        for (let j = 0; j < r.replicas; j++) stack.add("aws:rds/instance:Instance", `db${i}-r${j}`, { replicateSourceDb: from(db), availabilityZone: "us-east-1a" });
    });
    o.aurora.forEach((zones, i) => {
        const c = stack.add("aws:rds/cluster:Cluster", `aurora${i}`, { engine: "aurora-postgresql" }, { protect: o.protect });
        zones.forEach((z, j) => stack.add("aws:rds/clusterInstance:ClusterInstance", `aurora${i}-${j}`, { clusterIdentifier: from(c), availabilityZone: z }));
    });
    o.sql.forEach((s, i) => {
        const db = stack.add("gcp:sql/databaseInstance:DatabaseInstance", `sql${i}`, { settings: { availabilityType: s.regional ? "REGIONAL" : "ZONAL" } });
        for (let j = 0; j < s.replicas; j++) stack.add("gcp:sql/databaseInstance:DatabaseInstance", `sql${i}-r${j}`, { masterInstanceName: from(db) });
    });
    o.ecs.forEach((e, i) => {
        const svc = stack.add("aws:ecs/service:Service", `svc${i}`, { name: `svc${i}`, ...(e.desired === undefined ? {} : { desiredCount: e.desired }), deploymentCircuitBreaker: { enable: true, rollback: true } });
        if (e.targetMin !== undefined) stack.add("aws:appautoscaling/target:Target", `svc${i}-scaling`, { resourceId: from(svc), scalableDimension: "ecs:service:DesiredCount", serviceNamespace: "ecs", minCapacity: e.targetMin, maxCapacity: 6 });
    });
    const lb = stack.add("aws:lb/loadBalancer:LoadBalancer", "alb", {});
    const hc = stack.add("aws:route53/healthCheck:HealthCheck", "hc", { type: "HTTPS" });
    o.alarms.forEach((a, i) =>
        stack.add(
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            `alarm${i}`,
            { dimensions: a.on === "lb" ? { LoadBalancer: from(lb) } : { HealthCheckId: from(hc) }, alarmActions: a.actions ? ["arn:aws:sns:us-east-1:1:t"] : [] },
            { provider: providerFor(a.region) },
        ),
    );
}

const vm = fc.record({ cloud: fc.constantFrom("aws", "gcp"), db: fc.boolean(), publicIp: fc.boolean(), dns: fc.boolean(), backup: fc.constantFrom("none", "plan", "dlm") });
const machines = fc.record({ vms: fc.array(vm, { minLength: 1, maxLength: 2 }), asg: fc.boolean() });

function buildMachines(stack: TestStack, o: typeof machines extends fc.Arbitrary<infer T> ? T : never): void {
    const zone = stack.add("aws:route53/zone:Zone", "vm-zone", { name: "vm.example.com" });
    if (o.asg) stack.add("aws:autoscaling/group:Group", "asg", { minSize: 2, maxSize: 4 });
    o.vms.forEach((m, i) => {
        if (m.cloud === "aws") {
            const script = m.db ? "#!/bin/bash\napt-get install -y postgresql\n" : "#!/bin/bash\necho ready\n";
            const machine = stack.add("aws:ec2/instance:Instance", `vm${i}`, { ami: "ami-1", instanceType: "t3.small", availabilityZone: "us-east-1a", tags: { backup: "daily" }, userData: script });
            const eip = m.publicIp ? stack.add("aws:ec2/eip:Eip", `vm${i}-ip`, { instance: from(machine), domain: "vpc" }) : undefined;
            if (m.dns) stack.add("aws:route53/record:Record", `vm${i}-a`, { zoneId: from(zone), name: `vm${i}.vm.example.com`, type: "A", ttl: 300, records: [from(eip ?? machine)] });
            if (m.backup === "plan") {
                const vault = stack.add("aws:backup/vault:Vault", `vm${i}-vault`, {});
                const plan = stack.add("aws:backup/plan:Plan", `vm${i}-plan`, { rules: [{ ruleName: "daily", targetVaultName: from(vault) }] });
                stack.add("aws:backup/selection:Selection", `vm${i}-sel`, { planId: from(plan), iamRoleArn: "arn:aws:iam::1:role/b", resources: [from(machine)] });
            }
            if (m.backup === "dlm") stack.add("aws:dlm/lifecyclePolicy:LifecyclePolicy", `vm${i}-dlm`, { description: "d", executionRoleArn: "r", policyDetails: { resourceTypes: ["INSTANCE"], targetTags: { backup: "daily" } } });
        } else {
            const machine = stack.add("gcp:compute/instance:Instance", `vm${i}`, {
                zone: "us-central1-a",
                machineType: "e2-small",
                metadataStartupScript: m.db ? "apt-get install -y mysql-server" : "echo ready",
                networkInterfaces: [{ network: "default", accessConfigs: m.publicIp ? [{}] : [] }],
            });
            if (m.backup !== "none") stack.add("gcp:compute/diskResourcePolicyAttachment:DiskResourcePolicyAttachment", `vm${i}-snap`, { disk: from(machine), name: "daily", zone: "us-central1-a" });
        }
    });
}

const clusters = fc.record({
    gke: fc.option(fc.record({ removeDefault: fc.boolean(), defaultSpot: fc.boolean(), pools: fc.array(fc.boolean(), { maxLength: 2 }) }), { nil: undefined }),
    eks: fc.option(fc.array(fc.constantFrom("SPOT", "ON_DEMAND"), { minLength: 1, maxLength: 2 }), { nil: undefined }),
});

function buildClusters(stack: TestStack, o: typeof clusters extends fc.Arbitrary<infer T> ? T : never): void {
    if (o.gke) {
        const c = stack.add("gcp:container/cluster:Cluster", "gke", { location: "us-central1", removeDefaultNodePool: o.gke.removeDefault, initialNodeCount: 1, nodeConfig: { spot: o.gke.defaultSpot } });
        o.gke.pools.forEach((spot, i) => stack.add("gcp:container/nodePool:NodePool", `gke-pool${i}`, { cluster: from(c), nodeCount: 1, nodeConfig: { preemptible: spot } }));
    }
    if (o.eks) {
        const c = stack.add("aws:eks/cluster:Cluster", "eks", { roleArn: "r", vpcConfig: { subnetIds: ["subnet-a", "subnet-b"] } });
        o.eks.forEach((capacityType, i) => stack.add("aws:eks/nodeGroup:NodeGroup", `eks-ng${i}`, { clusterName: from(c), capacityType, nodeRoleArn: "r", subnetIds: ["subnet-a", "subnet-b"] }));
    }
}

const opaque = fc.subarray(["helm", "component", "opensearch", "custom-resource"]);

function buildOpaque(stack: TestStack, kinds: readonly string[]): void {
    if (kinds.includes("helm")) stack.add("kubernetes:helm.sh/v3:Release", "pg", { chart: "postgresql", repositoryOpts: { repo: "https://charts.bitnami.com/bitnami" } });
    if (kinds.includes("component")) stack.add("eks:index:Cluster", "eks-component", { desiredCapacity: 2 });
    if (kinds.includes("opensearch")) stack.add("aws:opensearch/domain:Domain", "search", { engineVersion: "OpenSearch_2.11" });
    if (kinds.includes("custom-resource")) stack.add("kubernetes:redis.redis.opstreelabs.in/v1beta2:RedisCluster", "cache", { spec: { clusterSize: 3 } });
}

/** A stack made of some of the scenarios. */
export const scenarioStack: fc.Arbitrary<TestStack> = fc
    .record({
        network: fc.option(network, { nil: undefined }),
        dns: fc.option(dns, { nil: undefined }),
        backup: fc.option(backup, { nil: undefined }),
        kubernetes: fc.option(kubernetes, { nil: undefined }),
        data: fc.option(data, { nil: undefined }),
        machines: fc.option(machines, { nil: undefined }),
        clusters: fc.option(clusters, { nil: undefined }),
        opaque: fc.option(opaque, { nil: undefined }),
    })
    .map((o) => {
        const stack = new TestStack();
        if (o.network) buildNetwork(stack, o.network);
        if (o.dns) buildDns(stack, o.dns);
        if (o.backup) buildBackup(stack, o.backup);
        if (o.kubernetes) buildKubernetes(stack, o.kubernetes);
        if (o.data) buildData(stack, o.data);
        if (o.machines) buildMachines(stack, o.machines);
        if (o.clusters) buildClusters(stack, o.clusters);
        if (o.opaque) buildOpaque(stack, o.opaque);
        return stack;
    });

/** A test stack as the rules' graph (provider props looked up as the pack does). */
export function toGraphResources(stack: TestStack): GraphResource[] {
    const byUrn = new Map(stack.resources.map((r) => [r.urn ?? "", r]));
    return stack.resources.map((r) => ({
        type: r.type,
        name: r.name ?? "",
        urn: r.urn ?? "",
        props: r.props as Record<string, unknown>,
        parent: r.parent,
        dependencies: r.dependencies ?? [],
        propertyDependencies: r.propertyDependencies ?? {},
        provider: r.provider,
        providerProps: r.provider ? (byUrn.get(r.provider)?.props as Record<string, unknown> | undefined) : undefined,
        protect: r.protect ?? false,
    }));
}

