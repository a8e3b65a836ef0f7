export * from "./serviceDashboard";
