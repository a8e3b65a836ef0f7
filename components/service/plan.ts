// Where a service's writes go, decided from its spec alone (pure, so validation and tests use it):
// which site holds the writer database, how every other site's app reaches that writer, and which
// sites cannot reach it and serve reads only. An app never writes into a replica or a
// change-data-capture copy: a site that cannot reach the writer must be declared read-only.
import { KubernetesDatabaseSpec, ServiceSpec, SiteSpec, siteKey } from "./spec";

/** How a site's app reaches the writer database. */
export type WritePath =
    /** The site holds the writer. */
    | "own"
    /** An Aurora global database member: the global writer endpoint, over the peering between the AWS sites. */
    | "global-writer-endpoint"
    /** A Cloud SQL replica's site: the Cloud SQL connector to the writer instance (any region of the project). */
    | "cloud-sql-connector"
    /** A CloudNativePG replica cluster: the upstream primary at its external host. */
    | "upstream-external-host"
    /** It cannot: reads stay local, writes go to the writer's site. */
    | "read-only";

export interface SitePlan {
    readonly spec: SiteSpec;
    readonly key: string;
    /** Position in the service's `sites`. */
    readonly index: number;
    readonly writer: boolean;
    readonly writes: WritePath;
    /** AWS only: the VPC range, distinct for every AWS site of the service (peered VPCs must not overlap). */
    readonly vpcCidr?: string;
}

export interface ServicePlan {
    readonly writer: SitePlan;
    /** Every site, in the service's order. */
    readonly sites: readonly SitePlan[];
    /** The writer is an Aurora Global Database that other AWS sites join. */
    readonly globalDatabase: boolean;
    /** The AWS site an Aurora global database is promoted to (the first AWS follower listed). */
    readonly promotionTarget?: SitePlan;
    /** Sites that cannot reach the writer and are not declared read-only (a refused configuration). */
    readonly unreachable: readonly SitePlan[];
}

/** The site holding the writer: the primary (active-passive) or the first site (active-active). */
export function writerSpec(svc: Pick<ServiceSpec, "sites">): SiteSpec {
    return svc.sites.find((s) => s.role === "primary") ?? svc.sites[0];
}

/** The VPC range of the i-th AWS site of a service (the first keeps AwsSite's default). */
export function awsVpcCidr(index: number): string {
    return `10.${index}.0.0/16`;
}

export function planService(
    svc: Pick<ServiceSpec, "sites">,
    readOnlySites: readonly string[] = [],
    kubernetesDatabases: Readonly<Record<string, KubernetesDatabaseSpec>> = {},
): ServicePlan {
    const writer = writerSpec(svc);
    const writerKey = siteKey(writer);
    let awsIndex = 0;
    const sites = svc.sites.map((spec, index): SitePlan & { readonly reachable: boolean } => {
        const key = siteKey(spec);
        const vpcCidr = spec.cloud === "aws" ? awsVpcCidr(awsIndex++) : undefined;
        if (spec === writer) return { spec, key, index, writer: true, writes: "own", vpcCidr, reachable: true };
        const native: WritePath | undefined =
            spec.cloud !== writer.cloud
                ? undefined
                : spec.cloud === "aws"
                  ? "global-writer-endpoint"
                  : spec.cloud === "gcp"
                    ? "cloud-sql-connector"
                    : kubernetesDatabases[writerKey]?.externalHost !== undefined
                      ? "upstream-external-host"
                      : undefined;
        const writes = readOnlySites.includes(key) || native === undefined ? "read-only" : native;
        return { spec, key, index, writer: false, writes, vpcCidr, reachable: native !== undefined };
    });
    const writerPlan = sites.find((s) => s.writer)!;
    const awsFollowers = sites.filter((s) => !s.writer && s.spec.cloud === "aws" && writer.cloud === "aws" && s.spec.region !== writer.region);
    return {
        writer: writerPlan,
        sites,
        globalDatabase: writer.cloud === "aws" && awsFollowers.length > 0,
        promotionTarget: awsFollowers[0],
        unreachable: sites.filter((s) => !s.reachable && !readOnlySites.includes(s.key)),
    };
}
