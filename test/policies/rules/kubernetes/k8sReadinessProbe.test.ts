import { k8sReadinessProbe } from "../../../../policies/rules/kubernetes/k8sReadinessProbe";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { deployment, statefulSet } from "./factories";

const type = "kubernetes:apps/v1:Deployment";
const subject = `${type} "checkout"`;
const check = checker(k8sReadinessProbe, type, "checkout");
const container = "spec.template.spec.containers[0]";

describe("k8s-readiness-probe", () => {
    it("Compliance: accepts containers with readiness and liveness probes", async () => {
        expectNone(await check(deployment()));
    });

    it("Noncompliance 1: reports a container without a readinessProbe, naming it and the fix", async () => {
        expectOne(await check(unset(deployment(), `${container}.readinessProbe`)), "k8s-readiness-probe", subject, 'container "api" has no readinessProbe', `${container}.readinessProbe is not set`, "Add a readinessProbe");
    });

    it("Noncompliance 2: reports a container without a livenessProbe", async () => {
        expectOne(await check(unset(deployment(), `${container}.livenessProbe`)), "k8s-readiness-probe", subject, 'container "api" has no livenessProbe', "Add a livenessProbe");
    });

    it("Compliance: does not require liveness probes when config turns them off", async () => {
        expectNone(await check(unset(deployment(), `${container}.livenessProbe`), { requireLivenessProbe: false }));
    });

    it("Noncompliance 3: judges StatefulSets too", async () => {
        const checkSet = checker(k8sReadinessProbe, "kubernetes:apps/v1:StatefulSet", "ledger");
        expectOne(await checkSet(unset(statefulSet(), `${container}.readinessProbe`)), "k8s-readiness-probe", 'kubernetes:apps/v1:StatefulSet "ledger"', "no readinessProbe");
    });

    it("Unknown: does not judge probes, containers or templates unknown at preview", async () => {
        expectNone(await check(set(deployment(), `${container}.readinessProbe`, UNKNOWN)));
        expectNone(await check(set(deployment(), "spec.template.spec.containers", [UNKNOWN])));
        expectNone(await check(set(deployment(), "spec.template", UNKNOWN)));
    });
});
