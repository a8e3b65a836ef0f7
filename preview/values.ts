// Plain values from the wire format the SDK sends the engine (a protobuf Struct as JavaScript):
// unknowns, secrets, resource references, output values and assets carry special markers there.
//
// Resource inputs are decoded the way the engine hands them to analyzers (pulumi/pulumi
// sdk/go/common/resource/plugin: the analyzer's Analyze and AnalyzeStack marshal properties with
// MarshalOptions{KeepUnknowns, KeepSecrets, SkipInternalKeys} and without KeepResources), so the
// preview's model reads exactly what the pack's policies read:
//   - a custom resource reference becomes its id, unknown while the id is (at preview);
//   - a component resource reference becomes its URN;
//   - keys starting with "__" are internal to the engine and dropped;
//   - secrets stay secret on the analyzer wire (the policy SDK unwraps them for policies).

/** Stands for a value that is unknown at preview (an output of a resource not yet created). */
export const UNKNOWN: unique symbol = Symbol.for("nonstop.unknown");

const unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const resourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
const outputSig = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const assetSig = "c44067f5952c0a294b673a41bacd8c17";
const archiveSig = "0def7320c3a5731c473e5ecbe6d01bc7";

/** The wire markers, for tests and fixtures that write wire values by hand. */
export const WIRE = { sigKey, secretSig, resourceSig, outputSig, unknown: unknownSentinel } as const;

export function isUnknown(v: unknown): v is typeof UNKNOWN {
    return v === UNKNOWN;
}

/** A key in a path through a value: an object key or an array index. */
export type PathKey = string | number;

/** Where decoding met secrets: their paths in the value, and their string leaves (to scrub free text). */
export interface SecretSink {
    readonly paths: PathKey[][];
    readonly values: Set<string>;
}

/** Engine-internal property keys, which analyzers never see. */
function isInternalKey(key: string): boolean {
    return key.startsWith("__");
}

/**
 * Decodes one wire value into a plain value as an analyzer sees it (unknown -> UNKNOWN, secret ->
 * its value, resource -> id or URN). With a `sink`, every secret's path and string leaves are
 * recorded there: the plain value carries no marker, so output redacts by path.
 *
 * Copy-on-write: a part of the value with nothing to decode is returned as is (the plain value
 * shares it with the wire value), so a resource's inputs and its wire form cost one copy, not two.
 * Neither may be mutated afterwards.
 */
export function decodeStruct(value: unknown, sink?: SecretSink): unknown {
    return decode(value, sink, sink ? [] : undefined);
}

function decode(value: unknown, sink: SecretSink | undefined, path: PathKey[] | undefined): unknown {
    if (value === unknownSentinel) return UNKNOWN;
    if (Array.isArray(value)) {
        let out: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
            path?.push(i);
            const d = decode(value[i], sink, path);
            path?.pop();
            if (d !== value[i]) (out ??= value.slice())[i] = d;
        }
        return out ?? value;
    }
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    switch (obj[sigKey]) {
        case secretSig:
            return secret(decode(obj.value, undefined, undefined), sink, path);
        case resourceSig: {
            const ref = resourceReference(obj);
            return ref === unknownSentinel ? UNKNOWN : ref;
        }
        case outputSig: {
            if (!("value" in obj)) return UNKNOWN;
            const inner = decode(obj.value, obj.secret === true ? undefined : sink, obj.secret === true ? undefined : path);
            return obj.secret === true ? secret(inner, sink, path) : inner;
        }
        case assetSig:
        case archiveSig:
            return { path: obj.path, uri: obj.uri, text: obj.text };
    }
    let out: Record<string, unknown> | undefined;
    for (const k of Object.keys(obj)) {
        if (isInternalKey(k)) {
            out ??= { ...obj };
            delete out[k];
            continue;
        }
        path?.push(k);
        const d = decode(obj[k], sink, path);
        path?.pop();
        if (d !== obj[k]) (out ??= { ...obj })[k] = d;
    }
    return out ?? obj;
}

function secret(plain: unknown, sink: SecretSink | undefined, path: PathKey[] | undefined): unknown {
    if (sink && path) {
        sink.paths.push([...path]);
        collectStrings(plain, sink.values);
    }
    return plain;
}

/** The strings inside a plain value (the leaves a secret consists of). */
export function collectStrings(value: unknown, into: Set<string>): void {
    if (typeof value === "string") into.add(value);
    else if (typeof value === "number") into.add(String(value));
    else if (Array.isArray(value)) for (const v of value) collectStrings(v, into);
    else if (value !== null && typeof value === "object") for (const v of Object.values(value)) collectStrings(v, into);
}

/** What the engine gives analyzers for a resource reference (wire form): the id, the unknown sentinel, or the URN. */
function resourceReference(obj: Record<string, unknown>): unknown {
    if (!("id" in obj)) return obj.urn; // a component: its URN
    const id = obj.id;
    return id === "" || id === unknownSentinel || id === undefined || id === null ? unknownSentinel : id;
}

/**
 * The inputs as the engine sends them to an analyzer (wire form), from the inputs as the SDK sent
 * them to the engine. Copy-on-write: a value with nothing to convert is returned as is, so the
 * common case allocates nothing.
 */
export function toAnalyzerWire(value: unknown): unknown {
    if (Array.isArray(value)) {
        let out: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
            const c = toAnalyzerWire(value[i]);
            if (c !== value[i]) (out ??= value.slice())[i] = c;
        }
        return out ?? value;
    }
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    switch (obj[sigKey]) {
        case resourceSig:
            return resourceReference(obj);
        case outputSig: {
            if (!("value" in obj)) return unknownSentinel;
            const inner = toAnalyzerWire(obj.value);
            return obj.secret === true ? { [sigKey]: secretSig, value: inner } : inner;
        }
        case secretSig: {
            const inner = toAnalyzerWire(obj.value);
            return inner === obj.value ? obj : { [sigKey]: secretSig, value: inner };
        }
        case assetSig:
        case archiveSig:
            return obj;
    }
    let out: Record<string, unknown> | undefined;
    for (const k of Object.keys(obj)) {
        if (isInternalKey(k)) {
            out ??= { ...obj };
            delete out[k];
            continue;
        }
        const c = toAnalyzerWire(obj[k]);
        if (c !== obj[k]) (out ??= { ...obj })[k] = c;
    }
    return out ?? obj;
}

/** JSON form for reports: unknown values become null. */
export function toJson(value: unknown): unknown {
    if (value === UNKNOWN) return null;
    if (Array.isArray(value)) return value.map(toJson);
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
    return out;
}

/** Wire form of a plain value: UNKNOWN becomes the engine's unknown sentinel. */
export function encodeValue(value: unknown): unknown {
    if (value === UNKNOWN) return unknownSentinel;
    if (Array.isArray(value)) return value.map(encodeValue);
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encodeValue(v);
    return out;
}
