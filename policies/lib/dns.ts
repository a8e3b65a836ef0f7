// DNS names as the resource graph shows them: Route 53 records and Cloud DNS record sets grouped
// by the name they answer for, and the resources each record sends clients to.
import { Graph, GraphResource } from "./graph";
import { Place, placeOf } from "./location";
import { isUnknown, list, read, str } from "./props";
import { dependencyUrns, resolve } from "./refs";

export const route53Record = "aws:route53/record:Record";
export const route53Zone = "aws:route53/zone:Zone";
export const route53HealthCheck = "aws:route53/healthCheck:HealthCheck";
export const cloudDnsRecordSet = "gcp:dns/recordSet:RecordSet";
export const cloudDnsZone = "gcp:dns/managedZone:ManagedZone";

/** Resources a DNS record can send clients to, and the props that hold their address. */
export const endpointTypes: readonly string[] = [
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:alb/loadBalancer:LoadBalancer",
    "aws:elb/loadBalancer:LoadBalancer",
    "aws:ec2/eip:Eip",
    "aws:ec2/instance:Instance",
    "aws:ec2/networkInterface:NetworkInterface",
    "aws:apigateway/domainName:DomainName",
    "aws:apigatewayv2/domainName:DomainName",
    "aws:cloudfront/distribution:Distribution",
    "aws:globalaccelerator/accelerator:Accelerator",
    "aws:elasticbeanstalk/environment:Environment",
    "aws:apprunner/service:Service",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration",
    "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2",
    "gcp:compute/address:Address",
    "gcp:compute/globalAddress:GlobalAddress",
    "gcp:compute/forwardingRule:ForwardingRule",
    "gcp:compute/globalForwardingRule:GlobalForwardingRule",
    "gcp:compute/instance:Instance",
    "gcp:cloudrun/domainMapping:DomainMapping",
    "gcp:cloudrunv2/service:Service",
    "kubernetes:core/v1:Service",
    "kubernetes:networking.k8s.io/v1:Ingress",
    "kubernetes:networking.k8s.io/v1beta1:Ingress",
    "kubernetes:extensions/v1beta1:Ingress",
    "kubernetes:gateway.networking.k8s.io/v1:Gateway",
];

const endpointIdentity = ["dnsName", "publicIp", "publicDns", "address", "ipAddress", "domainName", "cloudfrontDomainName", "regionalDomainName", "targetDomainName", "uri", "cname", "endpointUrl", "serviceUrl", "websiteEndpoint"];

export interface DnsRecord {
    readonly resource: GraphResource;
    readonly service: "route53" | "clouddns";
    /** The zone: its URN, or `zone:<id>` for a zone outside the stack. */
    readonly zone: string;
    /** The name it answers for: the FQDN when known, else `<zone>|<name>`. */
    readonly key: string;
    /** The name for messages. */
    readonly name: string;
    /** A, AAAA, CNAME, ...; undefined when not known. */
    readonly recordType?: string;
    /** True in a private hosted zone / private managed zone; undefined when not known (zones outside the stack count as public). */
    readonly privateZone?: boolean;
}

function normalize(name: string): string {
    return name.trim().toLowerCase().replace(/\.$/, "");
}

/** Every DNS record of the stack whose name (and zone) can be told. */
export function dnsRecords(graph: Graph): DnsRecord[] {
    const out: DnsRecord[] = [];
    for (const r of graph.ofType(route53Record)) {
        const rawName = str(r.props, "name");
        if (rawName === undefined || rawName === "") continue;
        const name = normalize(rawName);
        const zoneRef = resolve(graph, r, "zoneId", [route53Zone], { identity: ["zoneId", "id"] });
        const zone = zoneRef.targets.length === 1 ? zoneRef.targets[0] : undefined;
        const zoneName = zone ? str(zone.props, "name") : undefined;
        let key: string | undefined;
        if (zoneName) {
            const z = normalize(zoneName);
            key = name === z || name.endsWith(`.${z}`) ? name : `${name}.${z}`;
        } else if (zone) key = `${zone.urn}|${name}`;
        else if (zoneRef.external.length === 1) key = `zone:${zoneRef.external[0]}|${name}`;
        if (key === undefined) continue;
        const vpcs = zone ? read(zone.props, "vpcs") : undefined;
        // A zone outside the stack (a zone id from a lookup) is taken as public: names clients resolve live there.
        const privateZone = zone === undefined ? false : isUnknown(vpcs) || isUnknown(zone.props) ? undefined : Array.isArray(vpcs) && vpcs.length > 0;
        out.push({ resource: r, service: "route53", zone: zone ? zone.urn : `zone:${zoneRef.external[0]}`, key, name: key.includes("|") ? name : key, recordType: str(r.props, "type")?.toUpperCase(), privateZone });
    }
    for (const r of graph.ofType(cloudDnsRecordSet)) {
        const rawName = str(r.props, "name");
        if (rawName === undefined || rawName === "") continue;
        const key = normalize(rawName);
        const zoneRef = resolve(graph, r, "managedZone", [cloudDnsZone], { identity: ["name", "id"] });
        const zone = zoneRef.targets.length === 1 ? zoneRef.targets[0] : undefined;
        const zoneKey = zone ? zone.urn : zoneRef.external.length === 1 ? `zone:${zoneRef.external[0]}` : "zone:?";
        const visibility = zone ? read(zone.props, "visibility") : undefined;
        const privateZone = zone === undefined ? false : isUnknown(visibility) ? undefined : visibility === "private";
        out.push({ resource: r, service: "clouddns", zone: zoneKey, key, name: key, recordType: str(r.props, "type")?.toUpperCase(), privateZone });
    }
    return out;
}

/** Where a record's name comes only from certificate validation (ACM, Certificate Manager DNS authorization). */
const validationSources = new Set(["aws:acm/certificate:Certificate", "gcp:certificatemanager/dnsAuthorization:DnsAuthorization"]);

/** True for a certificate-validation record: its name (`_<token>.<domain>`) is never a service's name. */
export function isValidationRecord(graph: Graph, r: GraphResource): boolean {
    const sources = dependencyUrns(r, "name").map((u) => graph.byUrn.get(u)?.type);
    return sources.length > 0 && sources.every((t) => t !== undefined && validationSources.has(t));
}

/** A record whose name (or zone) is not known, and the zone it is in when that is known. */
export interface UnplacedRecord {
    readonly resource: GraphResource;
    /** Zone key as in DnsRecord.zone; undefined when the zone is not known either. */
    readonly zone?: string;
}

/**
 * Records whose name or zone is not known (certificate-validation records aside): any of them
 * could belong to any name of its zone, so a rule must not conclude that such a name lacks a
 * record while one of these may be it.
 */
export function unplacedRecords(graph: Graph): UnplacedRecord[] {
    const placed = new Set(dnsRecords(graph).map((r) => r.resource.urn));
    const out: UnplacedRecord[] = [];
    for (const r of graph.ofType(route53Record, cloudDnsRecordSet)) {
        if (placed.has(r.urn) || str(r.props, "name") === "" || isValidationRecord(graph, r)) continue;
        const zoneRef = r.type === route53Record ? resolve(graph, r, "zoneId", [route53Zone], { identity: ["zoneId", "id"] }) : resolve(graph, r, "managedZone", [cloudDnsZone], { identity: ["name", "id"] });
        const zone = zoneRef.targets.length === 1 && !zoneRef.open ? zoneRef.targets[0].urn : zoneRef.targets.length === 0 && zoneRef.external.length === 1 && !zoneRef.open ? `zone:${zoneRef.external[0]}` : undefined;
        out.push({ resource: r, zone });
    }
    return out;
}

/** True when one of the unplaced records may belong to a name whose records are `records`. */
export function mayGainRecords(unplaced: readonly UnplacedRecord[], records: readonly DnsRecord[]): boolean {
    return unplaced.some((u) => u.resource.type === records[0]?.resource.type && (u.zone === undefined || records.some((r) => r.zone === u.zone)));
}

/** Resources that forward requests to a DNS name they are given: a GCP load balancer's internet network endpoint. */
const backendAddressUsers = ["gcp:compute/globalNetworkEndpoint:GlobalNetworkEndpoint"];

/**
 * Route 53 records whose name a load balancer forwards requests to (an internet NEG endpoint built
 * from the record): a hop between sites - the name a read-only site sends its writes to - not a
 * name clients resolve.
 */
export function backendRouteRecords(graph: Graph): Set<string> {
    const out = new Set<string>();
    for (const user of graph.ofType(...backendAddressUsers)) {
        for (const urn of dependencyUrns(user, "fqdn")) if (graph.byUrn.get(urn)?.type === route53Record) out.add(urn);
    }
    return out;
}

/**
 * Records whose answers send clients somewhere (A, AAAA, CNAME) in public zones, grouped by name.
 * A name only load balancers forward to (backendRouteRecords) is not one of them.
 */
export function publicNames(graph: Graph): Map<string, DnsRecord[]> {
    const out = new Map<string, DnsRecord[]>();
    for (const rec of dnsRecords(graph)) {
        if (rec.privateZone !== false) continue;
        if (rec.recordType === undefined || !["A", "AAAA", "CNAME"].includes(rec.recordType)) continue;
        const group = out.get(rec.key) ?? [];
        group.push(rec);
        out.set(rec.key, group);
    }
    const routes = backendRouteRecords(graph);
    if (routes.size > 0) for (const [name, records] of out) if (records.every((r) => routes.has(r.resource.urn))) out.delete(name);
    return out;
}

/** Where a record sends clients. `complete` is false when some answer's destination cannot be told. */
export interface RecordTargets {
    readonly targets: readonly GraphResource[];
    readonly places: readonly Place[];
    readonly complete: boolean;
}

/** The resources a DNS record answers with (through aliases, values, and failing those its health check). */
export function recordTargets(graph: Graph, record: GraphResource, depth = 0): RecordTargets {
    const props = record.type === cloudDnsRecordSet ? ["rrdatas", "routingPolicy"] : ["aliases", "records"];
    const targets = new Map<string, GraphResource>();
    let complete = true;
    let any = false;
    for (const prop of props) {
        const value = read(record.props, prop);
        if (value === undefined || value === null) continue;
        any = true;
        const ref = resolve(graph, record, prop, [...endpointTypes, route53Record, cloudDnsRecordSet], { identity: [...endpointIdentity, "name", "fqdn"] });
        if (ref.open || ref.external.length > 0) complete = false;
        if (ref.targets.length === 0) complete = false;
        for (const t of ref.targets) targets.set(t.urn, t);
    }
    if (!any) complete = false;
    if (targets.size === 0 && !complete && record.type === route53Record && !isLiteralOnly(record)) {
        // Only the health check shows where the record's answers live.
        const hc = resolve(graph, record, "healthCheckId", [route53HealthCheck], { identity: ["id"] }).targets;
        if (hc.length === 1) {
            const via = resolve(graph, hc[0], "fqdn", endpointTypes, { identity: endpointIdentity });
            const viaIp = resolve(graph, hc[0], "ipAddress", endpointTypes, { identity: endpointIdentity });
            const found = [...via.targets, ...viaIp.targets];
            if (found.length > 0 && !via.open && !viaIp.open) {
                for (const t of found) targets.set(t.urn, t);
                complete = true;
            }
        }
    }
    // An alias to another record answers with that record's targets.
    const resolved: GraphResource[] = [];
    const places: Place[] = [];
    for (const t of targets.values()) {
        if (t.type === route53Record || t.type === cloudDnsRecordSet) {
            if (depth >= 3) {
                complete = false;
                continue;
            }
            const inner = recordTargets(graph, t, depth + 1);
            if (!inner.complete) complete = false;
            resolved.push(...inner.targets);
            places.push(...inner.places);
            continue;
        }
        resolved.push(t);
        places.push(placeOf(graph, t));
    }
    return { targets: resolved, places, complete: complete && resolved.length > 0 };
}

/** True when a record's answers are literal values only (known strings): nothing in the stack. */
function isLiteralOnly(record: GraphResource): boolean {
    const records = list(record.props, "records");
    return records !== undefined && records.length > 0 && records.every((v) => typeof v === "string") && read(record.props, "aliases") === undefined;
}
