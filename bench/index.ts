// `npm run bench`: how fast the preview and the pack are, measured here rather than in timed tests.
//  1. a cold `nonstop preview --stack <s>` process per stack (what a user waits for), median of runs;
//  2. the pack's start as the Pulumi CLI starts it (run-policy-pack until it announces its port);
//  3. scale: a synthetic program of N databases/buckets/subnets judged by the whole pack, in-process.
import * as aws from "@pulumi/aws";
import { spawn, spawnSync } from "child_process";
import * as path from "path";
import { LoadedPack } from "../preview/policyHost";
import { runProgram } from "../preview/program";

const root = path.resolve(__dirname, "..", "..");
const runs = Number(process.env.BENCH_RUNS ?? 5);

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

function coldPreview(stack: string): number[] {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
        const t0 = process.hrtime.bigint();
        const r = spawnSync(process.execPath, [path.join(root, "bin", "nonstop.js"), "preview", "--stack", stack, "--json"], { cwd: root, encoding: "utf8" });
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (r.status === 2) throw new Error(`preview of ${stack} failed: ${r.stderr}`);
    }
    return times;
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
        child.on("exit", (code) => reject(new Error(`pack exited ${code}`)));
    });
}

async function scale(n: number, pack: LoadedPack): Promise<{ resources: number; runMs: number; judgeMs: number }> {
    const t0 = Date.now();
    const run = await runProgram(
        () => {
            for (let i = 0; i < n; i++) {
                const vpc = new aws.ec2.Vpc(`vpc-${i}`, { cidrBlock: "10.0.0.0/16" });
                const subnet = new aws.ec2.Subnet(`subnet-${i}`, { vpcId: vpc.id, cidrBlock: "10.0.1.0/24", availabilityZone: "us-east-1a" });
                new aws.rds.Instance(`db-${i}`, { engine: "postgres", instanceClass: "db.t4g.micro", multiAz: i % 2 === 0, dbSubnetGroupName: subnet.id });
                new aws.s3.Bucket(`bucket-${i}`, {});
            }
        },
        { project: "bench", stack: "bench", config: { "aws:region": "us-east-1" }, preview: true },
    );
    const t1 = Date.now();
    await pack.configure({});
    await pack.analyze(run.resources);
    return { resources: run.resources.length, runMs: t1 - t0, judgeMs: Date.now() - t1 };
}

async function main(): Promise<void> {
    console.log(`nonstop bench (${runs} runs each, median)`);
    for (const stack of ["dev", "prod"]) {
        const t = coldPreview(stack);
        console.log(`  cold preview --stack ${stack}: ${median(t).toFixed(0)} ms (min ${Math.min(...t).toFixed(0)}, max ${Math.max(...t).toFixed(0)})`);
    }
    const starts: number[] = [];
    for (let i = 0; i < runs; i++) starts.push(await packStart());
    console.log(`  pack start under run-policy-pack (as the CLI starts it): ${median(starts).toFixed(0)} ms`);
    const pack = await LoadedPack.fromDirectory(path.join(root, "policies"));
    for (const n of [10, 100, 500]) {
        const r = await scale(n, pack);
        console.log(`  scale: ${r.resources} resources: program under mocks ${r.runMs} ms, whole pack ${r.judgeMs} ms (${((r.resources / (r.runMs + r.judgeMs)) * 1000).toFixed(0)} resources/s)`);
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
