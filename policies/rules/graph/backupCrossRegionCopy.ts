import { GraphResource } from "../../lib/graph";
import { arnRegion, awsRegion, gcpRegion, Region, sameRegion, showRegion, zoneToRegion } from "../../lib/location";
import { isUnknown, list, read, str } from "../../lib/props";
import { resolve } from "../../lib/refs";
import { finding, Finding, graphRule, names, types } from "./lib";

/**
 * Backups kept only in the region they protect are lost with it: every AWS Backup plan rule must
 * copy its recovery points to a vault in another region, and Cloud SQL backups must not be pinned
 * to the instance's own region.
 */
export const backupCrossRegionCopy = graphRule({
    name: "backup-cross-region-copy",
    description: "Every backup plan rule must copy its recovery points to a vault in another region, and Cloud SQL backups must be stored outside the instance's region.",
    thresholds: {
        requireCrossRegion: {
            type: "boolean",
            default: true,
            description: "Whether every backup must be copied to (or stored in) another region; false turns the rule off (e.g. for throwaway dev stacks).",
        },
    },
    check: (graph, { requireCrossRegion }) => {
        if (!requireCrossRegion) return [];
        const findings: Finding[] = [];
        for (const plan of graph.ofType(types.backupPlan)) {
            const rules = list(plan.props, "rules");
            if (!rules) continue;
            const planRegion = awsRegion(plan);
            const vaults = resolve(graph, plan, "rules", [types.backupVault], { identity: ["arn", "name", "id"] }).targets;
            rules.forEach((rule, i) => {
                const ruleName = str(rule, "ruleName") ?? `rules[${i}]`;
                const copies = read(rule, "copyActions");
                if (isUnknown(copies) || isUnknown(rule)) return;
                if (!Array.isArray(copies) || copies.length === 0) {
                    findings.push(
                        finding(
                            plan,
                            `its rule "${ruleName}" has no copyActions: its recovery points stay in one vault in ${showRegion(planRegion)}`,
                            "a regional outage (or the loss of that vault) takes the data and every backup of it together",
                            `Add copyActions: [{ destinationVaultArn: <an aws.backup.Vault in another region>.arn, lifecycle: {...} }] to rule "${ruleName}" (the vault needs a provider for that region).`,
                        ),
                    );
                    return;
                }
                const targetName = str(rule, "targetVaultName");
                const sameRegionDestinations: string[] = [];
                let allSame = true;
                for (const copy of copies) {
                    const dest = read(copy, "destinationVaultArn");
                    let regions: Region[];
                    let label: string;
                    if (typeof dest === "string" && arnRegion(dest)) {
                        regions = [arnRegion(dest) as string];
                        label = dest;
                    } else if (isUnknown(dest) || isUnknown(copy)) {
                        // The destination is one of the vaults the rules came from, other than the rule's own vault.
                        const candidates = vaults.filter((v) => targetName === undefined || str(v.props, "name") !== targetName);
                        if (candidates.length === 0) {
                            allSame = false;
                            continue;
                        }
                        regions = candidates.map(awsRegion);
                        label = `aws:backup/vault:Vault ${names(candidates)}`;
                    } else {
                        allSame = false;
                        continue;
                    }
                    if (regions.every((r) => sameRegion(r, planRegion) === true)) sameRegionDestinations.push(label);
                    else allSame = false;
                }
                if (allSame && sameRegionDestinations.length > 0) {
                    findings.push(
                        finding(
                            plan,
                            `its rule "${ruleName}" copies recovery points only within ${showRegion(planRegion)} (to ${sameRegionDestinations.join(", ")})`,
                            "a regional outage takes the data and every copy of its backups together",
                            `Point copyActions[].destinationVaultArn of rule "${ruleName}" at an aws.backup.Vault created with a provider for another region.`,
                        ),
                    );
                }
            });
        }
        for (const db of graph.ofType(types.gcpSql)) findings.push(...cloudSqlBackupLocation(db));
        return findings;
    },
});

function cloudSqlBackupLocation(db: GraphResource): Finding[] {
    const replica = read(db.props, "masterInstanceName");
    if (replica !== undefined && replica !== null && replica !== "") return [];
    const location = str(db.props, "settings.backupConfiguration.location");
    // Unset: Cloud SQL stores backups in the multi-region nearest the instance, outside its region.
    if (location === undefined || !/^[a-z]+-[a-z]+\d+$/i.test(location)) return [];
    const region = gcpRegion(db);
    if (sameRegion(zoneToRegion(location), region) !== true) return [];
    return [
        finding(
            db,
            `settings.backupConfiguration.location is "${location}", the instance's own region`,
            "a regional outage takes the database and all its backups together",
            'Set settings.backupConfiguration.location to another region or a multi-region ("us", "eu", "asia"), or leave it unset for the nearest multi-region.',
        ),
    ];
}
