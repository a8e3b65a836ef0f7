import { expect } from "chai";
import { trackMinCapacity } from "../../../../components/site/tracks";

describe("trackMinCapacity", () => {
    it("keeps a track with all the requests, or none (the idle blue-green colour), at the site's floor", () => {
        expect(trackMinCapacity(4, 100)).to.equal(4);
        expect(trackMinCapacity(4, 0)).to.equal(4);
    });

    it("gives a track with a share of the requests its share of the floor, rounded up", () => {
        expect(trackMinCapacity(4, 90)).to.equal(4);
        expect(trackMinCapacity(10, 50)).to.equal(5);
    });

    it("never runs a track that serves traffic on a single task when the site's floor allows two", () => {
        expect(trackMinCapacity(4, 5)).to.equal(2);
        expect(trackMinCapacity(3, 10)).to.equal(2);
    });

    it("keeps a one-task site's canary at one task (the floor itself is the limit)", () => {
        expect(trackMinCapacity(1, 10)).to.equal(1);
    });

    it("runs nothing in a pilot light", () => {
        expect(trackMinCapacity(0, 10)).to.equal(0);
        expect(trackMinCapacity(0, 0)).to.equal(0);
    });
});
