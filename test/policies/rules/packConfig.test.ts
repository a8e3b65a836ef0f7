// The per-environment pack configs (policies/config/{dev,prod}.json) as the CLI reads them with
// --policy-pack-config: valid for the pack, every threshold declared by its policy, and the levels
// and thresholds they promise.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { rdsBackupRetention } from "../../../policies/rules/aws";
import { allPolicies } from "../../../policies/rules";
import { k8sDeploymentReplicas } from "../../../policies/rules/kubernetes";
import { judge, testResource } from "../../harness";
import { set } from "./support";
import { rdsInstance } from "./aws/factories";
import { deployment } from "./kubernetes/factories";

const root = path.resolve(__dirname, "..", "..", "..", "..");
const read = (env: string) => JSON.parse(fs.readFileSync(path.join(root, "policies", "config", `${env}.json`), "utf8")) as Record<string, unknown>;

describe("pack config (policies/config)", () => {
    for (const env of ["dev", "prod"]) {
        describe(`${env}.json`, () => {
            it("names only policies of the pack, with thresholds their schemas declare", () => {
                const config = read(env);
                const byName = new Map(allPolicies.map((p) => [p.name, p]));
                for (const [key, entry] of Object.entries(config)) {
                    if (key === "all") continue;
                    const policy = byName.get(key);
                    expect(policy, `"${key}" is not a policy of the pack`).to.not.equal(undefined);
                    if (entry && typeof entry === "object") {
                        const declared = Object.keys(policy?.configSchema?.properties ?? {});
                        for (const k of Object.keys(entry)) if (k !== "enforcementLevel") expect(declared, `${key}.${k}`).to.include(k);
                    }
                }
            });

            it("is accepted by the pack (values match each policy's schema)", async () => {
                await judge(allPolicies, [], read(env));
            });
        });
    }

    it("dev.json keeps every rule advisory", () => {
        expect(read("dev").all).to.equal("advisory");
    });

    /** Violations of one policy when the whole pack, configured for `env`, judges one resource. */
    async function underPack(env: string, policy: string, resource: Parameters<typeof testResource>[0]) {
        return (await judge(allPolicies, [testResource(resource)], read(env))).filter((v) => v.policy === policy);
    }

    it("prod.json makes every rule mandatory, with prod thresholds (14 days of RDS backups)", async () => {
        expect(read("prod").all).to.equal("mandatory");
        const violations = await underPack("prod", rdsBackupRetention.name, { type: "aws:rds/instance:Instance", name: "orders-db", props: rdsInstance() });
        expect(violations).to.have.length(1);
        expect(violations[0].enforcementLevel).to.equal("mandatory");
        expect(violations[0].message).to.include("backupRetentionPeriod is 7, below the minimum of 14 days");
    });

    it("dev.json accepts a single replica that prod.json rejects", async () => {
        const single = { type: "kubernetes:apps/v1:Deployment", name: "checkout", props: set(deployment(), "spec.replicas", 1) };
        expect(await underPack("dev", k8sDeploymentReplicas.name, single)).to.deep.equal([]);
        const violations = await underPack("prod", k8sDeploymentReplicas.name, single);
        expect(violations).to.have.length(1);
        expect(violations[0].enforcementLevel).to.equal("mandatory");
    });
});
