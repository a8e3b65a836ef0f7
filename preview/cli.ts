// `nonstop preview`: the offline preview. Runs a Pulumi program under mocks in preview mode,
// judges what it would create with policy packs exactly as `pulumi preview --policy-pack` would,
// and reports the plan, the verdict and the resilience estimate. No CLI, no cloud, no network.
//
// Its exit code is a gate other teams put in CI, so it is 0 only for a stack that was evaluated
// completely and has no mandatory violation: what the preview could not evaluate is listed and
// exits EXIT_INCOMPLETE (unless --allow-incomplete). What the program and packs print goes to
// stderr, so stdout holds only the preview (and `--json` is always one valid JSON document).
import * as fs from "fs";
import * as path from "path";
import { ConfigError, EXIT_BAD_INPUT, formatIssues } from "../stacks/config";
import { analyzeStack, notPreviewed, StackPreview } from "./analysis";
import { DEFAULT_TIME_LIMIT_SECONDS } from "./deadline";
import { stripControl } from "./escape";
import { deferUnusedSdkModules } from "./lazySdk";
import { renderHuman, renderJsonChunks, renderMarkdown } from "./output";
import { LoadedPack, PackConfig, PolicyPackError, readPackConfig } from "./policyHost";
import { describeError, isReportedFailure, ProgramError } from "./program";
import { listStacks, loadProject, loadStackFile, Project, UsageError } from "./project";
import { SecretValues } from "./redact";
import { whatIfText } from "./whatIf";

export const EXIT_OK = 0;
export const EXIT_MANDATORY_VIOLATION = 1;
/** Something was not evaluated (see the `incomplete` list): the verdict is not a pass. */
export const EXIT_INCOMPLETE = 3;

const ownRoot = path.resolve(__dirname, "..", "..");

const usage = `usage: nonstop preview [options]

Runs a Pulumi program under mocks in preview mode (outputs of new resources are unknown, as in
\`pulumi preview\`), evaluates policy packs in-process, and prints the plan, the policy verdict and
a resilience report. Needs no Pulumi CLI, no cloud account and no network.

options:
  --stack NAME               preview this stack (repeatable; default: every Pulumi.<stack>.yaml);
                             a stack without a stack file runs with empty config, as the CLI does
  --all                      preview every stack of the project (the default)
  --config-file FILE         use FILE instead of Pulumi.<stack>.yaml (one stack only)
  --program DIR              the Pulumi project to run (default: nonstop's own project)
  --policy-pack DIR          policy pack to evaluate (repeatable; default: nonstop's policies/)
  --policy-pack-config FILE  config for the policy pack at the same position (repeatable;
                             default: <pack>/config/<stack>.json when present)
  --data-sources FILE        JSON object answering data-source calls by token, and .get() reads
                             by resource type
  --json                     print one JSON document instead of text
  --report FILE.md           write a markdown report (pull-request comment) to FILE.md
  --time-limit SECONDS       stop waiting for a program run or a pack's evaluation after
                             SECONDS (default ${DEFAULT_TIME_LIMIT_SECONDS}) and report what did not finish
  --allow-incomplete         exit 0 or 1 even when something was not evaluated (still listed
                             and stated in the verdict)
  --what-if DOMAIN           print what losing one failure domain does to every service, with
                             its timeline (e.g. region:aws/us-east-1, zone:aws/us-east-1b,
                             cloud:gcp, dns:route53, writer:<db>, registry:ghcr.io, release:<svc>)
  -h, --help                 show this help

exit codes: 0 everything evaluated and no mandatory violation; 1 a mandatory violation;
2 bad usage, bad config, or a program or pack that throws; 3 something was not evaluated
(failed or missing registrations, remote components, unanswered data sources, policies that
threw, a run that did not finish); a mandatory violation (1) wins over 3.`;

export interface PreviewArgs {
    readonly stacks: string[];
    readonly configFile?: string;
    readonly program: string;
    readonly policyPacks: string[];
    readonly policyPackConfigs: string[];
    readonly dataSources?: string;
    readonly json: boolean;
    readonly report?: string;
    /** @default DEFAULT_TIME_LIMIT_SECONDS */
    readonly timeLimitSeconds?: number;
    /** @default false */
    readonly allowIncomplete?: boolean;
    readonly whatIf?: string;
}

export function parseArgs(argv: readonly string[]): PreviewArgs | "help" {
    const args = [...argv];
    if (args[0] === "preview") args.shift();
    else if (args[0] === undefined || args[0] === "-h" || args[0] === "--help" || args[0] === "help") return "help";
    else if (!args[0].startsWith("-")) throw new UsageError(`unknown command "${args[0]}"; the command is: nonstop preview`);
    const out = { stacks: [] as string[], policyPacks: [] as string[], policyPackConfigs: [] as string[], json: false, program: ownRoot } as {
        -readonly [K in keyof PreviewArgs]: PreviewArgs[K];
    };
    const value = (flag: string): string => {
        const v = args.shift();
        if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
        return v;
    };
    while (args.length) {
        const a = args.shift() as string;
        const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
        if (inline !== undefined) args.unshift(inline);
        switch (flag) {
            case "--stack":
            case "-s":
                out.stacks.push(value(flag));
                break;
            case "--all":
                break;
            case "--config-file":
                out.configFile = value(flag);
                break;
            case "--program":
                out.program = path.resolve(value(flag));
                break;
            case "--policy-pack":
                out.policyPacks.push(path.resolve(value(flag)));
                break;
            case "--policy-pack-config":
                out.policyPackConfigs.push(path.resolve(value(flag)));
                break;
            case "--data-sources":
                out.dataSources = path.resolve(value(flag));
                break;
            case "--json":
                out.json = true;
                break;
            case "--report":
                out.report = path.resolve(value(flag));
                break;
            case "--time-limit": {
                const v = value(flag);
                const seconds = Number(v);
                if (!/^\d+(\.\d+)?$/.test(v) || !(seconds > 0)) throw new UsageError(`--time-limit ${JSON.stringify(v)}: expected a number of seconds above 0`);
                out.timeLimitSeconds = seconds;
                break;
            }
            case "--allow-incomplete":
                out.allowIncomplete = true;
                break;
            case "--what-if":
                out.whatIf = value(flag);
                break;
            case "-h":
            case "--help":
                return "help";
            default:
                throw new UsageError(`unknown option ${a}\n\n${usage}`);
        }
    }
    if (out.policyPacks.length === 0) out.policyPacks.push(path.join(ownRoot, "policies"));
    if (out.policyPackConfigs.length > out.policyPacks.length) {
        throw new UsageError(`${out.policyPackConfigs.length} --policy-pack-config files for ${out.policyPacks.length} policy pack(s); give at most one config per pack, in the same order`);
    }
    return out;
}

export interface PreviewResult {
    readonly stacks: readonly StackPreview[];
    readonly exitCode: number;
}

/**
 * The pack config a stack is judged with when none is given: `<pack>/config/<stack>.json`, else the
 * config of the stack's environment - `<project>:environment` in its stack file, or `prod` when the
 * stack name contains "prod" (as stacks/config.ts decides) - so a stack named `prod-eu` is judged as
 * prod, never silently with every rule at its advisory default.
 */
function defaultPackConfig(dir: string, project: Project, stack: string, configFile: string | undefined): string | undefined {
    const file = (name: string) => path.join(path.resolve(dir), "config", `${name}.json`);
    if (fs.existsSync(file(stack))) return file(stack);
    let environment: unknown;
    try {
        environment = loadStackFile(project, stack, configFile).config[`${project.name}:environment`];
    } catch {
        environment = undefined; // an unreadable stack file is reported by the run itself
    }
    const name = typeof environment === "string" ? environment : /prod/.test(stack) ? "prod" : undefined;
    return name !== undefined && /^[a-z0-9-]+$/.test(name) && fs.existsSync(file(name)) ? file(name) : undefined;
}

/** Runs the preview for every requested stack. Throws UsageError, ConfigError, ProgramError or PolicyPackError. */
export async function preview(args: PreviewArgs): Promise<PreviewResult> {
    const project = loadProject(args.program);
    deferUnusedSdkModules(project.dir);
    deferUnusedSdkModules(ownRoot);
    const stacks = args.stacks.length ? args.stacks : listStacks(project);
    if (stacks.length === 0) throw new UsageError(`${project.dir}: no stacks (no Pulumi.<stack>.yaml files); name one with --stack (it runs with empty config) or give --config-file`);
    if (args.configFile && stacks.length !== 1) throw new UsageError("--config-file replaces one stack's Pulumi.<stack>.yaml: name exactly one --stack");
    const dataSources = args.dataSources ? readDataSources(args.dataSources) : {};

    const packConfigFiles = (stack: string) => args.policyPacks.map((dir, i) => args.policyPackConfigs[i] ?? defaultPackConfig(dir, project, stack, args.configFile));
    // Before anything runs: a report that would replace an input is refused at once.
    if (args.report) refuseToOverwriteInputs(args.report, args, project, stacks.flatMap(packConfigFiles));
    const packs: LoadedPack[] = [];
    for (const dir of args.policyPacks) packs.push(await LoadedPack.fromDirectory(dir));

    const results: StackPreview[] = [];
    let abandoned: string | undefined;
    for (const stack of stacks) {
        if (abandoned) {
            results.push(notPreviewed(stack, `Pulumi.${stack}.yaml`, `not run: the program of stack ${abandoned} did not finish and may still be running in this process; preview this stack on its own (--stack ${stack})`));
            continue;
        }
        const files = packConfigFiles(stack);
        const packConfigs: { pack: LoadedPack; config: PackConfig; source: string }[] = packs.map((pack, i) => {
            const file = files[i];
            return { pack, config: file ? readPackConfig(file) : {}, source: file ? path.relative(process.cwd(), file) || file : "(no policy config)" };
        });
        const result = await analyzeStack({ project, stack, configFile: args.configFile, dataSources, packs: packConfigs, timeLimitSeconds: args.timeLimitSeconds });
        results.push(result);
        if (result.run.abandoned) abandoned = stack;
    }
    const mandatory = results.some((r) => r.violations.some((v) => v.enforcementLevel === "mandatory"));
    const incomplete = results.some((r) => r.incomplete.length > 0);
    return { stacks: results, exitCode: mandatory ? EXIT_MANDATORY_VIOLATION : incomplete && !args.allowIncomplete ? EXIT_INCOMPLETE : EXIT_OK };
}

function readDataSources(file: string): Record<string, unknown> {
    let value: unknown;
    try {
        value = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new UsageError(`--data-sources ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new UsageError(`--data-sources ${file}: expected a JSON object of data-source token (or resource type) -> answer, e.g. {"aws:ec2/getAmi:getAmi": {"id": "ami-123"}}; got ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value}`);
    }
    for (const [token, answer] of Object.entries(value)) {
        if (answer === null || typeof answer !== "object" || Array.isArray(answer)) throw new UsageError(`--data-sources ${file}: "${token}": expected an object (the data source's result), got ${Array.isArray(answer) ? "an array" : JSON.stringify(answer)}`);
    }
    return value as Record<string, unknown>;
}

/** `--report` must not replace a file the preview reads: a stack file, a pack config, the program. */
function refuseToOverwriteInputs(report: string, args: PreviewArgs, project: Project, packConfigs: readonly (string | undefined)[]): void {
    const real = (f: string) => {
        try {
            return fs.realpathSync(f);
        } catch {
            return path.resolve(f);
        }
    };
    if (fs.existsSync(report) && fs.statSync(report).isDirectory()) throw new UsageError(`--report ${report}: is a directory; give a file name such as ${path.join(report, "preview.md")}`);
    const inputs = [
        ...fs.readdirSync(project.dir).filter((f) => /^Pulumi(\..+)?\.ya?ml$/.test(f)).map((f) => path.join(project.dir, f)),
        project.entry,
        path.join(project.dir, "package.json"),
        ...(args.configFile ? [args.configFile] : []),
        ...(args.dataSources ? [args.dataSources] : []),
        ...args.policyPackConfigs,
        ...packConfigs.filter((f): f is string => f !== undefined),
        ...args.policyPacks.flatMap((d) => [path.join(d, "package.json"), path.join(d, "PulumiPolicy.yaml")]),
    ];
    const target = real(report);
    const clash = inputs.find((f) => real(f) === target);
    if (clash) throw new UsageError(`--report ${report}: is an input of this preview (${path.relative(process.cwd(), clash) || clash}); write the report elsewhere`);
}

/** Entry point of the `nonstop` command. Returns the exit code. */
export async function main(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
    let args: PreviewArgs | "help";
    try {
        args = parseArgs(argv);
    } catch (e) {
        await writeAll(err, `nonstop: ${stripControl((e as Error).message)}\n`);
        return EXIT_BAD_INPUT;
    }
    if (args === "help") {
        await writeAll(out, usage + "\n");
        return EXIT_OK;
    }
    // Stack traces of programs and packs point at their TypeScript sources.
    process.setSourceMapsEnabled?.(true);
    let result: PreviewResult;
    const restore = programOutputToStderr(out);
    // Code a program or pack left running (a timer, a callback) may still throw between and after
    // runs; that is a failure of what was previewed, not a crash of the preview.
    const late: unknown[] = [];
    const onLate = (e: unknown) => {
        if (!late.includes(e)) late.push(e);
    };
    process.on("uncaughtException", onLate);
    process.on("unhandledRejection", onLate);
    try {
        result = await preview(args);
    } catch (e) {
        restore();
        await writeAll(err, `nonstop preview: ${stripControl(explain(e))}\n`);
        return EXIT_BAD_INPUT;
    } finally {
        process.removeListener("uncaughtException", onLate);
        process.removeListener("unhandledRejection", onLate);
    }
    restore();
    // During a run the run itself reports what fails; only what it did not see is news here.
    late.splice(0, late.length, ...late.filter((e) => !isReportedFailure(e)));
    if (late.length) {
        const scrub = new SecretValues();
        for (const s of result.stacks) scrub.add(s.run.secretValues);
        const lines = late.map((e) => `nonstop preview: code a program or pack left running failed after its run: ${scrub.scrub(describeError(e))}\n`);
        await writeAll(err, stripControl(lines.join("")));
        if (result.exitCode === EXIT_OK && !args.allowIncomplete) result = { ...result, exitCode: EXIT_INCOMPLETE };
    }
    const options = { allowIncomplete: args.allowIncomplete === true };
    let text = args.json ? "" : stripControl(renderHuman(result.stacks, options));
    if (args.whatIf !== undefined && !args.json) {
        // One scenario in full instead of the whole preview, then the verdict.
        const scenario = whatIfText(result.stacks.map((st) => ({ stack: st.stack, services: st.resilience.services })), args.whatIf);
        if ("error" in scenario) {
            await writeAll(err, `nonstop preview: ${stripControl(scenario.error)}\n`);
            return EXIT_BAD_INPUT;
        }
        text = `${stripControl(scenario.text)}\n${text.split("\n").filter((l) => l.startsWith("Verdict:")).join("\n")}\n`;
    }
    let reportError: string | undefined;
    if (args.report) {
        try {
            fs.writeFileSync(args.report, renderMarkdown(result.stacks));
            if (!args.json) text += `report written to ${path.relative(process.cwd(), args.report) || args.report}\n`;
        } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            const why = code === "ENOENT" ? "its directory does not exist" : code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EISDIR" ? "is a directory" : (e as Error).message;
            reportError = `nonstop preview: --report ${args.report}: cannot write the report (${why}); the preview is on stdout\n`;
        }
    }
    if (args.json) await writeChunks(out, renderJsonChunks(result.stacks, { ...options, exitCode: result.exitCode }), "\n");
    else await writeAll(out, text);
    if (reportError) {
        await writeAll(err, stripControl(reportError));
        return EXIT_BAD_INPUT;
    }
    return result.exitCode;
}

/**
 * While the program and the packs run, whatever they write to stdout (console.log, pulumi.log)
 * goes to stderr instead, so that stdout carries the preview alone. Returns the undo.
 */
function programOutputToStderr(out: NodeJS.WritableStream): () => void {
    if (out !== process.stdout) return () => undefined;
    const write = process.stdout.write;
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
    return () => {
        process.stdout.write = write;
    };
}

/**
 * Resolves once the text is handed to the OS: a pipe is written asynchronously, and the caller
 * exits next. A reader that went away (`nonstop preview --json | head`) ends the write quietly.
 */
function writeAll(stream: NodeJS.WritableStream, text: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const quiet = (e: NodeJS.ErrnoException) => (e.code === "EPIPE" ? resolve() : reject(e));
        stream.once("error", quiet);
        stream.write(text, (e?: Error | null) => {
            stream.removeListener("error", quiet);
            if (!e || (e as NodeJS.ErrnoException).code === "EPIPE") resolve();
            else reject(e);
        });
    });
}

/** Writes the pieces in batches of about a megabyte, each after the previous one was handed on, then `end`. */
async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>, end: string): Promise<void> {
    let batch: string[] = [];
    let size = 0;
    for (const chunk of chunks) {
        batch.push(chunk);
        size += chunk.length;
        if (size >= 1 << 20) {
            await writeAll(stream, batch.join(""));
            batch = [];
            size = 0;
        }
    }
    batch.push(end);
    await writeAll(stream, batch.join(""));
}

function explain(e: unknown): string {
    if (e instanceof ConfigError) return formatIssues(e.stackFile, e.issues);
    if (e instanceof ProgramError) {
        const cause = e.cause;
        if (cause instanceof ConfigError || (cause instanceof Error && cause.name === "ConfigError")) return (cause as Error).message;
        return e.message;
    }
    if (e instanceof UsageError || e instanceof PolicyPackError) return e.message;
    return `unexpected error: ${describeError(e)}`;
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
