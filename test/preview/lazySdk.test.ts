import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";

const lazySdk = path.resolve(__dirname, "..", "..", "preview", "lazySdk.js");

/** Runs a script in a fresh process (this one has the SDK loaded already). */
function fresh(script: string): { stdout: string; stderr: string; status: number | null } {
    return spawnSync(process.execPath, ["-e", script], { cwd: path.resolve(__dirname, "..", "..", ".."), encoding: "utf8" });
}

describe("deferClosureSupport (preview/lazySdk.ts)", () => {
    it("keeps npm's arborist and the TypeScript compiler out of a preview that serializes no function", () => {
        const r = fresh(`
            require(${JSON.stringify(lazySdk)}).deferClosureSupport(process.cwd());
            require("@pulumi/pulumi");
            const loaded = Object.keys(require.cache).filter((k) => /typescript[\\\\/]lib[\\\\/]typescript\\.js$|arborist[\\\\/]lib[\\\\/]arborist[\\\\/]index\\.js$/.test(k));
            console.log(JSON.stringify(loaded));`);
        expect(r.stderr).to.equal("");
        expect(JSON.parse(r.stdout)).to.deep.equal([]);
    });

    it("loads them on first use, so function serialization still works", () => {
        const r = fresh(`
            require(${JSON.stringify(lazySdk)}).deferClosureSupport(process.cwd());
            const pulumi = require("@pulumi/pulumi");
            const answer = 42;
            pulumi.runtime.serializeFunction(() => answer).then((f) => console.log(f.text.includes("42") ? "serialized" : f.text));`);
        // (The SDK's serializer walks Node's built-in modules, which prints deprecation warnings.)
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout.trim()).to.equal("serialized");
    });
});
