// The SDKs' compiled code kept between runs (preview/compileCache.ts): a dependency compiled
// through the cache must behave exactly as Node's own loader makes it behave, and the cache must
// never hand V8 code for text that is not the module's.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cacheSetting, CompileCache, keptCode } from "../../preview/compileCache";

/** A project directory with one dependency under node_modules, written from `files`. */
function project(files: Record<string, string>): { dir: string; dep: string; cacheDir: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nonstop-cc-"));
    const dep = path.join(dir, "node_modules", "dep");
    fs.mkdirSync(dep, { recursive: true });
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dep, name), text);
    return { dir, dep, cacheDir: path.join(dir, "cache") };
}

/** Loads `file` afresh (out of require's cache) with a CompileCache reading `cacheDir` installed. */
function loadWith<T>(cacheDir: string, file: string): { exports: T; cache: CompileCache } {
    const cache = new CompileCache(cacheDir);
    const uninstall = cache.install();
    try {
        for (const k of Object.keys(require.cache)) if (k.startsWith(path.dirname(file))) delete require.cache[k];
        return { exports: require(file) as T, cache };
    } finally {
        uninstall();
    }
}

describe("compile cache (preview/compileCache.ts)", () => {
    const made: string[] = [];
    const make = (files: Record<string, string>) => {
        const p = project(files);
        made.push(p.dir);
        return p;
    };
    after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("compiles a dependency once and uses V8's code for it on the next run", () => {
        const { dep, cacheDir } = make({ "index.js": "exports.twice = (n) => n * 2;" });
        const first = loadWith<{ twice(n: number): number }>(cacheDir, path.join(dep, "index.js"));
        expect(first.exports.twice(21)).to.equal(42);
        expect(first.cache.stats).to.include({ hits: 0, compiled: 1 });
        expect(first.cache.save()).to.equal(true);
        expect(fs.existsSync(first.cache.file)).to.equal(true);

        const second = loadWith<{ twice(n: number): number }>(cacheDir, path.join(dep, "index.js"));
        expect(second.exports.twice(4)).to.equal(8);
        expect(second.cache.stats).to.include({ hits: 1, compiled: 0, rejected: 0 });
        expect(second.cache.save(), "nothing new to write").to.equal(false);
    });

    it("gives the module what Node's loader gives it: exports, require, module, __filename, __dirname, this", () => {
        const { dep, cacheDir } = make({
            "index.js": [
                "const other = require('./other');",
                "module.exports = {",
                "  other, file: __filename, dir: __dirname, thisIsExports: this === exports,",
                "  resolved: require.resolve('./other'), paths: require.resolve.paths('x'),",
                "  sharedCache: require.cache === require('module')._cache, main: require.main === process.mainModule,",
                "  exts: Object.keys(require.extensions), parentOfOther: require.cache[require.resolve('./other')].parent === module,",
                "};",
            ].join("\n"),
            "other.js": "module.exports = 'other';",
        });
        const file = path.join(dep, "index.js");
        const { exports, cache } = loadWith<Record<string, unknown>>(cacheDir, file);
        expect(cache.stats.compiled).to.equal(2);
        expect(exports).to.deep.include({ other: "other", file, dir: dep, thisIsExports: true, resolved: path.join(dep, "other.js"), sharedCache: true, main: true, parentOfOther: true });
        expect(exports.paths).to.include(path.join(dep, "node_modules"));
        expect(exports.exts).to.include.members([".js", ".json", ".node"]);
    });

    it("compiles again a module whose text changed, and runs the new text", () => {
        const { dep, cacheDir } = make({ "index.js": "module.exports = 'old';" });
        const file = path.join(dep, "index.js");
        loadWith(cacheDir, file).cache.save();
        fs.writeFileSync(file, "module.exports = 'new';");
        const again = loadWith<string>(cacheDir, file);
        expect(again.exports).to.equal("new");
        expect(again.cache.stats).to.include({ hits: 0, compiled: 1 });
    });

    it("leaves a module that uses import() to Node, so its dynamic imports still work", async () => {
        const { dep, cacheDir } = make({ "index.js": "exports.load = () => import('./esm.mjs');", "esm.mjs": "export const answer = 42;" });
        const { exports, cache } = loadWith<{ load(): Promise<{ answer: number }> }>(cacheDir, path.join(dep, "index.js"));
        expect(cache.stats).to.include({ compiled: 0, skipped: 1 });
        expect((await exports.load()).answer).to.equal(42);
    });

    it("caches nothing outside node_modules (a program, the preview's own code)", () => {
        const { dir, cacheDir } = make({});
        const file = path.join(dir, "program.js");
        fs.writeFileSync(file, "module.exports = 1;");
        const { exports, cache } = loadWith<number>(cacheDir, file);
        expect(exports).to.equal(1);
        expect(cache.stats).to.include({ compiled: 0, hits: 0 });
        expect(cache.save()).to.equal(false);
    });

    it("keeps every position of the file: the first line's columns and a hashbang's line", () => {
        const { dep, cacheDir } = make({
            "first.js": "module.exports = () => { throw new Error('here'); };",
            "bang.js": "#!/usr/bin/env node\nmodule.exports = () => { throw new Error('there'); };",
        });
        const where = (f: () => void) => {
            try {
                f();
            } catch (e) {
                return /:(\d+:\d+)\)?$/m.exec(String((e as Error).stack).split("\n")[1])?.[1];
            }
            return undefined;
        };
        expect(where(loadWith<() => void>(cacheDir, path.join(dep, "first.js")).exports)).to.equal("1:32");
        expect(where(loadWith<() => void>(cacheDir, path.join(dep, "bang.js")).exports)).to.equal("2:32");
    });

    it("ignores a damaged cache file whole and compiles afresh", () => {
        const { dep, cacheDir } = make({ "index.js": "module.exports = 'fine';" });
        const file = path.join(dep, "index.js");
        const first = loadWith(cacheDir, file).cache;
        first.save();
        const blob = fs.readFileSync(first.file);
        blob[blob.length - 1] ^= 0xff;
        fs.writeFileSync(first.file, blob);
        const again = loadWith<string>(cacheDir, file);
        expect(again.exports).to.equal("fine");
        expect(again.cache.stats).to.include({ hits: 0, compiled: 1 });
        fs.writeFileSync(first.file, "not a cache at all");
        expect(loadWith<string>(cacheDir, file).exports).to.equal("fine");
    });

    it("keeps where one dependency's require found another for the same install, and forgets it after another install", () => {
        const { dir, dep, cacheDir } = make({ "index.js": "module.exports = require('./lib') + require('other');", "lib.js": "module.exports = 'lib+';" });
        fs.mkdirSync(path.join(dir, "node_modules", "other"));
        fs.writeFileSync(path.join(dir, "node_modules", "other", "index.js"), "module.exports = 'other';");
        const root = path.join(dir, "node_modules") + path.sep;
        const file = path.join(dep, "index.js");
        const load = (install: string) => {
            const cache = new CompileCache(cacheDir, { root, install });
            const uninstall = cache.install();
            try {
                for (const k of Object.keys(require.cache)) if (k.startsWith(root)) delete require.cache[k];
                return { value: require(file) as string, cache };
            } finally {
                uninstall();
            }
        };
        const first = load("install-1");
        expect(first.value).to.equal("lib+other");
        expect(first.cache.stats).to.include({ resolved: 2, found: 0 });
        expect(first.cache.save()).to.equal(true);

        const second = load("install-1");
        expect(second.value).to.equal("lib+other");
        expect(second.cache.stats).to.include({ resolved: 0, found: 2 });

        // Another install may have moved files: nothing found under the old one is used.
        const third = load("install-2");
        expect(third.cache.stats).to.include({ resolved: 2, found: 0 });
    });

    it("leaves to Node the requires it does not keep: from outside the scope, with options, of a missing module", () => {
        const { dir, dep, cacheDir } = make({ "index.js": "try { require('./missing') } catch (e) { module.exports = e.code }" });
        const root = path.join(dir, "node_modules") + path.sep;
        const cache = new CompileCache(cacheDir, { root, install: "i" });
        const uninstall = cache.install();
        try {
            expect(require(path.join(dep, "index.js"))).to.equal("MODULE_NOT_FOUND");
            expect(require.resolve(path.join(dep, "index.js"), { paths: [dir] })).to.equal(path.join(dep, "index.js"));
            expect(require.resolve("chai")).to.match(/chai/);
        } finally {
            uninstall();
        }
        // The failed lookup is not kept (it is asked again next time); the others were not the cache's to answer.
        expect(cache.stats).to.include({ resolved: 0, found: 0 });
    });

    it("keeps generated code by its key: made once, made again when the file is damaged, eight files of a kind at most", () => {
        const { cacheDir } = make({});
        let made = 0;
        const generate = (text: string) => () => {
            made++;
            return text;
        };
        expect(keptCode("gen", "schemas A", generate("module.exports = 'A';"), cacheDir)).to.equal("module.exports = 'A';");
        expect(keptCode("gen", "schemas A", generate("not used"), cacheDir)).to.equal("module.exports = 'A';");
        expect(made).to.equal(1);
        const [file] = fs.readdirSync(cacheDir);
        fs.writeFileSync(path.join(cacheDir, file), fs.readFileSync(path.join(cacheDir, file), "utf8").replace("'A'", "'B'"));
        expect(keptCode("gen", "schemas A", generate("module.exports = 'A';"), cacheDir), "a damaged file").to.equal("module.exports = 'A';");
        expect(made).to.equal(2);
        for (let i = 0; i < 12; i++) keptCode("gen", `schemas ${i}`, generate(`// ${i}`), cacheDir);
        expect(fs.readdirSync(cacheDir).filter((f) => f.startsWith("gen-"))).to.have.length(8);
        expect(keptCode("gen", "no directory", generate("fresh"), undefined)).to.equal("fresh");
    });

    it("is kept beside the preview's packages, in NONSTOP_COMPILE_CACHE, or nowhere when that says 0", () => {
        const { dir } = make({});
        expect(cacheSetting(dir, {})).to.deep.equal({ dir: path.join(dir, "node_modules", ".cache", "nonstop") });
        expect(cacheSetting(dir, { NONSTOP_COMPILE_CACHE: "/var/cache/x" })).to.deep.equal({ dir: "/var/cache/x" });
        expect(cacheSetting(dir, { NONSTOP_COMPILE_CACHE: "0" })).to.deep.equal({ off: "NONSTOP_COMPILE_CACHE=0" });
        expect(cacheSetting(path.join(dir, "no-such-package"), { XDG_CACHE_HOME: "/home/u/.cache" })).to.deep.equal({ dir: "/home/u/.cache/nonstop" });
    });
});
