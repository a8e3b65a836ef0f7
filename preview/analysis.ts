// One stack's offline preview: load its config, run its program under mocks in preview mode,
// judge the resources with each policy pack, and estimate its resilience. Everything the preview
// could not evaluate is gathered in one `incomplete` list, and free text that third-party code
// wrote (policy messages, errors) is scrubbed of the run's secret values before any output.
import * as path from "path";
import { Incomplete } from "./incomplete";
import { Diagnostic, LoadedPack, PackConfig } from "./policyHost";
import { ProgramRun, RecordedResource, runProgram } from "./program";
import { loadStackFile, Project, registerTypeScript, UNDECRYPTED_SECRET } from "./project";
import { SecretValues } from "./redact";
import { estimateResilience, ResilienceSummary } from "./resilience";

export interface StackPreview {
    readonly stack: string;
    /** The stack file the config came from (relative to the working directory when possible). */
    readonly stackFile: string;
    readonly run: ProgramRun;
    readonly resources: readonly RecordedResource[];
    readonly violations: readonly Diagnostic[];
    /** Policies the engine would skip on a resource because a value is unknown at preview. */
    readonly skipped: readonly Diagnostic[];
    readonly resilience: ResilienceSummary;
    /** The pack config files used, per pack. */
    readonly policyConfigs: readonly { readonly pack: string; readonly source: string }[];
    /** What the preview could not evaluate in this stack; not empty means the stack did not pass. */
    readonly incomplete: readonly Incomplete[];
    /** Facts about how the stack was run that a reader must know (no stack file, secrets not decrypted). */
    readonly notes: readonly string[];
}

export interface StackRequest {
    readonly project: Project;
    readonly stack: string;
    readonly configFile?: string;
    readonly dataSources: Readonly<Record<string, unknown>>;
    readonly packs: readonly { readonly pack: LoadedPack; readonly config: PackConfig; readonly source: string }[];
    /** Time limit of the program run and of each pack's evaluation, in seconds. */
    readonly timeLimitSeconds?: number;
}

export async function analyzeStack(req: StackRequest): Promise<StackPreview> {
    const stackFile = loadStackFile(req.project, req.stack, req.configFile);
    const shownFile = path.relative(process.cwd(), stackFile.file) || stackFile.file;
    const notes: string[] = [];
    if (!stackFile.exists) notes.push(`no ${shownFile}: ran with empty config (the project's defaults only), as pulumi preview does for a new stack`);
    if (stackFile.secretKeys.length) {
        notes.push(`secure: config values cannot be decrypted offline; ${stackFile.secretKeys.join(", ")} ran with the placeholder ${UNDECRYPTED_SECRET}`);
    }
    // The stack program names this file in its config errors (the CLI's --config-file equivalent).
    process.env.NONSTOP_STACK_FILE = shownFile;
    if (/\.[cm]?ts$/.test(req.project.entry)) registerTypeScript();
    let run: ProgramRun;
    try {
        run = await runProgram(req.project.entry, {
            project: req.project.name,
            stack: req.stack,
            config: stackFile.config,
            secretKeys: stackFile.secretKeys,
            preview: true,
            dataSources: req.dataSources,
            resolveFrom: req.project.dir,
            cwd: req.project.dir,
            timeLimitSeconds: req.timeLimitSeconds,
        });
    } finally {
        delete process.env.NONSTOP_STACK_FILE;
    }
    const secrets = new SecretValues();
    secrets.add(run.secretValues);
    const scrub = <T extends { readonly message: string }>(d: T): T => ({ ...d, message: secrets.scrub(d.message) });
    const violations: Diagnostic[] = [];
    const skipped: Diagnostic[] = [];
    const incomplete: Incomplete[] = [...run.incomplete];
    for (const { pack, config, source } of req.packs) {
        await pack.configure(config, source);
        const verdict = await pack.analyze(run.resources, { timeLimitSeconds: req.timeLimitSeconds });
        violations.push(...verdict.violations.map(scrub));
        skipped.push(...verdict.skipped.map(scrub));
        incomplete.push(...verdict.incomplete);
    }
    const resilience = estimateResilience(run.resources, stackFile.config, req.packs.map((p) => p.config));
    return {
        stack: req.stack,
        stackFile: shownFile,
        run,
        resources: run.resources,
        violations,
        skipped,
        resilience,
        policyConfigs: req.packs.map((p) => ({ pack: p.pack.name, source: p.source })),
        incomplete: incomplete.map((i) => ({ ...i, what: secrets.scrub(i.what), why: secrets.scrub(i.why) })),
        notes,
    };
}

/** A stack the preview did not run at all, with the reason. */
export function notPreviewed(stack: string, stackFile: string, why: string): StackPreview {
    const run: ProgramRun = {
        project: "",
        stack,
        preview: true,
        resources: [],
        outputs: {},
        unansweredInvokes: [],
        incomplete: [],
        secretValues: new Set(),
        abandoned: false,
    };
    return {
        stack,
        stackFile,
        run,
        resources: [],
        violations: [],
        skipped: [],
        resilience: { services: [], verdicts: [] },
        policyConfigs: [],
        incomplete: [{ kind: "stack", what: `stack ${stack}`, why }],
        notes: [],
    };
}
