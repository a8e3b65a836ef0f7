// The nonstop resilience policy pack. `pulumi preview --policy-pack policies` runs the compiled
// copy of this file (bin/index.js, built by `npm ci`), as does the offline preview.
//
// Advisory by default; policies/config/prod.json makes every rule mandatory with prod thresholds.
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./rules";

new PolicyPack("nonstop-resilience", {
    description: "Redundancy, backup and no-single-point-of-failure rules for services that must survive the loss of a zone, a region or a cloud.",
    enforcementLevel: "advisory",
    policies: allPolicies,
});
