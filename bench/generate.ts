// A stack file of N services for scale runs: prod's own services copied with unique names
// (`checkout`, `catalog`, `checkout2`, `catalog2`, ...), everything else as prod has it.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

/** Writes `Pulumi.prod.yaml` with `services` services to `file` and returns `file`. */
export function writeScaledStack(root: string, services: number, file: string): string {
    const doc = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
    const prod = doc.config["nonstop:services"] as { name: string }[];
    const out: { name: string }[] = [];
    for (let i = 0; i < services; i++) {
        const base = prod[i % prod.length];
        const copy = Math.floor(i / prod.length);
        out.push({ ...structuredClone(base), name: copy === 0 ? base.name : `${base.name}${copy + 1}` });
    }
    doc.config["nonstop:services"] = out;
    // A failover drill (if prod has one) names a service that exists in every copy.
    fs.writeFileSync(file, YAML.stringify(doc));
    return file;
}

if (require.main === module) {
    const [n, file] = process.argv.slice(2);
    console.log(writeScaledStack(path.resolve(__dirname, "..", ".."), Number(n), file));
}
