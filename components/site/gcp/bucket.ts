// The site's object storage: versioned, never public, regional or dual-region with turbo replication.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedGcpData, ResolvedGcpSiteArgs } from "../gcpSite";
import { multiRegionOf } from "../providerLimits";
import { SiteBucket, statefulOptions } from "../site";

export { multiRegionOf };

export interface GcpBucket {
    readonly bucket: gcp.storage.Bucket;
    readonly siteBucket: SiteBucket;
    readonly grants: readonly pulumi.Resource[];
}

export function createGcpBucket(
    name: string,
    a: ResolvedGcpSiteArgs,
    d: ResolvedGcpData,
    serviceAccountEmail: string,
    parent: pulumi.Resource,
    child: pulumi.CustomResourceOptions,
): GcpBucket {
    const dual = d.bucketDualRegion;
    const bucket = new gcp.storage.Bucket(
        `${name}-bucket`,
        {
            location: dual ? (multiRegionOf(a.region) as string) : a.region.toUpperCase(),
            ...(dual
                ? {
                      customPlacementConfig: { dataLocations: [a.region.toUpperCase(), dual.toUpperCase()] },
                      ...(d.turboReplication ? { rpo: "ASYNC_TURBO" } : {}),
                  }
                : {}),
            storageClass: "STANDARD",
            versioning: { enabled: true },
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            // Never delete objects with the bucket; with protection the provider also refuses to delete it.
            forceDestroy: false,
            ...(a.protectStateful ? { deletionPolicy: "PREVENT" } : {}),
            lifecycleRules: [
                // Old versions are kept as long as the database backups, then removed.
                { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: d.backupRetentionDays, withState: "ARCHIVED" } },
                { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 1 } },
            ],
            labels: { ...a.labels },
        },
        statefulOptions(parent, a.protectStateful, { provider: child.provider, dependsOn: child.dependsOn }),
    );
    const grants = [
        new gcp.storage.BucketIAMMember(`${name}-bucket-access`, { bucket: bucket.name, role: "roles/storage.objectUser", member: `serviceAccount:${serviceAccountEmail}` }, child),
    ];
    return {
        bucket,
        grants,
        siteBucket: { cloud: "gcp", location: a.region, name: bucket.name, uri: pulumi.interpolate`gs://${bucket.name}` },
    };
}
