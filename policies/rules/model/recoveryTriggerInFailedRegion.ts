import { finding, Finding, graphRule } from "../graph/lib";
import { planOf } from "./lib";

/**
 * The automation that recovers from a region's loss must not depend on that region: a promotion
 * (or cut-over) of the writer whose every trigger runs in the writer's region, or a standby's
 * scale-out started only from the primary's region, stops with the region it should recover.
 * Route 53 publishes health-check metrics only in us-east-1, so an alarm on them lives there.
 */
export const recoveryTriggerInFailedRegion = graphRule({
    name: "recovery-trigger-in-failed-region",
    description: "Recovery automation (a promotion, a cut-over, a pilot light's scale-out) must be started from outside the region it recovers from.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        const seen = new Set<string>();
        for (const svc of planOf(graph).services) {
            const primaryRegions = svc.sites.filter((s) => s.role === "primary").map((s) => `${s.cloud}/${s.region}`);
            const byFunction = new Map<string, typeof svc.automation>();
            for (const a of svc.automation) byFunction.set(a.function.urn, [...(byFunction.get(a.function.urn) ?? []), a]);
            for (const [urn, entries] of byFunction) {
                const first = entries[0];
                const recovers =
                    first.purpose === "scale-out" ? primaryRegions : first.target && first.target.cloud !== "unknown" ? [`${first.target.cloud}/${first.target.region}`] : [];
                if (recovers.length === 0) continue;
                const survivors = entries.filter((e) => !e.places.some((p) => recovers.includes(p)));
                if (survivors.length > 0 || seen.has(urn)) continue;
                seen.add(urn);
                const fn = graph.byUrn.get(urn);
                if (!fn) continue;
                const lostWith = [...new Set(entries.flatMap((e) => e.places.filter((p) => recovers.includes(p))))];
                findings.push(
                    finding(
                        fn,
                        `it ${first.purpose === "scale-out" ? `scales out ${first.target?.name ?? "a standby"}` : `starts the ${first.purpose} of ${first.target?.name ?? "the writer"}`}, but every trigger it has (${entries.map((e) => e.trigger).join("; ")}) runs in ${lostWith.join(", ")}, the region it recovers from`,
                        `when ${lostWith.join(" or ")} is lost, the ${first.purpose} does not start and people must run it by hand (15-60 min)${lostWith.includes("aws/us-east-1") ? "; Route 53 publishes health-check metrics in us-east-1 only, so alarms on them fail with it" : ""}`,
                        `Start it from another region: an EventBridge schedule (rate(1 minute)) in ${first.function.region === (first.target?.region ?? "") ? "a surviving region" : first.function.region} targeting the function, which probes the writer database itself and acts after consecutive failures`,
                    ),
                );
            }
        }
        return findings;
    },
});
