// The service on Cloud Run v2: scales between min and max capacity, reachable only through the
// load balancer, probed on the health path, connected to Cloud SQL through the built-in connector.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedGcpSiteArgs } from "../gcpSite";
import type { GcpBucket } from "./bucket";
import type { CloudSql } from "./cloudSql";

/** Cloud Run whole-CPU sizes and the most memory each allows (MiB). */
const CLOUD_RUN_CPU_MEMORY: readonly (readonly [number, number])[] = [
    [1, 4096],
    [2, 8192],
    [4, 16384],
    [6, 24576],
    [8, 32768],
];

/**
 * Cloud Run CPU for `cpu` units (1024 = 1 vCPU) and `memoryMb`: the smallest whole-CPU size that
 * gives at least the CPU asked for and allows the memory. Fractional CPUs are not used: below one
 * vCPU Cloud Run limits request concurrency, which would change how the service scales.
 */
export function cloudRunCpu(cpuUnits: number, memoryMb: number): number {
    const wanted = cpuUnits / 1024;
    const fit = CLOUD_RUN_CPU_MEMORY.find(([cpu, maxMemory]) => cpu >= wanted && memoryMb <= maxMemory);
    return fit ? fit[0] : 8;
}

export interface CloudRunInputs {
    /** Physical Cloud Run service name. */
    readonly serviceName: string;
    readonly serviceAccountEmail: string;
    readonly sql?: CloudSql;
    readonly bucket?: GcpBucket;
    readonly dependsOn: readonly pulumi.Resource[];
}

export interface CloudRun {
    readonly service: gcp.cloudrunv2.Service;
    readonly invoker: gcp.cloudrunv2.ServiceIamMember;
}

export function createCloudRun(name: string, a: ResolvedGcpSiteArgs, inputs: CloudRunInputs, child: pulumi.CustomResourceOptions): CloudRun {
    const { sql, bucket } = inputs;
    const envs: gcp.types.input.cloudrunv2.ServiceTemplateContainerEnv[] = [];
    if (sql) {
        const db = sql.siteDatabase;
        envs.push(
            // The connector exposes the instance as a Unix socket under /cloudsql.
            { name: "DB_HOST", value: pulumi.interpolate`/cloudsql/${sql.primary.connectionName}` },
            { name: "DB_PORT", value: String(db.port) },
            { name: "DB_NAME", value: db.databaseName },
            { name: "DB_USER", value: db.username },
            { name: "DB_PASSWORD", valueSource: { secretKeyRef: { secret: sql.passwordSecret.secretId, version: "latest" } } },
        );
    }
    if (bucket) envs.push({ name: "BUCKET_NAME", value: bucket.bucket.name });
    const probe = { httpGet: { path: a.healthCheckPath, port: a.port }, timeoutSeconds: 3 };

    const service = new gcp.cloudrunv2.Service(
        `${name}-run`,
        {
            name: inputs.serviceName,
            location: a.region,
            // Only the load balancer reaches the service, so every request passes its TLS and logging.
            ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
            deletionProtection: a.protectStateful,
            labels: { ...a.labels },
            template: {
                serviceAccount: inputs.serviceAccountEmail,
                scaling: { minInstanceCount: a.minCapacity, maxInstanceCount: a.maxCapacity },
                labels: { ...a.labels },
                volumes: sql ? [{ name: "cloudsql", cloudSqlInstance: { instances: [sql.primary.connectionName] } }] : [],
                containers: [
                    {
                        image: a.image,
                        ports: { containerPort: a.port },
                        resources: { limits: { cpu: String(cloudRunCpu(a.cpu, a.memoryMb)), memory: `${a.memoryMb}Mi` }, startupCpuBoost: true },
                        // Up to two minutes to start, then restarted after three failed checks in a row.
                        startupProbe: { ...probe, initialDelaySeconds: 0, periodSeconds: 5, failureThreshold: 24 },
                        livenessProbe: { ...probe, periodSeconds: 15, failureThreshold: 3 },
                        envs,
                        volumeMounts: sql ? [{ name: "cloudsql", mountPath: "/cloudsql" }] : [],
                    },
                ],
            },
        },
        // A fixed name cannot exist twice, so a replacement deletes first (DNS failover covers the gap).
        { ...child, dependsOn: [...inputs.dependsOn], deleteBeforeReplace: true },
    );
    // A public service: anyone may invoke it, and ingress still limits that to the load balancer.
    const invoker = new gcp.cloudrunv2.ServiceIamMember(
        `${name}-invoker`,
        { project: a.project, location: a.region, name: service.name, role: "roles/run.invoker", member: "allUsers" },
        child,
    );
    return { service, invoker };
}
