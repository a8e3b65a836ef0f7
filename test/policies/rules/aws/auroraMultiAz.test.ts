import { auroraMultiAz } from "../../../../policies/rules/aws/auroraMultiAz";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, unset } from "../support";
import { rdsCluster } from "./factories";

const type = "aws:rds/cluster:Cluster";
const check = checker(auroraMultiAz, type, "orders");

describe("aurora-multi-az", () => {
    it("Compliance: accepts a provisioned cluster (Serverless v2 capacity)", async () => {
        expectNone(await check(rdsCluster()));
        expectNone(await check(unset(rdsCluster(), "engineMode")));
    });

    it("Noncompliance 1: reports Aurora Serverless v1 with the fix", async () => {
        expectOne(await check({ ...rdsCluster(), engineMode: "serverless" }), "aurora-multi-az", `${type} "orders"`, 'engineMode is "serverless"', "single availability zone", 'engineMode: "provisioned"');
    });

    it("Unknown: does not judge an engine mode unknown at preview", async () => {
        expectNone(await check({ ...rdsCluster(), engineMode: UNKNOWN }));
    });
});
