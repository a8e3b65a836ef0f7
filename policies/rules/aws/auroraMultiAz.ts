import type * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOf } from "../../lib/rule";

/**
 * Aurora Serverless v1 (`engineMode: "serverless"`) runs its capacity in a single availability zone
 * and fails over by re-creating it elsewhere, which takes minutes; it cannot have readers in other
 * zones. Provisioned clusters (including Serverless v2 instances) can. How many instances a cluster
 * has, in which zones, is judged by the stack rules, which see the cluster's instances.
 */
export const auroraMultiAz: ResourceValidationPolicy = {
    name: "aurora-multi-az",
    description: "Aurora clusters must use an engine mode that can keep readers in other availability zones (not Serverless v1).",
    enforcementLevel: "advisory",
    validateResource: resourceOf<aws.rds.ClusterArgs>("aws:rds/cluster:Cluster", (cluster, say) => {
        if (cluster.str("engineMode") === "serverless") {
            say(
                cluster.is("engineMode"),
                "Aurora Serverless v1 runs in a single availability zone and cannot keep a reader in another to fail over to",
                'Use engineMode: "provisioned" with serverlessv2ScalingConfiguration and db.serverless cluster instances in at least two availability zones.',
            );
        }
    }),
};
