// The resilience estimate of a stack, from the same model the pack's `resilience-budget` rule uses,
// so the report and the verdict always agree.
import { estimateServices, judge, ServiceEstimate } from "../policies/model";
import { toGraph } from "./graph";
import type { PackConfig } from "./policyHost";
import type { RecordedResource } from "./program";

export interface Targets {
    readonly rtoSeconds?: number;
    readonly rpoSeconds?: number;
    readonly availability?: number;
}

export interface ResilienceSummary {
    readonly services: readonly ServiceEstimate[];
    /** From the stack's nonstop:targets, else from the resilience-budget policy config. */
    readonly targets?: Targets;
    readonly verdicts: readonly ReturnType<typeof judge>[];
}

export function estimateResilience(resources: readonly RecordedResource[], stackConfig: Readonly<Record<string, unknown>>, packConfigs: readonly PackConfig[]): ResilienceSummary {
    const services = estimateServices(toGraph(resources));
    const targets = targetsFrom(stackConfig["nonstop:targets"]) ?? packConfigs.map((c) => targetsFrom(c["resilience-budget"])).find((t) => t !== undefined);
    return { services, targets, verdicts: services.map((s) => judge(s, targets ?? {})) };
}

function targetsFrom(v: unknown): Targets | undefined {
    let value = v;
    if (typeof value === "string") {
        try {
            value = JSON.parse(value);
        } catch {
            return undefined;
        }
    }
    if (!value || typeof value !== "object") return undefined;
    const o = value as Record<string, unknown>;
    const pick = (k: string) => (typeof o[k] === "number" ? (o[k] as number) : undefined);
    const t = { rtoSeconds: pick("rtoSeconds"), rpoSeconds: pick("rpoSeconds"), availability: pick("availability") };
    return t.rtoSeconds === undefined && t.rpoSeconds === undefined && t.availability === undefined ? undefined : t;
}
