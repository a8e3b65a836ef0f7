// AWS service quotas this stack needs above their defaults, as real resources: one
// aws.servicequotas.ServiceQuota each. Creating one files the increase request when the current
// value is lower (and records the value when it is not), and it is how the pack's service-quotas
// rule learns the quota in effect, offline and under `pulumi preview --policy-pack` alike.
//
// An increase can take time to be approved: until it is, a create beyond the old value still
// fails (e.g. AddressLimitExceeded). The stack program makes every service wait for these
// resources, so the requests are filed before anything that needs them.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface RaisedQuota {
    /** Service Quotas service code, e.g. "ec2". */
    readonly serviceCode: string;
    /** Quota code, e.g. "L-0263D0A3" (EC2-VPC Elastic IPs). */
    readonly quotaCode: string;
    /** Region the quota holds in (us-east-1 for account-wide quotas such as Route 53 and IAM). */
    readonly region: string;
    /** The value needed. */
    readonly value: number;
}

export interface ServiceQuotasArgs {
    readonly quotas: readonly RaisedQuota[];
}

/** Problems with the quotas, each naming the entry (checked before anything is created). */
export function validateServiceQuotasArgs(args: ServiceQuotasArgs): string[] {
    const issues: string[] = [];
    const seen = new Set<string>();
    args.quotas.forEach((q, i) => {
        const key = `${q.region}/${q.serviceCode}/${q.quotaCode}`;
        if (seen.has(key)) issues.push(`quotas[${i}]: ${key} is listed twice; keep one entry per quota and Region`);
        seen.add(key);
        if (!Number.isInteger(q.value) || q.value < 1) issues.push(`quotas[${i}].value: ${q.value} is not a whole number >= 1`);
    });
    return issues;
}

export class ServiceQuotas extends pulumi.ComponentResource {
    public readonly quotas: readonly aws.servicequotas.ServiceQuota[];

    constructor(name: string, args: ServiceQuotasArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:account:ServiceQuotas", name, {}, opts);
        const issues = validateServiceQuotasArgs(args);
        if (issues.length > 0) throw new pulumi.ResourceError(`ServiceQuotas "${name}" has invalid args:\n  ${issues.join("\n  ")}`, this);
        this.quotas = args.quotas.map(
            (q) =>
                new aws.servicequotas.ServiceQuota(
                    `${name}-${q.region}-${q.serviceCode}-${q.quotaCode}`,
                    { region: q.region, serviceCode: q.serviceCode, quotaCode: q.quotaCode, value: q.value },
                    // A quota is never lowered by removing it from the stack (Service Quotas cannot decrease).
                    { parent: this, retainOnDelete: true },
                ),
        );
        this.registerOutputs({ quotas: this.quotas.map((q) => q.value) });
    }
}
