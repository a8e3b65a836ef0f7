import { finding, Finding, graphRule } from "../graph/lib";
import { planOf } from "./lib";

/**
 * After a one-way data failover (a promotion, a CDC cut-over) the old primary's database is no
 * longer the writer, or never received the writes taken since. If DNS sends traffic back to the
 * old site as soon as its health check passes, writes fail there or land on stale data. The
 * failover automation must pin traffic to the new writer's site (contract C4) or the apps must
 * write through an endpoint that follows the writer.
 */
export const automaticFailback = graphRule({
    name: "automatic-failback-after-data-failover",
    description: "After a one-way data failover, traffic must not return automatically to a site whose database is no longer the writer.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        const seen = new Set<string>();
        for (const svc of planOf(graph).services) {
            for (const row of svc.whatIf) {
                for (const f of row.failback) {
                    const key = `${svc.name}|${f.site}`;
                    if (seen.has(key) || !f.recordUrn) continue;
                    seen.add(key);
                    const record = graph.byUrn.get(f.recordUrn);
                    if (!record) continue;
                    findings.push(
                        finding(
                            record,
                            `after ${row.label} is lost and ${svc.name}'s data fails over, ${f.site} comes back into DNS on its own`,
                            f.why,
                            "Pin traffic to the new writer's site after a data failover: let the failover automation invert or disable the old primary's health check (route53:UpdateHealthCheck) or flip a routing control, and document the manual return (nonstop:failback); or have every app write through the global writer endpoint",
                        ),
                    );
                }
            }
        }
        return findings;
    },
});
