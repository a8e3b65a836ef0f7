// The gcp rules of the pack, in the order they are reported.
import { Policy } from "../../lib/policy";
import { cloudRunMinInstances } from "./cloudRunMinInstances";
import { cloudsqlBackups } from "./cloudsqlBackups";
import { cloudsqlHighAvailability } from "./cloudsqlHighAvailability";
import { computeInstanceGroupMultiZone } from "./computeInstanceGroupMultiZone";
import { gcsBucketVersioning } from "./gcsBucketVersioning";
import { gkeRegionalCluster } from "./gkeRegionalCluster";
import { memorystoreHa } from "./memorystoreHa";

export { cloudRunMinInstances, cloudsqlBackups, cloudsqlHighAvailability, computeInstanceGroupMultiZone, gcsBucketVersioning, gkeRegionalCluster, memorystoreHa };

export const policies: Policy[] = [
    // compute: no single instance or zone
    cloudRunMinInstances,
    gkeRegionalCluster,
    computeInstanceGroupMultiZone,
    // data: survive a zone, keep backups
    cloudsqlHighAvailability,
    cloudsqlBackups,
    memorystoreHa,
    gcsBucketVersioning,
];
