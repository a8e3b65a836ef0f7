import { dynamodbPitr } from "../../../../policies/rules/aws/dynamodbPitr";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { dynamodbTable } from "./factories";

const type = "aws:dynamodb/table:Table";
const subject = `${type} "carts"`;
const check = checker(dynamodbPitr, type, "carts");

describe("dynamodb-pitr", () => {
    it("Compliance: accepts PITR on the table and its replica, with deletion protection", async () => {
        expectNone(await check(dynamodbTable()));
    });

    it("Noncompliance 1: reports PITR disabled with the fix", async () => {
        expectOne(await check(set(dynamodbTable(), "pointInTimeRecovery.enabled", false)), "dynamodb-pitr", subject, "pointInTimeRecovery.enabled is false", "pointInTimeRecovery: { enabled: true }");
    });

    it("Noncompliance 2: reports a table without a pointInTimeRecovery block (off by default)", async () => {
        expectOne(await check(unset(dynamodbTable(), "pointInTimeRecovery")), "dynamodb-pitr", subject, "pointInTimeRecovery is not set (DynamoDB defaults to off)");
    });

    it("Noncompliance 3: reports a replica without PITR, naming its region", async () => {
        expectOne(await check({ ...dynamodbTable(), replicas: [{ regionName: "us-west-2" }] }), "dynamodb-pitr", subject, "replicas[0].pointInTimeRecovery is not set", "us-west-2", "on every replica");
    });

    it("Noncompliance 4: reports deletion protection off", async () => {
        expectOne(await check({ ...dynamodbTable(), deletionProtectionEnabled: false }), "dynamodb-pitr", subject, "deletionProtectionEnabled is false", "Set deletionProtectionEnabled: true");
    });

    it("Compliance: does not require deletion protection when config turns it off (dev)", async () => {
        expectNone(await check(unset(dynamodbTable(), "deletionProtectionEnabled"), { requireDeletionProtection: false }));
    });

    it("Unknown: does not judge PITR, replicas or protection unknown at preview", async () => {
        expectNone(await check({ ...dynamodbTable(), pointInTimeRecovery: UNKNOWN, replicas: [UNKNOWN], deletionProtectionEnabled: UNKNOWN }));
        expectNone(await check(set(dynamodbTable(), "replicas[0].pointInTimeRecovery", UNKNOWN)));
    });
});
