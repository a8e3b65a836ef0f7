import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** Any rule of the pack. */
export type Policy = ResourceValidationPolicy | StackValidationPolicy;
