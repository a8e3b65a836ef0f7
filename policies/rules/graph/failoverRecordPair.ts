import { cloudDnsRecordSet, DnsRecord, dnsRecords, mayGainRecords, recordTargets, route53Record, unplacedRecords } from "../../lib/dns";
import { GraphResource } from "../../lib/graph";
import { isUnknown, list, read, str } from "../../lib/props";
import { andList, finding, Finding, graphRule, groupBy, names } from "./lib";

/** True when a Route 53 record is health-checked: a health check id (known or not), or an alias that evaluates its target's health. */
export function isHealthChecked(record: GraphResource): boolean | undefined {
    const hc = read(record.props, "healthCheckId");
    if (isUnknown(hc)) return true;
    if (typeof hc === "string" && hc !== "") return true;
    const aliases = read(record.props, "aliases");
    if (isUnknown(aliases)) return undefined;
    if (Array.isArray(aliases)) {
        for (const a of aliases) {
            const e = read(a, "evaluateTargetHealth");
            if (e === true) return true;
            if (isUnknown(e) || isUnknown(a)) return undefined;
        }
    }
    return false;
}

/**
 * Failover routing only fails over when there is somewhere to fail over to: a name needs both a
 * PRIMARY and a SECONDARY record. (That each is health-checked is the resource rule
 * route53-failover-record-health-check.)
 */
export const failoverRecordPair = graphRule({
    name: "failover-record-pair",
    description: "Failover DNS records must come in pairs: every failover name needs both a PRIMARY and a SECONDARY record.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        const records = dnsRecords(graph).filter((rec) => rec.service === "route53");
        const failover = records.filter((rec) => (list(rec.resource.props, "failoverRoutingPolicies")?.length ?? 0) > 0);
        // A record whose name, zone or routing is unknown could be the missing half of any pair.
        const unplaced = unplacedRecords(graph);
        const unknownRouting = records.some((rec) => isUnknown(read(rec.resource.props, "failoverRoutingPolicies")));
        // A record whose type is unknown may belong to any set of its name.
        const untyped = new Set(records.filter((rec) => rec.recordType === undefined).map((rec) => rec.key));
        for (const [, group] of groupBy(failover, (rec) => (untyped.has(rec.key) ? undefined : `${rec.key}|${rec.recordType}`))) {
            const undecided = unknownRouting || mayGainRecords(unplaced, group);
            const roles = group.map((rec) => failoverRole(rec));
            if (!undecided && roles.every((r) => r !== undefined)) {
                const missing = ["PRIMARY", "SECONDARY"].filter((role) => !roles.includes(role));
                if (missing.length > 0) {
                    const present = [...new Set(roles)].join(" and ");
                    findings.push(
                        finding(
                            group[0].resource,
                            `the failover records of "${group[0].name}" (${group[0].recordType ?? "unknown type"}: ${names(group.map((g) => g.resource))}) are ${present} only, with no ${andList(missing)}`,
                            missing.includes("SECONDARY") ? "when the primary fails Route 53 has nothing to answer with" : "without a PRIMARY, Route 53 answers with the SECONDARY only and never returns to a primary site",
                            `Add an aws.route53.Record for the same zone, name and type with failoverRoutingPolicies: [{ type: "${missing[0]}" }], its own setIdentifier and a health check, pointing at the ${missing[0] === "SECONDARY" ? "standby" : "active"} site.`,
                        ),
                    );
                }
            }
            // A SECONDARY that answers with the very endpoint of the PRIMARY fails with it.
            const primaries = group.filter((rec) => failoverRole(rec) === "PRIMARY");
            const secondaries = group.filter((rec) => failoverRole(rec) === "SECONDARY");
            if (primaries.length === 1 && secondaries.length === 1) {
                const p = recordTargets(graph, primaries[0].resource);
                const s = recordTargets(graph, secondaries[0].resource);
                const key = (t: typeof p) => t.targets.map((x) => x.urn).sort().join(",");
                if (p.complete && s.complete && key(p) === key(s)) {
                    findings.push(
                        finding(
                            secondaries[0].resource,
                            `the SECONDARY record of "${secondaries[0].name}" answers with the same endpoint as the PRIMARY ("${primaries[0].resource.name}"): ${names(p.targets.map((x) => x))}`,
                            "failing over changes nothing: when that endpoint is down, both answers are",
                            "Point the SECONDARY record at the standby site's own endpoint (its load balancer or address).",
                        ),
                    );
                }
            }
        }
        // Cloud DNS primary/backup routing: the backup must exist.
        for (const rs of graph.ofType(cloudDnsRecordSet)) {
            const pb = read(rs.props, "routingPolicy.primaryBackup");
            if (pb === undefined || pb === null || isUnknown(pb)) continue;
            const backups = read(pb, "backupGeos");
            const primary = read(pb, "primary");
            const noBackup = backups === undefined || backups === null || (Array.isArray(backups) && backups.length === 0);
            const noPrimary = primary === undefined || primary === null;
            if (noBackup || noPrimary) {
                const missing = [noPrimary ? "primary" : "", noBackup ? "backupGeos" : ""].filter((x) => x !== "");
                findings.push(
                    finding(
                        rs,
                        `its routingPolicy.primaryBackup has no ${andList(missing)}`,
                        "the name has nowhere to fail over to when the primary targets are unhealthy",
                        "Set routingPolicy.primaryBackup.primary (health-checked load balancers of the active site) and backupGeos (the standby site's addresses).",
                    ),
                );
            }
        }
        return findings;
    },
});

function failoverRole(rec: DnsRecord): string | undefined {
    if (rec.resource.type !== route53Record) return undefined;
    const policies = list(rec.resource.props, "failoverRoutingPolicies");
    const type = policies && policies.length > 0 ? str(policies[0], "type") : undefined;
    return type?.toUpperCase();
}
