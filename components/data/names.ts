// Physical names with length limits, unique per stack.

/** Short stable hash (7 base-36 characters) for names that must be shortened. */
export function hash(text: string): string {
    let h = 2166136261;
    for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    return h.toString(36).padStart(7, "0").slice(0, 7);
}

/**
 * A physical name of at most `maxLength` lowercase letters, digits and single hyphens, starting with
 * a letter: the parts joined by hyphens. A long prefix is shortened with a hash of it; the last part
 * (what the resource is: source, target, cdc) is always kept so that siblings never collide.
 */
export function boundedName(parts: readonly string[], maxLength: number): string {
    const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/-+/g, "-").replace(/^-+|-+$/g, "");
    const suffix = clean(parts[parts.length - 1] ?? "").slice(0, Math.min(30, Math.floor(maxLength / 2))).replace(/-+$/, "");
    let prefix = clean(parts.slice(0, -1).join("-")).replace(/^[^a-z]+/, "");
    const max = maxLength - suffix.length - 1;
    if (prefix.length > max) prefix = `${prefix.slice(0, max - 8).replace(/-+$/, "")}-${hash(prefix)}`;
    const id = [prefix, suffix].filter((p) => p.length > 0).join("-").replace(/^[^a-z]+/, "");
    return id || "nonstop";
}

/**
 * A DMS or Database Migration Service identifier: lowercase letters, digits and single hyphens,
 * starting with a letter, at most 63 characters (see boundedName).
 */
export function dmsIdentifier(...parts: string[]): string {
    return boundedName(parts, 63);
}
