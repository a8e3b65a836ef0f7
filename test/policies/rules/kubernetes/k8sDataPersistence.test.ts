import { expect } from "chai";
import { k8sDataPersistence } from "../../../../policies/rules/kubernetes/k8sDataPersistence";
import { UNKNOWN } from "../../../harness";
import { checker, expectNone, expectOne, Props, set } from "../support";
import { deployment, statefulSet } from "./factories";

const deploymentType = "kubernetes:apps/v1:Deployment";
const statefulSetType = "kubernetes:apps/v1:StatefulSet";
const checkDeployment = checker(k8sDataPersistence, deploymentType, "checkout");
const checkStatefulSet = checker(k8sDataPersistence, statefulSetType, "ledger");

/** A workload whose first container runs `image` with `extra` container fields, and pod `volumes`. */
function running(base: Props, image: string, extra: Record<string, unknown> = {}, volumes?: unknown[]): Props {
    let out = set(base, "spec.template.spec.containers[0]", { name: "db", image, ...extra });
    if (volumes) out = set(out, "spec.template.spec.volumes", volumes);
    return out;
}

describe("k8s-data-persistence", () => {
    it("Compliance: accepts a StatefulSet whose data directory is a volume claim template, and ignores non-database images", async () => {
        expectNone(await checkStatefulSet(running(statefulSet(), "postgres:16", { volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }] })));
        expectNone(await checkDeployment(deployment()));
    });

    it("Noncompliance 1: reports a database on the container filesystem, naming the engine's data directory", async () => {
        expectOne(
            await checkDeployment(running(deployment(), "mysql:8.4")),
            "k8s-data-persistence",
            `${deploymentType} "checkout"`,
            'container "db" (mysql:8.4) keeps its MySQL data in /var/lib/mysql and no volumeMount covers it',
            "lost whenever the container restarts",
            "Mount a PersistentVolumeClaim at /var/lib/mysql (as a StatefulSet with volumeClaimTemplates)",
        );
    });

    it("Noncompliance 2: reports an emptyDir (and says so when it is in memory)", async () => {
        const mongo = running(deployment(), "mongo:7", { volumeMounts: [{ name: "data", mountPath: "/data/db" }] }, [{ name: "data", emptyDir: {} }]);
        expectOne(await checkDeployment(mongo), "k8s-data-persistence", "MongoDB data in /data/db on volume \"data\" mounted at /data/db, an emptyDir", "lost when the pod is deleted, evicted or rescheduled");
        const memory = running(deployment(), "mongo:7", { volumeMounts: [{ name: "data", mountPath: "/data" }] }, [{ name: "data", emptyDir: { medium: "Memory" } }]);
        expectOne(await checkDeployment(memory), "k8s-data-persistence", "an emptyDir in memory (medium: Memory)", "the node restarts");
    });

    it("Noncompliance 3: follows where the data directory really is: PGDATA, --datadir, and the PostgreSQL 18 layout", async () => {
        const pgdata = running(deployment(), "postgres:16", { env: [{ name: "PGDATA", value: "/pg/data" }], volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }] }, [{ name: "data", persistentVolumeClaim: { claimName: "pg" } }]);
        expectOne(await checkDeployment(pgdata), "k8s-data-persistence", "keeps its PostgreSQL data in /pg/data");
        const datadir = running(deployment(), "mariadb:11", { args: ["--datadir=/srv/mysql"], volumeMounts: [{ name: "data", mountPath: "/var/lib/mysql" }] }, [{ name: "data", persistentVolumeClaim: { claimName: "db" } }]);
        expectOne(await checkDeployment(datadir), "k8s-data-persistence", "/srv/mysql");
        const pg18 = running(deployment(), "postgres:18", { volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }] }, [{ name: "data", persistentVolumeClaim: { claimName: "pg" } }]);
        expectOne(await checkDeployment(pg18), "k8s-data-persistence", "/var/lib/postgresql/18/docker");
        // A mount of a parent directory covers it.
        const parent = running(deployment(), "postgres:18", { volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql" }] }, [{ name: "data", persistentVolumeClaim: { claimName: "pg" } }]);
        expectNone(await checkDeployment(parent));
    });

    it("Noncompliance 4: judges Redis only when persistence is on (AOF, save points, Bitnami's default)", async () => {
        expectNone(await checkDeployment(running(deployment(), "redis:7")));
        expectNone(await checkDeployment(running(deployment(), "redis:7", { args: ["--save", ""] })));
        const aof = running(deployment(), "redis:7", { args: ["--appendonly", "yes"], volumeMounts: [{ name: "data", mountPath: "/data" }] }, [{ name: "data", emptyDir: {} }]);
        expectOne(await checkDeployment(aof), "k8s-data-persistence", "Redis data in /data", "an emptyDir");
        expectOne(await checkDeployment(running(deployment(), "redis:7", { command: ["sh", "-c", "redis-server --appendonly yes"] })), "k8s-data-persistence", "container filesystem");
        expectOne(await checkDeployment(running(deployment(), "bitnami/redis:7.2")), "k8s-data-persistence", "/bitnami/redis/data");
    });

    it("Noncompliance 5: reports a generic ephemeral volume, deleted with its pod", async () => {
        const rabbit = running(statefulSet(), "rabbitmq:3.13", { volumeMounts: [{ name: "scratch", mountPath: "/var/lib/rabbitmq" }] }, [{ name: "scratch", ephemeral: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"] } } } }]);
        const v = expectOne(await checkStatefulSet(rabbit), "k8s-data-persistence", "RabbitMQ data", "a generic ephemeral volume");
        expect(v.message).to.include("(a spec.volumeClaimTemplates entry)");
    });

    it("Compliance: a PersistentVolumeClaim or hostPath volume keeps the data; replicas: 0 runs nothing", async () => {
        expectNone(await checkDeployment(running(deployment(), "mysql:8.4", { volumeMounts: [{ name: "data", mountPath: "/var/lib/mysql" }] }, [{ name: "data", persistentVolumeClaim: { claimName: "mysql" } }])));
        expectNone(await checkDeployment(set(running(deployment(), "mysql:8.4"), "spec.replicas", 0)));
    });

    it("Unknown: judges nothing that depends on an unknown value", async () => {
        expectNone(await checkDeployment(running(deployment(), "mysql:8.4", { volumeMounts: UNKNOWN })));
        expectNone(await checkDeployment(running(deployment(), "mysql:8.4", { volumeMounts: [{ name: "data", mountPath: UNKNOWN }] })));
        expectNone(await checkDeployment(running(deployment(), "mysql:8.4", { volumeMounts: [{ name: "data", mountPath: "/var/lib/mysql" }] }, [UNKNOWN])));
        expectNone(await checkDeployment(running(deployment(), "postgres:16", { env: [{ name: "PGDATA", valueFrom: { configMapKeyRef: { name: "pg", key: "dir" } } }] })));
        expectNone(await checkDeployment(running(deployment(), "redis:7", { args: UNKNOWN })));
        expectNone(await checkDeployment(set(deployment(), "spec.template.spec.containers[0].image", UNKNOWN)));
    });
});
