// How a release strategy splits each site's traffic between versions.
//
// Blue-green and canary run at the site's load balancer, as tracks (SiteArgs.tracks): two ECS
// services behind weighted target groups, two Cloud Run revisions with a traffic split, two
// Deployments behind a weighted ingress. Not two whole sites per site: a second copy of a site
// would duplicate its network and, worse, its database; and a load-balancer switch moves every
// client at once, where a DNS switch waits for TTLs and resolvers that ignore them.
import { TrafficTrack } from "../site/site";
import { ReleaseSpec } from "./spec";

/**
 * The tracks every site of the service runs. Rolling: none (the site's single version, replaced
 * task by task). Blue-green: both colours run; `live` takes 100 % and the other 0 %, so flipping
 * `live` is the whole switch (and the rollback). Canary: the stable image keeps 100 - p %, the
 * canary image gets p %.
 */
export function releaseTracks(release: ReleaseSpec | undefined, image: string): readonly TrafficTrack[] | undefined {
    if (!release || release.strategy === "rolling") return undefined;
    if (release.strategy === "blue-green") {
        return [
            { name: "blue", image: release.blueImage ?? image, percent: release.live === "blue" ? 100 : 0 },
            { name: "green", image: release.greenImage ?? image, percent: release.live === "green" ? 100 : 0 },
        ];
    }
    return [
        { name: "stable", image, percent: 100 - release.canaryPercent },
        { name: "canary", image: release.canaryImage, percent: release.canaryPercent },
    ];
}

/** The image a site serves when it does not implement tracks: the one taking the most traffic. */
export function primaryImage(tracks: readonly TrafficTrack[] | undefined, image: string): string {
    if (!tracks || tracks.length === 0) return image;
    return [...tracks].sort((x, y) => y.percent - x.percent)[0].image;
}
