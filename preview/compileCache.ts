// Compiled code of the SDKs, kept on disk between previews.
//
// A preview loads some 1,200 CommonJS modules (11 MB) of the Pulumi SDKs and their dependencies.
// V8 parses and compiles each one, then compiles each function again the first time it runs:
// about half a second of every prod preview here, paid again on every run for code that never
// changes.
// Node 22 keeps that work on disk (`module.enableCompileCache`); Node 20, which this project runs
// on, does not, so on Node 20 this module does the same for modules under node_modules. Each module
// is compiled with the code V8 produced for it the last time (functions that ran included), and the
// code of new or changed modules is saved when the process exits.
//
// Only code that cannot change behaviour by being compiled this way is cached:
// - modules under a node_modules directory (dependencies; not the preview's own code, whose stack
//   traces keep their source maps, nor a program's);
// - not a module whose text contains `import(`: a script compiled through `vm` has no dynamic-import
//   hook on Node 20, so those are left to Node's own loader;
// - a cached entry is used only if the module's text hashes the same, and V8 itself rejects code made
//   by another V8 version or with other flags (the module is then compiled afresh and saved again).
// A stack trace in a cached module shows its JavaScript position (not a source-mapped one).
//
// Finding the files cost another 0.2 s: each of some 3,000 `require` calls of one dependency on
// another probes the file system (a stat per candidate file, package.json reads) to learn an
// answer that only an install changes. So the answers found inside the node_modules that
// holds the SDKs are kept too, valid while npm's record of that install
// (node_modules/.package-lock.json, rewritten by every npm install and npm ci) is the one they
// were found under; another install, or no such record (yarn, pnpm), and they are not used.
//
// NONSTOP_COMPILE_CACHE=0 turns both off; NONSTOP_COMPILE_CACHE=DIR keeps them in DIR.
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vm from "vm";
import * as zlib from "zlib";
import Module = require("module");

/** The CommonJS loader's internals this module works with (stable since Node 12, replaced in 22 by the real cache). */
interface LoaderModule extends NodeJS.Module {
    _compile(content: string, filename: string): unknown;
}
interface LoaderStatics {
    wrap(script: string): string;
    wrapper: readonly string[];
    _resolveFilename(request: string, parent: NodeJS.Module, isMain: boolean, options?: { paths?: string[] }): string;
    _resolveLookupPaths(request: string, parent: NodeJS.Module): string[] | null;
    _extensions: NodeJS.RequireExtensions;
    _cache: NodeJS.Dict<NodeJS.Module>;
    enableCompileCache?: (dir?: string) => { status: number; message?: string; directory?: string };
}
const loader = Module as unknown as LoaderStatics;
const prototype = Module.prototype as unknown as LoaderModule;

const FORMAT = 2;
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/** Where the cache lives, or why there is none. */
export type CacheSetting = { readonly dir: string } | { readonly off: string };

/**
 * The cache directory: NONSTOP_COMPILE_CACHE when set (0/off/false turns it off), else
 * node_modules/.cache/nonstop beside the preview's own package (where npm tools keep caches; gone
 * with `npm ci`), else, when that cannot be written (a global install), ~/.cache/nonstop. Never a
 * shared temporary directory: compiled code read from where others can write would run as theirs.
 */
export function cacheSetting(packageRoot: string, env: NodeJS.ProcessEnv = process.env): CacheSetting {
    const value = env.NONSTOP_COMPILE_CACHE?.trim();
    if (value && /^(0|off|false|no)$/i.test(value)) return { off: `NONSTOP_COMPILE_CACHE=${value}` };
    if (value) return { dir: path.resolve(value) };
    const nodeModules = path.join(packageRoot, "node_modules");
    try {
        fs.accessSync(nodeModules, fs.constants.W_OK);
        return { dir: path.join(nodeModules, ".cache", "nonstop") };
    } catch {
        return { dir: path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "nonstop") };
    }
}

interface Entry {
    readonly hash: string;
    readonly data: Buffer;
}

/** The node_modules whose resolutions are kept, and the state of its install they are valid for. */
export interface ResolutionScope {
    /** A node_modules directory (with a trailing separator). */
    readonly root: string;
    /** Identifies one install of it: npm's hidden lockfile's size and modification time. */
    readonly install: string;
}

/**
 * The node_modules holding @pulumi/pulumi as `from` resolves it, if npm installed it (its hidden
 * lockfile exists). Undefined otherwise: resolutions are then not kept.
 */
export function resolutionScope(from: string): ResolutionScope | undefined {
    try {
        const sdk = require.resolve("@pulumi/pulumi/package.json", { paths: [from] });
        const root = sdk.slice(0, sdk.lastIndexOf(NODE_MODULES) + NODE_MODULES.length);
        const lock = fs.statSync(path.join(root, ".package-lock.json"));
        return { root, install: `${lock.size}:${lock.mtimeMs}` };
    } catch {
        return undefined;
    }
}

/** One process's view of the cache file: what was read, and what was compiled and resolved since. */
export class CompileCache {
    readonly file: string;
    private readonly entries = new Map<string, Entry>();
    /** Modules compiled without usable cached code, kept to save their code at exit. */
    private readonly fresh = new Map<string, { readonly hash: string; readonly script: vm.Script }>();
    /** `require` answers inside the scope: directory of the requiring file, NUL, request -> file (paths relative to the scope's root). */
    private readonly resolutions = new Map<string, string>();
    private resolutionsChanged = false;
    /** Counts for tests and for anyone measuring. */
    readonly stats = { hits: 0, rejected: 0, compiled: 0, skipped: 0, resolved: 0, found: 0 };

    /** `scope`: where `require` answers are kept (see resolutionScope); none: only compiled code is. */
    constructor(
        dir: string,
        private readonly scope?: ResolutionScope,
    ) {
        // V8 refuses code from another version anyway; one file per version keeps two Node versions
        // on one machine from overwriting each other's cache on every run.
        this.file = path.join(dir, `v8-${process.versions.v8}-${process.arch}.cache`);
        this.read();
    }

    /** Makes `require` compile (and, within the scope, find) modules through this cache; returns the undo. */
    install(): () => void {
        const original = prototype._compile;
        const originalResolve = loader._resolveFilename;
        const cache = this;
        prototype._compile = function (this: LoaderModule, content: string, filename: string) {
            return cache.eligible(filename, content) ? cache.compile(this, content, filename) : original.call(this, content, filename);
        };
        const scope = this.scope;
        if (scope) {
            loader._resolveFilename = function (this: unknown, request: string, parent: NodeJS.Module, isMain: boolean, options?: { paths?: string[] }) {
                // Only the plain `require(x)` of one dependency by another; anything else as Node does it.
                const from = !isMain && options === undefined && parent?.filename?.startsWith(scope.root) ? parent.filename : undefined;
                if (from === undefined) return originalResolve.call(this, request, parent, isMain, options);
                const key = `${path.dirname(from).slice(scope.root.length)}\0${request}`;
                const known = cache.resolutions.get(key);
                if (known !== undefined) {
                    cache.stats.found++;
                    return scope.root + known;
                }
                const file = originalResolve.call(this, request, parent, isMain, options);
                cache.stats.resolved++;
                if (file.startsWith(scope.root)) {
                    cache.resolutions.set(key, file.slice(scope.root.length));
                    cache.resolutionsChanged = true;
                }
                return file;
            };
        }
        return () => {
            prototype._compile = original;
            loader._resolveFilename = originalResolve;
        };
    }

    eligible(filename: string, content: string): boolean {
        const ok = filename.includes(NODE_MODULES) && /\.c?js$/.test(filename) && !content.includes("import(");
        if (!ok && filename.includes(NODE_MODULES)) this.stats.skipped++;
        return ok;
    }

    /** What Module.prototype._compile does for CommonJS, with V8's code from the cache when it matches. */
    compile(module: LoaderModule, content: string, filename: string): unknown {
        // V8 accepts a hashbang only at the very start of a script; the wrapper moves it. A comment of
        // the same length keeps every position in the file where it was.
        const source = content.startsWith("#!") ? `//${content.slice(2)}` : content;
        const hash = checksum(source);
        const entry = this.entries.get(filename);
        const cachedData = entry?.hash === hash ? entry.data : undefined;
        const script = new vm.Script(loader.wrap(source), {
            filename,
            // The wrapper shares the first line; this keeps first-line columns those of the file.
            columnOffset: -loader.wrapper[0].length,
            cachedData,
        });
        if (cachedData && !script.cachedDataRejected) this.stats.hits++;
        else {
            if (cachedData) this.stats.rejected++;
            this.stats.compiled++;
            this.fresh.set(filename, { hash, script });
        }
        const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
        return wrapper.call(module.exports, module.exports, requireFor(module), module, filename, path.dirname(filename));
    }

    /**
     * Writes the cache if this process compiled anything new: the code V8 has now for those
     * modules (including the functions that ran), beside what was read and still exists.
     * Atomic (a rename), so a reader never sees half a file and two writers leave one whole one.
     */
    save(): boolean {
        if (this.fresh.size === 0 && !this.resolutionsChanged) return false;
        for (const [file, { hash, script }] of this.fresh) this.entries.set(file, { hash, data: script.createCachedData() });
        this.fresh.clear();
        this.resolutionsChanged = false;
        const index: [string, string, number][] = [];
        const chunks: Buffer[] = [];
        for (const [file, { hash, data }] of this.entries) {
            if (!fs.existsSync(file)) continue;
            index.push([file, hash, data.length]);
            chunks.push(data);
        }
        const body = Buffer.concat(chunks);
        const resolutions = this.scope && { root: this.scope.root, install: this.scope.install, entries: [...this.resolutions] };
        const head = JSON.stringify({ format: FORMAT, sum: checksum(body), entries: index, resolutions });
        try {
            fs.mkdirSync(path.dirname(this.file), { recursive: true });
            const tmp = `${this.file}.${process.pid}.tmp`;
            try {
                fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${head}\n`), body]));
                fs.renameSync(tmp, this.file);
            } finally {
                fs.rmSync(tmp, { force: true });
            }
            return true;
        } catch {
            // A read-only install still previews; it only compiles again next time.
            return false;
        }
    }

    private read(): void {
        let blob: Buffer;
        try {
            blob = fs.readFileSync(this.file);
        } catch {
            return;
        }
        try {
            const newline = blob.indexOf(10);
            const head = JSON.parse(blob.subarray(0, newline).toString("utf8")) as {
                format: number;
                sum: string;
                entries: [string, string, number][];
                resolutions?: { root: string; install: string; entries: [string, string][] };
            };
            const body = blob.subarray(newline + 1);
            // A damaged file is ignored whole rather than handing V8 bytes nobody wrote.
            if (head.format !== FORMAT || head.sum !== checksum(body)) return;
            let offset = 0;
            for (const [file, hash, length] of head.entries) {
                this.entries.set(file, { hash, data: body.subarray(offset, offset + length) });
                offset += length;
            }
            const r = head.resolutions;
            // Answers found under another install (or elsewhere) may name files that moved.
            if (this.scope && r && r.root === this.scope.root && r.install === this.scope.install) for (const [k, v] of r.entries) this.resolutions.set(k, v);
        } catch {
            this.entries.clear();
            this.resolutions.clear();
        }
    }
}

/**
 * A fingerprint of a module's text, of the cache body or of generated code: its length and CRC-32
 * (what Node 22's own compile cache checks; five times cheaper than SHA-1 over the 11 MB a preview
 * loads), SHA-1 where zlib has no crc32 (Node before 20.15).
 */
const crc32 = (zlib as { crc32?: (data: string | Buffer) => number }).crc32;
function checksum(data: string | Buffer): string {
    return crc32 ? `${data.length}:${crc32(data)}` : crypto.createHash("sha1").update(data).digest("base64");
}

const mainModule = require.main;

/** The `require` a CommonJS module receives (as Node's makeRequireFunction builds it). */
function requireFor(module: LoaderModule): NodeJS.Require {
    const require = ((id: string) => module.require(id)) as NodeJS.Require;
    const resolve = ((request: string, options?: { paths?: string[] }) => loader._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
    resolve.paths = (request: string) => loader._resolveLookupPaths(request, module);
    require.resolve = resolve;
    require.main = mainModule;
    require.extensions = loader._extensions;
    require.cache = loader._cache;
    return require;
}

/** The cache directory of this process, once enableCompileCache has run (see keptCode). */
let keptDir: string | undefined;

/**
 * Turns the cache on for this process: Node's own where it has one (22 and later), else
 * CompileCache, saved when the process exits. Returns what it did, in one line.
 */
export function enableCompileCache(packageRoot: string, env: NodeJS.ProcessEnv = process.env): string {
    const setting = cacheSetting(packageRoot, env);
    if ("off" in setting) return `compile cache off (${setting.off})`;
    keptDir = setting.dir;
    if (typeof loader.enableCompileCache === "function") {
        const result = loader.enableCompileCache(setting.dir);
        return `compile cache: Node's, in ${result.directory ?? setting.dir}${result.message ? ` (${result.message})` : ""}`;
    }
    const cache = new CompileCache(setting.dir, resolutionScope(packageRoot));
    cache.install();
    process.once("exit", () => cache.save());
    return `compile cache: ${cache.file}`;
}


/**
 * Code this process generates from `key` by `make` (validators Ajv writes for config schemas),
 * kept in the cache directory by the key's hash so that later runs load it instead of generating
 * it again. Without a cache directory (caching off, or not the nonstop command) it is made afresh.
 * At most eight files of a kind are kept, the most recently used.
 */
export function keptCode(kind: string, key: string, make: () => string, dir: string | undefined = keptDir): string {
    if (dir === undefined) return make();
    const file = path.join(dir, `${kind}-${crypto.createHash("sha1").update(key).digest("hex")}.js`);
    try {
        const text = fs.readFileSync(file, "utf8");
        // The first line fingerprints the key and the code: a hash collision or a damaged file is made again.
        const newline = text.indexOf("\n");
        const code = text.slice(newline + 1);
        if (text.slice(0, newline) === `// ${checksum(key)} ${checksum(code)}`) return code;
    } catch {
        // not kept yet
    }
    const code = make();
    try {
        fs.mkdirSync(dir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, `// ${checksum(key)} ${checksum(code)}\n${code}`);
        fs.renameSync(tmp, file);
        const others = fs
            .readdirSync(dir)
            .filter((f) => f.startsWith(`${kind}-`) && f.endsWith(".js"))
            .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
            .sort((a, b) => b.t - a.t);
        for (const { f } of others.slice(8)) fs.rmSync(path.join(dir, f), { force: true });
    } catch {
        // A read-only install still previews; it only generates again next time.
    }
    return code;
}
