// A change-data-capture pipeline as the engine sees it at a first preview, for the DMS rule tests:
// an Aurora PostgreSQL writer in a private VPC with one NAT gateway per zone, a DMS replication
// instance in the same subnets, and a Cloud SQL target on another cloud. Options switch on or off
// each prerequisite the rules judge.
import { UNKNOWN } from "../../../harness";
import { from, Ref, TestStack } from "../graph/stack";

export interface DmsStackOptions {
    /** Cluster parameter group parameters, or none (the default group). */
    readonly clusterParameters?: readonly { name: string; value: unknown }[];
    /** migrationType of the task. @default "full-load-and-cdc" */
    readonly migrationType?: string;
    /** Create dms-vpc-role (and dms-cloudwatch-logs-role) with attachments. @default false */
    readonly roles?: boolean;
    /** The DMS resources depend on the roles' attachments. @default true when roles */
    readonly waitForRoles?: boolean;
    /** Cloud SQL authorized networks: "none", "nat" (built from the NAT Elastic IPs), "anywhere". @default "none" */
    readonly authorizedNetworks?: "none" | "nat" | "some-nat" | "anywhere";
    /** The database security group admits the DMS security group on 5432. @default true */
    readonly ingress?: boolean;
    /** The source endpoint points at a global cluster whose members are judged. @default false */
    readonly viaGlobalCluster?: boolean;
}

export interface DmsStack {
    readonly stack: TestStack;
    readonly cluster: Ref;
    readonly secondary?: Ref;
    readonly sql: Ref;
    readonly task: Ref;
    readonly source: Ref;
    readonly target: Ref;
    readonly subnetGroup: Ref;
    readonly instance: Ref;
}

export function dmsStack(o: DmsStackOptions = {}): DmsStack {
    const stack = new TestStack();
    const east = stack.awsProvider("east", "us-east-1");
    const gcp = stack.add("pulumi:providers:gcp", "gcp", { project: "acme-prod", region: "us-central1" });
    const vpc = stack.add("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" }, { provider: east });
    const privateSubnets: Ref[] = [];
    const eips: Ref[] = [];
    for (const zone of ["us-east-1a", "us-east-1b"]) {
        const pub = stack.add("aws:ec2/subnet:Subnet", `public-${zone}`, { vpcId: from(vpc), availabilityZone: zone }, { provider: east });
        const eip = stack.add("aws:ec2/eip:Eip", `nat-${zone}`, { domain: "vpc" }, { provider: east });
        eips.push(eip);
        const nat = stack.add("aws:ec2/natGateway:NatGateway", `nat-${zone}`, { subnetId: from(pub), allocationId: from(eip) }, { provider: east });
        const subnet = stack.add("aws:ec2/subnet:Subnet", `private-${zone}`, { vpcId: from(vpc), availabilityZone: zone }, { provider: east });
        const table = stack.add("aws:ec2/routeTable:RouteTable", `private-${zone}`, { vpcId: from(vpc) }, { provider: east });
        stack.add("aws:ec2/route:Route", `private-${zone}-nat`, { routeTableId: from(table), destinationCidrBlock: "0.0.0.0/0", natGatewayId: from(nat) }, { provider: east });
        stack.add("aws:ec2/routeTableAssociation:RouteTableAssociation", `private-${zone}`, { routeTableId: from(table), subnetId: from(subnet) }, { provider: east });
        privateSubnets.push(subnet);
    }
    const dmsSg = stack.add("aws:ec2/securityGroup:SecurityGroup", "dms", { vpcId: from(vpc) }, { provider: east });
    const dbSg = stack.add("aws:ec2/securityGroup:SecurityGroup", "db", { vpcId: from(vpc) }, { provider: east });
    stack.add("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "dms-out", { securityGroupId: from(dmsSg), ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "0.0.0.0/0" }, { provider: east });
    if (o.ingress !== false) {
        stack.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "db-in-dms", { securityGroupId: from(dbSg), ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: from(dmsSg) }, { provider: east });
    }

    const ready: Ref[] = [];
    if (o.roles) {
        for (const [name, policy] of [["dms-vpc-role", "AmazonDMSVPCManagementRole"], ["dms-cloudwatch-logs-role", "AmazonDMSCloudWatchLogsRole"]]) {
            const role = stack.add("aws:iam/role:Role", name, { name, assumeRolePolicy: "{}" });
            ready.push(stack.add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", name, { role: from(role, name), policyArn: `arn:aws:iam::aws:policy/service-role/${policy}` }));
        }
    }
    const waits = o.roles && o.waitForRoles !== false ? { dependsOn: ready } : {};

    const dbSubnets = stack.add("aws:rds/subnetGroup:SubnetGroup", "db", { subnetIds: privateSubnets.map((s) => from(s)) }, { provider: east });
    const group = o.clusterParameters
        ? stack.add("aws:rds/clusterParameterGroup:ClusterParameterGroup", "db", { family: "aurora-postgresql16", parameters: o.clusterParameters }, { provider: east })
        : undefined;
    const global = o.viaGlobalCluster ? stack.add("aws:rds/globalCluster:GlobalCluster", "global", { globalClusterIdentifier: "orders-prod", engine: "aurora-postgresql" }) : undefined;
    const clusterProps = (g: Ref | undefined) => ({
        engine: "aurora-postgresql",
        engineVersion: "16.6",
        dbSubnetGroupName: from(dbSubnets),
        vpcSecurityGroupIds: [from(dbSg)],
        ...(g ? { dbClusterParameterGroupName: from(g) } : {}),
        ...(global ? { globalClusterIdentifier: from(global, "orders-prod") } : {}),
    });
    const cluster = stack.add("aws:rds/cluster:Cluster", "orders-db", clusterProps(group), { provider: east });
    // A global database's secondary, in its own region, with the default group.
    const secondary = global ? stack.add("aws:rds/cluster:Cluster", "orders-db-west", { engine: "aurora-postgresql", engineVersion: "16.6", globalClusterIdentifier: from(global, "orders-prod") }, { provider: stack.awsProvider("west", "us-west-2") }) : undefined;

    const networks =
        o.authorizedNetworks === "nat"
            ? eips.map((e) => ({ name: e.name, value: from(e) }))
            : o.authorizedNetworks === "some-nat"
              ? [{ name: eips[0].name, value: from(eips[0]) }]
              : o.authorizedNetworks === "anywhere"
                ? [{ value: "0.0.0.0/0" }]
                : [];
    const sql = stack.add(
        "gcp:sql/databaseInstance:DatabaseInstance",
        "orders-gcp",
        { databaseVersion: "POSTGRES_16", settings: { tier: "db-custom-2-7680", ipConfiguration: { ipv4Enabled: true, authorizedNetworks: networks, sslMode: "ENCRYPTED_ONLY" } } },
        { provider: gcp },
    );

    const subnetGroup = stack.add("aws:dms/replicationSubnetGroup:ReplicationSubnetGroup", "dms", { replicationSubnetGroupId: "orders-dms", subnetIds: privateSubnets.map((s) => from(s)) }, { provider: east, ...waits });
    const instance = stack.add(
        "aws:dms/replicationInstance:ReplicationInstance",
        "dms",
        { replicationInstanceId: "orders-dms", replicationSubnetGroupId: from(subnetGroup, "orders-dms"), vpcSecurityGroupIds: [from(dmsSg)], publiclyAccessible: false, multiAz: true },
        { provider: east, ...waits },
    );
    const source = stack.add("aws:dms/endpoint:Endpoint", "source", { endpointId: "orders-source", endpointType: "source", engineName: "aurora-postgresql", serverName: from(global ?? cluster), port: 5432 }, { provider: east });
    const target = stack.add("aws:dms/endpoint:Endpoint", "target", { endpointId: "orders-target", endpointType: "target", engineName: "postgres", serverName: from(sql), port: 5432 }, { provider: east });
    const task = stack.add(
        "aws:dms/replicationTask:ReplicationTask",
        "cdc",
        {
            replicationTaskId: "orders-cdc",
            migrationType: o.migrationType ?? "full-load-and-cdc",
            replicationInstanceArn: from(instance),
            sourceEndpointArn: from(source),
            targetEndpointArn: from(target),
            tableMappings: "{}",
            replicationTaskSettings: JSON.stringify({ Logging: { EnableLogging: true } }),
            startReplicationTask: true,
        },
        { provider: east, ...waits },
    );
    return { stack, cluster, secondary, sql, task, source, target, subnetGroup, instance };
}

export { UNKNOWN };
