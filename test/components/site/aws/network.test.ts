import { expect } from "chai";
import { subnetCidrs } from "../../../../components/site/aws/network";

describe("subnetCidrs", () => {
    it("gives each zone a private /19 and a public /21 that never overlap", () => {
        const all = [0, 1, 2, 3, 4, 5].map((i) => subnetCidrs("10.20.0.0/16", i));
        expect(all[0]).to.deep.equal({ private: "10.20.0.0/19", public: "10.20.192.0/21" });
        expect(all[5]).to.deep.equal({ private: "10.20.160.0/19", public: "10.20.232.0/21" });
        const ranges = all.flatMap((c) => [c.private, c.public]).map((cidr) => {
            const [ip, bits] = cidr.split("/");
            const third = Number(ip.split(".")[2]);
            return [third, third + 2 ** (24 - Number(bits))] as const;
        });
        for (const [i, a] of ranges.entries()) {
            for (const b of ranges.slice(i + 1)) expect(a[1] <= b[0] || b[1] <= a[0], `${a} overlaps ${b}`).to.equal(true);
        }
    });

    it("refuses a range that is not a /16 and a zone index beyond six zones", () => {
        expect(() => subnetCidrs("10.0.0.0/20", 0)).to.throw(/vpcCidr: "10.0.0.0\/20" is not a \/16/);
        expect(() => subnetCidrs("10.0.0.0/16", 6)).to.throw(/outside 0..5/);
    });
});
