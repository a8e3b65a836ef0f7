import { read } from "../../lib/props";
import { resolve } from "../../lib/refs";
import { finding, Finding, graphRule, s3BucketTypes, types } from "./lib";

const versioningTypes = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];

/**
 * Every bucket needs versioning: it turns an overwrite or delete into a recoverable event, and
 * S3 replication requires it. Where a versioning setting is written down its value is judged by
 * the resource rule s3-bucket-versioning (and Cloud Storage buckets, whose versioning is inline, by
 * gcs-bucket-versioning); this rule finds the S3 buckets that have none at all.
 */
export const bucketVersioningCoverage = graphRule({
    name: "bucket-versioning-coverage",
    description: "Every S3 bucket must have a versioning configuration (a BucketVersioning resource or inline versioning).",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        const refs = graph.ofType(...versioningTypes).map((v) => resolve(graph, v, "bucket", [...s3BucketTypes], { identity: ["bucket", "id"] }));
        // A versioning resource whose bucket cannot be told could be any bucket's.
        const open = refs.some((r) => r.open);
        const configured = new Set(refs.flatMap((r) => r.targets.map((t) => t.urn)));
        for (const bucket of graph.ofType(...s3BucketTypes)) {
            if (open || configured.has(bucket.urn)) continue;
            const inline = read(bucket.props, bucket.type === types.s3BucketV2 ? "versionings" : "versioning");
            if (inline !== undefined && inline !== null && !(Array.isArray(inline) && inline.length === 0)) continue;
            findings.push(
                finding(
                    bucket,
                    "no aws:s3/bucketVersioning:BucketVersioning names it and it has no inline versioning",
                    "an overwrite or delete (by a bug, a person or ransomware) destroys the only copy of an object, and the bucket cannot be replicated to another region",
                    'Add an aws.s3.BucketVersioning with bucket from this bucket and versioningConfiguration: { status: "Enabled" }.',
                ),
            );
        }
        return findings;
    },
});
