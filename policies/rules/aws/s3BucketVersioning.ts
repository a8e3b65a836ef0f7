import type * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { check, resourcesOf } from "../../lib/rule";

const consequence = "an overwrite or delete (by a bug, a person or ransomware) destroys the only copy of an object, and S3 replication to another region needs versioning";
const fix = 'Set versioningConfiguration: { status: "Enabled" } in an aws.s3.BucketVersioning for the bucket.';

const versioningResource = check<aws.s3.BucketVersioningArgs>((v, say) => {
    const conf = v.at("versioningConfiguration");
    const status = conf.str("status");
    if (status !== undefined && status !== "Enabled") say(conf.is("status"), consequence, fix);
});

/**
 * Where a bucket's versioning is written down (an aws.s3.BucketVersioning, or the deprecated inline
 * block of a Bucket/BucketV2), it must be Enabled. Whether every bucket has versioning at all is a
 * stack rule: it needs to see the bucket's BucketVersioning resource.
 */
export const s3BucketVersioning: ResourceValidationPolicy = {
    name: "s3-bucket-versioning",
    description: "S3 bucket versioning, where it is configured, must be Enabled.",
    enforcementLevel: "advisory",
    validateResource: resourcesOf({
        "aws:s3/bucketVersioning:BucketVersioning": versioningResource,
        "aws:s3/bucketVersioningV2:BucketVersioningV2": versioningResource,
        "aws:s3/bucket:Bucket": check<aws.s3.BucketArgs>((bucket, say) => {
            const inline = bucket.at("versioning");
            if (inline.bool("enabled") === false) say(inline.is("enabled"), consequence, fix);
        }),
        "aws:s3/bucketV2:BucketV2": check<aws.s3.BucketV2Args>((bucket, say) => {
            for (const inline of bucket.items("versionings") ?? []) {
                if (inline.bool("enabled") === false) say(inline.is("enabled"), consequence, fix);
            }
        }),
    }),
};
