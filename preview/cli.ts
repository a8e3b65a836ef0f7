// `nonstop preview`: the offline preview. Runs a Pulumi program under mocks in preview mode,
// judges what it would create with policy packs exactly as `pulumi preview --policy-pack` would,
// and reports the plan, the verdict and the resilience estimate. No CLI, no cloud, no network.
import * as fs from "fs";
import * as path from "path";
import { ConfigError, EXIT_BAD_INPUT, formatIssues } from "../stacks/config";
import { analyzeStack, StackPreview } from "./analysis";
import { deferClosureSupport } from "./lazySdk";
import { renderHuman, renderJson, renderMarkdown } from "./output";
import { LoadedPack, PackConfig, PolicyPackError, readPackConfig } from "./policyHost";
import { describeError, ProgramError } from "./program";
import { whatIfText } from "./whatIf";
import { listStacks, loadProject, UsageError } from "./project";

export const EXIT_OK = 0;
export const EXIT_MANDATORY_VIOLATION = 1;

const ownRoot = path.resolve(__dirname, "..", "..");

const usage = `usage: nonstop preview [options]

Runs a Pulumi program under mocks in preview mode (outputs of new resources are unknown, as in
\`pulumi preview\`), evaluates policy packs in-process, and prints the plan, the policy verdict and
a resilience report. Needs no Pulumi CLI, no cloud account and no network.

options:
  --stack NAME               preview this stack (repeatable; default: every Pulumi.<stack>.yaml)
  --all                      preview every stack of the project (the default)
  --config-file FILE         use FILE instead of Pulumi.<stack>.yaml (one stack only)
  --program DIR              the Pulumi project to run (default: nonstop's own project)
  --policy-pack DIR          policy pack to evaluate (repeatable; default: nonstop's policies/)
  --policy-pack-config FILE  config for the policy pack at the same position (repeatable;
                             default: <pack>/config/<stack>.json when present)
  --data-sources FILE        JSON answers for data-source calls, by token
  --json                     print one JSON document instead of text
  --report FILE.md           write a markdown report (pull-request comment) to FILE.md
  --what-if DOMAIN           print what losing one failure domain does to every service, with
                             its timeline (e.g. region:aws/us-east-1, zone:aws/us-east-1b,
                             cloud:gcp, dns:route53, writer:<db>, registry:ghcr.io, release:<svc>)
  -h, --help                 show this help

exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 bad usage, bad config,
or a program or pack that throws.`;

export interface PreviewArgs {
    readonly stacks: string[];
    readonly configFile?: string;
    readonly program: string;
    readonly policyPacks: string[];
    readonly policyPackConfigs: string[];
    readonly dataSources?: string;
    readonly json: boolean;
    readonly report?: string;
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

/** Runs the preview for every requested stack. Throws UsageError, ConfigError, ProgramError or PolicyPackError. */
export async function preview(args: PreviewArgs): Promise<PreviewResult> {
    const project = loadProject(args.program);
    deferClosureSupport(project.dir);
    deferClosureSupport(ownRoot);
    const stacks = args.stacks.length ? args.stacks : listStacks(project);
    if (stacks.length === 0) throw new UsageError(`${project.dir}: no stacks (no Pulumi.<stack>.yaml files); name one with --stack and --config-file`);
    if (args.configFile && stacks.length !== 1) throw new UsageError("--config-file replaces one stack's Pulumi.<stack>.yaml: name exactly one --stack");
    const dataSources = args.dataSources ? readJson(args.dataSources, "--data-sources") : {};

    const packs: LoadedPack[] = [];
    for (const dir of args.policyPacks) packs.push(await LoadedPack.fromDirectory(dir));

    const results: StackPreview[] = [];
    for (const stack of stacks) {
        const packConfigs: { pack: LoadedPack; config: PackConfig; source: string }[] = packs.map((pack, i) => {
            const explicit = args.policyPackConfigs[i];
            const fallback = pack.dir ? path.join(pack.dir, "config", `${stack}.json`) : undefined;
            const file = explicit ?? (fallback && fs.existsSync(fallback) ? fallback : undefined);
            return { pack, config: file ? readPackConfig(file) : {}, source: file ? path.relative(process.cwd(), file) || file : "(no policy config)" };
        });
        results.push(await analyzeStack({ project, stack, configFile: args.configFile, dataSources, packs: packConfigs }));
    }
    const mandatory = results.some((r) => r.violations.some((v) => v.enforcementLevel === "mandatory"));
    return { stacks: results, exitCode: mandatory ? EXIT_MANDATORY_VIOLATION : EXIT_OK };
}

function readJson(file: string, flag: string): Record<string, unknown> {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (e) {
        throw new UsageError(`${flag} ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
}

/** Entry point of the `nonstop` command. Returns the exit code. */
export async function main(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
    let args: PreviewArgs | "help";
    try {
        args = parseArgs(argv);
    } catch (e) {
        await writeAll(err, `nonstop: ${(e as Error).message}\n`);
        return EXIT_BAD_INPUT;
    }
    if (args === "help") {
        await writeAll(out, usage + "\n");
        return EXIT_OK;
    }
    try {
        const result = await preview(args);
        if (args.report) fs.writeFileSync(args.report, renderMarkdown(result.stacks));
        let text = args.json ? renderJson(result.stacks) + "\n" : renderHuman(result.stacks);
        if (args.whatIf !== undefined && !args.json) {
            const scenario = whatIfText(result.stacks.map((st) => ({ stack: st.stack, services: st.resilience.services })), args.whatIf);
            if ("error" in scenario) {
                await writeAll(err, `nonstop preview: ${scenario.error}\n`);
                return EXIT_BAD_INPUT;
            }
            text = `${scenario.text}\n${text.split("\n").filter((l) => l.startsWith("Verdict:")).join("\n")}\n`;
        }
        if (args.report && !args.json) text += `report written to ${path.relative(process.cwd(), args.report) || args.report}\n`;
        await writeAll(out, text);
        return result.exitCode;
    } catch (e) {
        await writeAll(err, `nonstop preview: ${explain(e)}\n`);
        return EXIT_BAD_INPUT;
    }
}

/** Resolves once the text is handed to the OS: a pipe is written asynchronously, and the caller exits next. */
function writeAll(stream: NodeJS.WritableStream, text: string): Promise<void> {
    return new Promise((resolve, reject) => {
        stream.write(text, (e?: Error | null) => (e ? reject(e) : resolve()));
    });
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
