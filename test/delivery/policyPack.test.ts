import * as fs from "fs";
import { builtinModules } from "module";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { findAppRoot } from "../../delivery/appProject";
import { Finished, startEarly } from "./background";

const root = findAppRoot(__dirname);

/**
 * A fresh checkout of what `npm pack` in policies/ needs: the pack's tracked files (no bin/, which
 * is git-ignored), the build script its prepack runs and the root .gitignore, with the root's
 * installed node_modules linked in (as `npm ci` at the root leaves them).
 */
function freshCheckout(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nonstop-pack-"));
    fs.cpSync(path.join(root, "policies"), path.join(dir, "policies"), { recursive: true, filter: (src) => !["bin", "node_modules"].includes(path.basename(src)) || path.dirname(src) !== path.join(root, "policies") });
    fs.mkdirSync(path.join(dir, "scripts"));
    fs.copyFileSync(path.join(root, "scripts", "build.js"), path.join(dir, "scripts", "build.js"));
    fs.copyFileSync(path.join(root, ".gitignore"), path.join(dir, ".gitignore"));
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

const checkout = freshCheckout();
const binBeforePack = fs.existsSync(path.join(checkout, "policies", "bin"));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
// --dry-run lists the tarball without writing it; the prepack script still runs, as for a publish.
const packing: Promise<Finished> = startEarly(npm, ["pack", "--dry-run", "--json", "--ignore-scripts=false"], { cwd: path.join(checkout, "policies") });

interface PackResult {
    readonly name: string;
    readonly version: string;
    readonly files: { readonly path: string }[];
}

describe("policies/ packed from a fresh checkout (npm pack, as pulumi policy publish runs it)", () => {
    let packed: PackResult;
    let files: string[];
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "policies", "package.json"), "utf8")) as { main: string; version: string; scripts: Record<string, string>; dependencies: Record<string, string> };

    before(async function () {
        this.timeout(120_000);
        expect(binBeforePack, "the fresh checkout has no bin/").to.equal(false);
        const done = await packing;
        if (done.code !== 0) throw new Error(`npm pack exited ${done.code}: ${done.stderr}`);
        packed = (JSON.parse(done.stdout) as PackResult[])[0];
        files = packed.files.map((f) => f.path);
    });

    after(() => fs.rmSync(checkout, { recursive: true, force: true }));

    it("builds the compiled entry point in prepack and ships it", () => {
        expect(pkg.scripts.prepack).to.equal("node ../scripts/build.js --pack");
        expect(pkg.scripts.build).to.equal(pkg.scripts.prepack);
        expect(pkg.main).to.equal("bin/index.js");
        expect(files).to.include.members(["package.json", "PulumiPolicy.yaml", "bin/index.js", "bin/rules/index.js"]);
        expect(fs.existsSync(path.join(checkout, "policies", "bin", "index.js"))).to.equal(true);
    });

    it("ships the pack's data files beside the code and no TypeScript sources", () => {
        const data = fs.readdirSync(path.join(root, "policies", "model")).filter((f) => f.endsWith(".json"));
        expect(data).to.not.deep.equal([]);
        for (const f of data) expect(files).to.include(`bin/model/${f}`);
        expect(files.filter((f) => f.endsWith(".ts"))).to.deep.equal([]);
    });

    it("requires at run time only its own files and its declared dependencies", () => {
        const bare = new Set<string>();
        for (const f of files.filter((p) => p.endsWith(".js"))) {
            for (const m of fs.readFileSync(path.join(checkout, "policies", f), "utf8").matchAll(/require\("([^".][^"]*)"\)/g)) {
                const name = m[1].startsWith("@") ? m[1].split("/").slice(0, 2).join("/") : m[1].split("/")[0];
                if (!name.startsWith("node:") && !builtinModules.includes(name)) bare.add(name);
            }
        }
        expect(bare.size).to.be.greaterThan(0);
        for (const name of bare) expect(Object.keys(pkg.dependencies), name).to.include(name);
    });

    it("has the version the CLI publishes (package.json), a semantic version", () => {
        expect(packed.name).to.equal("nonstop-policies");
        expect(packed.version).to.equal(pkg.version).and.match(/^\d+\.\d+\.\d+$/);
    });
});
