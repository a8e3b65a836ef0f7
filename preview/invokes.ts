// Answers to data-source calls (invokes) under the offline preview: the common lookups are
// answered with plausible values consistent with the stack's config (a region's zones, the
// configured project); a user can answer any other token in a JSON file. An unanswered call is
// recorded by name and gets an empty result, so the run can report it instead of crashing.

/** Answers keyed by invoke token, e.g. `aws:ec2/getAmi:getAmi`. A function receives the call's inputs. */
export type DataSourceAnswers = Readonly<Record<string, unknown>>;

interface ProviderLookup {
    readonly inputs: Readonly<Record<string, unknown>>;
}

export const ACCOUNT_ID = "123456789012";

export class InvokeRecorder {
    private readonly missing = new Set<string>();

    constructor(
        private readonly config: Readonly<Record<string, unknown>>,
        private readonly answers: DataSourceAnswers,
        private readonly resourcesByUrn: ReadonlyMap<string, ProviderLookup>,
    ) {}

    unanswered(): string[] {
        return [...this.missing].sort();
    }

    defaultAwsRegion(): string {
        return String(this.config["aws:region"] ?? "us-east-1");
    }

    gcpProject(): string {
        return String(this.config["gcp:project"] ?? this.config["nonstop:gcpProject"] ?? "nonstop-preview");
    }

    private gcpRegion(): string {
        return String(this.config["gcp:region"] ?? "us-central1");
    }

    /** The region of the explicit provider of a call (`urn::id`), else the stack's default. */
    private providerSetting(providerRef: string | undefined, key: string): string | undefined {
        if (!providerRef) return undefined;
        const urn = providerRef.split("::").slice(0, -1).join("::");
        const value = this.resourcesByUrn.get(urn)?.inputs[key];
        return typeof value === "string" ? value : undefined;
    }

    answer(token: string, inputs: Record<string, unknown>, provider?: string): Record<string, unknown> {
        if (token in this.answers) {
            const a = this.answers[token];
            return (typeof a === "function" ? (a as (i: unknown) => unknown)(inputs) : a) as Record<string, unknown>;
        }
        const builtin = this.builtin(token, inputs, provider);
        if (builtin) return builtin;
        this.missing.add(token);
        return {};
    }

    private builtin(token: string, inputs: Record<string, unknown>, provider?: string): Record<string, unknown> | undefined {
        const awsRegion = this.providerSetting(provider, "region") ?? this.defaultAwsRegion();
        const project = this.providerSetting(provider, "project") ?? this.gcpProject();
        const gcpRegion = (inputs.region as string | undefined) ?? this.providerSetting(provider, "region") ?? this.gcpRegion();
        switch (token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                const letters = ["a", "b", "c", "d", "e", "f"];
                const names = letters.map((l) => `${awsRegion}${l}`);
                return { id: awsRegion, names, zoneIds: names.map((_, i) => `use1-az${i + 1}`), groupNames: [awsRegion], state: inputs.state ?? "available" };
            }
            case "aws:index/getRegion:getRegion":
                return { id: awsRegion, name: awsRegion, region: awsRegion, description: awsRegion, endpoint: `ec2.${awsRegion}.amazonaws.com` };
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { id: ACCOUNT_ID, accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/nonstop-preview`, userId: "AIDANONSTOPPREVIEW" };
            case "aws:index/getPartition:getPartition":
                return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
            case "aws:route53/getZone:getZone": {
                const zone = String(inputs.name ?? "example.com").replace(/\.$/, "");
                return { id: "Z0NONSTOPPREVIEW", zoneId: "Z0NONSTOPPREVIEW", name: `${zone}.`, nameServers: [], privateZone: false };
            }
            case "aws:iam/getPolicyDocument:getPolicyDocument":
                return { id: "policy", json: JSON.stringify({ Version: "2012-10-17", Statement: inputs.statements ?? [] }) };
            case "gcp:organizations/getProject:getProject":
                return { id: `projects/${project}`, projectId: project, number: "123456789012", name: project };
            case "gcp:organizations/getClientConfig:getClientConfig":
                return { id: project, project, region: gcpRegion, zone: `${gcpRegion}-a`, accessToken: "preview-token" };
            case "gcp:compute/getZones:getZones":
                return { id: gcpRegion, names: ["a", "b", "c"].map((l) => `${gcpRegion}-${l}`), project, region: gcpRegion };
            case "gcp:dns/getManagedZone:getManagedZone":
                return { id: String(inputs.name), name: inputs.name, dnsName: `${String(inputs.name).replace(/-/g, ".")}.`, project, visibility: "public", nameServers: [] };
            case "gcp:storage/getProjectServiceAccount:getProjectServiceAccount":
                return { id: project, emailAddress: `service-123456789012@gs-project-accounts.iam.gserviceaccount.com`, project };
            case "gcp:storage/getTransferProjectServiceAccount:getTransferProjectServiceAccount":
                return { id: project, email: `project-123456789012@storage-transfer-service.iam.gserviceaccount.com`, project };
        }
        return undefined;
    }
}
