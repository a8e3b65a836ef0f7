// GCP labels accept only lowercase letters, digits, '_' and '-', at most 63 characters, and keys
// must start with a letter. Tags come from users, so they are cleaned rather than rejected.

/** Labels for every GCP child: the site's identity plus the user's tags, made label-safe. */
export function gcpLabels(base: Readonly<Record<string, string>>, tags: Readonly<Record<string, string>> = {}): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...tags, ...base })) {
        let key = cleanLabel(k);
        if (!/^[a-z]/.test(key)) key = `t_${key}`.slice(0, 63);
        labels[key] = cleanLabel(v);
    }
    return labels;
}

function cleanLabel(text: string): string {
    return text.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 63);
}

/** Short stable hash (FNV-1a, 8 hex digits) to make project-unique ids from names. */
export function shortHash(text: string): string {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, "0");
}
