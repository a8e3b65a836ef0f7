import { expect } from "chai";
import { DmsServiceRoles } from "../../../components/data/dmsServiceRoles";
import { boundedName, dmsIdentifier } from "../../../components/data/names";
import { runUnderMocks } from "../../harness";

describe("DmsServiceRoles", () => {
    it("creates dms-vpc-role and dms-cloudwatch-logs-role with their AWS managed policies, trusted by DMS, kept on delete", async () => {
        const r = await runUnderMocks(() => new DmsServiceRoles("dms-service-roles"));
        const roles = r.ofType("aws:iam/role:Role");
        expect(roles.map((x) => x.inputs.name)).to.deep.equal(["dms-vpc-role", "dms-cloudwatch-logs-role"]);
        for (const role of roles) {
            expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal).to.deep.equal({ Service: "dms.amazonaws.com" });
            expect(role.retainOnDelete).to.equal(true);
        }
        expect(r.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.inputs.policyArn)).to.deep.equal([
            "arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole",
            "arn:aws:iam::aws:policy/service-role/AmazonDMSCloudWatchLogsRole",
        ]);
    });
});

describe("boundedName", () => {
    it("keeps a short name, hashes a long prefix and always keeps the last part", () => {
        expect(boundedName(["nonstop", "prod", "checkout"], 32)).to.equal("nonstop-prod-checkout");
        const long = boundedName(["a-very-long-project-name", "production-eu", "checkout"], 32);
        expect(long).to.have.length.at.most(32).and.match(/^a-very-long-[a-z0-9-]*-[a-z0-9]{7}-checkout$/);
        expect(dmsIdentifier("Checkout_CDC", "gcp-us-central1", "source")).to.equal("checkout-cdc-gcp-us-central1-source");
    });
});
