import { route53FailoverRecordHealthCheck } from "../../../../policies/rules/aws/route53FailoverRecordHealthCheck";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { aliasFailoverRecord, failoverRecord } from "./factories";

const type = "aws:route53/record:Record";
const check = checker(route53FailoverRecordHealthCheck, type, "checkout-primary");
const subject = `${type} "checkout-primary"`;

describe("route53-failover-record-health-check", () => {
    it("Compliance: accepts a health-checked failover record with a 60 s TTL", async () => {
        expectNone(await check(failoverRecord()));
    });

    it("Compliance: accepts an alias failover record that evaluates target health", async () => {
        expectNone(await check(aliasFailoverRecord()));
    });

    it("Noncompliance 1: reports a failover record without a health check, with the fix", async () => {
        expectOne(await check(unset(failoverRecord(), "healthCheckId")), "route53-failover-record-health-check", subject, "healthCheckId is not set on a record with failover routing", "Set healthCheckId");
    });

    it("Noncompliance 2: reports a weighted record without a health check", async () => {
        const weighted = { ...unset(unset(failoverRecord(), "healthCheckId"), "failoverRoutingPolicies"), weightedRoutingPolicies: [{ weight: 50 }] };
        expectOne(await check(weighted), "route53-failover-record-health-check", subject, "weighted routing");
    });

    it("Noncompliance 3: reports a multivalue answer record without a health check", async () => {
        const multivalue = { ...unset(unset(failoverRecord(), "healthCheckId"), "failoverRoutingPolicies"), multivalueAnswerRoutingPolicy: true };
        expectOne(await check(multivalue), "route53-failover-record-health-check", subject, "multivalue answer routing");
        expectNone(await check({ ...multivalue, multivalueAnswerRoutingPolicy: false }));
    });

    it("Noncompliance 4: reports a long TTL on a failover record", async () => {
        expectOne(await check({ ...failoverRecord(), ttl: 300 }), "route53-failover-record-health-check", subject, "ttl is 300", "above the maximum of 60 s", "Set ttl: 60 or less");
    });

    it("Noncompliance 5: takes maxTtlSeconds from config", async () => {
        expectOne(await check(failoverRecord(), { maxTtlSeconds: 30 }), "route53-failover-record-health-check", subject, "ttl is 60", "Set ttl: 30 or less");
    });

    it("Noncompliance 6: reports an alias failover record that ignores target health and has no health check of its own", async () => {
        const violations = await check(set(aliasFailoverRecord(), "aliases[0].evaluateTargetHealth", false));
        expectOne(
            violations.filter((v) => v.message.includes("evaluateTargetHealth is false")),
            "route53-failover-record-health-check",
            subject,
            "aliases[0].evaluateTargetHealth is false on a record with failover routing and no healthCheckId",
            "Set evaluateTargetHealth: true on the alias, or give the record its own healthCheckId",
        );
    });

    it("Compliance: accepts an alias record judged by its own health check, with evaluateTargetHealth false (health of the serving track)", async () => {
        expectNone(await check({ ...set(aliasFailoverRecord(), "aliases[0].evaluateTargetHealth", false), healthCheckId: "hc-secondary-id" }));
        const weighted = { ...unset(set(aliasFailoverRecord(), "aliases[0].evaluateTargetHealth", false), "failoverRoutingPolicies"), weightedRoutingPolicies: [{ weight: 30 }], healthCheckId: "hc-usw2-id" };
        expectNone(await check(weighted));
        // A check not created yet is still the record's own.
        expectNone(await check({ ...set(aliasFailoverRecord(), "aliases[0].evaluateTargetHealth", false), healthCheckId: UNKNOWN }));
    });

    it("Compliance: does not judge a simple record", async () => {
        expectNone(await check({ zoneId: "Z1", name: "www.example.com", type: "A", ttl: 3600, records: ["203.0.113.1"] }));
    });

    it("Unknown: a health check id unknown at preview is wired, not missing", async () => {
        expectNone(await check({ ...failoverRecord(), healthCheckId: UNKNOWN }));
    });

    it("Unknown: does not judge a TTL, alias or routing policy unknown at preview", async () => {
        expectNone(await check({ ...failoverRecord(), ttl: UNKNOWN }));
        expectNone(await check(set(unset(aliasFailoverRecord(), "healthCheckId"), "aliases[0].evaluateTargetHealth", UNKNOWN)));
        expectNone(await check({ ...unset(failoverRecord(), "healthCheckId"), failoverRoutingPolicies: UNKNOWN }));
    });
});
