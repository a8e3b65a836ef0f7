import { k8sDeploymentReplicas } from "../../../../policies/rules/kubernetes/k8sDeploymentReplicas";
import { checkStack, UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { deployment, statefulSet } from "./factories";

const type = "kubernetes:apps/v1:Deployment";
const subject = `${type} "checkout"`;
const check = checker(k8sDeploymentReplicas, type, "checkout");

describe("k8s-deployment-replicas", () => {
    it("Compliance: accepts three replicas rolling one at a time", async () => {
        expectNone(await check(deployment()));
    });

    it("Noncompliance 1: reports a single replica with the fix", async () => {
        expectOne(await check(set(deployment(), "spec.replicas", 1)), "k8s-deployment-replicas", subject, "spec.replicas is 1", "below the minimum of 2", "Set spec.replicas: 2 or more");
    });

    it("Noncompliance 2: reports the Recreate strategy", async () => {
        expectOne(await check(set(deployment(), "spec.strategy", { type: "Recreate" })), "k8s-deployment-replicas", subject, 'spec.strategy.type is "Recreate"', '"RollingUpdate"');
    });

    it("Noncompliance 3: reports maxUnavailable of 100%", async () => {
        expectOne(await check(set(deployment(), "spec.strategy.rollingUpdate.maxUnavailable", "100%")), "k8s-deployment-replicas", subject, 'spec.strategy.rollingUpdate.maxUnavailable is "100%" with 3 replicas', "below the replica count");
    });

    it("Noncompliance 4: reports maxUnavailable equal to the replica count", async () => {
        expectOne(await check(set(deployment(), "spec.strategy.rollingUpdate.maxUnavailable", 3)), "k8s-deployment-replicas", subject, "maxUnavailable is 3 with 3 replicas");
    });

    it("Compliance: accepts a percentage that rounds below the replica count", async () => {
        expectNone(await check(set(deployment(), "spec.strategy.rollingUpdate.maxUnavailable", "50%")));
    });

    it("Noncompliance 5: takes minReplicas from config", async () => {
        expectOne(await check(deployment(), { minReplicas: 4 }), "k8s-deployment-replicas", subject, "spec.replicas is 3", "below the minimum of 4");
    });

    it("Compliance: accepts zero replicas (pilot light)", async () => {
        expectNone(await check(set(deployment(), "spec.replicas", 0)));
    });

    it("Noncompliance 6: reports an absent count as the one pod Kubernetes runs", async () => {
        expectOne(await check(unset(deployment(), "spec.replicas")), "k8s-deployment-replicas", subject, "spec.replicas is not set (Kubernetes runs 1 pod) and no autoscaler scales it", "one pod is a single point of failure");
    });

    it("Noncompliance 7: judges a StatefulSet that is not a data store the same way", async () => {
        const web = { ...statefulSet(), spec: { ...unset(statefulSet().spec as object, "volumeClaimTemplates"), replicas: 1 } };
        expectOne(await checkStack(k8sDeploymentReplicas, [{ type: "kubernetes:apps/v1:StatefulSet", name: "ledger", props: web }]), "k8s-deployment-replicas", 'kubernetes:apps/v1:StatefulSet "ledger"', "spec.replicas is 1");
    });

    describe("defers the count to the rule that owns it (lib/facts)", () => {
        const hpa = (min: unknown) => ({
            type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
            name: "checkout",
            props: { metadata: { name: "checkout" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "checkout" }, minReplicas: min, maxReplicas: 6 } },
        });

        it("leaves a Deployment an autoscaler scales to the autoscaler's minimum (k8s-hpa-min-replicas), whatever spec.replicas says", async () => {
            expectNone(await checkStack(k8sDeploymentReplicas, [{ type, name: "checkout", props: set(deployment(), "spec.replicas", 1) }, hpa(3)]));
            expectNone(await checkStack(k8sDeploymentReplicas, [{ type, name: "checkout", props: unset(deployment(), "spec.replicas") }, hpa(1)]));
        });

        it("leaves a data store's pods to replication-factor: more pods of a single writer is not the fix", async () => {
            const redis = set(set(deployment(), "spec.replicas", 1), "spec.template.spec.containers[0].image", "redis:7");
            expectNone(await check(redis));
            // An unknown image could be a data store: nobody claims the count.
            expectNone(await check(set(set(deployment(), "spec.replicas", 1), "spec.template.spec.containers[0].image", UNKNOWN)));
        });
    });

    it("Unknown: does not judge values unknown at preview", async () => {
        expectNone(await check(set(deployment(), "spec.replicas", UNKNOWN)));
        expectNone(await check(set(deployment(), "spec.strategy", UNKNOWN)));
        expectNone(await check(set(deployment(), "spec.strategy.rollingUpdate.maxUnavailable", UNKNOWN)));
    });
});
