import { expect } from "chai";
import { singleMachine, spotOnlyCapacity } from "../../../../policies/rules/graph";
import { UNKNOWN } from "../../../harness";
import { expectNone, expectOne } from "../support";
import { expectOn, from, judge, TestStack } from "./stack";

const ec2 = "aws:ec2/instance:Instance";
const gce = "gcp:compute/instance:Instance";

function vm(stack: TestStack, userData = "#!/bin/bash\napt-get install -y nginx\n", extra: Record<string, unknown> = {}) {
    return stack.add(ec2, "app", { ami: "ami-0abc", instanceType: "t3.small", availabilityZone: "eu-west-1a", tags: { Name: "app", backup: "daily" }, userData, ...extra });
}

describe("single-machine", () => {
    it("Noncompliance 1: reports an EC2 instance that runs its own database, in its zone, without backups", async () => {
        const stack = new TestStack();
        vm(stack, "#!/bin/bash\nset -e\nsudo apt-get update\nsudo apt-get install -y nginx postgresql-16\n");
        expectOne(
            await judge(singleMachine, stack),
            "single-machine",
            'aws:ec2/instance:Instance "app"',
            "a single EC2 instance in availability zone eu-west-1a is a database host (its userData installs or starts postgresql)",
            "no snapshot schedule or backup plan covers its disks",
            "Move the database to a managed, replicated service",
            "AWS Backup plan",
        );
    });

    it("Noncompliance 2: reports the only answer of a public DNS name (through its Elastic IP), and the database its security group admits", async () => {
        const stack = new TestStack();
        const sg = stack.add("aws:ec2/securityGroup:SecurityGroup", "app", { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"] }] });
        const i = vm(stack, "#!/bin/bash\necho app\n", { vpcSecurityGroupIds: [from(sg)] });
        const eip = stack.add("aws:ec2/eip:Eip", "app", { instance: from(i), domain: "vpc" });
        const zone = stack.add("aws:route53/zone:Zone", "zone", { name: "example.com" });
        stack.add("aws:route53/record:Record", "www", { zoneId: from(zone), name: "www.example.com", type: "A", ttl: 300, records: [from(eip)] });
        const v = expectOne(await judge(singleMachine, stack), "single-machine", 'the only answer of the public DNS name "www.example.com"', "its security groups accept PostgreSQL (5432)");
        expect(v.message).to.include("Auto Scaling group");
    });

    it("Noncompliance 3: reports a lone Compute Engine VM with an external IP and a database in its startup script", async () => {
        const stack = new TestStack();
        stack.add(gce, "box", { zone: "europe-west1-b", machineType: "e2-medium", metadataStartupScript: "apt-get -y install mariadb-server", networkInterfaces: [{ network: "default", accessConfigs: [{}] }] });
        expectOne(await judge(singleMachine, stack), "single-machine", 'gcp:compute/instance:Instance "box"', "zone europe-west1-b is the only compute of the stack, with an external IP and a database host (its startup script installs or starts mariadb-server)", "snapshot schedule");
    });

    it("Compliance: an AWS Backup selection or a DLM policy on its tags covers the disks (the machine is still reported)", async () => {
        for (const cover of ["selection", "dlm"]) {
            const stack = new TestStack();
            const i = vm(stack, "apt-get install -y mysql-server");
            if (cover === "selection") {
                const plan = stack.add("aws:backup/plan:Plan", "plan", { rules: [{ ruleName: "daily" }] });
                stack.add("aws:backup/selection:Selection", "vm", { planId: from(plan), iamRoleArn: "arn:aws:iam::1:role/b", resources: [from(i)] });
            } else {
                stack.add("aws:dlm/lifecyclePolicy:LifecyclePolicy", "snapshots", { description: "d", executionRoleArn: "r", policyDetails: { resourceTypes: ["INSTANCE"], targetTags: { backup: "daily" } } });
            }
            const [v] = await judge(singleMachine, stack);
            expect(v.message, cover).to.include("a database host").and.not.include("no snapshot schedule or backup plan");
        }
    });

    it("Compliance: ignores a bastion next to other compute, an app instance behind a target group with others, and a client's connection string", async () => {
        const stack = new TestStack();
        const bastion = vm(stack, "#!/bin/bash\necho DATABASE_URL=postgres://app@orders.rds.amazonaws.com/app >> /etc/app.env\n");
        stack.add("aws:ec2/eip:Eip", "bastion", { instance: from(bastion), domain: "vpc" });
        stack.add("aws:autoscaling/group:Group", "web", { minSize: 2, maxSize: 4 });
        const a = stack.add(ec2, "a", { ami: "ami-1", instanceType: "t3.small" });
        const b = stack.add(ec2, "b", { ami: "ami-1", instanceType: "t3.small" });
        const tg = stack.add("aws:lb/targetGroup:TargetGroup", "web", { port: 80, protocol: "HTTP" });
        stack.add("aws:lb/targetGroupAttachment:TargetGroupAttachment", "a", { targetGroupArn: from(tg), targetId: from(a) });
        stack.add("aws:lb/targetGroupAttachment:TargetGroupAttachment", "b", { targetGroupArn: from(tg), targetId: from(b) });
        expectNone(await judge(singleMachine, stack));
    });

    it("Noncompliance 4: reports the only target of a target group", async () => {
        const stack = new TestStack();
        const a = stack.add(ec2, "a", { ami: "ami-1", instanceType: "t3.small" });
        const tg = stack.add("aws:lb/targetGroup:TargetGroup", "web", { port: 80, protocol: "HTTP" });
        stack.add("aws:lb/targetGroupAttachment:TargetGroupAttachment", "a", { targetGroupArn: from(tg), targetId: from(a) });
        expectOne(await judge(singleMachine, stack), "single-machine", 'the only target of target group "web"', "one availability zone");
    });

    it("Unknown: proves nothing from unknown user data or an unknown backup selection", async () => {
        const stack = new TestStack();
        vm(stack, UNKNOWN as unknown as string);
        expectNone(await judge(singleMachine, stack));
        const covered = new TestStack();
        vm(covered, "apt-get install -y redis-server");
        covered.add("aws:backup/selection:Selection", "maybe", { planId: "p", iamRoleArn: "r", resources: UNKNOWN });
        const [v] = await judge(singleMachine, covered);
        expect(v.message).to.not.include("no snapshot schedule or backup plan");
    });
});

describe("spot-only-capacity", () => {
    it("Noncompliance 1: reports a GKE cluster whose pools are all spot or preemptible (default pool removed)", async () => {
        const stack = new TestStack();
        const c = stack.add("gcp:container/cluster:Cluster", "gke", { location: "us-central1", removeDefaultNodePool: true, initialNodeCount: 1 });
        stack.add("gcp:container/nodePool:NodePool", "spot", { cluster: from(c), nodeCount: 1, nodeConfig: { spot: true } });
        stack.add("gcp:container/nodePool:NodePool", "cheap", { cluster: from(c), nodeCount: 1, nodeConfig: { preemptible: true } });
        expectOne(await judge(spotOnlyCapacity, stack), "spot-only-capacity", 'gcp:container/cluster:Cluster "gke"', 'every node pool of the cluster runs spot or preemptible VMs (gcp:container/nodePool:NodePool "spot", gcp:container/nodePool:NodePool "cheap")', "Add an on-demand node pool");
    });

    it("Compliance: a default pool (not removed) or another pool on demand keeps capacity", async () => {
        const stack = new TestStack();
        const c = stack.add("gcp:container/cluster:Cluster", "gke", { location: "us-central1", initialNodeCount: 1 });
        stack.add("gcp:container/nodePool:NodePool", "spot", { cluster: from(c), nodeCount: 1, nodeConfig: { spot: true } });
        const d = stack.add("gcp:container/cluster:Cluster", "gke2", { location: "us-central1", removeDefaultNodePool: true, initialNodeCount: 1 });
        stack.add("gcp:container/nodePool:NodePool", "spot2", { cluster: from(d), nodeConfig: { spot: true } });
        stack.add("gcp:container/nodePool:NodePool", "steady", { cluster: from(d), nodeConfig: { machineType: "e2-standard-4" } });
        expectNone(await judge(spotOnlyCapacity, stack));
    });

    it("Noncompliance 2: reports an EKS cluster whose managed node groups are all SPOT; a Fargate profile or self-managed nodes may add on-demand capacity", async () => {
        const stack = new TestStack();
        const c = stack.add("aws:eks/cluster:Cluster", "eks", { roleArn: "r", vpcConfig: { subnetIds: ["a", "b"] } });
        stack.add("aws:eks/nodeGroup:NodeGroup", "spot", { clusterName: from(c), capacityType: "SPOT", nodeRoleArn: "r", subnetIds: ["a", "b"] });
        expectOn(await judge(spotOnlyCapacity, stack), "eks");
        stack.add("aws:eks/fargateProfile:FargateProfile", "system", { clusterName: from(c), podExecutionRoleArn: "r" });
        expectNone(await judge(spotOnlyCapacity, stack));
    });

    it("Unknown: a pool whose cluster or spot setting is unknown proves nothing", async () => {
        const stack = new TestStack();
        const c = stack.add("gcp:container/cluster:Cluster", "gke", { location: "us-central1", removeDefaultNodePool: true });
        stack.add("gcp:container/nodePool:NodePool", "spot", { cluster: from(c), nodeConfig: { spot: true } });
        stack.add("gcp:container/nodePool:NodePool", "other", { cluster: UNKNOWN, nodeConfig: { spot: false } });
        expectNone(await judge(spotOnlyCapacity, stack));
        const eks = new TestStack();
        const e = eks.add("aws:eks/cluster:Cluster", "eks", { roleArn: "r" });
        eks.add("aws:eks/nodeGroup:NodeGroup", "ng", { clusterName: from(e), capacityType: UNKNOWN });
        expectNone(await judge(spotOnlyCapacity, eks));
    });
});
