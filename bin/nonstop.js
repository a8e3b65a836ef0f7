#!/usr/bin/env node
// The `nonstop` command. Runs the compiled preview; builds it first on a fresh checkout.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const cli = path.join(root, "dist", "preview", "cli.js");
if (!fs.existsSync(cli)) require(path.join(root, "scripts", "build.js"));
require(cli)
    .main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((e) => {
        console.error(`nonstop: ${e && e.stack ? e.stack : e}`);
        process.exit(2);
    });
