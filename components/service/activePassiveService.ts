// One primary site serves; secondaries stand by in other regions, clusters or clouds, with the
// primary's data replicated to them, and DNS fails over when the primary's health check fails.
//
// Warm standby runs each secondary at its configured minCapacity (failover costs only the DNS
// switch); pilot light runs no compute there (minCapacity 0) while the data is still replicated:
// DNS fails over to it at once (its record's check probes the load balancer, not the tasks), and
// an automation in its own region raises it to its minCapacity when the primary is down, so
// failover also waits for the tasks to start.
import * as pulumi from "@pulumi/pulumi";
import { scaleOutPilotLights } from "./pilotLight";
import { replicateFromWriter } from "./replication";
import { buildServiceSites, createServiceDns, ResolvedServiceArgs, ServiceArgs, ServiceComponent, ServiceParts } from "./serviceParts";
import { ServiceSite } from "./siteFactory";
import { SiteSpec } from "./spec";

export type ActivePassiveServiceArgs = ServiceArgs;

export interface ActivePassiveParts extends ServiceParts {
    readonly primary: ServiceSite;
    readonly secondaries: readonly ServiceSite[];
}

/** Lowest capacity of a secondary at rest: pilot light runs no compute until failover. */
export function standbyMinCapacity(standby: "warm" | "pilot-light" | undefined, site: Pick<SiteSpec, "minCapacity">): number {
    return (standby ?? "warm") === "pilot-light" ? 0 : site.minCapacity;
}

export function buildActivePassive(parent: pulumi.Resource, name: string, a: ResolvedServiceArgs): ActivePassiveParts {
    const svc = a.service;
    const built = buildServiceSites(parent, a, (site) =>
        site.writer ? { role: "primary", minCapacity: site.spec.minCapacity } : { role: "secondary", minCapacity: standbyMinCapacity(svc.standby, site.spec) },
    );
    // DNS: the primary, then the secondaries in the order listed.
    const ordered = built.plan.sites.map((plan, i) => ({ site: built.sites[i], config: plan.spec }));
    const primary = built.writer;
    const secondaryEntries = ordered.filter((e) => e.site !== primary);
    const dns = createServiceDns(parent, name, a, [ordered.find((e) => e.site === primary)!, ...secondaryEntries], "failover", built.writeRoute);
    const secondaries = secondaryEntries.map((e) => e.site);
    const replication = replicateFromWriter({ parent, name, a, plan: built.plan, writer: primary, others: secondaries, dns });
    scaleOutPilotLights(parent, name, a, primary, secondaryEntries, dns);
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
