// The requests the in-process host hands the policy SDK must read, getter for getter, as the
// protobuf messages the CLI sends (decoded from the wire) would: here both are built for the same
// resources and every getter the SDK calls is compared.
import { expect } from "chai";
import { analyzeRequest, analyzeStackRequest, durationSeconds } from "../../preview/analyzerRequests";
import type { RecordedResource } from "../../preview/program";

type Message = Record<string, (...a: unknown[]) => unknown>;
const pb = require("@pulumi/pulumi/proto/analyzer_pb") as Record<string, new () => Message> & {
    AnalyzerResourceOptions: (new () => Message) & { CustomTimeouts: new () => Message };
};

const stack = "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod";
const providerUrn = "urn:pulumi:prod::shop::pulumi:providers:aws::west";

function recorded(over: Partial<RecordedResource>): RecordedResource {
    return {
        type: "aws:s3/bucket:Bucket",
        name: "b",
        urn: "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::b",
        custom: true,
        remote: false,
        inputs: {},
        rawInputs: {},
        secretPaths: [],
        protect: false,
        retainOnDelete: false,
        dependencies: [],
        propertyDependencies: {},
        ignoreChanges: [],
        additionalSecretOutputs: [],
        aliases: [],
        ...over,
    } as RecordedResource;
}

const provider = recorded({ type: "pulumi:providers:aws", name: "west", urn: providerUrn, rawInputs: { region: "us-west-2" }, parent: stack });
const bucket = recorded({
    name: "orders",
    urn: "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::orders",
    rawInputs: { bucket: "orders", tags: { team: "web" } },
    parent: stack,
    provider: `${providerUrn}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`,
    protect: true,
    dependencies: [providerUrn],
    // Keys out of order, and one that depends on nothing (the engine leaves it out).
    propertyDependencies: { tags: [providerUrn], bucket: [providerUrn], acl: [] },
    ignoreChanges: ["tags"],
    additionalSecretOutputs: ["arn"],
    aliases: ["urn:pulumi:prod::shop::aws:s3/bucket:Bucket::old"],
    deleteBeforeReplace: true,
    customTimeouts: { create: "10m", delete: "1h30m" },
});
const bare = recorded({ name: "bare", urn: "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::bare" });
const byUrn = new Map([provider, bucket, bare].map((r) => [r.urn, r]));

/** The message the engine would send for `r`, built with the SDK's own protobuf classes. */
function message(r: RecordedResource, kind: "AnalyzeRequest" | "AnalyzerResource"): Record<string, (...a: unknown[]) => unknown> {
    const m = new pb[kind]();
    m.setType(r.type);
    m.setUrn(r.urn);
    m.setName(r.name);
    const o = new pb.AnalyzerResourceOptions();
    o.setProtect(r.protect);
    o.setIgnorechangesList([...r.ignoreChanges]);
    if (r.deleteBeforeReplace !== undefined) {
        o.setDeletebeforereplace(r.deleteBeforeReplace);
        o.setDeletebeforereplacedefined(true);
    }
    o.setAdditionalsecretoutputsList([...r.additionalSecretOutputs]);
    o.setAliasesList([...r.aliases]);
    if (r.parent) o.setParent(r.parent);
    if (r.customTimeouts) {
        const t = new pb.AnalyzerResourceOptions.CustomTimeouts();
        t.setCreate(durationSeconds(r.customTimeouts.create));
        t.setUpdate(durationSeconds(r.customTimeouts.update));
        t.setDelete(durationSeconds(r.customTimeouts.delete));
        o.setCustomtimeouts(t);
    }
    m.setOptions(o);
    if (r.provider) {
        const p = byUrn.get(r.provider.split("::").slice(0, -1).join("::")) as RecordedResource;
        const apr = new pb.AnalyzerProviderResource();
        apr.setType(p.type);
        apr.setUrn(p.urn);
        apr.setName(p.name);
        m.setProvider(apr);
    }
    if (kind === "AnalyzerResource") {
        if (r.parent) m.setParent(r.parent);
        m.setDependenciesList([...r.dependencies]);
        const deps = m.getPropertydependenciesMap() as { set(k: string, v: unknown): void };
        for (const [k, urns] of Object.entries(r.propertyDependencies)) {
            if (urns.length === 0) continue;
            const pd = new pb.AnalyzerPropertyDependencies();
            pd.setUrnsList([...urns]);
            deps.set(k, pd);
        }
    }
    return m;
}

type Reader = Record<string, (...a: unknown[]) => unknown>;

/** Everything the policy SDK reads from a request (server.js), props aside. */
function readAsTheSdkDoes(m: Reader, stackResource: boolean): unknown {
    const o = m.getOptions() as Reader;
    const t = o.getCustomtimeouts() as Reader | undefined;
    const p = m.getProvider() as Reader | undefined;
    const read: Record<string, unknown> = {
        type: m.getType(),
        urn: m.getUrn(),
        name: m.getName(),
        options: {
            protect: o.getProtect(),
            ignoreChanges: o.getIgnorechangesList(),
            aliases: o.getAliasesList(),
            additionalSecretOutputs: o.getAdditionalsecretoutputsList(),
            deleteBeforeReplaceDefined: o.getDeletebeforereplacedefined(),
            deleteBeforeReplace: o.getDeletebeforereplace(),
            parent: o.getParent(),
            timeouts: t && [t.getCreate(), t.getUpdate(), t.getDelete()],
        },
        provider: p && { type: p.getType(), urn: p.getUrn(), name: p.getName() },
    };
    if (stackResource) {
        read.parent = m.getParent();
        read.dependencies = m.getDependenciesList();
        const map = m.getPropertydependenciesMap() as { entries(): Iterable<[string, Reader]> };
        read.propertyDependencies = [...map.entries()].map(([k, v]) => [k, v.getUrnsList()]);
    }
    return read;
}

describe("the requests the pack host hands the policy SDK (preview/analyzerRequests.ts)", () => {
    for (const r of [bucket, bare, provider]) {
        it(`Analyze of ${r.name}: reads as the engine's AnalyzeRequest reads`, () => {
            expect(readAsTheSdkDoes(analyzeRequest(r, byUrn) as unknown as Reader, false)).to.deep.equal(readAsTheSdkDoes(message(r, "AnalyzeRequest"), false));
        });
    }

    it("AnalyzeStack: every resource reads as the engine's AnalyzerResource, property dependencies in key order and without empty ones", () => {
        const views = analyzeStackRequest([provider, bucket, bare], byUrn).getResourcesList() as unknown as Reader[];
        expect(views.map((v) => readAsTheSdkDoes(v, true))).to.deep.equal([provider, bucket, bare].map((r) => readAsTheSdkDoes(message(r, "AnalyzerResource"), true)));
        expect((readAsTheSdkDoes(views[1], true) as { propertyDependencies: unknown }).propertyDependencies).to.deep.equal([
            ["bucket", [providerUrn]],
            ["tags", [providerUrn]],
        ]);
    });

    it("hands the props as the engine marshals them for analyzers, one value per resource per request", () => {
        const req = analyzeStackRequest([provider, bucket], byUrn).getResourcesList() as unknown as Reader[];
        const props = req[1].getProperties() as { toJavaScript(): unknown };
        expect(props.toJavaScript()).to.deep.equal({ bucket: "orders", tags: { team: "web" } });
        expect(props.toJavaScript()).to.equal(props.toJavaScript());
        const providerProps = (req[1].getProvider() as Reader).getProperties() as { toJavaScript(): unknown };
        expect(providerProps.toJavaScript()).to.deep.equal({ region: "us-west-2" });
    });

    it("gives each request its own lists, so a policy that changes one cannot change the recorded resource", () => {
        const req = analyzeRequest(bucket, byUrn) as unknown as Reader;
        ((req.getOptions() as Reader).getIgnorechangesList() as string[]).push("bucket");
        expect(bucket.ignoreChanges).to.deep.equal(["tags"]);
    });

    it("reads custom timeouts as seconds: 10m, 1h30m, 90s, 500ms", () => {
        expect(["10m", "1h30m", "90s", "500ms", undefined, ""].map(durationSeconds)).to.deep.equal([600, 5400, 90, 0.5, 0, 0]);
    });
});
