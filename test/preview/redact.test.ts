// Secrets never leave the preview: resources become output only through propsJson, free text is scrubbed.
import { expect } from "chai";
import { propsJson, SecretValues } from "../../preview/redact";
import { UNKNOWN } from "../harness";

describe("secret redaction (preview/redact.ts)", () => {
    it("shows every value the program marked secret as [secret], at any depth, and unknowns as null", () => {
        const inputs = { name: "db", password: "hunter2-long", env: [{ name: "A", value: "s3cr3t-value" }, { name: "B", value: "plain" }], host: UNKNOWN };
        expect(propsJson({ inputs, secretPaths: [["password"], ["env", 0, "value"]], additionalSecretOutputs: [] })).to.deep.equal({
            name: "db",
            password: "[secret]",
            env: [{ name: "A", value: "[secret]" }, { name: "B", value: "plain" }],
            host: null,
        });
    });

    it("hides the fields the provider declares secret even when the program passed plain text", () => {
        expect(propsJson({ inputs: { content: "license-text", key: "k" }, secretPaths: [], additionalSecretOutputs: ["content", "absent"] })).to.deep.equal({ content: "[secret]", key: "k" });
    });

    it("hides a whole value marked secret, including what is nested in it", () => {
        expect(propsJson({ inputs: { spec: { a: { b: "x" } } }, secretPaths: [["spec"], ["spec", "a", "b"]], additionalSecretOutputs: [] })).to.deep.equal({ spec: "[secret]" });
    });

    it("scrubs secret values out of free text, longest first, leaving short common strings alone", () => {
        const s = new SecretValues();
        s.add(["hunter2-long", "hunter2-long-er", "abc"]);
        expect(s.scrub("password hunter2-long-er rejected; hunter2-long too; abc stays")).to.equal("password [secret] rejected; [secret] too; abc stays");
        expect(new SecretValues().scrub("nothing to do")).to.equal("nothing to do");
    });
});
