// How the preview shows violations: each resource once, its problems under it, worst first; what the
// pack could not judge apart; and in --json every violation with its group and a stable id.
import { expect } from "chai";
import type { StackPreview } from "../../preview/analysis";
import { groupViolations, idOf, renderGroupedViolations } from "../../preview/grouping";
import { messageOf, renderJson } from "../../preview/output";
import type { Diagnostic } from "../../preview/policyHost";

const db = "urn:pulumi:test::shop::aws:rds/instance:Instance::orders";
const web = "urn:pulumi:test::shop::kubernetes:apps/v1:Deployment::web";
const chart = "urn:pulumi:test::shop::kubernetes:helm.sh/v3:Release::ingress";

function diagnostic(policy: string, level: Diagnostic["enforcementLevel"], urn: string | undefined, finding: string): Diagnostic {
    const subject = urn ? `${urn.split("::")[2]} "${urn.split("::")[3]}": ` : "";
    return { policyPack: "nonstop-resilience", policyPackVersion: "0.1.0", policy, description: `${policy} description`, enforcementLevel: level, urn, message: `${policy} description\n${subject}${finding}` };
}

const violations: Diagnostic[] = [
    diagnostic("k8s-readiness-probe", "mandatory", web, "container \"web\" has no readinessProbe; ..."),
    diagnostic("rds-multi-az", "mandatory", db, "multiAz is not set (RDS defaults to single-AZ); ..."),
    diagnostic("k8s-deployment-replicas", "advisory", web, "spec.replicas is not set (Kubernetes runs 1 pod); ..."),
    diagnostic("rds-backup-retention", "mandatory", db, "backupRetentionPeriod is 1, below the minimum of 14 days; ..."),
    diagnostic("third-party-rule", "mandatory", undefined, "something stack-wide"),
    diagnostic("not-judged", "advisory", chart, 'NOT JUDGED: a Helm release (chart "ingress-nginx"): no rule sees its objects; a clean verdict says nothing about it. Check it by other means.'),
];

describe("violations grouped by resource", () => {
    it("puts each resource once, worst first: level, then data loss before outage before degraded", () => {
        const groups = groupViolations(violations.filter((v) => v.policy !== "not-judged"));
        expect(groups.map((g) => g.label)).to.deep.equal(['aws:rds/instance:Instance "orders"', 'kubernetes:apps/v1:Deployment "web"', "stack"]);
        expect(groups[0].violations.map((v) => v.policy)).to.deep.equal(["rds-backup-retention", "rds-multi-az"]);
        expect(groups[1].violations.map((v) => v.policy)).to.deep.equal(["k8s-readiness-probe", "k8s-deployment-replicas"]);
    });

    it("prints the resource once and its problems without repeating it, and the NOT JUDGED resources apart", () => {
        const text = renderGroupedViolations(violations, messageOf).join("\n");
        expect(text).to.include("4 mandatory, 1 advisory on 3 resources (each resource once, worst first):");
        expect(text).to.include('  aws:rds/instance:Instance "orders" (2 mandatory)\n    mandatory [rds-backup-retention] backupRetentionPeriod is 1');
        expect(text.match(/aws:rds\/instance:Instance "orders"/g)).to.have.length(1);
        expect(text).to.include('NOT JUDGED (1 resource): the pack cannot see into these, so the verdict covers nothing of them:\n    kubernetes:helm.sh/v3:Release "ingress": a Helm release (chart "ingress-nginx"): no rule sees its objects');
        expect(text).to.not.include("[not-judged]");
    });

    it("gives each violation a stable id: the same finding the same id, another finding another", () => {
        const [a, b] = violations;
        expect(idOf(a, messageOf(a))).to.match(/^[0-9a-f]{16}$/).and.equal(idOf({ ...a }, messageOf(a)));
        expect(idOf(a, messageOf(a))).to.not.equal(idOf(b, messageOf(b)));
        expect(idOf(a, messageOf(a))).to.not.equal(idOf(a, `${messageOf(a)} (changed)`));
    });

    it("keeps every violation in --json, each with its group (the resource's URN, or stack) and its id", () => {
        const preview = { stack: "test", stackFile: "Pulumi.test.yaml", resources: [], violations, skipped: [], resilience: { services: [], verdicts: [] }, policyConfigs: [], incomplete: [], notes: [] } as unknown as StackPreview;
        const json = JSON.parse(renderJson([preview])) as { stacks: { violations: { policy: string; group: string; id: string; message: string }[] }[] };
        const out = json.stacks[0].violations;
        expect(out).to.have.length(violations.length);
        expect(out.map((v) => v.group)).to.deep.equal([web, db, web, db, "stack", chart]);
        expect(new Set(out.map((v) => v.id)).size).to.equal(violations.length);
        expect(out[1].id).to.equal(idOf(violations[1], messageOf(violations[1])));
    });
});
