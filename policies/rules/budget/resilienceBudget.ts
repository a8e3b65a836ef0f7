import { StackValidationPolicy } from "@pulumi/policy";
import { graphOf } from "../../lib/graph";
import { describeMiss, judge, Targets } from "../../model";
import { planOf } from "../model/lib";

/**
 * Targets are optional and have no defaults: a target left out of the policy config is not judged
 * (a stack that sets only `rtoSeconds` is held to its RTO alone). Each estimate is judged at its
 * pessimistic end: P90 RTO, P90 of the worst-case RPO, P90 availability (the worse of reads and
 * writes). An estimate that is unknown (an input the model cannot read at preview) is never a
 * violation; the preview report names it.
 */
export const resilienceBudget: StackValidationPolicy = {
    name: "resilience-budget",
    description: "Each service's estimated RTO, RPO and availability, computed from the resources, must meet the stack's targets at the pessimistic end (P90).",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            rtoSeconds: { type: "number", exclusiveMinimum: 0, description: "Longest acceptable time (P90) to serve reads and writes again after losing a zone, a region or the writer, in seconds. Not judged when unset." },
            rpoSeconds: { type: "number", minimum: 0, description: "Most writes (in seconds, P90 of the worst case) acceptable to lose when the writer is lost. Not judged when unset." },
            availability: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, description: "Lowest acceptable availability (P90, the worse of reads and writes), e.g. 0.9995. Not judged when unset." },
        },
    },
    validateStack: (args, reportViolation) => {
        let config: Record<string, unknown> | undefined;
        try {
            config = args.getConfig<Record<string, unknown>>();
        } catch {
            config = undefined; // no config: no targets
        }
        const targets = readTargets(config);
        if (targets.rtoSeconds === undefined && targets.rpoSeconds === undefined && targets.availability === undefined) return;
        for (const estimate of planOf(graphOf(args.resources)).services) {
            const verdict = judge(estimate, targets);
            for (const miss of verdict.misses) reportViolation(describeMiss(estimate, miss), estimate.recordUrns[0]);
        }
    },
};

/** The configured targets; a missing or mistyped value is not a target. */
export function readTargets(config: Record<string, unknown> | undefined): Targets {
    const pick = (key: keyof Targets, ok: (v: number) => boolean): number | undefined => {
        const v = config?.[key];
        return typeof v === "number" && Number.isFinite(v) && ok(v) ? v : undefined;
    };
    return {
        rtoSeconds: pick("rtoSeconds", (v) => v > 0),
        rpoSeconds: pick("rpoSeconds", (v) => v >= 0),
        availability: pick("availability", (v) => v > 0 && v < 1),
    };
}
