// The data the site validators and the stack config check share.
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { AWS_REGIONS, fargateSizeProblem, imageReferenceProblem, isHttpsUrl } from "../../../components/site/providerLimits";

describe("provider limits (components/site/providerLimits.ts)", () => {
    it("knows exactly the AWS regions the provider's Region enum lists", () => {
        expect([...AWS_REGIONS].sort()).to.deep.equal(Object.values(aws.Region).sort());
    });

    it("knows Fargate's task sizes", () => {
        expect(fargateSizeProblem(512, 1024)).to.equal(undefined);
        expect(fargateSizeProblem(1024, 1024)?.key).to.equal("memoryMb");
        expect(fargateSizeProblem(300, 1024)?.key).to.equal("cpu");
    });

    it("reads image references as registries do", () => {
        expect(imageReferenceProblem("localhost:5000/app")).to.equal(undefined);
        expect(imageReferenceProblem("app:" + "t".repeat(129))).to.contain("not a container image reference");
        expect(imageReferenceProblem("a/".repeat(150) + "b")).to.contain("name");
        expect(imageReferenceProblem("app@sha256:abc")).to.contain("not a container image reference");
    });

    it("takes https URLs with a host and no whitespace as webhooks", () => {
        expect(isHttpsUrl("https://hooks.example.com/x?y=1")).to.equal(true);
        for (const bad of ["http://hooks.example.com", "https://", "https://a b.com", "https://hooks.example.com/a b"]) expect(isHttpsUrl(bad), bad).to.equal(false);
    });
});
