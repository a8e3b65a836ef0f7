// The aws rules of the pack, in the order they are reported.
import { Policy } from "../../lib/policy";
import { auroraMultiAz } from "./auroraMultiAz";
import { autoscalingMinCapacity } from "./autoscalingMinCapacity";
import { backupVaultLock } from "./backupVaultLock";
import { dynamodbPitr } from "./dynamodbPitr";
import { ecsServiceMinCapacity } from "./ecsServiceMinCapacity";
import { ecsServiceMultiAz } from "./ecsServiceMultiAz";
import { elasticacheFailover } from "./elasticacheFailover";
import { lbTargetGroupHealthCheck } from "./lbTargetGroupHealthCheck";
import { loadBalancerMultiAz } from "./loadBalancerMultiAz";
import { rdsBackupRetention } from "./rdsBackupRetention";
import { rdsMultiAz } from "./rdsMultiAz";
import { route53FailoverRecordHealthCheck } from "./route53FailoverRecordHealthCheck";
import { route53HealthCheck } from "./route53HealthCheck";
import { s3BucketVersioning } from "./s3BucketVersioning";

export {
    auroraMultiAz,
    autoscalingMinCapacity,
    backupVaultLock,
    dynamodbPitr,
    ecsServiceMinCapacity,
    ecsServiceMultiAz,
    elasticacheFailover,
    lbTargetGroupHealthCheck,
    loadBalancerMultiAz,
    rdsBackupRetention,
    rdsMultiAz,
    route53FailoverRecordHealthCheck,
    route53HealthCheck,
    s3BucketVersioning,
};

export const policies: Policy[] = [
    // compute: no single task, instance or zone
    ecsServiceMinCapacity,
    ecsServiceMultiAz,
    autoscalingMinCapacity,
    loadBalancerMultiAz,
    lbTargetGroupHealthCheck,
    // data: survive a zone, keep backups
    rdsMultiAz,
    rdsBackupRetention,
    auroraMultiAz,
    dynamodbPitr,
    elasticacheFailover,
    s3BucketVersioning,
    backupVaultLock,
    // DNS failover
    route53HealthCheck,
    route53FailoverRecordHealthCheck,
];
