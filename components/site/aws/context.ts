// What every AWS site helper needs to create children: the component they belong to, the
// region's provider, the tags and the protection switch. The class builds one and passes it on.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { statefulOptions } from "../site";

export interface AwsSiteContext {
    /** The component's name; every child's name starts with it. */
    readonly name: string;
    /** The component: parent of every child. */
    readonly parent: pulumi.Resource;
    /** The provider of the site's region. */
    readonly provider: aws.Provider;
    readonly region: string;
    /** service, site, environment, managed-by and the caller's extra tags. */
    readonly tags: Readonly<Record<string, string>>;
    readonly protectStateful: boolean;
    /** `aws`, `aws-cn` or `aws-us-gov`, for managed policy ARNs. */
    readonly partition: pulumi.Output<string>;
}

/** Options for a stateless child in the site's region. */
export function childOptions(ctx: AwsSiteContext, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
    return { ...extra, parent: ctx.parent, provider: extra.provider ?? ctx.provider };
}

/** Options for a stateful child (database, bucket, key, vault): protect + retainOnDelete when protectStateful. */
export function statefulChildOptions(ctx: AwsSiteContext, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
    return statefulOptions(ctx.parent, ctx.protectStateful, { ...extra, provider: extra.provider ?? ctx.provider });
}

/** The site's tags plus a Name tag (what the AWS console lists). */
export function tagsNamed(ctx: AwsSiteContext, nameTag: string): Record<string, string> {
    return { ...ctx.tags, Name: nameTag };
}

/** ARN of an AWS-managed IAM policy, e.g. `service-role/AmazonECSTaskExecutionRolePolicy`. */
export function managedPolicyArn(ctx: AwsSiteContext, policyPath: string): pulumi.Output<string> {
    return pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/${policyPath}`;
}

/** Trust policy letting one AWS service assume a role. */
export function assumeRolePolicy(service: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    });
}

/**
 * A physical name for resources AWS makes unique per account (not per stack) and that Pulumi
 * cannot auto-name: the component name plus the stack, cut to `maxLength`, with only the
 * characters `allowed` and `separator` between words.
 */
export function physicalName(parts: readonly string[], options: { maxLength: number; separator: "-" | "_"; lowercase?: boolean }): string {
    let joined = parts.join(options.separator).replace(/[^A-Za-z0-9]+/g, options.separator);
    if (options.lowercase) joined = joined.toLowerCase();
    const trimmed = joined.slice(0, options.maxLength);
    // RDS identifiers may neither end with nor repeat a hyphen; keep every kind of name tidy.
    return trimmed.replace(new RegExp(`\\${options.separator}+`, "g"), options.separator).replace(new RegExp(`\\${options.separator}+$`), "");
}
