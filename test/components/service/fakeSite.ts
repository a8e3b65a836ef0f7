// A stand-in for the site components in service tests: it implements Site the way the real sites
// do (per cloud target kinds, a database and bucket when given data) and records what it was given.
import * as pulumi from "@pulumi/pulumi";
import { ZoneRecord } from "../../../components/dns/endpoints";
import { ServiceSite, SiteFactory, SitePlacement } from "../../../components/service/siteFactory";
import { DnsSpec, ServiceSpec, SiteSpec, siteKey } from "../../../components/service/spec";
import type { AwsSiteScaling } from "../../../components/site/awsSite";
import { Site, SiteArgs, SiteBucket, SiteDatabase, SiteEndpoint, SiteRole } from "../../../components/site/site";

export interface MadeSite {
    readonly name: string;
    readonly config: SiteSpec;
    readonly args: SiteArgs;
    readonly placement: SitePlacement;
    readonly site: FakeSite;
}

export class FakeSite extends pulumi.ComponentResource implements Site {
    readonly endpoint: SiteEndpoint;
    readonly role?: SiteRole;
    readonly weight?: number;
    readonly minCapacity: number;
    readonly maxCapacity: number;
    readonly database?: SiteDatabase;
    readonly bucket?: SiteBucket;
    readonly tracks?: readonly string[];
    readonly certificateDnsRecord?: pulumi.Output<ZoneRecord>;
    /** AWS stand-ins only, like AwsSite's. */
    readonly region?: string;
    readonly alertTopicArn?: pulumi.Output<string>;
    readonly scaling?: AwsSiteScaling;

    constructor(name: string, config: SiteSpec, args: SiteArgs, placement: SitePlacement, opts: pulumi.ComponentResourceOptions, implementsTracks: boolean) {
        super("test:site:FakeSite", name, {}, opts);
        const key = siteKey(config);
        const location = config.region ?? config.cluster ?? "unknown";
        const lb = pulumi.output(`${name}-lb.${location}.example.net`);
        const address = pulumi.output(config.loadBalancerIp ?? `203.0.113.${10 + (key.length % 200)}`);
        this.endpoint = {
            key,
            cloud: config.cloud,
            location,
            target: config.cloud === "aws" ? { kind: "alias", dnsName: lb, zoneId: pulumi.output(`Z-${location}`) } : { kind: "ip", address },
            healthCheckHost: config.cloud === "aws" ? lb : address,
            healthCheckPath: args.healthCheckPath,
            healthCheckPort: 80,
            healthCheckProtocol: "HTTP",
            ...(config.cloud === "aws" && args.minCapacity === 0 ? { loadBalancerProbePath: "/.nonstop/load-balancer" } : {}),
        };
        this.role = args.role;
        this.weight = args.weight;
        this.minCapacity = args.minCapacity;
        this.maxCapacity = args.maxCapacity;
        if (args.data) {
            const host = pulumi.output(`db.${key}.internal`);
            const sameCloudSource = args.data.replicaOf?.cloud === config.cloud ? args.data.replicaOf : undefined;
            this.database = {
                engine: args.data.engine,
                cloud: config.cloud,
                location,
                host,
                // Like the real sites: a global member writes through the global endpoint, a replica through its source's writer.
                writerHost: sameCloudSource ? sameCloudSource.writerHost : args.data.global ? pulumi.output(`global.${key}.internal`) : host,
                readerHost: pulumi.output(`ro.${key}.internal`),
                externalHost: config.cloud === "aws" ? undefined : pulumi.output(`ext.${key}.example.net`),
                connectionName: config.cloud === "gcp" ? pulumi.output(`shop-prod-1:${location}:db-${key}`) : undefined,
                clusterArn: config.cloud === "aws" ? pulumi.output(`arn:aws:rds:${location}:123456789012:cluster:db-${key}`) : undefined,
                port: args.data.engine === "postgres" ? 5432 : 3306,
                databaseName: "checkout",
                username: "checkout",
                password: pulumi.secret(`pw-${key}`),
                id: pulumi.output(`db-${key}`),
                global: args.data.global,
                network:
                    config.cloud === "aws"
                        ? {
                              vpcId: pulumi.output(`vpc-${key}`),
                              vpcCidr: placement.vpcCidr ?? "10.0.0.0/16",
                              subnetIds: [pulumi.output(`${key}-a`), pulumi.output(`${key}-b`)],
                              privateRouteTableIds: [pulumi.output(`rtb-${key}-a`), pulumi.output(`rtb-${key}-b`)],
                              securityGroupId: pulumi.output(`sg-db-${key}`),
                              egressIps: [pulumi.output(`198.51.100.${10 + (key.length % 50)}`), pulumi.output(`198.51.100.${60 + (key.length % 50)}`)],
                          }
                        : undefined,
            };
            if (args.data.objectStorage !== false && config.cloud !== "kubernetes") {
                const bucketName = pulumi.output(`${name}-objects`);
                this.bucket = { cloud: config.cloud, location, name: bucketName, uri: bucketName };
            }
        }
        if (implementsTracks && args.tracks) this.tracks = args.tracks.map((t) => t.name);
        if (config.cloud === "aws") {
            this.region = location;
            this.alertTopicArn = pulumi.output(`arn:aws:sns:${location}:123456789012:${name}-alerts`);
            const versions = args.tracks && args.tracks.length > 0 ? args.tracks.map((t) => ({ track: t.name as string | undefined, percent: t.percent })) : [{ track: undefined, percent: 100 }];
            this.scaling = {
                clusterName: pulumi.output(`${name}-cluster`),
                versions: versions.map((v) => {
                    const service = `${name}-service${v.track ? `-${v.track}` : ""}`;
                    return {
                        track: v.track,
                        percent: v.percent,
                        serviceName: pulumi.output(service),
                        serviceArn: pulumi.output(`arn:aws:ecs:${location}:123456789012:service/${name}-cluster/${service}`),
                        scalableTargetArn: pulumi.output(`arn:aws:application-autoscaling:${location}:123456789012:scalable-target/${service}`),
                        scalableTargetResourceId: pulumi.output(`service/${name}-cluster/${service}`),
                        maxCapacity: args.maxCapacity,
                    };
                }),
            };
        }
        // GCP sites hand their certificate's DNS authorization to the service; AWS sites publish their validation record themselves.
        if (config.cloud === "gcp" && placement.domain) this.certificateDnsRecord = pulumi.output({ name: `_acme-challenge.${placement.domain}.`, type: "CNAME", data: `${key}.authorize.certificatemanager.goog.` });
        this.registerOutputs({});
    }
}

/** A factory that records every site it makes. */
export function fakeSites(implementsTracks = true): { factory: SiteFactory; made: MadeSite[] } {
    const made: MadeSite[] = [];
    const factory: SiteFactory = (name, config, args, placement, opts): ServiceSite => {
        const site = new FakeSite(name, config, args, placement, opts, implementsTracks);
        made.push({ name, config, args, placement, site });
        return site;
    };
    return { factory, made };
}

export const route53: DnsSpec = { provider: "route53", zone: "example.com", ttlSeconds: 30, healthCheck: { intervalSeconds: 10, failureThreshold: 3, path: "/healthz" } };
export const cloudDns: DnsSpec = { provider: "clouddns", zone: "example.com", ttlSeconds: 30, healthCheck: { intervalSeconds: 30, failureThreshold: 3, path: "/healthz" } };

export function service(overrides: Partial<ServiceSpec> = {}): ServiceSpec {
    return {
        name: "checkout",
        image: "ghcr.io/acme/checkout:1.4.2",
        port: 8080,
        healthCheckPath: "/healthz",
        topology: "active-passive",
        sites: [
            { cloud: "aws", region: "us-east-1", role: "primary", minCapacity: 3, maxCapacity: 12 },
            { cloud: "gcp", region: "us-central1", role: "secondary", minCapacity: 2, maxCapacity: 12 },
        ],
        data: { engine: "postgres", replicationFactor: 3, backup: { schedule: "0 */6 * * *", retentionDays: 35, crossRegionCopy: "us-west-2" } },
        ...overrides,
    };
}
