#!/usr/bin/env node
// Transpile-only build: every TypeScript source of the project becomes CommonJS under dist/,
// and the policy pack is also written into policies/bin/ so that `pulumi preview --policy-pack
// policies` starts compiled JavaScript instead of type-checking the pack with ts-node at every
// start. Types are checked by `npm run typecheck` (part of `npm test`), not here: this keeps
// `npm start` and the test run fast. Files are rewritten only when their source changed.
//
// `node scripts/build.js --pack` builds only the policy pack into policies/bin/: it is the pack's
// `build` and `prepack` script, so `npm pack` / `pulumi policy publish` in policies/ ship the
// compiled entry point even on a fresh clone where policies/bin/ (git-ignored) does not exist yet.
"use strict";
const fs = require("fs");
const path = require("path");
// Loaded only when a file needs transpiling: an up-to-date build costs a few file stats.
let tsModule;
const typescript = () => (tsModule ??= require("typescript"));

const root = path.resolve(__dirname, "..");
// Only when run as a command: bin/nonstop.js requires this file with its own arguments.
const packOnly = require.main === module && process.argv.includes("--pack");
const packBin = path.join(root, "policies", "bin");
const sourceDirs = packOnly ? ["policies"] : ["components", "policies", "stacks", "preview", "test", "bench", "delivery"];
const skip = new Set(["node_modules", "bin", "dist", "fixtures-js"]);
const compilerOptions = () => ({
    target: typescript().ScriptTarget.ES2022,
    module: typescript().ModuleKind.CommonJS,
    esModuleInterop: true,
    resolveJsonModule: true,
    sourceMap: true,
    inlineSources: false,
});

function* tsFiles(dir) {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (skip.has(entry.name)) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) yield* tsFiles(full);
        else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield full;
    }
}

function writeIfChanged(file, text) {
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) return false;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return true;
}

function outputsFor(rel) {
    const js = rel.replace(/\.ts$/, ".js");
    const outs = packOnly ? [] : [path.join(root, "dist", js)];
    // The policy pack must be self-contained inside policies/ for the Pulumi CLI and for publishing.
    if (rel.startsWith("policies" + path.sep)) outs.push(path.join(packBin, path.relative("policies", js)));
    return outs;
}

function upToDate(file, outs) {
    const srcTime = fs.statSync(file).mtimeMs;
    return outs.every((out) => fs.existsSync(out) && fs.statSync(out).mtimeMs >= srcTime);
}

let written = 0;
let failed = 0;
const expected = new Set();
for (const dir of sourceDirs) {
    for (const file of tsFiles(path.join(root, dir))) {
        const rel = path.relative(root, file);
        const outs = outputsFor(rel);
        for (const out of outs) expected.add(out).add(out + ".map");
        if (upToDate(file, outs)) continue;
        const source = fs.readFileSync(file, "utf8");
        const ts = typescript();
        const result = ts.transpileModule(source, { compilerOptions: compilerOptions(), fileName: file, reportDiagnostics: true });
        for (const d of result.diagnostics || []) {
            failed++;
            console.error(`${rel}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
        }
        for (const out of outs) {
            const map = JSON.parse(result.sourceMapText);
            map.sources = [path.relative(path.dirname(out), file)];
            const text = result.outputText.replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${path.basename(out)}.map`);
            if (writeIfChanged(out, text)) written++;
            else fs.utimesSync(out, new Date(), new Date()); // same output: mark it up to date
            writeIfChanged(out + ".map", JSON.stringify(map));
        }
    }
}
// JSON data files (published SLAs, fixtures) travel beside the compiled code.
for (const dir of sourceDirs) {
    const stack = [path.join(root, dir)];
    while (stack.length) {
        const d = stack.pop();
        if (!fs.existsSync(d)) continue;
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            if (skip.has(e.name)) continue;
            const full = path.join(d, e.name);
            if (e.isDirectory()) stack.push(full);
            else if (e.name.endsWith(".json") && !["package.json", "package-lock.json", "tsconfig.json"].includes(e.name)) {
                const rel = path.relative(root, full);
                for (const out of outputsFor(rel.replace(/\.json$/, ".ts"))) writeIfChanged(out.replace(/\.js$/, ".json"), fs.readFileSync(full, "utf8"));
            }
        }
    }
}
// Compiled files whose source is gone (a deleted test would otherwise still run).
for (const outRoot of packOnly ? [packBin] : [path.join(root, "dist"), packBin]) {
    const stack = [outRoot];
    while (stack.length) {
        const d = stack.pop();
        if (!fs.existsSync(d)) continue;
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const full = path.join(d, e.name);
            if (e.isDirectory()) stack.push(full);
            else if ((e.name.endsWith(".js") || e.name.endsWith(".js.map")) && !expected.has(full)) fs.rmSync(full);
        }
    }
}
if (failed) {
    console.error(`build: ${failed} syntax error(s)`);
    process.exit(2);
}
if (process.env.NONSTOP_BUILD_VERBOSE) console.error(`build: ${written} file(s) written`);
