// One stack's offline preview: load its config, run its program under mocks in preview mode,
// judge the resources with each policy pack, and estimate its resilience.
import * as path from "path";
import { Diagnostic, LoadedPack, PackConfig } from "./policyHost";
import { ProgramRun, RecordedResource, runProgram } from "./program";
import { loadStackFile, Project, registerTypeScript } from "./project";
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
}

export interface StackRequest {
    readonly project: Project;
    readonly stack: string;
    readonly configFile?: string;
    readonly dataSources: Readonly<Record<string, unknown>>;
    readonly packs: readonly { readonly pack: LoadedPack; readonly config: PackConfig; readonly source: string }[];
}

export async function analyzeStack(req: StackRequest): Promise<StackPreview> {
    const stackFile = loadStackFile(req.project, req.stack, req.configFile);
    const shownFile = path.relative(process.cwd(), stackFile.file) || stackFile.file;
    // The stack program names this file in its config errors (the CLI's --config-file equivalent).
    process.env.NONSTOP_STACK_FILE = shownFile;
    if (req.project.entry.endsWith(".ts")) registerTypeScript();
    let run: ProgramRun;
    try {
        run = await runProgram(req.project.entry, {
            project: req.project.name,
            stack: req.stack,
            config: stackFile.config,
            preview: true,
            dataSources: req.dataSources,
            resolveFrom: req.project.dir,
        });
    } finally {
        delete process.env.NONSTOP_STACK_FILE;
    }
    const violations: Diagnostic[] = [];
    const skipped: Diagnostic[] = [];
    for (const { pack, config, source } of req.packs) {
        await pack.configure(config, source);
        const verdict = await pack.analyze(run.resources);
        violations.push(...verdict.violations);
        skipped.push(...verdict.skipped);
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
    };
}
