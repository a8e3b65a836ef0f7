// The delivery program: nonstop's Pulumi Cloud settings as code, in a project of its own so the
// app stacks never need a Pulumi Cloud token to preview offline.
//
// Per app stack: Deployments settings (push to deploy, PR previews, path filter, `npm ci` and the
// offline preview before every run, OIDC roles for AWS and GCP), a drift schedule for prod, a TTL
// for ephemeral stacks. Per environment: a preventative policy group with the pack's published
// version and that environment's config, which is what enforces the pack on a Deployments
// `pulumi up`. Optionally, Pulumi Cloud's trust in GitHub Actions' OIDC tokens for the PR workflow.
import * as pulumi from "@pulumi/pulumi";
import * as service from "@pulumi/pulumiservice";
import { findAppRoot } from "./appProject";
import { parseDeliveryConfig } from "./config";
import { planDelivery } from "./plan";
import { deploymentSettingsArgs, driftScheduleArgs, githubActionsIssuerArgs, policyGroupArgs, ttlScheduleArgs } from "./settings";

const stackFile = `delivery/Pulumi.${pulumi.getStack()}.yaml`;
const plan = planDelivery(parseDeliveryConfig(pulumi.runtime.allConfig(), stackFile), findAppRoot(__dirname), stackFile);
const { config, app } = plan;
for (const warning of plan.warnings) pulumi.log.warn(warning);

const settings = Object.fromEntries(
    plan.stacks.map(({ app: stack, own }) => {
        const resource = new service.DeploymentSettings(`${stack.name}-deployment-settings`, deploymentSettingsArgs(config, app, stack, own));
        // Schedules run through Deployments: they need the stack's settings first.
        const drift = driftScheduleArgs(config, app, stack, own);
        if (drift) new service.DriftSchedule(`${stack.name}-drift-schedule`, drift, { dependsOn: resource });
        const ttl = ttlScheduleArgs(config, app, stack, own);
        if (ttl) new service.TtlSchedule(`${stack.name}-ttl-schedule`, ttl, { dependsOn: resource });
        return [stack.name, resource];
    }),
);

const groups = plan.groups.map((group) => new service.PolicyGroup(`${group.environment}-policy-group`, policyGroupArgs(config, app, group.environment, group.stacks, group.packConfig)));

if (config.githubActions) {
    const team = new service.Team("pr-preview-team", {
        organizationName: config.organization,
        teamType: "pulumi",
        name: config.githubActions.team,
        displayName: "nonstop pull-request previews",
        description: `Read access to ${app.name}'s stacks for the pull-request preview workflow of ${config.repository} (tokens through GitHub OIDC only).`,
    });
    for (const { app: stack } of plan.stacks) {
        // Read is enough to run `pulumi preview` (Pulumi Cloud's "Stack Read" permission set).
        new service.TeamStackPermission(`${stack.name}-pr-preview-read`, { organization: config.organization, project: app.name, stack: stack.name, team: config.githubActions.team, permission: service.types.enums.TeamStackPermissionScope.Read }, { dependsOn: team });
    }
    new service.OidcIssuer("github-actions-issuer", githubActionsIssuerArgs(config, config.githubActions.team), { dependsOn: team });
}

/** Per app stack: the branch a push deploys from, and whether it has drift detection and a TTL. */
export const deployments = Object.fromEntries(
    plan.stacks.map(({ app: stack, own }) => [stack.name, { settings: settings[stack.name].id, branch: config.branch, environment: stack.environment, drift: driftScheduleArgs(config, app, stack, own)?.scheduleCron ?? "none", ttl: own.ttl ?? "none" }]),
);
/** Per environment: the policy group, its stacks and the pack version it enforces (publish that version first). */
export const policyGroups = Object.fromEntries(groups.map((g, i) => [plan.groups[i].environment, { name: g.name, stacks: plan.groups[i].stacks.map((s) => s.name), pack: `${config.policyPack}@${app.packVersion}` }]));
