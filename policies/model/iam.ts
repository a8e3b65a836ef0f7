// What a function is allowed to do: the policies of its execution role (inline policies, role
// policies, attached customer and AWS managed policies). A policy document is often unknown at
// preview (it names ARNs of resources not yet created); its property dependencies still say which
// resources it is about, which is what recognition falls back to.
import { GraphResource } from "../lib/graph";
import { isUnknown, list, read, str } from "../lib/props";
import { Tree } from "./tree";

export const IAM_TYPES = {
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    policy: "aws:iam/policy:Policy",
} as const;

export interface Permissions {
    /** Allowed action patterns read from known documents (e.g. `rds:Failover*`, `*`). */
    readonly actions: readonly string[];
    /** Names of policies whose documents are unknown at preview. */
    readonly unknownPolicies: readonly string[];
    /** Resources the documents were built from (known or not): what the permissions are about. */
    readonly about: readonly GraphResource[];
    /** The role, when found. */
    readonly role?: GraphResource;
}

/** Actions of AWS managed policies the model recognises by name (others count as unknown). */
const MANAGED: Readonly<Record<string, readonly string[]>> = {
    AdministratorAccess: ["*"],
    PowerUserAccess: ["*"],
    AmazonRDSFullAccess: ["rds:*"],
    AmazonECS_FullAccess: ["ecs:*", "application-autoscaling:*"],
    AmazonRoute53FullAccess: ["route53:*"],
    AWSLambdaBasicExecutionRole: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
    AWSLambdaVPCAccessExecutionRole: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface"],
};

/** The permissions of the role a function runs as. */
export function functionPermissions(tree: Tree, fn: GraphResource): Permissions {
    const role = tree.refs(fn, "role").find((r) => r.type === IAM_TYPES.role);
    if (!role) return { actions: [], unknownPolicies: [`the execution role of ${fn.name} (not among the resources)`], about: [] };
    const actions: string[] = [];
    const unknownPolicies: string[] = [];
    const about = new Set<GraphResource>();
    const document = (owner: GraphResource, value: unknown, deps: readonly GraphResource[]) => {
        deps.forEach((d) => about.add(d));
        if (isUnknown(value) || (typeof value !== "string" && (value === undefined || value === null))) {
            if (isUnknown(value)) unknownPolicies.push(owner.name);
            return;
        }
        actions.push(...allowedActions(value));
    };
    for (const p of list(role.props, "inlinePolicies") ?? []) document(role, read(p, "policy"), tree.refs(role, "inlinePolicies"));
    for (const r of tree.dependents(role.urn)) {
        if (r.type === IAM_TYPES.rolePolicy && (r.propertyDependencies.role ?? []).includes(role.urn)) document(r, read(r.props, "policy"), tree.refs(r, "policy"));
        if (r.type === IAM_TYPES.attachment && (r.propertyDependencies.role ?? []).includes(role.urn)) {
            const policy = tree.refs(r, "policyArn").find((x) => x.type === IAM_TYPES.policy);
            if (policy) {
                document(policy, read(policy.props, "policy"), tree.refs(policy, "policy"));
                continue;
            }
            const arn = str(r.props, "policyArn");
            const managed = arn ? /^arn:aws[^:]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1] : undefined;
            if (managed && MANAGED[managed]) actions.push(...MANAGED[managed]);
            else unknownPolicies.push(arn ?? r.name);
        }
    }
    for (const arn of list(role.props, "managedPolicyArns") ?? []) {
        const managed = typeof arn === "string" ? /^arn:aws[^:]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1] : undefined;
        if (managed && MANAGED[managed]) actions.push(...MANAGED[managed]);
        else unknownPolicies.push(typeof arn === "string" ? arn : `a managed policy of ${role.name}`);
    }
    return { actions, unknownPolicies, about: [...about], role };
}

/** The Allow actions of a policy document (JSON string or object); none when it cannot be read. */
export function allowedActions(doc: unknown): string[] {
    let value = doc;
    if (typeof value === "string") {
        try {
            value = JSON.parse(value);
        } catch {
            return [];
        }
    }
    const statements = read(value, "Statement");
    const out: string[] = [];
    for (const st of Array.isArray(statements) ? statements : statements ? [statements] : []) {
        if (read(st, "Effect") !== "Allow") continue;
        const action = read(st, "Action");
        for (const a of Array.isArray(action) ? action : [action]) if (typeof a === "string") out.push(a);
    }
    return out;
}

/** True when one of the patterns allows `action` (IAM wildcards `*` and `?`, case-insensitive). */
export function allows(patterns: readonly string[], action: string): boolean {
    return patterns.some((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i").test(action));
}
