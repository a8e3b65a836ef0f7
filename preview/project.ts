// Finds what `pulumi preview` would run: the project (Pulumi.yaml), its stacks (Pulumi.<stack>.yaml),
// each stack's config, and the program's entry point.
import * as fs from "fs";
import * as path from "path";
import { isMap, isScalar, LineCounter, parseDocument, visit } from "yaml";
import { UNDECRYPTED_SECRET } from "../stacks/config";

export { UNDECRYPTED_SECRET };

export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

export interface Project {
    readonly dir: string;
    readonly name: string;
    /** Program entry point (file) to require. */
    readonly entry: string;
    /** Project-level config defaults from Pulumi.yaml. */
    readonly configDefaults: Readonly<Record<string, unknown>>;
}

export interface StackFile {
    readonly stack: string;
    readonly file: string;
    /** False when the stack has no file: it runs with the project's defaults only, as the CLI runs a new stack. */
    readonly exists: boolean;
    /**
     * Full keys (`aws:region`) to values. A `secure:` value (ciphertext the CLI decrypts with the
     * stack's secrets provider) cannot be decrypted offline and becomes UNDECRYPTED_SECRET.
     */
    readonly config: Readonly<Record<string, unknown>>;
    /** Keys holding a `secure:` value anywhere inside: the program sees them as secrets (config.getSecret, isConfigSecret). */
    readonly secretKeys: readonly string[];
}

/** Stack and project files larger than this are refused: real ones are a few kilobytes. */
export const MAX_YAML_BYTES = 1024 * 1024;

/** The compiled copy of this project, for running nonstop's own program without type-checking it. */
const ownRoot = path.resolve(__dirname, "..", "..");

export function loadProject(dir: string): Project {
    const abs = path.resolve(dir);
    const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(abs, f)).find((f) => fs.existsSync(f));
    if (!file) throw new UsageError(`${abs}: no Pulumi.yaml; --program must name a Pulumi project directory`);
    const doc = readYaml(file) as { name?: unknown; runtime?: unknown; main?: unknown; config?: Record<string, unknown> } | null;
    if (!doc || typeof doc.name !== "string") throw new UsageError(`${file}: expected a project file with a name`);
    const runtime = typeof doc.runtime === "string" ? doc.runtime : (doc.runtime as { name?: string } | undefined)?.name;
    if (runtime !== "nodejs") throw new UsageError(`${file}: runtime is ${JSON.stringify(runtime)}; the offline preview runs nodejs (TypeScript/JavaScript) programs`);
    const configDefaults: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(doc.config ?? {})) {
        const key = k.includes(":") ? k : `${doc.name}:${k}`;
        if (v !== null && typeof v === "object" && !Array.isArray(v)) {
            const spec = v as { default?: unknown; value?: unknown };
            if ("value" in spec) configDefaults[key] = spec.value;
            else if ("default" in spec) configDefaults[key] = spec.default;
        } else configDefaults[key] = v;
    }
    return { dir: abs, name: doc.name, entry: programEntry(abs, typeof doc.main === "string" ? doc.main : undefined), configDefaults };
}

function programEntry(dir: string, main: string | undefined): string {
    const base = path.resolve(dir, main ?? ".");
    // nonstop's own program runs from its compiled copy (built by npm ci / npm start).
    if (dir === ownRoot) {
        const compiled = path.join(ownRoot, "dist", path.relative(ownRoot, base), fs.existsSync(base) && fs.statSync(base).isDirectory() ? "index.js" : "");
        const js = compiled.endsWith(".js") ? compiled : compiled.replace(/\.ts$/, ".js");
        if (fs.existsSync(js)) return js;
    }
    if (fs.existsSync(base) && fs.statSync(base).isFile()) return base;
    const pkgFile = path.join(base, "package.json");
    if (fs.existsSync(pkgFile)) {
        const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: string };
        if (pkg.main) {
            const m = path.resolve(base, pkg.main);
            for (const c of [m, `${m}.ts`, `${m}.js`, path.join(m, "index.ts"), path.join(m, "index.js")]) if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
        }
    }
    for (const c of ["index.ts", "index.js"]) if (fs.existsSync(path.join(base, c))) return path.join(base, c);
    throw new UsageError(`${dir}: cannot find the program's entry point (main ${JSON.stringify(main ?? ".")}: no index.ts or index.js)`);
}

/** Stacks of a project: every Pulumi.<stack>.yaml beside Pulumi.yaml. */
export function listStacks(project: Project): string[] {
    return fs
        .readdirSync(project.dir)
        // Pulumi.<stack>.deploy.yaml holds Pulumi Deployments settings, not a stack's config.
        .filter((f) => !/\.deploy\.ya?ml$/.test(f))
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

export function loadStackFile(project: Project, stack: string, configFile?: string): StackFile {
    const found = [".yaml", ".yml"].map((e) => path.join(project.dir, `Pulumi.${stack}${e}`)).find((f) => fs.existsSync(f));
    if (configFile !== undefined && !fs.existsSync(path.resolve(configFile))) throw new UsageError(`--config-file ${configFile}: no such file`);
    const file = configFile !== undefined ? path.resolve(configFile) : found;
    const config: Record<string, unknown> = { ...project.configDefaults };
    if (!file) {
        // The CLI previews a stack without a stack file with no config but the project's defaults.
        return { stack, file: path.join(project.dir, `Pulumi.${stack}.yaml`), exists: false, config, secretKeys: [] };
    }
    const doc = readYaml(file) as { config?: unknown } | null;
    const entries = doc?.config ?? {};
    if (entries === null || typeof entries !== "object" || Array.isArray(entries)) throw new UsageError(`${file}: "config" must be a mapping of keys to values`);
    const secretKeys: string[] = [];
    for (const [k, v] of Object.entries(entries)) {
        const key = k.includes(":") ? k : `${project.name}:${k}`;
        const { value, secret } = withoutCiphertext(v);
        config[key] = value;
        if (secret) secretKeys.push(key);
    }
    return { stack, file, exists: true, config, secretKeys };
}

/** A config value with every `{secure: ciphertext}` inside replaced by UNDECRYPTED_SECRET, and whether there was one. */
function withoutCiphertext(value: unknown): { value: unknown; secret: boolean } {
    if (value === null || typeof value !== "object") return { value, secret: false };
    if (!Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value) return { value: UNDECRYPTED_SECRET, secret: true };
    let secret = false;
    const convert = (v: unknown) => {
        const r = withoutCiphertext(v);
        secret ||= r.secret;
        return r.value;
    };
    const out = Array.isArray(value) ? value.map(convert) : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
    return { value: out, secret };
}

/**
 * Parses a YAML file in time linear in its size: the yaml package's own duplicate-key check
 * compares every key with every earlier key of its mapping (minutes on a large file), so it is
 * off and duplicates are found here with one set per mapping.
 */
export function readYaml(file: string): unknown {
    let text: string;
    try {
        const size = fs.statSync(file).size;
        if (size > MAX_YAML_BYTES) throw new UsageError(`${file}: ${(size / 1024 / 1024).toFixed(1)} MiB is larger than the ${MAX_YAML_BYTES / 1024 / 1024} MiB a Pulumi project or stack file may have here`);
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const lines = new LineCounter();
    const doc = parseDocument(text, { uniqueKeys: false, lineCounter: lines, prettyErrors: false });
    if (doc.errors.length) throw new UsageError(`${file}: not valid YAML: ${doc.errors[0].message}`);
    const duplicates: string[] = [];
    visit(doc, {
        Map(_key, map) {
            if (!isMap(map)) return;
            const seen = new Set<unknown>();
            for (const pair of map.items) {
                if (!isScalar(pair.key)) continue;
                const k = pair.key.value;
                if (seen.has(k)) {
                    const at = pair.key.range ? lines.linePos(pair.key.range[0]) : undefined;
                    duplicates.push(`${at ? `line ${at.line}: ` : ""}duplicate key ${JSON.stringify(k)}`);
                }
                seen.add(k);
            }
        },
    });
    if (duplicates.length) throw new UsageError(`${file}: not valid YAML: ${duplicates.slice(0, 5).join("; ")}${duplicates.length > 5 ? ` (and ${duplicates.length - 5} more)` : ""}`);
    try {
        return doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
        throw new UsageError(`${file}: not valid YAML: ${e instanceof Error ? e.message : String(e)}`);
    }
}

/** Lets `require` load TypeScript programs and packs, transpile-only (types are the program's own business). */
export function registerTypeScript(): void {
    const exts = require.extensions as NodeJS.RequireExtensions;
    if (exts[".ts"]) return;
    // Loaded lazily: only programs written in TypeScript pay for the compiler.
    const ts = require("typescript") as typeof import("typescript");
    exts[".ts"] = (module, filename) => {
        const source = fs.readFileSync(filename, "utf8");
        const out = ts.transpileModule(source, {
            fileName: filename,
            reportDiagnostics: true,
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true, sourceMap: false, inlineSourceMap: true },
        });
        const d = out.diagnostics?.find((x) => x.category === ts.DiagnosticCategory.Error);
        if (d) {
            const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
            const location = `${filename}${at ? `:${at.line + 1}:${at.character + 1}` : ""}`;
            throw Object.assign(new SyntaxError(ts.flattenDiagnosticMessageText(d.messageText, "\n")), { location });
        }
        (module as unknown as { _compile(code: string, file: string): void })._compile(out.outputText, filename);
    };
}
