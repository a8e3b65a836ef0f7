// The resilience model: resource graph -> services -> RTO, RPO and availability, each with its
// terms. Used by the `resilience-budget` policy and by the preview report, so both say the same.
export { estimateServices } from "./estimate";
export { judge, describeMiss, label } from "./judge";
export { formatAvailability, formatSeconds } from "./format";
export { maxIntervalSeconds } from "./cron";
export { SLAS, TIMINGS } from "./data";
export type { SlaEntry, TimingEntry } from "./data";
export * from "./types";
