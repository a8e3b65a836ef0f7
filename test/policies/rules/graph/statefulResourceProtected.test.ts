import { expect } from "chai";
import { statefulResourceProtected } from "../../../../policies/rules/graph";
import { UNKNOWN } from "../../../harness";
import { expectNone, expectOne } from "../support";
import { expectOn, judge, TestStack } from "./stack";

describe("stateful-resource-protected", () => {
    it("Compliance: accepts protected stateful resources with provider deletion protection on", async () => {
        const stack = new TestStack();
        stack.add("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql", deletionProtection: true }, { protect: true });
        stack.add("aws:docdb/cluster:Cluster", "docs", { deletionProtection: true }, { protect: true });
        stack.add("gcp:storage/bucket:Bucket", "media", { location: "US" }, { protect: true });
        stack.add("kubernetes:core/v1:PersistentVolumeClaim", "data", {}, { protect: true });
        // Not stateful: no finding without protect.
        stack.add("aws:lb/loadBalancer:LoadBalancer", "lb", {});
        stack.add("kubernetes:apps/v1:StatefulSet", "stateless", { spec: { template: { spec: { containers: [{ image: "nginx" }] } } } });
        expectNone(await judge(statefulResourceProtected, stack));
    });

    it("Noncompliance 1: reports an unprotected table, saying how to set protect and retainOnDelete", async () => {
        const stack = new TestStack();
        stack.add("aws:dynamodb/table:Table", "orders", { hashKey: "id" });
        expectOne(
            await judge(statefulResourceProtected, stack),
            "stateful-resource-protected",
            'aws:dynamodb/table:Table "orders"',
            "the protect resource option is not set",
            "{ protect: true, retainOnDelete: true }",
            "policies cannot see retainOnDelete",
        );
    });

    it("Noncompliance 2: reports provider deletion protection off where the provider has it", async () => {
        const stack = new TestStack();
        stack.add("aws:docdb/cluster:Cluster", "docs", { deletionProtection: false }, { protect: true });
        stack.add("aws:neptune/cluster:Cluster", "graph", {}, { protect: true });
        stack.add("gcp:spanner/database:Database", "ledger", {}, { protect: true }); // defaults to true
        const v = await judge(statefulResourceProtected, stack);
        expectOn(v, "docs", "graph");
        expect(v.map((x) => x.message).join("\n")).to.include("deletionProtection is false").and.to.include("deletionProtection is not set").and.to.include("Set deletionProtection: true");
        expectNone(await judge(statefulResourceProtected, stack, { requireDeletionProtection: false }));
    });

    it("Noncompliance 3: reports both problems in one message", async () => {
        const stack = new TestStack();
        stack.add("aws:neptune/cluster:Cluster", "graph", { deletionProtection: false });
        expectOne(await judge(statefulResourceProtected, stack), "stateful-resource-protected", "the protect resource option is not set and deletionProtection is false", "and set deletionProtection: true");
    });

    it("Defers provider deletion protection that a resource rule owns (RDS, DynamoDB, Cloud SQL), and says Cloud SQL's deletionProtection: false as part of Pulumi deleting it", async () => {
        const stack = new TestStack();
        stack.add("aws:rds/instance:Instance", "orders", { deletionProtection: false }, { protect: true });
        stack.add("aws:dynamodb/table:Table", "carts", {}, { protect: true });
        stack.add("gcp:sql/databaseInstance:DatabaseInstance", "catalog", { deletionProtection: false, settings: {} }, { protect: true });
        expectNone(await judge(statefulResourceProtected, stack));
        const unprotected = new TestStack();
        unprotected.add("gcp:sql/databaseInstance:DatabaseInstance", "catalog", { deletionProtection: false, settings: {} });
        expectOne(
            await judge(statefulResourceProtected, unprotected),
            "stateful-resource-protected",
            "the protect resource option is not set and deletionProtection is false (the gcp provider defaults it to true; false lets Pulumi delete the instance and every automated backup it owns)",
            "and remove deletionProtection: false",
        );
    });

    it("Compliance: requireProtect false (dev) skips the protect option", async () => {
        const stack = new TestStack();
        stack.add("aws:s3/bucket:Bucket", "assets", {});
        stack.add("kubernetes:apps/v1:StatefulSet", "pg", { spec: { template: { spec: { containers: [{ image: "postgres:16" }] } } } });
        expectOn(await judge(statefulResourceProtected, stack), "assets", "pg");
        expectNone(await judge(statefulResourceProtected, stack, { requireProtect: false }));
    });

    it("Unknown: an unknown deletion protection is not judged", async () => {
        const stack = new TestStack();
        stack.add("aws:docdb/cluster:Cluster", "docs", { deletionProtection: UNKNOWN }, { protect: true });
        expectNone(await judge(statefulResourceProtected, stack));
    });
});
