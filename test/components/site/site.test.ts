import { expect } from "chai";
import { resolveSiteDataDefaults, resolveSiteDefaults, SiteArgs, SiteDataArgs } from "../../../components/site/site";

const args = (overrides: Partial<SiteArgs> = {}): SiteArgs => ({
    service: "checkout",
    image: "shop/checkout:1.4.2",
    port: 8080,
    healthCheckPath: "/healthz",
    minCapacity: 4,
    maxCapacity: 12,
    environment: "prod",
    ...overrides,
});

const data: SiteDataArgs = { engine: "postgres", replicationFactor: 3, backupSchedule: "0 3 * * *", backupRetentionDays: 14 };

describe("resolveSiteDefaults", () => {
    it("protects stateful resources in prod and not in dev unless asked", () => {
        expect(resolveSiteDefaults(args()).protectStateful).to.equal(true);
        expect(resolveSiteDefaults(args({ environment: "dev" })).protectStateful).to.equal(false);
        expect(resolveSiteDefaults(args({ environment: "dev", protectStateful: true })).protectStateful).to.equal(true);
        expect(resolveSiteDefaults(args({ protectStateful: false })).protectStateful).to.equal(false);
    });

    it("gives each copy 512 cpu units and 1024 MiB, no alert targets and no extra tags by default", () => {
        expect(resolveSiteDefaults(args())).to.deep.include({ cpu: 512, memoryMb: 1024, alertEmails: [], alertWebhooks: [], tags: {}, tracks: undefined });
    });

    it("keeps what is given, and gives release tracks their capacity floors", () => {
        const r = resolveSiteDefaults(
            args({
                role: "secondary",
                weight: 3,
                cpu: 1024,
                memoryMb: 2048,
                alertEmails: ["oncall@example.com"],
                tags: { team: "payments" },
                tracks: [
                    { name: "stable", image: "shop/checkout:1.4.2", percent: 90 },
                    { name: "canary", image: "shop/checkout:1.5.0", percent: 10 },
                ],
            }),
        );
        expect(r).to.deep.include({ service: "checkout", role: "secondary", weight: 3, minCapacity: 4, maxCapacity: 12, cpu: 1024, memoryMb: 2048, alertEmails: ["oncall@example.com"], tags: { team: "payments" } });
        expect(r.tracks?.map((t) => [t.name, t.minCapacity])).to.deep.equal([
            ["stable", 4],
            ["canary", 2],
        ]);
    });
});

describe("resolveSiteDataDefaults", () => {
    it("turns logical replication on only when asked (a change-data-capture source)", () => {
        expect(resolveSiteDataDefaults({ ...data, logicalReplication: true }, "dev").logicalReplication).to.equal(true);
        expect(resolveSiteDataDefaults(data, "prod").logicalReplication).to.equal(false);
    });

    it("sizes storage at 100 GB in prod and 20 GB in dev unless storageGb is given", () => {
        expect(resolveSiteDataDefaults(data, "prod")).to.deep.equal({ ...data, storageGb: 100, logicalReplication: false });
        expect(resolveSiteDataDefaults(data, "dev").storageGb).to.equal(20);
        expect(resolveSiteDataDefaults({ ...data, storageGb: 50 }, "prod").storageGb).to.equal(50);
    });
});
