// The stack files of the repository, read as the Pulumi CLI reads them.
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";

/** The repository root: the nearest directory above this file holding Pulumi.yaml. */
export function repoRoot(): string {
    let dir = __dirname;
    while (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
        const up = path.dirname(dir);
        if (up === dir) throw new Error(`no Pulumi.yaml above ${__dirname}`);
        dir = up;
    }
    return dir;
}

/** The `config` map of Pulumi.<stack>.yaml. */
export function stackConfig(stack: string): Record<string, unknown> {
    const text = fs.readFileSync(path.join(repoRoot(), `Pulumi.${stack}.yaml`), "utf8");
    const doc = YAML.parse(text) as { config?: Record<string, unknown> };
    if (!doc.config) throw new Error(`Pulumi.${stack}.yaml has no config`);
    return doc.config;
}
