// Every site serves a weighted share of the traffic; a site whose health check fails drops out of
// the answers and the others absorb its share.
//
// Active-active compute, single-writer data: the first site listed holds the writer database and
// every other site keeps a replica of it (Aurora Global Database, Cloud SQL replica, streaming
// replication, or change data capture across clouds). Reads are local everywhere; writes go to the
// writer site (the application routes them, e.g. with the writer endpoint it is given).
// Multi-writer databases would trade consistency for write locality and are not built here.
import * as pulumi from "@pulumi/pulumi";
import {
    createServiceDns,
    createServiceSite,
    replicateFromWriter,
    ResolvedServiceArgs,
    ServiceArgs,
    ServiceComponent,
    ServiceParts,
    siteData,
    writerIsGlobal,
} from "./serviceParts";
import { ServiceSite } from "./siteFactory";

export type ActiveActiveServiceArgs = ServiceArgs;

export interface ActiveActiveParts extends ServiceParts {
    /** The site holding the writer database (the first site listed). */
    readonly writer: ServiceSite;
    /** Every site, in config order (the writer first). */
    readonly sites: readonly ServiceSite[];
}

export function buildActiveActive(parent: pulumi.Resource, name: string, a: ResolvedServiceArgs): ActiveActiveParts {
    const svc = a.service;
    const [writerConfig, ...otherConfigs] = svc.sites;
    const writer = createServiceSite(parent, a, writerConfig, {
        weight: writerConfig.weight,
        minCapacity: writerConfig.minCapacity,
        data: siteData(svc, writerConfig, writerConfig, { global: writerIsGlobal(writerConfig, otherConfigs) }),
    });
    const others = otherConfigs.map((config) =>
        createServiceSite(parent, a, config, {
            weight: config.weight,
            minCapacity: config.minCapacity,
            data: siteData(svc, config, writerConfig, { replicaOf: writer.database }),
        }),
    );
    const sites = [writer, ...others];
    const dns = createServiceDns(parent, name, a, sites.map((site, i) => ({ site, config: svc.sites[i] })), "weighted");
    const replication = replicateFromWriter(parent, name, a, writer, others, dns);
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
