// One primary site serves; secondaries stand by in other regions, clusters or clouds, with the
// primary's data replicated to them, and DNS fails over when the primary's health check fails.
//
// Warm standby runs each secondary at its configured minCapacity (failover costs only the DNS
// switch); pilot light runs no compute there (minCapacity 0) while the data is still replicated,
// so failover also waits for the secondary to scale out.
import * as pulumi from "@pulumi/pulumi";
import type { SiteConfig } from "../../stacks/config";
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

export type ActivePassiveServiceArgs = ServiceArgs;

export interface ActivePassiveParts {
    readonly primary: ServiceSite;
    readonly secondaries: readonly ServiceSite[];
    readonly dns: ServiceDns;
    readonly replication: Readonly<Record<string, SiteReplication>>;
}

/** Lowest capacity of a secondary: pilot light runs no compute until failover. */
export function standbyMinCapacity(standby: "warm" | "pilot-light" | undefined, site: SiteConfig): number {
    return (standby ?? "warm") === "pilot-light" ? 0 : site.minCapacity;
}

export function buildActivePassive(parent: pulumi.Resource, name: string, a: ResolvedServiceArgs): ActivePassiveParts {
    const svc = a.service;
    const primaryConfig = svc.sites.find((s) => s.role === "primary")!;
    const secondaryConfigs = svc.sites.filter((s) => s.role === "secondary");

    const primary = createServiceSite(parent, a, primaryConfig, {
        role: "primary",
        minCapacity: primaryConfig.minCapacity,
        data: siteData(svc, primaryConfig, primaryConfig, { global: writerIsGlobal(primaryConfig, secondaryConfigs) }),
    });
    const secondaries = secondaryConfigs.map((config) =>
        createServiceSite(parent, a, config, {
            role: "secondary",
            minCapacity: standbyMinCapacity(svc.standby, config),
            data: siteData(svc, config, primaryConfig, { replicaOf: primary.database }),
        }),
    );
    const dns = createServiceDns(
        parent,
        name,
        a,
        [primary, ...secondaries].map((site, i) => ({ site, config: [primaryConfig, ...secondaryConfigs][i] })),
        "failover",
    );
    const replication = replicateFromWriter(parent, name, a, primary, secondaries, dns);
    return { primary, secondaries, dns, replication };
}

export class ActivePassiveService extends pulumi.ComponentResource {
    public readonly fqdn: string;
    public readonly primary: ServiceSite;
    public readonly secondaries: readonly ServiceSite[];
    /** Health check each site's record carries, by site key. */
    public readonly healthCheckIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** How each secondary's database and objects follow the primary, by site key. */
    public readonly replication: Readonly<Record<string, SiteReplication>>;
    public readonly dnsConsoleUrl: string;

    constructor(name: string, args: ActivePassiveServiceArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:service:ActivePassiveService", name, {}, opts);
        assertNoIssues("ActivePassiveService", name, validateServiceArgs(args, "active-passive"), this);
        const parts = buildActivePassive(this, name, resolveServiceDefaults(args));
        this.fqdn = parts.dns.fqdn;
        this.primary = parts.primary;
        this.secondaries = parts.secondaries;
        this.healthCheckIds = parts.dns.healthCheckIds;
        this.replication = parts.replication;
        this.dnsConsoleUrl = parts.dns.consoleUrl;
        this.registerOutputs({ fqdn: this.fqdn, healthCheckIds: this.healthCheckIds, replication: this.replication });
    }
}
