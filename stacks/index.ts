// The Pulumi program: reads the stack config once, validates it (a ConfigError names the stack
// file and every bad key, and stops the run before anything is created), builds one service
// component per `nonstop:services` entry and exports what an operator needs during an incident.
import * as pulumi from "@pulumi/pulumi";
import { ServiceQuotas } from "../components/account/serviceQuotas";
import { DmsServiceRoles } from "../components/data/dmsServiceRoles";
import { ActiveActiveService } from "../components/service/activeActiveService";
import { ActivePassiveService } from "../components/service/activePassiveService";
import { ServiceArgs, SiteReplication, validateServiceArgs } from "../components/service/serviceParts";
import { ServiceSpec, SiteSpec } from "../components/service/spec";
import { parseStackConfig, ServiceConfig, SiteConfig, siteKey, StackConfig } from "./config";

// The offline preview names the file it read (--config-file); the Pulumi CLI reads Pulumi.<stack>.yaml.
// Secret values (secure: in the stack file) are never echoed in config errors.
const allConfig = pulumi.runtime.allConfig();
// isConfigSecret is exported by the SDK's runtime but left out of its typings.
const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
const secretKeys = Object.keys(allConfig).filter((k) => isConfigSecret?.(k) === true);
const config = parseStackConfig(allConfig, pulumi.getStack(), process.env.NONSTOP_STACK_FILE, secretKeys);

/** A service replicates its database across clouds with AWS DMS when it has an AWS site and a site elsewhere. */
function usesAwsDms(service: ServiceConfig): boolean {
    return service.sites.some((s) => s.cloud === "aws") && service.sites.some((s) => s.cloud !== "aws");
}

// Account-level prerequisites, created before the services. Raised quotas (nonstop:quotas) are
// filed first, so a create that needs them comes after the request; the DMS service roles exist
// once per stack when some service uses AWS DMS.
const quotas = config.quotas.length
    ? new ServiceQuotas("quotas", { quotas: config.quotas.map((q) => ({ serviceCode: q.service, quotaCode: q.code, region: q.region, value: q.value })) })
    : undefined;
const dmsRoles = config.services.some(usesAwsDms) ? new DmsServiceRoles("dms-service-roles", { tags: { "managed-by": "nonstop", environment: config.environment } }) : undefined;

/**
 * A service of the stack file as the components take it. The config's shapes are the components'
 * own (checked here by the compiler), copied so the components never hold the config's objects.
 */
function toServiceSpec(service: ServiceConfig): ServiceSpec {
    const sites: SiteSpec[] = service.sites.map((site) => ({ ...site }));
    return { ...service, sites, data: { ...service.data, backup: { ...service.data.backup } } };
}

function serviceArgs(stack: StackConfig, service: ServiceConfig, operators: Readonly<Record<string, pulumi.Resource>>): ServiceArgs {
    return {
        service: toServiceSpec(service),
        dns: stack.dns,
        environment: stack.environment,
        protectStateful: stack.protectStateful,
        automateDataFailover: stack.automateDataFailover,
        drillSiteKey: stack.drill?.service === service.name ? stack.drill.failSite : undefined,
        alerts: stack.alerts,
        gcpProject: stack.gcpProject,
        readOnlySites: stack.readOnlySites[service.name] ?? [],
        failback: stack.failback?.service === service.name ? { switchBack: stack.failback.switchBack } : undefined,
        kubernetesDatabases: stack.cnpg.sites?.[service.name] ?? {},
        databaseOperators: operators,
        dmsPrerequisites: dmsRoles?.ready,
    };
}

/** With nonstop:cnpg.install, one CloudNativePG operator per Kubernetes cluster that runs a database. */
function cloudNativePgOperators(stack: StackConfig): Record<string, pulumi.Resource> {
    if (!stack.cnpg.install) return {};
    const clusters = [...new Set(stack.services.flatMap((s) => s.sites.filter((site) => site.cloud === "kubernetes" && site.cluster).map((site) => site.cluster as string)))];
    if (clusters.length === 0) return {};
    // Loaded only for Kubernetes sites (it brings @pulumi/kubernetes; see kubernetesSite()).
    const { CloudNativePgOperator } = require("../components/site/kubernetes/cnpgOperator") as typeof import("../components/site/kubernetes/cnpgOperator");
    return Object.fromEntries(clusters.map((cluster) => [cluster, new CloudNativePgOperator(`cnpg-${cluster.replace(/[^A-Za-z0-9_.-]+/g, "-")}`, { cluster })]));
}

/** Where an operator looks at a site's compute. */
function siteConsoleUrl(site: SiteConfig, gcpProject: string | undefined): string | undefined {
    switch (site.cloud) {
        case "aws":
            return `https://${site.region}.console.aws.amazon.com/ecs/v2/clusters?region=${site.region}`;
        case "gcp":
            return `https://console.cloud.google.com/run?project=${gcpProject ?? ""}`;
        case "kubernetes":
            return undefined;
    }
}

interface ServiceSummary {
    readonly topology: ServiceConfig["topology"];
    readonly fqdn: string;
    readonly dnsConsoleUrl: string;
    /** CloudWatch dashboard of the service; "none" behind Cloud DNS (its checks report to Cloud Monitoring). */
    readonly dashboardUrl: string;
    readonly release: string;
    readonly sites: Record<string, unknown>;
}

function summarize(service: ServiceConfig, component: ActivePassiveService | ActiveActiveService): ServiceSummary {
    const replication: Readonly<Record<string, SiteReplication>> = component.replication;
    const sites: Record<string, unknown> = {};
    for (const site of service.sites) {
        const key = siteKey(site);
        sites[key] = {
            cloud: site.cloud,
            location: site.region ?? site.cluster,
            ...(service.topology === "active-passive" ? { role: site.role } : { weight: site.weight }),
            healthCheckId: component.healthCheckIds[key],
            consoleUrl: siteConsoleUrl(site, config.gcpProject),
            replication: replication[key] ?? "writer",
        };
    }
    return {
        topology: service.topology,
        fqdn: component.fqdn,
        dnsConsoleUrl: component.dnsConsoleUrl,
        dashboardUrl: component.dashboardUrl ?? "none",
        release: service.release?.strategy ?? "rolling",
        sites,
    };
}

const operators = cloudNativePgOperators(config);
interface BuiltService {
    readonly service: ServiceConfig;
    readonly component: ActivePassiveService | ActiveActiveService;
}

const planned = config.services.map((service) => ({ service, args: serviceArgs(config, service, operators) }));
// Every service's args are judged before any service is built, so a service the components would
// refuse stops the run before the services before it have registered anything.
const refused = planned.flatMap(({ service, args }) => validateServiceArgs(args, service.topology).map((issue) => `service "${service.name}": ${issue}`));
if (refused.length) throw new Error(`${config.stackFile}: nonstop:services would be refused by the service components:\n  ${refused.join("\n  ")}`);

/**
 * Builds the services one at a time and yields to the event loop between them. A component's
 * constructor only starts its registrations; they complete later, once the inputs they wait on are
 * known. Built all at once, every service's pending registrations (promises, closures, serialized
 * inputs: about 30 KB per resource) are alive together before the first completes. Built in turn
 * under the offline preview's mocks, each service's registrations complete during the yield, so the
 * run holds one service's at a time: at 100 services the preview's peak memory went from 2.1 GB
 * to under 1 GB (BENCHMARKS.md). Under the engine the yield costs nothing, and what each service
 * registers, and in which order, is unchanged.
 */
async function buildInTurn(): Promise<BuiltService[]> {
    const opts = { dependsOn: quotas ? [quotas] : [] };
    const out: BuiltService[] = [];
    for (const { service, args } of planned) {
        if (out.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const component = service.topology === "active-passive" ? new ActivePassiveService(service.name, args, opts) : new ActiveActiveService(service.name, args, opts);
        out.push({ service, component });
    }
    return out;
}
const built = buildInTurn();

export const environment = config.environment;
export const dnsProvider = config.dns.provider;
export const targets = config.targets;
/** Per service: the name clients use, each site's health check, console links (DNS, dashboard, compute) and how its data follows the writer. */
export const services = built.then((list) => Object.fromEntries(list.map(({ service, component }) => [service.name, summarize(service, component)])));
/** The game day in progress, if any: which site's health check is failed on purpose. */
export const drill = config.drill ? { service: config.drill.service, failSite: config.drill.failSite } : "none";
/** A failback in progress, if any: the service whose writer's home site is held out of DNS. */
export const failback = config.failback ? { service: config.failback.service, switchBack: config.failback.switchBack ?? false } : "none";
