import { finding, Finding, graphRule } from "../graph/lib";
import { planOf } from "./lib";

/**
 * A standby that cannot take traffic is no standby: a pilot light (no running task) that nothing
 * scales out (contract C3), or a failover pair whose primary has no health check, so DNS never
 * moves clients away from it.
 */
export const standbyTakesNoTraffic = graphRule({
    name: "standby-takes-no-traffic",
    description: "A standby site must be able to take traffic when the primary is lost: running capacity or a scale-out that starts it, and a health check that moves DNS.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        for (const svc of planOf(graph).services) {
            if (svc.topology !== "active-passive") continue;
            const primaries = svc.sites.filter((s) => s.role === "primary");
            for (const site of svc.sites.filter((s) => s.role === "secondary")) {
                if (site.capacity !== 0 || site.scaleOut) continue;
                const compute = graph.byUrn.get(site.computeUrns[0] ?? "");
                if (!compute) continue;
                findings.push(
                    finding(
                        compute,
                        `${svc.name}'s standby ${site.key} runs no task (pilot light) and nothing in the program scales it out`,
                        `when ${primaries.map((p) => p.key).join(" and ") || "the primary"} is lost, the standby never takes traffic: the service is down until people start it by hand or the primary returns`,
                        `Add a function in ${site.region} allowed ecs:UpdateService (or application-autoscaling:RegisterScalableTarget) on this service, started by an EventBridge schedule or an alarm that survives the primary's region, that raises its desired count; keep its DNS record routable while it scales (a check the load balancer answers itself), or run at least one task (warm standby)`,
                    ),
                );
            }
            for (const p of primaries) {
                if (p.healthCheck || !p.recordUrn) continue;
                const record = graph.byUrn.get(p.recordUrn);
                if (!record) continue;
                findings.push(
                    finding(
                        record,
                        `${svc.name}'s primary ${p.key} has no health check`,
                        "DNS never learns that the primary is lost, so the standby never takes traffic",
                        "Give the primary failover record a healthCheckId (a Route 53 HTTPS health check of the site's stable track)",
                    ),
                );
            }
        }
        return findings;
    },
});
