// The service on Cloud Run v2: scales between min and max capacity, reachable only through the
// load balancer, probed on the health path, connected to Cloud SQL through the built-in connector.
// With release tracks each track is a Cloud Run service of its own (its image, its floor), and the
// load balancer splits requests between them.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { alsoAfter } from "./apis";
import type { ResolvedGcpSiteArgs } from "../gcpSite";
import type { GcpBucket } from "./bucket";
import type { CloudSql } from "./cloudSql";
import { cloudRunCpu } from "../providerLimits";
import { databaseEnvironment } from "../site";

export { cloudRunCpu };

export interface CloudRunInputs {
    /** Makes the physical service names unique per project and stack (see cloudRunServiceName). */
    readonly uniqueSuffix: string;
    readonly serviceAccountEmail: string;
    readonly sql?: CloudSql;
    readonly bucket?: GcpBucket;
    readonly dependsOn: readonly pulumi.Resource[];
}

/** One version of the service: a Cloud Run service of its own, with its own image and floor. */
export interface CloudRunVersion {
    /** Track name; undefined without tracks. */
    readonly track?: string;
    /** Share of the site's requests, 0-100. */
    readonly percent: number;
    readonly minCapacity: number;
    readonly service: gcp.cloudrunv2.Service;
    readonly invoker: gcp.cloudrunv2.ServiceIamMember;
}

export interface CloudRun {
    /** One per track (a single one without tracks). */
    readonly versions: readonly CloudRunVersion[];
}

/** Cloud Run service names are at most 49 characters. */
const CLOUD_RUN_NAME_MAX = 49;

/**
 * Physical Cloud Run service name: `<service>-<unique>`, or `<service>-<track>-<unique>` for a
 * track, the service name cut short to stay within Cloud Run's 49 characters.
 */
export function cloudRunServiceName(service: string, uniqueSuffix: string, track?: string): string {
    const tail = track ? `-${track}-${uniqueSuffix}` : `-${uniqueSuffix}`;
    return `${service.slice(0, CLOUD_RUN_NAME_MAX - tail.length)}${tail}`;
}

export function createCloudRun(name: string, a: ResolvedGcpSiteArgs, inputs: CloudRunInputs, child: pulumi.CustomResourceOptions): CloudRun {
    const { sql, bucket } = inputs;
    const envs: gcp.types.input.cloudrunv2.ServiceTemplateContainerEnv[] = [];
    // The connector exposes each instance it serves as a Unix socket under /cloudsql.
    const socket = (connectionName: pulumi.Input<string>) => pulumi.interpolate`/cloudsql/${connectionName}`;
    const instances: pulumi.Input<string>[] = [];
    if (sql && a.data) {
        const db = sql.siteDatabase;
        const d = a.data;
        // The writer: this site's own primary, or (for a Cloud SQL replica site) its source's,
        // which the connector reaches across regions; none for a read-only site.
        const writerConnection = d.readOnly ? undefined : d.replicaOf ? d.replicaOf.connectionName : sql.primary.connectionName;
        const readerConnection = (sql.replicas[0] ?? sql.primary).connectionName;
        instances.push(...new Set([sql.primary.connectionName, readerConnection, ...(writerConnection ? [writerConnection] : [])]));
        const env = databaseEnvironment({
            engine: db.engine,
            writerHost: writerConnection ? socket(writerConnection) : undefined,
            readerHost: socket(readerConnection),
            port: db.port,
            databaseName: db.databaseName,
            username: db.username,
            writeRoute: d.readOnly ? d.writeRoute : undefined,
        });
        envs.push(
            ...Object.entries(env).map(([name, value]) => ({ name, value })),
            { name: "DATABASE_PASSWORD", valueSource: { secretKeyRef: { secret: sql.passwordSecret.secretId, version: "latest" } } },
        );
    }
    if (bucket) envs.push({ name: "BUCKET_NAME", value: bucket.bucket.name });
    const probe = { httpGet: { path: a.healthCheckPath, port: a.port }, timeoutSeconds: 3 };
    const specs = a.tracks
        ? a.tracks.map((t) => ({ track: t.name as string | undefined, image: t.image, percent: t.percent, minCapacity: t.minCapacity }))
        : [{ track: undefined as string | undefined, image: a.image, percent: 100, minCapacity: a.minCapacity }];

    const versions = specs.map((v): CloudRunVersion => {
        const s = v.track ? `-${v.track}` : "";
        const labels = v.track ? { ...a.labels, track: v.track } : { ...a.labels };
        const service = new gcp.cloudrunv2.Service(
            `${name}-run${s}`,
            {
                name: cloudRunServiceName(a.service, inputs.uniqueSuffix, v.track),
                location: a.region,
                // Only the load balancer reaches the service, so every request passes its TLS and logging.
                ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
                // A track is removed when the release strategy changes (a canary ends, blue-green goes
                // back to rolling) and holds no data, so only the single service of a site without
                // tracks is protected from deletion.
                deletionProtection: v.track ? false : a.protectStateful,
                labels,
                template: {
                    serviceAccount: inputs.serviceAccountEmail,
                    scaling: { minInstanceCount: v.minCapacity, maxInstanceCount: a.maxCapacity },
                    labels,
                    volumes: sql ? [{ name: "cloudsql", cloudSqlInstance: { instances } }] : [],
                    containers: [
                        {
                            image: v.image,
                            ports: { containerPort: a.port },
                            resources: { limits: { cpu: String(cloudRunCpu(a.cpu, a.memoryMb)), memory: `${a.memoryMb}Mi` }, startupCpuBoost: true },
                            // Up to two minutes to start, then restarted after three failed checks in a row.
                            startupProbe: { ...probe, initialDelaySeconds: 0, periodSeconds: 5, failureThreshold: 24 },
                            livenessProbe: { ...probe, periodSeconds: 15, failureThreshold: 3 },
                            envs: v.track ? [...envs, { name: "RELEASE_TRACK", value: v.track }] : envs,
                            volumeMounts: sql ? [{ name: "cloudsql", mountPath: "/cloudsql" }] : [],
                        },
                    ],
                },
            },
            // A fixed name cannot exist twice, so a replacement deletes first (DNS failover covers the gap).
            { ...alsoAfter(child, ...inputs.dependsOn), deleteBeforeReplace: true },
        );
        // A public service: anyone may invoke it, and ingress still limits that to the load balancer.
        const invoker = new gcp.cloudrunv2.ServiceIamMember(
            `${name}-invoker${s}`,
            { project: a.project, location: a.region, name: service.name, role: "roles/run.invoker", member: "allUsers" },
            child,
        );
        return { track: v.track, percent: v.percent, minCapacity: v.minCapacity, service, invoker };
    });
    return { versions };
}
