// The wire values between the SDK, the engine and analyzers: what a policy and the preview's
// model read must be what the engine hands analyzers (pulumi/pulumi sdk/go/common/resource/plugin:
// Analyze marshals with KeepUnknowns, KeepSecrets and SkipInternalKeys, without KeepResources).
import { expect } from "chai";
import { decodeStruct, SecretSink, toAnalyzerWire, UNKNOWN, WIRE } from "../../preview/values";

const { sigKey: SIG, resourceSig: RESOURCE, secretSig: SECRET, outputSig: OUTPUT, unknown: UNKNOWN_WIRE } = WIRE;
const roleUrn = "urn:pulumi:test::app::aws:iam/role:Role::web";
const vpcUrn = "urn:pulumi:test::app::awsx:ec2:Vpc::main";

describe("wire values (preview/values.ts)", () => {
    describe("toAnalyzerWire: inputs as the engine sends them to analyzers", () => {
        it("gives a custom resource reference as its id, unknown while the id is", () => {
            expect(toAnalyzerWire({ role: { [SIG]: RESOURCE, urn: roleUrn, id: "web-role-id" } })).to.deep.equal({ role: "web-role-id" });
            expect(toAnalyzerWire({ role: { [SIG]: RESOURCE, urn: roleUrn, id: UNKNOWN_WIRE } })).to.deep.equal({ role: UNKNOWN_WIRE });
            expect(toAnalyzerWire({ role: { [SIG]: RESOURCE, urn: roleUrn, id: "" } })).to.deep.equal({ role: UNKNOWN_WIRE });
        });

        it("gives a component resource reference as its URN, also inside lists", () => {
            expect(toAnalyzerWire({ vpcs: [{ [SIG]: RESOURCE, urn: vpcUrn }] })).to.deep.equal({ vpcs: [vpcUrn] });
        });

        it("keeps secrets as secrets, turns output values into their value or unknown, and drops internal keys", () => {
            expect(toAnalyzerWire({ p: { [SIG]: SECRET, value: { [SIG]: RESOURCE, urn: vpcUrn } } })).to.deep.equal({ p: { [SIG]: SECRET, value: vpcUrn } });
            expect(toAnalyzerWire({ o: { [SIG]: OUTPUT, value: "x", secret: true }, u: { [SIG]: OUTPUT } })).to.deep.equal({ o: { [SIG]: SECRET, value: "x" }, u: UNKNOWN_WIRE });
            expect(toAnalyzerWire({ __defaults: ["name"], tags: { a: "b" } })).to.deep.equal({ tags: { a: "b" } });
        });

        it("returns the very same object when there is nothing to convert (no copy per resource)", () => {
            const props = { name: "x", tags: { a: "b" }, list: [1, 2], secret: { [SIG]: SECRET, value: "s" } };
            expect(toAnalyzerWire(props)).to.equal(props);
        });
    });

    describe("decodeStruct: plain values for the preview's model and output", () => {
        it("decodes references as analyzers see them and records where secrets sit and what they hold", () => {
            const sink: SecretSink = { paths: [], values: new Set() };
            const plain = decodeStruct(
                {
                    role: { [SIG]: RESOURCE, urn: roleUrn, id: UNKNOWN_WIRE },
                    vpc: { [SIG]: RESOURCE, urn: vpcUrn },
                    env: [{ name: "TOKEN", value: { [SIG]: SECRET, value: "tok-123456" } }],
                    out: { [SIG]: OUTPUT, value: { user: "u", pass: "pw-98765" }, secret: true },
                },
                sink,
            );
            expect(plain).to.deep.equal({ role: UNKNOWN, vpc: vpcUrn, env: [{ name: "TOKEN", value: "tok-123456" }], out: { user: "u", pass: "pw-98765" } });
            expect(sink.paths).to.deep.equal([["env", 0, "value"], ["out"]]);
            expect([...sink.values].sort()).to.deep.equal(["pw-98765", "tok-123456", "u"]);
        });
    });
});
