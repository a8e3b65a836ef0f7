// The site's object storage: a private, versioned, KMS-encrypted bucket that only accepts TLS.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsSiteContext, childOptions, statefulChildOptions, tagsNamed } from "./context";

export interface Storage {
    readonly bucket: aws.s3.Bucket;
    readonly versioning: aws.s3.BucketVersioning;
}

export function createBucket(ctx: AwsSiteContext, kmsKey: aws.kms.Key): Storage {
    const opts = childOptions(ctx);
    const bucket = new aws.s3.Bucket(`${ctx.name}-objects`, {
        // Never empty a bucket to delete it: with protectStateful off, deleting still fails while objects remain.
        forceDestroy: false,
        tags: tagsNamed(ctx, `${ctx.name}-objects`),
    }, statefulChildOptions(ctx));
    const versioning = new aws.s3.BucketVersioning(`${ctx.name}-objects`, {
        bucket: bucket.id,
        versioningConfiguration: { status: "Enabled" },
    }, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration(`${ctx.name}-objects`, {
        bucket: bucket.id,
        rules: [{
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKey.arn },
            // One data key per bucket instead of one KMS call per object.
            bucketKeyEnabled: true,
        }],
    }, opts);
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(`${ctx.name}-objects`, {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    }, opts);
    new aws.s3.BucketOwnershipControls(`${ctx.name}-objects`, {
        bucket: bucket.id,
        rule: { objectOwnership: "BucketOwnerEnforced" },
    }, opts);
    new aws.s3.BucketPolicy(`${ctx.name}-objects`, {
        bucket: bucket.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [{
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            }],
        }),
    }, { ...opts, dependsOn: [publicAccessBlock] });
    return { bucket, versioning };
}
