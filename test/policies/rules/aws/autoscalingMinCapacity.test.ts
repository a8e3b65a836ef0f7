import { autoscalingMinCapacity } from "../../../../policies/rules/aws/autoscalingMinCapacity";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne } from "../support";
import { appautoscalingTarget, autoscalingGroup } from "./factories";

const targetType = "aws:appautoscaling/target:Target";
const groupType = "aws:autoscaling/group:Group";
const checkTarget = checker(autoscalingMinCapacity, targetType, "checkout-api-scaling");
const checkGroup = checker(autoscalingMinCapacity, groupType, "workers");

describe("autoscaling-min-capacity", () => {
    describe("aws:appautoscaling/target:Target", () => {
        it("Compliance: accepts an ECS service target with minCapacity 2", async () => {
            expectNone(await checkTarget(appautoscalingTarget()));
        });

        it("Noncompliance 1: reports minCapacity 1 for an ECS service, with the fix", async () => {
            expectOne(await checkTarget({ ...appautoscalingTarget(), minCapacity: 1 }), "autoscaling-min-capacity", `${targetType} "checkout-api-scaling"`, "minCapacity is 1", "ecs:service:DesiredCount", "Set minCapacity: 2 or more");
        });

        it("Compliance: accepts minCapacity 0 (pilot light)", async () => {
            expectNone(await checkTarget({ ...appautoscalingTarget(), minCapacity: 0 }));
        });

        it("Compliance: does not judge throughput dimensions such as DynamoDB read capacity", async () => {
            expectNone(await checkTarget({ ...appautoscalingTarget(), serviceNamespace: "dynamodb", scalableDimension: "dynamodb:table:ReadCapacityUnits", minCapacity: 1 }));
        });

        it("Unknown: does not judge a minCapacity or dimension unknown at preview", async () => {
            expectNone(await checkTarget({ ...appautoscalingTarget(), minCapacity: UNKNOWN }));
            expectNone(await checkTarget({ ...appautoscalingTarget(), minCapacity: 1, scalableDimension: UNKNOWN }));
        });
    });

    describe("aws:autoscaling/group:Group", () => {
        it("Compliance: accepts minSize 2 over three subnets", async () => {
            expectNone(await checkGroup(autoscalingGroup()));
        });

        it("Noncompliance 1: reports minSize 1 with the fix", async () => {
            expectOne(await checkGroup({ ...autoscalingGroup(), minSize: 1 }), "autoscaling-min-capacity", `${groupType} "workers"`, "minSize is 1", "Set minSize: 2 or more");
        });

        it("Noncompliance 2: reports a group confined to one subnet", async () => {
            expectOne(await checkGroup({ ...autoscalingGroup(), vpcZoneIdentifiers: ["subnet-a"] }), "autoscaling-min-capacity", `${groupType} "workers"`, "vpcZoneIdentifiers has 1 distinct entry", "at least 2 availability zones");
        });

        it("Noncompliance 3: reports a group confined to one availability zone", async () => {
            expectOne(await checkGroup({ minSize: 2, maxSize: 4, availabilityZones: ["us-east-1a"] }), "autoscaling-min-capacity", `${groupType} "workers"`, "availabilityZones has 1 distinct entry");
        });

        it("Noncompliance 4: takes minCapacity from config", async () => {
            expectOne(await checkGroup(autoscalingGroup(), { minCapacity: 3 }), "autoscaling-min-capacity", `${groupType} "workers"`, "minSize is 2", "below the minimum of 3");
        });

        it("Compliance: accepts minSize 0 (pilot light)", async () => {
            expectNone(await checkGroup({ ...autoscalingGroup(), minSize: 0 }));
        });

        it("Unknown: counts unknown subnet IDs and skips unknown sizes", async () => {
            expectNone(await checkGroup({ ...autoscalingGroup(), vpcZoneIdentifiers: [UNKNOWN, UNKNOWN], minSize: UNKNOWN }));
            expectNone(await checkGroup({ ...autoscalingGroup(), vpcZoneIdentifiers: UNKNOWN }));
        });
    });
});
