export * from "./awsSitePeering";
