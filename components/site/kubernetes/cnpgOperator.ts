// The CloudNativePG operator in one cluster, installed with its Helm chart (CRDs included). One per
// cluster: every Kubernetes site's database in that cluster waits for it
// (KubernetesSiteArgs.databaseOperator). Installing it is optional: a platform team that runs the
// operator already leaves this out (docs/services.md says how to install it by hand).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Chart 0.26.1 ships operator 1.27.1 (managed extra Services need 1.24 or later). */
export const CNPG_CHART_VERSION = "0.26.1";
export const CNPG_CHART_REPOSITORY = "https://cloudnative-pg.github.io/charts";

export interface CloudNativePgOperatorArgs {
    /** kubeconfig context of the cluster. */
    readonly cluster: string;
    /** Namespace of the operator (created). @default "cnpg-system" */
    readonly namespace?: string;
    /** Helm chart version. @default CNPG_CHART_VERSION */
    readonly chartVersion?: string;
    /** Provider of the cluster, when the caller has one. @default a new provider for `cluster` */
    readonly provider?: k8s.Provider;
}

export class CloudNativePgOperator extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;
    public readonly namespace: string;

    constructor(name: string, args: CloudNativePgOperatorArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("nonstop:site:CloudNativePgOperator", name, {}, opts);
        if (!args.cluster || args.cluster.trim() !== args.cluster) {
            throw new pulumi.ResourceError(`CloudNativePgOperator ${name}: cluster "${args.cluster}" must be the name of a kubeconfig context`, this);
        }
        const namespace = args.namespace ?? "cnpg-system";
        const provider = args.provider ?? new k8s.Provider(`${name}-k8s`, { context: args.cluster }, { parent: this });
        this.release = new k8s.helm.v3.Release(
            `${name}`,
            {
                chart: "cloudnative-pg",
                version: args.chartVersion ?? CNPG_CHART_VERSION,
                repositoryOpts: { repo: CNPG_CHART_REPOSITORY },
                namespace,
                createNamespace: true,
                // The CRDs come with the chart; the Clusters created next need them.
                values: { crds: { create: true }, monitoring: { podMonitorEnabled: false } },
                atomic: true,
                timeout: 600,
            },
            { parent: this, provider },
        );
        this.namespace = namespace;
        this.registerOutputs({ namespace, status: this.release.status });
    }
}
