// The corpus: realistic Pulumi programs written for this project (test/fixtures/programs/*, each
// with an expect.json), run in-process under mocks in preview mode (test/harness.ts) and judged by
// the whole pack as prod configures it. Each expect.json lists the defects the program really has,
// by rule and resource; every mandatory finding must be one of them. This module runs and scores
// the corpus and renders docs/corpus.md (`npm run docs`; the corpus test fails when it is stale).
import * as fs from "fs";
import * as path from "path";
import { allPolicies } from "../../policies/rules";
import { LoadedPack } from "../../preview/policyHost";
import { loadProject, loadStackFile } from "../../preview/project";
import { runUnderMocks, Violation } from "../harness";

const root = path.resolve(__dirname, "..", "..", "..");
export const programsDir = path.join(root, "test", "fixtures", "programs");
export const corpusDocFile = path.join(root, "docs", "corpus.md");

/**
 * The pack config the corpus is judged with: prod, except the rules that judge a design across
 * regions and clouds. The programs are single-region by design (a web app, a cluster); those rules
 * still run, advisory, and their findings are shown but not counted.
 */
export const corpusConfig: Readonly<Record<string, unknown>> = {
    ...(JSON.parse(fs.readFileSync(path.join(root, "policies", "config", "prod.json"), "utf8")) as Record<string, unknown>),
    "dns-single-region": "advisory",
    "dns-single-cloud": "advisory",
    "resilience-budget": "advisory",
};
export const designRules = ["dns-single-region", "dns-single-cloud", "resilience-budget"];

/** One defect a program has, and how to recognise the finding that reports it. */
export interface Defect {
    readonly rule: string;
    /** The resource's name (the URN's last part). */
    readonly resource: string;
    /** A fragment of the finding's message, when one rule reports several defects on one resource. */
    readonly says?: string;
    /** What is wrong, for the docs. */
    readonly what: string;
}

export interface Expectation {
    readonly title: string;
    /** For a corrected program: the program it corrects. */
    readonly corrects?: string;
    readonly defects: readonly Defect[];
}

export interface ProgramResult {
    readonly name: string;
    readonly expect: Expectation;
    readonly resources: number;
    readonly violations: readonly Violation[];
    /** Defects a finding reports. */
    readonly found: readonly Defect[];
    readonly missed: readonly Defect[];
    /** Mandatory findings that are no listed defect. */
    readonly falseFindings: readonly Violation[];
}

export interface CorpusResult {
    readonly programs: readonly ProgramResult[];
    readonly defects: number;
    readonly found: number;
    readonly falseFindings: number;
}

const nameOf = (v: Violation) => (v.urn ?? "").split("::").pop() ?? "";
const matches = (d: Defect, v: Violation) => v.policy === d.rule && nameOf(v) === d.resource && (d.says === undefined || v.message.includes(d.says));

/** The corpus programs: directories of test/fixtures/programs with an expect.json. */
export function corpusPrograms(): string[] {
    return fs
        .readdirSync(programsDir)
        .filter((d) => fs.existsSync(path.join(programsDir, d, "expect.json")))
        .sort();
}

/** Scores one program's findings against its expectation. */
export function score(name: string, expectation: Expectation, violations: readonly Violation[], resources: number): ProgramResult {
    const found = expectation.defects.filter((d) => violations.some((v) => matches(d, v)));
    const falseFindings = violations.filter((v) => v.enforcementLevel === "mandatory" && !expectation.defects.some((d) => matches(d, v)));
    return { name, expect: expectation, resources, violations, found, missed: expectation.defects.filter((d) => !found.includes(d)), falseFindings };
}

/** The pack, loaded and configured once for the whole corpus. */
async function corpusPack(): Promise<LoadedPack> {
    const pack = await LoadedPack.fromPolicies("nonstop-resilience", allPolicies);
    await pack.configure(corpusConfig, "corpus config (prod.json, design rules advisory)");
    return pack;
}

/** Runs one program (its compiled copy under dist/, its stack config from Pulumi.test.yaml) and judges it with the pack. */
export async function runProgram(name: string, pack?: LoadedPack): Promise<ProgramResult> {
    const dir = path.join(programsDir, name);
    const project = loadProject(dir);
    const stack = loadStackFile(project, "test");
    const compiled = path.join(root, "dist", "test", "fixtures", "programs", name, "index.js");
    const run = await runUnderMocks(
        () => {
            delete require.cache[require.resolve(compiled)];
            return require(compiled) as unknown;
        },
        { project: project.name, stack: "test", config: stack.config, preview: true },
    );
    const verdict = await (pack ?? (await corpusPack())).analyze(run.resources);
    const violations = verdict.violations.map((d) => ({ policy: d.policy, enforcementLevel: d.enforcementLevel, urn: d.urn, message: d.message }));
    const expectation = JSON.parse(fs.readFileSync(path.join(dir, "expect.json"), "utf8")) as Expectation;
    return score(name, expectation, violations, run.resources.filter((r) => r.custom).length);
}

/** Runs and scores the whole corpus, one program after the other (the Pulumi runtime is process-global). */
export async function measureCorpus(): Promise<CorpusResult> {
    const pack = await corpusPack();
    const programs: ProgramResult[] = [];
    for (const name of corpusPrograms()) programs.push(await runProgram(name, pack));
    return {
        programs,
        defects: programs.reduce((n, p) => n + p.expect.defects.length, 0),
        found: programs.reduce((n, p) => n + p.found.length, 0),
        falseFindings: programs.reduce((n, p) => n + p.falseFindings.length, 0),
    };
}

const levels = (vs: readonly Violation[], level: string, notJudged: boolean) => vs.filter((v) => v.enforcementLevel === level && (v.policy === "not-judged") === notJudged).length;

function percent(n: number, of: number): string {
    return of === 0 ? "-" : `${Math.round((1000 * n) / of) / 10}%`;
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** docs/corpus.md from a measurement. */
export function renderCorpusDoc(result: CorpusResult): string {
    const lines = [
        "# The pack on realistic programs",
        "",
        "Generated by `npm run docs` from `test/fixtures/programs/` (the corpus test fails when it is stale); do not edit by hand.",
        "",
        "Each program is written the way teams write Pulumi programs, without nonstop: a web app with RDS and ECS, a Kubernetes",
        "shop with several services and in-cluster databases, an EKS cluster, a GKE app with Cloud SQL, a single-VM app with its",
        "database on the box, and a corrected version of each. Every `expect.json` lists the defects its program really has, by",
        "rule and resource. The programs run in-process under mocks in preview mode (outputs of new resources unknown, as at",
        "`pulumi preview`) and the whole pack judges them with `policies/config/prod.json`, except the rules that judge a design",
        `across regions and clouds (${designRules.map((r) => `\`${r}\``).join(", ")}), made advisory: the programs are single-region`,
        "by design.",
        "",
        `- **Recall: ${result.found} of ${result.defects} listed defects found (${percent(result.found, result.defects)}).**`,
        `- **False findings: ${result.falseFindings}** (mandatory findings that are no listed defect, corrected programs included).`,
        "",
        "| program | what it is | resources | defects found | false findings | mandatory | advisory | not judged |",
        "|---|---|---|---|---|---|---|---|",
    ];
    for (const p of result.programs) {
        lines.push(
            `| \`${p.name}\` | ${cell(p.expect.title)}${p.expect.corrects ? ` (corrects \`${p.expect.corrects}\`)` : ""} | ${p.resources} | ${p.found.length} / ${p.expect.defects.length} | ${p.falseFindings.length} | ${levels(p.violations, "mandatory", false)} | ${levels(p.violations, "advisory", false)} | ${levels(p.violations, "advisory", true) + levels(p.violations, "mandatory", true)} |`,
        );
    }
    const byRule = new Map<string, { listed: number; found: number }>();
    for (const p of result.programs) {
        for (const d of p.expect.defects) {
            const r = byRule.get(d.rule) ?? { listed: 0, found: 0 };
            byRule.set(d.rule, { listed: r.listed + 1, found: r.found + (p.found.includes(d) ? 1 : 0) });
        }
    }
    lines.push("", "## Defects by rule", "", "| rule | defects listed | found |", "|---|---|---|");
    for (const [rule, r] of [...byRule].sort((a, b) => b[1].listed - a[1].listed || a[0].localeCompare(b[0]))) lines.push(`| \`${rule}\` | ${r.listed} | ${r.found} |`);
    lines.push("", "## The defects, program by program", "");
    for (const p of result.programs) {
        if (p.expect.defects.length === 0) continue;
        lines.push(`### \`${p.name}\``, "", p.expect.title, "");
        for (const d of p.expect.defects) lines.push(`- ${p.found.includes(d) ? "found" : "**missed**"}: \`${d.rule}\` on \`${d.resource}\`: ${cell(d.what)}`);
        lines.push("");
    }
    return lines.join("\n").replace(/\n+$/, "\n");
}

if (require.main === module) {
    measureCorpus().then((result) => {
        fs.writeFileSync(corpusDocFile, renderCorpusDoc(result));
        console.log(`wrote ${path.relative(process.cwd(), corpusDocFile)}: recall ${result.found}/${result.defects}, false findings ${result.falseFindings}`);
    });
}
