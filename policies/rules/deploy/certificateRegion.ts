// ACM certificates are regional: a load balancer listener (or a regional API Gateway domain) takes
// only a certificate from its own Region, and CloudFront (and edge-optimized API Gateway domains)
// only one from us-east-1. The mocks accept any ARN; the cloud answers "certificate not found".
import { Graph, GraphResource } from "../../lib/graph";
import { arnRegion, awsRegion, DEFAULT_REGION, Region } from "../../lib/location";
import { isUnknown, read } from "../../lib/props";
import { resolve, stringsIn } from "../../lib/refs";
import { finding, Finding, graphRule } from "../graph/lib";

const certificateType = "aws:acm/certificate:Certificate";
const validationType = "aws:acm/certificateValidation:CertificateValidation";

interface Consumer {
    readonly types: readonly string[];
    readonly prop: string;
    /** The Region the certificate must be in: the consumer's own, or a fixed one. */
    readonly region: "own" | "us-east-1";
    readonly error: string;
}

const consumers: readonly Consumer[] = [
    { types: ["aws:lb/listener:Listener", "aws:alb/listener:Listener", "aws:lb/listenerCertificate:ListenerCertificate"], prop: "certificateArn", region: "own", error: "CertificateNotFound: Certificate '<arn>' not found" },
    { types: ["aws:cloudfront/distribution:Distribution"], prop: "viewerCertificate", region: "us-east-1", error: "InvalidViewerCertificate: The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain." },
    { types: ["aws:apigateway/domainName:DomainName"], prop: "certificateArn", region: "us-east-1", error: "BadRequestException: Invalid certificate ARN: <arn>. Certificate must be in 'us-east-1'." },
    { types: ["aws:apigateway/domainName:DomainName"], prop: "regionalCertificateArn", region: "own", error: "BadRequestException: Invalid certificate ARN: <arn>. Certificate must be in the same region as the API." },
    { types: ["aws:apigatewayv2/domainName:DomainName"], prop: "domainNameConfiguration", region: "own", error: "BadRequestException: Invalid certificate ARN: <arn>. Certificate must be in the same region as the API." },
];

/** Where the certificate a consumer's property names lives: its Region and a label for messages. */
function certificateRegions(graph: Graph, r: GraphResource, prop: string): { region: Region; label: string }[] {
    const value = read(r.props, prop);
    if (value === undefined || value === null) return [];
    const ref = resolve(graph, r, prop, [certificateType, validationType], { identity: ["arn", "certificateArn"] });
    const out: { region: Region; label: string }[] = [];
    for (const t of ref.targets) {
        const certs = t.type === validationType ? resolve(graph, t, "certificateArn", [certificateType], { identity: ["arn"] }).targets : [t];
        for (const c of certs.length ? certs : [t]) out.push({ region: awsRegion(c), label: `${c.type} "${c.name}"` });
    }
    if (ref.targets.length === 0) {
        for (const s of stringsIn(value).known) {
            const region = s.startsWith("arn:") && s.includes(":acm:") ? arnRegion(s) : undefined;
            if (region) out.push({ region, label: `certificate ${s}` });
        }
    }
    return out;
}

/**
 * The ACM certificate of a listener or regional domain must be in the consumer's Region, and that
 * of CloudFront or an edge-optimized API Gateway domain in us-east-1.
 */
export const certificateRegion = graphRule({
    name: "certificate-region",
    description: "An ACM certificate must be in the Region of the load balancer or regional API domain that serves it, and in us-east-1 for CloudFront and edge-optimized API Gateway domains.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        for (const c of consumers) {
            for (const r of graph.ofType(...c.types)) {
                const want = c.region === "own" ? awsRegion(r) : "us-east-1";
                if (isUnknown(want) || want === DEFAULT_REGION) continue;
                for (const cert of certificateRegions(graph, r, c.prop)) {
                    if (isUnknown(cert.region) || cert.region === DEFAULT_REGION || cert.region === want) continue;
                    findings.push(
                        finding(
                            r,
                            `${c.prop} names ${cert.label}, which is in ${cert.region}, but ${c.region === "own" ? `this resource is in ${want}` : "it must come from us-east-1"}`,
                            `the API answers "${c.error.replace("<arn>", `arn:aws:acm:${cert.region}:...`)}" and the create fails`,
                            `Request (or import) the certificate in ${want} with a provider for that Region and use that one.`,
                        ),
                    );
                }
            }
        }
        return findings;
    },
});
