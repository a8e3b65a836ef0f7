import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { validateVeleroScheduleArgs, VeleroSchedule, VeleroScheduleArgs, veleroTtl } from "../../../components/backup/velero";
import { runUnderMocks } from "../../harness";

const args: VeleroScheduleArgs = { schedule: "0 */6 * * *", retentionDays: 7, includedNamespaces: ["checkout"] };

describe("VeleroSchedule", () => {
    it("asks Velero for a Schedule of the namespaces on the cron, kept for the retention", async () => {
        const run = await runUnderMocks(() => new VeleroSchedule("checkout-backup", args));
        const schedule = run.one("kubernetes:velero.io/v1:Schedule");
        expect(schedule.inputs).to.deep.include({ apiVersion: "velero.io/v1", kind: "Schedule" });
        expect(schedule.inputs.metadata).to.deep.include({ name: "checkout-backup", namespace: "velero" });
        expect(schedule.inputs.spec).to.deep.equal({
            schedule: "0 */6 * * *",
            useOwnerReferencesInBackup: false,
            template: { ttl: "168h0m0s", includedNamespaces: ["checkout"], snapshotVolumes: true },
        });
    });

    it("sends backups to the storage location asked for, from a custom Velero namespace", async () => {
        const run = await runUnderMocks(() => new VeleroSchedule("b", { ...args, storageLocation: "europe-west4", veleroNamespace: "backup", snapshotVolumes: false }));
        const schedule = run.one("kubernetes:velero.io/v1:Schedule");
        expect((schedule.inputs.metadata as Record<string, unknown>).namespace).to.equal("backup");
        expect((schedule.inputs.spec as { template: unknown }).template).to.deep.equal({ ttl: "168h0m0s", includedNamespaces: ["checkout"], snapshotVolumes: false, storageLocation: "europe-west4" });
    });

    it("uses the provider given to the component", async () => {
        const run = await runUnderMocks(() => {
            const provider = new k8s.Provider("cluster", { context: "prod-eu" });
            new VeleroSchedule("b", args, { providers: [provider] });
        });
        const provider = run.one("pulumi:providers:kubernetes");
        expect(run.one("kubernetes:velero.io/v1:Schedule").provider).to.equal(`${provider.urn}::cluster-id`);
    });

    it("refuses invalid args", async () => {
        let error: unknown;
        try {
            await runUnderMocks(() => new VeleroSchedule("b", { ...args, schedule: "@daily" }));
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.contain('schedule: "@daily" is not a valid five-field cron expression');
    });
});

describe("veleroTtl", () => {
    it("turns days into Velero's hour duration", () => {
        expect([veleroTtl(1), veleroTtl(14), veleroTtl(35)]).to.deep.equal(["24h0m0s", "336h0m0s", "840h0m0s"]);
    });
});

describe("validateVeleroScheduleArgs", () => {
    it("names each bad arg with its value", () => {
        expect(validateVeleroScheduleArgs({ schedule: "0 3 * * *", retentionDays: 0, includedNamespaces: [] })).to.deep.equal([
            "retentionDays: 0 is not a whole number of days >= 1; keep backups at least one day",
            "includedNamespaces: is empty, so every backup would be empty; name the namespaces to back up",
        ]);
    });
});
