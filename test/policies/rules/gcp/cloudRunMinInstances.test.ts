import { cloudRunMinInstances } from "../../../../policies/rules/gcp/cloudRunMinInstances";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set } from "../support";
import { cloudRunService, cloudRunV1Service } from "./factories";

const type = "gcp:cloudrunv2/service:Service";
const subject = `${type} "checkout-api"`;
const check = checker(cloudRunMinInstances, type, "checkout-api");
const v1Type = "gcp:cloudrun/service:Service";
const checkV1 = checker(cloudRunMinInstances, v1Type, "checkout-legacy");

describe("cloud-run-min-instances", () => {
    it("Compliance: accepts two warm instances", async () => {
        expectNone(await check(cloudRunService()));
    });

    it("Noncompliance 1: reports a single warm instance with the fix", async () => {
        expectOne(await check(set(cloudRunService(), "template.scaling.minInstanceCount", 1)), "cloud-run-min-instances", subject, "template.scaling.minInstanceCount is 1", "below the minimum of 2", "Set template.scaling.minInstanceCount: 2 or more");
    });

    it("Noncompliance 2: reports a maximum below the minimum", async () => {
        expectOne(await check(set(cloudRunService(), "template.scaling.maxInstanceCount", 1)), "cloud-run-min-instances", subject, "template.scaling.maxInstanceCount is 1, below the minimum instance count (2)");
    });

    it("Compliance: a maximum of 0 means no limit", async () => {
        expectNone(await check(set(cloudRunService(), "template.scaling.maxInstanceCount", 0)));
    });

    it("Noncompliance 3: reports a single manual instance", async () => {
        expectOne(await check({ ...cloudRunService(), scaling: { scalingMode: "MANUAL", manualInstanceCount: 1 } }), "cloud-run-min-instances", subject, "scaling.manualInstanceCount is 1", "manualInstanceCount: 2 or more");
    });

    it("Compliance: the larger of the service and revision minimums counts", async () => {
        expectNone(await check({ ...set(cloudRunService(), "template.scaling.minInstanceCount", 1), scaling: { minInstanceCount: 3 } }));
    });

    it("Compliance: accepts scale to zero (pilot light)", async () => {
        expectNone(await check(set(cloudRunService(), "template.scaling.minInstanceCount", 0)));
        expectNone(await check(set(cloudRunService(), "template.scaling", {})));
    });

    it("Noncompliance 4: judges the knative annotations of a v1 service", async () => {
        expectNone(await checkV1(cloudRunV1Service()));
        expectOne(
            await checkV1(set(cloudRunV1Service(), 'template.metadata.annotations["autoscaling.knative.dev/minScale"]', "1")),
            "cloud-run-min-instances",
            `${v1Type} "checkout-legacy"`,
            'template.metadata.annotations["autoscaling.knative.dev/minScale"] is "1"',
            '"autoscaling.knative.dev/minScale" to "2"',
        );
    });

    it("Noncompliance 5: takes minInstances from config", async () => {
        expectOne(await check(cloudRunService(), { minInstances: 3 }), "cloud-run-min-instances", subject, "below the minimum of 3");
    });

    it("Unknown: does not judge counts unknown at preview", async () => {
        expectNone(await check(set(cloudRunService(), "template.scaling.minInstanceCount", UNKNOWN)));
        expectNone(await check({ ...set(cloudRunService(), "template.scaling.minInstanceCount", 1), scaling: { minInstanceCount: UNKNOWN } }));
        expectNone(await check({ ...cloudRunService(), scaling: { scalingMode: UNKNOWN, manualInstanceCount: 1 } }));
    });
});
