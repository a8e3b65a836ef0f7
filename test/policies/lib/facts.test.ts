// The table of who says what (policies/lib/facts.ts): every owner is a rule of the pack, and the
// rules that defer really stay silent where the owner speaks.
import { expect } from "chai";
import { allFacts, facts, ownerOf, says, UNDECIDED } from "../../../policies/lib/facts";
import { allPolicies } from "../../../policies/rules";
import { UNKNOWN } from "../../harness";

const names = new Set(allPolicies.map((p) => p.name));
const redis = { type: "kubernetes:apps/v1:Deployment", props: { spec: { template: { spec: { containers: [{ name: "leader", image: "redis:7" }] } } } } };
const web = { type: "kubernetes:apps/v1:Deployment", props: { spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } } } };
const unknownImage = { type: "kubernetes:apps/v1:Deployment", props: { spec: { template: { spec: { containers: [{ name: "x", image: UNKNOWN }] } } } } };

describe("facts: who says what", () => {
    it("names only rules of the pack as owners, and every fact ends with a row for every resource", () => {
        for (const fact of allFacts) {
            for (const o of fact.owners) if (o.rule !== undefined) expect(names, `${fact.id}: ${o.rule}`).to.include(o.rule);
            const last = fact.owners[fact.owners.length - 1];
            expect(last.applies({ type: "x:y/z:Q", props: {} }), fact.id).to.equal(true);
        }
        expect(new Set(allFacts.map((f) => f.id)).size).to.equal(allFacts.length);
    });

    it("gives the zone standby of an RDS instance to rds-multi-az, and of an Aurora cluster to replication-factor", () => {
        expect(ownerOf(facts.zoneStandby, { type: "aws:rds/instance:Instance", props: {} })).to.equal("rds-multi-az");
        expect(says("replication-factor", facts.zoneStandby, { type: "aws:rds/cluster:Cluster", props: {} })).to.equal(true);
    });

    it("gives a data store's pod count to replication-factor and never asks it for an autoscaler; other Deployments to k8s-deployment-replicas and k8s-workload-hpa", () => {
        expect(ownerOf(facts.podCount, redis)).to.equal("replication-factor");
        expect(ownerOf(facts.autoscaler, redis)).to.equal(undefined);
        expect(ownerOf(facts.podCount, web)).to.equal("k8s-deployment-replicas");
        expect(ownerOf(facts.autoscaler, web)).to.equal("k8s-workload-hpa");
    });

    it("leaves a fact undecided (said by nobody) when an unknown value decides its owner", () => {
        expect(ownerOf(facts.podCount, unknownImage)).to.equal(UNDECIDED);
        expect(says("k8s-deployment-replicas", facts.podCount, unknownImage)).to.equal(false);
        expect(says("replication-factor", facts.podCount, unknownImage)).to.equal(false);
    });
});
