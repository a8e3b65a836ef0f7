import { expect } from "chai";
import { Graph, graphOf } from "../../../../policies/lib/graph";
import type { PolicyResource } from "@pulumi/policy";
import { DEFAULT_REGION, sameRegion, zoneToRegion } from "../../../../policies/lib/location";
import { UNKNOWN as PROPS_UNKNOWN } from "../../../../policies/lib/props";
import { referrers, referrersOfAny, resolve } from "../../../../policies/lib/refs";
import { replicationFactor } from "../../../../policies/rules/graph";
import { graphRule, selectorMatches } from "../../../../policies/rules/graph/lib";
import { checkStack, UNKNOWN } from "../../../harness";
import { from, TestStack } from "./stack";
import { toGraphResources } from "./scenarios";

describe("graph rule factory", () => {
    it("applies threshold defaults in code, and configured values over them", () => {
        const stack = new TestStack();
        stack.add("aws:rds/instance:Instance", "db", { multiAz: true });
        const graph = toGraphResources(stack);
        expect(replicationFactor.check(graph)).to.have.length(1); // default 3 > 2 copies
        expect(replicationFactor.check(graph, { minReplicationFactor: 2 })).to.have.length(0);
        // A mistyped value falls back to the default instead of disabling the rule.
        expect(replicationFactor.check(graph, { minReplicationFactor: "2" })).to.have.length(1);
        expect(replicationFactor.configSchema?.properties.minReplicationFactor).to.include({ type: "integer", default: 3 });
        expect(replicationFactor.enforcementLevel).to.equal("advisory");
    });

    it("steps aside (not applicable) instead of failing the preview when a rule throws", async () => {
        const broken = graphRule({
            name: "broken-rule",
            description: "Throws.",
            thresholds: {},
            check: () => {
                throw new Error("boom");
            },
        });
        expect(await checkStack(broken, [{ type: "aws:s3/bucket:Bucket", props: {} }])).to.deep.equal([]);
        expect(() => broken.check([])).to.throw("boom");
    });

    it("reports each finding once", () => {
        const twice = graphRule({ name: "twice", description: "Twice.", thresholds: {}, check: () => [{ urn: "u", message: "m" }, { urn: "u", message: "m" }] });
        expect(twice.check([])).to.have.length(1);
    });
});

describe("graphOf (the graph of one AnalyzeStack call)", () => {
    // As the SDK hands them to each stack policy: fresh resource objects around the call's decoded props.
    const policyResources = (props: readonly Record<string, unknown>[], urns = props.map((_, i) => `urn:pulumi:s::p::aws:s3/bucket:Bucket::b${i}`)): PolicyResource[] =>
        props.map((p, i) => ({ type: "aws:s3/bucket:Bucket", name: `b${i}`, urn: urns[i], props: p, opts: { protect: false }, dependencies: [], propertyDependencies: {} }) as unknown as PolicyResource);

    it("is shared by the stack policies of one call, whose resources wrap the same decoded props (the offline preview)", () => {
        const decoded = [{ bucket: "a" }, { bucket: "b" }];
        const first = graphOf(policyResources(decoded));
        expect(graphOf(policyResources(decoded))).to.equal(first);
        expect(first.resources.map((r) => r.props.bucket)).to.deep.equal(["a", "b"]);
    });

    it("is built anew when a policy's props are decoded afresh (the Pulumi CLI) or the resources differ", () => {
        const decoded = [{ bucket: "a" }, { bucket: "b" }];
        const first = graphOf(policyResources(decoded));
        const fresh = graphOf(policyResources(decoded.map((p) => ({ ...p }))));
        expect(fresh).to.not.equal(first);
        expect(fresh.resources).to.deep.equal(first.resources);
        expect(graphOf(policyResources(decoded, ["urn:x", "urn:y"]))).to.not.equal(first);
        expect(graphOf(policyResources(decoded.slice(0, 1)))).to.not.equal(first);
    });
});

describe("resolve (references between resources)", () => {
    const stack = new TestStack();
    const nat = stack.add("aws:ec2/natGateway:NatGateway", "nat", { id: "nat-1" });
    const viaDeps = stack.add("aws:ec2/route:Route", "deps", { natGatewayId: from(nat) });
    const viaValue = stack.add("aws:ec2/route:Route", "value", { natGatewayId: "nat-1" });
    const outside = stack.add("aws:ec2/route:Route", "outside", { natGatewayId: "nat-9" });
    const open = stack.add("aws:ec2/route:Route", "open", { natGatewayId: UNKNOWN });
    const graph = new Graph(toGraphResources(stack));
    const ref = (r: { urn: string }) => resolve(graph, graph.byUrn.get(r.urn)!, "natGatewayId", ["aws:ec2/natGateway:NatGateway"], { identity: ["id"] });

    it("follows property dependencies when the value is unknown", () => {
        expect(ref(viaDeps).targets.map((t) => t.name)).to.deep.equal(["nat"]);
        expect(ref(viaDeps).open).to.equal(false);
    });
    it("matches known values by identity", () => {
        expect(ref(viaValue).targets.map((t) => t.name)).to.deep.equal(["nat"]);
    });
    it("keeps known values naming nothing in the stack as external", () => {
        expect(ref(outside).external).to.deep.equal(["nat-9"]);
    });
    it("marks an unknown value with no source as open (it could be anything)", () => {
        expect(ref(open).open).to.equal(true);
    });
    it("indexes, once per graph, who refers to each target: exactly the resources whose resolve() names it, in graph order", () => {
        const index = referrers(graph, ["aws:ec2/route:Route"], "natGatewayId", ["aws:ec2/natGateway:NatGateway"], { identity: ["id"] });
        expect(index.get(nat.urn)!.map((r) => r.name)).to.deep.equal(["deps", "value"]);
        expect(index.get("value:nat-9")!.map((r) => r.name)).to.deep.equal(["outside"]);
        expect(referrers(graph, ["aws:ec2/route:Route"], "natGatewayId", ["aws:ec2/natGateway:NatGateway"], { identity: ["id"] })).to.equal(index);
        const any = referrersOfAny(graph, ["aws:ec2/route:Route"], "natGatewayId", ["aws:ec2/natGateway:NatGateway"], ["value:nat-9", nat.urn], { identity: ["id"] });
        expect(any.map((r) => r.name)).to.deep.equal(["deps", "value", "outside"]);
    });
});

describe("locations", () => {
    it("turns zones into regions", () => {
        expect(zoneToRegion("us-central1-a")).to.equal("us-central1");
        expect(zoneToRegion("us-east-1a")).to.equal("us-east-1");
        expect(zoneToRegion("eu-west-1")).to.equal("eu-west-1");
    });
    it("compares regions only when proven (the default region may be any)", () => {
        expect(sameRegion("us-east-1", "us-east-1")).to.equal(true);
        expect(sameRegion("us-east-1", "us-west-2")).to.equal(false);
        expect(sameRegion(DEFAULT_REGION, DEFAULT_REGION)).to.equal(true);
        expect(sameRegion(DEFAULT_REGION, "us-west-2")).to.equal(undefined);
        expect(sameRegion(PROPS_UNKNOWN, "us-west-2")).to.equal(undefined);
    });
});

describe("selectorMatches", () => {
    const labels = { app: "web", tier: "front" };
    it("matches labels and expressions, three-valued", () => {
        expect(selectorMatches({ matchLabels: { app: "web" } }, labels)).to.equal(true);
        expect(selectorMatches({ matchLabels: { app: "api" } }, labels)).to.equal(false);
        expect(selectorMatches({ matchExpressions: [{ key: "tier", operator: "In", values: ["front", "back"] }] }, labels)).to.equal(true);
        expect(selectorMatches({ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] }, labels)).to.equal(false);
        expect(selectorMatches({ matchLabels: { app: UNKNOWN } }, labels)).to.equal(undefined);
        expect(selectorMatches({}, labels)).to.equal(true);
        expect(selectorMatches({}, labels, false)).to.equal(false);
        expect(selectorMatches(undefined, labels)).to.equal(false);
    });
});
