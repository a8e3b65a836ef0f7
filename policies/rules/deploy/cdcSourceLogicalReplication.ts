// Change data capture reads the source's write-ahead log (PostgreSQL logical decoding) or binary
// log (MySQL). RDS and Aurora have it off in their default parameter groups, Cloud SQL behind a
// flag: a DMS task that captures changes from such a source fails when it starts, and with
// `startReplicationTask: true` so does `pulumi up`.
import { Graph, GraphResource } from "../../lib/graph";
import { isUnknown, list, num, read, str } from "../../lib/props";
import { resolve } from "../../lib/refs";
import { finding, Finding, graphRule } from "../graph/lib";
import { capturesChanges, databasesBehind, dbTypes, dmsTypes, taskParts } from "./dms";
import { rdsMajor } from "./runtimeVersions";

const clusterGroupType = "aws:rds/clusterParameterGroup:ClusterParameterGroup";
const instanceGroupType = "aws:rds/parameterGroup:ParameterGroup";

interface Requirement {
    readonly parameter: string;
    readonly value: string;
    readonly consequence: string;
}

const postgres: Requirement = {
    parameter: "rds.logical_replication",
    value: "1",
    consequence: 'the task fails as it starts: PostgreSQL answers DMS\'s replication slot with "ERROR: logical decoding requires wal_level >= logical"',
};
const mysql: Requirement = {
    parameter: "binlog_format",
    value: "ROW",
    consequence: "the task fails as it starts: DMS captures changes from MySQL only from a row-based binary log",
};

function requirementFor(engine: string): Requirement | undefined {
    if (engine.includes("postgres")) return postgres;
    if (engine.includes("mysql") || engine === "mariadb") return mysql;
    return undefined;
}

/** The parameter group family for an engine and version ("aurora-postgresql16"), or a placeholder. */
function family(engine: string, version: string | undefined): string {
    const major = version ? rdsMajor(engine, version) : undefined;
    return `${engine}${major ?? "<major>"}`;
}

/** What the parameter group in `prop` sets `req.parameter` to: a problem description, or undefined when fine or not known. */
function groupProblem(graph: Graph, db: GraphResource, prop: string, groupType: string, req: Requirement): string | undefined {
    const raw = read(db.props, prop);
    const groups = resolve(graph, db, prop, [groupType], { identity: ["name", "id"] });
    if (groups.open || (groups.targets.length === 0 && isUnknown(raw))) return undefined;
    if (groups.targets.length === 0) {
        if (raw === undefined || raw === null || raw === "") return `${prop} is not set, so it uses the default parameter group, where ${req.parameter} is off`;
        if (typeof raw === "string" && raw.startsWith("default.")) return `${prop} is "${raw}", a default parameter group, where ${req.parameter} is off`;
        return undefined; // a group outside the stack: not judged
    }
    const group = groups.targets[0];
    const parameters = list(group.props, "parameters");
    if (!parameters) return read(group.props, "parameters") === undefined ? `its parameter group ${group.type} "${group.name}" does not set ${req.parameter} (off by default)` : undefined;
    const entry = parameters.find((p) => String(read(p, "name") ?? "").toLowerCase() === req.parameter.toLowerCase());
    if (!entry) return `its parameter group ${group.type} "${group.name}" does not set ${req.parameter} (off by default)`;
    const value = read(entry, "value");
    if (isUnknown(value)) return undefined;
    if (String(value).toUpperCase() !== req.value.toUpperCase()) return `its parameter group ${group.type} "${group.name}" sets ${req.parameter} = ${JSON.stringify(value)}`;
    return undefined;
}

function rdsProblems(graph: Graph, db: GraphResource): { problem: string; req: Requirement; fix: string } | undefined {
    const engine = str(db.props, "engine");
    if (!engine) return undefined;
    const req = requirementFor(engine);
    if (!req) return undefined;
    const version = str(db.props, "engineVersion");
    const isCluster = db.type === dbTypes.cluster;
    const prop = isCluster ? "dbClusterParameterGroupName" : "parameterGroupName";
    const groupType = isCluster ? clusterGroupType : instanceGroupType;
    const ctor = isCluster ? "aws.rds.ClusterParameterGroup" : "aws.rds.ParameterGroup";
    const fix =
        `Give it a parameter group: new ${ctor}("<name>", { family: "${family(engine, version)}", parameters: [{ name: "${req.parameter}", value: "${req.value}", applyMethod: "pending-reboot" }] })` +
        ` and set ${prop} to its name (an in-place change that does not replace the database; the static parameter takes effect at the next reboot of the writer)`;
    const problem = groupProblem(graph, db, prop, groupType, req);
    if (problem) return { problem, req, fix };
    // MySQL writes a binary log only with automated backups on.
    if (req === mysql && !isCluster && num(db.props, "backupRetentionPeriod") === 0) {
        return { problem: "backupRetentionPeriod is 0, which turns the binary log off", req, fix: "Set backupRetentionPeriod to 1 or more (RDS MySQL keeps a binary log only with automated backups)." };
    }
    return undefined;
}

function cloudSqlProblems(db: GraphResource): { problem: string; req: Requirement; fix: string } | undefined {
    const version = str(db.props, "databaseVersion");
    if (!version) return undefined;
    if (version.startsWith("POSTGRES")) {
        const flags = read(db.props, "settings.databaseFlags");
        if (isUnknown(flags)) return undefined;
        const on = Array.isArray(flags) && flags.some((f) => read(f, "name") === "cloudsql.logical_decoding" && String(read(f, "value")).toLowerCase() === "on");
        if (on || (Array.isArray(flags) && flags.some((f) => isUnknown(f) || isUnknown(read(f, "value"))))) return undefined;
        return {
            problem: "settings.databaseFlags does not set cloudsql.logical_decoding = on",
            req: postgres,
            fix: 'Add { name: "cloudsql.logical_decoding", value: "on" } to settings.databaseFlags (Cloud SQL restarts the instance to apply it).',
        };
    }
    if (version.startsWith("MYSQL")) {
        const binlog = read(db.props, "settings.backupConfiguration.binaryLogEnabled");
        if (isUnknown(binlog) || binlog === true) return undefined;
        return { problem: "settings.backupConfiguration.binaryLogEnabled is not true", req: mysql, fix: "Set settings.backupConfiguration.enabled and binaryLogEnabled to true." };
    }
    return undefined;
}

/**
 * A DMS task that captures changes needs logical replication (PostgreSQL) or a row-based binary log
 * (MySQL) on its source database: on every member cluster when the source is a global database.
 */
export const cdcSourceLogicalReplication = graphRule({
    name: "cdc-source-logical-replication",
    description:
        "The source database of a DMS change-data-capture task must have logical replication on (rds.logical_replication = 1, binlog_format = ROW, or cloudsql.logical_decoding), or the task fails when it starts.",
    thresholds: {},
    check: (graph) => {
        const findings: Finding[] = [];
        const seen = new Set<string>();
        for (const task of graph.ofType(dmsTypes.task)) {
            if (capturesChanges(task) !== true) continue;
            const { source } = taskParts(graph, task);
            if (!source) continue;
            for (const db of databasesBehind(graph, source)) {
                if (seen.has(db.urn)) continue;
                const p = db.type === dbTypes.cloudSql ? cloudSqlProblems(db) : rdsProblems(graph, db);
                if (!p) continue;
                seen.add(db.urn);
                findings.push(
                    finding(
                        db,
                        `it is the change-data-capture source of ${task.type} "${task.name}" (through endpoint "${source.name}"), but ${p.problem}`,
                        `${p.req.consequence}, and with startReplicationTask \`pulumi up\` fails on the task`,
                        p.fix,
                    ),
                );
            }
        }
        return findings;
    },
});
