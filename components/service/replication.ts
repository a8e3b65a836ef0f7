// How every other site's data follows the writer's, and what keeps it following through a
// promotion: the private path between AWS sites (peering), change data capture across clouds (with
// its alarms), object replication, and the promotion of an Aurora global secondary from the
// region that takes over.
import * as pulumi from "@pulumi/pulumi";
import { ChangeDataCapture, cdcMechanism } from "../data/changeDataCapture";
import { GlobalDatabaseFailover } from "../data/globalDatabaseFailover";
import { ObjectReplication } from "../data/objectReplication";
import { AwsSitePeering, PeeredSite } from "../network/awsSitePeering";
import type { AwsSite } from "../site/awsSite";
import { Cloud } from "../site/site";
import { ServicePlan } from "./plan";
import { DatabaseReplication, ResolvedServiceArgs, ServiceDns, SiteReplication } from "./serviceParts";
import { ServiceSite } from "./siteFactory";

export function databaseReplication(from: Cloud, to: Cloud): DatabaseReplication {
    if (from === to) return ({ aws: "aurora-global-database", gcp: "cloud-sql-replica", kubernetes: "cnpg-replica-cluster" } as const)[from];
    return cdcMechanism(from, to);
}

/** AwsSite's outputs the service wires between sites (absent on other sites and on test stand-ins). */
export function awsOutputs(site: ServiceSite): Partial<Pick<AwsSite, "alertTopicArn" | "scaling" | "region">> {
    return site as Partial<Pick<AwsSite, "alertTopicArn" | "scaling" | "region">>;
}

/** A site as one end of an AWS peering, when it is an AWS site with a database network. */
function peered(site: ServiceSite): PeeredSite | undefined {
    const db = site.database;
    return db?.cloud === "aws" && db.network ? { key: site.endpoint.key, region: db.location, network: db.network, databasePort: db.port } : undefined;
}

/**
 * Every pair of the AWS sites of an Aurora global database, peered: any of them may hold the
 * writer after a promotion, and every site's app writes through the global writer endpoint.
 */
export function peerAwsSites(parent: pulumi.Resource, name: string, a: ResolvedServiceArgs, sites: readonly ServiceSite[]): AwsSitePeering[] {
    const members = sites.map(peered).filter((p): p is PeeredSite => p !== undefined);
    const peerings: AwsSitePeering[] = [];
    for (let i = 0; i < members.length; i++) {
        for (let j = i + 1; j < members.length; j++) {
            peerings.push(
                new AwsSitePeering(`${name}-peer-${members[i].key}-${members[j].key}`, { requester: members[i], accepter: members[j], tags: { ...a.tags, service: a.service.name } }, { parent }),
            );
        }
    }
    return peerings;
}

/** What the replication of a service is wired from: its sites, built, and its DNS. */
export interface ServiceWiring {
    readonly parent: pulumi.Resource;
    /** The service component's name, which prefixes every child. */
    readonly name: string;
    readonly a: ResolvedServiceArgs;
    readonly plan: ServicePlan;
    readonly writer: ServiceSite;
    /** Every other site, in the service's order. */
    readonly others: readonly ServiceSite[];
    readonly dns: ServiceDns;
}

/**
 * Same cloud: the site's replicaOf already replicates the database (AWS sites are peered so that
 * the global writer endpoint and the failover probe reach the writer). Across clouds: change data
 * capture, reading the writer through the endpoint that follows its promotion. Objects: one
 * ObjectReplication from the writer's bucket to every other bucket. An AWS follower of an Aurora
 * Global Database is promoted when the writer's region is lost.
 */
export function replicateFromWriter(w: ServiceWiring): Record<string, SiteReplication> {
    const { parent, name, a, plan, writer, others } = w;
    const out: Record<string, SiteReplication> = {};
    const writerDb = writer.database;
    const peerings = plan.globalDatabase ? peerAwsSites(parent, name, a, [writer, ...others]) : [];
    const writerTasks: pulumi.Output<string>[] = [];
    for (const other of others) {
        const db = other.database;
        const writes = plan.sites.find((s) => s.key === other.endpoint.key)?.writes ?? "read-only";
        let database: DatabaseReplication = "none";
        if (writerDb && db) {
            database = databaseReplication(writerDb.cloud, db.cloud);
            if (writerDb.cloud !== db.cloud) {
                const awsSide = writerDb.cloud === "aws" ? writer : db.cloud === "aws" ? other : undefined;
                const cdc = new ChangeDataCapture(
                    `${name}-cdc-${other.endpoint.key}`,
                    {
                        source: writerDb,
                        target: db,
                        gcpProject: a.gcpProject,
                        alertTopicArn: awsSide ? awsOutputs(awsSide).alertTopicArn : undefined,
                        tags: { ...a.tags, service: a.service.name },
                    },
                    { parent, dependsOn: [writer, other, ...a.dmsPrerequisites] },
                );
                database = cdc.mechanism;
                if (cdc.mechanism === "aws-dms" && writerDb.cloud === "aws" && cdc.jobId) writerTasks.push(cdc.jobId);
            }
        }
        out[other.endpoint.key] = { database, objects: "none", writes };
    }
    const source = writer.bucket;
    const withBuckets = others.filter((o) => o.bucket !== undefined);
    if (source && withBuckets.length > 0) {
        const objects = new ObjectReplication(
            `${name}-objects`,
            { source, destinations: withBuckets.map((o) => o.bucket!), gcpProject: a.gcpProject, tags: { ...a.tags, service: a.service.name } },
            // Replication needs versioning on both buckets: wait for the sites.
            { parent, dependsOn: [writer, ...withBuckets] },
        );
        for (const o of withBuckets) out[o.endpoint.key] = { ...out[o.endpoint.key], objects: objects.mechanisms[`${o.bucket!.cloud}-${o.bucket!.location}`] };
    }
    automateGlobalDatabaseFailover(w, writerTasks, peerings);
    return out;
}

/**
 * Promotes the first AWS follower of the writer's Aurora Global Database when the writer's region
 * is lost, from that follower's region. One target only (the first listed, as DNS tries them): two
 * automated promotions would race, and the second would discard the writes the first accepted.
 */
export function automateGlobalDatabaseFailover(w: ServiceWiring, followerTaskArns: readonly pulumi.Output<string>[], peerings: readonly pulumi.Resource[]): GlobalDatabaseFailover | undefined {
    const { parent, name, a, plan, writer, others, dns } = w;
    const writerDb = writer.database;
    if (!plan.globalDatabase || !plan.promotionTarget || writerDb?.cloud !== "aws" || !writerDb.global || !writerDb.network) return undefined;
    const targetKey = plan.promotionTarget.key;
    const target = others.find((o) => o.endpoint.key === targetKey);
    const targetDb = target?.database;
    if (!target || targetDb?.cloud !== "aws" || !targetDb.network) return undefined;
    return new GlobalDatabaseFailover(
        `${name}-db-failover`,
        {
            globalClusterIdentifier: writerDb.id,
            writerRegion: writerDb.location,
            writerSiteKey: writer.endpoint.key,
            writerEndpoint: writerDb.host,
            writerPort: writerDb.port,
            engine: writerDb.engine,
            writerVpcCidr: writerDb.network.vpcCidr,
            // Exact clusters when the sites expose them: the function's IAM policy then names only these.
            writerClusterArn: writerDb.clusterArn,
            targetRegion: targetDb.location,
            targetClusterArn: targetDb.clusterArn,
            network: { vpcId: targetDb.network.vpcId, subnetIds: targetDb.network.subnetIds },
            // Route 53 only: the pin inverts the writer's home site's check.
            homeHealthCheckId: a.dns.provider === "route53" ? dns.healthCheckIds[writer.endpoint.key] : undefined,
            followerTaskArns,
            environment: a.environment,
            enabled: a.automateDataFailover,
            switchBack: a.failback?.switchBack,
            // AwsSite's alert topic is in its own region, where the function and its alarms live.
            alertTopicArn: awsOutputs(target).alertTopicArn,
            tags: { ...a.tags, service: a.service.name },
        },
        // The probe needs the path to the writer (peering) before it first runs.
        { parent, dependsOn: [writer, target, ...peerings] },
    );
}
