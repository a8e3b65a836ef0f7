// Global external Application Load Balancer in front of Cloud Run: serverless NEG -> backend
// service -> URL map -> target proxy -> forwarding rule on a reserved global IP. The fixed IP is
// what DNS points at and health-checks (Cloud DNS health-checked routing needs an IP).
//
// With release tracks each track's Cloud Run service gets its own NEG and backend service, and the
// URL map's default route splits requests between them by the tracks' percentages, so a blue-green
// switch or a canary step is a URL map update, not a DNS change.
//
// The URL map also sends the DNS health path to the main track only (so an idle colour or a
// failing canary never fails the site over) and, on a read-only site, write requests (POST, PUT,
// PATCH, DELETE) to the writer's site through an internet NEG.
//
// With a domain, the certificate comes from Certificate Manager with DNS authorization rather than
// a compute ManagedSslCertificate: a load-balancer-authorized certificate is only issued once DNS
// points at that load balancer, so a standby site would have no valid certificate at failover.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { alsoAfter } from "./apis";
import type { ResolvedGcpSiteArgs } from "../gcpSite";
import type { CloudRunVersion } from "./cloudRun";
import type { WriteRoute } from "../site";
import { mainTrack } from "../tracks";

/**
 * Most tracks a GCP site runs at once: the AWS listener's limit, so that a release that runs on one
 * cloud runs on every cloud (each track is a Cloud Run service kept warm at its floor).
 */
export const GCP_MAX_TRACKS = 5;

/** One backend service per version of the service (per track; a single one without tracks). */
export interface LoadBalancerBackend {
    readonly track?: string;
    readonly percent: number;
    readonly neg: gcp.compute.RegionNetworkEndpointGroup;
    readonly backend: gcp.compute.BackendService;
}

export interface LoadBalancer {
    readonly address: gcp.compute.GlobalAddress;
    readonly backends: readonly LoadBalancerBackend[];
    readonly urlMap: gcp.compute.URLMap;
    readonly forwardingRule: gcp.compute.GlobalForwardingRule;
    /** CNAME that authorizes the certificate (domain only). */
    readonly certificateDnsRecord?: pulumi.Output<{ name: string; type: string; data: string }>;
}

/** HTTP methods a read-only site sends to the writer's site. */
export const WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;

/** An internet NEG to the writer's site and a backend service over it. */
function createWriteRoute(name: string, route: WriteRoute, child: pulumi.CustomResourceOptions): gcp.compute.BackendService {
    const neg = new gcp.compute.GlobalNetworkEndpointGroup(
        `${name}-writes`,
        { networkEndpointType: route.hostKind === "ip" ? "INTERNET_IP_PORT" : "INTERNET_FQDN_PORT", defaultPort: route.port },
        child,
    );
    const endpoint = new gcp.compute.GlobalNetworkEndpoint(
        `${name}-writes`,
        { globalNetworkEndpointGroup: neg.name, port: route.port, ...(route.hostKind === "ip" ? { ipAddress: route.host } : { fqdn: route.host }) },
        child,
    );
    return new gcp.compute.BackendService(
        `${name}-writes`,
        {
            loadBalancingScheme: "EXTERNAL_MANAGED",
            protocol: route.protocol,
            backends: [{ group: neg.id }],
            logConfig: { enable: true, sampleRate: 1 },
        },
        { ...child, dependsOn: [endpoint] },
    );
}

export function createLoadBalancer(name: string, a: ResolvedGcpSiteArgs, versions: readonly CloudRunVersion[], child: pulumi.CustomResourceOptions): LoadBalancer {
    const backends = versions.map((v): LoadBalancerBackend => {
        const s = v.track ? `-${v.track}` : "";
        const neg = new gcp.compute.RegionNetworkEndpointGroup(
            `${name}-neg${s}`,
            { region: a.region, networkEndpointType: "SERVERLESS", cloudRun: { service: v.service.name } },
            child,
        );
        // Serverless NEGs take no health checks: Cloud Run replaces unhealthy instances itself.
        const backend = new gcp.compute.BackendService(
            `${name}-backend${s}`,
            {
                loadBalancingScheme: "EXTERNAL_MANAGED",
                backends: [{ group: neg.id }],
                logConfig: { enable: true, sampleRate: 1 },
            },
            child,
        );
        return { track: v.track, percent: v.percent, neg, backend };
    });
    // Tracks: the default route weighs the backend services by the tracks' percentages (a 0 % track,
    // the idle blue-green colour, stays in the list with weight 0). Without tracks: the one backend.
    const byDefault = a.tracks
        ? { defaultRouteAction: { weightedBackendServices: backends.map((b) => ({ backendService: b.backend.id, weight: b.percent })) } }
        : { defaultService: backends[0].backend.id };
    const routeRules: gcp.types.input.compute.URLMapPathMatcherRouteRule[] = [];
    if (a.tracks) {
        // DNS judges the site by its stable track: the health path never reaches the idle colour or the canary.
        routeRules.push({ priority: 1, matchRules: [{ fullPathMatch: a.dnsHealthCheckPath }], service: mainTrack(backends).backend.id });
    }
    const writes = a.data?.readOnly && a.data.writeRoute ? createWriteRoute(name, a.data.writeRoute, child) : undefined;
    if (writes) {
        // A read-only site: requests that write go to the writer's site, whose app reaches the writer database.
        routeRules.push({
            priority: 2,
            matchRules: WRITE_METHODS.map((method) => ({ prefixMatch: "/", headerMatches: [{ headerName: ":method", exactMatch: method }] })),
            service: writes.id,
        });
    }
    const urlMap = new gcp.compute.URLMap(
        `${name}-urlmap`,
        routeRules.length > 0 ? { ...byDefault, hostRules: [{ hosts: ["*"], pathMatcher: "site" }], pathMatchers: [{ name: "site", ...byDefault, routeRules }] } : byDefault,
        child,
    );
    const address = new gcp.compute.GlobalAddress(`${name}-ip`, { addressType: "EXTERNAL", ipVersion: "IPV4", labels: { ...a.labels } }, child);
    const rule = (suffix: string, portRange: string, target: pulumi.Input<string>) =>
        new gcp.compute.GlobalForwardingRule(
            `${name}-${suffix}`,
            { ipAddress: address.address, ipProtocol: "TCP", portRange, loadBalancingScheme: "EXTERNAL_MANAGED", target, labels: { ...a.labels } },
            child,
        );

    if (!a.domain) {
        const proxy = new gcp.compute.TargetHttpProxy(`${name}-http-proxy`, { urlMap: urlMap.id }, child);
        return { address, backends, urlMap, forwardingRule: rule("http", "80", proxy.id) };
    }

    const authorization = new gcp.certificatemanager.DnsAuthorization(`${name}-dns-auth`, { domain: a.domain, location: "global", labels: { ...a.labels } }, child);
    const certificate = new gcp.certificatemanager.Certificate(
        `${name}-cert`,
        { location: "global", managed: { domains: [a.domain], dnsAuthorizations: [authorization.id] }, labels: { ...a.labels } },
        child,
    );
    const certificateMap = new gcp.certificatemanager.CertificateMap(`${name}-cert-map`, { labels: { ...a.labels } }, child);
    // PRIMARY: served to every client, including health checkers that connect by IP without SNI.
    const entry = new gcp.certificatemanager.CertificateMapEntry(
        `${name}-cert-map-entry`,
        { map: certificateMap.name, certificates: [certificate.id], matcher: "PRIMARY", labels: { ...a.labels } },
        child,
    );
    const httpsProxy = new gcp.compute.TargetHttpsProxy(
        `${name}-https-proxy`,
        { urlMap: urlMap.id, certificateMap: pulumi.interpolate`//certificatemanager.googleapis.com/${certificateMap.id}` },
        alsoAfter(child, entry),
    );
    const https = rule("https", "443", httpsProxy.id);

    // Port 80 only redirects to HTTPS.
    const redirect = new gcp.compute.URLMap(
        `${name}-redirect`,
        { defaultUrlRedirect: { httpsRedirect: true, stripQuery: false, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT" } },
        child,
    );
    const redirectProxy = new gcp.compute.TargetHttpProxy(`${name}-redirect-proxy`, { urlMap: redirect.id }, child);
    rule("http-redirect", "80", redirectProxy.id);

    return {
        address,
        backends,
        urlMap,
        forwardingRule: https,
        certificateDnsRecord: authorization.dnsResourceRecords.apply((records) => {
            const r = (records ?? [])[0];
            return { name: r?.name ?? "", type: r?.type ?? "CNAME", data: r?.data ?? "" };
        }),
    };
}
