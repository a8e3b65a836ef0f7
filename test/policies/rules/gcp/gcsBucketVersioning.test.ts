import { gcsBucketVersioning } from "../../../../policies/rules/gcp/gcsBucketVersioning";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { storageBucket } from "./factories";

const type = "gcp:storage/bucket:Bucket";
const subject = `${type} "assets"`;
const check = checker(gcsBucketVersioning, type, "assets");

describe("gcs-bucket-versioning", () => {
    it("Compliance: accepts versioning on and soft delete kept", async () => {
        expectNone(await check(storageBucket()));
        expectNone(await check(unset(storageBucket(), "softDeletePolicy")));
    });

    it("Noncompliance 1: reports versioning off with the fix", async () => {
        expectOne(await check(set(storageBucket(), "versioning.enabled", false)), "gcs-bucket-versioning", subject, "versioning.enabled is false", "Set versioning: { enabled: true }");
    });

    it("Noncompliance 2: reports a bucket without versioning", async () => {
        expectOne(await check(unset(storageBucket(), "versioning")), "gcs-bucket-versioning", subject, "versioning is not set (Cloud Storage keeps no versions)");
    });

    it("Noncompliance 3: reports soft delete turned off", async () => {
        expectOne(await check(set(storageBucket(), "softDeletePolicy.retentionDurationSeconds", 0)), "gcs-bucket-versioning", subject, "softDeletePolicy.retentionDurationSeconds is 0", "Remove softDeletePolicy");
    });

    it("Unknown: does not judge values unknown at preview", async () => {
        expectNone(await check({ ...storageBucket(), versioning: UNKNOWN, softDeletePolicy: UNKNOWN }));
        expectNone(await check(set(storageBucket(), "versioning.enabled", UNKNOWN)));
    });
});
