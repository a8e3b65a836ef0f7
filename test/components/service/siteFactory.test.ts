import { expect } from "chai";
import { makeSite } from "../../../components/service/siteFactory";
import { SiteArgs } from "../../../components/site/site";
import type { SiteSpec as SiteConfig } from "../../../components/service/spec";
import { runUnderMocks } from "../../harness";

const args: SiteArgs = { service: "checkout", image: "ghcr.io/acme/checkout:1.4.2", port: 8080, healthCheckPath: "/healthz", minCapacity: 2, maxCapacity: 4, environment: "dev" };
const aws: SiteConfig = { cloud: "aws", region: "eu-west-1", minCapacity: 2, maxCapacity: 4 };

describe("makeSite", () => {
    it("gives an AWS site with a domain a certificate for it, validated in the placement's zone", async () => {
        const r = await runUnderMocks(() => {
            makeSite("checkout-aws-eu-west-1", aws, args, { domain: "checkout.example.com", zoneName: "example.com" }, {});
        });
        expect(r.one("aws:acm/certificate:Certificate").inputs.domainName).to.equal("checkout.example.com");
        expect(r.one("aws:route53/record:Record", "-cert-validation").inputs.allowOverwrite).to.equal(true);
        expect(r.one("aws:lb/listener:Listener", "-https").inputs.port).to.equal(443);
    });

    it("leaves an AWS site without a domain on the certificate it is given or none", async () => {
        const r = await runUnderMocks(() => {
            makeSite("checkout-aws-eu-west-1", aws, args, {}, {});
        });
        expect(r.ofType("aws:acm/certificate:Certificate")).to.be.empty;
        expect(r.one("aws:lb/listener:Listener").inputs).to.include({ port: 80, protocol: "HTTP" });
    });

    it("refuses a domain without the zone an AWS site validates its certificate in", async () => {
        let error: unknown;
        try {
            await runUnderMocks(() => {
                makeSite("checkout-aws-eu-west-1", aws, args, { domain: "checkout.example.com" }, {});
            });
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.match(/site checkout-aws-eu-west-1: zoneName is required with domain "checkout\.example\.com" for an AWS site/);
    });
});
