import { rdsMultiAz } from "../../../../policies/rules/aws/rdsMultiAz";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, unset } from "../support";
import { rdsInstance } from "./factories";

const type = "aws:rds/instance:Instance";
const subject = `${type} "orders-db"`;
const check = checker(rdsMultiAz, type, "orders-db");

describe("rds-multi-az", () => {
    it("Compliance: accepts a Multi-AZ instance", async () => {
        expectNone(await check(rdsInstance()));
    });

    it("Noncompliance 1: reports multiAz: false, why it matters and the fix", async () => {
        expectOne(await check({ ...rdsInstance(), multiAz: false }), "rds-multi-az", subject, "multiAz is false", "lost with its zone", "Set multiAz: true");
    });

    it("Noncompliance 2: reports an instance that leaves multiAz to RDS's single-AZ default", async () => {
        expectOne(await check(unset(rdsInstance(), "multiAz")), "rds-multi-az", subject, "multiAz is not set (RDS defaults to single-AZ)");
    });

    it("Compliance: leaves a read replica's zones to replication-factor (it is a copy of a primary, not a database of its own)", async () => {
        expectNone(await check({ ...unset(rdsInstance(), "multiAz"), replicateSourceDb: "orders-db" }));
        expectNone(await check({ ...unset(rdsInstance(), "multiAz"), replicateSourceDb: UNKNOWN }));
    });

    it("Unknown: does not judge a multiAz unknown at preview", async () => {
        expectNone(await check({ ...rdsInstance(), multiAz: UNKNOWN }));
    });
});
