// The pack as the Pulumi CLI drives it: started as a plugin process (run-policy-pack, the way the
// CLI's nodejs analyzer plugin starts a pack), then called over the analyzer gRPC protocol with
// real protobuf requests from @pulumi/pulumi's generated client.
import { expect } from "chai";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..", "..");
const packDir = path.join(root, "policies");
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })) as typeof import("@grpc/grpc-js");
type Msg = Record<string, (...a: unknown[]) => unknown>;
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb") as Record<string, new () => Msg> & { EnforcementLevel: Record<string, number> };
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as { AnalyzerClient: new (addr: string, creds: unknown) => Record<string, (req: unknown, cb: (e: Error | null, r: Msg) => void) => void> & { close(): void } };
const emptyPb = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [pulumiDir] })) as { Empty: new () => unknown };
const structPb = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] })) as { Struct: { fromJavaScript(v: unknown): unknown } };

function call(client: Record<string, (req: unknown, cb: (e: Error | null, r: Msg) => void) => void>, method: string, req: unknown): Promise<Msg> {
    return new Promise((resolve, reject) => client[method](req, (e, r) => (e ? reject(e) : resolve(r))));
}

function analyzeRequest(type: string, name: string, props: Record<string, unknown>): unknown {
    const req = new analyzerPb.AnalyzeRequest();
    req.setType(type);
    req.setName(name);
    req.setUrn(`urn:pulumi:prod::nonstop::${type}::${name}`);
    req.setProperties(structPb.Struct.fromJavaScript(props));
    const opts = new analyzerPb.AnalyzerResourceOptions();
    opts.setProtect(true);
    req.setOptions(opts);
    return req;
}

function policies(resp: Msg): string[] {
    return (resp.getDiagnosticsList() as Msg[]).map((d) => d.getPolicyname() as string);
}

describe("policy pack under the analyzer gRPC protocol", function () {
    this.timeout(60000);
    let child: ChildProcess;
    let client: ReturnType<typeof connect>;
    let startMs = 0;

    function connect(port: string) {
        return new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    }

    before(async () => {
        const t0 = Date.now();
        // What the CLI runs for a nodejs pack: run-policy-pack <engine-address> <pack-dir>, cwd = the pack.
        child = spawn(process.execPath, [path.join(pulumiDir, "cmd", "run-policy-pack"), "127.0.0.1:1", packDir], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        child.stderr?.on("data", (d) => (stderr += String(d)));
        const port = await new Promise<string>((resolve, reject) => {
            let out = "";
            child.stdout?.on("data", (d) => {
                out += String(d);
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) resolve(m[1]);
            });
            child.on("exit", (code) => reject(new Error(`pack exited with ${code}: ${stderr}`)));
        });
        startMs = Date.now() - t0;
        client = connect(port);
    });

    after(() => {
        client?.close();
        child?.kill();
    });

    it("starts from compiled JavaScript and announces its port quickly", () => {
        // Measured here ~1 s (the CLI's ts-node type-check of a TypeScript entry point costs ~5 s).
        expect(startMs).to.be.below(15000);
    });

    it("answers GetPluginInfo and GetAnalyzerInfo with the pack's policies and their config schemas", async () => {
        const plugin = await call(client, "getPluginInfo", new emptyPb.Empty());
        expect(plugin.getVersion()).to.be.a("string").that.is.not.empty;
        const info = await call(client, "getAnalyzerInfo", new emptyPb.Empty());
        expect(info.getName()).to.equal("nonstop-resilience");
        const names = (info.getPoliciesList() as Msg[]).map((p) => p.getName() as string);
        expect(names).to.include("rds-multi-az");
        const withSchema = (info.getPoliciesList() as Msg[]).filter((p) => p.getConfigschema());
        expect(withSchema.length).to.be.greaterThan(0);
    });

    it("takes Configure, then reports a violation for a violating resource under Analyze", async () => {
        const req = new analyzerPb.ConfigureAnalyzerRequest();
        const pc = new analyzerPb.PolicyConfig();
        pc.setEnforcementlevel(analyzerPb.EnforcementLevel.MANDATORY);
        pc.setProperties(structPb.Struct.fromJavaScript({}));
        (req.getPolicyconfigMap() as unknown as Map<string, unknown>).set("rds-multi-az", pc);
        await call(client, "configure", req);
        const resp = await call(client, "analyze", analyzeRequest("aws:rds/instance:Instance", "orders", { engine: "postgres", instanceClass: "db.t4g.micro", multiAz: false, backupRetentionPeriod: 14, deletionProtection: true, storageEncrypted: true }));
        const diags = resp.getDiagnosticsList() as Msg[];
        const multiAz = diags.find((d) => d.getPolicyname() === "rds-multi-az");
        expect(multiAz, policies(resp).join()).to.not.equal(undefined);
        expect(multiAz?.getEnforcementlevel()).to.equal(analyzerPb.EnforcementLevel.MANDATORY);
        expect(String(multiAz?.getMessage())).to.contain("multiAz");
    });

    it("reports nothing for a compliant resource under Analyze", async () => {
        const resp = await call(client, "analyze", analyzeRequest("aws:rds/instance:Instance", "orders", {
            engine: "postgres", instanceClass: "db.r6g.large", multiAz: true, backupRetentionPeriod: 35, deletionProtection: true,
            storageEncrypted: true, skipFinalSnapshot: false, finalSnapshotIdentifier: "orders-final", copyTagsToSnapshot: true,
        }));
        expect(policies(resp)).to.deep.equal([]);
    });

    it("runs stack policies under AnalyzeStack: an unprotected database is reported, a protected one is not", async () => {
        const req = new analyzerPb.AnalyzeStackRequest();
        const r = new analyzerPb.AnalyzerResource();
        r.setType("aws:rds/instance:Instance");
        r.setName("orders");
        r.setUrn("urn:pulumi:prod::nonstop::aws:rds/instance:Instance::orders");
        r.setProperties(structPb.Struct.fromJavaScript({ engine: "postgres", multiAz: false }));
        r.setOptions(new analyzerPb.AnalyzerResourceOptions());
        req.setResourcesList([r]);
        const resp = await call(client, "analyzeStack", req);
        const diags = resp.getDiagnosticsList() as Msg[];
        const unprotected = diags.find((d) => d.getPolicyname() === "stateful-resource-protected");
        expect(unprotected, policies(resp).join()).to.not.equal(undefined);
        expect(unprotected?.getUrn()).to.equal("urn:pulumi:prod::nonstop::aws:rds/instance:Instance::orders");

        const protectedOpts = new analyzerPb.AnalyzerResourceOptions();
        protectedOpts.setProtect(true);
        r.setOptions(protectedOpts);
        r.setProperties(structPb.Struct.fromJavaScript({ engine: "postgres", multiAz: true, deletionProtection: true }));
        const again = await call(client, "analyzeStack", req);
        expect(policies(again)).to.not.include("stateful-resource-protected");
    });
});
