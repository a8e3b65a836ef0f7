// The Google Cloud APIs a GCP site calls, enabled by the site itself: a fresh project has almost
// none on, and the first Cloud Run, Cloud SQL or Certificate Manager create would fail with
// SERVICE_DISABLED. Every other child of the site waits for them (GcpSite passes them as
// dependsOn), since enabling an API takes a while and the engine creates in parallel.
//
// `disableOnDestroy: false`: the APIs stay on when the site is destroyed, because other sites and
// stacks in the same project use them (two sites in one project each declare the same API; with
// nothing disabled on destroy, that is harmless).
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export interface SiteApiNeeds {
    /** The site serves HTTPS with a Certificate Manager certificate. */
    readonly domain: boolean;
    /** The site runs Cloud SQL (and its password secret, and a project-level IAM grant). */
    readonly data: boolean;
    /** The site keeps a bucket, which Storage Transfer jobs may fill. */
    readonly bucket: boolean;
}

/** The APIs a site with these parts calls, in a stable order. */
export function siteApis(needs: SiteApiNeeds): string[] {
    return [
        "run.googleapis.com",
        "compute.googleapis.com",
        "iam.googleapis.com",
        "monitoring.googleapis.com",
        ...(needs.domain ? ["certificatemanager.googleapis.com"] : []),
        ...(needs.data ? ["sqladmin.googleapis.com", "secretmanager.googleapis.com", "cloudresourcemanager.googleapis.com"] : []),
        ...(needs.bucket ? ["storage.googleapis.com", "storagetransfer.googleapis.com"] : []),
    ];
}

export interface SiteApis {
    /** By API name, e.g. "compute.googleapis.com". */
    readonly byName: Readonly<Record<string, gcp.projects.Service>>;
    readonly all: readonly gcp.projects.Service[];
}

export function enableSiteApis(name: string, project: string, apis: readonly string[], parent: pulumi.Resource, provider: gcp.Provider): SiteApis {
    const byName: Record<string, gcp.projects.Service> = {};
    for (const api of apis) {
        byName[api] = new gcp.projects.Service(
            `${name}-api-${api.split(".")[0]}`,
            { project, service: api, disableOnDestroy: false, disableDependentServices: false },
            { parent, provider },
        );
    }
    return { byName, all: Object.values(byName) };
}

/** `opts` with more resources added to its dependsOn (an array; GcpSite always sets one). */
export function alsoAfter(opts: pulumi.CustomResourceOptions, ...more: pulumi.Resource[]): pulumi.CustomResourceOptions {
    const current = Array.isArray(opts.dependsOn) ? (opts.dependsOn as pulumi.Input<pulumi.Resource>[]) : opts.dependsOn ? [opts.dependsOn as pulumi.Input<pulumi.Resource>] : [];
    return { ...opts, dependsOn: [...current, ...more] };
}
