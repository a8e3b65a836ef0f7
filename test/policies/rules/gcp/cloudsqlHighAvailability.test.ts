import { cloudsqlHighAvailability } from "../../../../policies/rules/gcp/cloudsqlHighAvailability";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { sqlInstance } from "./factories";

const type = "gcp:sql/databaseInstance:DatabaseInstance";
const subject = `${type} "orders-db"`;
const check = checker(cloudsqlHighAvailability, type, "orders-db");

describe("cloudsql-high-availability", () => {
    it("Compliance: accepts a REGIONAL primary", async () => {
        expectNone(await check(sqlInstance()));
    });

    it("Noncompliance 1: reports a ZONAL primary with the fix", async () => {
        expectOne(await check(set(sqlInstance(), "settings.availabilityType", "ZONAL")), "cloudsql-high-availability", subject, 'settings.availabilityType is "ZONAL"', 'Set settings.availabilityType: "REGIONAL"');
    });

    it("Noncompliance 2: reports a primary that leaves availabilityType to the ZONAL default", async () => {
        expectOne(await check(unset(sqlInstance(), "settings.availabilityType")), "cloudsql-high-availability", subject, "settings.availabilityType is not set (Cloud SQL defaults to ZONAL)");
    });

    it("Compliance: exempts read replicas", async () => {
        expectNone(await check({ ...unset(sqlInstance(), "settings.availabilityType"), masterInstanceName: "orders-db-primary" }));
        expectNone(await check({ ...unset(sqlInstance(), "settings.availabilityType"), masterInstanceName: UNKNOWN }));
        expectNone(await check({ ...unset(sqlInstance(), "settings.availabilityType"), instanceType: "READ_REPLICA_INSTANCE" }));
    });

    it("Unknown: does not judge settings unknown at preview", async () => {
        expectNone(await check(set(sqlInstance(), "settings.availabilityType", UNKNOWN)));
        expectNone(await check({ ...sqlInstance(), settings: UNKNOWN }));
    });
});
