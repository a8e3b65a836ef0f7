// Deploy-time rules: what the providers' Check, the clouds' quotas and APIs would refuse, found at
// preview. Mocks skip all of that; these rules mirror it from the plan and from data tables whose
// sources are listed in data/*.json (see README.md here). They run offline and under
// `pulumi preview --policy-pack` alike.
import { Policy } from "../../lib/policy";
import { GraphRule } from "../graph/lib";
import { blockedRuntimeVersions } from "./blockedRuntimeVersions";
import { cdcSourceLogicalReplication } from "./cdcSourceLogicalReplication";
import { certificateRegion } from "./certificateRegion";
import { deprecatedRuntimeVersions } from "./deprecatedRuntimeVersions";
import { dmsNetworkPath } from "./dmsNetworkPath";
import { dmsServiceRoles } from "./dmsServiceRoles";
import { gcpApiEnabled } from "./gcpApiEnabled";
import { resourceNameLimits } from "./resourceNameLimits";
import { route53AlarmRegion } from "./route53AlarmRegion";
import { serviceQuotas } from "./serviceQuotas";

export {
    blockedRuntimeVersions,
    cdcSourceLogicalReplication,
    certificateRegion,
    deprecatedRuntimeVersions,
    dmsNetworkPath,
    dmsServiceRoles,
    gcpApiEnabled,
    resourceNameLimits,
    route53AlarmRegion,
    serviceQuotas,
};

/** Every deploy-time rule, with its judgement callable without the engine. */
export const deployRules: readonly GraphRule[] = [
    resourceNameLimits,
    serviceQuotas,
    blockedRuntimeVersions,
    deprecatedRuntimeVersions,
    gcpApiEnabled,
    dmsServiceRoles,
    cdcSourceLogicalReplication,
    dmsNetworkPath,
    certificateRegion,
    route53AlarmRegion,
];

export const policies: Policy[] = [...deployRules];
