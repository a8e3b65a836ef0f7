// Runtime and engine versions judged against the date: Lambda runtimes, RDS / Aurora major engine
// versions, Cloud SQL database versions and Kubernetes API versions (data/versions.json, with the
// dates and their sources). Shared by blocked-runtime-versions (what the cloud refuses on that
// date) and deprecated-runtime-versions (deprecated, in paid extended support, or refused soon).
import { Graph, GraphResource } from "../../lib/graph";
import { clusterOf } from "../../lib/location";
import { isUnknown, read, str } from "../../lib/props";
import { finding, Finding } from "../graph/lib";
import versionsFile from "./data/versions.json";
import { dayNumber, showDate } from "./lib";

interface LambdaRuntime {
    readonly id: string;
    readonly deprecated?: string;
    readonly blockCreate?: string;
    readonly blockUpdate?: string;
    readonly source: string;
    readonly note?: string;
}

interface RdsVersion {
    readonly engine: string;
    readonly major: string;
    readonly endOfStandardSupport?: string;
    readonly endOfExtendedSupport?: string;
    readonly source: string;
}

interface CloudSqlVersion {
    readonly databaseVersion: string;
    readonly extendedSupport?: string;
    readonly deprecated?: string;
    readonly source: string;
}

interface KubernetesApi {
    readonly apiVersion: string;
    readonly kinds: readonly string[];
    readonly removedIn: string;
    readonly replacement: string;
}

interface VersionsData {
    readonly lambda: { readonly source: string; readonly error: string; readonly runtimes: readonly LambdaRuntime[] };
    readonly rds: { readonly error: string; readonly versions: readonly RdsVersion[] };
    readonly cloudSql: { readonly error: string; readonly versions: readonly CloudSqlVersion[] };
    readonly kubernetes: {
        readonly source: string;
        readonly error: string;
        readonly managedExtendedSupportMonths: number;
        readonly minorEndOfLife: Readonly<Record<string, string>>;
        readonly apis: readonly KubernetesApi[];
    };
}

export const versionsData = versionsFile as unknown as VersionsData;

/** How a version stands on the date judged. */
export type Standing = "refused" | "deprecated" | "ending-soon";

export interface VersionJudgement {
    readonly standing: Standing;
    readonly finding: Finding;
}

const lambdaRuntimes = new Map(versionsData.lambda.runtimes.map((r) => [r.id, r]));

/** Days from `today` to `date` (negative when past); undefined without a date. */
function daysUntil(date: string | undefined, today: number): number | undefined {
    if (!date) return undefined;
    const d = dayNumber(date);
    return d === undefined ? undefined : d - today;
}

function lambdaJudgement(r: GraphResource, today: number, warnDays: number): VersionJudgement | undefined {
    if (str(r.props, "packageType") === "Image") return undefined;
    const runtime = str(r.props, "runtime");
    if (!runtime) return undefined;
    const entry = lambdaRuntimes.get(runtime);
    if (!entry) return undefined;
    const family = (id: string) => id.replace(/[\d.]+.*$/, "");
    // Runtimes of the same language that stay supported beyond the warning window.
    const newest = [...lambdaRuntimes.values()].filter((x) => x.id !== runtime && family(x.id) === family(runtime) && (daysUntil(x.deprecated, today) ?? Infinity) > warnDays);
    const upgrade = newest.length ? `Set runtime to ${newest.map((x) => `"${x.id}"`).slice(0, 2).join(" or ")} (test the code on it first)` : "Move to a supported runtime (see the source)";
    const create = daysUntil(entry.blockCreate, today);
    const update = daysUntil(entry.blockUpdate, today);
    const deprecated = daysUntil(entry.deprecated, today);
    const error = versionsData.lambda.error.replace("<runtime>", runtime);
    if ((create !== undefined && create <= 0) || (update !== undefined && update <= 0)) {
        const what = `runtime is "${runtime}", deprecated since ${showDate(entry.deprecated ?? "")}; Lambda has blocked creating functions on it since ${showDate(entry.blockCreate ?? "")}${entry.blockUpdate ? ` and ${update !== undefined && update <= 0 ? "updating them since" : "blocks updating them from"} ${showDate(entry.blockUpdate)}` : ""}`;
        return { standing: "refused", finding: finding(r, what, `creating${update !== undefined && update <= 0 ? " or updating" : ""} the function fails with "${error}"`, `${upgrade}. Source: ${entry.source}`) };
    }
    if (deprecated !== undefined && deprecated <= 0) {
        const blocks = entry.blockCreate ? `; Lambda blocks creating functions on it from ${showDate(entry.blockCreate)}${entry.blockUpdate ? ` and updating them from ${showDate(entry.blockUpdate)}` : ""}` : `; Lambda then blocks creating and updating functions on it (${entry.note ?? "dates not recorded here"})`;
        return {
            standing: "deprecated",
            finding: finding(r, `runtime is "${runtime}", deprecated since ${showDate(entry.deprecated ?? "")}${blocks}`, "it gets no security patches and no support, and deploys start failing once Lambda blocks it", `${upgrade}. Source: ${entry.source}`),
        };
    }
    const soonest = [deprecated, create].filter((d): d is number => d !== undefined).sort((a, b) => a - b)[0];
    if (soonest !== undefined && soonest <= warnDays) {
        return {
            standing: "ending-soon",
            finding: finding(r, `runtime is "${runtime}", which Lambda deprecates on ${showDate(entry.deprecated ?? "")}${entry.blockCreate ? ` and stops accepting for new functions on ${showDate(entry.blockCreate)}` : ""}`, `within ${warnDays} days this function stops getting patches and then can no longer be deployed`, `${upgrade}. Source: ${entry.source}`),
        };
    }
    return undefined;
}

/** The major version RDS tracks support by: "16.6" -> "16", "8.0.40" -> "8.0", "8.0.mysql_aurora.3.08.0" -> "8.0". */
export function rdsMajor(engine: string, version: string): string | undefined {
    const parts = version.split(".");
    if (engine.includes("mysql") || engine === "mariadb") return parts.length >= 2 ? `${parts[0]}.${parts[1]}` : undefined;
    if (engine.includes("postgres")) return parts[0] === "9" && parts.length >= 2 ? `9.${parts[1]}` : parts[0];
    return undefined;
}

const rdsVersions = new Map(versionsData.rds.versions.map((v) => [`${v.engine}|${v.major}`, v]));

function rdsJudgement(r: GraphResource, today: number, warnDays: number): VersionJudgement | undefined {
    const engine = str(r.props, "engine");
    const version = str(r.props, "engineVersion");
    if (!engine || !version) return undefined;
    const major = rdsMajor(engine, version);
    const entry = major ? rdsVersions.get(`${engine}|${major}`) : undefined;
    if (!entry) return undefined;
    const standardEnd = daysUntil(entry.endOfStandardSupport, today);
    const extendedEnd = daysUntil(entry.endOfExtendedSupport, today);
    const fix = `Move to a major version in RDS standard support (a major version upgrade: test it, then set engineVersion and allowMajorVersionUpgrade). Source: ${entry.source}`;
    if (extendedEnd !== undefined && extendedEnd <= 0) {
        const error = versionsData.rds.error.replace("<version>", version).replace("<engine>", engine);
        return { standing: "refused", finding: finding(r, `engine ${engine} ${version}: major version ${major} left RDS Extended Support on ${showDate(entry.endOfExtendedSupport ?? "")}`, `RDS no longer offers it: creating the database fails with "${error}", and existing ones are upgraded by RDS`, fix) };
    }
    if (standardEnd !== undefined && standardEnd <= 0) {
        return {
            standing: "deprecated",
            finding: finding(r, `engine ${engine} ${version}: major version ${major} left RDS standard support on ${showDate(entry.endOfStandardSupport ?? "")}`, `RDS enrolls it in paid RDS Extended Support (charged per vCPU-hour) until ${showDate(entry.endOfExtendedSupport ?? "")}, after which it is no longer offered`, fix),
        };
    }
    if (standardEnd !== undefined && standardEnd <= warnDays) {
        return { standing: "ending-soon", finding: finding(r, `engine ${engine} ${version}: major version ${major} leaves RDS standard support on ${showDate(entry.endOfStandardSupport ?? "")}`, `within ${warnDays} days RDS charges Extended Support for it`, fix) };
    }
    return undefined;
}

const cloudSqlVersions = new Map(versionsData.cloudSql.versions.map((v) => [v.databaseVersion, v]));

function cloudSqlJudgement(r: GraphResource, today: number, warnDays: number): VersionJudgement | undefined {
    const version = str(r.props, "databaseVersion");
    const entry = version ? cloudSqlVersions.get(version) : undefined;
    if (!version || !entry) return undefined;
    const extended = daysUntil(entry.extendedSupport, today);
    const gone = daysUntil(entry.deprecated, today);
    const fix = `Move to a version in Cloud SQL regular support (a major version upgrade: test it, then change databaseVersion). Source: ${entry.source}`;
    if (gone !== undefined && gone <= 0) {
        return { standing: "refused", finding: finding(r, `databaseVersion is ${version}, deprecated by Cloud SQL since ${showDate(entry.deprecated ?? "")}`, `Cloud SQL no longer creates it ("${versionsData.cloudSql.error.replace("<version>", version)}")`, fix) };
    }
    if (extended !== undefined && extended <= 0) {
        return { standing: "deprecated", finding: finding(r, `databaseVersion is ${version}, in Cloud SQL extended support since ${showDate(entry.extendedSupport ?? "")}`, `Cloud SQL charges for extended support until ${showDate(entry.deprecated ?? "")}, after which the version is retired`, fix) };
    }
    if (extended !== undefined && extended <= warnDays) {
        return { standing: "ending-soon", finding: finding(r, `databaseVersion is ${version}, which enters Cloud SQL extended support on ${showDate(entry.extendedSupport ?? "")}`, `within ${warnDays} days Cloud SQL charges extended support for it`, fix) };
    }
    return undefined;
}

const removedApis = new Map<string, KubernetesApi>();
for (const api of versionsData.kubernetes.apis) for (const kind of api.kinds) removedApis.set(`${api.apiVersion}:${kind}`, api);

/** "1.29.3-gke.100" -> [1, 29]. */
function minor(version: string): [number, number] | undefined {
    const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
    return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function atLeast(v: [number, number], w: [number, number]): boolean {
    return v[0] > w[0] || (v[0] === w[0] && v[1] >= w[1]);
}

/** The Kubernetes version of the cluster an object goes to, when the plan shows it (EKS `version`, GKE `minMasterVersion`). */
function clusterVersion(graph: Graph, r: GraphResource): { version: string; label: string } | undefined {
    const c = clusterOf(graph, r);
    if (!c.managed) return undefined;
    const v = c.managed.type === "aws:eks/cluster:Cluster" ? read(c.managed.props, "version") : read(c.managed.props, "minMasterVersion");
    return typeof v === "string" && !isUnknown(v) && minor(v) ? { version: v, label: c.label } : undefined;
}

function addMonths(date: string, months: number): number | undefined {
    const d = dayNumber(date);
    if (d === undefined) return undefined;
    const t = new Date(d * 86_400_000);
    t.setUTCMonth(t.getUTCMonth() + months);
    return Math.floor(t.getTime() / 86_400_000);
}

function kubernetesJudgement(graph: Graph, r: GraphResource, today: number): VersionJudgement | undefined {
    const [, apiVersion, kind] = r.type.split(":");
    const api = removedApis.get(`${apiVersion}:${kind}`);
    if (!api) return undefined;
    const removed = minor(api.removedIn);
    if (!removed) return undefined;
    const k = versionsData.kubernetes;
    const error = k.error.replace("<kind>", kind).replace("<apiVersion>", apiVersion);
    const fix = `Use ${api.replacement} for ${kind} (the same object under the newer apiVersion; most fields carry over). Source: ${k.source}`;
    const cluster = clusterVersion(graph, r);
    if (cluster) {
        const v = minor(cluster.version);
        if (v && atLeast(v, removed)) {
            return { standing: "refused", finding: finding(r, `${apiVersion} ${kind} was removed in Kubernetes ${api.removedIn} and ${cluster.label} runs ${cluster.version}`, `the API server answers "${error}"`, fix) };
        }
        return { standing: "deprecated", finding: finding(r, `${apiVersion} ${kind} is removed in Kubernetes ${api.removedIn}; ${cluster.label} runs ${cluster.version}`, `upgrading the cluster to ${api.removedIn} or later breaks every deploy of this object`, fix) };
    }
    const lastServing = `${removed[0]}.${removed[1] - 1}`;
    const eol = k.minorEndOfLife[lastServing];
    const cutoff = eol ? addMonths(eol, k.managedExtendedSupportMonths) : undefined;
    if (cutoff !== undefined && today >= cutoff) {
        return {
            standing: "refused",
            finding: finding(
                r,
                `${apiVersion} ${kind} was removed in Kubernetes ${api.removedIn}; the last minor serving it (${lastServing}) reached end of life on ${showDate(eol ?? "")}, and managed extended support (at most ${k.managedExtendedSupportMonths} months) has ended too`,
                `no supported cluster serves it: the API server answers "${error}"`,
                fix,
            ),
        };
    }
    return { standing: "deprecated", finding: finding(r, `${apiVersion} ${kind} was removed in Kubernetes ${api.removedIn} (the plan does not show the cluster's version)`, `it deploys only to clusters older than ${api.removedIn}, which are past upstream end of life`, fix) };
}

/** Every version judgement of a graph on day `today` (days since the epoch). */
export function versionJudgements(graph: Graph, today: number, warnDays: number): VersionJudgement[] {
    const out: VersionJudgement[] = [];
    const push = (j: VersionJudgement | undefined) => {
        if (j) out.push(j);
    };
    for (const r of graph.resources) {
        if (r.type === "aws:lambda/function:Function") push(lambdaJudgement(r, today, warnDays));
        else if (r.type === "aws:rds/instance:Instance" || r.type === "aws:rds/cluster:Cluster" || r.type === "aws:rds/globalCluster:GlobalCluster") push(rdsJudgement(r, today, warnDays));
        else if (r.type === "gcp:sql/databaseInstance:DatabaseInstance") push(cloudSqlJudgement(r, today, warnDays));
        else if (r.type.startsWith("kubernetes:")) push(kubernetesJudgement(graph, r, today));
    }
    return out;
}
