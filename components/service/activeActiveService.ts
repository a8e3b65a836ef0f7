// Every site serves a weighted share of the traffic; a site whose health check fails drops out of
// the answers and the others absorb its share.
//
// Active-active compute, single-writer data: the first site listed holds the writer database and
// every other site keeps a replica of it (Aurora Global Database, Cloud SQL replica, CloudNativePG
// replica cluster, or change data capture across clouds). Reads are local everywhere; every app
// is given the writer's endpoint for its writes (the Aurora global writer endpoint, which follows a
// promotion), and a site that cannot reach the writer is read-only: it sends writes to the
// writer's site. Multi-writer databases would trade consistency for write locality and are not
// built here.
import * as pulumi from "@pulumi/pulumi";
import { replicateFromWriter } from "./replication";
import { buildServiceSites, createServiceDns, ResolvedServiceArgs, ServiceArgs, ServiceComponent, ServiceParts } from "./serviceParts";
import { ServiceSite } from "./siteFactory";

export type ActiveActiveServiceArgs = ServiceArgs;

export interface ActiveActiveParts extends ServiceParts {
    /** The site holding the writer database (the first site listed). */
    readonly writer: ServiceSite;
    /** Every site, in config order (the writer first). */
    readonly sites: readonly ServiceSite[];
}

export function buildActiveActive(parent: pulumi.Resource, name: string, a: ResolvedServiceArgs): ActiveActiveParts {
    const built = buildServiceSites(parent, a, (site) => ({ weight: site.spec.weight, minCapacity: site.spec.minCapacity }));
    const { writer, sites } = built;
    const dns = createServiceDns(parent, name, a, sites.map((site, i) => ({ site, config: built.plan.sites[i].spec })), "weighted", built.writeRoute);
    const replication = replicateFromWriter({ parent, name, a, plan: built.plan, writer, others: sites.filter((s) => s !== writer), dns });
    return { writer, sites, dns, replication };
}

export class ActiveActiveService extends ServiceComponent<ActiveActiveParts> {
    constructor(name: string, args: ActiveActiveServiceArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:service:ActiveActiveService", "active-active", buildActiveActive, name, args, opts);
    }

    /** The site holding the writer database (the first site listed). */
    public get writer(): ServiceSite {
        return this.parts.writer;
    }

    /** Every site, in config order (the writer first). */
    public get sites(): readonly ServiceSite[] {
        return this.parts.sites;
    }
}
