import { s3BucketVersioning } from "../../../../policies/rules/aws/s3BucketVersioning";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { bucket, bucketV2, bucketVersioning } from "./factories";

const type = "aws:s3/bucketVersioning:BucketVersioning";
const check = checker(s3BucketVersioning, type, "assets-versioning");
const subject = `${type} "assets-versioning"`;

describe("s3-bucket-versioning", () => {
    it("Compliance: accepts versioning Enabled", async () => {
        expectNone(await check(bucketVersioning()));
    });

    it("Noncompliance 1: reports Suspended versioning with the fix", async () => {
        expectOne(await check(set(bucketVersioning(), "versioningConfiguration.status", "Suspended")), "s3-bucket-versioning", subject, 'versioningConfiguration.status is "Suspended"', 'status: "Enabled"');
    });

    it("Noncompliance 2: reports Disabled versioning", async () => {
        expectOne(await check(set(bucketVersioning(), "versioningConfiguration.status", "Disabled")), "s3-bucket-versioning", subject, '"Disabled"');
    });

    it("Noncompliance 3: judges the deprecated BucketVersioningV2 the same way", async () => {
        const checkV2 = checker(s3BucketVersioning, "aws:s3/bucketVersioningV2:BucketVersioningV2", "assets-versioning-v2");
        expectNone(await checkV2(bucketVersioning()));
        expectOne(await checkV2(set(bucketVersioning(), "versioningConfiguration.status", "Suspended")), "s3-bucket-versioning", "BucketVersioningV2", '"Suspended"');
    });

    it("Noncompliance 4: reports the inline versioning of a Bucket turned off", async () => {
        const checkBucket = checker(s3BucketVersioning, "aws:s3/bucket:Bucket", "assets");
        expectNone(await checkBucket(bucket()));
        expectOne(await checkBucket(set(bucket(), "versioning.enabled", false)), "s3-bucket-versioning", 'aws:s3/bucket:Bucket "assets"', "versioning.enabled is false");
    });

    it("Noncompliance 5: reports the inline versionings of a BucketV2 turned off", async () => {
        const checkBucket = checker(s3BucketVersioning, "aws:s3/bucketV2:BucketV2", "assets-v2");
        expectNone(await checkBucket(bucketV2()));
        expectOne(await checkBucket(set(bucketV2(), "versionings[0].enabled", false)), "s3-bucket-versioning", 'aws:s3/bucketV2:BucketV2 "assets-v2"', "versionings[0].enabled is false");
    });

    it("Compliance: leaves a bucket without inline versioning to the stack rule", async () => {
        expectNone(await checker(s3BucketVersioning, "aws:s3/bucket:Bucket", "assets")(unset(bucket(), "versioning")));
    });

    it("Unknown: does not judge a status unknown at preview", async () => {
        expectNone(await check(set(bucketVersioning(), "versioningConfiguration.status", UNKNOWN)));
        expectNone(await check({ ...bucketVersioning(), versioningConfiguration: UNKNOWN }));
    });
});
