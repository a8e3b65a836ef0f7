import { expect } from "chai";
import { gcpApiEnabled } from "../../../../policies/rules/deploy";
import { apisFor } from "../../../../policies/rules/deploy/gcpApiEnabled";
import { UNKNOWN } from "../../../harness";
import { expectNone, expectOne } from "../support";
import { judge, Ref, TestStack } from "../graph/stack";

const RUN = "gcp:cloudrunv2/service:Service";
const SERVICE = "gcp:projects/service:Service";

/** A Cloud Run service in project acme-prod, optionally with run.googleapis.com enabled (and waited for). */
function cloudRun(o: { enable?: boolean; wait?: boolean; apiProject?: string; apiName?: unknown } = {}): TestStack {
    const stack = new TestStack();
    const provider = stack.add("pulumi:providers:gcp", "gcp", { project: "acme-prod", region: "us-central1" });
    let api: Ref | undefined;
    if (o.enable) api = stack.add(SERVICE, "run-api", { project: o.apiProject ?? "acme-prod", service: o.apiName ?? "run.googleapis.com", disableOnDestroy: false }, { provider });
    stack.add(RUN, "web", { location: "us-central1", template: { containers: [{ image: "nginx" }] } }, { provider, dependsOn: api && o.wait !== false ? [api] : [] });
    return stack;
}

describe("gcp-api-enabled", () => {
    it("Noncompliance 1: a Cloud Run service in a project where the plan does not enable run.googleapis.com", async () => {
        expectOne(
            await judge(gcpApiEnabled, cloudRun()),
            "gcp-api-enabled",
            `${RUN} "web"`,
            "it calls run.googleapis.com, which the plan does not enable in acme-prod",
            "Error 403: Cloud Run Admin API has not been used in project acme-prod before or it is disabled",
            'gcp.projects.Service("<name>", { project, service: "run.googleapis.com", disableOnDestroy: false })',
        );
    });

    it("Noncompliance 2: the API is enabled but the service does not wait for it (created in parallel)", async () => {
        expectOne(await judge(gcpApiEnabled, cloudRun({ enable: true, wait: false })), "gcp-api-enabled", 'run.googleapis.com is enabled by "run-api", but "web" does not wait for it');
    });

    it("Noncompliance 3: the API is enabled in another project", async () => {
        expectOne(await judge(gcpApiEnabled, cloudRun({ enable: true, apiProject: "acme-dev" })), "gcp-api-enabled", "does not enable in acme-prod");
    });

    it("Compliance: enabled in the same project and waited for; declared as enabled; a Service whose API is unknown", async () => {
        expectNone(await judge(gcpApiEnabled, cloudRun({ enable: true })));
        expectNone(await judge(gcpApiEnabled, cloudRun(), { enabledApis: ["acme-prod/run.googleapis.com"] }));
        expectNone(await judge(gcpApiEnabled, cloudRun({ enable: true, apiName: UNKNOWN, wait: false })));
    });

    it("Compliance: a bucket needs no Service, since Cloud Storage is on in every project made with the console or gcloud", async () => {
        const stack = new TestStack();
        const provider = stack.add("pulumi:providers:gcp", "gcp", { project: "acme-prod", region: "us-central1" });
        stack.add("gcp:storage/bucket:Bucket", "media", { location: "US" }, { provider });
        expectNone(await judge(gcpApiEnabled, stack));
    });

    it("Noncompliance 4: a bucket in a plan that creates its project (made through the API, no default APIs on)", async () => {
        const stack = new TestStack();
        const provider = stack.add("pulumi:providers:gcp", "gcp", { project: "acme-prod", region: "us-central1" });
        stack.add("gcp:organizations/project:Project", "acme-prod", { projectId: "acme-prod", name: "acme-prod" });
        stack.add("gcp:storage/bucket:Bucket", "media", { location: "US" }, { provider });
        expectOne(await judge(gcpApiEnabled, stack), "gcp-api-enabled", "it calls storage.googleapis.com, which the plan does not enable in acme-prod");
    });

    it("knows the API of each module, with per-type exceptions", () => {
        expect(apisFor("gcp:sql/databaseInstance:DatabaseInstance")).to.deep.equal(["sqladmin.googleapis.com"]);
        expect(apisFor("gcp:storage/transferJob:TransferJob")).to.deep.equal(["storagetransfer.googleapis.com"]);
        expect(apisFor("gcp:projects/service:Service")).to.deep.equal([]);
        expect(apisFor("aws:s3/bucket:Bucket")).to.deep.equal([]);
    });
});
