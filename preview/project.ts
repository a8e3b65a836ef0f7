// Finds what `pulumi preview` would run: the project (Pulumi.yaml), its stacks (Pulumi.<stack>.yaml),
// each stack's config, and the program's entry point.
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

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
    /** Full keys (`aws:region`) to values. Encrypted values are kept as `[secret]`. */
    readonly config: Readonly<Record<string, unknown>>;
}

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
    const file = configFile ? path.resolve(configFile) : [".yaml", ".yml"].map((e) => path.join(project.dir, `Pulumi.${stack}${e}`)).find((f) => fs.existsSync(f));
    if (!file || !fs.existsSync(file)) {
        throw new UsageError(`stack ${stack}: no ${configFile ?? `Pulumi.${stack}.yaml`} in ${project.dir} (stacks here: ${listStacks(project).join(", ") || "none"})`);
    }
    const doc = readYaml(file) as { config?: Record<string, unknown> } | null;
    const config: Record<string, unknown> = { ...project.configDefaults };
    for (const [k, v] of Object.entries(doc?.config ?? {})) {
        const key = k.includes(":") ? k : `${project.name}:${k}`;
        config[key] = v !== null && typeof v === "object" && "secure" in (v as object) ? "[secret]" : v;
    }
    return { stack, file, config };
}

function readYaml(file: string): unknown {
    try {
        return parseYaml(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new UsageError(`${file}: not valid YAML: ${e instanceof Error ? e.message : String(e)}`);
    }
}

/** Lets `require` load TypeScript programs, transpile-only (types are the program's own business). */
export function registerTypeScript(): void {
    const exts = require.extensions as NodeJS.RequireExtensions;
    if (exts[".ts"]) return;
    // Loaded lazily: only programs written in TypeScript pay for the compiler.
    const ts = require("typescript") as typeof import("typescript");
    exts[".ts"] = (module, filename) => {
        const source = fs.readFileSync(filename, "utf8");
        const out = ts.transpileModule(source, {
            fileName: filename,
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true, sourceMap: false, inlineSourceMap: true },
        });
        (module as unknown as { _compile(code: string, file: string): void })._compile(out.outputText, filename);
    };
}
