import { expect } from "chai";
import * as fs from "fs";
import { policyDocs, policyDocsFile } from "../../preview/policyDocs";

describe("docs/policies.md", () => {
    it("is the reference generated from the pack as it is (run `npm run docs` after changing a rule)", async () => {
        const expected = await policyDocs();
        expect(fs.readFileSync(policyDocsFile, "utf8")).to.equal(expected);
    });

    it("lists every rule with its description", async () => {
        const text = await policyDocs();
        for (const rule of ["rds-multi-az", "single-nat-gateway", "resilience-budget", "k8s-pdb-allows-disruption", "cloudsql-high-availability"]) {
            expect(text).to.match(new RegExp(`\\| \`${rule}\` \\| \\S`));
        }
    });
});
