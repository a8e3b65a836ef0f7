import type * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { check, configSchema, resourcesOf, Say, thresholds, tooFew, View } from "../../lib/rule";

const config = {
    minInstances: {
        type: "integer",
        minimum: 1,
        default: 2,
        description: "Fewest instances a Cloud Run service kept warm may run (0 is allowed: scaled to zero it is a pilot light, not a serving single point of failure).",
    },
} as const;

/** A minimum (or manual) instance count as read from one place, with its path for the message. */
interface Count {
    readonly value: number;
    readonly finding: string;
}

function judge(say: Say, min: Count | undefined, max: Count | undefined, minInstances: number, fix: string): void {
    if (min !== undefined && min.value !== 0 && min.value < minInstances) {
        say(
            `${min.finding}, below the minimum of ${minInstances}`,
            tooFew(min.value, "warm instance", "when it is restarted or its zone fails, requests wait for a cold start"),
            fix,
        );
    }
    // A maximum of 0 means "no limit" (Cloud Run's default), not zero instances.
    if (min !== undefined && max !== undefined && max.value > 0 && max.value < min.value) {
        say(`${max.finding}, below the minimum instance count (${min.value})`, "the maximum caps the service below the capacity it is meant to keep", fix);
    }
}

/** The larger of two known counts (a missing one counts as 0); undefined when either is unknown. */
function larger<T>(a: View<T>, b: View<T>, key: Extract<keyof T, string>): Count | undefined {
    if (a.unknown(key) || b.unknown(key)) return undefined;
    const found = [a, b].flatMap((v) => {
        const n = v.num(key);
        return n === undefined ? [] : [{ value: n, finding: v.is(key) }];
    });
    return found.sort((x, y) => y.value - x.value)[0];
}

/** The smaller of two known maximums (a missing one does not cap). */
function smaller<T>(a: View<T>, b: View<T>, key: Extract<keyof T, string>): Count | undefined {
    const found = [a, b].flatMap((v) => {
        const n = v.num(key);
        return n === undefined ? [] : [{ value: n, finding: v.is(key) }];
    });
    return found.sort((x, y) => x.value - y.value)[0];
}

/**
 * A Cloud Run service that keeps instances warm must keep at least `minInstances` of them, and its
 * maximum must not be below its minimum. A minimum of 0 (scale to zero) is a pilot light and is
 * allowed. For v2 services the service-level and revision-level minimums are both honoured (the
 * larger wins); for v1 services, the knative autoscaling annotations of the revision template.
 */
export const cloudRunMinInstances: ResourceValidationPolicy = {
    name: "cloud-run-min-instances",
    description: "Cloud Run services must keep at least two instances warm (or scale to zero, as a pilot light), and a maximum no lower than the minimum.",
    enforcementLevel: "advisory",
    configSchema: configSchema(config),
    validateResource: resourcesOf({
        "gcp:cloudrunv2/service:Service": check<gcp.cloudrunv2.ServiceArgs>((svc, say, args) => {
            const { minInstances } = thresholds(args, config);
            const service = svc.at("scaling");
            const revision = svc.at("template").at("scaling");
            const fix = `Set template.scaling.minInstanceCount: ${minInstances} or more (or 0 to scale to zero), with maxInstanceCount at least as large.`;
            if (service.unknown("scalingMode")) return;
            if (service.str("scalingMode") === "MANUAL") {
                const n = service.num("manualInstanceCount");
                if (n !== undefined) judge(say, { value: n, finding: service.is("manualInstanceCount") }, undefined, minInstances, `Set scaling.manualInstanceCount: ${minInstances} or more (or 0 to stop the service).`);
                return;
            }
            judge(say, larger(service, revision, "minInstanceCount"), smaller(service, revision, "maxInstanceCount"), minInstances, fix);
        }),
        "gcp:cloudrun/service:Service": check<gcp.cloudrun.ServiceArgs>((svc, say, args) => {
            const { minInstances } = thresholds(args, config);
            const annotations = svc.at("template").at("metadata").at("annotations");
            const count = (key: string): Count | undefined => {
                const n = annotations.num(key);
                return n === undefined ? undefined : { value: n, finding: annotations.is(key) };
            };
            judge(
                say,
                count("autoscaling.knative.dev/minScale"),
                count("autoscaling.knative.dev/maxScale"),
                minInstances,
                `Set the template annotation "autoscaling.knative.dev/minScale" to "${minInstances}" or more (or "0" to scale to zero), and maxScale at least as large.`,
            );
        }),
    }),
};
