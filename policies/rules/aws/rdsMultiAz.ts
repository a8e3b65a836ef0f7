import type * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOf } from "../../lib/rule";

export const rdsMultiAz: ResourceValidationPolicy = {
    name: "rds-multi-az",
    description: "RDS DB instances must run Multi-AZ so that the loss of one availability zone fails over to a standby.",
    enforcementLevel: "advisory",
    validateResource: resourceOf<aws.rds.InstanceArgs>("aws:rds/instance:Instance", (db, say) => {
        if (db.bool("multiAz") === false || db.absent("multiAz")) {
            say(
                `${db.is("multiAz")}${db.absent("multiAz") ? " (RDS defaults to single-AZ)" : ""}`,
                "a single-AZ database is lost with its zone",
                "Set multiAz: true, or use an Aurora cluster with readers in other AZs.",
            );
        }
    }),
};
