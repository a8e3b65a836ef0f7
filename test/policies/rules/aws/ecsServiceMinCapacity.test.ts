import { expect } from "chai";
import { ecsServiceMinCapacity } from "../../../../policies/rules/aws/ecsServiceMinCapacity";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { ecsService } from "./factories";

const type = "aws:ecs/service:Service";
const subject = `${type} "checkout-api"`;
const check = checker(ecsServiceMinCapacity, type, "checkout-api");

describe("ecs-service-min-capacity", () => {
    it("Compliance: accepts two tasks with the circuit breaker and rollback on", async () => {
        expectNone(await check(ecsService()));
    });

    it("Noncompliance 1: reports a single task, naming desiredCount, the value and the fix", async () => {
        const v = expectOne(await check({ ...ecsService(), desiredCount: 1 }), "ecs-service-min-capacity", subject, "desiredCount is 1", "below the minimum of 2", "Set desiredCount: 2 or more");
        expect(v.enforcementLevel).to.equal("advisory");
    });

    it("Noncompliance 2: takes minCapacity from config", async () => {
        expectOne(await check({ ...ecsService(), desiredCount: 2 }, { minCapacity: 3 }), "ecs-service-min-capacity", subject, "desiredCount is 2", "below the minimum of 3");
    });

    it("Noncompliance 3: reports a service without a deployment circuit breaker", async () => {
        expectOne(await check(unset(ecsService(), "deploymentCircuitBreaker")), "ecs-service-min-capacity", subject, "deploymentCircuitBreaker is not set", "enable: true, rollback: true");
    });

    it("Noncompliance 4: reports a circuit breaker that does not roll back", async () => {
        expectOne(await check(set(ecsService(), "deploymentCircuitBreaker.rollback", false)), "ecs-service-min-capacity", subject, "deploymentCircuitBreaker.rollback is false", "rollback: true");
    });

    it("Noncompliance 5: reports a disabled circuit breaker", async () => {
        expectOne(await check(set(ecsService(), "deploymentCircuitBreaker.enable", false)), "ecs-service-min-capacity", subject, "deploymentCircuitBreaker.enable is false");
    });

    it("Compliance: accepts a pilot light scaled to zero", async () => {
        expectNone(await check({ ...ecsService(), desiredCount: 0 }));
    });

    it("Compliance: does not judge the task count of a DAEMON service", async () => {
        expectNone(await check({ ...ecsService(), desiredCount: 1, schedulingStrategy: "DAEMON" }));
    });

    it("Compliance: does not require the circuit breaker with the CODE_DEPLOY controller", async () => {
        expectNone(await check({ ...unset(ecsService(), "deploymentCircuitBreaker"), deploymentController: { type: "CODE_DEPLOY" } }));
    });

    it("Unknown: does not judge a desiredCount unknown at preview", async () => {
        expectNone(await check({ ...ecsService(), desiredCount: UNKNOWN }));
    });

    it("Unknown: does not judge a circuit breaker unknown at preview", async () => {
        expectNone(await check({ ...ecsService(), deploymentCircuitBreaker: UNKNOWN }));
        expectNone(await check(set(ecsService(), "deploymentCircuitBreaker.rollback", UNKNOWN)));
    });
});
