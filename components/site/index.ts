export * from "./site";
export * from "./awsSite";
export * from "./gcpSite";
export * from "./kubernetesSite";
export * from "./kubernetes/cnpgOperator";
