import { expect } from "chai";
import { writesToReadOnlyDatabase } from "../../../../policies/rules/model";
import { checkStack } from "../../../harness";
import { awsActiveActive, awsToGcpCdc } from "../../model/designs";

describe("writes-to-read-only-database", () => {
    it("is an advisory stack policy with a one-sentence description", () => {
        expect(writesToReadOnlyDatabase.name).to.equal("writes-to-read-only-database");
        expect(writesToReadOnlyDatabase.enforcementLevel).to.equal("advisory");
        expect(writesToReadOnlyDatabase.description).to.match(/^[^.]+\.$/);
    });

    it("Noncompliance 1: a serving site whose app connects only to an Aurora global secondary (no write forwarding)", async () => {
        const d = awsActiveActive(["us-east-1", "us-west-2"], { app: "own" });
        const v = await checkStack(writesToReadOnlyDatabase, d.resources);
        expect(v).to.have.length(1);
        expect(v[0].urn).to.match(/::site1-task$/);
        expect(v[0].message).to.include('aws:ecs/taskDefinition:TaskDefinition "site1-task": the app of orders.example.com\'s site aws-us-west-2 connects only to the read-only replica site1-db');
        expect(v[0].message).to.include("50 % of orders.example.com's writes go through this site and fail");
        expect(v[0].message).to.include("DATABASE_WRITER_HOST");
    });

    it("Noncompliance 2: a standby whose app writes to the target of change data capture fails its writes after failover", async () => {
        const v = await checkStack(writesToReadOnlyDatabase, awsToGcpCdc().resources);
        expect(v).to.have.length(1);
        expect(v[0].message).to.include("the change-data-capture target usc1-sql").and.include("when billing.example.com fails over to gcp-us-central1");
    });

    it("Compliance: apps write through the global writer endpoint, or through a write-forwarding secondary", async () => {
        expect(await checkStack(writesToReadOnlyDatabase, awsActiveActive(["us-east-1", "us-west-2"], { app: "global" }).resources)).to.deep.equal([]);
        expect(await checkStack(writesToReadOnlyDatabase, awsActiveActive(["us-east-1", "us-west-2"], { app: "own", writeForwarding: true }).resources)).to.deep.equal([]);
    });

    it("Unknown: an app whose database endpoint is not visible in the graph is not a violation", async () => {
        expect(await checkStack(writesToReadOnlyDatabase, awsActiveActive(["us-east-1", "us-west-2"]).resources)).to.deep.equal([]);
    });
});
