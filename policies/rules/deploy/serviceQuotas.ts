// Default AWS service quotas the plan exceeds on its own: Elastic IPs, VPCs and internet gateways
// per Region, NAT gateways per Availability Zone, Route 53 health checks per account, ... (the
// table and its sources are in data/quotas.json). Mocks never count; the cloud answers the first
// create beyond the quota with an error such as AddressLimitExceeded, halfway through `pulumi up`.
//
// How a raised quota reaches the rule (the pack cannot read stack config, and must work the same
// under `pulumi preview --policy-pack`):
//   1. an aws:servicequotas/serviceQuota:ServiceQuota resource in the plan (nonstop's stacks create
//      one per entry of the `nonstop:quotas` stack key): its `value` is the quota in its Region;
//   2. this rule's `raised` setting, for quotas raised outside the program
//      ("us-east-1/ec2/L-0263D0A3=10", or "ec2/L-0263D0A3=10" for every Region).
// Resources other stacks already hold in the account count too and are invisible here:
// `maxShareOfQuota` keeps headroom for them.
import { GraphResource } from "../../lib/graph";
import { awsRegion, DEFAULT_REGION, showRegion, zoneOf, zoneToRegion } from "../../lib/location";
import { isUnknown, num, read, str } from "../../lib/props";
import { resolve } from "../../lib/refs";
import { finding, Finding, graphRule, groupBy, names } from "../graph/lib";
import quotasFile from "./data/quotas.json";
import { awsAccountOf } from "./lib";

export interface QuotaSpec {
    readonly name: string;
    readonly serviceCode: string;
    readonly quotaCode: string;
    readonly default: number;
    readonly scope: "account" | "region" | "zone";
    readonly counts: readonly { readonly type: string; readonly where?: Readonly<Record<string, string>> }[];
    readonly error: string;
    readonly source: string;
}

export const quotaSpecs: readonly QuotaSpec[] = (quotasFile as unknown as { quotas: QuotaSpec[] }).quotas;

const serviceQuotaType = "aws:servicequotas/serviceQuota:ServiceQuota";
const subnetType = "aws:ec2/subnet:Subnet";

/** A raised quota: from a ServiceQuota resource in the plan or from the rule's `raised` setting. */
interface Raise {
    readonly serviceCode: string;
    readonly quotaCode: string;
    /** undefined: every Region (and account-wide quotas). */
    readonly region?: string;
    readonly account?: string;
    readonly value: number;
    readonly from: string;
}

/** Parses "[<region>/]<serviceCode>/<quotaCode>=<value>"; undefined when malformed. */
export function parseRaise(text: string): Raise | undefined {
    const m = /^\s*(?:([a-z]{2}(?:-[a-z]+)+-\d+)\/)?([a-z0-9-]+)\/(L-[0-9A-F]{8})\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
    if (!m) return undefined;
    return { region: m[1], serviceCode: m[2], quotaCode: m[3], value: Number(m[4]), from: `setting raised "${text.trim()}"` };
}

function raisesInPlan(resources: readonly GraphResource[]): Raise[] {
    const out: Raise[] = [];
    for (const q of resources) {
        const serviceCode = str(q.props, "serviceCode");
        const quotaCode = str(q.props, "quotaCode");
        const value = num(q.props, "value");
        const region = awsRegion(q);
        if (!serviceCode || !quotaCode || value === undefined || isUnknown(region)) continue;
        out.push({ serviceCode, quotaCode, value, region, account: awsAccountOf(q), from: `${q.type} "${q.name}"` });
    }
    return out;
}

function matchesWhere(r: GraphResource, where: Readonly<Record<string, string>> | undefined): boolean | undefined {
    if (!where) return true;
    for (const [key, want] of Object.entries(where)) {
        const v = read(r.props, key);
        if (isUnknown(v)) return undefined;
        // An absent value takes the service's default, which is what `where` names.
        if (v !== undefined && v !== null && String(v).toLowerCase() !== want.toLowerCase()) return false;
    }
    return true;
}

interface Place {
    readonly account: string;
    /** A Region name or DEFAULT_REGION; undefined for account-wide quotas. */
    readonly region?: string;
    readonly zone?: string;
}

/** Where a resource counts against a quota of `scope`; undefined when it cannot be told. */
function placeOf(graph: Parameters<typeof resolve>[0], r: GraphResource, scope: QuotaSpec["scope"]): Place | undefined {
    const account = awsAccountOf(r);
    if (scope === "account") return { account };
    const region = awsRegion(r);
    if (isUnknown(region)) return undefined;
    if (scope === "region") return { account, region };
    const subnets = resolve(graph, r, "subnetId", [subnetType], { identity: ["id"] }).targets;
    const zones = new Set(subnets.map(zoneOf).filter((z): z is string => z !== undefined));
    if (zones.size !== 1) return undefined;
    const zone = [...zones][0];
    return { account, region: region === DEFAULT_REGION ? zoneToRegion(zone) : region, zone };
}

function placeLabel(p: Place, scope: QuotaSpec["scope"]): string {
    const account = p.account === "default" ? "" : ` of account ${p.account}`;
    if (scope === "account") return `the account${account}`;
    if (scope === "zone") return `Availability Zone ${p.zone}${account}`;
    return `${showRegion(p.region ?? DEFAULT_REGION)}${account}`;
}

function applies(raise: Raise, spec: QuotaSpec, place: Place): boolean {
    if (raise.serviceCode !== spec.serviceCode || raise.quotaCode !== spec.quotaCode) return false;
    if (raise.account !== undefined && raise.account !== place.account) return false;
    // Account-wide quotas are requested in one Region (us-east-1) but hold everywhere.
    if (spec.scope === "account" || raise.region === undefined) return true;
    return raise.region === place.region;
}

/**
 * Counts, per account, Region and zone, the resources that consume a commonly exhausted AWS
 * quota and reports when the plan alone needs more than the quota in effect.
 */
export const serviceQuotas = graphRule({
    name: "service-quotas",
    description:
        "The plan must fit the AWS service quotas in effect (defaults, or raised ones declared by aws.servicequotas.ServiceQuota resources or this rule's settings) per account, Region and Availability Zone.",
    thresholds: {
        raised: {
            type: "array",
            default: [],
            description: 'Quotas raised outside the program: "<region>/<serviceCode>/<quotaCode>=<value>" or "<serviceCode>/<quotaCode>=<value>" for every Region, e.g. "us-east-1/ec2/L-0263D0A3=10".',
        },
        maxShareOfQuota: {
            type: "number",
            default: 1,
            minimum: 0.01,
            maximum: 1,
            description: "Share of each quota this plan may use, leaving the rest to other stacks and resources in the same account.",
        },
    },
    check: (graph, config) => {
        const findings: Finding[] = [];
        const raises = [
            ...raisesInPlan(graph.ofType(serviceQuotaType)),
            ...config.raised.map(parseRaise).filter((r): r is Raise => r !== undefined),
        ];
        for (const spec of quotaSpecs) {
            const counted: { r: GraphResource; place: Place }[] = [];
            for (const c of spec.counts) {
                for (const r of graph.ofType(c.type)) {
                    if (matchesWhere(r, c.where) !== true) continue;
                    const place = placeOf(graph, r, spec.scope);
                    if (place) counted.push({ r, place });
                }
            }
            const groups = groupBy(counted, (x) => `${x.place.account}|${x.place.region ?? ""}|${x.place.zone ?? ""}`);
            for (const group of groups.values()) {
                const place = group[0].place;
                const applicable = raises.filter((x) => applies(x, spec, place));
                const best = applicable.reduce<Raise | undefined>((a, b) => (a === undefined || b.value > a.value ? b : a), undefined);
                const quota = Math.max(spec.default, best?.value ?? 0);
                const allowed = Math.floor(quota * config.maxShareOfQuota + 1e-9);
                if (group.length <= allowed) continue;
                const resources = group.map((x) => x.r);
                const where = placeLabel(place, spec.scope);
                const inEffect = best && best.value > spec.default ? `raised to ${best.value} by ${best.from}` : `${spec.default} by default${applicable.length ? ` (declared raises are not higher: ${applicable.map((a) => a.value).join(", ")})` : " (no raise declared)"}`;
                const share = config.maxShareOfQuota < 1 ? `, of which this plan may use ${allowed} (maxShareOfQuota ${config.maxShareOfQuota})` : "";
                const regionForCli = spec.scope === "account" ? "us-east-1" : place.region && place.region !== DEFAULT_REGION ? place.region : "<region>";
                const need = Math.ceil(group.length / config.maxShareOfQuota);
                findings.push(
                    finding(
                        resources[0],
                        `the plan creates ${group.length} resources counting against the quota "${spec.name}" (${spec.serviceCode}/${spec.quotaCode}) in ${where}: ${names(resources, 8)}; the quota is ${inEffect}${share}`,
                        `the create beyond the quota fails with "${spec.error}" partway through \`pulumi up\` (resources other stacks hold in the same ${spec.scope === "account" ? "account" : spec.scope === "zone" ? "zone" : "Region"} count as well)`,
                        `Request at least ${need} (aws service-quotas request-service-quota-increase --service-code ${spec.serviceCode} --quota-code ${spec.quotaCode} --desired-value ${need} --region ${regionForCli}) and declare it: the nonstop:quotas stack key (an aws.servicequotas.ServiceQuota resource) or this rule's raised setting ("${regionForCli}/${spec.serviceCode}/${spec.quotaCode}=${need}"); or create fewer. Source: ${spec.source}`,
                    ),
                );
            }
        }
        return findings;
    },
});
