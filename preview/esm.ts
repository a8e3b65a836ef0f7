// ES-module programs run as the Pulumi Node runtime runs them: by dynamic import, with TypeScript
// sources compiled on load. The loader hooks (esmHooks.ts) are registered once per process, on
// the first ES-module program, so CommonJS programs never start the loader thread.
import * as path from "path";
import * as url from "url";

let registered = false;

export function registerEsmLoader(): void {
    if (registered) return;
    const register = (require("module") as { register?: (specifier: string, parentURL?: string) => void }).register;
    if (!register) throw new Error(`ES-module programs need Node 20.6 or later (module.register); this is Node ${process.versions.node}`);
    register(url.pathToFileURL(path.join(__dirname, "esmHooks.js")).href);
    registered = true;
}
