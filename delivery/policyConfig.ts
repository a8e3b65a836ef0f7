// Policy pack config as Pulumi Cloud stores it in a policy group, from the file format that
// `pulumi preview --policy-pack-config` and `pulumi policy enable --config` read.
//
// The file allows `"all": "mandatory"` and `"rule": {"enforcementLevel": "...", ...properties}`;
// the service wants every entry as an object whose enforcement level sits beside the properties.
// This mirrors the CLI's own conversion (pkg/resource/analyzer/config.go parsePolicyPackConfig,
// then marshalAnalyzerPolicyConfig in pkg/cmd/pulumi/policy/policy_enable.go), so a policy group
// created here holds exactly what `pulumi policy enable --config FILE` would send.

export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

export type ServicePolicyConfig = Record<string, Record<string, unknown>>;

/** Converts a pack config file's content; throws naming the file and the entry on anything the CLI would refuse. */
export function toServicePolicyConfig(file: string, content: unknown): ServicePolicyConfig {
    if (typeof content !== "object" || content === null || Array.isArray(content)) {
        throw new Error(`${file}: a policy pack config must be a JSON object of policy names to settings`);
    }
    const out: ServicePolicyConfig = {};
    for (const [policy, value] of Object.entries(content as Record<string, unknown>)) {
        if (policy === "environments") {
            // ESC environments for a pack are attached in Pulumi Cloud; the provider's PolicyGroup has no field for them.
            throw new Error(`${file}: "environments" cannot be carried by a policy group created with @pulumi/pulumiservice; attach ESC environments to the pack in Pulumi Cloud instead`);
        }
        if (typeof value === "string") {
            out[policy] = { enforcementLevel: enforcementLevel(file, policy, value) };
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            const { enforcementLevel: level, ...properties } = value as Record<string, unknown>;
            const entry: Record<string, unknown> = { ...properties };
            if (level !== undefined) entry.enforcementLevel = enforcementLevel(file, policy, level);
            // The CLI drops entries that set nothing.
            if (Object.keys(entry).length > 0) out[policy] = entry;
        } else {
            throw new Error(`${file}: "${policy}": ${JSON.stringify(value)} is not a valid value; expected an enforcement level (${ENFORCEMENT_LEVELS.join(" | ")}) or an object of settings`);
        }
    }
    return out;
}

function enforcementLevel(file: string, policy: string, value: unknown): EnforcementLevel {
    if (typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value)) return value as EnforcementLevel;
    throw new Error(`${file}: "${policy}": enforcement level ${JSON.stringify(value)} is not one of ${ENFORCEMENT_LEVELS.join(" | ")}`);
}
