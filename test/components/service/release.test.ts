import { expect } from "chai";
import { ActivePassiveService } from "../../../components/service/activePassiveService";
import { primaryImage, releaseTracks } from "../../../components/service/release";
import { TrafficTrack } from "../../../components/site/site";
import type { ReleaseSpec as ReleaseConfig } from "../../../components/service/spec";
import { runUnderMocks } from "../../harness";
import { fakeSites, MadeSite, route53, service } from "./fakeSite";

const IMAGE = "ghcr.io/acme/checkout:1.4.2";
const blueGreen = (live: "blue" | "green"): ReleaseConfig => ({ strategy: "blue-green", live, blueImage: "ghcr.io/acme/checkout:1.4.2", greenImage: "ghcr.io/acme/checkout:1.5.0" });
const split = (tracks: readonly TrafficTrack[] | undefined) => tracks?.map((t) => [t.name, t.image, t.percent]);

describe("releaseTracks", () => {
    it("runs no extra track for a rolling release (the default)", () => {
        expect(releaseTracks(undefined, IMAGE)).to.equal(undefined);
        expect(releaseTracks({ strategy: "rolling" }, IMAGE)).to.equal(undefined);
    });

    it("sends all traffic to the live colour and none to the other", () => {
        expect(split(releaseTracks(blueGreen("blue"), IMAGE))).to.deep.equal([
            ["blue", "ghcr.io/acme/checkout:1.4.2", 100],
            ["green", "ghcr.io/acme/checkout:1.5.0", 0],
        ]);
    });

    it("flips the weights when `live` flips", () => {
        expect(split(releaseTracks(blueGreen("green"), IMAGE))).to.deep.equal([
            ["blue", "ghcr.io/acme/checkout:1.4.2", 0],
            ["green", "ghcr.io/acme/checkout:1.5.0", 100],
        ]);
    });

    it("runs the service image in a colour whose image is not given", () => {
        expect(split(releaseTracks({ strategy: "blue-green", live: "green" }, IMAGE))).to.deep.equal([
            ["blue", IMAGE, 0],
            ["green", IMAGE, 100],
        ]);
    });

    it("gives the canary image its percent and the stable image the rest", () => {
        expect(split(releaseTracks({ strategy: "canary", canaryImage: "ghcr.io/acme/checkout:1.5.0-rc.1", canaryPercent: 10 }, IMAGE))).to.deep.equal([
            ["stable", IMAGE, 90],
            ["canary", "ghcr.io/acme/checkout:1.5.0-rc.1", 10],
        ]);
    });

    it("names the image taking most traffic for sites without tracks", () => {
        expect(primaryImage(releaseTracks(blueGreen("green"), IMAGE), IMAGE)).to.equal("ghcr.io/acme/checkout:1.5.0");
        expect(primaryImage(undefined, IMAGE)).to.equal(IMAGE);
    });
});

describe("releases of a service", () => {
    async function sitesFor(release: ReleaseConfig | undefined, implementsTracks = true): Promise<MadeSite[]> {
        const { factory, made } = fakeSites(implementsTracks);
        await runUnderMocks(() => {
            new ActivePassiveService("checkout", { service: service({ release }), dns: route53, environment: "prod", protectStateful: true, gcpProject: "shop-prod-1", siteFactory: factory, readOnlySites: ["gcp-us-central1"] });
        }, { config: { "aws:region": "us-east-1", "gcp:project": "shop-prod-1" } });
        return made;
    }

    it("gives every site the same blue-green split, and flipping `live` flips it on every site", async () => {
        const blue = await sitesFor(blueGreen("blue"));
        const green = await sitesFor(blueGreen("green"));
        for (const made of [blue, green]) expect(made).to.have.length(2);
        for (const m of blue) expect(m.args.tracks?.map((t) => t.percent)).to.deep.equal([100, 0]);
        for (const m of green) expect(m.args.tracks?.map((t) => t.percent)).to.deep.equal([0, 100]);
        expect(blue.map((m) => m.site.tracks)).to.deep.equal([
            ["blue", "green"],
            ["blue", "green"],
        ]);
    });

    it("gives every site the canary split", async () => {
        const made = await sitesFor({ strategy: "canary", canaryImage: "ghcr.io/acme/checkout:1.5.0-rc.1", canaryPercent: 5 });
        for (const m of made) expect(split(m.args.tracks)).to.deep.equal([
            ["stable", IMAGE, 95],
            ["canary", "ghcr.io/acme/checkout:1.5.0-rc.1", 5],
        ]);
    });

    it("passes no tracks for a rolling release", async () => {
        for (const m of await sitesFor(undefined)) {
            expect(m.args.tracks).to.equal(undefined);
            expect(m.args.image).to.equal(IMAGE);
        }
    });

    it("gives a site that cannot split traffic the live image", async () => {
        for (const m of await sitesFor(blueGreen("green"), false)) {
            expect(m.args.image).to.equal("ghcr.io/acme/checkout:1.5.0");
            expect(m.site.tracks).to.equal(undefined);
        }
    });
});
