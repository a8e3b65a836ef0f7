// What the preview reads before it runs anything: project and stack files.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadProject, loadStackFile, MAX_YAML_BYTES, readYaml, UNDECRYPTED_SECRET, UsageError } from "../../preview/project";

describe("project and stack files (preview/project.ts)", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "nonstop-project-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\nconfig:\n  shop:tier: small\n");
        fs.writeFileSync(path.join(dir, "index.js"), "");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, text: string) => {
        const f = path.join(dir, name);
        fs.writeFileSync(f, text);
        return f;
    };

    it("runs a stack with no stack file with the project's defaults only, as the CLI does", () => {
        const stack = loadStackFile(loadProject(dir), "staging");
        expect(stack).to.deep.include({ exists: false, config: { "shop:tier": "small" }, secretKeys: [] });
    });

    it("never hands a program ciphertext: secure: values, however deep, become a placeholder and mark their key secret", () => {
        write("Pulumi.prod.yaml", "config:\n  shop:dbPassword:\n    secure: v1:AAAA\n  nonstop:alerts:\n    webhooks:\n      - secure: v1:BBBB\n      - https://hooks.example.com/plain\n  aws:region: us-east-1\n");
        const stack = loadStackFile(loadProject(dir), "prod");
        expect(stack.config["shop:dbPassword"]).to.equal(UNDECRYPTED_SECRET);
        expect(stack.config["nonstop:alerts"]).to.deep.equal({ webhooks: [UNDECRYPTED_SECRET, "https://hooks.example.com/plain"] });
        expect(stack.secretKeys).to.deep.equal(["shop:dbPassword", "nonstop:alerts"]);
        expect(JSON.stringify(stack.config)).to.not.contain("v1:");
    });

    it("refuses duplicate keys, with their line, as the yaml package would, but in linear time", () => {
        const f = write("dup.yaml", "config:\n  aws:region: us-east-1\n  nonstop:dns: {}\n  aws:region: eu-west-1\n");
        expect(() => readYaml(f)).to.throw(UsageError, 'line 4: duplicate key "aws:region"');
        // The package's own check compares each key with every earlier one; this one is linear.
        const big = write("big.yaml", "config:\n" + Array.from({ length: 5000 }, (_, i) => `  k${i}: v${i}\n`).join(""));
        expect(Object.keys((readYaml(big) as { config: object }).config)).to.have.length(5000);
    });

    it("refuses a file larger than the cap before parsing it", () => {
        const f = write("huge.yaml", `config:\n  a: "${"x".repeat(MAX_YAML_BYTES)}"\n`);
        expect(() => readYaml(f)).to.throw(UsageError, "larger than the 1 MiB");
    });
});
