import { lbTargetGroupHealthCheck } from "../../../../policies/rules/aws/lbTargetGroupHealthCheck";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set } from "../support";
import { targetGroup } from "./factories";

const type = "aws:lb/targetGroup:TargetGroup";
const check = checker(lbTargetGroupHealthCheck, type, "checkout-tg");

describe("lb-target-group-health-check", () => {
    it("Compliance: accepts a target group with a health check", async () => {
        expectNone(await check(targetGroup()));
    });

    it("Noncompliance 1: reports a disabled health check with the fix", async () => {
        expectOne(await check(set(targetGroup(), "healthCheck.enabled", false)), "lb-target-group-health-check", `${type} "checkout-tg"`, "healthCheck.enabled is false", "enabled: true");
    });

    it("Compliance: does not judge Lambda target groups", async () => {
        expectNone(await check({ ...set(targetGroup(), "healthCheck.enabled", false), targetType: "lambda" }));
    });

    it("Unknown: does not judge a health check unknown at preview", async () => {
        expectNone(await check({ ...targetGroup(), healthCheck: UNKNOWN }));
        expectNone(await check({ ...set(targetGroup(), "healthCheck.enabled", false), targetType: UNKNOWN }));
    });
});
