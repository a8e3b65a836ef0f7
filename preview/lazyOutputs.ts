// A resource's output properties, made when the program first reads them.
//
// The SDK gives every property of a new resource an Output before registering it: for a provider
// resource that is every input and every output the provider declares (a task definition has
// about thirty), each with four promises, a set of resources, a proxy and a handful of closures,
// about a kilobyte apiece. A program reads few of them (nonstop's own reads one in seventeen), yet
// all of them live as long as the program holds the resource, which is to the end of the run: at
// a few hundred services they were most of the memory a preview needed.
//
// While a run lasts, `transferProperties` (the SDK function that makes them) is replaced by one
// that defines each property as an accessor: the first read (or write) makes the very Output the
// SDK would have made, from promises settled with the same values, and puts it in place as the
// plain data property the SDK defines. What the engine answered for a property nobody read is
// kept as four values.
import * as path from "path";

type Resolver = (value: unknown, isKnown: boolean, isSecret: boolean, deps?: unknown[], err?: Error) => void;
type TransferProperties = (onto: object, label: string, props: Record<string, unknown>) => Record<string, Resolver>;
type OutputClass = new (resources: unknown, promise: Promise<unknown>, isKnown: Promise<unknown>, isSecret: Promise<unknown>, allResources: Promise<unknown>) => unknown;

/** One property nobody has read yet: what the engine answered (value, isKnown, isSecret, deps), or its error. */
type Answer = readonly [unknown, unknown, unknown, unknown] | { readonly err: Error };

/** A property read before the engine answered: its output exists, and this settles it. */
interface Waiting {
    readonly settle: (answer: Answer) => void;
}

/** The deferred properties of one resource, by key: not answered yet (undefined), answered, or read early. */
type Deferred = Map<string, Answer | Waiting | undefined>;

const deferredOf = new WeakMap<object, Deferred>();
const noDeps: readonly unknown[] = Object.freeze([]);

/**
 * Makes the SDK at `pulumiDir` (the package directory of the @pulumi/pulumi the program uses)
 * create output properties on first read, until the returned undo is called.
 */
export function deferOutputProperties(pulumiDir: string): () => void {
    const rpc = require(path.join(pulumiDir, "runtime", "rpc")) as { transferProperties: TransferProperties };
    const { Output } = require(path.join(pulumiDir, "output")) as { Output: OutputClass };
    const { isGrpcError } = require(path.join(pulumiDir, "errors")) as { isGrpcError(e: unknown): boolean };
    const eager = rpc.transferProperties;
    // One accessor pair per property name, shared by every resource (the receiver says which).
    const accessors = new Map<string, PropertyDescriptor>();
    const accessor = (key: string): PropertyDescriptor => {
        let d = accessors.get(key);
        if (!d) {
            d = {
                get(this: object) {
                    return materialize(ownerOf(this, key), key, Output);
                },
                set(this: object, value: unknown) {
                    deferredOf.get(ownerOf(this, key))?.delete(key);
                    place(this, key, value);
                },
                enumerable: true,
                configurable: true,
            };
            accessors.set(key, d);
        }
        return d;
    };
    rpc.transferProperties = (onto, label, props) => {
        const resolvers: Record<string, Resolver> = {};
        let deferred = deferredOf.get(onto);
        for (const k of Object.keys(props)) {
            // As the SDK: "id" and "urn" are made by the registration itself.
            if (k === "id" || k === "urn") continue;
            if (Object.prototype.hasOwnProperty.call(onto, k)) throw new Error(`Property '${k}' is already initialized on target '${label}`);
            if (!deferred) deferredOf.set(onto, (deferred = new Map()));
            deferred.set(k, undefined);
            Object.defineProperty(onto, k, accessor(k));
            const of = deferred;
            resolvers[k] = (value, isKnown, isSecret, deps, err) => {
                // As the SDK: a gRPC error (the engine going away) leaves the output unsettled.
                if (err && isGrpcError(err)) return;
                const answer: Answer = err ? { err } : [value, isKnown, isSecret, deps ?? noDeps];
                const entry = of.get(k);
                if (entry && "settle" in entry) {
                    of.delete(k);
                    entry.settle(answer);
                } else if (of.has(k)) of.set(k, answer);
            };
        }
        return resolvers;
    };
    return () => {
        rpc.transferProperties = eager;
    };
}

/** The object that defines the deferred property: the receiver, or what it inherits it from. */
function ownerOf(receiver: object, key: string): object {
    for (let o: object | null = receiver; o; o = Object.getPrototypeOf(o) as object | null) if (deferredOf.get(o)?.has(key)) return o;
    return receiver;
}

function place(onto: object, key: string, value: unknown): void {
    Object.defineProperty(onto, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The Output the SDK would have put at `onto[key]`, made now and put there. */
function materialize(onto: object, key: string, Output: OutputClass): unknown {
    const deferred = deferredOf.get(onto);
    const entry = deferred?.get(key);
    let output: unknown;
    if (entry && !("settle" in entry)) {
        deferred?.delete(key);
        const part = (i: number): Promise<unknown> => ("err" in entry ? Promise.reject(entry.err) : Promise.resolve(entry[i]));
        output = new Output(onto, part(0), part(1), part(2), part(3));
    } else {
        const parts = [0, 1, 2, 3].map(() => {
            let resolve!: (v: unknown) => void;
            let reject!: (e: unknown) => void;
            const promise = new Promise<unknown>((res, rej) => {
                resolve = res;
                reject = rej;
            });
            return { promise, resolve, reject };
        });
        // Not answered yet (or not a deferred property of this object): settled when the engine answers.
        deferred?.set(key, {
            settle: (answer) => {
                if ("err" in answer) for (const p of parts) p.reject(answer.err);
                else parts.forEach((p, i) => p.resolve(answer[i]));
            },
        });
        output = new Output(onto, parts[0].promise, parts[1].promise, parts[2].promise, parts[3].promise);
    }
    place(onto, key, output);
    return output;
}
