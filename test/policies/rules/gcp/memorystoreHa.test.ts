import { memorystoreHa } from "../../../../policies/rules/gcp/memorystoreHa";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, unset } from "../support";
import { redisInstance } from "./factories";

const type = "gcp:redis/instance:Instance";
const subject = `${type} "sessions"`;
const check = checker(memorystoreHa, type, "sessions");

describe("memorystore-ha", () => {
    it("Compliance: accepts STANDARD_HA", async () => {
        expectNone(await check(redisInstance()));
    });

    it("Noncompliance 1: reports the BASIC tier with the fix", async () => {
        expectOne(await check({ ...redisInstance(), tier: "BASIC" }), "memorystore-ha", subject, 'tier is "BASIC"', 'Set tier: "STANDARD_HA"');
    });

    it("Noncompliance 2: reports an instance that leaves tier to the BASIC default", async () => {
        expectOne(await check(unset(redisInstance(), "tier")), "memorystore-ha", subject, "tier is not set (Memorystore defaults to BASIC)");
    });

    it("Unknown: does not judge a tier unknown at preview", async () => {
        expectNone(await check({ ...redisInstance(), tier: UNKNOWN }));
    });
});
