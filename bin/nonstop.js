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

const root = path.resolve(__dirname, "..");
const cli = path.join(root, "dist", "preview", "cli.js");
if (!fs.existsSync(cli)) require(path.join(root, "scripts", "build.js"));
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
