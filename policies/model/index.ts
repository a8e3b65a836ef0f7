// The resilience model: resource graph -> services -> what each failure domain does to them ->
// availability, RTO and RPO as ranges. Used by the budget and model-driven policies and by the
// preview report, so all of them say the same.
export { estimatePlan, estimateServices } from "./estimate";
export type { Plan } from "./estimate";
export { judge, describeMiss, label } from "./judge";
export { formatAvailability, formatDuration, formatSeconds } from "./format";
export { maxIntervalSeconds } from "./cron";
export { RATES, SLAS, TIMINGS } from "./data";
export type { SlaEntry, TimingEntry } from "./data";
export * from "./types";
