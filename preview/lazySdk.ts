// Loading @pulumi/pulumi costs ~0.45 s here, ~0.35 s of it for function serialization support
// (npm's arborist and the TypeScript compiler, loaded eagerly by runtime/closure). A preview only
// needs them if the program serializes a function (e.g. a Lambda CallbackFunction), so they are
// replaced by proxies that load the real module on first use: same behaviour, paid only when used.
import * as path from "path";

/** The modules @pulumi/pulumi loads eagerly for closure serialization, relative to its package. */
const deferred: readonly (readonly [string, string])[] = [
    ["@npmcli/arborist", "runtime/closure"],
    ["./typescript-shim", "."],
];

export function deferClosureSupport(resolveFrom: string): void {
    let pulumiDir: string;
    try {
        pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [resolveFrom] }));
    } catch {
        return;
    }
    for (const [request, from] of deferred) {
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
        const exports = new Proxy({} as Record<PropertyKey, unknown>, {
            // `__esModule` lets TypeScript's __importStar hand the proxy through untouched.
            get: (_t, key) => (key === "__esModule" ? true : load()[key]),
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
