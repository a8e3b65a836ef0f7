export * from "./objectReplication";
export * from "./changeDataCapture";
export { hash } from "./names";
