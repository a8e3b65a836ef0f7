import { k8sStatefulsetVolumes } from "../../../../policies/rules/kubernetes/k8sStatefulsetVolumes";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, set, unset } from "../support";
import { statefulSet } from "./factories";

const type = "kubernetes:apps/v1:StatefulSet";
const subject = `${type} "ledger"`;
const check = checker(k8sStatefulsetVolumes, type, "ledger");

describe("k8s-statefulset-volumes", () => {
    it("Compliance: accepts volume claim templates", async () => {
        expectNone(await check(statefulSet()));
    });

    it("Noncompliance 1: reports a StatefulSet without volume claim templates, with the fix", async () => {
        expectOne(await check(unset(statefulSet(), "spec.volumeClaimTemplates")), "k8s-statefulset-volumes", subject, "spec.volumeClaimTemplates is not set", "Add volumeClaimTemplates");
    });

    it("Noncompliance 2: reports an empty list of volume claim templates", async () => {
        expectOne(await check(set(statefulSet(), "spec.volumeClaimTemplates", [])), "k8s-statefulset-volumes", subject, "(empty)");
    });

    it("Compliance: leaves a known database's data directory to k8s-data-persistence (one owner per fact), but still judges its retention policy", async () => {
        const postgres = set(unset(statefulSet(), "spec.volumeClaimTemplates"), "spec.template.spec.containers[0].image", "postgres:16");
        expectNone(await check(postgres));
        expectOne(await check(set(set(statefulSet(), "spec.template.spec.containers[0].image", "postgres:16"), "spec.persistentVolumeClaimRetentionPolicy", { whenDeleted: "Delete" })), "k8s-statefulset-volumes", subject, "whenDeleted");
        // An unknown image could be one: nobody claims the volumes fact.
        expectNone(await check(set(unset(statefulSet(), "spec.volumeClaimTemplates"), "spec.template.spec.containers[0].image", UNKNOWN)));
    });

    it("Noncompliance 3: reports volumes deleted with the StatefulSet", async () => {
        expectOne(await check(set(statefulSet(), "spec.persistentVolumeClaimRetentionPolicy", { whenDeleted: "Delete" })), "k8s-statefulset-volumes", subject, 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted is "Delete"', '"Retain"');
    });

    it("Compliance: does not judge a StatefulSet scaled to zero", async () => {
        expectNone(await check(set(unset(statefulSet(), "spec.volumeClaimTemplates"), "spec.replicas", 0)));
    });

    it("Unknown: does not judge values unknown at preview", async () => {
        expectNone(await check(set(statefulSet(), "spec.volumeClaimTemplates", UNKNOWN)));
        expectNone(await check(set(unset(statefulSet(), "spec.volumeClaimTemplates"), "spec.replicas", UNKNOWN)));
    });
});
