// Cloud SQL with a replication factor. Copies of the data in the region:
//   1 -> ZONAL primary
//   2 -> REGIONAL primary (synchronous standby in a second zone, automatic failover)
//   n -> REGIONAL primary + (n - 2) read replicas spread over the other zones
// A site whose data comes from another GCP site gets a cross-region replica (masterInstanceName)
// instead of a new primary; it is promoted on failover.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { shortHash } from "./labels";
import type { ResolvedGcpData, ResolvedGcpSiteArgs } from "../gcpSite";
import { CLOUD_SQL_MAX_REPLICATION_FACTOR } from "../providerLimits";
import { SiteDatabase, statefulOptions } from "../site";

export { CLOUD_SQL_MAX_REPLICATION_FACTOR };

export interface CloudSqlTopology {
    readonly availabilityType: "ZONAL" | "REGIONAL";
    readonly readReplicas: number;
}

/** How many copies each part holds for a replication factor: REGIONAL counts as two. */
export function cloudSqlTopology(replicationFactor: number): CloudSqlTopology {
    if (replicationFactor <= 1) return { availabilityType: "ZONAL", readReplicas: 0 };
    return { availabilityType: "REGIONAL", readReplicas: replicationFactor - 2 };
}

export interface CloudSql {
    /** The site's writer (or, for a replica site, its cross-region replica). */
    readonly primary: gcp.sql.DatabaseInstance;
    readonly replicas: readonly gcp.sql.DatabaseInstance[];
    readonly siteDatabase: SiteDatabase;
    /** Secret Manager secret holding the password, for Cloud Run. */
    readonly passwordSecret: gcp.secretmanager.Secret;
    /** IAM grants the service needs before it starts. */
    readonly grants: readonly pulumi.Resource[];
}

export function createCloudSql(
    name: string,
    a: ResolvedGcpSiteArgs,
    d: ResolvedGcpData,
    serviceAccountEmail: string,
    parent: pulumi.Resource,
    child: pulumi.CustomResourceOptions,
): CloudSql {
    const stateful = statefulOptions(parent, a.protectStateful, { provider: child.provider, dependsOn: child.dependsOn });
    // The lookup calls the Compute API: it waits until the site has enabled it (unknown at a first preview).
    const zones = gcp.compute.getZonesOutput({ project: a.project, region: a.region }, { parent, provider: child.provider, dependsOn: child.dependsOn }).names;
    const zone = (i: number) => zones.apply((z) => z[i % z.length]);
    const postgres = d.engine === "postgres";
    const ipConfiguration = {
        // A public address that only the Cloud SQL connectors (IAM-checked, TLS) and the change data
        // capture of another cloud reach: its egress addresses are the only authorized networks, and
        // every connection must use TLS. A private IP would need a VPN to the other cloud.
        ipv4Enabled: true,
        authorizedNetworks: pulumi.output(d.allowedClients).apply((cidrs) => cidrs.map((value, i) => ({ name: `replication-${i + 1}`, value }))),
        sslMode: "ENCRYPTED_ONLY",
    };
    const common = {
        tier: d.tier,
        edition: "ENTERPRISE",
        diskType: "PD_SSD",
        diskSize: d.storageGb,
        diskAutoresize: true,
        deletionProtectionEnabled: a.protectStateful,
        ipConfiguration,
        userLabels: { ...a.labels },
    };
    const [startHour] = d.backupStartTime.split(":").map(Number);

    const source = d.replicaOf;
    const primary = new gcp.sql.DatabaseInstance(
        `${name}-db`,
        {
            region: a.region,
            databaseVersion: d.databaseVersion,
            deletionProtection: a.protectStateful,
            ...(source
                ? {
                      masterInstanceName: source.id,
                      // Extra in-region replicas hang off this replica, so it must allow cascading.
                      replicaConfiguration: { failoverTarget: false, cascadableReplica: d.readReplicas > 0 },
                  }
                : {}),
            settings: {
                ...common,
                // Change data capture from a PostgreSQL source reads its WAL through logical decoding
                // (MySQL: the binary log, on with the backups below). Setting a flag restarts the instance.
                ...(d.logicalReplication && postgres ? { databaseFlags: [{ name: "cloudsql.logical_decoding", value: "on" }] } : {}),
                availabilityType: d.availabilityType,
                locationPreference: { zone: zone(0), ...(d.availabilityType === "REGIONAL" ? { secondaryZone: zone(1) } : {}) },
                // Cloud SQL refuses backup settings on replicas; a promoted replica gets them then.
                ...(source
                    ? {}
                    : {
                          backupConfiguration: {
                              enabled: true,
                              startTime: d.backupStartTime,
                              ...(postgres ? { pointInTimeRecoveryEnabled: true } : { binaryLogEnabled: true }),
                              transactionLogRetentionDays: d.transactionLogRetentionDays,
                              backupRetentionSettings: { retainedBackups: d.backupRetentionDays, retentionUnit: "COUNT" },
                              ...(d.backupCopyRegion ? { location: d.backupCopyRegion } : {}),
                          },
                          retainBackupsOnDelete: a.protectStateful,
                      }),
                // Maintenance away from the backup window.
                maintenanceWindow: { day: 7, hour: (startHour + 12) % 24, updateTrack: "stable" },
            },
        },
        stateful,
    );

    const replicas: gcp.sql.DatabaseInstance[] = [];
    for (let i = 1; i <= d.readReplicas; i++) {
        replicas.push(
            new gcp.sql.DatabaseInstance(
                `${name}-db-replica-${i}`,
                {
                    region: a.region,
                    databaseVersion: d.databaseVersion,
                    masterInstanceName: primary.name,
                    deletionProtection: a.protectStateful,
                    replicaConfiguration: { failoverTarget: false },
                    settings: {
                        ...common,
                        availabilityType: "ZONAL",
                        // The primary and its standby use the first two zones; replicas go round the rest.
                        locationPreference: { zone: zone(i + 1) },
                    },
                },
                stateful,
            ),
        );
    }

    // A replica site inherits database, user and password from its source through replication.
    let password: pulumi.Output<string>;
    const grants: pulumi.Resource[] = [];
    if (source) {
        password = source.password;
    } else {
        const generated = new random.RandomPassword(`${name}-db-password`, { length: 32, special: false }, { parent });
        password = generated.result;
        new gcp.sql.Database(
            `${name}-database`,
            { instance: primary.name, name: d.databaseName, ...(a.protectStateful ? { deletionPolicy: "ABANDON" } : {}) },
            stateful,
        );
        // Postgres refuses to drop a user that owns objects; abandoning it lets the instance go first.
        new gcp.sql.User(`${name}-db-user`, { instance: primary.name, name: d.username, password, ...(postgres ? { deletionPolicy: "ABANDON" } : {}) }, child);
    }
    const passwordSecret = new gcp.secretmanager.Secret(
        `${name}-db-secret`,
        {
            // Secret ids are per project; the hash keeps two stacks in one project apart.
            secretId: `${a.service}-db-password-${shortHash(`${pulumi.getProject()}/${pulumi.getStack()}/${name}`)}`,
            replication: { auto: {} },
            deletionProtection: a.protectStateful,
            labels: { ...a.labels },
        },
        stateful,
    );
    new gcp.secretmanager.SecretVersion(`${name}-db-secret-version`, { secret: passwordSecret.id, secretData: password }, child);
    grants.push(
        new gcp.secretmanager.SecretIamMember(
            `${name}-db-secret-access`,
            { secretId: passwordSecret.id, role: "roles/secretmanager.secretAccessor", member: `serviceAccount:${serviceAccountEmail}` },
            child,
        ),
        new gcp.projects.IAMMember(`${name}-sql-client`, { project: a.project, role: "roles/cloudsql.client", member: `serviceAccount:${serviceAccountEmail}` }, child),
    );

    const siteDatabase: SiteDatabase = {
        engine: d.engine,
        cloud: "gcp",
        location: a.region,
        host: primary.firstIpAddress,
        // A replica's writer is its source's; the Cloud SQL connectors reach it by connection name.
        writerHost: source ? source.writerHost : primary.publicIpAddress,
        readerHost: (replicas[0] ?? primary).publicIpAddress,
        externalHost: primary.publicIpAddress,
        connectionName: primary.connectionName,
        port: postgres ? 5432 : 3306,
        databaseName: d.databaseName,
        username: d.username,
        password: pulumi.secret(password),
        id: primary.name,
    };
    return { primary, replicas, siteDatabase, passwordSecret, grants };
}
