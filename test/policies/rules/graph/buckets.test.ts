import { bucketReplicationCoverage, bucketVersioningCoverage } from "../../../../policies/rules/graph";
import { UNKNOWN } from "../../../harness";
import { expectNone, expectOne } from "../support";
import { expectOn, from, judge, TestStack } from "./stack";

const bucket = "aws:s3/bucket:Bucket";

describe("bucket-versioning-coverage", () => {
    it("Compliance: accepts a bucket with a BucketVersioning resource, and one with inline versioning", async () => {
        const stack = new TestStack();
        const b = stack.add(bucket, "assets", {});
        stack.add("aws:s3/bucketVersioning:BucketVersioning", "assets", { bucket: from(b), versioningConfiguration: { status: "Enabled" } });
        stack.add(bucket, "legacy", { versioning: { enabled: true } });
        stack.add("aws:s3/bucketV2:BucketV2", "v2", { versionings: [{ enabled: true }] });
        expectNone(await judge(bucketVersioningCoverage, stack));
    });

    it("Noncompliance 1: reports a bucket no versioning resource names, with the fix", async () => {
        const stack = new TestStack();
        const versioned = stack.add(bucket, "assets", {});
        stack.add("aws:s3/bucketVersioning:BucketVersioning", "assets", { bucket: from(versioned), versioningConfiguration: { status: "Enabled" } });
        stack.add(bucket, "uploads", {});
        expectOne(await judge(bucketVersioningCoverage, stack), "bucket-versioning-coverage", 'aws:s3/bucket:Bucket "uploads"', "no aws:s3/bucketVersioning:BucketVersioning names it", 'versioningConfiguration: { status: "Enabled" }');
    });

    it("Finds the versioning resource by bucket name when the values are known (an update)", async () => {
        const stack = new TestStack(false);
        stack.add(bucket, "assets", { bucket: "assets-123" });
        stack.add("aws:s3/bucketVersioningV2:BucketVersioningV2", "assets", { bucket: "assets-123", versioningConfiguration: { status: "Enabled" } });
        stack.add(bucket, "other", { bucket: "other-123" });
        expectOn(await judge(bucketVersioningCoverage, stack), "other");
    });

    it("Unknown: a versioning resource whose bucket cannot be told may be any bucket's", async () => {
        const stack = new TestStack();
        stack.add(bucket, "assets", {});
        stack.add("aws:s3/bucketVersioning:BucketVersioning", "v", { bucket: UNKNOWN, versioningConfiguration: { status: "Enabled" } });
        stack.add(bucket, "inline-unknown", { versioning: UNKNOWN });
        expectNone(await judge(bucketVersioningCoverage, stack));
    });
});

describe("bucket-replication-coverage", () => {
    it("Compliance: accepts a bucket replicated to a bucket in another region (the destination needs none)", async () => {
        const stack = new TestStack();
        const east = stack.awsProvider("east", "us-east-1");
        const west = stack.awsProvider("west", "us-west-2");
        const src = stack.add(bucket, "assets", {}, { provider: east });
        const dst = stack.add(bucket, "assets-replica", {}, { provider: west });
        stack.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "assets", { bucket: from(src), role: "arn:aws:iam::1:role/r", rules: [{ status: "Enabled", destination: { bucket: from(dst) } }] }, { provider: east });
        stack.add("gcp:storage/bucket:Bucket", "media", { location: "US" });
        stack.add("gcp:storage/bucket:Bucket", "dual", { location: "NAM4" });
        expectNone(await judge(bucketReplicationCoverage, stack));
    });

    it("Compliance: accepts an S3 bucket copied into Cloud Storage by a Storage Transfer job", async () => {
        const stack = new TestStack();
        const src = stack.add(bucket, "objects", {});
        const sink = stack.add("gcp:storage/bucket:Bucket", "objects-gcs", { location: "US" });
        stack.add("gcp:storage/transferJob:TransferJob", "copy", { status: "ENABLED", transferSpec: { awsS3DataSource: { bucketName: from(src), roleArn: UNKNOWN }, gcsDataSink: { bucketName: from(sink) } } });
        expectNone(await judge(bucketReplicationCoverage, stack));
        const disabled = new TestStack();
        const b = disabled.add(bucket, "objects", {});
        disabled.add("gcp:storage/transferJob:TransferJob", "copy", { status: "DISABLED", transferSpec: { awsS3DataSource: { bucketName: from(b) }, gcsDataSink: { bucketName: "elsewhere" } } });
        expectOn(await judge(bucketReplicationCoverage, disabled), "objects");
    });

    it("Noncompliance 1: reports an unreplicated S3 bucket and a single-region Cloud Storage bucket", async () => {
        const stack = new TestStack();
        stack.add(bucket, "assets", {});
        stack.add("gcp:storage/bucket:Bucket", "media", { location: "US-CENTRAL1" });
        const v = await judge(bucketReplicationCoverage, stack);
        expectOn(v, "assets", "media");
        expectOne(v.slice(0, 1), "bucket-replication-coverage", 'aws:s3/bucket:Bucket "assets"', "no replication configuration copies its objects", "aws.s3.BucketReplicationConfig");
        expectOne(v.slice(1), "bucket-replication-coverage", 'gcp:storage/bucket:Bucket "media"', 'location is "US-CENTRAL1", a single region');
        expectNone(await judge(bucketReplicationCoverage, stack, { requireReplication: false }));
    });

    it("Noncompliance 2: reports replication to a bucket in the same region", async () => {
        const stack = new TestStack();
        const east = stack.awsProvider("east", "us-east-1");
        const src = stack.add(bucket, "assets", {}, { provider: east });
        const dst = stack.add(bucket, "assets-copy", {}, { provider: east });
        stack.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "assets", { bucket: from(src), role: "r", rules: [{ status: "Enabled", destination: { bucket: from(dst) } }] }, { provider: east });
        expectOne(await judge(bucketReplicationCoverage, stack), "bucket-replication-coverage", '"assets"', 'replicates only to buckets in its own region ("assets-copy" in us-east-1)');
    });

    it("Unknown: does not judge unknown locations or replication whose source cannot be told", async () => {
        const stack = new TestStack();
        stack.add("gcp:storage/bucket:Bucket", "media", { location: UNKNOWN });
        stack.add(bucket, "assets", {});
        stack.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "rc", { bucket: UNKNOWN, role: "r", rules: UNKNOWN });
        expectNone(await judge(bucketReplicationCoverage, stack));
    });
});
