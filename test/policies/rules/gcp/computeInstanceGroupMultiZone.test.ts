import { computeInstanceGroupMultiZone } from "../../../../policies/rules/gcp/computeInstanceGroupMultiZone";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, unset } from "../support";
import { regionInstanceGroupManager, zonalInstanceGroupManager } from "./factories";

const regionalType = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager";
const zonalType = "gcp:compute/instanceGroupManager:InstanceGroupManager";
const checkRegional = checker(computeInstanceGroupMultiZone, regionalType, "web");
const checkZonal = checker(computeInstanceGroupMultiZone, zonalType, "web-standby");

describe("compute-instance-group-multi-zone", () => {
    it("Compliance: accepts a regional group over three zones", async () => {
        expectNone(await checkRegional(regionInstanceGroupManager()));
        expectNone(await checkRegional(unset(regionInstanceGroupManager(), "distributionPolicyZones")));
    });

    it("Noncompliance 1: reports a zonal group that serves, with the fix", async () => {
        expectOne(await checkZonal({ ...zonalInstanceGroupManager(), targetSize: 3 }), "compute-instance-group-multi-zone", `${zonalType} "web-standby"`, 'zone is "us-central1-a"', "RegionInstanceGroupManager");
    });

    it("Compliance: accepts a zonal group kept at zero (pilot light)", async () => {
        expectNone(await checkZonal(zonalInstanceGroupManager()));
    });

    it("Noncompliance 2: reports a regional group confined to one zone", async () => {
        expectOne(await checkRegional({ ...regionInstanceGroupManager(), distributionPolicyZones: ["us-central1-a"] }), "compute-instance-group-multi-zone", `${regionalType} "web"`, 'distributionPolicyZones is ["us-central1-a"]', "at least 2 zones");
    });

    it("Noncompliance 3: reports a regional group of one instance", async () => {
        expectOne(await checkRegional({ ...regionInstanceGroupManager(), targetSize: 1 }), "compute-instance-group-multi-zone", `${regionalType} "web"`, "targetSize is 1", "Set targetSize: 2 or more");
    });

    it("Unknown: does not judge sizes or zones unknown at preview", async () => {
        expectNone(await checkZonal({ ...zonalInstanceGroupManager(), targetSize: UNKNOWN }));
        expectNone(await checkRegional({ ...regionInstanceGroupManager(), targetSize: UNKNOWN, distributionPolicyZones: UNKNOWN }));
    });
});
