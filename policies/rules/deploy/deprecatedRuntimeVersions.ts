import { graphRule } from "../graph/lib";
import { asOfThreshold, dayNumber, judgementDate } from "./lib";
import { versionJudgements } from "./runtimeVersions";

/**
 * Versions that still deploy but are deprecated, in paid extended support, or refused within
 * `warnDays`: the warning before blocked-runtime-versions fails a deploy.
 */
export const deprecatedRuntimeVersions = graphRule({
    name: "deprecated-runtime-versions",
    description: "Lambda runtimes, RDS/Aurora and Cloud SQL engine versions and Kubernetes API versions should not be deprecated, in paid extended support, or refused within warnDays of the date judged.",
    thresholds: {
        asOf: asOfThreshold,
        warnDays: { type: "integer", default: 180, minimum: 0, maximum: 3650, description: "Warn this many days before a version is deprecated or refused." },
    },
    check: (graph, config) => {
        const today = dayNumber(judgementDate(config.asOf)) ?? 0;
        return versionJudgements(graph, today, config.warnDays)
            .filter((j) => j.standing !== "refused")
            .map((j) => j.finding);
    },
});
