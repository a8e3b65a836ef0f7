export * from "./pilotLightScaleOut";
export * from "./scheduledFunction";
