import { expect } from "chai";
import { ecsServiceMinCapacity } from "../../../../policies/rules/aws/ecsServiceMinCapacity";
import { checkStack, UNKNOWN } from "../../../harness";
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

    it("Noncompliance 6: reports an unset desiredCount as the 0 tasks the provider asks for", async () => {
        expectOne(await check(unset(ecsService(), "desiredCount")), "ecs-service-min-capacity", subject, "desiredCount is not set, so the aws provider asks ECS for 0 tasks", "the service runs no task", "Set desiredCount: 2 or more (or 0 explicitly");
    });

    describe("with an autoscaling target (its minCapacity governs: autoscaling-min-capacity judges it)", () => {
        const target = (svcUrn: string, min: number) => ({
            type: "aws:appautoscaling/target:Target",
            name: "checkout-api-scaling",
            props: { resourceId: UNKNOWN, scalableDimension: "ecs:service:DesiredCount", serviceNamespace: "ecs", minCapacity: min, maxCapacity: 6 },
            propertyDependencies: { resourceId: [svcUrn] },
        });
        const svcUrn = `urn:pulumi:test::nonstop::${type}::checkout-api`;

        it("does not judge desiredCount, set or not", async () => {
            expectNone(await checkStack(ecsServiceMinCapacity, [{ type, name: "checkout-api", props: unset(ecsService(), "desiredCount") }, target(svcUrn, 2)]));
            expectNone(await checkStack(ecsServiceMinCapacity, [{ type, name: "checkout-api", props: { ...ecsService(), desiredCount: 1 } }, target(svcUrn, 3)]));
        });

        it("finds the target by the service name in a known resourceId too", async () => {
            const named = { ...target(svcUrn, 2), props: { ...target(svcUrn, 2).props, resourceId: "service/main/checkout-api" }, propertyDependencies: {} };
            expectNone(await checkStack(ecsServiceMinCapacity, [{ type, name: "checkout-api", props: { ...unset(ecsService(), "desiredCount"), name: "checkout-api" } }, named]));
            const other = { ...named, props: { ...named.props, resourceId: "service/main/billing" } };
            expectOne(await checkStack(ecsServiceMinCapacity, [{ type, name: "checkout-api", props: { ...unset(ecsService(), "desiredCount"), name: "checkout-api" } }, other]), "ecs-service-min-capacity", subject, "desiredCount is not set");
        });

        it("Unknown: a target whose resourceId is unknown and names nothing may scale any service", async () => {
            const open = { ...target(svcUrn, 2), propertyDependencies: {} };
            expectNone(await checkStack(ecsServiceMinCapacity, [{ type, name: "checkout-api", props: unset(ecsService(), "desiredCount") }, open]));
        });
    });

    it("Unknown: does not judge a desiredCount unknown at preview", async () => {
        expectNone(await check({ ...ecsService(), desiredCount: UNKNOWN }));
    });

    it("Unknown: does not judge a circuit breaker unknown at preview", async () => {
        expectNone(await check({ ...ecsService(), deploymentCircuitBreaker: UNKNOWN }));
        expectNone(await check(set(ecsService(), "deploymentCircuitBreaker.rollback", UNKNOWN)));
    });
});
