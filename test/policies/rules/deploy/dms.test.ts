// The DMS prerequisites: logical replication on the change-data-capture source, the account's DMS
// service roles, and a network path from the replication instance to both endpoints.
import { cdcSourceLogicalReplication, dmsNetworkPath, dmsServiceRoles } from "../../../../policies/rules/deploy";
import { expectNone, expectOne } from "../support";
import { expectOn, judge } from "../graph/stack";
import { dmsStack, UNKNOWN } from "./dmsStack";

const logical = [{ name: "rds.logical_replication", value: "1" }];

describe("cdc-source-logical-replication", () => {
    it("Noncompliance 1: an Aurora PostgreSQL source on the default parameter group: PostgreSQL's answer and the in-place fix", async () => {
        const { stack } = dmsStack();
        expectOne(
            await judge(cdcSourceLogicalReplication, stack),
            "cdc-source-logical-replication",
            'aws:rds/cluster:Cluster "orders-db"',
            'change-data-capture source of aws:dms/replicationTask:ReplicationTask "cdc"',
            "dbClusterParameterGroupName is not set",
            '"ERROR: logical decoding requires wal_level >= logical"',
            'family: "aurora-postgresql16"',
            "does not replace the database",
        );
    });

    it("Noncompliance 2: a parameter group that sets it to 0, and a global database whose secondary cluster lacks it", async () => {
        expectOne(await judge(cdcSourceLogicalReplication, dmsStack({ clusterParameters: [{ name: "rds.logical_replication", value: "0" }] }).stack), "cdc-source-logical-replication", 'sets rds.logical_replication = "0"');
        expectOn(await judge(cdcSourceLogicalReplication, dmsStack({ clusterParameters: logical, viaGlobalCluster: true }).stack), "orders-db-west");
    });

    it("Compliance: rds.logical_replication = 1 on the source; a full-load-only task; an unknown parameter list", async () => {
        expectNone(await judge(cdcSourceLogicalReplication, dmsStack({ clusterParameters: logical }).stack));
        expectNone(await judge(cdcSourceLogicalReplication, dmsStack({ migrationType: "full-load" }).stack));
        expectNone(await judge(cdcSourceLogicalReplication, dmsStack({ clusterParameters: UNKNOWN as never }).stack));
    });
});

describe("dms-service-roles", () => {
    it("Noncompliance 1: no dms-vpc-role in the plan: the AccessDeniedFault DMS answers and how to create it", async () => {
        const v = await judge(dmsServiceRoles, dmsStack().stack);
        expectOn(v, "dms", "cdc");
        expectOne(
            v.filter((x) => x.message.includes("named dms-vpc-role")),
            "dms-service-roles",
            "the plan creates no IAM role named dms-vpc-role",
            "AccessDeniedFault: The IAM Role arn:aws:iam::<account>:role/dms-vpc-role is not configured properly.",
            "AmazonDMSVPCManagementRole",
        );
    });

    it("Noncompliance 2: the roles exist but the DMS resources do not wait for them", async () => {
        expectOne(
            (await judge(dmsServiceRoles, dmsStack({ roles: true, waitForRoles: false }).stack)).filter((x) => x.message.includes("dms-vpc-role is created by")),
            "dms-service-roles",
            "do not wait for its policy attachment",
        );
    });

    it("Compliance: roles created before the DMS resources, or declared as existing; a role whose name is unknown may be it", async () => {
        expectNone(await judge(dmsServiceRoles, dmsStack({ roles: true }).stack));
        expectNone(await judge(dmsServiceRoles, dmsStack().stack, { existingRoles: ["dms-vpc-role", "dms-cloudwatch-logs-role"] }));
        const { stack } = dmsStack();
        stack.add("aws:iam/role:Role", "named-later", { name: UNKNOWN });
        expectNone(await judge(dmsServiceRoles, stack));
    });
});

describe("dms-network-path", () => {
    it("Noncompliance 1: a Cloud SQL target with no authorized networks, reached from a private instance behind NAT", async () => {
        expectOne(
            await judge(dmsNetworkPath, dmsStack().stack),
            "dms-network-path",
            'aws:dms/endpoint:Endpoint "target"',
            'points at gcp:sql/databaseInstance:DatabaseInstance "orders-gcp", which the replication instance cannot reach',
            'Elastic IPs of its NAT gateways ("nat-us-east-1a" and "nat-us-east-1b")',
            "authorized networks (none)",
            "connection test fails",
        );
    });

    it("Noncompliance 2: authorized networks holding one zone's NAT address only (a DMS failover to the other zone loses the path)", async () => {
        expectOne(await judge(dmsNetworkPath, dmsStack({ authorizedNetworks: "some-nat" }).stack), "dms-network-path", 'leave out "nat-us-east-1b"');
    });

    it("Noncompliance 3: the database's security group does not admit the replication instance", async () => {
        const v = await judge(dmsNetworkPath, dmsStack({ authorizedNetworks: "nat", ingress: false }).stack);
        expectOne(v, "dms-network-path", 'aws:dms/endpoint:Endpoint "source"', "admit nothing on port 5432");
    });

    it("Compliance: the NAT Elastic IPs authorized on Cloud SQL (or 0.0.0.0/0) and the source in the same VPC behind an ingress rule", async () => {
        expectNone(await judge(dmsNetworkPath, dmsStack({ authorizedNetworks: "nat" }).stack));
        expectNone(await judge(dmsNetworkPath, dmsStack({ authorizedNetworks: "anywhere" }).stack));
    });

    it("Compliance: Cloud SQL settings unknown at preview are not judged", async () => {
        const { stack } = dmsStack({ authorizedNetworks: "nat" });
        const sql = stack.resources.find((r) => r.name === "orders-gcp")!;
        Object.assign(sql, { props: { ...sql.props, settings: UNKNOWN } });
        expectNone(await judge(dmsNetworkPath, stack));
    });
});
