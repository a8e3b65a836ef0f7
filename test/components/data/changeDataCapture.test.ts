import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { cdcMechanism, ChangeDataCapture, ChangeDataCaptureArgs, dmsIdentifier, INCLUDE_ALL_TABLES, validateChangeDataCaptureArgs } from "../../../components/data/changeDataCapture";
import { Cloud, SiteDatabase } from "../../../components/site/site";
import { MockRun, runUnderMocks } from "../../harness";

const T = {
    subnetGroup: "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup",
    instance: "aws:dms/replicationInstance:ReplicationInstance",
    endpoint: "aws:dms/endpoint:Endpoint",
    task: "aws:dms/replicationTask:ReplicationTask",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    profile: "gcp:databasemigrationservice/connectionProfile:ConnectionProfile",
    rule: "aws:cloudwatch/eventRule:EventRule",
    eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    job: "gcp:databasemigrationservice/migrationJob:MigrationJob",
};

const config = { "aws:region": "us-east-1", "gcp:project": "shop-prod-1" };
const ALERTS = "arn:aws:sns:us-east-1:123456789012:checkout-aws-us-east-1-alerts";

function database(cloud: Cloud, location: string, engine: "postgres" | "mysql" = "postgres"): SiteDatabase {
    return {
        engine,
        cloud,
        location,
        host: pulumi.output(`db.${location}.example.internal`),
        writerHost: pulumi.output(cloud === "aws" ? `global-writer.${location}.example.internal` : `db.${location}.example.internal`),
        readerHost: pulumi.output(`ro.${location}.example.internal`),
        externalHost: cloud === "aws" ? undefined : pulumi.output(`203.0.113.${location.length}`),
        port: engine === "postgres" ? 5432 : 3306,
        databaseName: "checkout",
        username: "checkout",
        password: pulumi.secret(`pw-${location}`),
        id: pulumi.output(`db-${location}`),
        network:
            cloud === "aws"
                ? {
                      vpcId: pulumi.output(`vpc-${location}`),
                      vpcCidr: "10.0.0.0/16",
                      subnetIds: [pulumi.output("subnet-a"), pulumi.output("subnet-b"), pulumi.output("subnet-c")],
                      privateRouteTableIds: [pulumi.output("rtb-a")],
                      securityGroupId: pulumi.output("sg-db"),
                      egressIps: [pulumi.output("198.51.100.7")],
                  }
                : undefined,
    };
}

async function run(args: () => ChangeDataCaptureArgs): Promise<{ r: MockRun; cdc: ChangeDataCapture }> {
    let cdc: ChangeDataCapture | undefined;
    const r = await runUnderMocks(() => {
        cdc = new ChangeDataCapture("checkout-cdc-gcp", args());
    }, { config });
    return { r, cdc: cdc! };
}

describe("ChangeDataCapture", () => {
    describe("AWS to GCP (AWS DMS)", () => {
        let r: MockRun;
        let cdc: ChangeDataCapture;
        before(async () => {
            ({ r, cdc } = await run(() => ({ source: database("aws", "us-east-1"), target: database("gcp", "us-central1"), alertTopicArn: ALERTS })));
        });

        it("runs a Multi-AZ replication instance in the AWS database's subnets and region", () => {
            const instance = r.one(T.instance).inputs;
            expect(instance.multiAz).to.equal(true);
            expect(instance.publiclyAccessible).to.equal(false);
            expect(instance.region).to.equal("us-east-1");
            expect(instance.replicationInstanceClass).to.equal("dms.r6i.large");
            expect(r.one(T.subnetGroup).inputs.subnetIds).to.deep.equal(["subnet-a", "subnet-b", "subnet-c"]);
            expect(r.one(T.instance).propertyDependencies.replicationSubnetGroupId).to.deep.equal([r.one(T.subnetGroup).urn]);
            const sg = r.one(T.securityGroup);
            expect(sg.inputs.vpcId).to.equal("vpc-us-east-1");
            expect(instance.vpcSecurityGroupIds).to.deep.equal([`${sg.name}-id`]);
        });

        it("lets the replication instance through the AWS database's security group on its port only", () => {
            const rule = r.one(T.ingress).inputs;
            expect([rule.securityGroupId, rule.referencedSecurityGroupId, rule.fromPort, rule.toPort]).to.deep.equal(["sg-db", `${r.one(T.securityGroup).name}-id`, 5432, 5432]);
        });

        it("follows the writer: reads the source through its global writer endpoint, writes the target at its external address, both over TLS", () => {
            const source = r.one(T.endpoint, "source").inputs;
            const target = r.one(T.endpoint, "target").inputs;
            expect([source.endpointType, source.engineName, source.serverName, source.port, source.username, source.password, source.sslMode]).to.deep.equal([
                "source",
                "postgres",
                "global-writer.us-east-1.example.internal",
                5432,
                "checkout",
                "pw-us-east-1",
                "require",
            ]);
            expect([target.endpointType, target.serverName, target.password, target.sslMode]).to.deep.equal(["target", "203.0.113.11", "pw-us-central1", "require"]);
            expect((source.postgresSettings as { heartbeatEnable: boolean }).heartbeatEnable).to.equal(true);
        });

        it("copies every table and then streams changes (full-load-and-cdc) between those endpoints", () => {
            const task = r.one(T.task);
            expect(task.inputs.migrationType).to.equal("full-load-and-cdc");
            expect(JSON.parse(task.inputs.tableMappings as string)).to.deep.equal(JSON.parse(INCLUDE_ALL_TABLES));
            expect(JSON.parse(INCLUDE_ALL_TABLES).rules[0]).to.include({ "rule-action": "include" });
            expect(task.inputs.startReplicationTask).to.equal(true);
        });

        it("wires the task to this instance and these endpoints", async () => {
            // ARN outputs exist only once created: a preview run keeps them as unknowns with their dependencies.
            const preview = await runUnderMocks(() => {
                new ChangeDataCapture("checkout-cdc-gcp", { source: database("aws", "us-east-1"), target: database("gcp", "us-central1") });
            }, { config, preview: true });
            const task = preview.one(T.task);
            expect(task.propertyDependencies.replicationInstanceArn).to.deep.equal([preview.one(T.instance).urn]);
            expect(task.propertyDependencies.sourceEndpointArn).to.deep.equal([preview.one(T.endpoint, "source").urn]);
            expect(task.propertyDependencies.targetEndpointArn).to.deep.equal([preview.one(T.endpoint, "target").urn]);
        });

        it("reports the mechanism", () => {
            expect(cdc.mechanism).to.equal("aws-dms");
        });

        it("sends every state change of the task (stopped, failed) to the AWS side's alert topic", () => {
            const rule = r.one(T.rule);
            expect(rule.inputs.region).to.equal("us-east-1");
            expect(JSON.parse(rule.inputs.eventPattern as string)).to.deep.include({ source: ["aws.dms"], "detail-type": ["DMS Replication Task State Change"] });
            expect(rule.propertyDependencies.eventPattern).to.include(r.one(T.task).urn);
            expect(r.one(T.eventTarget).inputs).to.include({ region: "us-east-1", rule: rule.inputs.name ?? rule.name, arn: ALERTS });
        });

        it("alarms when change data capture falls more than a minute behind, reading the source or applying to the target", () => {
            const alarms = r.ofType(T.alarm);
            expect(alarms.map((a) => a.inputs.metricName)).to.deep.equal(["CDCLatencySource", "CDCLatencyTarget"]);
            for (const a of alarms) {
                expect(a.inputs).to.include({ region: "us-east-1", namespace: "AWS/DMS", threshold: 60, comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 5, datapointsToAlarm: 3 });
                expect(a.inputs.alarmActions).to.deep.equal([ALERTS]);
                expect(Object.keys(a.inputs.dimensions as object)).to.deep.equal(["ReplicationInstanceIdentifier", "ReplicationTaskIdentifier"]);
            }
        });
    });

    it("runs DMS in the AWS target's region when the source is elsewhere (GCP to AWS)", async () => {
        const { r } = await run(() => ({ source: database("gcp", "us-central1", "mysql"), target: database("aws", "us-west-2", "mysql") }));
        expect(r.one(T.instance).inputs.region).to.equal("us-west-2");
        expect(r.one(T.endpoint, "source").inputs.engineName).to.equal("mysql");
        expect(r.one(T.ingress).inputs.fromPort).to.equal(3306);
    });

    it("feeds a GCP site from a Kubernetes database with a CONTINUOUS Database Migration Service job", async () => {
        const { r, cdc } = await run(() => ({ source: database("kubernetes", "prod-eu"), target: database("gcp", "europe-west1") }));
        expect(cdc.mechanism).to.equal("gcp-dms");
        const source = r.one(T.profile, "source");
        const target = r.one(T.profile, "target");
        // The Kubernetes database at the external host it publishes.
        expect(source.inputs.postgresql).to.deep.include({ host: "203.0.113.7", port: 5432, username: "checkout", password: "pw-prod-eu" });
        expect((target.inputs.postgresql as { cloudSqlId: string }).cloudSqlId).to.equal("db-europe-west1");
        const job = r.one(T.job).inputs;
        expect([job.type, job.source, job.destination, job.location]).to.deep.equal(["CONTINUOUS", source.name, target.name, "europe-west1"]);
        expect(r.ofType(T.instance)).to.have.length(0);
    });

    it("creates nothing it cannot run (GCP into a self-run Kubernetes database) and reports no mechanism", async () => {
        const { r, cdc } = await run(() => ({ source: database("gcp", "us-central1"), target: database("kubernetes", "prod-eu") }));
        expect(cdc.mechanism).to.equal("none");
        expect(r.resources.filter((x) => x.custom)).to.have.length(0);
    });
});

describe("validateChangeDataCaptureArgs", () => {
    const db = (cloud: Cloud, location: string, extra: Partial<SiteDatabase> = {}) =>
        ({ engine: "postgres", cloud, location, port: 5432, network: cloud === "aws" ? { subnetIds: [1, 2] } : undefined, ...extra }) as unknown as SiteDatabase;

    it("accepts a cross-cloud pair of one engine", () => {
        expect(validateChangeDataCaptureArgs({ source: db("aws", "us-east-1"), target: db("gcp", "us-central1") })).to.deep.equal([]);
    });

    it("refuses different engines", () => {
        expect(validateChangeDataCaptureArgs({ source: db("aws", "us-east-1"), target: db("gcp", "us-central1", { engine: "mysql" }) }).join("\n")).to.match(/target.engine: "mysql" differs from source.engine "postgres"/);
    });

    it("sends same-cloud pairs to the sites' own replication", () => {
        expect(validateChangeDataCaptureArgs({ source: db("aws", "us-east-1"), target: db("aws", "us-west-2") }).join("\n")).to.match(/replicaOf \(Aurora Global Database\)/);
        expect(validateChangeDataCaptureArgs({ source: db("gcp", "us-central1"), target: db("gcp", "us-east1") }).join("\n")).to.match(/Cloud SQL cross-region replica/);
    });

    it("refuses an AWS database that does not say where DMS can reach it", () => {
        expect(validateChangeDataCaptureArgs({ source: db("aws", "us-east-1", { network: undefined }), target: db("gcp", "us-central1") }).join("\n")).to.match(/source.network: the AWS database in us-east-1/);
    });

    it("refuses a single subnet (a Multi-AZ instance needs two zones)", () => {
        const one = { subnetIds: [1] } as unknown as SiteDatabase["network"];
        expect(validateChangeDataCaptureArgs({ source: db("gcp", "us-central1"), target: db("aws", "us-east-1", { network: one }) }).join("\n")).to.match(/target.network.subnetIds: 1 subnet/);
    });
});

describe("cdcMechanism and dmsIdentifier", () => {
    it("uses AWS DMS whenever AWS is one side, GCP DMS into GCP, nothing otherwise", () => {
        expect([cdcMechanism("aws", "gcp"), cdcMechanism("kubernetes", "aws"), cdcMechanism("kubernetes", "gcp"), cdcMechanism("gcp", "kubernetes")]).to.deep.equal(["aws-dms", "aws-dms", "gcp-dms", "none"]);
    });

    it("makes identifiers DMS accepts", () => {
        expect(dmsIdentifier("Checkout_CDC", "gcp-us-central1", "source")).to.equal("checkout-cdc-gcp-us-central1-source");
        const long = ["checkout-with-a-very-long-service-name", "gcp-northamerica-northeast1", "prod"];
        const [source, target] = [dmsIdentifier(...long, "source"), dmsIdentifier(...long, "target")];
        for (const id of [source, target, dmsIdentifier("9lives", "x".repeat(80))]) expect(id).to.match(/^[a-z](?!.*--)[a-z0-9-]{0,62}$/);
        expect(source).to.not.equal(target);
        expect(source.endsWith("-source")).to.equal(true);
    });
});
