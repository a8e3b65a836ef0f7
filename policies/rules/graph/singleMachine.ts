import { publicNames, recordTargets } from "../../lib/dns";
import { Graph, GraphResource } from "../../lib/graph";
import { isUnknown, list, read, str } from "../../lib/props";
import { dependencyUrns, Ref, resolve } from "../../lib/refs";
import { selects, tagsOf } from "./backupPlanCoverage";
import { finding, Finding, graphRule, Maybe, names, or3, types } from "./lib";

/** Ports of databases, queues and brokers: a machine that accepts them runs one. */
const dataPorts: Readonly<Record<number, string>> = { 5432: "PostgreSQL", 3306: "MySQL", 27017: "MongoDB", 6379: "Redis", 5672: "RabbitMQ", 9092: "Kafka", 9042: "Cassandra", 9200: "Elasticsearch" };

/**
 * A boot script that installs or starts a database on the machine itself (a client's connection
 * string does not count: `postgres://` is not `apt-get install postgresql`).
 */
const installsDatabase =
    /\b(?:(?:apt-get|apt|yum|dnf|apk|zypper)\s+(?:-\S+\s+)*(?:install|add)\b[^\n]*?\b(postgresql|mysql-server|mariadb-server|mongodb-org|mongodb|redis-server|redis|rabbitmq-server)|docker\s+run\b[^\n]*?\b(postgres|mysql|mariadb|mongo|redis|rabbitmq)[:\s]|systemctl\s+(?:enable|start)\b[^\n]*?\b(postgresql|mysql|mariadb|mongod|redis-server|redis|rabbitmq-server))/i;

/** What a boot script shows the machine runs, if anything. */
function databaseInScript(script: unknown): string | undefined {
    if (typeof script !== "string" || isUnknown(script)) return undefined;
    const m = installsDatabase.exec(script);
    return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** Data ports a port range opens. */
function portsIn(from: unknown, to: unknown): string[] {
    if (typeof from !== "number" || typeof to !== "number") return [];
    if (from <= 0 && to >= 65535) return []; // all ports: says nothing about what runs
    return Object.entries(dataPorts)
        .filter(([p]) => Number(p) >= from && Number(p) <= to)
        .map(([p, engine]) => `${engine} (${p})`);
}

/** The security groups an EC2 instance is in (those of the stack). */
function securityGroupsOf(graph: Graph, i: GraphResource): GraphResource[] {
    return [
        ...resolve(graph, i, "vpcSecurityGroupIds", ["aws:ec2/securityGroup:SecurityGroup"], { identity: ["id"] }).targets,
        ...resolve(graph, i, "securityGroups", ["aws:ec2/securityGroup:SecurityGroup"], { identity: ["id", "name"] }).targets,
    ];
}

/** Why an EC2 instance runs a data store: its user data, or the data ports its security groups open. */
function ec2RunsDatabase(graph: Graph, i: GraphResource): string | undefined {
    const script = databaseInScript(read(i.props, "userData"));
    if (script) return `its userData installs or starts ${script}`;
    const groups = securityGroupsOf(graph, i);
    const ports: string[] = [];
    for (const sg of groups) {
        for (const rule of list(sg.props, "ingress") ?? []) ports.push(...portsIn(read(rule, "fromPort"), read(rule, "toPort")));
    }
    for (const rule of graph.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
        if (!resolve(graph, rule, "securityGroupId", ["aws:ec2/securityGroup:SecurityGroup"], { identity: ["id"] }).targets.some((t) => groups.includes(t))) continue;
        ports.push(...portsIn(read(rule.props, "fromPort"), read(rule.props, "toPort")));
    }
    return ports.length ? `its security groups accept ${[...new Set(ports)].join(", ")}` : undefined;
}

/** Why a GCE instance runs a data store: its startup script, or the data ports firewalls open to it. */
function gceRunsDatabase(graph: Graph, i: GraphResource): string | undefined {
    const script = databaseInScript(read(i.props, "metadataStartupScript")) ?? databaseInScript(read(i.props, "metadata.startup-script"));
    if (script) return `its startup script installs or starts ${script}`;
    const tags = read(i.props, "tags");
    const ports: string[] = [];
    for (const fw of graph.ofType("gcp:compute/firewall:Firewall")) {
        const direction = read(fw.props, "direction");
        if (direction !== undefined && direction !== null && direction !== "INGRESS") continue;
        const targets = read(fw.props, "targetTags");
        const applies = targets === undefined || targets === null || (Array.isArray(targets) && Array.isArray(tags) && targets.some((t) => tags.includes(t)));
        if (!applies) continue;
        for (const allow of list(fw.props, "allows") ?? []) {
            for (const p of list(allow, "ports") ?? []) {
                if (typeof p !== "string") continue;
                const [a, b] = p.split("-").map(Number);
                ports.push(...portsIn(a, b ?? a));
            }
        }
    }
    return ports.length ? `firewall rules open ${[...new Set(ports)].join(", ")} to it` : undefined;
}

const awsCompute = ["aws:autoscaling/group:Group", "aws:ecs/service:Service", "aws:eks/nodeGroup:NodeGroup", "aws:lambda/function:Function", "aws:elasticbeanstalk/environment:Environment", "aws:apprunner/service:Service", types.ec2Instance];
const gcpCompute = ["gcp:compute/instanceGroupManager:InstanceGroupManager", "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", "gcp:cloudrunv2/service:Service", "gcp:cloudrun/service:Service", "gcp:container/cluster:Cluster", "gcp:cloudfunctionsv2/function:Function", types.gceInstance];

interface PublicAnswer {
    readonly name: string;
    /** What the name answers with, every record's targets known. */
    readonly urns: readonly string[];
}

/** Public DNS names whose answers are all known, resolved once per graph (not once per machine). */
function publicAnswers(graph: Graph): PublicAnswer[] {
    const out: PublicAnswer[] = [];
    for (const [, records] of publicNames(graph)) {
        const targets = records.map((r) => recordTargets(graph, r.resource));
        if (!targets.every((t) => t.complete)) continue;
        out.push({ name: records[0].name, urns: targets.flatMap((t) => t.targets.map((x) => x.urn)) });
    }
    return out;
}

/** Public DNS names whose every answer is this machine (or an address of it). */
function onlyTargetOf(answers: readonly PublicAnswer[], machine: GraphResource, addresses: readonly GraphResource[]): string[] {
    const own = new Set([machine.urn, ...addresses.map((a) => a.urn)]);
    return answers.filter((a) => a.urns.length > 0 && a.urns.every((u) => own.has(u))).map((a) => a.name);
}

interface Registrations {
    readonly attachments: readonly { readonly group: Ref; readonly target: Ref }[];
    /** Target groups an Auto Scaling group registers its instances in. */
    readonly asgGroups: readonly string[];
}

/** The graph's target group registrations, resolved once; undefined when one is unknown at preview. */
function registrations(graph: Graph): Registrations | undefined {
    const attachmentTypes = ["aws:lb/targetGroupAttachment:TargetGroupAttachment", "aws:alb/targetGroupAttachment:TargetGroupAttachment"];
    const attachments = graph.ofType(...attachmentTypes).map((a) => ({
        group: resolve(graph, a, "targetGroupArn", ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"], { identity: ["arn"] }),
        target: resolve(graph, a, "targetId", [types.ec2Instance], { identity: ["id"] }),
    }));
    if (attachments.some((x) => x.group.open || x.target.open)) return undefined;
    // An Auto Scaling group registers its instances in target groups too.
    const asgGroups = graph.ofType("aws:autoscaling/group:Group", "aws:autoscaling/attachment:Attachment").flatMap((g) => [...dependencyUrns(g, "targetGroupArns"), ...dependencyUrns(g, "lbTargetGroupArn")]);
    return { attachments, asgGroups };
}

/** Target groups whose only registered target is this instance. */
function onlyTargetGroupTargetOf(registered: Registrations | undefined, i: GraphResource): GraphResource[] {
    if (!registered) return [];
    const { attachments, asgGroups } = registered;
    const out: GraphResource[] = [];
    for (const x of attachments) {
        if (!x.target.targets.includes(i)) continue;
        for (const group of x.group.targets) {
            if (asgGroups.includes(group.urn)) continue;
            const others = attachments.filter((y) => y.group.targets.includes(group) && !y.target.targets.includes(i));
            if (others.length === 0) out.push(group);
        }
    }
    return out;
}

/** Whether an AWS Backup selection or a DLM policy backs up the instance's volumes. */
function ec2BackedUp(graph: Graph, i: GraphResource): Maybe {
    const byPlan = graph.ofType(types.backupSelection).map((s) => selects(graph, s, i));
    const byDlm = graph.ofType("aws:dlm/lifecyclePolicy:LifecyclePolicy").map((p): Maybe => {
        const state = read(p.props, "state");
        if (state === "DISABLED") return false;
        if (isUnknown(state)) return undefined;
        // A default policy covers every volume or instance of its region.
        const defaultPolicy = read(p.props, "defaultPolicy");
        if (isUnknown(defaultPolicy)) return undefined;
        if (typeof defaultPolicy === "string" && defaultPolicy !== "") return true;
        const kinds = read(p.props, "policyDetails.resourceTypes");
        const wanted = read(p.props, "policyDetails.targetTags");
        if (isUnknown(kinds) || isUnknown(wanted)) return undefined;
        if (!Array.isArray(kinds) || wanted === null || typeof wanted !== "object") return false;
        const pools: (Record<string, unknown> | undefined)[] = [];
        if (kinds.includes("INSTANCE")) pools.push(tagsOf(i));
        if (kinds.includes("VOLUME")) {
            const volumeTags = read(i.props, "volumeTags");
            const rootTags = read(i.props, "rootBlockDevice.tags");
            pools.push(isUnknown(volumeTags) || isUnknown(rootTags) ? undefined : { ...(volumeTags as object | undefined), ...(rootTags as object | undefined) });
        }
        // Targets resources tagged with ANY of targetTags.
        return or3(
            false,
            ...pools.map((tags): Maybe => {
                if (tags === undefined) return undefined;
                return or3(false, ...Object.entries(wanted as Record<string, unknown>).map(([k, v]): Maybe => (isUnknown(v) || isUnknown(tags[k]) ? undefined : tags[k] === v)));
            }),
        );
    });
    return or3(false, ...byPlan, ...byDlm);
}

/** Whether a snapshot schedule covers the GCE instance's boot disk. */
function gceBackedUp(graph: Graph, i: GraphResource): Maybe {
    const inline = read(i.props, "bootDisk.initializeParams.resourcePolicies");
    if (isUnknown(inline)) return undefined;
    if (Array.isArray(inline) ? inline.length > 0 : typeof inline === "string" && inline !== "") return true;
    const name = str(i.props, "name");
    return or3(
        false,
        ...graph.ofType("gcp:compute/diskResourcePolicyAttachment:DiskResourcePolicyAttachment").map((a): Maybe => {
            const disk = read(a.props, "disk");
            if (dependencyUrns(a, "disk").includes(i.urn)) return true;
            if (isUnknown(disk)) return dependencyUrns(a, "disk").length > 0 ? false : undefined;
            // The boot disk a GCE instance creates is named after the instance.
            return name === undefined ? undefined : disk === name;
        }),
    );
}

interface Machine {
    readonly resource: GraphResource;
    readonly kind: string;
    readonly zone: string;
    readonly database?: string;
    /** Why the machine is the only thing behind a public endpoint. */
    readonly endpoint?: string;
    readonly backedUp: Maybe;
    readonly backupFix: string;
    readonly moveFix: string;
}

function awsMachines(graph: Graph): Machine[] {
    const out: Machine[] = [];
    const instances = graph.ofType(types.ec2Instance);
    const otherCompute = (i: GraphResource) => graph.ofType(...awsCompute).filter((c) => c !== i);
    const answers = instances.length > 0 ? publicAnswers(graph) : [];
    const registered = instances.length > 0 ? registrations(graph) : undefined;
    for (const i of instances) {
        const eips = [
            ...graph.ofType("aws:ec2/eip:Eip").filter((e) => resolve(graph, e, "instance", [types.ec2Instance], { identity: ["id"] }).targets.includes(i)),
            ...graph
                .ofType("aws:ec2/eipAssociation:EipAssociation")
                .filter((a) => resolve(graph, a, "instanceId", [types.ec2Instance], { identity: ["id"] }).targets.includes(i))
                .flatMap((a) => resolve(graph, a, "allocationId", ["aws:ec2/eip:Eip"], { identity: ["id", "allocationId"] }).targets),
        ];
        const dns = onlyTargetOf(answers, i, eips);
        const groups = onlyTargetGroupTargetOf(registered, i);
        const endpoint = dns.length
            ? `the only answer of the public DNS name${dns.length === 1 ? "" : "s"} ${dns.map((d) => `"${d}"`).join(", ")}`
            : groups.length
              ? `the only target of target group ${names(groups)}`
              : eips.length && otherCompute(i).length === 0
                ? `the only compute of the stack, public through Elastic IP ${names(eips)}`
                : undefined;
        const database = ec2RunsDatabase(graph, i);
        if (!endpoint && !database) continue;
        const zone = str(i.props, "availabilityZone");
        out.push({
            resource: i,
            kind: "EC2 instance",
            zone: zone ? `availability zone ${zone}` : "one availability zone",
            database,
            endpoint,
            backedUp: ec2BackedUp(graph, i),
            backupFix: "cover its volumes with an AWS Backup plan (an aws.backup.Selection listing the instance ARN) or a DLM snapshot policy targeting its tags",
            moveFix: database
                ? "Move the database to a managed, replicated service (RDS Multi-AZ or Aurora with readers in other zones) and run the app in an Auto Scaling group over at least two zones behind a load balancer"
                : "Run it in an Auto Scaling group over at least two availability zones behind a load balancer",
        });
    }
    return out;
}

function gcpMachines(graph: Graph): Machine[] {
    const out: Machine[] = [];
    const otherCompute = (i: GraphResource) => graph.ofType(...gcpCompute).filter((c) => c !== i);
    const instances = graph.ofType(types.gceInstance);
    const answers = instances.length > 0 ? publicAnswers(graph) : [];
    for (const i of instances) {
        const interfaces = list(i.props, "networkInterfaces") ?? [];
        const external = interfaces.some((n) => {
            const configs = read(n, "accessConfigs");
            return Array.isArray(configs) && configs.length > 0;
        });
        const addresses = graph.ofType("gcp:compute/address:Address").filter((a) => dependencyUrns(i, "networkInterfaces").includes(a.urn));
        const dns = onlyTargetOf(answers, i, addresses);
        const endpoint = dns.length
            ? `the only answer of the public DNS name${dns.length === 1 ? "" : "s"} ${dns.map((d) => `"${d}"`).join(", ")}`
            : external && otherCompute(i).length === 0
              ? "the only compute of the stack, with an external IP"
              : undefined;
        const database = gceRunsDatabase(graph, i);
        if (!endpoint && !database) continue;
        const zone = str(i.props, "zone");
        out.push({
            resource: i,
            kind: "Compute Engine instance",
            zone: zone ? `zone ${zone}` : "one zone",
            database,
            endpoint,
            backedUp: gceBackedUp(graph, i),
            backupFix: "attach a snapshot schedule (a gcp.compute.ResourcePolicy with snapshotSchedulePolicy, through a gcp.compute.DiskResourcePolicyAttachment) to its disks",
            moveFix: database
                ? "Move the database to Cloud SQL with availabilityType REGIONAL and run the app in a regional managed instance group behind a load balancer"
                : "Run it in a regional managed instance group (gcp.compute.RegionInstanceGroupManager) behind a load balancer",
        });
    }
    return out;
}

/**
 * One virtual machine that is the only thing behind a public endpoint, or that runs a database on
 * its own disk, is a single point of failure however good the rest of the stack is: it lives in one
 * zone, one host failure takes the service (and its data) down, and unless a backup plan or a
 * snapshot policy covers its volumes, losing the disk loses the data.
 */
export const singleMachine = graphRule({
    name: "single-machine",
    description: "A lone VM (EC2 or Compute Engine) must not be the only compute behind a public endpoint nor run a database on its own disk, and such a machine's volumes must be backed up.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        for (const m of [...awsMachines(graph), ...gcpMachines(graph)]) {
            const roles = [m.endpoint, m.database ? `a database host (${m.database})` : undefined].filter((x): x is string => x !== undefined);
            const unbacked = m.backedUp === false;
            findings.push(
                finding(
                    m.resource,
                    `a single ${m.kind} in ${m.zone} is ${roles.join(" and ")}${unbacked ? `, and no snapshot schedule or backup plan covers its disks` : ""}`,
                    `when the machine, its host or its zone fails, the service is down until it is rebuilt${unbacked ? "; a lost disk loses its data for good" : m.database ? ", and writes since the last backup of its disks are lost" : ""}`,
                    `${m.moveFix}${unbacked ? `; until then ${m.backupFix}` : ""}.`,
                ),
            );
        }
        return findings;
    },
});
