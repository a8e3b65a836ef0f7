// Every site serves a weighted share of the traffic; a site whose health check fails drops out of
// the answers and the others absorb its share.
//
// Active-active compute, single-writer data: the first site listed holds the writer database and
// every other site keeps a replica of it (Aurora Global Database, Cloud SQL replica, streaming
// replication, or change data capture across clouds). Reads are local everywhere; writes go to the
// writer site (the application routes them, e.g. with the writer endpoint it is given).
// Multi-writer databases would trade consistency for write locality and are not built here.
import * as pulumi from "@pulumi/pulumi";
import { assertNoIssues } from "../dns/endpoints";
import {
    createServiceDns,
    createServiceSite,
    replicateFromWriter,
    resolveServiceDefaults,
    ResolvedServiceArgs,
    ServiceArgs,
    ServiceDns,
    SiteReplication,
    siteData,
    validateServiceArgs,
    writerIsGlobal,
} from "./serviceParts";
import { ServiceSite } from "./siteFactory";

export type ActiveActiveServiceArgs = ServiceArgs;

export interface ActiveActiveParts {
    /** The site holding the writer database (the first site listed). */
    readonly writer: ServiceSite;
    /** Every site, in config order (the writer first). */
    readonly sites: readonly ServiceSite[];
    readonly dns: ServiceDns;
    readonly replication: Readonly<Record<string, SiteReplication>>;
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

export class ActiveActiveService extends pulumi.ComponentResource {
    public readonly fqdn: string;
    public readonly writer: ServiceSite;
    public readonly sites: readonly ServiceSite[];
    /** Health check each site's record carries, by site key. */
    public readonly healthCheckIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** How each non-writer site's database and objects follow the writer, by site key. */
    public readonly replication: Readonly<Record<string, SiteReplication>>;
    public readonly dnsConsoleUrl: string;

    constructor(name: string, args: ActiveActiveServiceArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:service:ActiveActiveService", name, {}, opts);
        assertNoIssues("ActiveActiveService", name, validateServiceArgs(args, "active-active"), this);
        const parts = buildActiveActive(this, name, resolveServiceDefaults(args));
        this.fqdn = parts.dns.fqdn;
        this.writer = parts.writer;
        this.sites = parts.sites;
        this.healthCheckIds = parts.dns.healthCheckIds;
        this.replication = parts.replication;
        this.dnsConsoleUrl = parts.dns.consoleUrl;
        this.registerOutputs({ fqdn: this.fqdn, healthCheckIds: this.healthCheckIds, replication: this.replication });
    }
}
