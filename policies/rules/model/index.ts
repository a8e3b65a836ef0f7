// The model-driven rules of the pack: stack rules that refuse what the resilience model's what-if
// matrix finds broken (writes that cannot succeed, standbys that never serve, recovery that
// depends on the region it recovers, automatic failback onto stale data).
import { Policy } from "../../lib/policy";
import { automaticFailback } from "./automaticFailback";
import { recoveryTriggerInFailedRegion } from "./recoveryTriggerInFailedRegion";
import { standbyTakesNoTraffic } from "./standbyTakesNoTraffic";
import { writesToReadOnlyDatabase } from "./writesToReadOnlyDatabase";

export { automaticFailback, recoveryTriggerInFailedRegion, standbyTakesNoTraffic, writesToReadOnlyDatabase };

export const policies: Policy[] = [writesToReadOnlyDatabase, standbyTakesNoTraffic, recoveryTriggerInFailedRegion, automaticFailback];
