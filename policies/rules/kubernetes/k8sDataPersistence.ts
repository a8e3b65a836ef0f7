import { ResourceValidationPolicy } from "@pulumi/policy";
import { isUnknown, read } from "../../lib/props";
import { Check, resourcesOf, Say } from "../../lib/rule";
import { engineOf } from "../../lib/workloads";
import { deployment, statefulSet } from "./podTemplate";

/** `/var/lib/mysql/` -> `/var/lib/mysql` */
function normalize(p: string): string {
    const t = p.trim().replace(/\/+$/, "");
    return t === "" ? "/" : t;
}

/** True when a mount at `mountPath` holds `dir` (the same directory or one of its parents). */
function covers(mountPath: string, dir: string): boolean {
    const m = normalize(mountPath);
    const d = normalize(dir);
    return m === "/" || d === m || d.startsWith(`${m}/`);
}

/** Where a container's data directory lives: a mount (by volume name), the container filesystem, or cannot be told. */
type Placement = { readonly kind: "mount"; readonly volume: string; readonly dir: string; readonly mountPath: string } | { readonly kind: "container" } | { readonly kind: "unknown" };

function placementOf(container: unknown, dirs: readonly string[]): Placement {
    const mounts = read(container, "volumeMounts");
    if (isUnknown(mounts)) return { kind: "unknown" };
    if (mounts !== undefined && mounts !== null && !Array.isArray(mounts)) return { kind: "unknown" };
    let best: { volume: unknown; mountPath: string; dir: string } | undefined;
    for (const m of mounts ?? []) {
        const mountPath = read(m, "mountPath");
        if (typeof mountPath !== "string" || isUnknown(mountPath)) return { kind: "unknown" };
        for (const dir of dirs) {
            if (covers(mountPath, dir) && (best === undefined || normalize(mountPath).length > normalize(best.mountPath).length)) best = { volume: read(m, "name"), mountPath, dir };
        }
    }
    if (best === undefined) return { kind: "container" };
    return typeof best.volume === "string" && !isUnknown(best.volume) ? { kind: "mount", volume: best.volume, dir: best.dir, mountPath: best.mountPath } : { kind: "unknown" };
}

/** `container "db" (postgres:16)` */
function label(container: unknown, index: number, image: string): string {
    const name = read(container, "name");
    return `${typeof name === "string" && !isUnknown(name) ? `container ${JSON.stringify(name)}` : `container ${index}`} (${image})`;
}

const judgeWorkload: Check = {
    run: (props, say: Say, args) => {
        const spec = read(props, "spec");
        if (isUnknown(spec) || spec === undefined || spec === null) return;
        const replicas = read(spec, "replicas");
        if (replicas === 0) return; // scaled to nothing: no data is kept
        const podSpec = read(spec, "template.spec");
        if (isUnknown(podSpec)) return;
        const containers = read(podSpec, "containers");
        if (!Array.isArray(containers)) return;
        const claimTemplates = read(spec, "volumeClaimTemplates");
        const claimNames = Array.isArray(claimTemplates) ? claimTemplates.map((t) => read(t, "metadata.name")) : [];
        const volumes = read(podSpec, "volumes");

        containers.forEach((c, i) => {
            const image = read(c, "image");
            if (typeof image !== "string" || isUnknown(image)) return;
            const engine = engineOf(image);
            if (!engine) return;
            if (engine.persists && engine.persists(c, image) !== true) return; // a cache, or cannot be told
            const dirs = engine.dataDirs(c, image);
            if (!dirs || dirs.length === 0) return;
            const where = placementOf(c, dirs);
            const fix = (dir: string) =>
                `Mount a PersistentVolumeClaim at ${dir}${args.type === statefulSet ? " (a spec.volumeClaimTemplates entry)" : " (as a StatefulSet with volumeClaimTemplates)"}, or better run ${engine.label} through an operator or a managed service that replicates it.`;
            if (where.kind === "unknown") return;
            if (where.kind === "container") {
                say(
                    `${label(c, i, image)} keeps its ${engine.label} data in ${dirs[0]} and no volumeMount covers it: the data is on the container's own filesystem`,
                    "it is lost whenever the container restarts (a crash, an OOM kill, an image update, a node drain), and a new pod starts empty",
                    fix(dirs[0]),
                );
                return;
            }
            if (claimNames.includes(where.volume)) return; // a claim per replica
            if (claimNames.some(isUnknown) || isUnknown(volumes) || isUnknown(claimTemplates)) return;
            const volume = Array.isArray(volumes) ? volumes.find((v) => read(v, "name") === where.volume) : undefined;
            if (volume === undefined) return;
            const emptyDir = read(volume, "emptyDir");
            const ephemeral = read(volume, "ephemeral");
            if (isUnknown(emptyDir) || isUnknown(ephemeral)) return;
            const mountedAt = `volume "${where.volume}" mounted at ${where.mountPath}`;
            if (emptyDir !== undefined && emptyDir !== null) {
                const memory = read(emptyDir, "medium") === "Memory";
                say(
                    `${label(c, i, image)} keeps its ${engine.label} data in ${where.dir} on ${mountedAt}, an emptyDir${memory ? " in memory (medium: Memory)" : ""}`,
                    `an emptyDir lives only as long as the pod: the data is lost when the pod is deleted, evicted or rescheduled (a rollout, a node drain)${memory ? ", or the node restarts, and it counts against the pod's memory" : ""}`,
                    fix(where.dir),
                );
            } else if (ephemeral !== undefined && ephemeral !== null) {
                say(
                    `${label(c, i, image)} keeps its ${engine.label} data in ${where.dir} on ${mountedAt}, a generic ephemeral volume`,
                    "an ephemeral volume is deleted with its pod: the data is lost when the pod is deleted, evicted or rescheduled",
                    fix(where.dir),
                );
            }
        });
    },
};

/**
 * A database, queue or broker must keep its data on storage that outlives the pod. Its data
 * directory (the engine's default, or the one its env or flags set) on the container filesystem
 * is lost on every container restart; on an emptyDir or a generic ephemeral volume, with the pod.
 * Redis counts only when persistence is switched on (AOF or save points): as a cache it keeps
 * nothing worth losing.
 */
export const k8sDataPersistence: ResourceValidationPolicy = {
    name: "k8s-data-persistence",
    description: "Databases, queues and brokers run as Deployments or StatefulSets must keep their data directory on a persistent volume, not the container filesystem, an emptyDir or an ephemeral volume.",
    enforcementLevel: "advisory",
    validateResource: resourcesOf({ [deployment]: judgeWorkload, [statefulSet]: judgeWorkload }),
};
