import { k8sHpaMinReplicas } from "../../../../policies/rules/kubernetes/k8sHpaMinReplicas";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { hpa, hpaV1 } from "./factories";

const type = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const subject = `${type} "checkout-hpa"`;
const check = checker(k8sHpaMinReplicas, type, "checkout-hpa");

describe("k8s-hpa-min-replicas", () => {
    it("Compliance: accepts minReplicas 3", async () => {
        expectNone(await check(hpa()));
    });

    it("Noncompliance 1: reports minReplicas 1 with the fix", async () => {
        expectOne(await check(set(hpa(), "spec.minReplicas", 1)), "k8s-hpa-min-replicas", subject, "spec.minReplicas is 1", "below the minimum of 2", "Set spec.minReplicas: 2 or more");
    });

    it("Noncompliance 2: reports an absent minReplicas (Kubernetes defaults to 1)", async () => {
        expectOne(await check(unset(hpa(), "spec.minReplicas")), "k8s-hpa-min-replicas", subject, "spec.minReplicas is not set (Kubernetes defaults to 1)");
    });

    it("Noncompliance 3: reports a maximum below the minimum", async () => {
        expectOne(await check(set(hpa(), "spec.maxReplicas", 2)), "k8s-hpa-min-replicas", subject, "spec.maxReplicas is 2, below spec.minReplicas (3)");
    });

    it("Noncompliance 4: judges autoscaling/v1 autoscalers too", async () => {
        const checkV1 = checker(k8sHpaMinReplicas, "kubernetes:autoscaling/v1:HorizontalPodAutoscaler", "checkout-hpa-v1");
        expectNone(await checkV1(hpaV1()));
        expectOne(await checkV1(set(hpaV1(), "spec.minReplicas", 1)), "k8s-hpa-min-replicas", "autoscaling/v1", "spec.minReplicas is 1");
    });

    it("Compliance: accepts minReplicas 0 (scale to zero) and takes the minimum from config", async () => {
        expectNone(await check(set(hpa(), "spec.minReplicas", 0)));
        expectNone(await check(set(hpa(), "spec.minReplicas", 1), { minReplicas: 1 }));
    });

    it("Unknown: does not judge values unknown at preview", async () => {
        expectNone(await check(set(hpa(), "spec.minReplicas", UNKNOWN)));
        expectNone(await check({ ...hpa(), spec: UNKNOWN }));
    });
});
