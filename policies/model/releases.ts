// How a release reaches a site, read from its traffic split, and where its images come from.
//   - An ALB listener forwarding to weighted target groups, a URL map's weighted backend services,
//     an ingress-nginx canary Ingress: with a 100/0 split the site runs blue-green (flipping the
//     live colour moves every request at once); with 90/10 a canary takes 10 %.
//   - No split: a release replaces the site's tasks (every request ends up on it).
// One stack deploys every site of a service in one update, so a release spans every site unless the
// program staged it some other way; the model takes the split it reads as the exposure.
import { GraphResource } from "../lib/graph";
import { isUnknown, list, num, read, str } from "../lib/props";
import { Tree } from "./tree";

export interface ReleaseSplit {
    /** Share of the site's requests that a bad release fails at once (the new track's share; 1 without a canary). */
    readonly exposure: number;
    /** `canary 10 %`, `blue-green (flip moves 100 %)`, `no split`. */
    readonly how: string;
    /**
     * A bad release is undone by switching traffic back (the blue-green flip, the canary's weight to 0)
     * and an error-rate alarm of the site pages people about it: the time it stays live is the alarm
     * and the response, not a redeploy.
     */
    readonly switchRollback: boolean;
}

/** Alarms and alert rules of a site that fire on server errors (a 5xx share or count). */
const ALERT_TYPES = new Set(["aws:cloudwatch/metricAlarm:MetricAlarm", "gcp:monitoring/alertPolicy:AlertPolicy", "kubernetes:monitoring.coreos.com/v1:PrometheusRule"]);
const SERVER_ERRORS = /5xx|5XX|5\.\./;

function hasErrorRateAlarm(resources: readonly GraphResource[]): boolean {
    return resources.some((r) => ALERT_TYPES.has(r.type) && SERVER_ERRORS.test(JSON.stringify(r.props)));
}

/** The split of the site whose public entry is `entry` (resources: the site's). */
export function releaseSplit(tree: Tree, entry: GraphResource | undefined, resources: readonly GraphResource[]): ReleaseSplit {
    const weights: number[][] = [];
    const candidates = entry ? [entry, ...resources] : resources;
    for (const r of new Set(candidates)) {
        if (r.type === "aws:lb/loadBalancer:LoadBalancer" || r.type === "aws:alb/loadBalancer:LoadBalancer") {
            for (const l of tree.dependents(r.urn)) {
                if (!l.type.endsWith("/listener:Listener") || !(l.propertyDependencies.loadBalancerArn ?? []).includes(r.urn)) continue;
                for (const a of list(l.props, "defaultActions") ?? []) {
                    const groups = list(a, "forward.targetGroups") ?? [];
                    if (groups.length > 1) weights.push(groups.map((g) => num(g, "weight") ?? NaN));
                }
            }
        }
        if (r.type === "gcp:compute/uRLMap:URLMap") {
            const groups = list(r.props, "defaultRouteAction.weightedBackendServices") ?? [];
            if (groups.length > 1) weights.push(groups.map((g) => num(g, "weight") ?? NaN));
        }
        if (r.type === "kubernetes:networking.k8s.io/v1:Ingress" && str(r.props, ["metadata", "annotations", "nginx.ingress.kubernetes.io/canary"]) === "true") {
            const w = num(r.props, ["metadata", "annotations", "nginx.ingress.kubernetes.io/canary-weight"]);
            weights.push([100 - (w ?? NaN), w ?? NaN]);
        }
    }
    const split = weights.find((w) => w.every((x) => Number.isFinite(x)));
    if (!split) return { exposure: 1, how: weights.length > 0 ? "split unknown at preview (taken as no split)" : "no split: a release replaces every task", switchRollback: false };
    const total = split.reduce((a, b) => a + b, 0) || 1;
    const main = Math.max(...split);
    const switchRollback = hasErrorRateAlarm(resources);
    if (main === total) return { exposure: 1, how: "blue-green: flipping the live colour moves every request at once", switchRollback };
    return { exposure: (total - main) / total, how: `canary ${Math.round(((total - main) / total) * 100)} %`, switchRollback };
}

/** Image references the site's compute runs, when known at preview. */
export function imagesOf(resources: readonly GraphResource[]): string[] {
    const images: string[] = [];
    const containers = (v: unknown) => {
        for (const c of Array.isArray(v) ? v : []) {
            const image = read(c, "image");
            if (typeof image === "string") images.push(image);
        }
    };
    for (const r of resources) {
        if (r.type === "gcp:cloudrunv2/service:Service") containers(read(r.props, "template.containers"));
        if (r.type === "gcp:cloudrun/service:Service") containers(read(r.props, "template.spec.containers"));
        if (r.type === "kubernetes:apps/v1:Deployment") containers(read(r.props, "spec.template.spec.containers"));
        if (r.type === "aws:ecs/taskDefinition:TaskDefinition") {
            const defs = read(r.props, "containerDefinitions");
            if (typeof defs === "string" && !isUnknown(defs)) {
                try {
                    containers(JSON.parse(defs));
                } catch {
                    // not JSON: no image to read
                }
            }
        }
    }
    return images;
}

/** The registry host of an image reference (`docker.io` for bare names). */
export function registryOf(image: string): string {
    const first = image.split("/")[0];
    return image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost") ? first : "docker.io";
}

/** Where a registry lives, as a failure domain place (`aws/us-east-1` for a regional ECR), if it is regional. */
export function registryPlace(host: string): string | undefined {
    const ecr = /^\d+\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/.exec(host);
    if (ecr) return `aws/${ecr[1]}`;
    const ar = /^([a-z]+-[a-z]+\d+)-docker\.pkg\.dev$/.exec(host);
    if (ar) return `gcp/${ar[1]}`;
    return undefined;
}
