import type * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOf } from "../../lib/rule";

/**
 * A GCS bucket must keep object versions, and must not turn soft delete off, so that an overwrite
 * or delete (by a bug, a person or ransomware) can be undone.
 */
export const gcsBucketVersioning: ResourceValidationPolicy = {
    name: "gcs-bucket-versioning",
    description: "Cloud Storage buckets must have object versioning enabled and soft delete left on.",
    enforcementLevel: "advisory",
    validateResource: resourceOf<gcp.storage.BucketArgs>("gcp:storage/bucket:Bucket", (bucket, say) => {
        const versioning = bucket.at("versioning");
        if (bucket.absent("versioning") || versioning.bool("enabled") === false) {
            say(
                bucket.absent("versioning") ? `${bucket.is("versioning")} (Cloud Storage keeps no versions)` : versioning.is("enabled"),
                "an overwrite or delete destroys the only copy of an object",
                "Set versioning: { enabled: true } (and a lifecycle rule that expires old noncurrent versions).",
            );
        }
        const softDelete = bucket.at("softDeletePolicy");
        if (softDelete.num("retentionDurationSeconds") === 0) {
            say(
                softDelete.is("retentionDurationSeconds"),
                "soft delete is off: a deleted object (or a deleted bucket's objects) cannot be restored",
                "Remove softDeletePolicy to keep the 7-day default, or set retentionDurationSeconds between 604800 and 7776000.",
            );
        }
    }),
};
