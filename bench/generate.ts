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
    // Keys that hold one entry per service (nonstop:readOnlySites) get the copy's entry too.
    const names = new Set(prod.map((p) => p.name));
    for (const [key, value] of Object.entries(doc.config)) {
        if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.keys(value).every((k) => names.has(k))) continue;
        const perService = value as Record<string, unknown>;
        doc.config[key] = Object.fromEntries(out.map((svc, i) => [svc.name, perService[prod[i % prod.length].name]]).filter(([, v]) => v !== undefined));
    }
    fs.writeFileSync(file, YAML.stringify(doc, { aliasDuplicateObjects: false }));
    return file;
}

if (require.main === module) {
    const [n, file] = process.argv.slice(2);
    console.log(writeScaledStack(path.resolve(__dirname, "..", ".."), Number(n), file));
}
