import { expect } from "chai";
import { siteApis } from "../../../../components/site/gcp/apis";
import { loadBalancerName, targetGroupNamePrefix } from "../../../../components/site/aws/compute";

describe("siteApis", () => {
    it("enables what the site's parts call: Cloud Run, Compute, IAM and Monitoring always; the rest with a domain, data or a bucket", () => {
        expect(siteApis({ domain: false, data: false, bucket: false })).to.deep.equal(["run.googleapis.com", "compute.googleapis.com", "iam.googleapis.com", "monitoring.googleapis.com"]);
        expect(siteApis({ domain: true, data: true, bucket: true })).to.include.members(["certificatemanager.googleapis.com", "sqladmin.googleapis.com", "secretmanager.googleapis.com", "storagetransfer.googleapis.com"]);
    });
});

describe("AWS load balancer names", () => {
    it("names an ALB from project, stack and service within 32 characters, never beginning with internal-", () => {
        expect(loadBalancerName("checkout", "nonstop", "prod")).to.equal("nonstop-prod-checkout");
        expect(loadBalancerName("checkout", "internal", "prod")).to.equal("lb-internal-prod-checkout");
        expect(loadBalancerName("a-service-with-a-long-name", "platform-infrastructure", "production")).to.have.length.at.most(32);
    });

    it("gives target groups a prefix of at most 6 characters: service and track initial", () => {
        expect(targetGroupNamePrefix("checkout", "blue")).to.equal("checb-");
        expect(targetGroupNamePrefix("catalog")).to.equal("catal-");
    });
});
