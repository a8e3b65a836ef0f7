import { ecsServiceMultiAz } from "../../../../policies/rules/aws/ecsServiceMultiAz";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set } from "../support";
import { ecsService } from "./factories";

const type = "aws:ecs/service:Service";
const subject = `${type} "checkout-api"`;
const check = checker(ecsServiceMultiAz, type, "checkout-api");

describe("ecs-service-multi-az", () => {
    it("Compliance: accepts subnets in three zones", async () => {
        expectNone(await check(ecsService()));
    });

    it("Noncompliance 1: reports a single subnet, naming networkConfiguration.subnets and the fix", async () => {
        expectOne(await check(set(ecsService(), "networkConfiguration.subnets", ["subnet-a"])), "ecs-service-multi-az", subject, "networkConfiguration.subnets has 1 distinct subnet", "fewer than 2", "each of at least 2 availability zones");
    });

    it("Noncompliance 2: counts a subnet listed twice once", async () => {
        expectOne(await check(set(ecsService(), "networkConfiguration.subnets", ["subnet-a", "subnet-a"])), "ecs-service-multi-az", subject, "1 distinct subnet");
    });

    it("Noncompliance 3: takes minZones from config", async () => {
        expectOne(await check(set(ecsService(), "networkConfiguration.subnets", ["subnet-a", "subnet-b"]), { minZones: 3 }), "ecs-service-multi-az", subject, "fewer than 3");
    });

    it("Compliance: counts subnets whose IDs are unknown at preview", async () => {
        expectNone(await check(set(ecsService(), "networkConfiguration.subnets", [UNKNOWN, UNKNOWN])));
    });

    it("Unknown: does not judge a subnet list unknown at preview", async () => {
        expectNone(await check(set(ecsService(), "networkConfiguration.subnets", UNKNOWN)));
        expectNone(await check({ ...ecsService(), networkConfiguration: UNKNOWN }));
    });
});
