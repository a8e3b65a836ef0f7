// What the clouds accept, as plain data and pure checks, shared by the site components' own
// validators and the stack config check (stacks/config.ts), so that a value a component would
// refuse is refused by the config check first, naming the stack file and key. No Pulumi here:
// the config check runs before any SDK is loaded.

/**
 * AWS regions: the `Region` enum of @pulumi/aws 7.x (node_modules/@pulumi/aws/types/enums/index.d.ts),
 * which lists every region the provider accepts (commercial, China, GovCloud, ISO and the European
 * Sovereign Cloud partitions). A test keeps this list equal to the enum.
 */
export const AWS_REGIONS: readonly string[] = [
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
    "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
    "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1",
    "us-west-2", "cn-north-1", "cn-northwest-1", "eusc-de-east-1", "us-gov-east-1", "us-gov-west-1", "us-iso-east-1", "us-iso-west-1",
    "us-isob-east-1", "us-isob-west-1", "eu-isoe-west-1", "us-isof-east-1", "us-isof-south-1",
];

/**
 * Google Cloud regions, from https://cloud.google.com/compute/docs/regions-zones (42 regions, 2025).
 * A region opened later is refused until it is added here.
 */
export const GCP_REGIONS: readonly string[] = [
    "africa-south1", "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2", "asia-northeast3", "asia-south1", "asia-south2",
    "asia-southeast1", "asia-southeast2", "australia-southeast1", "australia-southeast2", "europe-central2", "europe-north1", "europe-north2",
    "europe-southwest1", "europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-west6", "europe-west8", "europe-west9",
    "europe-west10", "europe-west12", "me-central1", "me-central2", "me-west1", "northamerica-northeast1", "northamerica-northeast2",
    "northamerica-south1", "southamerica-east1", "southamerica-west1", "us-central1", "us-east1", "us-east4", "us-east5", "us-south1",
    "us-west1", "us-west2", "us-west3", "us-west4",
];

/** A GCP project id: 6-30 lowercase letters, digits and '-', starting with a letter, not ending with '-'. */
export const GCP_PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** A dotted-quad IPv4 address, each part 0-255. */
export const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** A host name or an IPv4 address (letters, digits, '.', '-'; neither first nor last a '.' or '-'): where another cluster reaches a database. */
export const HOST_NAME_OR_IPV4 = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/** An object-store path barman-cloud (CloudNativePG backups) writes to: s3://, gs:// or https:// (Azure Blob). */
export const OBJECT_STORE_PATH = /^(s3|gs|https):\/\/\S+$/;

/** The multi-region a region belongs to for configurable dual-region buckets (US, EU, ASIA). */
export function multiRegionOf(region: string): "US" | "EU" | "ASIA" | undefined {
    if (region.startsWith("us-") || region.startsWith("northamerica-")) return "US";
    if (region.startsWith("europe-")) return "EU";
    if (region.startsWith("asia-")) return "ASIA";
    return undefined;
}

/**
 * Highest replication factor Cloud SQL can hold in one region: REGIONAL (2 copies) + 9 read
 * replicas. A primary takes at most 10 read replicas; one is kept free for the cross-region
 * replica a secondary site attaches.
 */
export const CLOUD_SQL_MAX_REPLICATION_FACTOR = 11;

/** Fargate's CPU units and, for each, the memory sizes (MiB) it accepts. */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: range(1024, 4096, 1024),
    1024: range(2048, 8192, 1024),
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
    8192: range(16384, 61440, 4096),
    16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
    return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

/** A size problem: the arg it is about and what is wrong (without the arg name). */
export interface SizeProblem {
    readonly key: "cpu" | "memoryMb";
    readonly message: string;
}

/** Whether a task of `cpu` units and `memoryMb` MiB exists on Fargate. */
export function fargateSizeProblem(cpu: number, memoryMb: number): SizeProblem | undefined {
    const memories = FARGATE_SIZES[cpu];
    if (!memories) return { key: "cpu", message: `${JSON.stringify(cpu)} is not a Fargate CPU size; use one of ${Object.keys(FARGATE_SIZES).join(", ")}` };
    if (!memories.includes(memoryMb)) {
        return { key: "memoryMb", message: `${JSON.stringify(memoryMb)} does not fit Fargate cpu ${cpu}; use ${memories[0]} to ${memories[memories.length - 1]} in steps of ${memories.length > 1 ? memories[1] - memories[0] : 0}` };
    }
    return undefined;
}

/** Cloud Run whole-CPU sizes and the most memory each allows (MiB). */
export const CLOUD_RUN_CPU_MEMORY: readonly (readonly [number, number])[] = [
    [1, 4096],
    [2, 8192],
    [4, 16384],
    [6, 24576],
    [8, 32768],
];

/**
 * Cloud Run CPU for `cpu` units (1024 = 1 vCPU) and `memoryMb`: the smallest whole-CPU size that
 * gives at least the CPU asked for and allows the memory. Fractional CPUs are not used: below one
 * vCPU Cloud Run limits request concurrency, which would change how the service scales.
 */
export function cloudRunCpu(cpuUnits: number, memoryMb: number): number {
    const wanted = cpuUnits / 1024;
    const fit = CLOUD_RUN_CPU_MEMORY.find(([cpu, maxMemory]) => cpu >= wanted && memoryMb <= maxMemory);
    return fit ? fit[0] : 8;
}

/** Whether Cloud Run offers an instance of `cpu` units and `memoryMb` MiB. */
export function cloudRunSizeProblem(cpu: number, memoryMb: number): SizeProblem | undefined {
    if (cpu < 1 || cpu > 8192) return { key: "cpu", message: `${cpu} is outside what Cloud Run offers; expected 1-8192 units (1024 = 1 vCPU, at most 8 vCPUs)` };
    if (memoryMb < 512 || memoryMb > 32768) return { key: "memoryMb", message: `${memoryMb} is outside what Cloud Run offers; expected 512-32768 MiB` };
    const vcpus = cloudRunCpu(cpu, memoryMb);
    if (vcpus >= 6 && memoryMb < 4096) return { key: "memoryMb", message: `${memoryMb} is too little for ${vcpus} Cloud Run vCPUs; give at least 4096 MiB or fewer cpu units` };
    if (vcpus >= 4 && memoryMb < 2048) return { key: "memoryMb", message: `${memoryMb} is too little for ${vcpus} Cloud Run vCPUs; give at least 2048 MiB or fewer cpu units` };
    return undefined;
}

// A container image reference, after the grammar of distribution/reference (Docker, OCI):
// [registry[:port]/]path[:tag][@algorithm:hex]. Path components are lowercase; the whole name at
// most 255 characters; a tag at most 128.
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*";
const IMAGE_REFERENCE = new RegExp(
    `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);

/** What is wrong with a container image reference, or undefined when it is one. */
export function imageReferenceProblem(image: string): string | undefined {
    if (image.length === 0) return "is empty";
    if (image.length > 512) return `is ${image.length} characters long; an image reference is at most 255 for the name plus its tag or digest`;
    const m = IMAGE_REFERENCE.exec(image);
    if (!m) {
        return "is not a container image reference: expected [registry/]path[:tag][@sha256:digest], e.g. ghcr.io/acme/app:1.4.2, with a lowercase path and a tag of letters, digits, '_', '.' and '-'";
    }
    if (m[1].length > 255) return `has a ${m[1].length}-character name; registries accept at most 255`;
    return undefined;
}

/** An https:// URL with a host and no whitespace (what SNS, Cloud Monitoring and Alertmanager deliver to). */
export function isHttpsUrl(value: string): boolean {
    if (!/^https:\/\/[^\s/?#]+[^\s]*$/.test(value)) return false;
    try {
        return new URL(value).protocol === "https:";
    } catch {
        return false;
    }
}
