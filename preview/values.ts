// Plain values from the wire format the SDK sends the engine (a protobuf Struct as JavaScript):
// unknowns, secrets, resource references and assets carry special markers there.

/** Stands for a value that is unknown at preview (an output of a resource not yet created). */
export const UNKNOWN: unique symbol = Symbol.for("nonstop.unknown");

const unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const resourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
const outputSig = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const assetSig = "c44067f5952c0a294b673a41bacd8c17";
const archiveSig = "0def7320c3a5731c473e5ecbe6d01bc7";

export function isUnknown(v: unknown): v is typeof UNKNOWN {
    return v === UNKNOWN;
}

/** Decodes one wire value into a plain value (unknown -> UNKNOWN, secret -> its value, resource -> URN). */
export function decodeStruct(value: unknown): unknown {
    if (value === unknownSentinel) return UNKNOWN;
    if (Array.isArray(value)) return value.map(decodeStruct);
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    switch (obj[sigKey]) {
        case secretSig:
            return decodeStruct(obj.value);
        case resourceSig:
            return obj.urn;
        case outputSig:
            return "value" in obj ? decodeStruct(obj.value) : UNKNOWN;
        case assetSig:
        case archiveSig:
            return { path: obj.path, uri: obj.uri, text: obj.text };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = decodeStruct(v);
    return out;
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
