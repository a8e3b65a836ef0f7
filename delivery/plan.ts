// Joins the delivery config with the app project and refuses, before anything is created, the
// settings that would deploy without credentials or enforce the wrong policy config: a stack
// whose sites are on AWS or GCP needs that cloud's OIDC role, a TTL or review-stack template
// never applies to prod, and each environment's policy group gets that environment's config.
import { ConfigError, ConfigIssue, Environment } from "../stacks/config";
import { AppProject, AppStack, readAppProject, readAppStack, readPolicyConfig } from "./appProject";
import { DELIVERY_NAMESPACE, DeliveryConfig, DeliveryStackConfig } from "./config";
import { ServicePolicyConfig } from "./policyConfig";

export interface PlannedStack {
    readonly app: AppStack;
    readonly own: DeliveryStackConfig;
}

export interface DeliveryPlan {
    readonly config: DeliveryConfig;
    readonly app: AppProject;
    readonly stacks: readonly PlannedStack[];
    /** One policy group per environment that has stacks, with that environment's pack config. */
    readonly groups: readonly { readonly environment: Environment; readonly stacks: readonly AppStack[]; readonly packConfig: ServicePolicyConfig }[];
    /** Allowed but worth saying: printed as warnings by the program. */
    readonly warnings: readonly string[];
}

export function planDelivery(config: DeliveryConfig, root: string, stackFile: string): DeliveryPlan {
    const app = readAppProject(root);
    const issues: ConfigIssue[] = [];
    const warnings: string[] = [];
    const stacks: PlannedStack[] = [];
    for (const [name, own] of Object.entries(config.stacks)) {
        const key = `${DELIVERY_NAMESPACE}:stacks.${name}`;
        let appStack: AppStack;
        try {
            appStack = readAppStack(root, name);
        } catch (e) {
            issues.push({ path: key, message: e instanceof ConfigError ? `the app stack file is invalid:\n${e.message}` : (e as Error).message });
            continue;
        }
        if (appStack.clouds.has("aws") && !own.aws) {
            issues.push({ path: `${key}.aws`, message: `is required: ${appStack.stackFile} deploys to AWS, and a Deployments run gets AWS credentials only through OIDC (set roleARN)` });
        }
        if (appStack.clouds.has("gcp") && !own.gcp) {
            issues.push({ path: `${key}.gcp`, message: `is required: ${appStack.stackFile} deploys to GCP, and a Deployments run gets GCP credentials only through OIDC (set projectId, workloadPoolId, providerId, serviceAccount)` });
        }
        if (appStack.clouds.has("kubernetes")) {
            warnings.push(`${appStack.stackFile} has Kubernetes sites: Deployments OIDC covers AWS, GCP and Azure only, so give the runs each cluster's kubeconfig yourself (an ESC environment imported by the stack); they are not configured here`);
        }
        if (appStack.environment === "prod" && own.ttl) {
            issues.push({ path: `${key}.ttl`, message: `a time-to-live destroys the stack; ${appStack.stackFile} is prod. Remove ttl` });
        }
        if (appStack.environment === "prod" && own.reviewStackTemplate) {
            issues.push({ path: `${key}.reviewStackTemplate`, message: `review stacks copy the template's config; a prod template would deploy prod-sized copies (and prod's DNS names) for every pull request. Use a dedicated small stack` });
        }
        stacks.push({ app: appStack, own });
    }
    const templates = stacks.filter((s) => s.own.reviewStackTemplate);
    if (templates.length > 1) {
        issues.push({ path: `${DELIVERY_NAMESPACE}:stacks`, message: `one review-stack template per branch; found ${templates.map((s) => s.app.name).join(", ")}` });
    }
    if (issues.length > 0) throw new ConfigError(stackFile, issues);

    const environments = [...new Set(stacks.map((s) => s.app.environment))].sort();
    const groups = environments.map((environment) => ({
        environment,
        stacks: stacks.filter((s) => s.app.environment === environment).map((s) => s.app),
        packConfig: readPolicyConfig(root, environment),
    }));
    return { config, app, stacks, groups, warnings };
}
