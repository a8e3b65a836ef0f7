import { finding, Finding, graphRule } from "./lib";
import { pointing, resolvedNames } from "./dnsSingleRegion";

/**
 * Where a service must survive the loss of a whole cloud provider (requireMultiCloud), each
 * public DNS name must be able to answer with endpoints in more than one cloud.
 */
export const dnsSingleCloud = graphRule({
    name: "dns-single-cloud",
    description: "Where multi-cloud is required, a public DNS name must be able to answer with endpoints in more than one cloud.",
    thresholds: {
        requireMultiCloud: {
            type: "boolean",
            default: false,
            description: "Whether every public DNS name must answer with endpoints in at least two clouds (a Kubernetes cluster whose cloud is not shown counts as its own).",
        },
    },
    check: (graph, { requireMultiCloud }) => {
        if (!requireMultiCloud) return [];
        const findings: Finding[] = [];
        for (const n of resolvedNames(graph)) {
            const clouds = new Set(n.places.map((p) => p.cloud));
            if (clouds.size !== 1) continue;
            const cloud = n.places[0].cloud;
            const where = cloud.startsWith("kubernetes:") ? n.places[0].label : cloud;
            findings.push(
                finding(
                    n.records[0].resource,
                    `the DNS name "${n.name}" answers only with endpoints in ${where} (${pointing(n)})`,
                    "an outage or account lockout at that one provider takes the name down, and this stack is required to survive one",
                    `Add a record for "${n.name}" that points at a deployment in another cloud (e.g. a failover SECONDARY or a weighted record), with a health check.`,
                ),
            );
        }
        return findings;
    },
});
