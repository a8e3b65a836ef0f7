import { backupVaultLock } from "../../../../policies/rules/aws/backupVaultLock";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, unset } from "../support";
import { vaultLock } from "./factories";

const type = "aws:backup/vaultLockConfiguration:VaultLockConfiguration";
const subject = `${type} "vault-lock"`;
const check = checker(backupVaultLock, type, "vault-lock");

describe("backup-vault-lock", () => {
    it("Compliance: accepts a seven-day minimum retention", async () => {
        expectNone(await check(vaultLock()));
    });

    it("Noncompliance 1: reports a short minimum retention with the fix", async () => {
        expectOne(await check({ ...vaultLock(), minRetentionDays: 1 }), "backup-vault-lock", subject, "minRetentionDays is 1", "below the minimum of 7", "Set minRetentionDays: 7 or more");
    });

    it("Noncompliance 2: reports a lock without a minimum retention", async () => {
        expectOne(await check(unset(vaultLock(), "minRetentionDays")), "backup-vault-lock", subject, "minRetentionDays is not set");
    });

    it("Noncompliance 3: requires compliance mode when config asks for it (prod)", async () => {
        expectNone(await check(vaultLock(), { requireComplianceMode: true }));
        expectOne(await check(unset(vaultLock(), "changeableForDays"), { requireComplianceMode: true }), "backup-vault-lock", subject, "changeableForDays is not set (governance mode)", "Set changeableForDays");
    });

    it("Compliance: accepts governance mode by default", async () => {
        expectNone(await check(unset(vaultLock(), "changeableForDays")));
    });

    it("Unknown: does not judge values unknown at preview", async () => {
        expectNone(await check({ ...vaultLock(), minRetentionDays: UNKNOWN, changeableForDays: UNKNOWN }, { requireComplianceMode: true }));
    });
});
