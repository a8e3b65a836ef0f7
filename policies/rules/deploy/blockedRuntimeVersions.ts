import { graphRule } from "../graph/lib";
import { asOfThreshold, dayNumber, judgementDate } from "./lib";
import { versionJudgements } from "./runtimeVersions";

/**
 * Versions the cloud refuses on the date judged: a Lambda runtime past its block dates, an RDS or
 * Aurora major version past RDS Extended Support, a retired Cloud SQL version, a Kubernetes API
 * version the cluster no longer serves (dates and sources in data/versions.json).
 */
export const blockedRuntimeVersions = graphRule({
    name: "blocked-runtime-versions",
    description: "Lambda runtimes, RDS/Aurora and Cloud SQL engine versions and Kubernetes API versions must be ones the cloud still accepts on the date judged (today unless asOf is set).",
    thresholds: { asOf: asOfThreshold },
    check: (graph, config) => {
        const today = dayNumber(judgementDate(config.asOf)) ?? 0;
        return versionJudgements(graph, today, 0)
            .filter((j) => j.standing === "refused")
            .map((j) => j.finding);
    },
});
