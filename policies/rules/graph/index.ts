// The graph rules of the pack, in the order they are reported: stack rules that judge the whole
// resource graph at once (no single point of failure, backups, replication, protection).
import { Policy } from "../../lib/policy";
import { alarmCoverage } from "./alarmCoverage";
import { backupCrossRegionCopy } from "./backupCrossRegionCopy";
import { backupPlanCoverage } from "./backupPlanCoverage";
import { backupVaultLockRequired } from "./backupVaultLockRequired";
import { bucketReplicationCoverage } from "./bucketReplicationCoverage";
import { bucketVersioningCoverage } from "./bucketVersioningCoverage";
import { dnsSingleCloud } from "./dnsSingleCloud";
import { dnsSingleRegion } from "./dnsSingleRegion";
import { failoverRecordPair } from "./failoverRecordPair";
import { k8sWorkloadHpa } from "./k8sWorkloadHpa";
import { k8sWorkloadPdb } from "./k8sWorkloadPdb";
import { GraphRule } from "./lib";
import { notJudged } from "./notJudged";
import { replicationFactor } from "./replicationFactor";
import { singleAzPlacement } from "./singleAzPlacement";
import { singleMachine } from "./singleMachine";
import { singleNatGateway } from "./singleNatGateway";
import { spotOnlyCapacity } from "./spotOnlyCapacity";
import { statefulResourceProtected } from "./statefulResourceProtected";
import { veleroScheduleCoverage } from "./veleroScheduleCoverage";
import { weightedRecordRedundancy } from "./weightedRecordRedundancy";

export {
    alarmCoverage,
    backupCrossRegionCopy,
    backupPlanCoverage,
    backupVaultLockRequired,
    bucketReplicationCoverage,
    bucketVersioningCoverage,
    dnsSingleCloud,
    dnsSingleRegion,
    failoverRecordPair,
    k8sWorkloadHpa,
    k8sWorkloadPdb,
    notJudged,
    replicationFactor,
    singleAzPlacement,
    singleMachine,
    singleNatGateway,
    spotOnlyCapacity,
    statefulResourceProtected,
    veleroScheduleCoverage,
    weightedRecordRedundancy,
};
export { Finding, GraphRule } from "./lib";

/** Every graph rule, with its judgement callable without the engine. */
export const graphRules: readonly GraphRule[] = [
    singleNatGateway,
    singleAzPlacement,
    singleMachine,
    spotOnlyCapacity,
    dnsSingleRegion,
    dnsSingleCloud,
    failoverRecordPair,
    weightedRecordRedundancy,
    replicationFactor,
    backupPlanCoverage,
    backupCrossRegionCopy,
    veleroScheduleCoverage,
    backupVaultLockRequired,
    bucketVersioningCoverage,
    bucketReplicationCoverage,
    statefulResourceProtected,
    k8sWorkloadPdb,
    k8sWorkloadHpa,
    alarmCoverage,
    notJudged,
];

export const policies: Policy[] = [...graphRules];
