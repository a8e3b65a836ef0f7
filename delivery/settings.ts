// The arguments of every Pulumi Cloud resource the delivery program declares, as pure functions
// of the delivery config and the app project, so tests can read them without a Pulumi runtime.
// Field names are those of @pulumi/pulumiservice's .d.ts (DeploymentSettingsArgs, PolicyGroupArgs,
// DriftScheduleArgs, TtlScheduleArgs, OidcIssuerArgs).
import type * as service from "@pulumi/pulumiservice";
import { Environment } from "../stacks/config";
import { AppProject, AppStack } from "./appProject";
import { DeliveryConfig, DeliveryStackConfig } from "./config";
import { ServicePolicyConfig } from "./policyConfig";

/**
 * Every file and folder a `pulumi up` of an app stack reads from the repository: the npm
 * manifests and lockfile (`npm ci`), the TypeScript config (the CLI runs the program through
 * ts-node with it), the project file, the program and what it imports (stacks/, components/),
 * and what the pre-run check runs (bin/, scripts/ for the build, preview/, policies/).
 * A commit touching none of them, or only another stack's file, deploys nothing.
 * test/delivery/settings.test.ts checks this list against the program's real imports.
 */
export const BUILD_INPUTS = [
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    "Pulumi.yaml",
    "stacks/**",
    "components/**",
    "policies/**",
    "preview/**",
    "bin/**",
    "scripts/**",
] as const;

export const DEFAULT_DRIFT_SCHEDULE = "0 */4 * * *";

/** Where GitHub Actions' OIDC tokens come from. */
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

/** The policy pack config file an environment's stacks are judged with, in the repository and in Pulumi Cloud. */
export function policyConfigFile(environment: Environment): string {
    return `policies/config/${environment}.json`;
}

export function deploymentPaths(stack: AppStack): string[] {
    return [...BUILD_INPUTS, stack.stackFile];
}

/**
 * Commands run after the checkout and before `pulumi up`/`preview`: install exactly the lockfile
 * (which builds the program and the pack), then the offline preview with the environment's pack
 * config, which exits non-zero on a mandatory violation or an invalid stack file, so a bad change
 * stops before the CLI touches the cloud. The published pack is enforced again by the policy group.
 */
export function preRunCommands(stack: AppStack): string[] {
    return ["npm ci", `npx nonstop preview --stack ${stack.name} --policy-pack policies --policy-pack-config ${policyConfigFile(stack.environment)}`];
}

export function deploymentSettingsArgs(config: DeliveryConfig, app: AppProject, stack: AppStack, own: DeliveryStackConfig): service.DeploymentSettingsArgs {
    const oidc: service.types.input.OperationContextOIDCArgs = {
        ...(own.aws && {
            aws: { roleARN: own.aws.roleARN, sessionName: own.aws.sessionName ?? `pulumi-deployments-${stack.name}`, ...(own.aws.duration && { duration: own.aws.duration }) },
        }),
        ...(own.gcp && { gcp: { ...own.gcp } }),
    };
    const reviewTemplate = own.reviewStackTemplate ?? false;
    return {
        organization: config.organization,
        project: app.name,
        stack: stack.name,
        sourceContext: { git: { branch: `refs/heads/${config.branch}` } },
        vcs: {
            provider: "github",
            repository: config.repository,
            deployCommits: true,
            previewPullRequests: true,
            pullRequestTemplate: reviewTemplate,
            paths: deploymentPaths(stack),
        },
        operationContext: {
            preRunCommands: preRunCommands(stack),
            options: {
                // `npm ci` above installs from the lockfile; the default install would not.
                skipInstallDependencies: true,
                // Several merges in a row deploy the newest commit once, not each in turn.
                skipIntermediateDeployments: true,
                // Review stacks copy the template's settings: their history goes when the PR closes.
                ...(reviewTemplate && { deleteAfterDestroy: true }),
            },
            oidc,
        },
    };
}

export function policyGroupArgs(config: DeliveryConfig, app: AppProject, environment: Environment, stacks: readonly AppStack[], packConfig: ServicePolicyConfig): service.PolicyGroupArgs {
    return {
        name: `${app.name}-${environment}`,
        organizationName: config.organization,
        entityType: "stacks",
        // Preventative: the pack runs inside every `pulumi preview` and `pulumi up` of these stacks,
        // Deployments included; mandatory violations (prod's config) stop the update, advisory ones
        // (dev's) are printed and let it run.
        mode: "preventative",
        stacks: stacks.map((s) => ({ name: s.name, routingProject: app.name })),
        policyPacks: [{ name: config.policyPack, versionTag: app.packVersion, config: packConfig }],
    };
}

export function driftScheduleArgs(config: DeliveryConfig, app: AppProject, stack: AppStack, own: DeliveryStackConfig): service.DriftScheduleArgs | undefined {
    const cron = own.driftSchedule ?? (stack.environment === "prod" ? DEFAULT_DRIFT_SCHEDULE : undefined);
    if (!cron) return undefined;
    return {
        organization: config.organization,
        project: app.name,
        stack: stack.name,
        scheduleCron: cron,
        // Never: in an incident an operator may change DNS or scale by hand on purpose, and a
        // remediation would undo it. Drift is reported; a person decides.
        autoRemediate: false,
    };
}

export function ttlScheduleArgs(config: DeliveryConfig, app: AppProject, stack: AppStack, own: DeliveryStackConfig): service.TtlScheduleArgs | undefined {
    if (!own.ttl) return undefined;
    return { organization: config.organization, project: app.name, stack: stack.name, timestamp: own.ttl, deleteAfterDestroy: true };
}

/** Pulumi Cloud trusts GitHub Actions' tokens from this repository's pull requests, for the preview team only. */
export function githubActionsIssuerArgs(config: DeliveryConfig, team: string): service.OidcIssuerArgs {
    return {
        name: `github-actions-${config.repository.replace("/", "-")}`,
        organization: config.organization,
        url: GITHUB_ACTIONS_ISSUER,
        policies: [
            {
                decision: "allow",
                tokenType: "team",
                teamName: team,
                // The subject GitHub gives a workflow run for a pull_request event (no environment).
                rules: { sub: `repo:${config.repository}:pull_request` },
            },
        ],
    };
}
