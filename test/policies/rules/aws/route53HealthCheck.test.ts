import { route53HealthCheck } from "../../../../policies/rules/aws/route53HealthCheck";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, unset } from "../support";
import { healthCheck } from "./factories";

const type = "aws:route53/healthCheck:HealthCheck";
const subject = `${type} "checkout-primary"`;
const check = checker(route53HealthCheck, type, "checkout-primary");

describe("route53-health-check", () => {
    it("Compliance: accepts an HTTPS check every 10 s, threshold 3, from three regions", async () => {
        expectNone(await check(healthCheck()));
    });

    it("Compliance: accepts Route 53's defaults (30 s, threshold 3, default regions)", async () => {
        expectNone(await check(unset(unset(unset(healthCheck(), "requestInterval"), "failureThreshold"), "regions")));
    });

    it("Noncompliance 1: reports a TCP check with the fix", async () => {
        expectOne(await check({ ...healthCheck(), type: "TCP" }), "route53-health-check", subject, 'type is "TCP"', "a TCP check passes while the application", 'type: "HTTPS"');
    });

    it("Noncompliance 2: reports a disabled check", async () => {
        expectOne(await check({ ...healthCheck(), disabled: true }), "route53-health-check", subject, "disabled is true", "never fail over");
    });

    it("Noncompliance 3: reports a high failure threshold", async () => {
        expectOne(await check({ ...healthCheck(), failureThreshold: 5 }), "route53-health-check", subject, "failureThreshold is 5", "above the maximum of 3", "Set failureThreshold: 3 or less");
    });

    it("Noncompliance 4: reports the default 30 s interval when config allows at most 10 s", async () => {
        expectOne(await check(unset(healthCheck(), "requestInterval"), { maxIntervalSeconds: 10 }), "route53-health-check", subject, "requestInterval is not set (Route 53 checks every 30 s)", "above the maximum of 10 s", "Set requestInterval: 10");
    });

    it("Noncompliance 5: reports fewer than three checker regions", async () => {
        expectOne(await check({ ...healthCheck(), regions: ["us-east-1", "us-west-2"] }), "route53-health-check", subject, "regions has 2 distinct region(s)", "fewer than 3");
    });

    it("Noncompliance 6: reports a calculated check that needs no healthy child", async () => {
        expectOne(await check({ type: "CALCULATED", childHealthchecks: ["a", "b"], childHealthThreshold: 0 }), "route53-health-check", subject, "childHealthThreshold is 0", "always healthy");
    });

    it("Compliance: does not judge polling settings of a calculated check", async () => {
        expectNone(await check({ type: "CALCULATED", childHealthchecks: ["a", "b"], childHealthThreshold: 1 }));
    });

    it("Unknown: does not judge values unknown at preview", async () => {
        expectNone(await check({ ...healthCheck(), type: UNKNOWN, failureThreshold: 9 }));
        expectNone(await check({ ...healthCheck(), failureThreshold: UNKNOWN, regions: UNKNOWN, disabled: UNKNOWN }));
    });
});
