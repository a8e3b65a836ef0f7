// Resilience designs built as the engine would see them (resources with parents, providers and
// property dependencies; ids unknown as at preview), for the model, the budget policy and the
// report tests. Every builder returns URNs so a test can wire designs together.
import { GraphResource } from "../../../policies/lib/graph";
import { testResource, TestResource, toGraph, UNKNOWN } from "../../harness";

export class Design {
    readonly resources: TestResource[] = [];

    add(type: string, name: string, props: Record<string, unknown>, o: { parent?: string; provider?: string; deps?: Record<string, readonly string[]> } = {}): string {
        const parentType = o.parent ? o.parent.split("::")[2] : undefined;
        const urn = `urn:pulumi:test::nonstop::${parentType ? `${parentType}$` : ""}${type}::${name}`;
        const deps = o.deps ?? {};
        this.resources.push({ type, name, urn, props, parent: o.parent, provider: o.provider, propertyDependencies: deps, dependencies: [...new Set(Object.values(deps).flat())] });
        return urn;
    }

    /** Makes property `prop` of `urn` come from `targets` (a dependency added after the resource). */
    link(urn: string, prop: string, targets: readonly string[]): void {
        const r = this.resources.find((x) => x.urn === urn) as { propertyDependencies: Record<string, readonly string[]>; dependencies: string[] } | undefined;
        if (!r) throw new Error(`no resource ${urn}`);
        r.propertyDependencies = { ...r.propertyDependencies, [prop]: [...targets] };
        r.dependencies = [...new Set([...r.dependencies, ...targets])];
    }

    component(type: string, name: string, parent?: string): string {
        return this.add(type, name, {}, { parent });
    }

    provider(pkg: "aws" | "gcp" | "kubernetes", name: string, props: Record<string, unknown>): string {
        return this.add(`pulumi:providers:${pkg}`, name, props);
    }

    /** The resources as the model reads them (through the same conversion the preview uses). */
    graph(): GraphResource[] {
        return toGraph(this.resources.map(testResource));
    }
}

// ---------------------------------------------------------------------------------------------
// AWS
// ---------------------------------------------------------------------------------------------

export type AwsDb =
    | { readonly kind: "aurora-global-writer"; readonly instances?: number }
    | { readonly kind: "aurora-global-secondary"; readonly global: string; readonly writer: string; readonly instances?: number }
    | { readonly kind: "aurora"; readonly instances?: number }
    | { readonly kind: "rds"; readonly multiAz: boolean };

/**
 * How the site's app reaches its database (contract C1): its task definition's containerDefinitions
 * is built from the site's own cluster ("own"), from the global cluster ("global": the global
 * writer endpoint), or from nothing visible ("none", the default).
 */
export type AppWiringSpec = "own" | "global" | "none";

export interface AwsSiteSpec {
    readonly name: string;
    readonly region: string;
    /** ECS desiredCount (0 = pilot light). */
    readonly tasks: number;
    /** @default "none" */
    readonly app?: AppWiringSpec;
    /** Image the task definition runs (a known containerDefinitions string). @default none */
    readonly image?: string;
    /** The load balancer answers this path itself (a fixed-response listener rule: contract C3). */
    readonly lbProbePath?: string;
    /** enableGlobalWriteForwarding on an Aurora global secondary. */
    readonly writeForwarding?: boolean;
    /** Availability zones of the site's subnets. @default 3 */
    readonly zones?: number;
    readonly db?: AwsDb;
    /** AWS Backup plan over the site's database. */
    readonly backup?: { readonly schedule: string; readonly copyRegion?: string };
}

export interface AwsSiteUrns {
    readonly component: string;
    readonly provider: string;
    readonly lb: string;
    readonly ecs: string;
    readonly db?: string;
    readonly global?: string;
    readonly taskDefinition: string;
    readonly scalingTarget: string;
}

export function awsSite(d: Design, spec: AwsSiteSpec, parent?: string): AwsSiteUrns {
    const provider = d.provider("aws", `${spec.name}-provider`, { region: spec.region });
    const component = d.component("acme:site:Region", spec.name, parent);
    const o = { parent: component, provider };
    const zones = spec.zones ?? 3;
    const subnets = Array.from({ length: zones }, (_, i) => d.add("aws:ec2/subnet:Subnet", `${spec.name}-private-${i}`, { vpcId: UNKNOWN, cidrBlock: `10.0.${i}.0/24`, availabilityZone: `${spec.region}${"abc"[i]}` }, o));
    const lb = d.add("aws:lb/loadBalancer:LoadBalancer", `${spec.name}-alb`, { loadBalancerType: "application", subnets: subnets.map(() => UNKNOWN) }, { ...o, deps: { subnets } });
    const tg = d.add("aws:lb/targetGroup:TargetGroup", `${spec.name}-tg`, { port: 8080, protocol: "HTTP", targetType: "ip", healthCheck: { path: "/healthz" } }, o);
    if (spec.lbProbePath) {
        const listener = d.add("aws:lb/listener:Listener", `${spec.name}-https`, { loadBalancerArn: UNKNOWN, port: 443, protocol: "HTTPS", defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] }, { ...o, deps: { loadBalancerArn: [lb], defaultActions: [tg] } });
        d.add(
            "aws:lb/listenerRule:ListenerRule",
            `${spec.name}-lb-probe`,
            { listenerArn: UNKNOWN, priority: 5, conditions: [{ pathPattern: { values: [spec.lbProbePath] } }], actions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200" } }] },
            { ...o, deps: { listenerArn: [listener] } },
        );
    }
    const taskDefinition = d.add(
        "aws:ecs/taskDefinition:TaskDefinition",
        `${spec.name}-task`,
        { family: spec.name, containerDefinitions: spec.image ? JSON.stringify([{ name: "app", image: spec.image }]) : UNKNOWN },
        o,
    );
    const ecs = d.add(
        "aws:ecs/service:Service",
        `${spec.name}-svc`,
        { launchType: "FARGATE", desiredCount: spec.tasks, taskDefinition: UNKNOWN, networkConfiguration: { subnets: subnets.map(() => UNKNOWN) }, loadBalancers: [{ targetGroupArn: UNKNOWN, containerPort: 8080 }] },
        { ...o, deps: { taskDefinition: [taskDefinition], networkConfiguration: subnets, loadBalancers: [tg] } },
    );
    const scalingTarget = d.add("aws:appautoscaling/target:Target", `${spec.name}-scaling`, { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId: UNKNOWN, minCapacity: spec.tasks, maxCapacity: 10 }, { ...o, deps: { resourceId: [ecs] } });
    let db: string | undefined;
    let global: string | undefined;
    const instances = (cluster: string, n: number) => {
        for (let i = 0; i < n; i++) d.add("aws:rds/clusterInstance:ClusterInstance", `${spec.name}-db-${i}`, { clusterIdentifier: UNKNOWN, instanceClass: "db.r6g.large", engine: "aurora-postgresql" }, { ...o, deps: { clusterIdentifier: [cluster] } });
    };
    switch (spec.db?.kind) {
        case "aurora-global-writer":
            global = d.add("aws:rds/globalCluster:GlobalCluster", `${spec.name}-global`, { globalClusterIdentifier: `${spec.name}-global`, engine: "aurora-postgresql" }, o);
            db = d.add("aws:rds/cluster:Cluster", `${spec.name}-db`, { engine: "aurora-postgresql", masterUsername: "app", masterPassword: UNKNOWN, globalClusterIdentifier: UNKNOWN }, { ...o, deps: { globalClusterIdentifier: [global] } });
            instances(db, spec.db.instances ?? 2);
            break;
        case "aurora-global-secondary":
            global = spec.db.global;
            db = d.add(
                "aws:rds/cluster:Cluster",
                `${spec.name}-db`,
                { engine: "aurora-postgresql", globalClusterIdentifier: UNKNOWN, ...(spec.writeForwarding ? { enableGlobalWriteForwarding: true } : {}) },
                { ...o, deps: { globalClusterIdentifier: [spec.db.global, spec.db.writer] } },
            );
            instances(db, spec.db.instances ?? 2);
            break;
        case "aurora":
            db = d.add("aws:rds/cluster:Cluster", `${spec.name}-db`, { engine: "aurora-postgresql", masterUsername: "app", masterPassword: UNKNOWN }, o);
            instances(db, spec.db.instances ?? 2);
            break;
        case "rds":
            db = d.add("aws:rds/instance:Instance", `${spec.name}-db`, { engine: "postgres", instanceClass: "db.m6g.large", multiAz: spec.db.multiAz }, o);
            break;
    }
    if (spec.backup && db) {
        const vault = d.add("aws:backup/vault:Vault", `${spec.name}-vault`, {}, o);
        const copyVault = spec.backup.copyRegion
            ? d.add("aws:backup/vault:Vault", `${spec.name}-vault-copy`, {}, { parent: component, provider: d.provider("aws", `${spec.name}-copy-provider`, { region: spec.backup.copyRegion }) })
            : undefined;
        const plan = d.add(
            "aws:backup/plan:Plan",
            `${spec.name}-backup`,
            { rules: [{ ruleName: "scheduled", targetVaultName: UNKNOWN, schedule: spec.backup.schedule, copyActions: copyVault ? [{ destinationVaultArn: UNKNOWN }] : [] }] },
            { ...o, deps: { rules: copyVault ? [vault, copyVault] : [vault] } },
        );
        d.add("aws:backup/selection:Selection", `${spec.name}-backup`, { planId: UNKNOWN, iamRoleArn: UNKNOWN, resources: [UNKNOWN] }, { ...o, deps: { planId: [plan], resources: [db] } });
    }
    // The app's environment is built from its data endpoint (C1): a dependency of containerDefinitions.
    const wiring = spec.app === "own" ? db : spec.app === "global" ? global : undefined;
    if (wiring) d.link(taskDefinition, "containerDefinitions", [wiring]);
    return { component, provider, lb, ecs, db, global, taskDefinition, scalingTarget };
}

/**
 * A function started by an EventBridge schedule (contracts C2, C3, C4), in `region`, whose role's
 * policy allows `actions` (a known document, or UNKNOWN with the same dependencies as at preview),
 * built from the `about` resources (environment and policy).
 */
export function scheduledFunction(
    d: Design,
    o: {
        readonly name: string;
        readonly region: string;
        readonly actions: readonly string[];
        readonly about: readonly string[];
        readonly schedule?: string;
        readonly env?: Readonly<Record<string, unknown>>;
        /** Leave the policy document unknown (as at preview when it names ARNs of new resources). */
        readonly unknownPolicy?: boolean;
        readonly parent?: string;
    },
): { fn: string; rule: string; role: string } {
    const provider = d.provider("aws", `${o.name}-provider`, { region: o.region });
    const opts = { parent: o.parent, provider };
    const role = d.add("aws:iam/role:Role", `${o.name}-role`, { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }) }, opts);
    const document = o.unknownPolicy ? UNKNOWN : JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [...o.actions], Resource: "*" }] });
    d.add("aws:iam/rolePolicy:RolePolicy", `${o.name}-policy`, { role: UNKNOWN, policy: document }, { ...opts, deps: { role: [role], policy: [...o.about] } });
    const variables: Record<string, unknown> = { ...(o.env ?? {}) };
    for (const u of o.about) variables[`REF_${u.split("::").pop()?.replace(/[^A-Za-z0-9]/g, "_").toUpperCase()}`] = UNKNOWN;
    const fn = d.add("aws:lambda/function:Function", `${o.name}`, { runtime: "nodejs20.x", handler: "index.handler", role: UNKNOWN, environment: { variables } }, { ...opts, deps: { role: [role], environment: [...o.about] } });
    const rule = d.add("aws:cloudwatch/eventRule:EventRule", `${o.name}-schedule`, { scheduleExpression: o.schedule ?? "rate(1 minute)" }, opts);
    d.add("aws:cloudwatch/eventTarget:EventTarget", `${o.name}-target`, { rule: UNKNOWN, arn: UNKNOWN }, { ...opts, deps: { rule: [rule], arn: [fn] } });
    return { fn, rule, role };
}

export interface Route53Target {
    readonly key: string;
    readonly role?: "PRIMARY" | "SECONDARY";
    readonly weight?: number;
    /** Alias to this load balancer. */
    readonly lb?: string;
    /** A plain A record: the address value and the resource it comes from (omit `from` for a literal). */
    readonly ip?: { readonly value: unknown; readonly from?: string };
    /** Health check settings; `false` for no health check; "absent" leaves the property unset. @default { interval: 30, threshold: 3, path: "/healthz" } */
    readonly check?: false | { readonly interval?: unknown; readonly threshold?: unknown; readonly path?: string };
}

/** Route 53 records of one name, each with its own health check, in a DNS component. */
export function route53(d: Design, name: string, targets: readonly Route53Target[], o: { readonly ttl?: number; readonly parent?: string } = {}): { component: string; records: string[]; checks: string[] } {
    const component = d.component("acme:dns:Failover", `${name}-dns`, o.parent);
    const records: string[] = [];
    const checks: string[] = [];
    for (const t of targets) {
        let hc: string | undefined;
        if (t.check !== false) {
            const c = t.check ?? {};
            const props: Record<string, unknown> = { type: "HTTPS", resourcePath: c.path ?? "/healthz", port: 443, fqdn: UNKNOWN };
            if (c.interval !== "absent") props.requestInterval = c.interval === undefined ? 30 : c.interval;
            if (c.threshold !== "absent") props.failureThreshold = c.threshold === undefined ? 3 : c.threshold;
            hc = d.add("aws:route53/healthCheck:HealthCheck", `${name}-${t.key}-hc`, props, { parent: component, deps: t.lb ? { fqdn: [t.lb] } : {} });
            checks.push(hc);
        }
        const props: Record<string, unknown> = { zoneId: "Z123", name, type: "A", setIdentifier: t.key };
        const deps: Record<string, string[]> = {};
        if (hc) {
            props.healthCheckId = UNKNOWN;
            deps.healthCheckId = [hc];
        }
        if (t.role) props.failoverRoutingPolicies = [{ type: t.role }];
        if (t.weight !== undefined) props.weightedRoutingPolicies = [{ weight: t.weight }];
        if (t.lb) {
            props.aliases = [{ name: UNKNOWN, zoneId: UNKNOWN, evaluateTargetHealth: true }];
            deps.aliases = [t.lb];
        } else if (t.ip) {
            props.records = [t.ip.value];
            props.ttl = o.ttl ?? 60;
            if (t.ip.from) deps.records = [t.ip.from];
        }
        records.push(d.add("aws:route53/record:Record", `${name}-${t.key}`, props, { parent: component, deps }));
    }
    return { component, records, checks };
}

/**
 * What starts the promotion of an Aurora global secondary when the writer's site fails:
 * - `{ minutes }`: a CloudWatch alarm (us-east-1) on the writer's health check, `minutes` one-minute
 *   periods, notifying an SNS topic a Lambda function in the secondary's region subscribes to;
 * - "manual": the same resources, but the alarm has no actions (nonstop's `enabled: false`, a drill);
 * - "people": the alarm notifies a topic with only an email subscription;
 * - "none": no alarm at all.
 */
export type Promotion = { readonly minutes: number } | "manual" | "people" | "none";

export function promotion(
    d: Design,
    how: Promotion,
    o: { readonly name: string; readonly healthCheck: string; readonly targetRegion: string; readonly parent?: string; readonly about?: readonly string[] },
): { alarm?: string; topic?: string; fn?: string } {
    if (how === "none") return {};
    const component = d.component("acme:data:Promote", `${o.name}-promote`, o.parent);
    const east = { parent: component };
    const topic = d.add("aws:sns/topic:Topic", `${o.name}-promote`, { region: "us-east-1" }, east);
    let fn: string | undefined;
    if (how === "people") {
        d.add("aws:sns/topicSubscription:TopicSubscription", `${o.name}-oncall`, { region: "us-east-1", topic: UNKNOWN, protocol: "email", endpoint: "oncall@example.com" }, { ...east, deps: { topic: [topic] } });
    } else {
        // As nonstop's GlobalDatabaseFailover at preview: the role's policy is unknown, built from the global cluster and its members.
        const role = d.add("aws:iam/role:Role", `${o.name}-promote`, { assumeRolePolicy: "{}" }, east);
        d.add("aws:iam/rolePolicy:RolePolicy", `${o.name}-promote-failover`, { role: UNKNOWN, policy: UNKNOWN }, { ...east, deps: { role: [role], policy: [...(o.about ?? []), o.healthCheck] } });
        fn = d.add(
            "aws:lambda/function:Function",
            `${o.name}-promote`,
            { region: o.targetRegion, runtime: "nodejs20.x", handler: "index.handler", role: UNKNOWN, environment: { variables: { GLOBAL_CLUSTER_ID: UNKNOWN } } },
            { ...east, deps: { role: [role], environment: [...(o.about ?? [])] } },
        );
        d.add("aws:sns/topicSubscription:TopicSubscription", `${o.name}-promote`, { region: "us-east-1", topic: UNKNOWN, protocol: "lambda", endpoint: UNKNOWN }, { ...east, deps: { topic: [topic], endpoint: [fn] } });
    }
    const minutes = typeof how === "object" ? how.minutes : 3;
    const armed = how !== "manual";
    const alarm = d.add(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        `${o.name}-writer-down`,
        {
            region: "us-east-1",
            namespace: "AWS/Route53",
            metricName: "HealthCheckStatus",
            dimensions: { HealthCheckId: UNKNOWN },
            statistic: "Minimum",
            period: 60,
            evaluationPeriods: minutes,
            datapointsToAlarm: minutes,
            threshold: 1,
            comparisonOperator: "LessThanThreshold",
            alarmActions: armed ? [UNKNOWN] : [],
        },
        { ...east, deps: { dimensions: [o.healthCheck], ...(armed ? { alarmActions: [topic] } : {}) } },
    );
    return { alarm, topic, fn };
}

// ---------------------------------------------------------------------------------------------
// GCP
// ---------------------------------------------------------------------------------------------

export interface GcpSiteSpec {
    readonly name: string;
    readonly region: string;
    readonly minInstances: number;
    readonly sql?: { readonly availability: "REGIONAL" | "ZONAL"; readonly edition?: "ENTERPRISE" | "ENTERPRISE_PLUS"; readonly replicaOf?: string; readonly backups?: boolean };
    /** The Cloud Run template is built from the Cloud SQL instance (C1). */
    readonly appToSql?: boolean;
}

export function gcpSite(d: Design, spec: GcpSiteSpec, parent?: string): { component: string; address: string; run: string; sql?: string } {
    const provider = d.provider("gcp", `${spec.name}-provider`, { project: "acme-prod", region: spec.region });
    const component = d.component("acme:site:GcpRegion", spec.name, parent);
    const o = { parent: component, provider };
    const run = d.add("gcp:cloudrunv2/service:Service", `${spec.name}-run`, { location: spec.region, template: { scaling: { minInstanceCount: spec.minInstances, maxInstanceCount: 10 }, containers: [{ image: "app" }] } }, o);
    const neg = d.add("gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup", `${spec.name}-neg`, { region: spec.region, networkEndpointType: "SERVERLESS", cloudRun: { service: UNKNOWN } }, { ...o, deps: { cloudRun: [run] } });
    const backend = d.add("gcp:compute/backendService:BackendService", `${spec.name}-backend`, { backends: [{ group: UNKNOWN }] }, { ...o, deps: { backends: [neg] } });
    const address = d.add("gcp:compute/globalAddress:GlobalAddress", `${spec.name}-ip`, { addressType: "EXTERNAL" }, o);
    d.add("gcp:compute/globalForwardingRule:GlobalForwardingRule", `${spec.name}-https`, { ipAddress: UNKNOWN, portRange: "443", target: UNKNOWN }, { ...o, deps: { ipAddress: [address], target: [backend] } });
    let sql: string | undefined;
    if (spec.sql) {
        const settings: Record<string, unknown> = { tier: "db-custom-2-7680", availabilityType: spec.sql.availability };
        if (spec.sql.edition) settings.edition = spec.sql.edition;
        if (spec.sql.backups) settings.backupConfiguration = { enabled: true, startTime: "03:00", pointInTimeRecoveryEnabled: true };
        const props: Record<string, unknown> = { region: spec.region, databaseVersion: "POSTGRES_16", settings };
        const deps: Record<string, string[]> = {};
        if (spec.sql.replicaOf) {
            props.masterInstanceName = UNKNOWN;
            deps.masterInstanceName = [spec.sql.replicaOf];
        }
        sql = d.add("gcp:sql/databaseInstance:DatabaseInstance", `${spec.name}-sql`, props, { ...o, deps });
        if (spec.appToSql) d.link(run, "template", [sql]);
    }
    return { component, address, run, sql };
}

export interface CloudDnsTarget {
    readonly address: string;
    readonly role?: "primary" | "secondary";
    readonly weight?: number;
    /** Backup geo location (primaryBackup secondaries). */
    readonly location?: string;
}

/** One Cloud DNS record set with a health-checked routing policy; addresses unknown (preview). */
export function cloudDns(d: Design, name: string, mode: "failover" | "weighted", targets: readonly CloudDnsTarget[], o: { readonly ttl?: number; readonly interval?: number; readonly threshold?: number } = {}): { recordSet: string; check: string } {
    const component = d.component("acme:dns:CloudDnsFailover", `${name}-dns`);
    const check = d.add(
        "gcp:compute/healthCheck:HealthCheck",
        `${name}-hc`,
        { checkIntervalSec: o.interval ?? 30, unhealthyThreshold: o.threshold ?? 2, timeoutSec: 10, sourceRegions: ["us-east1", "europe-west1", "asia-east1"], httpsHealthCheck: { port: 443, requestPath: "/healthz" } },
        { parent: component },
    );
    const routingPolicy =
        mode === "weighted"
            ? { healthCheck: UNKNOWN, wrrs: targets.map((t) => ({ weight: t.weight ?? 1, healthCheckedTargets: { externalEndpoints: [UNKNOWN] } })) }
            : {
                  healthCheck: UNKNOWN,
                  primaryBackup: {
                      primary: { externalEndpoints: [UNKNOWN] },
                      backupGeos: targets.filter((t) => t.role === "secondary").map((t) => ({ location: t.location, healthCheckedTargets: { externalEndpoints: [UNKNOWN] } })),
                      trickleRatio: 0,
                  },
              };
    const recordSet = d.add(
        "gcp:dns/recordSet:RecordSet",
        `${name}-record`,
        { managedZone: "acme-zone", name: `${name}.`, type: "A", ttl: o.ttl ?? 30, routingPolicy },
        { parent: component, deps: { routingPolicy: [check, ...targets.map((t) => t.address)] } },
    );
    return { recordSet, check };
}

// ---------------------------------------------------------------------------------------------
// Kubernetes
// ---------------------------------------------------------------------------------------------

export interface KubernetesSiteSpec {
    readonly name: string;
    /** kubeconfig context. */
    readonly context: string;
    readonly replicas: number;
    /** Static IP the ingress controller's LoadBalancer Service holds. */
    readonly loadBalancerIp: string;
    readonly statefulSet?: { readonly replicas: number; readonly upstream?: string };
    /** Velero schedule (cron). */
    readonly velero?: string;
}

export function kubernetesSite(d: Design, spec: KubernetesSiteSpec, parent?: string): { component: string; service: string; statefulSet?: string } {
    const provider = d.provider("kubernetes", `${spec.name}-k8s`, { context: spec.context });
    const component = d.component("acme:site:Cluster", spec.name, parent);
    const o = { parent: component, provider };
    d.add("kubernetes:apps/v1:Deployment", `${spec.name}-app`, { metadata: { name: "app", namespace: "shop" }, spec: { replicas: spec.replicas, template: { spec: { containers: [{ image: "app" }] } } } }, o);
    const service = d.add("kubernetes:core/v1:Service", `${spec.name}-lb`, { metadata: { name: "app-lb", namespace: "shop" }, spec: { type: "LoadBalancer", loadBalancerIP: spec.loadBalancerIp, ports: [{ port: 443 }] } }, o);
    let statefulSet: string | undefined;
    if (spec.statefulSet) {
        const deps: Record<string, string[]> = spec.statefulSet.upstream ? { spec: [spec.statefulSet.upstream] } : {};
        statefulSet = d.add(
            "kubernetes:apps/v1:StatefulSet",
            `${spec.name}-db`,
            { metadata: { name: "db", namespace: "shop" }, spec: { replicas: spec.statefulSet.replicas, template: { spec: { containers: [{ image: "postgres:16", env: spec.statefulSet.upstream ? [{ name: "UPSTREAM_HOST", value: UNKNOWN }] : [] }] } } } },
            { ...o, deps },
        );
    }
    if (spec.velero) {
        d.add("kubernetes:velero.io/v1:Schedule", `${spec.name}-velero`, { metadata: { name: "shop", namespace: "velero" }, spec: { schedule: spec.velero, template: { includedNamespaces: ["shop"], ttl: "720h0m0s" } } }, o);
    }
    return { component, service, statefulSet };
}

// ---------------------------------------------------------------------------------------------
// Whole designs
// ---------------------------------------------------------------------------------------------

/**
 * Active-passive on AWS: Aurora global database, warm standby (or pilot light with standbyTasks 0),
 * the secondary promoted by an alarm of 3 one-minute periods unless `promotion` says otherwise.
 */
export function awsActivePassive(
    o: {
        readonly standbyTasks?: number;
        readonly interval?: unknown;
        readonly threshold?: unknown;
        readonly promotion?: Promotion;
        /** Apps of both sites wired to ("global" for the C1 shape). @default "none" */
        readonly app?: AppWiringSpec;
        /** The standby's load balancer answers the DNS probe path itself (C3). */
        readonly lbProbe?: boolean;
        readonly standbyImage?: string;
    } = {},
): { d: Design; primary: AwsSiteUrns; secondary: AwsSiteUrns; records: string[]; checks: string[]; svc: string } {
    const d = new Design();
    const svc = d.component("acme:service:Checkout", "checkout");
    const primary = awsSite(d, { name: "use1", region: "us-east-1", tasks: 3, db: { kind: "aurora-global-writer" }, app: o.app }, svc);
    const probe = o.lbProbe ? "/.lb-probe" : undefined;
    const secondary = awsSite(
        d,
        { name: "usw2", region: "us-west-2", tasks: o.standbyTasks ?? 2, db: { kind: "aurora-global-secondary", global: primary.global as string, writer: primary.db as string }, app: o.app, lbProbePath: probe, image: o.standbyImage },
        svc,
    );
    const { records, checks } = route53(d, "checkout.example.com", [
        { key: "use1", role: "PRIMARY", lb: primary.lb, check: { interval: o.interval, threshold: o.threshold } },
        { key: "usw2", role: "SECONDARY", lb: secondary.lb, check: probe ? { path: probe } : undefined },
    ]);
    promotion(d, o.promotion ?? { minutes: 3 }, { name: "checkout", healthCheck: checks[0], targetRegion: "us-west-2", parent: svc, about: [primary.global as string, primary.db as string, secondary.db as string] });
    return { d, primary, secondary, records, checks, svc };
}

/** The C2 shape: a function in us-west-2 on a one-minute schedule, probing the writer, allowed to fail the global database over. */
export function promotionFromStandbyRegion(d: Design, ap: { primary: AwsSiteUrns; secondary: AwsSiteUrns }, o: { readonly failures?: number; readonly schedule?: string; readonly unknownPolicy?: boolean } = {}): string {
    return scheduledFunction(d, {
        name: "checkout-promote",
        region: "us-west-2",
        actions: ["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster", "rds:DescribeGlobalClusters"],
        about: [ap.primary.global as string, ap.primary.db as string, ap.secondary.db as string],
        schedule: o.schedule,
        env: o.failures !== undefined ? { FAILURE_THRESHOLD: String(o.failures) } : {},
        unknownPolicy: o.unknownPolicy,
    }).fn;
}

/**
 * Active-active on AWS over `regions`: weighted records; Aurora global writer in the first region,
 * promoted by an alarm of 3 one-minute periods unless `promotion` says otherwise.
 */
export function awsActiveActive(
    regions: readonly string[],
    o: { readonly promotion?: Promotion; readonly app?: AppWiringSpec; readonly writeForwarding?: boolean; readonly interval?: number; readonly threshold?: number } = {},
): Design {
    const d = new Design();
    const svc = d.component("acme:service:Orders", "orders");
    const sites: AwsSiteUrns[] = [];
    regions.forEach((region, i) => {
        const first = sites[0];
        const db: AwsDb = i === 0 ? { kind: "aurora-global-writer" } : { kind: "aurora-global-secondary", global: first.global as string, writer: first.db as string };
        sites.push(awsSite(d, { name: `site${i}`, region, tasks: 2, db, app: o.app, writeForwarding: o.writeForwarding }, svc));
    });
    const { checks } = route53(
        d,
        "orders.example.com",
        sites.map((s, i) => ({ key: regions[i], weight: 100, lb: s.lb, check: { interval: o.interval, threshold: o.threshold } })),
    );
    promotion(d, o.promotion ?? { minutes: 3 }, { name: "orders", healthCheck: checks[0], targetRegion: regions[1], parent: svc, about: [sites[0].global as string, ...sites.map((s) => s.db as string)] });
    return d;
}

/**
 * Active-passive across clouds: AWS (Aurora) primary, GCP (Cloud SQL) warm standby fed by AWS DMS
 * CDC; both apps wired to their own database (the GCP one to the CDC target). `cutover`: a function
 * in us-west-2 allowed to stop the DMS task, on a one-minute schedule.
 */
export function awsToGcpCdc(o: { readonly cutover?: boolean } = {}): Design {
    const d = new Design();
    const svc = d.component("acme:service:Billing", "billing");
    const aws = awsSite(d, { name: "use1", region: "us-east-1", tasks: 2, db: { kind: "aurora" }, app: "own" }, svc);
    const gcp = gcpSite(d, { name: "usc1", region: "us-central1", minInstances: 1, sql: { availability: "REGIONAL", edition: "ENTERPRISE_PLUS" }, appToSql: true }, svc);
    const cdc = d.component("acme:data:Cdc", "billing-cdc", svc);
    const source = d.add("aws:dms/endpoint:Endpoint", "cdc-source", { endpointType: "source", engineName: "postgres", serverName: UNKNOWN }, { parent: cdc, deps: { serverName: [aws.db as string] } });
    const target = d.add("aws:dms/endpoint:Endpoint", "cdc-target", { endpointType: "target", engineName: "postgres", serverName: UNKNOWN }, { parent: cdc, deps: { serverName: [gcp.sql as string] } });
    const task = d.add("aws:dms/replicationTask:ReplicationTask", "cdc-task", { migrationType: "full-load-and-cdc", sourceEndpointArn: UNKNOWN, targetEndpointArn: UNKNOWN }, { parent: cdc, deps: { sourceEndpointArn: [source], targetEndpointArn: [target] } });
    route53(d, "billing.example.com", [
        { key: "use1", role: "PRIMARY", lb: aws.lb },
        { key: "usc1", role: "SECONDARY", ip: { value: UNKNOWN, from: gcp.address } },
    ]);
    if (o.cutover) scheduledFunction(d, { name: "billing-cutover", region: "us-west-2", actions: ["dms:StopReplicationTask"], about: [task], parent: svc });
    return d;
}

/** Active-passive on AWS whose data is protected by backups only: every 6 h, copied to `copyRegion` when given. */
export function awsBackupsOnly(copyRegion: string | undefined): Design {
    const d = new Design();
    const svc = d.component("acme:service:Billing", "billing");
    const primary = awsSite(d, { name: "use1", region: "us-east-1", tasks: 2, db: { kind: "aurora" }, backup: { schedule: "cron(0 */6 * * ? *)", copyRegion } }, svc);
    const standby = awsSite(d, { name: "usw2", region: "us-west-2", tasks: 2 }, svc);
    route53(d, "billing.example.com", [
        { key: "use1", role: "PRIMARY", lb: primary.lb },
        { key: "usw2", role: "SECONDARY", lb: standby.lb },
    ]);
    return d;
}
