// AWS DMS acts through two account-wide IAM roles with fixed names that nothing creates for you
// outside the console: dms-vpc-role (to place replication instances in a VPC) and
// dms-cloudwatch-logs-role (to write task logs). Without the first, creating a replication subnet
// group fails; the plan must create them (once per account) before the DMS resources, or declare
// that the account has them.
import { GraphResource } from "../../lib/graph";
import { isUnknown, list, read, str } from "../../lib/props";
import { resolve } from "../../lib/refs";
import { finding, Finding, graphRule, names } from "../graph/lib";
import { dmsTypes } from "./dms";
import { orderedAfter } from "./lib";

const roleType = "aws:iam/role:Role";
const attachmentType = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";

export interface DmsRoleSpec {
    readonly name: string;
    readonly policy: string;
    readonly why: string;
    readonly refusal: string;
}

export const dmsRoleSpecs = {
    vpc: {
        name: "dms-vpc-role",
        policy: "service-role/AmazonDMSVPCManagementRole",
        why: "DMS places replication instances in a VPC through it",
        refusal: 'creating the replication subnet group fails with "AccessDeniedFault: The IAM Role arn:aws:iam::<account>:role/dms-vpc-role is not configured properly."',
    },
    logs: {
        name: "dms-cloudwatch-logs-role",
        policy: "service-role/AmazonDMSCloudWatchLogsRole",
        why: "DMS writes task logs (Logging.EnableLogging) to CloudWatch through it",
        refusal: "DMS cannot write the task's CloudWatch logs (AWS requires this role whenever task logging is on), so a failing task leaves no log to diagnose it",
    },
} as const satisfies Record<string, DmsRoleSpec>;

/** Whether a task's settings turn CloudWatch logging on; undefined when unknown. */
function logs(task: GraphResource): boolean | undefined {
    const settings = read(task.props, "replicationTaskSettings");
    if (isUnknown(settings)) return undefined;
    if (typeof settings !== "string") return false;
    try {
        const parsed = JSON.parse(settings) as { Logging?: { EnableLogging?: unknown } };
        return parsed.Logging?.EnableLogging === true;
    } catch {
        return undefined;
    }
}

/** The role named `spec.name` in the plan with the managed policy attached (an unknown policy ARN may be it), and what carries the policy. */
function findRole(graph: Parameters<typeof resolve>[0], spec: DmsRoleSpec): { role?: GraphResource; carriers: GraphResource[]; unknownName: boolean } {
    const roles = graph.ofType(roleType);
    const role = roles.find((r) => str(r.props, "name") === spec.name);
    const unknownName = roles.some((r) => isUnknown(read(r.props, "name")));
    if (!role) return { carriers: [], unknownName };
    const managed = list(role.props, "managedPolicyArns");
    const carriers: GraphResource[] = managed?.some((a) => isUnknown(a) || (typeof a === "string" && a.endsWith(spec.policy))) ? [role] : [];
    for (const att of graph.ofType(attachmentType)) {
        const ref = resolve(graph, att, "role", [roleType], { identity: ["name", "id"] });
        if (!ref.targets.includes(role) && !ref.external.includes(spec.name)) continue;
        const arn = read(att.props, "policyArn");
        if (isUnknown(arn) || (typeof arn === "string" && arn.endsWith(spec.policy))) carriers.push(att);
    }
    return { role, carriers, unknownName };
}

function fixFor(spec: DmsRoleSpec): string {
    return (
        `Create it once per account: new aws.iam.Role("${spec.name}", { name: "${spec.name}", assumeRolePolicy: <trust dms.amazonaws.com> }) with a RolePolicyAttachment of arn:aws:iam::aws:policy/${spec.policy}, ` +
        `and make the DMS resources depend on it (nonstop's stacks do this with DmsServiceRoles); if the account already has it, list "${spec.name}" in this rule's existingRoles setting.`
    );
}

/**
 * DMS replication instances need dms-vpc-role, and tasks that log to CloudWatch need
 * dms-cloudwatch-logs-role: created by the plan before them, or declared as existing.
 */
export const dmsServiceRoles = graphRule({
    name: "dms-service-roles",
    description:
        "AWS DMS resources need the account's dms-vpc-role (and dms-cloudwatch-logs-role when tasks log to CloudWatch), created by the plan before them with their AWS managed policies, or declared as existing.",
    thresholds: {
        existingRoles: { type: "array", default: [], description: 'DMS service roles the account already has, e.g. ["dms-vpc-role", "dms-cloudwatch-logs-role"].' },
    },
    check: (graph, config) => {
        const findings: Finding[] = [];
        const existing = new Set(config.existingRoles);
        const needs: { spec: DmsRoleSpec; users: GraphResource[] }[] = [
            { spec: dmsRoleSpecs.vpc, users: graph.ofType(dmsTypes.subnetGroup, dmsTypes.instance) },
            { spec: dmsRoleSpecs.logs, users: graph.ofType(dmsTypes.task).filter((t) => logs(t) === true) },
        ];
        for (const { spec, users } of needs) {
            if (users.length === 0 || existing.has(spec.name)) continue;
            const { role, carriers, unknownName } = findRole(graph, spec);
            if (!role) {
                if (unknownName) continue; // a role whose name is unknown may be this one
                findings.push(
                    finding(users[0], `the plan creates no IAM role named ${spec.name} (${spec.why}; needed by ${names(users, 5)}) and none is declared as existing`, `in an account that has never used DMS, ${spec.refusal}`, fixFor(spec)),
                );
                continue;
            }
            if (carriers.length === 0) {
                findings.push(finding(role, `it is named ${spec.name} but arn:aws:iam::aws:policy/${spec.policy} is not attached to it`, spec.refusal, fixFor(spec)));
                continue;
            }
            const late = users.filter((u) => !carriers.some((c) => orderedAfter(graph, u, c)));
            if (late.length > 0) {
                findings.push(
                    finding(
                        late[0],
                        `${spec.name} is created by ${role.type} "${role.name}", but ${names(late, 5)} ${late.length === 1 ? "does" : "do"} not wait for its policy attachment`,
                        `the engine creates them in parallel, so on the first deploy ${spec.refusal}`,
                        "Make the DMS resources depend on the role's policy attachment (dependsOn), or create them under a component that depends on it.",
                    ),
                );
            }
        }
        return findings;
    },
});
