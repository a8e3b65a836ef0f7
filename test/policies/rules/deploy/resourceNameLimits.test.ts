import { expect } from "chai";
import { resourceNameLimits } from "../../../../policies/rules/deploy";
import { candidateName, nameProblems, nameRuleFor } from "../../../../policies/rules/deploy/resourceNameLimits";
import { UNKNOWN } from "../../../harness";
import { expectNone, expectOne } from "../support";
import { judge, TestStack } from "../graph/stack";

const TG = "aws:lb/targetGroup:TargetGroup";
const ALB = "aws:lb/loadBalancer:LoadBalancer";

/** One resource of `type` named `name` with `props`, judged by the rule. */
async function judgeOne(type: string, name: string, props: Record<string, unknown> = {}) {
    const stack = new TestStack();
    stack.add(type, name, props);
    return judge(resourceNameLimits, stack);
}

describe("resource-name-limits", () => {
    it("Noncompliance 1: a target group auto-named from a long logical name: the provider's own refusal, the name it would build and the fix", async () => {
        const v = expectOne(
            await judgeOne(TG, "checkout-aws-us-east-1-tg-blue", { port: 8080 }),
            "resource-name-limits",
            `${TG} "checkout-aws-us-east-1-tg-blue"`,
            'name would be "checkout-aws-us-east-1-tg-blue-xxxxxxx"',
            "38 characters, over the limit of 32",
            "name 'checkout-aws-us-east-1-tg-blue-' plus 7 random chars is longer than maximum length 32",
            "namePrefix of at most 6 characters",
        );
        expect(v.message).to.include("logical name of at most 24 characters");
    });

    it("Noncompliance 2: an ALB whose auto-name passes Pulumi but not AWS: 34 characters against 32, with the provider's validation text", async () => {
        expectOne(
            await judgeOne(ALB, "checkout-aws-us-east-1-alb"),
            "resource-name-limits",
            `${ALB} "checkout-aws-us-east-1-alb"`,
            '"checkout-aws-us-east-1-alb-xxxxxxx"',
            "34 characters",
            '"name" cannot be longer than 32 characters',
        );
    });

    it("Noncompliance 3: a name already filled in (the real CLI hands policies the inputs after Check) is judged as given", async () => {
        expectOne(await judgeOne(ALB, "web", { name: "checkout-aws-us-east-1-alb-1a2b3c4" }), "resource-name-limits", 'name is "checkout-aws-us-east-1-alb-1a2b3c4": 34 characters');
    });

    it("Noncompliance 4: a name prefix too long for the 26 characters AWS appends", async () => {
        expectOne(await judgeOne(TG, "web", { namePrefix: "checkout-" }), "resource-name-limits", 'namePrefix "checkout-" plus the 26 characters', "35 characters");
    });

    it("Noncompliance 5: characters the service refuses (an S3 bucket with an underscore, an ALB beginning with internal-)", async () => {
        expectOne(await judgeOne("aws:s3/bucket:Bucket", "b", { bucket: "orders_archive" }), "resource-name-limits", "not lowercase letters, digits, dots and hyphens");
        expectOne(await judgeOne(ALB, "a", { name: "internal-web" }), "resource-name-limits", 'nor beginning with "internal-"');
    });

    it("Noncompliance 6: GCP and Kubernetes names: RFC 1035 past 63 characters, an upper-case Deployment, a Service beginning with a digit", async () => {
        expectOne(await judgeOne("gcp:compute/backendService:BackendService", `b${"e".repeat(60)}`), "resource-name-limits", "69 characters, over the limit of 63");
        expectOne(await judgeOne("kubernetes:apps/v1:Deployment", "Web", { spec: {} }), "resource-name-limits", '"Web-xxxxxxxx"', "lowercase RFC 1123 subdomain");
        expectOne(await judgeOne("kubernetes:core/v1:Service", "svc", { metadata: { name: "9lives" } }), "resource-name-limits", "DNS-1035 label");
    });

    it("Compliance: explicit short names, short prefixes, auto-names that fit, and a lower-cased S3 auto-name", async () => {
        const stack = new TestStack();
        stack.add(ALB, "checkout-aws-us-east-1-alb", { name: "nonstop-prod-checkout" });
        stack.add(TG, "checkout-aws-us-east-1-tg-blue", { namePrefix: "checb-" });
        stack.add("aws:iam/role:Role", "checkout-aws-us-east-1-execution");
        stack.add("aws:s3/bucket:Bucket", "Orders-Archive");
        stack.add("kubernetes:apps/v1:Deployment", "web", { metadata: { namespace: "shop" } });
        stack.add("gcp:cloudrunv2/service:Service", "run", { name: "checkout-blue-69d5add4" });
        stack.add("kubernetes:helm.sh/v3:Release", "Chart_With_Caps", {});
        expectNone(await judge(resourceNameLimits, stack));
    });

    it("Compliance: unknown names, prefixes or metadata are not judged", async () => {
        const stack = new TestStack();
        stack.add(ALB, "a-very-long-logical-name-for-a-load-balancer", { name: UNKNOWN });
        stack.add(TG, "a-very-long-logical-name-for-a-target-group", { namePrefix: UNKNOWN });
        stack.add("kubernetes:apps/v1:Deployment", "Web", { metadata: UNKNOWN });
        expectNone(await judge(resourceNameLimits, stack));
    });

    it("computes names the way each provider does (separator, random length, lower-casing, .fifo)", () => {
        const r = (type: string, name: string, props: Record<string, unknown> = {}) => ({ type, name, urn: `urn:${name}`, props, dependencies: [], propertyDependencies: {}, protect: false });
        expect(candidateName(r("aws:rds/instance:Instance", "db"), nameRuleFor("aws:rds/instance:Instance")!)?.display).to.equal("dbxxxxxxx");
        expect(candidateName(r("aws:sqs/queue:Queue", "jobs", { fifoQueue: true }), nameRuleFor("aws:sqs/queue:Queue")!)?.display).to.equal("jobs-xxxxxxx.fifo");
        expect(candidateName(r("aws:s3/bucket:Bucket", "Logs"), nameRuleFor("aws:s3/bucket:Bucket")!)?.display).to.equal("logs-xxxxxxx");
        expect(candidateName(r("kubernetes:core/v1:ConfigMap", "cfg"), nameRuleFor("kubernetes:core/v1:ConfigMap")!)?.display).to.equal("cfg-xxxxxxxx");
        expect(candidateName(r("aws:kms/alias:Alias", "key"), nameRuleFor("aws:kms/alias:Alias")!)?.display).to.equal("alias/key-xxxxxxx");
        expect(nameProblems("ok-name", nameRuleFor(ALB)!)).to.deep.equal([]);
    });
});
