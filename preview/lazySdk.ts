// Loading @pulumi/pulumi costs ~0.45 s here, ~0.35 s of it for function serialization support
// (npm's arborist and the TypeScript compiler, loaded eagerly by runtime/closure) and the
// Automation API (execa, js-yaml and the rest of a CLI driver, loaded eagerly by the index). A
// preview needs the first only when the program serializes a function (e.g. a Lambda
// CallbackFunction) and the second only when it drives the CLI, so they are replaced by proxies
// that load the real module on first use: same behaviour, paid only when used.
import * as path from "path";

/**
 * How the SDK imports a deferred module: "namespace" for `__importStar(require(x))` or a plain
 * `require(x)` read later (the proxy passes as an ES module namespace); "callable" for
 * `__importDefault(require(x))` of a CommonJS module that exports one function (the proxy is that
 * function, called through).
 */
type Shape = "namespace" | "callable";

/** The modules @pulumi/pulumi loads eagerly but a preview rarely uses, relative to its package. */
const deferred: readonly (readonly [request: string, from: string, shape: Shape])[] = [
    ["@npmcli/arborist", "runtime/closure", "namespace"],
    ["normalize-package-data", "runtime/closure", "callable"],
    ["fdir", "runtime/closure", "namespace"],
    ["./typescript-shim", ".", "namespace"],
    ["./automation", ".", "namespace"],
];

/** Puts the proxies in place for the @pulumi/pulumi that `resolveFrom` resolves (before it is loaded). */
export function deferUnusedSdkModules(resolveFrom: string): void {
    let pulumiDir: string;
    try {
        pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [resolveFrom] }));
    } catch {
        return;
    }
    for (const [request, from, shape] of deferred) {
        let file: string;
        try {
            file = require.resolve(request, { paths: [path.join(pulumiDir, from)] });
        } catch {
            continue;
        }
        if (require.cache[file]) continue;
        let real: Record<PropertyKey, unknown> | undefined;
        const load = (): Record<PropertyKey, unknown> => {
            if (!real) {
                delete require.cache[file];
                real = require(file) as Record<PropertyKey, unknown>;
            }
            return real;
        };
        // A callable proxy needs a function target: an arrow function, which has no non-configurable
        // own property the traps below would have to report.
        const target = (shape === "callable" ? () => undefined : {}) as Record<PropertyKey, unknown>;
        const exports = new Proxy(target, {
            // `__esModule` lets TypeScript's __importStar hand a namespace proxy through untouched;
            // a callable one does not claim it, so that __importDefault wraps it as `default`.
            get: (_t, key) => (key === "__esModule" ? shape === "namespace" || undefined : load()[key]),
            apply: (_t, self, args) => Reflect.apply(load() as unknown as (...a: unknown[]) => unknown, self, args),
            has: (_t, key) => key in load(),
            ownKeys: () => Reflect.ownKeys(load()),
            getOwnPropertyDescriptor: (_t, key) => {
                const d = Object.getOwnPropertyDescriptor(load(), key);
                return d ? { ...d, configurable: true } : undefined;
            },
        });
        const stub = new (require("module") as { new (id: string): NodeJS.Module })(file);
        stub.filename = file;
        stub.loaded = true;
        stub.exports = exports;
        require.cache[file] = stub;
    }
}
