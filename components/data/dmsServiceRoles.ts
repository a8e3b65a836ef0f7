// The two account-wide IAM roles AWS DMS acts through, with the fixed names DMS looks up:
//   dms-vpc-role              places replication instances in a VPC (AmazonDMSVPCManagementRole);
//                             without it creating a replication subnet group fails with
//                             "AccessDeniedFault: The IAM Role ...dms-vpc-role is not configured properly."
//   dms-cloudwatch-logs-role  writes task logs to CloudWatch (AmazonDMSCloudWatchLogsRole)
// The console creates them the first time someone uses DMS there; nothing does for a program. They
// belong to the account, not to one stack: create them in ONE stack per account (the stack program
// does so when a service replicates through AWS DMS) and keep them when that stack goes away
// (retainOnDelete). Every DMS resource must wait for them (ServiceArgs.dmsPrerequisites).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The roles by their fixed names, with the AWS managed policy each needs. */
export const DMS_SERVICE_ROLES = {
    "dms-vpc-role": "service-role/AmazonDMSVPCManagementRole",
    "dms-cloudwatch-logs-role": "service-role/AmazonDMSCloudWatchLogsRole",
} as const;

export interface DmsServiceRolesArgs {
    /** @default {} */
    readonly tags?: Readonly<Record<string, string>>;
}

export class DmsServiceRoles extends pulumi.ComponentResource {
    /** The roles by name. */
    public readonly roles: Readonly<Record<keyof typeof DMS_SERVICE_ROLES, aws.iam.Role>>;
    /** What DMS resources must wait for: the roles with their policies attached. */
    public readonly ready: readonly pulumi.Resource[];

    constructor(name: string, args: DmsServiceRolesArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:data:DmsServiceRoles", name, {}, opts);
        const tags = args.tags ?? {};
        // IAM is global; the partition comes from the provider's region.
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const roles: Partial<Record<keyof typeof DMS_SERVICE_ROLES, aws.iam.Role>> = {};
        const ready: pulumi.Resource[] = [];
        for (const [roleName, policy] of Object.entries(DMS_SERVICE_ROLES) as [keyof typeof DMS_SERVICE_ROLES, string][]) {
            // Account-wide and shared with other stacks and tools: never deleted with this stack.
            const keep = { parent: this, retainOnDelete: true };
            const role = new aws.iam.Role(
                `${name}-${roleName}`,
                {
                    name: roleName,
                    assumeRolePolicy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { Service: "dms.amazonaws.com" }, Action: "sts:AssumeRole" }],
                    }),
                    description: "AWS DMS service role (account-wide, fixed name DMS looks up)",
                    tags,
                },
                keep,
            );
            const attachment = new aws.iam.RolePolicyAttachment(`${name}-${roleName}`, { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` }, keep);
            roles[roleName] = role;
            ready.push(role, attachment);
        }
        this.roles = roles as Record<keyof typeof DMS_SERVICE_ROLES, aws.iam.Role>;
        this.ready = ready;
        this.registerOutputs({ roleArns: Object.fromEntries(Object.entries(this.roles).map(([k, r]) => [k, r.arn])) });
    }
}
