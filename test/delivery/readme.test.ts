import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import YAML from "yaml";
import { findAppRoot, listAppStacks } from "../../delivery/appProject";
import { parseArgs } from "../../preview/cli";

const root = findAppRoot(__dirname);
const docs = ["README.md", "docs/deployments.md"];

/**
 * The Pulumi CLI commands the docs use, with the flags each accepts, as read in the CLI's source
 * (pulumi/pulumi 3.259, pkg/cmd/pulumi/...): policy_publish.go, policy_enable.go, policy_group_*.go,
 * config/config_env_add.go, state/state_unprotect.go; `--stack`/`-s` is a persistent flag of
 * `pulumi config`, `pulumi stack` and the operations.
 */
const PULUMI_COMMANDS: Record<string, readonly string[]> = {
    "stack init": ["--stack"],
    "stack select": ["--stack"],
    stack: ["--show-urns"],
    "stack output": ["--json", "--stack"],
    "config set": ["--path", "--secret", "--stack"],
    "config rm": ["--path", "--stack"],
    "config env add": ["--stack", "--yes"],
    "env init": [],
    "env edit": [],
    preview: ["--policy-pack", "--policy-pack-config", "--diff", "--stack"],
    up: ["--policy-pack", "--policy-pack-config", "--stack"],
    "state unprotect": [],
    "policy publish": [],
    "policy enable": ["--policy-group", "--config"],
    "policy group new": ["--org", "--entity-type", "--mode", "--yes"],
    "policy group edit": ["--org", "--add-stack", "--remove-stack"],
    "policy group list": [],
    version: [],
    login: [],
};

interface Command {
    readonly doc: string;
    readonly cwd: string;
    readonly words: string[];
}

/** Commands of the docs' ```sh blocks, split at `&&`, with the folder each runs in. */
function shellCommands(): Command[] {
    const out: Command[] = [];
    for (const doc of docs) {
        const text = fs.readFileSync(path.join(root, doc), "utf8");
        for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
            let cwd = root;
            for (const line of block[1].split("\n")) {
                const code = line.replace(/\s+#.*$/, "").trim();
                if (!code) continue;
                for (const part of code.split("&&").map((p) => p.trim())) {
                    const words = part.match(/'[^']*'|"[^"]*"|\S+/g)!.map((w) => w.replace(/^['"]|['"]$/g, ""));
                    if (words[0] === "cd") cwd = path.resolve(cwd, words[1]);
                    else out.push({ doc, cwd, words });
                }
            }
        }
    }
    return out;
}

function scripts(dir: string): Record<string, string> {
    return (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts ?? {};
}

describe("README and docs/deployments.md commands", () => {
    const commands = shellCommands();
    const packName = /new PolicyPack\("([^"]+)"/.exec(fs.readFileSync(path.join(root, "policies", "index.ts"), "utf8"))![1];
    const packVersion = (JSON.parse(fs.readFileSync(path.join(root, "policies", "package.json"), "utf8")) as { version: string }).version;
    const project = (YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    const of = (tool: string) => commands.filter((c) => c.words[0] === tool);

    it("are found", () => {
        expect(of("pulumi").length).to.be.greaterThan(15);
        expect(of("npm").length).to.be.greaterThan(2);
    });

    it("run npm scripts that exist, in the folder they are run in", () => {
        for (const c of of("npm")) {
            const [, verb, name] = c.words;
            if (verb === "ci" || verb === "install") continue;
            const script = verb === "run" ? name : verb;
            expect(scripts(c.cwd), `${c.doc}: npm ${c.words.slice(1).join(" ")} in ${path.relative(root, c.cwd) || "."}`).to.have.property(script);
        }
    });

    it("give `npx nonstop` options it accepts, for stacks that exist", () => {
        const runs = of("npx").filter((c) => c.words[1] === "nonstop");
        expect(runs).to.not.deep.equal([]);
        for (const c of runs) {
            const args = parseArgs(c.words.slice(2));
            if (args === "help") continue;
            for (const s of args.stacks) expect(fs.existsSync(path.join(path.resolve(c.cwd, args.program), `Pulumi.${s}.yaml`)), `${c.doc}: ${c.words.join(" ")}`).to.equal(true);
        }
    });

    it("use Pulumi CLI commands and flags that exist, with files that exist", () => {
        for (const c of of("pulumi")) {
            const words = c.words.slice(1);
            const sub = Object.keys(PULUMI_COMMANDS)
                .filter((k) => words.slice(0, k.split(" ").length).join(" ") === k)
                .sort((a, b) => b.length - a.length)[0];
            const where = `${c.doc}: pulumi ${words.join(" ")}`;
            expect(sub, where).to.not.equal(undefined);
            const flags = words.filter((w) => w.startsWith("--")).map((w) => w.split("=")[0]);
            for (const f of flags) expect(PULUMI_COMMANDS[sub], `${where}: flag ${f}`).to.include(f);
            const fileArgs = words.filter((w, i) => /\.(json|ya?ml)$/.test(w) || ["--policy-pack", "--config", "--policy-pack-config"].includes(words[i - 1] ?? ""));
            for (const f of fileArgs) expect(fs.existsSync(path.resolve(c.cwd, f)), `${where}: ${f}`).to.equal(true);
        }
    });

    it("publish the pack from policies/ to an organization and enable the version package.json holds, always in a policy group", () => {
        const publish = of("pulumi").filter((c) => c.words[1] === "policy" && c.words[2] === "publish");
        expect(publish).to.not.deep.equal([]);
        for (const c of publish) {
            expect(path.relative(root, c.cwd)).to.equal("policies");
            expect(c.words[3], "an organization, not a folder").to.match(/^[\w.-]+$/).and.not.equal("policies");
        }
        const enable = of("pulumi").filter((c) => c.words[1] === "policy" && c.words[2] === "enable");
        expect(enable.map((c) => c.words[4])).to.deep.equal(["prod", "dev"].map(() => packVersion));
        for (const c of enable) {
            expect(c.words[3]).to.match(new RegExp(`^[\\w.-]+/${packName}$`));
            const group = c.words[c.words.indexOf("--policy-group") + 1];
            const config = c.words[c.words.indexOf("--config") + 1];
            expect(config, "each group gets its own environment's config").to.equal(`policies/config/${group.replace(`${project}-`, "")}.json`);
        }
        for (const c of of("pulumi").filter((c) => c.words.includes("--add-stack"))) {
            expect(c.words[c.words.indexOf("--add-stack") + 1]).to.match(new RegExp(`^${project}/(${listAppStacks(root).join("|")})$`));
        }
    });

    it("link to files that exist", () => {
        for (const doc of docs) {
            const text = fs.readFileSync(path.join(root, doc), "utf8");
            for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
                if (/^[a-z]+:/.test(m[1])) continue;
                expect(fs.existsSync(path.resolve(path.dirname(path.join(root, doc)), m[1])), `${doc}: ${m[1]}`).to.equal(true);
            }
        }
    });

    it("name the files and folders of the repository that they point at", () => {
        for (const doc of docs) {
            const text = fs.readFileSync(path.join(root, doc), "utf8");
            for (const m of text.matchAll(/`((?:\.github|delivery|policies|scripts|stacks|preview|components|docs)\/[\w./-]*)`/g)) {
                if (m[1].includes("<") || m[1].includes("*")) continue;
                expect(fs.existsSync(path.join(root, m[1])), `${doc}: ${m[1]}`).to.equal(true);
            }
        }
    });
});
