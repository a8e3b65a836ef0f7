import { k8sZoneSpread } from "../../../../policies/rules/kubernetes/k8sZoneSpread";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { deployment } from "./factories";

const type = "kubernetes:apps/v1:Deployment";
const subject = `${type} "checkout"`;
const check = checker(k8sZoneSpread, type, "checkout");
const pod = "spec.template.spec";
const antiAffinity = (topologyKey: unknown) => ({
    podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey, labelSelector: { matchLabels: { app: "checkout" } } } }] },
});

describe("k8s-zone-spread", () => {
    it("Compliance: accepts a topology spread constraint over zones", async () => {
        expectNone(await check(deployment()));
    });

    it("Noncompliance 1: reports replicas without any zone spread, with the fix", async () => {
        expectOne(await check(unset(deployment(), `${pod}.topologySpreadConstraints`)), "k8s-zone-spread", subject, "spec.replicas is 3", 'topologyKey "topology.kubernetes.io/zone"', "Add topologySpreadConstraints");
    });

    it("Noncompliance 2: reports a spread over hostnames only", async () => {
        expectOne(await check(set(deployment(), `${pod}.topologySpreadConstraints[0].topologyKey`, "kubernetes.io/hostname")), "k8s-zone-spread", subject, "neither");
    });

    it("Compliance: accepts pod anti-affinity on the zone label (including the legacy label)", async () => {
        const noSpread = unset(deployment(), `${pod}.topologySpreadConstraints`);
        expectNone(await check(set(noSpread, `${pod}.affinity`, antiAffinity("topology.kubernetes.io/zone"))));
        expectNone(await check(set(noSpread, `${pod}.affinity`, antiAffinity("failure-domain.beta.kubernetes.io/zone"))));
    });

    it("Noncompliance 3: takes the zone label from config", async () => {
        expectOne(await check(deployment(), { topologyKey: "example.com/zone" }), "k8s-zone-spread", subject, 'topologyKey "example.com/zone"');
    });

    it("Compliance: does not judge a single replica", async () => {
        expectNone(await check(set(unset(deployment(), `${pod}.topologySpreadConstraints`), "spec.replicas", 1)));
    });

    it("Unknown: does not judge constraints, keys or replicas unknown at preview", async () => {
        expectNone(await check(set(deployment(), `${pod}.topologySpreadConstraints`, UNKNOWN)));
        expectNone(await check(set(deployment(), `${pod}.topologySpreadConstraints[0].topologyKey`, UNKNOWN)));
        expectNone(await check(set(unset(deployment(), `${pod}.topologySpreadConstraints`), `${pod}.affinity`, antiAffinity(UNKNOWN))));
        expectNone(await check(set(unset(deployment(), `${pod}.topologySpreadConstraints`), "spec.replicas", UNKNOWN)));
    });
});
