// A site whose database may feed change data capture turns logical replication on through its own
// parameter group (an in-place change for an existing database): here the RDS instance path, the
// Aurora path is asserted on the prod stack (test/policies/rules/deploy/stacks.test.ts).
import { expect } from "chai";
import { logicalReplicationParameters, parameterGroupFamily } from "../../../../components/site/aws/database";
import { AwsSite } from "../../../../components/site/awsSite";
import { runUnderMocks } from "../../../harness";

describe("logical replication on an AWS site's database", () => {
    it("names the parameter group family after the engine and its major version", () => {
        expect(parameterGroupFamily("aurora-postgresql", "16.6")).to.equal("aurora-postgresql16");
        expect(parameterGroupFamily("aurora-mysql", "8.0.mysql_aurora.3.08.0")).to.equal("aurora-mysql8.0");
        expect(parameterGroupFamily("mysql", "8.0.40")).to.equal("mysql8.0");
        expect(logicalReplicationParameters("mysql").map((p) => `${p.name}=${p.value}`)).to.deep.equal(["binlog_format=ROW", "binlog_row_image=full"]);
    });

    it("gives an RDS MySQL instance a parameter group with a row-based binary log (sites that feed no CDC get none: see the dev stack)", async () => {
        const site = (logicalReplication: boolean) => () =>
            new AwsSite("orders-aws-us-east-1", {
                service: "orders",
                image: "ghcr.io/acme/orders:1",
                port: 8080,
                healthCheckPath: "/healthz",
                minCapacity: 1,
                maxCapacity: 2,
                environment: "dev",
                region: "us-east-1",
                data: { engine: "mysql", replicationFactor: 1, backupSchedule: "0 3 * * *", backupRetentionDays: 7, objectStorage: false, logicalReplication },
            });
        const on = await runUnderMocks(site(true));
        const group = on.one("aws:rds/parameterGroup:ParameterGroup");
        expect(group.inputs).to.deep.include({ family: "mysql8.0", parameters: logicalReplicationParameters("mysql") });
        expect(on.one("aws:rds/instance:Instance").propertyDependencies.parameterGroupName).to.deep.equal([group.urn]);
    });
});
