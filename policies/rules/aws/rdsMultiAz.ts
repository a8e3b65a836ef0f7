import type * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOf } from "../../lib/rule";

/**
 * A primary RDS instance must keep a standby in another zone. Read replicas are not judged here:
 * they are copies of a primary, and how many copies a database keeps and in which zones is
 * replication-factor's to say (lib/facts).
 */
export const rdsMultiAz: ResourceValidationPolicy = {
    name: "rds-multi-az",
    description: "RDS DB instances (read replicas aside) must run Multi-AZ so that the loss of one availability zone fails over to a standby.",
    enforcementLevel: "advisory",
    validateResource: resourceOf<aws.rds.InstanceArgs>("aws:rds/instance:Instance", (db, say) => {
        if (!db.absent("replicateSourceDb")) return;
        if (db.bool("multiAz") === false || db.absent("multiAz")) {
            say(
                `${db.is("multiAz")}${db.absent("multiAz") ? " (RDS defaults to single-AZ)" : ""}`,
                "a single-AZ database is lost with its zone",
                "Set multiAz: true, or use an Aurora cluster with readers in other AZs.",
            );
        }
    }),
};
