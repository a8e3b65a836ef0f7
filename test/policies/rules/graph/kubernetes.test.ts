import { k8sWorkloadHpa, k8sWorkloadPdb } from "../../../../policies/rules/graph";
import { UNKNOWN } from "../../../harness";
import { expectNone, expectOne } from "../support";
import { expectOn, from, judge, TestStack } from "./stack";

const deployment = "kubernetes:apps/v1:Deployment";
const pdb = "kubernetes:policy/v1:PodDisruptionBudget";
const hpa = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const service = "kubernetes:core/v1:Service";

function web(replicas: unknown, namespace: unknown = "shop", labels: unknown = { app: "web", tier: "front" }) {
    return { metadata: { name: "web", namespace }, spec: { replicas, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels }, spec: { containers: [{ name: "web", image: "nginx" }] } } } };
}

function budget(matchLabels: Record<string, unknown>, namespace: unknown = "shop") {
    return { metadata: { namespace }, spec: { maxUnavailable: 1, selector: { matchLabels } } };
}

describe("k8s-workload-pdb", () => {
    it("Compliance: accepts a replicated Deployment selected by a PDB in its namespace", async () => {
        const stack = new TestStack();
        stack.add(deployment, "web", web(3));
        stack.add(pdb, "web", budget({ app: "web" }));
        // One replica: not this rule's concern.
        stack.add(deployment, "single", { ...web(1), metadata: { name: "single", namespace: "shop" } });
        expectNone(await judge(k8sWorkloadPdb, stack));
    });

    it("Noncompliance 1: reports a replicated Deployment without a PDB, with the fix", async () => {
        const stack = new TestStack();
        stack.add(deployment, "web", web(3));
        expectOne(
            await judge(k8sWorkloadPdb, stack),
            "k8s-workload-pdb",
            'kubernetes:apps/v1:Deployment "web"',
            'it runs 3 replicas but no PodDisruptionBudget in namespace "shop" selects its pods',
            "spec.maxUnavailable: 1",
        );
    });

    it("Noncompliance 2: a PDB in another namespace, or whose selector does not match, does not count", async () => {
        const stack = new TestStack();
        stack.add(deployment, "web", web(2));
        stack.add(pdb, "elsewhere", budget({ app: "web" }, "other"));
        stack.add(pdb, "wrong", budget({ app: "api" }));
        stack.add(pdb, "expr", { metadata: { namespace: "shop" }, spec: { minAvailable: 1, selector: { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["front"] }] } } });
        expectOn(await judge(k8sWorkloadPdb, stack), "web");
    });

    it("Counts the replicas an autoscaler keeps", async () => {
        const stack = new TestStack();
        const d = stack.add(deployment, "web", web(undefined));
        stack.add(hpa, "web", { metadata: { namespace: "shop" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: from(d) }, minReplicas: 3, maxReplicas: 10 } });
        expectOne(await judge(k8sWorkloadPdb, stack), "k8s-workload-pdb", "it runs 3 replicas");
    });

    it("Matches namespaces that come from a Namespace resource whose name is unknown", async () => {
        const stack = new TestStack();
        const ns = stack.add("kubernetes:core/v1:Namespace", "shop", {});
        stack.add(deployment, "web", web(3, from(ns)));
        stack.add(pdb, "web", budget({ app: "web" }, from(ns)));
        expectNone(await judge(k8sWorkloadPdb, stack));
        const without = new TestStack();
        const ns2 = without.add("kubernetes:core/v1:Namespace", "shop", {});
        without.add(deployment, "web", web(3, from(ns2)));
        expectOn(await judge(k8sWorkloadPdb, without), "web");
    });

    it("Unknown: unknown replicas, labels or selectors are not judged", async () => {
        const stack = new TestStack();
        stack.add(deployment, "a", { ...web(UNKNOWN), metadata: { name: "a", namespace: "shop" } });
        stack.add(deployment, "b", { ...web(3, "shop", UNKNOWN), metadata: { name: "b", namespace: "shop" } });
        stack.add(deployment, "c", { ...web(3, "other"), metadata: { name: "c", namespace: "other" } });
        stack.add(pdb, "maybe", { metadata: { namespace: "other" }, spec: { selector: UNKNOWN } });
        stack.add(pdb, "shop", budget({ app: "web" }));
        expectNone(await judge(k8sWorkloadPdb, stack));
        // With unknown pod labels, no budget at all in the namespace is still provable.
        const none = new TestStack();
        none.add(deployment, "b", { ...web(3, "shop", UNKNOWN), metadata: { name: "b", namespace: "shop" } });
        expectOn(await judge(k8sWorkloadPdb, none), "b");
    });
});

describe("k8s-workload-hpa", () => {
    it("Compliance: accepts a served Deployment scaled by an HPA, and ignores Deployments no Service selects", async () => {
        const stack = new TestStack();
        const d = stack.add(deployment, "web", web(2));
        stack.add(service, "web", { metadata: { namespace: "shop" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }] } });
        stack.add(hpa, "web", { metadata: { namespace: "shop" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: from(d) }, minReplicas: 2, maxReplicas: 6 } });
        stack.add(deployment, "worker", { ...web(2, "shop", { app: "worker" }), metadata: { name: "worker", namespace: "shop" } });
        expectNone(await judge(k8sWorkloadHpa, stack));
    });

    it("Noncompliance 1: reports a served Deployment without an autoscaler", async () => {
        const stack = new TestStack();
        stack.add(deployment, "web", web(2));
        stack.add(service, "web-svc", { metadata: { namespace: "shop" }, spec: { selector: { app: "web" } } });
        stack.add(hpa, "other", { metadata: { namespace: "shop" }, spec: { scaleTargetRef: { kind: "Deployment", name: "api" }, minReplicas: 2, maxReplicas: 4 } });
        expectOne(await judge(k8sWorkloadHpa, stack), "k8s-workload-hpa", 'kubernetes:apps/v1:Deployment "web"', 'Service "web-svc" sends it traffic but no HorizontalPodAutoscaler scales it', 'kind: "Deployment", name: "web"');
    });

    it("Compliance: never asks a data store's Deployment (a redis leader, a MongoDB) for an autoscaler: it is a single writer", async () => {
        const stack = new TestStack();
        for (const [name, image] of [["redis-leader", "docker.io/redis:6.0.5"], ["mongo", "mongo:7"], ["rabbit", "rabbitmq:3-management"]]) {
            stack.add(deployment, name, { metadata: { name, namespace: "shop" }, spec: { replicas: 1, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } } } });
            stack.add(service, name, { metadata: { namespace: "shop" }, spec: { selector: { app: name } } });
        }
        expectNone(await judge(k8sWorkloadHpa, stack));
    });

    it("Compliance: accepts a KEDA ScaledObject", async () => {
        const stack = new TestStack();
        stack.add(deployment, "web", web(2));
        stack.add(service, "web", { metadata: { namespace: "shop" }, spec: { selector: { app: "web" } } });
        stack.add("kubernetes:keda.sh/v1alpha1:ScaledObject", "web", { metadata: { namespace: "shop" }, spec: { scaleTargetRef: { name: "web" }, minReplicaCount: 2 } });
        expectNone(await judge(k8sWorkloadHpa, stack));
    });

    it("Unknown: an HPA whose target is unknown may scale it", async () => {
        const stack = new TestStack();
        stack.add(deployment, "web", web(2));
        stack.add(service, "web", { metadata: { namespace: "shop" }, spec: { selector: { app: "web" } } });
        stack.add(hpa, "maybe", { metadata: { namespace: "shop" }, spec: { scaleTargetRef: UNKNOWN } });
        expectNone(await judge(k8sWorkloadHpa, stack));
    });
});
