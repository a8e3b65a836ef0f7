import { expect } from "chai";
import { auroraZoneIndexes, databaseLayout, databaseName, MAX_AURORA_INSTANCES } from "../../../../components/site/aws/database";

describe("databaseLayout", () => {
    const layout = (replicationFactor: number, azCount = 3, global = false, joinsGlobal = false) => databaseLayout({ replicationFactor, azCount, global, joinsGlobal });

    it("maps replication factor 1 to a single-AZ RDS instance", () => {
        expect(layout(1)).to.deep.equal({ kind: "instance", multiAz: false });
    });

    it("maps replication factor 2 to a Multi-AZ RDS instance", () => {
        expect(layout(2)).to.deep.equal({ kind: "instance", multiAz: true });
    });

    it("maps replication factor 3 and more to Aurora with one instance per copy, each in its own zone", () => {
        expect(layout(3)).to.deep.equal({ kind: "aurora", role: "primary", instanceZones: [0, 1, 2] });
        expect(layout(5, 6)).to.deep.equal({ kind: "aurora", role: "primary", instanceZones: [0, 1, 2, 3, 4] });
    });

    it("spreads more copies than zones round-robin", () => {
        expect(layout(4, 3)).to.deep.equal({ kind: "aurora", role: "primary", instanceZones: [0, 1, 2, 0] });
        expect(auroraZoneIndexes(7, 2)).to.deep.equal([0, 1, 0, 1, 0, 1, 0]);
    });

    it("uses Aurora at any factor for a global primary or a global secondary", () => {
        expect(layout(1, 3, true)).to.deep.equal({ kind: "aurora", role: "global-primary", instanceZones: [0] });
        expect(layout(2, 3, false, true)).to.deep.equal({ kind: "aurora", role: "global-secondary", instanceZones: [0, 1] });
    });

    it(`refuses factors outside 1..${MAX_AURORA_INSTANCES}`, () => {
        expect(() => layout(0)).to.throw(/replicationFactor: 0/);
        expect(() => layout(16)).to.throw(/replicationFactor: 16 .*1 to 15/);
        expect(() => layout(2.5)).to.throw(/replicationFactor: 2.5/);
    });
});

describe("databaseName", () => {
    it("turns a service name into a name both engines accept", () => {
        expect(databaseName("check-out")).to.equal("check_out");
    });
});
