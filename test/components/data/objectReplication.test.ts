import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ObjectReplication, ObjectReplicationArgs, objectReplicationMechanism, validateObjectReplicationArgs } from "../../../components/data/objectReplication";
import { Cloud, SiteBucket } from "../../../components/site/site";
import { MockRun, runUnderMocks } from "../../harness";

const T = {
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    transferJob: "gcp:storage/transferJob:TransferJob",
    bucketMember: "gcp:storage/bucketIAMMember:BucketIAMMember",
    hmac: "gcp:storage/hmacKey:HmacKey",
    objectStorage: "aws:datasync/locationObjectStorage:LocationObjectStorage",
    s3Location: "aws:datasync/s3Location:S3Location",
    task: "aws:datasync/task:Task",
};

const config = { "aws:region": "us-east-1", "gcp:project": "shop-prod-1" };

function bucket(cloud: Cloud, location: string, kms = false): SiteBucket {
    const name = pulumi.output(`checkout-${location}-objects`);
    return {
        cloud,
        location,
        name,
        uri: cloud === "aws" ? pulumi.interpolate`arn:aws:s3:::${name}` : pulumi.interpolate`gs://${name}`,
        kmsKeyArn: kms ? pulumi.output(`arn:aws:kms:${location}:123456789012:key/k-${location}`) : undefined,
    };
}

async function run(args: () => ObjectReplicationArgs): Promise<MockRun> {
    return runUnderMocks(() => {
        new ObjectReplication("checkout-objects", args());
    }, { config });
}

interface Rule {
    id: string;
    priority: number;
    status: string;
    filter: unknown;
    deleteMarkerReplication: { status: string };
    sourceSelectionCriteria?: unknown;
    destination: { bucket: string; replicationTime: unknown; metrics: unknown; encryptionConfiguration?: unknown; storageClass: string };
}

describe("ObjectReplication", () => {
    describe("AWS to AWS", () => {
        let r: MockRun;
        before(async () => {
            r = await run(() => ({ source: bucket("aws", "us-east-1", true), destinations: [bucket("aws", "us-west-2", true), bucket("aws", "eu-west-1")] }));
        });

        it("puts one replication configuration on the source bucket, in its region, with the replication role", () => {
            const replication = r.one(T.replication);
            expect(replication.inputs.bucket).to.equal("checkout-us-east-1-objects");
            expect(replication.inputs.region).to.equal("us-east-1");
            const role = r.one(T.role, "s3-replication");
            expect(replication.inputs.role).to.equal(`arn:aws:iam:us-east-1:123456789012:${role.name}`);
            expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal).to.deep.equal({ Service: "s3.amazonaws.com" });
        });

        it("replicates every object and delete marker to each destination within 15 minutes (Replication Time Control)", () => {
            const rules = r.one(T.replication).inputs.rules as Rule[];
            expect(rules.map((x) => [x.id, x.priority, x.destination.bucket])).to.deep.equal([
                ["to-us-west-2", 0, "arn:aws:s3:::checkout-us-west-2-objects"],
                ["to-eu-west-1", 1, "arn:aws:s3:::checkout-eu-west-1-objects"],
            ]);
            for (const rule of rules) {
                expect(rule.status).to.equal("Enabled");
                expect(rule.filter).to.deep.equal({});
                expect(rule.deleteMarkerReplication).to.deep.equal({ status: "Enabled" });
                expect(rule.destination.replicationTime).to.deep.equal({ status: "Enabled", time: { minutes: 15 } });
                expect(rule.destination.metrics).to.deep.equal({ status: "Enabled", eventThreshold: { minutes: 15 } });
            }
        });

        it("replicates KMS-encrypted objects, re-encrypting with the destination's key where it has one", () => {
            const [toWest, toEu] = r.one(T.replication).inputs.rules as Rule[];
            expect(toWest.sourceSelectionCriteria).to.deep.equal({ sseKmsEncryptedObjects: { status: "Enabled" } });
            expect(toWest.destination.encryptionConfiguration).to.deep.equal({ replicaKmsKeyId: "arn:aws:kms:us-west-2:123456789012:key/k-us-west-2" });
            expect(toEu.destination.encryptionConfiguration).to.equal(undefined);
            const policy = JSON.parse(r.one(T.rolePolicy, "s3-replication").inputs.policy as string);
            const actions = policy.Statement.flatMap((s: { Action: string[] }) => s.Action);
            expect(actions).to.include.members(["s3:GetObjectVersionForReplication", "s3:ReplicateObject", "s3:ReplicateDelete", "kms:Decrypt", "kms:Encrypt"]);
        });
    });

    describe("AWS to GCP", () => {
        it("runs an hourly Storage Transfer job from the S3 bucket into the GCS bucket with a role Google assumes", async () => {
            const r = await run(() => ({ source: bucket("aws", "us-east-1"), destinations: [bucket("gcp", "us-central1")] }));
            const job = r.one(T.transferJob).inputs as { transferSpec: Record<string, Record<string, unknown>>; schedule: { repeatInterval: string }; status: string };
            const reader = r.one(T.role, "reader");
            expect(job.transferSpec.awsS3DataSource).to.deep.equal({ bucketName: "checkout-us-east-1-objects", roleArn: `arn:aws:iam:us-east-1:123456789012:${reader.name}` });
            expect(job.transferSpec.gcsDataSink).to.deep.equal({ bucketName: "checkout-us-central1-objects" });
            expect(job.transferSpec.transferOptions.deleteObjectsUniqueInSink).to.equal(false);
            expect(job.schedule.repeatInterval).to.equal("3600s");
            expect(job.status).to.equal("ENABLED");
            expect(JSON.parse(reader.inputs.assumeRolePolicy as string).Statement[0]).to.include({ Action: "sts:AssumeRoleWithWebIdentity" });
            expect(r.ofType(T.bucketMember).map((m) => [m.inputs.bucket, m.inputs.role])).to.deep.equal([
                ["checkout-us-central1-objects", "roles/storage.objectAdmin"],
                ["checkout-us-central1-objects", "roles/storage.legacyBucketWriter"],
            ]);
        });

        it("reads S3 with access keys instead when given, creating no role", async () => {
            const r = await run(() => ({
                source: bucket("aws", "us-east-1"),
                destinations: [bucket("gcp", "us-central1")],
                awsAccessKey: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: pulumi.secret("s3cr3t") },
                transferIntervalSeconds: 7200,
            }));
            const job = r.one(T.transferJob).inputs as { transferSpec: Record<string, Record<string, unknown>>; schedule: { repeatInterval: string } };
            expect(job.transferSpec.awsS3DataSource.awsAccessKey).to.deep.equal({ accessKeyId: "AKIAEXAMPLE", secretAccessKey: "s3cr3t" });
            expect(job.transferSpec.awsS3DataSource.roleArn).to.equal(undefined);
            expect(job.schedule.repeatInterval).to.equal("7200s");
            expect(r.ofType(T.role)).to.have.length(0);
        });
    });

    it("replicates GCS to GCS as objects are written (event-driven replication job)", async () => {
        const r = await run(() => ({ source: bucket("gcp", "us-central1"), destinations: [bucket("gcp", "europe-west1")] }));
        const job = r.one(T.transferJob).inputs as { replicationSpec: Record<string, unknown>; schedule?: unknown };
        expect(job.replicationSpec.gcsDataSource).to.deep.equal({ bucketName: "checkout-us-central1-objects" });
        expect(job.replicationSpec.gcsDataSink).to.deep.equal({ bucketName: "checkout-europe-west1-objects" });
        expect(job.schedule).to.equal(undefined);
    });

    it("pulls GCS into S3 with an agentless DataSync task reading through an HMAC key", async () => {
        const r = await run(() => ({ source: bucket("gcp", "us-central1"), destinations: [bucket("aws", "us-east-1", true)] }));
        const hmac = r.one(T.hmac);
        const gcs = r.one(T.objectStorage).inputs;
        expect([gcs.serverHostname, gcs.serverProtocol, gcs.bucketName, gcs.region]).to.deep.equal(["storage.googleapis.com", "HTTPS", "checkout-us-central1-objects", "us-east-1"]);
        expect(gcs.agentArns).to.equal(undefined);
        expect(r.one(T.objectStorage).propertyDependencies.secretKey).to.deep.equal([hmac.urn]);
        const task = r.one(T.task);
        expect(task.inputs.taskMode).to.equal("ENHANCED");
        expect(task.inputs.schedule).to.deep.equal({ scheduleExpression: "rate(1 hour)" });
        expect(task.inputs.sourceLocationArn).to.equal(`arn:aws:datasync:us-east-1:123456789012:${r.one(T.objectStorage).name}`);
        expect(task.inputs.destinationLocationArn).to.equal(`arn:aws:datasync:us-east-1:123456789012:${r.one(T.s3Location).name}`);
    });

    it("creates nothing for a Kubernetes destination (no managed bucket there) and says so", async () => {
        let component: ObjectReplication | undefined;
        const r = await runUnderMocks(() => {
            component = new ObjectReplication("checkout-objects", { source: bucket("aws", "us-east-1"), destinations: [bucket("kubernetes", "prod-eu")] });
        }, { config });
        expect(r.resources.filter((x) => x.custom)).to.have.length(0);
        expect(component?.mechanisms).to.deep.equal({ "kubernetes-prod-eu": "none" });
    });
});

describe("objectReplicationMechanism", () => {
    it("picks the mechanism each cloud pair offers", () => {
        expect(objectReplicationMechanism("aws", "aws")).to.equal("s3-replication");
        expect(objectReplicationMechanism("aws", "gcp")).to.equal("storage-transfer");
        expect(objectReplicationMechanism("gcp", "gcp")).to.equal("storage-transfer-replication");
        expect(objectReplicationMechanism("gcp", "aws")).to.equal("datasync");
        expect(objectReplicationMechanism("kubernetes", "aws")).to.equal("none");
    });
});

describe("validateObjectReplicationArgs", () => {
    const b = (cloud: Cloud, location: string) => ({ cloud, location }) as SiteBucket;

    it("refuses a destination in the source's own region", () => {
        expect(validateObjectReplicationArgs({ source: b("aws", "us-east-1"), destinations: [b("aws", "us-east-1")] }).join("\n")).to.match(/source bucket's own region/);
    });

    it("refuses intervals that are not whole hours", () => {
        expect(validateObjectReplicationArgs({ source: b("aws", "us-east-1"), destinations: [b("gcp", "us-central1")], transferIntervalSeconds: 900 }).join("\n")).to.match(
            /transferIntervalSeconds: 900 is not a whole number of hours/,
        );
    });

    it("refuses both a role and access keys", () => {
        const issues = validateObjectReplicationArgs({ source: b("aws", "us-east-1"), destinations: [b("gcp", "us-central1")], awsRoleArn: "arn:aws:iam::1:role/x", awsAccessKey: { accessKeyId: "a", secretAccessKey: "b" } });
        expect(issues.join("\n")).to.match(/not both/);
    });
});
