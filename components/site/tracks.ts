// Release tracks as every kind of site runs them: the rules that do not depend on the cloud (how
// many copies a track keeps, what a valid set of tracks is, which track is the main one). Each
// site splits the requests its own way: ALB weighted target groups, a URL map's weighted backend
// services, an ingress-nginx canary Ingress.
import type { TrafficTrack } from "./site";

/** A track with the site's defaults applied. */
export interface ResolvedTrack extends TrafficTrack {
    /** Lowest number of copies of this track (see trackMinCapacity). */
    readonly minCapacity: number;
}

/**
 * The lowest task count of a track. A track with 0 % (the idle blue-green colour) stays warm at
 * the site's floor so that flipping `live` moves traffic to running tasks; a track with a share
 * keeps its share of the floor, but never fewer than two tasks when the site's floor is two or more:
 * a canary that serves real traffic from one task is a single point of failure for that traffic.
 * A pilot light (floor 0) runs nothing.
 */
export function trackMinCapacity(siteMinCapacity: number, percent: number): number {
    if (siteMinCapacity === 0) return 0;
    if (percent === 0 || percent === 100) return siteMinCapacity;
    return Math.max(Math.min(2, siteMinCapacity), Math.ceil((siteMinCapacity * percent) / 100));
}

/** Track names: short DNS labels, so they fit Kubernetes object names, GCP labels and resource names. */
const TRACK_NAME = /^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/;

/**
 * Everything wrong with a site's tracks, each message naming the arg and the value and saying the
 * fix. `maxTracks` is what the site's traffic split can carry, `splitter` names it for the message.
 * No tracks (undefined or empty) is valid: the site runs its single image.
 */
export function validateTracks(tracks: readonly TrafficTrack[] | undefined, maxTracks: number, splitter: string): string[] {
    if (tracks === undefined || tracks.length === 0) return [];
    const p: string[] = [];
    if (tracks.length > maxTracks) {
        p.push(`tracks: ${tracks.length} tracks (${tracks.map((t) => t.name).join(", ")}), but ${splitter} splits requests between at most ${maxTracks}; run fewer versions at once`);
    }
    const seen = new Set<string>();
    tracks.forEach((t, i) => {
        if (typeof t.name !== "string" || !TRACK_NAME.test(t.name)) {
            p.push(`tracks[${i}].name: ${JSON.stringify(t.name)} is not a short lowercase name (letters, digits and '-', at most 20, starting with a letter and not ending with '-'), e.g. "blue" or "canary"`);
        } else if (seen.has(t.name)) {
            p.push(`tracks[${i}].name: "${t.name}" is used twice; every track needs its own name`);
        }
        seen.add(t.name);
        if (typeof t.image !== "string" || t.image.trim() === "") p.push(`tracks[${i}].image: ${JSON.stringify(t.image)} is empty; give the image this track runs`);
        if (!Number.isInteger(t.percent) || t.percent < 0 || t.percent > 100) p.push(`tracks[${i}].percent: ${JSON.stringify(t.percent)} is not a whole percentage from 0 to 100`);
    });
    const total = tracks.reduce((sum, t) => sum + (typeof t.percent === "number" ? t.percent : 0), 0);
    if (total !== 100) p.push(`tracks: the percentages add up to ${total}; they must add up to 100 (${tracks.map((t) => `${t.name} ${t.percent}`).join(", ")})`);
    return p;
}

/** The tracks with their capacity floors; undefined without tracks. Call only on tracks that pass validateTracks. */
export function resolveTracks(tracks: readonly TrafficTrack[] | undefined, siteMinCapacity: number): readonly ResolvedTrack[] | undefined {
    if (tracks === undefined || tracks.length === 0) return undefined;
    return tracks.map((t) => ({ name: t.name, image: t.image, percent: t.percent, minCapacity: trackMinCapacity(siteMinCapacity, t.percent) }));
}

/** The track taking the most requests (the first of those on a tie): blue-green's live colour, a canary's stable track. */
export function mainTrack<T extends { readonly percent: number }>(tracks: readonly T[]): T {
    if (tracks.length === 0) throw new Error("mainTrack: no tracks");
    return tracks.reduce((best, t) => (t.percent > best.percent ? t : best));
}
