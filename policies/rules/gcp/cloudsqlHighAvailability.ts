import type * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceOf } from "../../lib/rule";

/**
 * A Cloud SQL primary must be REGIONAL (a synchronous standby in another zone with automatic
 * failover); ZONAL, the default, is lost with its zone. Read replicas are exempt: they take their
 * availability from the primary and the replication topology, which the stack rules judge.
 */
export const cloudsqlHighAvailability: ResourceValidationPolicy = {
    name: "cloudsql-high-availability",
    description: "Cloud SQL primary instances must be REGIONAL (highly available across zones).",
    enforcementLevel: "advisory",
    validateResource: resourceOf<gcp.sql.DatabaseInstanceArgs>("gcp:sql/databaseInstance:DatabaseInstance", (db, say) => {
        if (!db.absent("masterInstanceName")) return;
        const instanceType = db.str("instanceType");
        if (db.unknown("instanceType") || (instanceType !== undefined && instanceType !== "CLOUD_SQL_INSTANCE")) return;
        const settings = db.at("settings");
        const availability = settings.str("availabilityType");
        if ((availability !== undefined && availability !== "REGIONAL") || (!settings.isUnknown && settings.absent("availabilityType"))) {
            say(
                `${settings.is("availabilityType")}${settings.absent("availabilityType") ? " (Cloud SQL defaults to ZONAL)" : ""}`,
                "a zonal instance has no standby: it is down for as long as its zone is",
                'Set settings.availabilityType: "REGIONAL".',
            );
        }
    }),
};
