// `npm run bench`: how fast and how big the preview is, measured against its floor and written to
// BENCHMARKS.md (speed and memory are measured here, never asserted in timed tests).
//  1. the floor: a bare process that loads the five Pulumi SDKs the preview loads;
//  2. `nonstop preview --stack dev|prod --json` processes (median of runs) and their ratio to the floor
//     (prod's runs alternate with the floor's, the ratio the median of the pairs):
//     warm (the compile cache kept from an earlier run, as every run after the first) and, for prod,
//     cold (an empty cache each run, as the first run after `npm ci`);
//  3. scale: prod's services copied to N services (`bench/generate.ts`), one whole process per size,
//     wall time and peak RSS (from /usr/bin/time when present), per-service cost;
//  4. the policy pack alone, in process, on a 10-service program's resources (resources/second);
//  5. the pack's start as the Pulumi CLI starts it (run-policy-pack until it announces its port);
//  6. `npm test` wall time.
//
// Options (flags or environment): --sizes 1,10,50 (BENCH_SIZES), --runs N (BENCH_RUNS, default 5),
// --no-test (BENCH_NO_TEST=1) skips `npm test`, --out FILE (BENCH_OUT, default BENCHMARKS.md).
// A quick run: `npm run bench -- --sizes 1,10 --runs 1 --no-test --out /tmp/bench.md`.
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeScaledStack } from "./generate";
import { LoadedPack, PackConfig } from "../preview/policyHost";
import { runProgram } from "../preview/program";
import { loadProject, loadStackFile, registerTypeScript } from "../preview/project";

const root = path.resolve(__dirname, "..", "..");

interface Options {
    readonly sizes: readonly number[];
    readonly runs: number;
    readonly npmTest: boolean;
    readonly out: string;
}

function parseOptions(argv: readonly string[]): Options {
    const flag = (name: string): string | undefined => {
        const i = argv.indexOf(name);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const sizes = (flag("--sizes") ?? process.env.BENCH_SIZES ?? "1,10,50,100,200").split(",").map((s) => Number(s.trim()));
    if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes / BENCH_SIZES: expected service counts such as 1,10,50; got ${sizes.join(",")}`);
    const runs = Number(flag("--runs") ?? process.env.BENCH_RUNS ?? 5);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs / BENCH_RUNS: expected a whole number of runs, got ${runs}`);
    return {
        sizes,
        runs,
        npmTest: !argv.includes("--no-test") && process.env.BENCH_NO_TEST !== "1",
        out: path.resolve(root, flag("--out") ?? process.env.BENCH_OUT ?? "BENCHMARKS.md"),
    };
}

function median(xs: readonly number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

/** One whole process: wall ms, peak RSS in MiB (undefined without /usr/bin/time), exit status, stdout. */
interface Measured {
    readonly ms: number;
    readonly rssMiB?: number;
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

const timeBinary = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

function measure(command: string, args: readonly string[], cwd = root, env: NodeJS.ProcessEnv = process.env): Measured {
    const rssFile = path.join(os.tmpdir(), `nonstop-bench-rss-${process.pid}`);
    const [cmd, cmdArgs] = timeBinary ? [timeBinary, ["-o", rssFile, "-f", "%M", command, ...args]] : [command, [...args]];
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, cmdArgs, { cwd, env, encoding: "utf8", maxBuffer: 2 ** 30 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    let rssMiB: number | undefined;
    if (timeBinary) {
        const kb = Number(/(\d+)\s*$/.exec(fs.readFileSync(rssFile, "utf8"))?.[1]);
        rssMiB = Number.isFinite(kb) ? kb / 1024 : undefined;
        fs.rmSync(rssFile, { force: true });
    }
    return { ms, rssMiB, status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** Median wall and median peak RSS of whole processes. */
function summarize(measured: readonly Measured[]): { ms: number; rssMiB?: number; all: number[] } {
    const ms = measured.map((m) => m.ms);
    const rss = measured.flatMap((m) => (m.rssMiB === undefined ? [] : [m.rssMiB]));
    return { ms: median(ms), rssMiB: rss.length ? median(rss) : undefined, all: ms };
}

/** Median wall and median peak RSS of `runs` whole processes. */
function medianOf(runs: number, run: () => Measured): { ms: number; rssMiB?: number; all: number[] } {
    return summarize(Array.from({ length: runs }, run));
}

const SDKS = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/gcp", "@pulumi/kubernetes", "@pulumi/policy"];

function floor(): Measured {
    return measure(process.execPath, ["-e", SDKS.map((m) => `require(${JSON.stringify(m)});`).join("")]);
}

function preview(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Measured {
    const m = measure(process.execPath, [path.join(root, "bin", "nonstop.js"), "preview", ...args, "--json"], root, env);
    // 0 and 1 are verdicts; 2 (bad input, a crash) and 3 (not evaluated) are not a measurement.
    if (m.status !== 0 && m.status !== 1) throw new Error(`nonstop preview ${args.join(" ")} exited ${m.status}: ${m.stderr.slice(-2000)}`);
    return m;
}

function packStart(): Promise<number> {
    return new Promise((resolve, reject) => {
        const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
        const packDir = path.join(root, "policies");
        const t0 = process.hrtime.bigint();
        const child = spawn(process.execPath, [path.join(pulumiDir, "cmd", "run-policy-pack"), "127.0.0.1:1", packDir], { cwd: packDir });
        child.stdout.on("data", (d) => {
            if (/^\d+\s*$/m.test(String(d))) {
                resolve(Number(process.hrtime.bigint() - t0) / 1e6);
                child.kill();
            }
        });
        child.on("exit", (code) => reject(new Error(`pack exited ${code} before announcing its port`)));
    });
}

/** The pack alone: judge a 10-service program's resources in this process (program run not counted). */
async function packAlone(runs: number): Promise<{ resources: number; ms: number }> {
    const project = loadProject(root);
    const file = writeScaledStack(root, 10, path.join(os.tmpdir(), `nonstop-bench-10-${process.pid}.yaml`));
    const stackFile = loadStackFile(project, "prod", file);
    registerTypeScript();
    const run = await runProgram(project.entry, { project: project.name, stack: "prod", config: stackFile.config, preview: true, resolveFrom: project.dir, cwd: project.dir });
    fs.rmSync(file, { force: true });
    const pack = await LoadedPack.fromDirectory(path.join(root, "policies"));
    const config = JSON.parse(fs.readFileSync(path.join(root, "policies", "config", "prod.json"), "utf8")) as PackConfig;
    await pack.configure(config);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
        const t0 = process.hrtime.bigint();
        await pack.analyze(run.resources);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return { resources: run.resources.length, ms: median(times) };
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (m?: number) => (m === undefined ? "n/a" : `${m.toFixed(0)} MiB`);

async function main(): Promise<void> {
    const options = parseOptions(process.argv.slice(2));
    const command = `npm run bench${process.argv.length > 2 ? " -- " + process.argv.slice(2).join(" ") : ""}`;
    const log = (line: string) => console.log(line);
    log(`nonstop bench: ${options.runs} run(s) each (median), sizes ${options.sizes.join(", ")}`);

    // The floor and warm prod alternate (floor, prod, floor, prod, ...): a drift in the shared
    // machine's speed then moves both, and the ratio is the median of the pairs' ratios.
    preview(["--stack", "prod"]); // fills the compile cache for this build, unmeasured
    const floors: Measured[] = [];
    const prods: Measured[] = [];
    const pairRatios: number[] = [];
    for (let i = 0; i < options.runs; i++) {
        const f = floor();
        const p = preview(["--stack", "prod"]);
        floors.push(f);
        prods.push(p);
        pairRatios.push(p.ms / f.ms);
    }
    const floorRun = summarize(floors);
    log(`  floor (node loading ${SDKS.join(", ")}): ${s(floorRun.ms)}, ${mib(floorRun.rssMiB)}`);
    const prodRatio = median(pairRatios);
    const stacks: { stack: string; how: string; ms: number; rssMiB?: number }[] = [];
    const prodRun = summarize(prods);
    stacks.push({ stack: "prod", how: "warm", ms: prodRun.ms, rssMiB: prodRun.rssMiB });
    log(`  preview --stack prod (warm): ${s(prodRun.ms)} (${prodRatio.toFixed(2)}x the floor, median of paired runs), ${mib(prodRun.rssMiB)}`);
    preview(["--stack", "dev"]);
    const devRun = medianOf(options.runs, () => preview(["--stack", "dev"]));
    stacks.push({ stack: "dev", how: "warm", ms: devRun.ms, rssMiB: devRun.rssMiB });
    log(`  preview --stack dev (warm): ${s(devRun.ms)} (${(devRun.ms / floorRun.ms).toFixed(2)}x the floor), ${mib(devRun.rssMiB)}`);
    // The first run after `npm ci`: an empty compile cache each run.
    const coldProd = medianOf(options.runs, () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nonstop-bench-cold-"));
        try {
            return preview(["--stack", "prod"], { ...process.env, NONSTOP_COMPILE_CACHE: dir });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
    stacks.push({ stack: "prod", how: "cold", ms: coldProd.ms, rssMiB: coldProd.rssMiB });
    log(`  preview --stack prod (cold: empty compile cache): ${s(coldProd.ms)} (${(coldProd.ms / floorRun.ms).toFixed(2)}x the floor), ${mib(coldProd.rssMiB)}`);

    const scale: { services: number; resources: number; ms: number; rssMiB?: number }[] = [];
    for (const n of options.sizes) {
        const file = writeScaledStack(root, n, path.join(os.tmpdir(), `nonstop-bench-${n}-${process.pid}.yaml`));
        try {
            const m = preview(["--stack", "prod", "--config-file", file]);
            const json = JSON.parse(m.stdout) as { stacks: { resources: unknown[] }[] };
            scale.push({ services: n, resources: json.stacks[0].resources.length, ms: m.ms, rssMiB: m.rssMiB });
            log(`  ${n} service(s): ${json.stacks[0].resources.length} resources, ${s(m.ms)}, ${mib(m.rssMiB)}`);
        } finally {
            fs.rmSync(file, { force: true });
        }
    }

    const alone = await packAlone(options.runs);
    const perSecond = (alone.resources / alone.ms) * 1000;
    log(`  policy pack alone: ${alone.resources} resources in ${s(alone.ms)} (${perSecond.toFixed(0)} resources/s)`);
    const starts: number[] = [];
    for (let i = 0; i < options.runs; i++) starts.push(await packStart());
    const packStartMs = median(starts);
    log(`  pack start under run-policy-pack (as the CLI starts it): ${s(packStartMs)}`);
    let testMs: number | undefined;
    let testLine = "";
    if (options.npmTest) {
        const m = measure("npm", ["test"]);
        testMs = m.ms;
        testLine = /^\d+ passed, \d+ failed\s*$/m.exec(m.stdout)?.[0].trim() ?? `exit ${m.status}`;
        log(`  npm test: ${s(m.ms)} (${testLine})`);
    }

    // Ratios the goals are stated in.
    const ratios: string[] = [];
    const prod = stacks.find((x) => x.stack === "prod" && x.how === "warm");
    if (prod) ratios.push(`prod preview / floor: ${prodRatio.toFixed(2)}x, median of ${options.runs} paired runs (goal <= 1.5x); cold (empty compile cache, the first run after npm ci): ${(coldProd.ms / floorRun.ms).toFixed(2)}x`);
    const at = (n: number) => scale.find((x) => x.services === n);
    const ten = at(10);
    const top = scale[scale.length - 1];
    if (ten && top && top !== ten) {
        ratios.push(`${top.services} / 10 services, time: ${(top.ms / ten.ms).toFixed(1)}x (goal <= 20x at 200)`);
        if (top.rssMiB !== undefined && ten.rssMiB !== undefined) ratios.push(`${top.services} / 10 services, peak RSS: ${(top.rssMiB / ten.rssMiB).toFixed(1)}x (goal <= 20x at 200)`);
    }
    const hundred = at(100);
    if (hundred?.rssMiB !== undefined) ratios.push(`peak RSS at 100 services: ${mib(hundred.rssMiB)} (goal about 1 GB)`);
    log("ratios:");
    for (const r of ratios) log(`  ${r}`);

    const cpus = os.cpus();
    const rows = scale.map((x, i) => {
        const prev = scale[i - 1];
        const marginal = prev ? (x.ms - prev.ms) / (x.services - prev.services) : undefined;
        return `| ${x.services} | ${x.resources} | ${s(x.ms)} | ${mib(x.rssMiB)} | ${s(x.ms / x.services)} | ${marginal === undefined ? "" : s(marginal)} |`;
    });
    const md = [
        "# Benchmarks",
        "",
        `Written by \`${command}\` on ${new Date().toISOString()}.`,
        `Machine: ${cpus.length} x ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}` +
            " (a machine shared with other work: expect noise of 10-20 %).",
        `Whole processes are the median of ${options.runs} run(s); peak RSS is /usr/bin/time's maximum resident set size.`,
        "",
        "## Floor and stacks",
        "",
        "| what | wall | peak RSS | x floor |",
        "|---|---|---|---|",
        `| floor: \`node -e\` loading ${SDKS.map((m) => `\`${m}\``).join(", ")} | ${s(floorRun.ms)} | ${mib(floorRun.rssMiB)} | 1.00 |`,
        ...stacks.map((x) => `| \`nonstop preview --stack ${x.stack} --json\`, ${x.how === "warm" ? "warm (compile cache from an earlier run)" : "cold (empty compile cache: the first run after `npm ci`)"} | ${s(x.ms)} | ${mib(x.rssMiB)} | ${(x === prod ? prodRatio : x.ms / floorRun.ms).toFixed(2)} |`),
        "",
        `Prod's ratio is the median of ${options.runs} pairs run in turn (floor, prod, floor, prod, ...), so that the machine's drift moves both; the other ratios divide by the floor's median.`,
        "",
        "## Scale: prod's services copied to N services (`nonstop preview --stack prod --config-file F --json`, one process each)",
        "",
        "| services | resources | wall | peak RSS | wall per service | marginal per service |",
        "|---|---|---|---|---|---|",
        ...rows,
        "",
        "## Policy pack and tests",
        "",
        "| what | result |",
        "|---|---|",
        `| policy pack alone (in process, ${alone.resources} resources of 10 services, prod config) | ${s(alone.ms)}, ${perSecond.toFixed(0)} resources/s |`,
        `| pack start under \`run-policy-pack\` (as the Pulumi CLI starts it) | ${s(packStartMs)} |`,
        testMs === undefined ? "| `npm test` | not run (--no-test) |" : `| \`npm test\` wall | ${s(testMs)} (${testLine}) |`,
        "",
        "## Ratios",
        "",
        ...ratios.map((r) => `- ${r}`),
        "",
    ].join("\n");
    fs.writeFileSync(options.out, md);
    log(`written ${path.relative(process.cwd(), options.out) || options.out}`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
