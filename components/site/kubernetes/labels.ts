// Kubernetes label values allow letters, digits, '-', '_' and '.', at most 63 characters, starting
// and ending with a letter or digit. Tags come from users, so they are cleaned rather than rejected.

/** Labels for every Kubernetes child: the site's identity plus the user's tags, made label-safe. */
export function k8sLabels(base: Readonly<Record<string, string>>, tags: Readonly<Record<string, string>> = {}): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...tags, ...base })) {
        const key = k.replace(/[^A-Za-z0-9._/-]/g, "_");
        labels[key] = labelValue(v);
    }
    return labels;
}

function labelValue(text: string): string {
    return text
        .replace(/[^A-Za-z0-9._-]/g, "_")
        .slice(0, 63)
        .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}
