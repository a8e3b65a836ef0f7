import { k8sResources } from "../../../../policies/rules/kubernetes/k8sResources";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { daemonSet, deployment } from "./factories";

const type = "kubernetes:apps/v1:Deployment";
const subject = `${type} "checkout"`;
const check = checker(k8sResources, type, "checkout");
const resources = "spec.template.spec.containers[0].resources";

describe("k8s-resources", () => {
    it("Compliance: accepts CPU and memory requests", async () => {
        expectNone(await check(deployment()));
    });

    it("Noncompliance 1: reports a container without requests, naming what is missing and the fix", async () => {
        expectOne(await check(unset(deployment(), resources)), "k8s-resources", subject, 'container "api" requests no cpu or memory', "Set resources.requests.cpu and resources.requests.memory");
    });

    it("Noncompliance 2: reports a missing memory request", async () => {
        expectOne(await check(set(unset(deployment(), resources), resources, { requests: { cpu: "100m" } })), "k8s-resources", subject, "requests no memory", `${resources}.requests.memory is not set`);
    });

    it("Compliance: a limit without a request counts (Kubernetes uses the limit as the request)", async () => {
        expectNone(await check(set(deployment(), resources, { limits: { cpu: "1", memory: "1Gi" } })));
    });

    it("Noncompliance 3: judges DaemonSets too", async () => {
        const checkDs = checker(k8sResources, "kubernetes:apps/v1:DaemonSet", "log-agent");
        expectNone(await checkDs(daemonSet()));
        expectOne(await checkDs(unset(daemonSet(), resources)), "k8s-resources", 'kubernetes:apps/v1:DaemonSet "log-agent"', "requests no cpu or memory");
    });

    it("Unknown: does not judge resources unknown at preview", async () => {
        expectNone(await check(set(deployment(), resources, UNKNOWN)));
        expectNone(await check(set(deployment(), `${resources}.requests`, UNKNOWN)));
    });
});
