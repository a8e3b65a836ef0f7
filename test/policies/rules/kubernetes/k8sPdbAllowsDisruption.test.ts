import { k8sPdbAllowsDisruption } from "../../../../policies/rules/kubernetes/k8sPdbAllowsDisruption";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { podDisruptionBudget } from "./factories";

const type = "kubernetes:policy/v1:PodDisruptionBudget";
const subject = `${type} "checkout-pdb"`;
const check = checker(k8sPdbAllowsDisruption, type, "checkout-pdb");
const withMinAvailable = (v: unknown) => set(unset(podDisruptionBudget(), "spec.maxUnavailable"), "spec.minAvailable", v);

describe("k8s-pdb-allows-disruption", () => {
    it("Compliance: accepts maxUnavailable 1 and minAvailable 50%", async () => {
        expectNone(await check(podDisruptionBudget()));
        expectNone(await check(withMinAvailable("50%")));
        expectNone(await check(withMinAvailable(2)));
    });

    it("Noncompliance 1: reports maxUnavailable 0 (blocks drains) with the fix", async () => {
        expectOne(await check(set(podDisruptionBudget(), "spec.maxUnavailable", 0)), "k8s-pdb-allows-disruption", subject, "spec.maxUnavailable is 0", "node drains", "Set spec.maxUnavailable: 1");
    });

    it('Noncompliance 2: reports maxUnavailable "0%"', async () => {
        expectOne(await check(set(podDisruptionBudget(), "spec.maxUnavailable", "0%")), "k8s-pdb-allows-disruption", subject, 'spec.maxUnavailable is "0%"', "node drains");
    });

    it('Noncompliance 3: reports minAvailable "100%" (blocks drains)', async () => {
        expectOne(await check(withMinAvailable("100%")), "k8s-pdb-allows-disruption", subject, 'spec.minAvailable is "100%"', "node drains");
    });

    it('Noncompliance 4: reports maxUnavailable "100%" (protects nothing)', async () => {
        expectOne(await check(set(podDisruptionBudget(), "spec.maxUnavailable", "100%")), "k8s-pdb-allows-disruption", subject, 'spec.maxUnavailable is "100%"', "every pod to be evicted");
    });

    it("Noncompliance 5: reports minAvailable 0 (protects nothing)", async () => {
        expectOne(await check(withMinAvailable(0)), "k8s-pdb-allows-disruption", subject, "spec.minAvailable is 0", "every pod to be evicted", "minAvailable: 1 or more");
    });

    it("Unknown: does not judge values unknown at preview", async () => {
        expectNone(await check(set(podDisruptionBudget(), "spec.maxUnavailable", UNKNOWN)));
        expectNone(await check({ ...podDisruptionBudget(), spec: UNKNOWN }));
    });
});
