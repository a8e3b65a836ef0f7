import { finding, Finding, graphRule } from "../graph/lib";
import { planOf } from "./lib";

/**
 * An app whose database connection is built only from a read-only replica or from the target of
 * change data capture cannot write (contract C1): its writes fail, or land on a copy the writer
 * never hears of. Found in the env-bearing property of the site's compute (a task definition's
 * containerDefinitions, a Cloud Run template, a Deployment spec) through its property dependencies.
 */
export const writesToReadOnlyDatabase = graphRule({
    name: "writes-to-read-only-database",
    description: "An app's database writes must go to a writer-capable endpoint, not to a read-only replica or a change-data-capture target.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        for (const svc of planOf(graph).services) {
            for (const site of svc.sites) {
                // A site read-only by design (writes routed to another site) is not this defect.
                if (site.wiring.canWrite !== false) continue;
                const holder = graph.byUrn.get(site.wiring.holders[0] ?? "") ?? graph.byUrn.get(site.wiring.targets[0]?.urn ?? "");
                if (!holder) continue;
                const serving = site.share > 0;
                findings.push(
                    finding(
                        holder,
                        `the app of ${svc.name}'s site ${site.key} connects only to ${site.wiring.why?.replace(/^its database hosts? (is|are) /, "") ?? "a read-only database"}`,
                        serving
                            ? `${Math.round(site.share * 100)} % of ${svc.name}'s writes go through this site and fail (or never reach the writer) with nothing lost at all`
                            : `when ${svc.name} fails over to ${site.key}, its writes fail until that very copy is promoted or cut over (by hand unless automated), and keep failing if another copy becomes the writer`,
                        "Build DATABASE_WRITER_HOST from a writer-capable endpoint: the global writer endpoint of an Aurora global database (it follows a promotion), a write-forwarding secondary (enableGlobalWriteForwarding), or a DNS record the failover automation moves; keep the replica as DATABASE_READER_HOST",
                    ),
                );
            }
        }
        return findings;
    },
});
