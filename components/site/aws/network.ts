// The site's network: one VPC over `azCount` availability zones, a public and a private subnet in
// each, and one NAT gateway per zone so that losing a zone never cuts the others off the internet.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumeRolePolicy, AwsSiteContext, childOptions, tagsNamed } from "./context";

export interface NetworkArgs {
    readonly azCount: number;
    /** A /16, e.g. 10.0.0.0/16. */
    readonly vpcCidr: string;
    readonly flowLogRetentionDays: number;
}

export interface Network {
    readonly vpc: aws.ec2.Vpc;
    /** Availability zone names, index i is the zone of subnet i. */
    readonly zones: pulumi.Output<string>[];
    readonly publicSubnets: aws.ec2.Subnet[];
    readonly privateSubnets: aws.ec2.Subnet[];
    readonly natGateways: aws.ec2.NatGateway[];
    /** The NAT gateways' Elastic IPs: the addresses the site's outbound connections leave from. */
    readonly natEips: aws.ec2.Eip[];
    /** One per zone; route table i sends 0.0.0.0/0 to NAT gateway i. */
    readonly privateRouteTables: aws.ec2.RouteTable[];
    readonly flowLog: aws.ec2.FlowLog;
}

export interface SubnetCidrs {
    readonly public: string;
    readonly private: string;
}

/**
 * CIDRs of zone `index` inside a /16: private subnets get a /19 each (8,192 addresses, room for
 * many tasks) from the bottom, public subnets a /21 each from 192 up. Six zones fit.
 */
export function subnetCidrs(vpcCidr: string, index: number): SubnetCidrs {
    const m = /^(\d{1,3})\.(\d{1,3})\.0\.0\/16$/.exec(vpcCidr);
    if (!m) throw new Error(`vpcCidr: "${vpcCidr}" is not a /16 such as 10.0.0.0/16`);
    if (!Number.isInteger(index) || index < 0 || index > 5) throw new Error(`subnet index ${index} is outside 0..5`);
    const prefix = `${m[1]}.${m[2]}`;
    return { private: `${prefix}.${index * 32}.0/19`, public: `${prefix}.${192 + index * 8}.0/21` };
}

export function createNetwork(ctx: AwsSiteContext, args: NetworkArgs): Network {
    const opts = childOptions(ctx);
    // Local Zones and Wavelength Zones are opt-in; only the region's own zones hold a site.
    const zoneNames = aws
        .getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, { parent: ctx.parent, provider: ctx.provider })
        .names.apply((names) => {
            if (names.length < args.azCount) {
                throw new Error(`azCount: ${args.azCount} availability zones requested but ${ctx.region} offers ${names.length} (${names.join(", ")}); lower azCount`);
            }
            return names.slice(0, args.azCount);
        });
    const zones = Array.from({ length: args.azCount }, (_, i) => zoneNames.apply((names) => names[i]));

    const vpc = new aws.ec2.Vpc(`${ctx.name}-vpc`, {
        cidrBlock: args.vpcCidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: tagsNamed(ctx, `${ctx.name}-vpc`),
    }, opts);

    const internetGateway = new aws.ec2.InternetGateway(`${ctx.name}-igw`, { vpcId: vpc.id, tags: tagsNamed(ctx, `${ctx.name}-igw`) }, opts);
    const publicRouteTable = new aws.ec2.RouteTable(`${ctx.name}-public`, { vpcId: vpc.id, tags: tagsNamed(ctx, `${ctx.name}-public`) }, opts);
    new aws.ec2.Route(`${ctx.name}-public-internet`, {
        routeTableId: publicRouteTable.id,
        destinationCidrBlock: "0.0.0.0/0",
        gatewayId: internetGateway.id,
    }, opts);

    const publicSubnets: aws.ec2.Subnet[] = [];
    const privateSubnets: aws.ec2.Subnet[] = [];
    const natGateways: aws.ec2.NatGateway[] = [];
    const natEips: aws.ec2.Eip[] = [];
    const privateRouteTables: aws.ec2.RouteTable[] = [];
    for (let i = 0; i < args.azCount; i++) {
        const cidrs = subnetCidrs(args.vpcCidr, i);
        const publicSubnet = new aws.ec2.Subnet(`${ctx.name}-public-${i}`, {
            vpcId: vpc.id,
            availabilityZone: zones[i],
            cidrBlock: cidrs.public,
            // Only the load balancer and the NAT gateways live here; nothing needs an automatic public IP.
            mapPublicIpOnLaunch: false,
            tags: { ...tagsNamed(ctx, `${ctx.name}-public-${i}`), tier: "public" },
        }, opts);
        new aws.ec2.RouteTableAssociation(`${ctx.name}-public-${i}`, { subnetId: publicSubnet.id, routeTableId: publicRouteTable.id }, opts);

        const eip = new aws.ec2.Eip(`${ctx.name}-nat-${i}`, { domain: "vpc", tags: tagsNamed(ctx, `${ctx.name}-nat-${i}`) }, opts);
        const nat = new aws.ec2.NatGateway(`${ctx.name}-nat-${i}`, {
            allocationId: eip.id,
            subnetId: publicSubnet.id,
            connectivityType: "public",
            tags: tagsNamed(ctx, `${ctx.name}-nat-${i}`),
        }, { ...opts, dependsOn: [internetGateway] });

        const privateSubnet = new aws.ec2.Subnet(`${ctx.name}-private-${i}`, {
            vpcId: vpc.id,
            availabilityZone: zones[i],
            cidrBlock: cidrs.private,
            mapPublicIpOnLaunch: false,
            tags: { ...tagsNamed(ctx, `${ctx.name}-private-${i}`), tier: "private" },
        }, opts);
        // Each zone's private subnet leaves through its own zone's NAT: a zone outage takes only its own path.
        const privateRouteTable = new aws.ec2.RouteTable(`${ctx.name}-private-${i}`, { vpcId: vpc.id, tags: tagsNamed(ctx, `${ctx.name}-private-${i}`) }, opts);
        new aws.ec2.Route(`${ctx.name}-private-${i}-nat`, {
            routeTableId: privateRouteTable.id,
            destinationCidrBlock: "0.0.0.0/0",
            natGatewayId: nat.id,
        }, opts);
        new aws.ec2.RouteTableAssociation(`${ctx.name}-private-${i}`, { subnetId: privateSubnet.id, routeTableId: privateRouteTable.id }, opts);

        publicSubnets.push(publicSubnet);
        privateSubnets.push(privateSubnet);
        natGateways.push(nat);
        natEips.push(eip);
        privateRouteTables.push(privateRouteTable);
    }

    // S3 traffic (image layers, the site's bucket) stays off the NAT gateways.
    new aws.ec2.VpcEndpoint(`${ctx.name}-s3`, {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${ctx.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: privateRouteTables.map((rt) => rt.id),
        tags: tagsNamed(ctx, `${ctx.name}-s3`),
    }, opts);

    const flowLog = createFlowLog(ctx, vpc, args.flowLogRetentionDays);
    return { vpc, zones, publicSubnets, privateSubnets, natGateways, natEips, privateRouteTables, flowLog };
}

/** Every accepted and rejected flow of the VPC, to CloudWatch Logs. */
function createFlowLog(ctx: AwsSiteContext, vpc: aws.ec2.Vpc, retentionDays: number): aws.ec2.FlowLog {
    const opts = childOptions(ctx);
    const logGroup = new aws.cloudwatch.LogGroup(`${ctx.name}-flow-logs`, { retentionInDays: retentionDays, tags: tagsNamed(ctx, `${ctx.name}-flow-logs`) }, opts);
    const role = new aws.iam.Role(`${ctx.name}-flow-logs`, {
        assumeRolePolicy: assumeRolePolicy("vpc-flow-logs.amazonaws.com"),
        description: `Lets VPC Flow Logs of ${ctx.name} write to its log group`,
        tags: tagsNamed(ctx, `${ctx.name}-flow-logs`),
    }, opts);
    new aws.iam.RolePolicy(`${ctx.name}-flow-logs`, {
        role: role.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
                Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
            }],
        }),
    }, opts);
    return new aws.ec2.FlowLog(`${ctx.name}-vpc`, {
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
        tags: tagsNamed(ctx, `${ctx.name}-vpc-flow-log`),
    }, opts);
}

export interface SecurityGroups {
    readonly loadBalancer: aws.ec2.SecurityGroup;
    readonly tasks: aws.ec2.SecurityGroup;
    /** Only when the site has a database. */
    readonly database?: aws.ec2.SecurityGroup;
}

/**
 * Who may talk to whom: the internet reaches the load balancer on 80/443 only, the load balancer
 * reaches the tasks on the container port only, the tasks reach the database on its port only.
 */
export function createSecurityGroups(ctx: AwsSiteContext, vpc: aws.ec2.Vpc, containerPort: number, databasePort: number | undefined): SecurityGroups {
    const opts = childOptions(ctx);
    const loadBalancer = new aws.ec2.SecurityGroup(`${ctx.name}-alb`, {
        vpcId: vpc.id,
        description: `Load balancer of ${ctx.name}: HTTP and HTTPS from anywhere`,
        tags: tagsNamed(ctx, `${ctx.name}-alb`),
    }, opts);
    const tasks = new aws.ec2.SecurityGroup(`${ctx.name}-tasks`, {
        vpcId: vpc.id,
        description: `Tasks of ${ctx.name}: the container port from the load balancer only`,
        tags: tagsNamed(ctx, `${ctx.name}-tasks`),
    }, opts);
    for (const port of [80, 443]) {
        new aws.vpc.SecurityGroupIngressRule(`${ctx.name}-alb-in-${port}`, {
            securityGroupId: loadBalancer.id,
            description: `port ${port} from anywhere`,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            cidrIpv4: "0.0.0.0/0",
            tags: ctx.tags,
        }, opts);
    }
    new aws.vpc.SecurityGroupEgressRule(`${ctx.name}-alb-out-tasks`, {
        securityGroupId: loadBalancer.id,
        description: "to the tasks on the container port",
        ipProtocol: "tcp",
        fromPort: containerPort,
        toPort: containerPort,
        referencedSecurityGroupId: tasks.id,
        tags: ctx.tags,
    }, opts);
    new aws.vpc.SecurityGroupIngressRule(`${ctx.name}-tasks-in-alb`, {
        securityGroupId: tasks.id,
        description: "the container port from the load balancer",
        ipProtocol: "tcp",
        fromPort: containerPort,
        toPort: containerPort,
        referencedSecurityGroupId: loadBalancer.id,
        tags: ctx.tags,
    }, opts);
    // Tasks pull images, write logs and call APIs through the NAT gateways.
    new aws.vpc.SecurityGroupEgressRule(`${ctx.name}-tasks-out`, {
        securityGroupId: tasks.id,
        description: "anywhere (through the zone's NAT gateway)",
        ipProtocol: "-1",
        cidrIpv4: "0.0.0.0/0",
        tags: ctx.tags,
    }, opts);

    let database: aws.ec2.SecurityGroup | undefined;
    if (databasePort !== undefined) {
        database = new aws.ec2.SecurityGroup(`${ctx.name}-db`, {
            vpcId: vpc.id,
            description: `Database of ${ctx.name}: its port from the tasks only`,
            tags: tagsNamed(ctx, `${ctx.name}-db`),
        }, opts);
        new aws.vpc.SecurityGroupIngressRule(`${ctx.name}-db-in-tasks`, {
            securityGroupId: database.id,
            description: "the database port from the tasks",
            ipProtocol: "tcp",
            fromPort: databasePort,
            toPort: databasePort,
            referencedSecurityGroupId: tasks.id,
            tags: ctx.tags,
        }, opts);
    }
    return { loadBalancer, tasks, database };
}
