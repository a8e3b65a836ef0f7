// A Velero backup schedule for Kubernetes namespaces: resources and volume snapshots on a cron,
// kept for a number of days. Velero itself (and its backup storage locations) is installed in the
// cluster by its operators; this component only asks it to back up what a site runs.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { cronProblem } from "./cron";

export interface VeleroScheduleArgs {
    /** Five-field cron, in the time zone of the Velero server (UTC unless configured otherwise). */
    readonly schedule: string;
    /** Days each backup is kept; becomes the backup TTL. */
    readonly retentionDays: number;
    /** Namespaces each backup contains. */
    readonly includedNamespaces: readonly string[];
    /** Namespace Velero runs in. @default "velero" */
    readonly veleroNamespace?: string;
    /** BackupStorageLocation the backups go to (e.g. one in another region). @default Velero's default location */
    readonly storageLocation?: string;
    /** Snapshot persistent volumes along with the resources. @default true */
    readonly snapshotVolumes?: boolean;
    /** Labels for the Schedule. @default {} */
    readonly labels?: Readonly<Record<string, string>>;
}

/** Velero's duration format for a retention in days, e.g. 7 -> "168h0m0s". */
export function veleroTtl(retentionDays: number): string {
    return `${retentionDays * 24}h0m0s`;
}

/** Problems with the args, each naming the arg, the value and the fix; empty when valid. */
export function validateVeleroScheduleArgs(args: VeleroScheduleArgs): string[] {
    const problems: string[] = [];
    const cron = cronProblem(args.schedule);
    if (cron) problems.push(`schedule: ${cron}`);
    if (!Number.isInteger(args.retentionDays) || args.retentionDays < 1) {
        problems.push(`retentionDays: ${args.retentionDays} is not a whole number of days >= 1; keep backups at least one day`);
    }
    if (args.includedNamespaces.length === 0) {
        problems.push("includedNamespaces: is empty, so every backup would be empty; name the namespaces to back up");
    }
    return problems;
}

/** `velero.io/v1` Schedule: a backup of the given namespaces on a cron, each kept for retentionDays. */
export class VeleroSchedule extends pulumi.ComponentResource {
    /** The Schedule custom resource. */
    readonly schedule: k8s.apiextensions.CustomResource;
    /** Name of the Schedule in the Velero namespace. */
    readonly scheduleName: pulumi.Output<string>;

    constructor(name: string, args: VeleroScheduleArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:backup:VeleroSchedule", name, {}, opts);
        const problems = validateVeleroScheduleArgs(args);
        if (problems.length > 0) throw new pulumi.ResourceError(`VeleroSchedule ${name}: invalid args:\n  ${problems.join("\n  ")}`, this);

        this.schedule = new k8s.apiextensions.CustomResource(
            name,
            {
                apiVersion: "velero.io/v1",
                kind: "Schedule",
                metadata: { name, namespace: args.veleroNamespace ?? "velero", labels: { ...args.labels } },
                spec: {
                    schedule: args.schedule,
                    // Backups outlive the Schedule: deleting the Schedule must not garbage-collect them.
                    useOwnerReferencesInBackup: false,
                    template: {
                        ttl: veleroTtl(args.retentionDays),
                        includedNamespaces: [...args.includedNamespaces],
                        snapshotVolumes: args.snapshotVolumes ?? true,
                        ...(args.storageLocation ? { storageLocation: args.storageLocation } : {}),
                    },
                },
            },
            { parent: this },
        );
        this.scheduleName = this.schedule.metadata.name;
        this.registerOutputs({ scheduleName: this.scheduleName });
    }
}
