// The scale-out of a pilot-light service: every AWS secondary gets a PilotLightScaleOut in its own
// region that raises it to its configured minCapacity when the primary is down. (A GCP secondary
// scales from zero by itself: Cloud Run starts instances for requests. Kubernetes secondaries
// cannot be a pilot light: the stack config refuses them.)
import * as pulumi from "@pulumi/pulumi";
import { probeProtocol } from "../dns/endpoints";
import { PilotLightScaleOut } from "../failover/pilotLightScaleOut";
import { trackMinCapacity } from "../site/tracks";
import { awsOutputs } from "./replication";
import { ResolvedServiceArgs, ServiceDns } from "./serviceParts";
import { ServiceSite } from "./siteFactory";
import { SiteSpec } from "./spec";

export function scaleOutPilotLights(
    parent: pulumi.Resource,
    name: string,
    a: ResolvedServiceArgs,
    primary: ServiceSite,
    secondaries: readonly { readonly site: ServiceSite; readonly config: SiteSpec }[],
    dns: ServiceDns,
): PilotLightScaleOut[] {
    const primaryCheck = dns.healthCheckIds[primary.endpoint.key];
    if (a.service.standby !== "pilot-light" || a.dns.provider !== "route53" || primaryCheck === undefined) return [];
    const e = primary.endpoint;
    const protocol = probeProtocol({ port: e.healthCheckPort, protocol: e.healthCheckProtocol });
    return secondaries.flatMap(({ site, config }) => {
        const aws = awsOutputs(site);
        if (config.cloud !== "aws" || !aws.scaling || !aws.region) return [];
        const tracked = aws.scaling.versions.length > 1;
        return [
            new PilotLightScaleOut(
                `${name}-scale-out-${site.endpoint.key}`,
                {
                    region: aws.region,
                    standbySiteKey: site.endpoint.key,
                    primarySiteKey: e.key,
                    primaryHealthCheckId: primaryCheck,
                    primaryProbe: {
                        host: e.healthCheckHost,
                        port: e.healthCheckPort,
                        protocol,
                        path: a.dns.healthCheck.path ?? e.healthCheckPath,
                        // The primary's certificate is for the service's name, not its load balancer's.
                        serverName: protocol === "HTTPS" ? a.fqdn : undefined,
                    },
                    services: aws.scaling.versions.map((v) => ({
                        serviceArn: v.serviceArn,
                        scalableTargetArn: v.scalableTargetArn,
                        scalableTargetResourceId: v.scalableTargetResourceId,
                        // Each release track gets its share of the floor, as on a warm site.
                        minCapacity: tracked ? trackMinCapacity(config.minCapacity, v.percent) : config.minCapacity,
                        maxCapacity: v.maxCapacity,
                    })),
                    environment: a.environment,
                    alertTopicArn: aws.alertTopicArn,
                    tags: { ...a.tags, service: a.service.name },
                },
                { parent, dependsOn: [site] },
            ),
        ];
    });
}
