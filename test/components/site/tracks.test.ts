import { expect } from "chai";
import { TrafficTrack } from "../../../components/site/site";
import { mainTrack, resolveTracks, validateTracks } from "../../../components/site/tracks";

const blueGreen = (live: "blue" | "green"): TrafficTrack[] => [
    { name: "blue", image: "shop/checkout:1.4.2", percent: live === "blue" ? 100 : 0 },
    { name: "green", image: "shop/checkout:1.5.0", percent: live === "green" ? 100 : 0 },
];
const canary: TrafficTrack[] = [
    { name: "stable", image: "shop/checkout:1.4.2", percent: 90 },
    { name: "canary", image: "shop/checkout:1.5.0-rc.1", percent: 10 },
];

describe("validateTracks", () => {
    it("accepts no tracks, blue-green and canary splits", () => {
        expect(validateTracks(undefined, 2, "the splitter")).to.deep.equal([]);
        expect(validateTracks([], 2, "the splitter")).to.deep.equal([]);
        expect(validateTracks(blueGreen("blue"), 2, "the splitter")).to.deep.equal([]);
        expect(validateTracks(canary, 2, "the splitter")).to.deep.equal([]);
    });

    it("rejects percentages that do not add up to 100, showing the split", () => {
        const problems = validateTracks([{ ...canary[0], percent: 80 }, canary[1]], 2, "the splitter");
        expect(problems).to.deep.equal(["tracks: the percentages add up to 90; they must add up to 100 (stable 80, canary 10)"]);
    });

    it("rejects more tracks than the site's splitter carries, naming the splitter", () => {
        const three = [...canary.map((t) => ({ ...t, percent: 30 })), { name: "next", image: "shop/checkout:2.0.0", percent: 40 }];
        const [problem] = validateTracks(three, 2, "ingress-nginx");
        expect(problem).to.equal("tracks: 3 tracks (stable, canary, next), but ingress-nginx splits requests between at most 2; run fewer versions at once");
    });

    it("rejects bad and duplicate names, empty images and percentages outside 0-100", () => {
        const problems = validateTracks(
            [
                { name: "Blue", image: "shop/checkout:1", percent: 50 },
                { name: "green", image: "", percent: 50.5 },
                { name: "green", image: "shop/checkout:2", percent: -0.5 },
            ],
            5,
            "the splitter",
        );
        expect(problems.map((p) => p.split(":")[0])).to.deep.equal(["tracks[0].name", "tracks[1].image", "tracks[1].percent", "tracks[2].name", "tracks[2].percent"]);
        expect(problems[0]).to.contain('"Blue" is not a short lowercase name');
        expect(problems[3]).to.contain('"green" is used twice');
    });
});

describe("resolveTracks", () => {
    it("gives every track its floor: the idle colour stays warm, a canary keeps its share but at least two", () => {
        expect(resolveTracks(blueGreen("green"), 3)?.map((t) => [t.name, t.percent, t.minCapacity])).to.deep.equal([
            ["blue", 0, 3],
            ["green", 100, 3],
        ]);
        expect(resolveTracks(canary, 3)?.map((t) => [t.name, t.minCapacity])).to.deep.equal([
            ["stable", 3],
            ["canary", 2],
        ]);
    });

    it("runs nothing in a pilot light and returns undefined without tracks", () => {
        expect(resolveTracks(canary, 0)?.map((t) => t.minCapacity)).to.deep.equal([0, 0]);
        expect(resolveTracks(undefined, 3)).to.equal(undefined);
        expect(resolveTracks([], 3)).to.equal(undefined);
    });
});

describe("mainTrack", () => {
    it("is the track taking the most requests, so flipping live flips it", () => {
        expect(mainTrack(blueGreen("blue")).name).to.equal("blue");
        expect(mainTrack(blueGreen("green")).name).to.equal("green");
        expect(mainTrack(canary).name).to.equal("stable");
    });

    it("takes the first track on a tie", () => {
        expect(mainTrack(canary.map((t) => ({ ...t, percent: 50 }))).name).to.equal("stable");
    });
});
