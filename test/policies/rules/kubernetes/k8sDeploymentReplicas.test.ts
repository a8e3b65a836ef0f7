import { k8sDeploymentReplicas } from "../../../../policies/rules/kubernetes/k8sDeploymentReplicas";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { deployment } from "./factories";

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

    it("Compliance: accepts zero replicas (pilot light) and leaves an absent count to the autoscaler", async () => {
        expectNone(await check(set(deployment(), "spec.replicas", 0)));
        expectNone(await check(unset(deployment(), "spec.replicas")));
    });

    it("Unknown: does not judge values unknown at preview", async () => {
        expectNone(await check(set(deployment(), "spec.replicas", UNKNOWN)));
        expectNone(await check(set(deployment(), "spec.strategy", UNKNOWN)));
        expectNone(await check(set(deployment(), "spec.strategy.rollingUpdate.maxUnavailable", UNKNOWN)));
    });
});
