export * from "./release";
export * from "./siteFactory";
export * from "./serviceParts";
export * from "./activePassiveService";
export * from "./activeActiveService";
