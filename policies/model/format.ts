// How the model's numbers read in messages, tables and reports (one way everywhere).

/** `45 s`, `300 s`, `6 h (21600 s)`, `1 d (86400 s)`; `unknown` for null. */
export function formatSeconds(s: number | null | undefined): string {
    if (s === null || s === undefined) return "unknown";
    const r = Math.round(s * 100) / 100;
    if (r < 3600) return `${r} s`;
    if (r % 86400 === 0) return `${r / 86400} d (${r} s)`;
    if (r % 3600 === 0) return `${r / 3600} h (${r} s)`;
    return `${(r / 3600).toFixed(1)} h (${r} s)`;
}

/**
 * Availability as a percentage with as many decimals as its nines need, rounded down so it never
 * reads better than it is: 0.9999 -> `99.99%`, 0.99994999 -> `99.99499%`, 1 -> `100%`.
 */
export function formatAvailability(a: number | null | undefined): string {
    if (a === null || a === undefined) return "unknown";
    if (a >= 1) return "100%";
    const u = 1 - a;
    const decimals = Math.min(8, Math.max(2, Math.ceil(-Math.log10(u) + 1e-9)));
    const scale = 10 ** decimals;
    const p = Math.floor(a * 100 * scale + 1e-6) / scale;
    return `${p.toFixed(decimals).replace(/\.?0+$/, "")}%`;
}

/** Short durations for ranges: `45 s`, `12 min`, `2.5 h`, `3.1 d`. */
export function formatDuration(s: number | null | undefined): string {
    if (s === null || s === undefined || !Number.isFinite(s)) return "unknown";
    if (s < 120) return `${Math.round(s * 10) / 10} s`;
    if (s < 7200) return `${Math.round(s / 6) / 10} min`;
    if (s < 172800) return `${Math.round(s / 360) / 10} h`;
    return `${Math.round(s / 8640) / 10} d`;
}
