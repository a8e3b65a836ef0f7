// The delivery stack's config (`delivery:*` keys of delivery/Pulumi.<stack>.yaml): which Pulumi
// organization and GitHub repository, and per app stack the cloud roles Pulumi Deployments
// assumes through OIDC. Validated before any resource is created; every problem at once, each
// naming the file and the key, like the app's stack config.
import { z } from "zod";
import { ConfigError, ConfigIssue, decode, formatPath, splitKey } from "../stacks/config";

export const DELIVERY_NAMESPACE = "delivery";

const cron = z.string().regex(/^(\S+\s+){4}\S+$/, 'a five-field cron expression such as "0 */4 * * *"');
const duration = z.string().regex(/^(\d+h)?(\d+m)?(\d+s)?$/, 'a duration in "XhYmZs" form such as "1h" or "45m"');

/** Field names as @pulumi/pulumiservice's AWSOIDCConfigurationArgs defines them. */
const awsOidcSchema = z.strictObject({
    roleARN: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "an IAM role ARN such as arn:aws:iam::123456789012:role/nonstop-deploy-prod"),
    /** @default "pulumi-deployments-<stack>" */
    sessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/, "2-64 characters of letters, digits and +=,.@_-").optional(),
    /** @default the role's session limit as Pulumi Cloud applies it (1h) */
    duration: duration.optional(),
});

/** Field names as @pulumi/pulumiservice's GCPOIDCConfigurationArgs defines them. */
const gcpOidcSchema = z.strictObject({
    projectId: z.string().regex(/^\d{6,}$/, "the project NUMBER (digits, shown on the project's dashboard), not the project id"),
    workloadPoolId: z.string().regex(/^[a-z0-9-]{4,32}$/, "a workload identity pool id"),
    providerId: z.string().regex(/^[a-z0-9-]{4,32}$/, "a workload identity pool provider id"),
    serviceAccount: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z0-9.-]+\.iam\.gserviceaccount\.com$/, "a service account email such as nonstop-deploy@PROJECT.iam.gserviceaccount.com"),
    region: z.string().optional(),
    tokenLifetime: duration.optional(),
});

const stackSchema = z.strictObject({
    aws: awsOidcSchema.optional(),
    gcp: gcpOidcSchema.optional(),
    /** Drift detection (refresh preview) schedule. @default "0 *\/4 * * *" for prod stacks, none for dev */
    driftSchedule: cron.optional(),
    /** Destroy the stack (and delete it) at this ISO 8601 time: for ephemeral stacks, never prod. */
    ttl: z.iso.datetime({ offset: true, message: "an ISO 8601 time such as 2026-12-31T18:00:00Z" }).optional(),
    /** Use this stack as the template of pull-request review stacks (not prod). @default false */
    reviewStackTemplate: z.boolean().optional(),
});

const githubActionsSchema = z.strictObject({
    /** The Pulumi team whose token the PR workflow gets through OIDC; it gets read access to each stack. */
    team: z.string().regex(/^[a-zA-Z0-9][\w.-]{0,39}$/, "a Pulumi team name"),
});

export const deliveryKeySchemas = {
    organization: z.string().regex(/^[a-zA-Z0-9][\w.-]{0,39}$/, "a Pulumi organization name"),
    repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "a GitHub repository as owner/name"),
    branch: z.string().regex(/^[\w./-]+$/, "a branch name such as main"),
    policyPack: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "the policy pack's name as PolicyPack registers it"),
    stacks: z.record(z.string().regex(/^[\w.-]+$/, "a stack name"), stackSchema).refine((s) => Object.keys(s).length > 0, "at least one app stack"),
    githubActions: githubActionsSchema,
} as const;

const requiredKeys = ["organization", "repository", "stacks"] as const;

export type AwsOidc = z.infer<typeof awsOidcSchema>;
export type GcpOidc = z.infer<typeof gcpOidcSchema>;
export type DeliveryStackConfig = z.infer<typeof stackSchema>;

export interface DeliveryConfig {
    readonly organization: string;
    readonly repository: string;
    /** @default "main" */
    readonly branch: string;
    /** @default "nonstop-resilience" */
    readonly policyPack: string;
    readonly stacks: Readonly<Record<string, DeliveryStackConfig>>;
    readonly githubActions?: z.infer<typeof githubActionsSchema>;
}

export const DEFAULT_BRANCH = "main";
export const DEFAULT_POLICY_PACK = "nonstop-resilience";

/** Parses the `delivery:*` keys; throws ConfigError with every problem. */
export function parseDeliveryConfig(values: Readonly<Record<string, unknown>>, stackFile: string): DeliveryConfig {
    const issues: ConfigIssue[] = [];
    const parsed: Record<string, unknown> = {};
    const known = Object.keys(deliveryKeySchemas);
    for (const [fullKey, raw] of Object.entries(values)) {
        const [ns, key] = splitKey(fullKey);
        if (ns !== DELIVERY_NAMESPACE) continue;
        if (!known.includes(key)) {
            issues.push({ path: fullKey, message: `unknown key (known keys: ${known.map((k) => `${DELIVERY_NAMESPACE}:${k}`).join(", ")})` });
            continue;
        }
        const schema: z.ZodType = deliveryKeySchemas[key as keyof typeof deliveryKeySchemas];
        const result = schema.safeParse(decode(raw, schema));
        if (result.success) parsed[key] = result.data;
        else for (const i of result.error.issues) issues.push({ path: fullKey + formatPath(i.path), message: i.message });
    }
    for (const key of requiredKeys) {
        if (!(`${DELIVERY_NAMESPACE}:${key}` in values)) issues.push({ path: `${DELIVERY_NAMESPACE}:${key}`, message: "is required" });
    }
    if (issues.length > 0) throw new ConfigError(stackFile, issues);
    return {
        organization: parsed.organization as string,
        repository: parsed.repository as string,
        branch: (parsed.branch as string | undefined) ?? DEFAULT_BRANCH,
        policyPack: (parsed.policyPack as string | undefined) ?? DEFAULT_POLICY_PACK,
        stacks: parsed.stacks as Record<string, DeliveryStackConfig>,
        githubActions: parsed.githubActions as DeliveryConfig["githubActions"],
    };
}
