import { cloudDnsRecordSet, DnsRecord, dnsRecords, mayGainRecords, recordTargets, unplacedRecords } from "../../lib/dns";
import { Graph } from "../../lib/graph";
import { isUnknown, list, num, read } from "../../lib/props";
import { finding, Finding, graphRule, groupBy, names } from "./lib";
import { isHealthChecked } from "./failoverRecordPair";

/**
 * Weighted routing spreads clients over targets and, with health checks, stops sending them to a
 * failed one. With fewer than two health-checked targets that carry weight, it cannot.
 */
export const weightedRecordRedundancy = graphRule({
    name: "weighted-record-redundancy",
    description: "A weighted DNS name must have at least two distinct health-checked targets with a weight above zero.",
    thresholds: {
        minHealthCheckedTargets: { type: "integer", minimum: 1, default: 2, description: "Fewest distinct targets with weight > 0 and a health check a weighted name must have." },
    },
    check: (graph, { minHealthCheckedTargets }) => {
        const findings: Finding[] = [];
        const records = dnsRecords(graph).filter((rec) => rec.service === "route53");
        const weighted = records.filter((rec) => (list(rec.resource.props, "weightedRoutingPolicies")?.length ?? 0) > 0);
        // A record whose name, zone or routing is unknown could be one more target of any name.
        const unplaced = unplacedRecords(graph);
        const unknownRouting = records.some((rec) => isUnknown(read(rec.resource.props, "weightedRoutingPolicies")));
        // A record whose type is unknown may belong to any set of its name.
        const untyped = new Set(records.filter((rec) => rec.recordType === undefined).map((rec) => rec.key));
        for (const [, group] of groupBy(weighted, (rec) => (untyped.has(rec.key) ? undefined : `${rec.key}|${rec.recordType}`))) {
            const undecided = unknownRouting || mayGainRecords(unplaced, group);
            // Targets that may carry traffic under health checks (an unknown weight or check may).
            const usable = new Set<string>();
            const zero: DnsRecord[] = [];
            const unchecked: DnsRecord[] = [];
            let passed = 0;
            for (const rec of group) {
                const w = weightOf(rec);
                const hc = isHealthChecked(rec.resource);
                if (w === 0) zero.push(rec);
                if (hc === false) unchecked.push(rec);
                if (w === 0 || hc === false) continue;
                passed++;
                usable.add(targetKey(graph, rec));
            }
            if (undecided || usable.size >= minHealthCheckedTargets) continue;
            const why = [
                zero.length ? `weight 0: ${names(zero.map((z) => z.resource))}` : "",
                unchecked.length ? `no health check: ${names(unchecked.map((u) => u.resource))}` : "",
                passed > usable.size ? "several records point at the same target" : "",
            ].filter((x) => x !== "");
            findings.push(
                finding(
                    group[0].resource,
                    `the weighted name "${group[0].name}" (${group[0].recordType ?? "unknown type"}) has ${usable.size} distinct health-checked target${usable.size === 1 ? "" : "s"} with weight above 0, fewer than ${minHealthCheckedTargets}${why.length ? ` (${why.join("; ")})` : ""}`,
                    "when that target fails, Route 53 has no healthy alternative to shift clients to",
                    `Give "${group[0].name}" at least ${minHealthCheckedTargets} weighted records with weight > 0, each with its own health check, pointing at different sites.`,
                ),
            );
        }
        // Cloud DNS weighted round robin.
        for (const rs of graph.ofType(cloudDnsRecordSet)) {
            const wrrs = read(rs.props, "routingPolicy.wrrs");
            if (!Array.isArray(wrrs) || wrrs.length === 0) continue;
            const policyCheck = read(rs.props, "routingPolicy.healthCheck");
            let usable = 0;
            for (const entry of wrrs) {
                if (isUnknown(entry)) {
                    usable++;
                    continue;
                }
                const w = num(entry, "weight");
                const targets = read(entry, "healthCheckedTargets");
                const checked = targets !== undefined && targets !== null ? true : isUnknown(policyCheck) ? undefined : policyCheck !== undefined && policyCheck !== null && policyCheck !== "";
                if (w === 0 || checked === false) continue;
                usable++;
            }
            if (usable >= minHealthCheckedTargets) continue;
            findings.push(
                finding(
                    rs,
                    `its routingPolicy.wrrs has ${usable} health-checked entr${usable === 1 ? "y" : "ies"} with weight above 0, fewer than ${minHealthCheckedTargets}`,
                    "when that target fails, Cloud DNS has no healthy alternative to answer with",
                    `Give routingPolicy.wrrs at least ${minHealthCheckedTargets} entries with weight > 0 for different sites, each with healthCheckedTargets (internal load balancers) or a routingPolicy.healthCheck (external endpoints).`,
                ),
            );
        }
        return findings;
    },
});

function weightOf(rec: DnsRecord): number | undefined {
    const policies = list(rec.resource.props, "weightedRoutingPolicies");
    return policies && policies.length > 0 ? num(policies[0], "weight") : undefined;
}

/** Records pointing at the same resources are one target, not two. */
function targetKey(graph: Graph, rec: DnsRecord): string {
    const t = recordTargets(graph, rec.resource);
    return t.complete ? t.targets.map((x) => x.urn).sort().join(",") : rec.resource.urn;
}
