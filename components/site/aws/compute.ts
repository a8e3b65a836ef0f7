// The site's compute: a Fargate service in the private subnets of every zone, behind an
// internet-facing load balancer in the public subnets of every zone, scaled on CPU and on
// requests per task, deployed with zero-downtime rolling updates that roll back on failure.
//
// With release tracks (blue-green, canary) each track is its own ECS service and target group,
// and the listener splits requests between the target groups by the tracks' percentages.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TrafficTrack } from "../site";
import { boundedName } from "../../data/names";
import { mainTrack, trackMinCapacity } from "../tracks";
import { assumeRolePolicy, AwsSiteContext, childOptions, managedPolicyArn, tagsNamed } from "./context";
import { Network, SecurityGroups } from "./network";

export interface ComputeArgs {
    readonly service: string;
    readonly image: string;
    readonly port: number;
    readonly healthCheckPath: string;
    readonly cpu: number;
    readonly memoryMb: number;
    readonly minCapacity: number;
    readonly maxCapacity: number;
    /** Versions to run side by side; none: one service running `image`. */
    readonly tracks?: readonly TrafficTrack[];
    /** ACM certificate (in the site's region) for the HTTPS listener; without one the site serves HTTP on 80. */
    readonly certificateArn?: pulumi.Input<string>;
    /** The path DNS health checks probe: with tracks, the listener sends it to the main track only. */
    readonly stableHealthPath: string;
    /** A path the load balancer itself answers 200 on (no task needed): a pilot light's DNS probe. @default none */
    readonly loadBalancerProbePath?: string;
    readonly logRetentionDays: number;
    readonly targetCpuPercent: number;
    readonly targetRequestsPerTask: number;
    /** Docker HEALTHCHECK-style command run inside the container. */
    readonly containerHealthCheckCommand: readonly string[];
    /** Plain environment of the container. */
    readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
    /** Environment variables read from Secrets Manager at task start: name -> secret ARN. */
    readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
    /** Extra IAM statements for the task role (what the application may call). */
    readonly taskPolicyStatements: readonly pulumi.Input<Record<string, unknown>>[];
    /** KMS keys the execution role may decrypt secrets with. */
    readonly secretKeyArns: readonly pulumi.Input<string>[];
}

/** One version of the service: its target group, task definition, ECS service and scaling. */
export interface ComputeVersion {
    /** Track name, undefined without tracks. */
    readonly track?: string;
    /** Share of the site's requests, 0-100. */
    readonly percent: number;
    /** Lowest task count of this version. */
    readonly minCapacity: number;
    readonly targetGroup: aws.lb.TargetGroup;
    readonly taskDefinition: aws.ecs.TaskDefinition;
    readonly service: aws.ecs.Service;
    readonly scalingTarget: aws.appautoscaling.Target;
    readonly scalingPolicies: aws.appautoscaling.Policy[];
}

export interface Compute {
    readonly cluster: aws.ecs.Cluster;
    /** One per track (a single one without tracks). */
    readonly versions: ComputeVersion[];
    readonly loadBalancer: aws.lb.LoadBalancer;
    readonly listeners: aws.lb.Listener[];
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly executionRole: aws.iam.Role;
    readonly taskRole: aws.iam.Role;
    /** Port and protocol the site is reached on from outside. */
    readonly publicPort: 80 | 443;
}

/**
 * The load balancer's name. ALB names are unique per account and Region and at most 32 characters,
 * and Pulumi's auto-name (the logical name "<service>-aws-<region>-alb" + 8) does not fit. Project,
 * stack and service keep stacks and services apart (the Region is implied); a long combination is
 * shortened with a hash.
 */
export function loadBalancerName(service: string, project: string = pulumi.getProject(), stack: string = pulumi.getStack()): string {
    const name = boundedName([project, stack, service], 32);
    // ELB refuses names beginning with "internal-".
    return name.startsWith("internal-") ? `lb-${name}`.slice(0, 32).replace(/-+$/, "") : name;
}

/**
 * A target group's name prefix: at most 6 characters, which AWS completes with 26 unique ones (32 in
 * all). Unlike a fixed name, it lets a replacement target group exist beside the one the listener
 * still forwards to, so a replacement creates before it deletes.
 */
export function targetGroupNamePrefix(service: string, track?: string): string {
    const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
    return `${clean(service).slice(0, track ? 4 : 5)}${track ? clean(track).slice(0, 1) : ""}-`;
}

/** ALB forward actions split between at most 5 target groups. */
export const MAX_TRACKS = 5;

/** Listener rule priorities (lower first): the load balancer's own probe, then the stable track's health path. */
export const LOAD_BALANCER_PROBE_RULE_PRIORITY = 5;
export const STABLE_HEALTH_RULE_PRIORITY = 10;

/** The recommended TLS policy: TLS 1.3 and 1.2 only. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export function createCompute(ctx: AwsSiteContext, network: Network, securityGroups: SecurityGroups, args: ComputeArgs): Compute {
    const opts = childOptions(ctx);
    const containerName = args.service;

    const cluster = new aws.ecs.Cluster(`${ctx.name}-cluster`, {
        settings: [{ name: "containerInsights", value: "enabled" }],
        tags: tagsNamed(ctx, `${ctx.name}-cluster`),
    }, opts);

    const logGroup = new aws.cloudwatch.LogGroup(`${ctx.name}-app-logs`, {
        retentionInDays: args.logRetentionDays,
        tags: tagsNamed(ctx, `${ctx.name}-app-logs`),
    }, opts);

    // The execution role is what ECS uses to start the task (pull the image, write logs, read secrets);
    // the task role is what the application itself may do.
    const executionRole = new aws.iam.Role(`${ctx.name}-execution`, {
        assumeRolePolicy: assumeRolePolicy("ecs-tasks.amazonaws.com"),
        description: `Starts the tasks of ${ctx.name}`,
        tags: tagsNamed(ctx, `${ctx.name}-execution`),
    }, opts);
    new aws.iam.RolePolicyAttachment(`${ctx.name}-execution`, {
        role: executionRole.name,
        policyArn: managedPolicyArn(ctx, "service-role/AmazonECSTaskExecutionRolePolicy"),
    }, opts);
    const secretArns = Object.values(args.secrets);
    if (secretArns.length > 0) {
        new aws.iam.RolePolicy(`${ctx.name}-execution-secrets`, {
            role: executionRole.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secretArns },
                    ...(args.secretKeyArns.length > 0 ? [{ Effect: "Allow", Action: ["kms:Decrypt"], Resource: args.secretKeyArns }] : []),
                ],
            }),
        }, opts);
    }
    const taskRole = new aws.iam.Role(`${ctx.name}-task`, {
        assumeRolePolicy: assumeRolePolicy("ecs-tasks.amazonaws.com"),
        description: `What the application of ${ctx.name} may call`,
        tags: tagsNamed(ctx, `${ctx.name}-task`),
    }, opts);
    if (args.taskPolicyStatements.length > 0) {
        new aws.iam.RolePolicy(`${ctx.name}-task`, {
            role: taskRole.id,
            policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: args.taskPolicyStatements }),
        }, opts);
    }

    const containerDefinitionsFor = (image: string, environment: Readonly<Record<string, pulumi.Input<string>>>) => pulumi.jsonStringify([{
        name: containerName,
        image,
        essential: true,
        portMappings: [{ containerPort: args.port, protocol: "tcp" }],
        environment: Object.entries(environment).map(([name, value]) => ({ name, value })),
        secrets: Object.entries(args.secrets).map(([name, valueFrom]) => ({ name, valueFrom })),
        healthCheck: { command: args.containerHealthCheckCommand, interval: 15, timeout: 5, retries: 3, startPeriod: 30 },
        logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": logGroup.name, "awslogs-region": ctx.region, "awslogs-stream-prefix": args.service },
        },
    }]);

    const loadBalancer = new aws.lb.LoadBalancer(`${ctx.name}-alb`, {
        // A fixed name: a replacement must delete first (the provider does so by itself), which only
        // name, scheme or type changes force; none of them change in normal operation.
        name: loadBalancerName(args.service),
        loadBalancerType: "application",
        internal: false,
        subnets: network.publicSubnets.map((s) => s.id),
        securityGroups: [securityGroups.loadBalancer.id],
        dropInvalidHeaderFields: true,
        enableCrossZoneLoadBalancing: true,
        idleTimeout: 60,
        tags: tagsNamed(ctx, `${ctx.name}-alb`),
    }, opts);
    const versionSpecs = args.tracks && args.tracks.length > 0
        ? args.tracks.map((t) => ({ track: t.name as string | undefined, image: t.image, percent: t.percent }))
        : [{ track: undefined as string | undefined, image: args.image, percent: 100 }];
    const targetGroups = versionSpecs.map((v) => new aws.lb.TargetGroup(`${ctx.name}-tg${suffix(v.track)}`, {
        namePrefix: targetGroupNamePrefix(args.service, v.track),
        vpcId: network.vpc.id,
        targetType: "ip",
        protocol: "HTTP",
        port: args.port,
        deregistrationDelay: 30,
        healthCheck: {
            enabled: true,
            path: args.healthCheckPath,
            protocol: "HTTP",
            matcher: "200-399",
            interval: 15,
            timeout: 5,
            healthyThreshold: 2,
            unhealthyThreshold: 3,
        },
        tags: { ...tagsNamed(ctx, `${ctx.name}-tg${suffix(v.track)}`), ...(v.track ? { track: v.track } : {}) },
    }, opts));

    // One version: forward to it. Tracks: one forward action weighted by the tracks' percentages,
    // so a blue-green switch or a canary step is a listener update, not a DNS change.
    const forward = targetGroups.length === 1
        ? [{ type: "forward", targetGroupArn: targetGroups[0].arn }]
        : [{
            type: "forward",
            forward: {
                targetGroups: targetGroups.map((tg, i) => ({ arn: tg.arn, weight: versionSpecs[i].percent })),
                stickiness: { enabled: false, duration: 1 },
            },
        }];
    const listeners: aws.lb.Listener[] = [];
    if (args.certificateArn !== undefined) {
        listeners.push(new aws.lb.Listener(`${ctx.name}-https`, {
            loadBalancerArn: loadBalancer.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: TLS_POLICY,
            certificateArn: args.certificateArn,
            defaultActions: forward,
            tags: tagsNamed(ctx, `${ctx.name}-https`),
        }, opts));
        listeners.push(new aws.lb.Listener(`${ctx.name}-http`, {
            loadBalancerArn: loadBalancer.arn,
            port: 80,
            protocol: "HTTP",
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            tags: tagsNamed(ctx, `${ctx.name}-http`),
        }, opts));
    } else {
        // No certificate: plain HTTP on 80 (the endpoint then reports port 80 / protocol HTTP).
        listeners.push(new aws.lb.Listener(`${ctx.name}-http`, {
            loadBalancerArn: loadBalancer.arn,
            port: 80,
            protocol: "HTTP",
            defaultActions: forward,
            tags: tagsNamed(ctx, `${ctx.name}-http`),
        }, opts));
    }

    // The listener clients reach (HTTPS with a certificate, else HTTP): its rules come before the split.
    const publicListener = listeners[0];
    if (targetGroups.length > 1) {
        // DNS judges the site by its stable track: an idle blue-green colour or a failing canary
        // must not fail the whole site over (clients on the stable track are still served).
        const main = versionSpecs.indexOf(mainTrack(versionSpecs));
        new aws.lb.ListenerRule(`${ctx.name}-health-stable`, {
            listenerArn: publicListener.arn,
            priority: STABLE_HEALTH_RULE_PRIORITY,
            conditions: [{ pathPattern: { values: [args.stableHealthPath] } }],
            actions: [{ type: "forward", targetGroupArn: targetGroups[main].arn }],
            tags: tagsNamed(ctx, `${ctx.name}-health-stable`),
        }, opts);
    }
    if (args.loadBalancerProbePath !== undefined) {
        // Answered by the load balancer itself, so a pilot light with no task stays routable.
        new aws.lb.ListenerRule(`${ctx.name}-lb-probe`, {
            listenerArn: publicListener.arn,
            priority: LOAD_BALANCER_PROBE_RULE_PRIORITY,
            conditions: [{ pathPattern: { values: [args.loadBalancerProbePath] } }],
            actions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "load balancer up", statusCode: "200" } }],
            tags: tagsNamed(ctx, `${ctx.name}-lb-probe`),
        }, opts);
    }

    const versions = versionSpecs.map((v, i): ComputeVersion => {
        const s = suffix(v.track);
        const targetGroup = targetGroups[i];
        const minCapacity = args.tracks && args.tracks.length > 0 ? trackMinCapacity(args.minCapacity, v.percent) : args.minCapacity;
        const environment = v.track ? { ...args.environment, RELEASE_TRACK: v.track } : args.environment;
        const containerDefinitions = containerDefinitionsFor(v.image, environment);
        const taskDefinition = new aws.ecs.TaskDefinition(`${ctx.name}-task${s}`, {
            family: `${ctx.name}${s}`,
            cpu: String(args.cpu),
            memory: String(args.memoryMb),
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
            executionRoleArn: executionRole.arn,
            taskRoleArn: taskRole.arn,
            containerDefinitions,
            tags: tagsNamed(ctx, `${ctx.name}-task${s}`),
        }, opts);

        const service = new aws.ecs.Service(`${ctx.name}-service${s}`, {
            cluster: cluster.arn,
            taskDefinition: taskDefinition.arn,
            launchType: "FARGATE",
            // Autoscaling owns the count after creation (see ignoreChanges); it starts at the floor,
            // so a pilot-light site (minCapacity 0) runs nothing until failover raises the floor.
            desiredCount: minCapacity,
            // Zero-downtime rolling deploys: never below the running count, and a failing deploy rolls back.
            deploymentMinimumHealthyPercent: 100,
            deploymentMaximumPercent: 200,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            availabilityZoneRebalancing: "ENABLED",
            healthCheckGracePeriodSeconds: 60,
            networkConfiguration: {
                subnets: network.privateSubnets.map((sn) => sn.id),
                securityGroups: [securityGroups.tasks.id],
                assignPublicIp: false,
            },
            loadBalancers: [{ targetGroupArn: targetGroup.arn, containerName, containerPort: args.port }],
            propagateTags: "SERVICE",
            enableEcsManagedTags: true,
            tags: { ...tagsNamed(ctx, `${ctx.name}-service${s}`), ...(v.track ? { track: v.track } : {}) },
        }, { ...opts, dependsOn: listeners, ignoreChanges: ["desiredCount"] });

        const scalingTarget = new aws.appautoscaling.Target(`${ctx.name}-scaling${s}`, {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
            minCapacity,
            maxCapacity: args.maxCapacity,
            tags: tagsNamed(ctx, `${ctx.name}-scaling${s}`),
        }, opts);
        const targetTracking = (predefinedMetricType: string, targetValue: number, resourceLabel?: pulumi.Input<string>) => ({
            targetValue,
            predefinedMetricSpecification: { predefinedMetricType, resourceLabel },
            // Scale out fast, scale in slowly: a flapping service is worse than a briefly idle task.
            scaleOutCooldown: 60,
            scaleInCooldown: 300,
        });
        const scalingPolicies = [
            new aws.appautoscaling.Policy(`${ctx.name}-scale-cpu${s}`, {
                policyType: "TargetTrackingScaling",
                serviceNamespace: scalingTarget.serviceNamespace,
                scalableDimension: scalingTarget.scalableDimension,
                resourceId: scalingTarget.resourceId,
                targetTrackingScalingPolicyConfiguration: targetTracking("ECSServiceAverageCPUUtilization", args.targetCpuPercent),
            }, opts),
            new aws.appautoscaling.Policy(`${ctx.name}-scale-requests${s}`, {
                policyType: "TargetTrackingScaling",
                serviceNamespace: scalingTarget.serviceNamespace,
                scalableDimension: scalingTarget.scalableDimension,
                resourceId: scalingTarget.resourceId,
                targetTrackingScalingPolicyConfiguration: targetTracking(
                    "ALBRequestCountPerTarget",
                    args.targetRequestsPerTask,
                    pulumi.interpolate`${loadBalancer.arnSuffix}/${targetGroup.arnSuffix}`,
                ),
            }, { ...opts, dependsOn: listeners }),
        ];
        return { track: v.track, percent: v.percent, minCapacity, targetGroup, taskDefinition, service, scalingTarget, scalingPolicies };
    });

    return {
        cluster, versions, loadBalancer, listeners, logGroup, executionRole, taskRole,
        publicPort: args.certificateArn !== undefined ? 443 : 80,
    };
}

/** Name suffix of a track's resources; none without tracks, so a site without tracks keeps plain names. */
function suffix(track: string | undefined): string {
    return track ? `-${track}` : "";
}
