// The one place that turns a site of a service into a site component, by cloud.
import * as pulumi from "@pulumi/pulumi";
import { ZoneRecord } from "../dns/endpoints";
import { AwsSite, AwsSiteDomain } from "../site/awsSite";
import { GcpSite } from "../site/gcpSite";
import { Site, SiteArgs } from "../site/site";
import { KubernetesDatabaseSpec, SiteSpec } from "./spec";

/** A site as a service uses it: the Site interface, a resource to depend on, and records it needs in the zone. */
export type ServiceSite = Site &
    pulumi.Resource & {
        /** A managed certificate's DNS authorization (GCP sites with a domain). */
        readonly certificateDnsRecord?: pulumi.Output<ZoneRecord>;
    };

/** What a site needs beyond SiteArgs and its place in the config. */
export interface SitePlacement {
    /** GCP project of GCP sites. @default none (required for a GCP site) */
    readonly gcpProject?: string;
    /**
     * Name the site answers on: a GCP site then serves HTTPS with a managed certificate, an AWS site
     * (which also needs `zoneName`) with an ACM certificate it requests and validates itself.
     * @default none: plain HTTP
     */
    readonly domain?: string;
    /** Public Route 53 hosted zone holding `domain`, where an AWS site validates its certificate. @default none (required with `domain` for an AWS site) */
    readonly zoneName?: string;
    /** AWS only: the VPC's range, distinct among the AWS sites of a service (they are peered). @default AwsSite's default */
    readonly vpcCidr?: string;
    /** Kubernetes only: how the CloudNativePG database is reached and backed up. @default none */
    readonly kubernetesDatabase?: KubernetesDatabaseSpec;
    /** Kubernetes only: the CloudNativePG operator the database waits for. @default none: installed already */
    readonly databaseOperator?: pulumi.Resource;
}

export type SiteFactory = (name: string, site: SiteSpec, args: SiteArgs, placement: SitePlacement, opts: pulumi.ComponentResourceOptions) => ServiceSite;

/** Builds AwsSite, GcpSite or KubernetesSite. */
export const makeSite: SiteFactory = (name, site, args, placement, opts) => {
    switch (site.cloud) {
        case "aws":
            return new AwsSite(
                name,
                {
                    ...args,
                    region: required(site.region, "region", name),
                    azCount: site.azCount,
                    vpcCidr: placement.vpcCidr,
                    domain: awsSiteDomain(placement, name),
                },
                opts,
            );
        case "gcp":
            return new GcpSite(
                name,
                { ...args, project: required(placement.gcpProject, "gcpProject", name), region: required(site.region, "region", name), domain: placement.domain, bucketDualRegion: site.bucketDualRegion },
                opts,
            );
        case "kubernetes": {
            const { KubernetesSite } = kubernetesSite();
            return new KubernetesSite(
                name,
                {
                    ...args,
                    cluster: required(site.cluster, "cluster", name),
                    loadBalancerIp: site.loadBalancerIp,
                    databaseExternalHost: placement.kubernetesDatabase?.externalHost,
                    databaseBackup: placement.kubernetesDatabase?.backup,
                    databaseOperator: placement.databaseOperator,
                },
                opts,
            );
        }
    }
};

/**
 * KubernetesSite's module, loaded with the first Kubernetes site: it brings @pulumi/kubernetes (some
 * 110 modules), which a stack with no Kubernetes site would otherwise load for nothing on every run.
 */
function kubernetesSite(): typeof import("../site/kubernetesSite") {
    return require("../site/kubernetesSite") as typeof import("../site/kubernetesSite");
}

/** An AWS site's domain: the name and the Route 53 zone its certificate is validated in. */
function awsSiteDomain(placement: SitePlacement, site: string): AwsSiteDomain | undefined {
    if (placement.domain === undefined) return undefined;
    if (placement.zoneName === undefined) {
        throw new Error(`site ${site}: zoneName is required with domain ${JSON.stringify(placement.domain)} for an AWS site (it validates its certificate in that Route 53 zone); pass the zone or leave out the domain`);
    }
    return { name: placement.domain, zoneName: placement.zoneName };
}

function required<T>(value: T | undefined, what: string, site: string): T {
    // parseStackConfig already refuses these; this guards callers that build SiteConfig by hand.
    if (value === undefined) throw new Error(`site ${site}: ${what} is required for this cloud`);
    return value;
}
