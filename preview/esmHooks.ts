// Module loader hooks for ES-module programs (registered by esm.ts with module.register, run on the
// loader's own thread). They do what the Pulumi Node runtime's ts-node ESM mode does, transpile-only:
//   - TypeScript files (.ts, .mts) load as ES modules, compiled without type-checking;
//   - `import "./x.js"` in TypeScript sources finds ./x.ts, as TypeScript's NodeNext resolution does;
//   - a program file imported with `?nonstop-run=N` passes that tag to the program's own files it
//     imports (not to packages), so each stack's run evaluates them afresh: ES modules are cached by URL.
import * as fs from "fs";
import * as url from "url";

type Resolved = { url: string; format?: string | null; shortCircuit?: boolean };
type Next<C, R> = (specifier: string, context: C) => Promise<R>;
interface ResolveContext {
    readonly parentURL?: string;
    readonly conditions?: readonly string[];
}
interface LoadContext {
    readonly format?: string | null;
}
type Loaded = { format: string; source?: string | Buffer; shortCircuit?: boolean };

const RUN_TAG = "nonstop-run";

export async function resolve(specifier: string, context: ResolveContext, next: Next<ResolveContext, Resolved>): Promise<Resolved> {
    let resolved: Resolved;
    try {
        resolved = await next(specifier, context);
    } catch (e) {
        const relative = /^\.\.?\//.test(specifier) && /\.[mc]?js$/.test(specifier);
        if (!relative || (e as { code?: string }).code !== "ERR_MODULE_NOT_FOUND" || !isTypeScript(context.parentURL ?? "")) throw e;
        resolved = await next(specifier.replace(/\.([mc]?)js$/, ".$1ts"), context);
    }
    const tag = context.parentURL?.startsWith("file:") ? new URL(context.parentURL).searchParams.get(RUN_TAG) : null;
    if (tag && resolved.url.startsWith("file:") && !resolved.url.includes("/node_modules/")) {
        const u = new URL(resolved.url);
        u.searchParams.set(RUN_TAG, tag);
        return { ...resolved, url: u.href };
    }
    return resolved;
}

export async function load(moduleUrl: string, context: LoadContext, next: Next<LoadContext, Loaded>): Promise<Loaded> {
    if (!isTypeScript(moduleUrl)) return next(moduleUrl, context);
    const file = url.fileURLToPath(moduleUrl);
    // Loaded on first use: JavaScript-only programs never pay for the compiler.
    const ts = require("typescript") as typeof import("typescript");
    const out = ts.transpileModule(fs.readFileSync(file, "utf8"), {
        fileName: file,
        reportDiagnostics: true,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true },
    });
    const d = out.diagnostics?.find((x) => x.category === ts.DiagnosticCategory.Error);
    if (d) {
        const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        throw new SyntaxError(`${file}${at ? `:${at.line + 1}:${at.character + 1}` : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    }
    return { format: "module", source: out.outputText, shortCircuit: true };
}

function isTypeScript(moduleUrl: string): boolean {
    return /\.m?ts$/.test(moduleUrl.replace(/[?#].*$/, "")) && moduleUrl.startsWith("file:");
}
