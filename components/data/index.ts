export * from "./objectReplication";
export * from "./changeDataCapture";
export * from "./globalDatabaseFailover";
export { hash } from "./names";
