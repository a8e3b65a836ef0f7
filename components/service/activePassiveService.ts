// One primary site serves; secondaries stand by in other regions, clusters or clouds, with the
// primary's data replicated to them, and DNS fails over when the primary's health check fails.
//
// Warm standby runs each secondary at its configured minCapacity (failover costs only the DNS
// switch); pilot light runs no compute there (minCapacity 0) while the data is still replicated,
// so failover also waits for the secondary to scale out.
import * as pulumi from "@pulumi/pulumi";
import type { SiteConfig } from "../../stacks/config";
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

export type ActivePassiveServiceArgs = ServiceArgs;

export interface ActivePassiveParts extends ServiceParts {
    readonly primary: ServiceSite;
    readonly secondaries: readonly ServiceSite[];
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

export class ActivePassiveService extends ServiceComponent<ActivePassiveParts> {
    constructor(name: string, args: ActivePassiveServiceArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:service:ActivePassiveService", "active-passive", buildActivePassive, name, args, opts);
    }

    /** The site that serves while healthy. */
    public get primary(): ServiceSite {
        return this.parts.primary;
    }

    /** The sites DNS fails over to, in config order. */
    public get secondaries(): readonly ServiceSite[] {
        return this.parts.secondaries;
    }
}
