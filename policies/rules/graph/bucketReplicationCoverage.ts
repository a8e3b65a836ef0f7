import { Graph, GraphResource } from "../../lib/graph";
import { awsRegion, sameRegion, showRegion } from "../../lib/location";
import { isUnknown, read } from "../../lib/props";
import { resolve } from "../../lib/refs";
import { finding, Finding, graphRule, s3BucketTypes, types } from "./lib";

const replicationType = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const transferJobType = "gcp:storage/transferJob:TransferJob";

/** Inline replication settings of an S3 bucket type. */
function inlineReplicationProp(b: GraphResource): string {
    return b.type === types.s3BucketV2 ? "replicationConfigurations" : "replicationConfiguration";
}

/** S3 buckets of the stack that other buckets replicate into (replication configs and inline rules). */
export function s3ReplicationDestinations(graph: Graph): Set<string> {
    const out = new Set<string>();
    for (const rc of graph.ofType(replicationType)) {
        const source = resolve(graph, rc, "bucket", [...s3BucketTypes], { identity: ["bucket", "id"] });
        for (const d of resolve(graph, rc, "rules", [...s3BucketTypes], { identity: ["arn"] }).targets) if (!source.targets.includes(d)) out.add(d.urn);
    }
    for (const b of graph.ofType(...s3BucketTypes)) {
        const inline = read(b.props, inlineReplicationProp(b));
        if (inline === undefined || inline === null || (Array.isArray(inline) && inline.length === 0)) continue;
        for (const d of resolve(graph, b, inlineReplicationProp(b), [...s3BucketTypes], { identity: ["arn"] }).targets) out.add(d.urn);
    }
    return out;
}

/**
 * A bucket that lives in one region is lost (for reads and writes) with it: every S3 bucket must
 * replicate to a bucket in another region, and every Cloud Storage bucket must be dual- or
 * multi-region.
 */
export const bucketReplicationCoverage = graphRule({
    name: "bucket-replication-coverage",
    description: "Every bucket must keep a copy of its objects in another region (S3 replication to another region, or a dual/multi-region Cloud Storage location).",
    thresholds: {
        requireReplication: { type: "boolean", default: true, description: "Whether every bucket that is not itself a replication destination must be replicated to another region." },
    },
    check: (graph, { requireReplication }) => {
        if (!requireReplication) return [];
        const findings: Finding[] = [];
        const buckets = graph.ofType(...s3BucketTypes);
        // Source bucket -> destination buckets (empty when the destination is outside the stack or not known).
        const replicated = new Map<string, GraphResource[]>();
        const destinations = s3ReplicationDestinations(graph);
        let open = false;
        for (const rc of graph.ofType(replicationType)) {
            const source = resolve(graph, rc, "bucket", [...s3BucketTypes], { identity: ["bucket", "id"] });
            if (source.open) open = true;
            const dest = resolve(graph, rc, "rules", [...s3BucketTypes], { identity: ["arn"] }).targets.filter((d) => !source.targets.includes(d));
            for (const s of source.targets) replicated.set(s.urn, [...(replicated.get(s.urn) ?? []), ...dest]);
        }
        // A Storage Transfer job copying an S3 bucket into Cloud Storage replicates it to another cloud.
        for (const job of graph.ofType(transferJobType)) {
            const status = read(job.props, "status");
            if (status === "DISABLED" || status === "DELETED") continue;
            const s3 = read(job.props, "transferSpec.awsS3DataSource");
            if (s3 === undefined || s3 === null) continue;
            const source = resolve(graph, job, "transferSpec", [...s3BucketTypes], { value: read(s3, "bucketName"), identity: ["bucket", "id"] });
            if (source.open || isUnknown(status)) open = true;
            const sinks = resolve(graph, job, "transferSpec", [types.gcsBucket], { value: read(job.props, "transferSpec.gcsDataSink.bucketName"), identity: ["name", "id"] }).targets;
            for (const s of source.targets) replicated.set(s.urn, [...(replicated.get(s.urn) ?? []), ...sinks]);
        }
        for (const b of buckets) {
            const inline = read(b.props, inlineReplicationProp(b));
            if (inline !== undefined && inline !== null && !(Array.isArray(inline) && inline.length === 0)) {
                const dest = resolve(graph, b, inlineReplicationProp(b), [...s3BucketTypes], { identity: ["arn"] }).targets;
                replicated.set(b.urn, [...(replicated.get(b.urn) ?? []), ...dest]);
            }
        }
        for (const b of buckets) {
            if (destinations.has(b.urn)) continue;
            const dest = replicated.get(b.urn);
            const region = awsRegion(b);
            if (dest === undefined) {
                if (open) continue;
                findings.push(
                    finding(
                        b,
                        "no replication configuration copies its objects to another bucket",
                        `its objects exist only in ${showRegion(region)}: a regional outage makes them unavailable and a regional disaster loses them`,
                        "Add an aws.s3.BucketReplicationConfig (bucket from this bucket, versioning enabled on both) whose rules[].destination.bucket is the ARN of a bucket created with a provider for another region.",
                    ),
                );
                continue;
            }
            // Copies into another cloud are in another region by definition.
            if (dest.length > 0 && dest.every((d) => d.type !== types.gcsBucket && sameRegion(awsRegion(d), region) === true)) {
                findings.push(
                    finding(
                        b,
                        `it replicates only to buckets in its own region (${dest.map((d) => `"${d.name}"`).join(", ")} in ${showRegion(region)})`,
                        "a regional outage or disaster takes the bucket and its replicas together",
                        "Point rules[].destination.bucket at a bucket created with a provider for another region.",
                    ),
                );
            }
        }
        for (const b of graph.ofType(types.gcsBucket)) {
            const location = read(b.props, "location");
            if (isUnknown(location) || typeof location !== "string") continue;
            const dataLocations = read(b.props, "customPlacementConfig.dataLocations");
            if (isUnknown(dataLocations) || (Array.isArray(dataLocations) && dataLocations.length >= 2)) continue;
            if (!/^[a-z]+-[a-z]+\d+$/i.test(location)) continue; // US, EU, ASIA, NAM4, EUR4, ...: multi- or dual-region
            findings.push(
                finding(
                    b,
                    `location is "${location}", a single region`,
                    `its objects exist only in ${location.toLowerCase()}: a regional outage makes them unavailable`,
                    'Use a dual-region ("NAM4", "EUR4", or customPlacementConfig.dataLocations with two regions) or multi-region ("US", "EU", "ASIA") location. The location cannot change in place: create a new bucket and copy the objects.',
                ),
            );
        }
        return findings;
    },
});
