import { DnsRecord, dnsRecords, publicNames, recordTargets, unplacedRecords } from "../../lib/dns";
import { Graph, GraphResource } from "../../lib/graph";
import { Place } from "../../lib/location";
import { isUnknown } from "../../lib/props";
import { finding, Finding, graphRule, names } from "./lib";

/** A public DNS name whose every answer's destination is known. */
export interface ResolvedName {
    readonly name: string;
    readonly records: readonly DnsRecord[];
    readonly targets: readonly GraphResource[];
    readonly places: readonly Place[];
}

/** Public names (A/AAAA/CNAME) whose records all resolve to resources of the stack. */
export function resolvedNames(graph: Graph): ResolvedName[] {
    const out: ResolvedName[] = [];
    // A record whose name or zone is not known could add an answer to any name of its zone.
    const unplaced = unplacedRecords(graph);
    const untyped = new Set(dnsRecords(graph).filter((r) => r.recordType === undefined).map((r) => r.key));
    for (const [name, records] of publicNames(graph)) {
        if (untyped.has(name) || unplaced.some((u) => u.zone === undefined || records.some((r) => r.zone === u.zone))) continue;
        const targets: GraphResource[] = [];
        const places: Place[] = [];
        let complete = true;
        for (const rec of records) {
            const t = recordTargets(graph, rec.resource);
            if (!t.complete) complete = false;
            targets.push(...t.targets);
            places.push(...t.places);
        }
        if (complete && places.length > 0) out.push({ name: records[0].name, records, targets: [...new Set(targets)], places });
    }
    return out;
}

/** `records "a" and "b" point at aws:lb/loadBalancer:LoadBalancer "web"` */
export function pointing(n: ResolvedName): string {
    const byType = new Map<string, GraphResource[]>();
    for (const t of n.targets) byType.set(t.type, [...(byType.get(t.type) ?? []), t]);
    const targets = [...byType.entries()].map(([type, rs]) => `${type} ${names(rs)}`).join(", ");
    return `record${n.records.length === 1 ? "" : "s"} ${names(n.records.map((r) => r.resource))} point${n.records.length === 1 ? "s" : ""} at ${targets}`;
}

/**
 * A public DNS name is the last thing between clients and a regional outage: if every answer
 * it can give lives in one region, no health check or failover policy can route around it.
 */
export const dnsSingleRegion = graphRule({
    name: "dns-single-region",
    description: "A public DNS name must be able to answer with endpoints in more than one region.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        for (const n of resolvedNames(graph)) {
            if (n.places.some((p) => p.global || isUnknown(p.region))) continue;
            const regions = new Set(n.places.map((p) => p.region));
            if (regions.size !== 1) continue;
            findings.push(
                finding(
                    n.records[0].resource,
                    `the DNS name "${n.name}" answers only with endpoints in ${n.places[0].label} (${pointing(n)})`,
                    "an outage of that one region takes the name down, and there is nowhere to fail over to",
                    `Add a record for "${n.name}" that points at a deployment in another region (a failover SECONDARY, or weighted/latency records), each with a health check.`,
                ),
            );
        }
        return findings;
    },
});
