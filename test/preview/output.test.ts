// --json is written in pieces (each stack's resources one at a time) and must be the document
// JSON.stringify(document, null, 2) would write, byte for byte.
import { expect } from "chai";
import type { StackPreview } from "../../preview/analysis";
import { renderJson, renderJsonChunks } from "../../preview/output";
import type { RecordedResource } from "../../preview/program";

function resource(name: string, inputs: Record<string, unknown>, parent?: string): RecordedResource {
    return {
        type: "aws:s3/bucket:Bucket",
        name,
        urn: `urn:pulumi:test::shop::aws:s3/bucket:Bucket::${name}`,
        custom: true,
        remote: false,
        parent,
        inputs,
        secretPaths: [],
        rawInputs: inputs,
        protect: false,
        retainOnDelete: false,
        dependencies: [],
        propertyDependencies: { tags: [] },
        ignoreChanges: [],
        additionalSecretOutputs: [],
        aliases: [],
    } as unknown as RecordedResource;
}

function stack(name: string, resources: RecordedResource[]): StackPreview {
    return { stack: name, stackFile: `Pulumi.${name}.yaml`, resources, violations: [], skipped: [], resilience: { services: [], verdicts: [] }, policyConfigs: [], incomplete: [], notes: [`a note with a line\nbreak in ${name}`] } as unknown as StackPreview;
}

/** The document as one JSON.stringify call writes it (the shape renderJson documents). */
function parsedAgain(text: string): string {
    return JSON.stringify(JSON.parse(text), null, 2);
}

describe("--json written in pieces", () => {
    const stacks = [
        stack("dev", [resource("a", { bucket: "a", tags: { team: "x\ny" }, rules: [{ days: 30 }, []], empty: {} }), resource("b", {}, "urn:pulumi:test::shop::pulumi:pulumi:Stack::shop-dev")]),
        stack("prod", []),
        stack("edge", [resource("c", { quote: 'say "hi"', unicode: "é\u2028", nested: { deeper: { deepest: [1, 2, { x: null }] } } })]),
    ];

    it("is byte for byte what one JSON.stringify(document, null, 2) writes, stacks with and without resources", () => {
        const text = renderJson(stacks, { exitCode: 0 });
        expect(text).to.equal(parsedAgain(text));
        expect((JSON.parse(text) as { stacks: { resources: { name: string }[] }[] }).stacks.map((s) => s.resources.map((r) => r.name))).to.deep.equal([["a", "b"], [], ["c"]]);
    });

    it("writes each resource as its own piece, so the whole document never has to be held at once", () => {
        const pieces = [...renderJsonChunks(stacks)];
        expect(pieces.length).to.be.greaterThan(stacks.length + 3);
        expect(Math.max(...pieces.map((p) => p.length))).to.be.lessThan(renderJson(stacks).length / 2);
        expect(pieces.join("")).to.equal(renderJson(stacks));
    });
});
