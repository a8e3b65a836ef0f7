import { expect } from "chai";
import { configSchema, distinctCount, message, show, thresholds, tooFew, View } from "../../../policies/lib/rule";
import { UNKNOWN } from "../../harness";

const declared = {
    minZones: { type: "integer", minimum: 1, default: 2, description: "zones" },
    strict: { type: "boolean", default: false, description: "strict" },
    key: { type: "string", minLength: 1, default: "topology.kubernetes.io/zone", description: "label" },
    types: { type: "array", default: ["HTTPS"], description: "types" },
} as const;

describe("policies/lib/rule", () => {
    describe("thresholds", () => {
        it("takes configured values of the declared type and range", () => {
            const t = thresholds({ getConfig: <T>() => ({ minZones: 3, strict: true, key: "zone", types: ["TCP"] }) as T }, declared);
            expect(t).to.deep.equal({ minZones: 3, strict: true, key: "zone", types: ["TCP"] });
        });

        it("falls back to each default when a value is missing, mistyped, out of range or getConfig throws", () => {
            const mistyped = thresholds({ getConfig: <T>() => ({ minZones: "3", strict: "yes", key: "", types: [1] }) as T }, declared);
            expect(mistyped).to.deep.equal({ minZones: 2, strict: false, key: "topology.kubernetes.io/zone", types: ["HTTPS"] });
            expect(thresholds({ getConfig: <T>() => ({ minZones: 0 }) as T }, declared).minZones).to.equal(2);
            expect(thresholds({ getConfig: <T>() => ({ minZones: 2.5 }) as T }, declared).minZones).to.equal(2);
            const throwing = thresholds(
                {
                    getConfig: () => {
                        throw new Error("no config");
                    },
                },
                declared,
            );
            expect(throwing.minZones).to.equal(2);
        });
    });

    it("configSchema declares each threshold with its default (arrays of strings)", () => {
        const schema = configSchema(declared);
        expect(schema.properties.minZones).to.deep.equal({ type: "integer", minimum: 1, default: 2, description: "zones" });
        expect(schema.properties.types).to.deep.equal({ type: "array", items: { type: "string" }, default: ["HTTPS"], description: "types" });
    });

    describe("View", () => {
        type Props = { spec: { replicas?: number; containers: { name: string }[]; annotations: Record<string, string> }; flag?: boolean };
        const view = (v: unknown) => new View<Props>(v);

        it("reads known values, and tells absent from unknown", () => {
            const r = view({ spec: { replicas: 3, containers: [{ name: "api" }, UNKNOWN] }, flag: UNKNOWN });
            expect(r.at("spec").num("replicas")).to.equal(3);
            expect(r.unknown("flag")).to.equal(true);
            expect(r.absent("flag")).to.equal(false);
            expect(r.bool("flag")).to.equal(undefined);
            expect(view({}).absent("flag")).to.equal(true);
            expect(view({ spec: UNKNOWN }).at("spec").absent("replicas")).to.equal(false);
            expect(r.at("spec").items("containers")?.map((c) => c.isObject)).to.deep.equal([true, false]);
        });

        it("names paths for messages, bracketing keys that are not identifiers", () => {
            const r = view({ spec: { containers: [{ name: "api" }], annotations: { "a.b/c": "1" } } });
            expect(r.at("spec").items("containers")?.[0].pathOf("name")).to.equal("spec.containers[0].name");
            expect(r.at("spec").at("annotations").is("a.b/c")).to.equal('spec.annotations["a.b/c"] is "1"');
            expect(r.at("spec").is("replicas")).to.equal("spec.replicas is not set");
        });
    });

    it("show, distinctCount, tooFew and message compose the message shape", () => {
        expect(show(undefined)).to.equal("not set");
        expect(show(["a", UNKNOWN])).to.equal('["a","<unknown>"]');
        expect(distinctCount(["a", "a", UNKNOWN, UNKNOWN])).to.equal(3);
        expect(tooFew(1, "pod", "x")).to.equal("one pod is a single point of failure: x");
        expect(tooFew(2, "pod", "x")).to.match(/^2 pods leave too little capacity/);
        expect(message({ type: "aws:rds/instance:Instance", name: "orders-db" }, "multiAz is false", "it is lost with its zone", "Set multiAz: true")).to.equal(
            'aws:rds/instance:Instance "orders-db": multiAz is false; it is lost with its zone. Set multiAz: true.',
        );
    });
});
