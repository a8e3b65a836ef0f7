// Google Cloud APIs the plan calls without enabling them. A fresh project has (almost) no APIs on:
// the first Cloud Run, Cloud SQL or Certificate Manager create then fails with SERVICE_DISABLED.
// An API counts as enabled when the plan has a gcp:projects/service:Service for it in the same
// project (or this rule's `enabledApis` setting lists it) *and* the resource waits for it: enabling
// takes a while to propagate, and the engine creates unrelated resources in parallel. The APIs
// Google turns on in every project made with the console or gcloud (Cloud Storage, Logging,
// Monitoring, ...) count as enabled, unless the plan creates a project itself: a project made
// through the API starts with none of them.
import { GraphResource } from "../../lib/graph";
import { isUnknown, read, Unknown, UNKNOWN } from "../../lib/props";
import { finding, Finding, graphRule, names } from "../graph/lib";
import gcpApisFile from "./data/gcpApis.json";
import { gcpProjectOf, mayBeSameProject, orderedAfter } from "./lib";

interface GcpApisData {
    readonly error: string;
    readonly modules: Readonly<Record<string, readonly string[]>>;
    readonly types: Readonly<Record<string, readonly string[]>>;
    readonly titles: Readonly<Record<string, string>>;
    readonly enabledByDefault: { readonly apis: readonly string[] };
}

const data = gcpApisFile as unknown as GcpApisData;
const serviceType = "gcp:projects/service:Service";
const projectType = "gcp:organizations/project:Project";
const enabledByDefault = new Set(data.enabledByDefault.apis);

/** The APIs a GCP resource type calls (empty when unknown or none). */
export function apisFor(type: string): readonly string[] {
    if (!type.startsWith("gcp:")) return [];
    if (Object.prototype.hasOwnProperty.call(data.types, type)) return data.types[type];
    const module = type.split(":")[1]?.split("/")[0] ?? "";
    return Object.prototype.hasOwnProperty.call(data.modules, module) ? data.modules[module] : [];
}

function errorFor(api: string, project: string): string {
    return data.error.replace("<title>", data.titles[api] ?? api).replace(/<project>/g, project).replace("<api>", api);
}

/** Every resource needing `api`, grouped: those with no enabling Service at all, and those not waiting for one. */
interface Need {
    readonly api: string;
    readonly project: string;
    readonly missing: GraphResource[];
    readonly unordered: GraphResource[];
    readonly services: GraphResource[];
}

/**
 * Every GCP resource's API must be enabled in its project by a gcp:projects/service:Service the
 * resource depends on (or be declared enabled), or its create fails with SERVICE_DISABLED.
 */
export const gcpApiEnabled = graphRule({
    name: "gcp-api-enabled",
    description:
        "Every Google Cloud API a resource calls must be enabled in its project by a gcp.projects.Service the resource depends on (or be listed as already enabled), or its create fails with SERVICE_DISABLED.",
    thresholds: {
        enabledApis: {
            type: "array",
            default: [],
            description: 'APIs already enabled outside the program, e.g. "monitoring.googleapis.com" (every project) or "my-project/run.googleapis.com".',
        },
    },
    check: (graph, config) => {
        const services = graph.ofType(serviceType).map((s): { s: GraphResource; api: string | Unknown | undefined; project: string | Unknown | undefined } => {
            const api = read(s.props, "service");
            return { s, api: isUnknown(api) ? UNKNOWN : typeof api === "string" ? api : undefined, project: gcpProjectOf(s) };
        });
        const declared = new Set(config.enabledApis);
        // A project the plan creates starts with no API on, not even the console's defaults.
        const plannedProject = graph.ofType(projectType).length > 0;
        const needs = new Map<string, Need>();
        for (const r of graph.resources) {
            const apis = apisFor(r.type);
            if (apis.length === 0) continue;
            const project = gcpProjectOf(r);
            if (isUnknown(project)) continue;
            const projectLabel = project ?? "the provider's default project";
            for (const api of apis) {
                if (declared.has(api) || (project !== undefined && declared.has(`${project}/${api}`))) continue;
                if (!plannedProject && enabledByDefault.has(api)) continue;
                const candidates = services.filter((x) => mayBeSameProject(x.project, project) && (x.api === api || isUnknown(x.api)));
                // A Service whose API name is unknown may be this one: not judged.
                if (candidates.some((x) => isUnknown(x.api))) continue;
                const key = `${projectLabel}|${api}`;
                const need = needs.get(key) ?? { api, project: projectLabel, missing: [], unordered: [], services: candidates.map((x) => x.s) };
                needs.set(key, need);
                if (candidates.length === 0) need.missing.push(r);
                else if (!candidates.some((x) => orderedAfter(graph, r, x.s))) need.unordered.push(r);
            }
        }
        const findings: Finding[] = [];
        for (const need of needs.values()) {
            const project = need.project.startsWith("the ") ? "<project>" : need.project;
            if (need.missing.length > 0) {
                findings.push(
                    finding(
                        need.missing[0],
                        `it calls ${need.api}, which the plan does not enable in ${need.project} (no gcp:projects/service:Service for it; ${need.missing.length} resource${need.missing.length === 1 ? "" : "s"} need it: ${names(need.missing, 5)})`,
                        `in a project where the API is off, the create fails with "${errorFor(need.api, project)}"`,
                        `Add new gcp.projects.Service("<name>", { project, service: "${need.api}", disableOnDestroy: false }) and make these resources depend on it (dependsOn, or create them under a parent that does); or, if the project already has the API on, list it in this rule's enabledApis setting.`,
                    ),
                );
            }
            if (need.unordered.length > 0) {
                findings.push(
                    finding(
                        need.unordered[0],
                        `${need.api} is enabled by ${names(need.services)}, but ${names(need.unordered, 5)} ${need.unordered.length === 1 ? "does" : "do"} not wait for it`,
                        `the engine creates them in parallel with enabling the API, and the first deploy fails with "${errorFor(need.api, project)}"`,
                        `Make them depend on the gcp.projects.Service (dependsOn: [service]), or create them under a component that depends on it.`,
                    ),
                );
            }
        }
        return findings;
    },
});
