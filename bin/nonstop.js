#!/usr/bin/env node
// The `nonstop` command. Runs the compiled preview; builds it first on a fresh checkout.
"use strict";
const fs = require("fs");
const path = require("path");

// A reader that goes away (`nonstop preview --json | head`) is not an error of the preview: stop
// writing quietly instead of dying on EPIPE with a stack trace and the exit code of a violation.
for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e) => {
        if (e && e.code === "EPIPE") return;
        throw e;
    });
}

// Whatever happens, the process never ends with 0 before the preview has printed its verdict.
let finished = false;
process.on("exit", (code) => {
    if (finished || code !== 0) return;
    process.stderr.write("nonstop: the preview stopped before it finished (please report this); exit 2\n");
    process.exitCode = 2;
});

// A preview allocates a great deal that dies young (every registration, every policy's copy of the
// resources) while what it keeps is small; V8's default lets the heap grow up to four times what
// survived the last full collection, which made peak memory several times the live data at a few
// hundred services. Doubling at most keeps the peak about 30 % lower at no measured cost in time
// (BENCHMARKS.md). V8 reads this flag at every collection, so setting it here takes effect.
require("v8").setFlagsFromString("--heap-growing-percent=100");

const root = path.resolve(__dirname, "..");
const cli = path.join(root, "dist", "preview", "cli.js");
if (!fs.existsSync(cli)) require(path.join(root, "scripts", "build.js"));
// The SDKs' compiled code is kept between runs (about half of a preview's start; see compileCache.ts).
require(path.join(root, "dist", "preview", "compileCache.js")).enableCompileCache(root);
require(cli)
    .main(process.argv.slice(2))
    .then((code) => {
        finished = true;
        process.exit(code);
    })
    .catch((e) => {
        finished = true;
        console.error(`nonstop: ${e && e.stack ? e.stack : e}`);
        process.exit(2);
    });
