export * from "./endpoints";
export * from "./route53Failover";
export * from "./cloudDnsFailover";
