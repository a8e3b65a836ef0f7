// The one place that turns a site of the stack config into a site component, by cloud.
import * as pulumi from "@pulumi/pulumi";
import type { SiteConfig } from "../../stacks/config";
import { ZoneRecord } from "../dns/endpoints";
import { AwsSite } from "../site/awsSite";
import { GcpSite } from "../site/gcpSite";
import { KubernetesSite } from "../site/kubernetesSite";
import { Site, SiteArgs } from "../site/site";

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
    /** Name the site answers on (a GCP site then serves HTTPS with a managed certificate). @default none: plain HTTP */
    readonly domain?: string;
}

export type SiteFactory = (name: string, site: SiteConfig, args: SiteArgs, placement: SitePlacement, opts: pulumi.ComponentResourceOptions) => ServiceSite;

/** Builds AwsSite, GcpSite or KubernetesSite. */
export const makeSite: SiteFactory = (name, site, args, placement, opts) => {
    switch (site.cloud) {
        case "aws":
            return new AwsSite(name, { ...args, region: required(site.region, "region", name), azCount: site.azCount }, opts);
        case "gcp":
            return new GcpSite(
                name,
                { ...args, project: required(placement.gcpProject, "gcpProject", name), region: required(site.region, "region", name), domain: placement.domain, bucketDualRegion: site.bucketDualRegion },
                opts,
            );
        case "kubernetes":
            return new KubernetesSite(name, { ...args, cluster: required(site.cluster, "cluster", name), loadBalancerIp: site.loadBalancerIp }, opts);
    }
};

function required<T>(value: T | undefined, what: string, site: string): T {
    // parseStackConfig already refuses these; this guards callers that build SiteConfig by hand.
    if (value === undefined) throw new Error(`site ${site}: ${what} is required for this cloud`);
    return value;
}
