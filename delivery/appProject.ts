// What the delivery program reads from the app project it configures, so that nothing is said
// twice: the project name (Pulumi.yaml), each stack's environment and clouds (Pulumi.<stack>.yaml,
// validated by the same schema as `pulumi up`), the policy pack's version (policies/package.json)
// and each environment's pack config (policies/config/<environment>.json).
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { Environment, parseStackConfig } from "../stacks/config";
import { ServicePolicyConfig, toServicePolicyConfig } from "./policyConfig";

export type Cloud = "aws" | "gcp" | "kubernetes";

export interface AppStack {
    readonly name: string;
    /** Repository-relative path of the stack file. */
    readonly stackFile: string;
    readonly environment: Environment;
    /** Clouds the stack's program calls at preview and up: its sites, and its DNS provider's cloud. */
    readonly clouds: ReadonlySet<Cloud>;
}

export interface AppProject {
    /** The repository root (the folder holding the app's Pulumi.yaml and policies/). */
    readonly root: string;
    /** `name` of the app's Pulumi.yaml: the project of every app stack. */
    readonly name: string;
    /** `version` of policies/package.json: the version `pulumi policy publish` uploads. */
    readonly packVersion: string;
}

/** The app's root: the nearest ancestor of `from` holding both a Pulumi.yaml and policies/PulumiPolicy.yaml. */
export function findAppRoot(from: string): string {
    for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml")) && fs.existsSync(path.join(dir, "policies", "PulumiPolicy.yaml"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`no app project above ${from}: expected a folder with Pulumi.yaml and policies/PulumiPolicy.yaml`);
    }
}

export function readAppProject(root: string): AppProject {
    const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name?: unknown };
    if (typeof project?.name !== "string") throw new Error(`${path.join(root, "Pulumi.yaml")}: no project name`);
    const pack = JSON.parse(fs.readFileSync(path.join(root, "policies", "package.json"), "utf8")) as { version?: unknown };
    if (typeof pack.version !== "string" || !/^\d+\.\d+\.\d+/.test(pack.version)) throw new Error(`policies/package.json: "version" must be a semantic version (got ${JSON.stringify(pack.version)})`);
    return { root, name: project.name, packVersion: pack.version };
}

/** Stack names that have a Pulumi.<stack>.yaml beside the app's Pulumi.yaml. */
export function listAppStacks(root: string): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** Reads and validates one app stack file; throws ConfigError (naming the file and keys) when it is invalid. */
export function readAppStack(root: string, stack: string): AppStack {
    const stackFile = `Pulumi.${stack}.yaml`;
    const file = path.join(root, stackFile);
    if (!fs.existsSync(file)) throw new Error(`${stackFile} not found beside ${path.join(root, "Pulumi.yaml")}: create the stack file first (pulumi stack init ${stack})`);
    const doc = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    const config = parseStackConfig(doc?.config ?? {}, stack, stackFile);
    const clouds = new Set<Cloud>(config.services.flatMap((s) => s.sites.map((site) => site.cloud)));
    clouds.add(config.dns.provider === "route53" ? "aws" : "gcp");
    return { name: stack, stackFile, environment: config.environment, clouds };
}

/** policies/config/<environment>.json in the form a policy group stores. */
export function readPolicyConfig(root: string, environment: Environment): ServicePolicyConfig {
    const rel = path.join("policies", "config", `${environment}.json`);
    return toServicePolicyConfig(rel, JSON.parse(fs.readFileSync(path.join(root, rel), "utf8")));
}
