import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";

const lazySdk = path.resolve(__dirname, "..", "..", "preview", "lazySdk.js");

/** Runs a script in a fresh process (this one has the SDK loaded already). */
function fresh(script: string): { stdout: string; stderr: string; status: number | null } {
    return spawnSync(process.execPath, ["-e", script], { cwd: path.resolve(__dirname, "..", "..", ".."), encoding: "utf8" });
}

describe("deferUnusedSdkModules (preview/lazySdk.ts)", () => {
    it("keeps npm's arborist, the TypeScript compiler and the Automation API out of a preview that serializes no function", () => {
        const r = fresh(`
            require(${JSON.stringify(lazySdk)}).deferUnusedSdkModules(process.cwd());
            require("@pulumi/pulumi");
            const loaded = Object.keys(require.cache).filter((k) => /typescript[\\\\/]lib[\\\\/]typescript\\.js$|arborist[\\\\/]lib[\\\\/]arborist[\\\\/]index\\.js$|[\\\\/]execa[\\\\/]|normalize-package-data[\\\\/]lib[\\\\/]fixer\\.js$|[\\\\/]picomatch[\\\\/]|automation[\\\\/]localWorkspace\\.js$/.test(k));
            console.log(JSON.stringify(loaded));`);
        expect(r.stderr).to.equal("");
        expect(JSON.parse(r.stdout)).to.deep.equal([]);
    });

    it("loads the Automation API on first use", () => {
        const r = fresh(`
            require(${JSON.stringify(lazySdk)}).deferUnusedSdkModules(process.cwd());
            const pulumi = require("@pulumi/pulumi");
            console.log(typeof pulumi.automation.LocalWorkspace, typeof pulumi.automation.fullyQualifiedStackName);`);
        expect(r.stderr).to.equal("");
        expect(r.stdout.trim()).to.equal("function function");
    });

    it("hands out a module that exports one function as that function, called through on first use", () => {
        const r = fresh(`
            require(${JSON.stringify(lazySdk)}).deferUnusedSdkModules(process.cwd());
            require("@pulumi/pulumi");
            const file = require.resolve("normalize-package-data", { paths: [require("path").dirname(require.resolve("@pulumi/pulumi/runtime/closure/codePaths"))] });
            const normalize = require(file);
            // As the SDK imports it: __importDefault(require("normalize-package-data")).default
            const imported = normalize && normalize.__esModule ? normalize : { default: normalize };
            // (The stub sits in require's cache under the module's own file; the real one loads lib/fixer.js.)
            const before = Object.keys(require.cache).some((k) => k.endsWith(require("path").join("normalize-package-data", "lib", "fixer.js")));
            const data = { name: "shop", version: "1.0.0" };
            imported.default(data);
            console.log(before, typeof normalize, data._id);`);
        expect(r.stderr).to.equal("");
        expect(r.stdout.trim()).to.equal("false function shop@1.0.0");
    });

    it("loads them on first use, so function serialization still works", () => {
        const r = fresh(`
            require(${JSON.stringify(lazySdk)}).deferUnusedSdkModules(process.cwd());
            const pulumi = require("@pulumi/pulumi");
            const answer = 42;
            pulumi.runtime.serializeFunction(() => answer).then((f) => console.log(f.text.includes("42") ? "serialized" : f.text));`);
        // (The SDK's serializer walks Node's built-in modules, which prints deprecation warnings.)
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout.trim()).to.equal("serialized");
    });
});
