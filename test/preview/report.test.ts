import { expect } from "chai";
import { estimateServices, ServiceEstimate } from "../../policies/model";
import { mermaidId, mermaidLabel, renderMarkdownReport, renderResilienceTable, serviceDiagram, servicesJson, StackReport } from "../../preview/report";
import { UNKNOWN } from "../harness";
import { awsActiveActive, awsActivePassive, awsBackupsOnly, awsToGcpCdc, Design } from "../policies/model/designs";

function estimates(d: Design): ServiceEstimate[] {
    return estimateServices(d.graph());
}

const prodTargets = { rtoSeconds: 300, rpoSeconds: 60, availability: 0.9995 };

describe("preview report", () => {
    describe("renderResilienceTable", () => {
        it("prints one row per service with topology, sites, RTO, RPO, availability, target and verdict", () => {
            // checkout: max(traffic 90 + 30 + 60 + 120 = 300, data 90 + 30 + 180 + 60 = 360) = 360 s;
            // orders, promoted after one minute: max(traffic 90 + 30 + 60 = 180, data 90 + 30 + 60 + 60 = 240) = 240 s.
            const services = [...estimates(awsActivePassive({ standbyTasks: 0 }).d), ...estimates(awsActiveActive(["us-east-1", "us-west-2"], { promotion: { minutes: 1 } }))];
            const text = renderResilienceTable("prod", services, prodTargets);
            const lines = text.split("\n");
            expect(lines[0]).to.equal("Resilience of stack prod");
            expect(lines[1].trim().split(/\s{2,}/)).to.deep.equal(["service", "topology", "sites", "RTO", "RPO", "availability", "target", "verdict"]);
            const row = (name: string) => (lines.find((l) => l.trim().startsWith(name)) ?? "").trim().split(/\s{2,}/);
            expect(row("checkout.example.com")).to.deep.equal([
                "checkout.example.com",
                "active-passive (pilot-light)",
                "aws-us-east-1 > aws-us-west-2",
                "360 s",
                "1 s",
                "99.999991%",
                "RTO 300 s, RPO 60 s, 99.95%",
                "fail (RTO)",
            ]);
            expect(row("orders.example.com")).to.deep.equal(["orders.example.com", "active-active", "aws-us-east-1 w100 + aws-us-west-2 w100", "240 s", "1 s", "99.999991%", "RTO 300 s, RPO 60 s, 99.95%", "pass"]);
            expect(text).to.include("checkout.example.com: RTO 360 s: promotion trigger (alarm checkout-writer-down) (alarm checkout-writer-down on HealthCheckStatus of checkout.example.com-use1-hc:");
            expect(text).to.include("fix: set checkout.example.com-use1-hc requestInterval 10 (estimate becomes 300 s)");
        });

        it("shows unknown numbers and verdicts, and '-' without targets", () => {
            const unknown = estimates(awsActivePassive({ interval: UNKNOWN }).d);
            const withTargets = renderResilienceTable("dev", unknown, { rtoSeconds: 1800 });
            expect(withTargets).to.match(/checkout\.example\.com\s+active-passive \(warm\)\s+aws-us-east-1 > aws-us-west-2\s+unknown\s+1 s\s+99\.999991%\s+RTO 1800 s\s+unknown \(RTO\)/);
            expect(withTargets).to.include("checkout.example.com: rtoSeconds: detection (health check checkout.example.com-use1-hc)");
            const without = renderResilienceTable("dev", unknown);
            expect(without).to.match(/99\.999991%\s+-\s+-\n/);
        });

        it("shows a manual promotion as an unknown RTO with the runbook, not as a failure", () => {
            const manual = estimates(awsActivePassive({ standbyTasks: 0, promotion: "manual" }).d);
            const text = renderResilienceTable("dev", manual, { rtoSeconds: 1800, rpoSeconds: 300, availability: 0.99 });
            expect(text).to.match(/checkout\.example\.com\s+active-passive \(pilot-light\)\s+aws-us-east-1 > aws-us-west-2\s+unknown\s+1 s\s+99\.999991%\s+RTO 1800 s, RPO 300 s, 99%\s+unknown \(RTO\)\n/);
            expect(text).to.include(
                "checkout.example.com: rtoSeconds: promote usw2-db (aurora-global) (manual promotion: no automation found — see docs/services.md runbook (alarm checkout-writer-down has no alarmActions)",
            );
        });

        it("says so when a stack has no services", () => {
            expect(renderResilienceTable("empty", [])).to.equal("Resilience of stack empty\n  no services found (no Route 53 record or Cloud DNS record set points at a site)\n");
        });
    });

    describe("renderMarkdownReport", () => {
        function report(): string {
            const stacks: StackReport[] = [
                {
                    stack: "prod",
                    services: estimates(awsToGcpCdc()),
                    targets: prodTargets,
                    resourceCount: 57,
                    violations: [
                        { policyPack: "nonstop-resilience", policy: "resilience-budget", enforcementLevel: "advisory", urn: "urn:pulumi:prod::nonstop::acme:dns:Failover$aws:route53/record:Record::billing", message: "billing: RTO | too long" },
                        { policyPack: "nonstop-resilience", policy: "rds-multi-az", enforcementLevel: "mandatory", message: "db must be Multi-AZ" },
                    ],
                },
                { stack: "dev", services: estimates(awsBackupsOnly("us-west-2")), resourceCount: 30, violations: [] },
            ];
            return renderMarkdownReport(stacks);
        }

        it("has a section per stack with its counts and the services table", () => {
            const md = report();
            expect(md.startsWith("# Resilience preview\n")).to.equal(true);
            expect(md).to.include("## Stack `prod`\n\n57 resources, 1 service, policy violations: 1 advisory, 1 mandatory.");
            expect(md).to.include("## Stack `dev`\n\n30 resources, 1 service, no policy violations.");
            expect(md).to.include("| service | topology | sites | RTO | RPO | availability | target | verdict |\n|---|---|---|---|---|---|---|---|");
            // 1 - (1 - 0.9999^3) x (1 - 0.9999 x 0.9995 x 0.9999) = 0.99999979
            expect(md).to.include("| billing.example.com | active-passive (warm) | aws-us-east-1 > gcp-us-central1 | 240 s | 60 s | 99.999979% | RTO 300 s, RPO 60 s, 99.95% | pass |");
            // 1 - (1 - 0.9999^3) x (1 - 0.9999^2) = 0.99999994 (the standby site has no database factor)
            expect(md).to.include("| billing.example.com | active-passive (warm) | aws-us-east-1 > aws-us-west-2 | unknown | 7 h (25200 s) | 99.999994% | - | - |");
        });

        it("draws each service: DNS -> health checks -> sites in cloud and region subgraphs -> data -> replicas", () => {
            const md = report();
            const diagram = md.split("```mermaid\n")[1].split("```")[0];
            for (const line of [
                'flowchart LR',
                's0_dns["billing.example.com<br/>active-passive (warm)"]',
                's0_hc_0{{"health check billing.example.com-use1-hc<br/>30 s x 3"}}',
                'subgraph s0_aws["aws"]',
                'subgraph s0_aws_us_east_1["us-east-1"]',
                's0_site_0["aws-us-east-1 (primary)<br/>LoadBalancer use1-alb<br/>ecs-fargate: 2 running"]',
                's0_db_0[("use1-db<br/>aurora writer, multi-az")]',
                'subgraph s0_gcp["gcp"]',
                'subgraph s0_gcp_us_central1["us-central1"]',
                's0_site_1["gcp-us-central1 (secondary)<br/>GlobalAddress usc1-ip<br/>cloud-run: 1 running"]',
                's0_db_1[("usc1-sql<br/>cloud-sql replica, multi-az")]',
                's0_dns -->|"primary"| s0_hc_0',
                's0_hc_0 --> s0_site_0',
                's0_site_0 --> s0_db_0',
                's0_dns -->|"secondary"| s0_hc_1',
                's0_db_0 -.->|"dms-cdc"| s0_db_1',
            ]) {
                expect(diagram.split("\n").map((l) => l.trim()), line).to.include(line);
            }
        });

        it("places backup copies in the region they are copied to", () => {
            const [svc] = estimates(awsBackupsOnly("us-west-2"));
            const lines = serviceDiagram(svc, "s1").split("\n").map((l) => l.trim());
            const west = lines.indexOf('subgraph s1_aws_us_west_2["us-west-2"]');
            const copy = lines.indexOf('s1_backup_0_0[/"aws-backup use1-backup/scheduled<br/>copy in us-west-2"/]');
            expect(west).to.be.greaterThan(-1);
            expect(copy).to.be.greaterThan(west);
            expect(lines.slice(west, copy)).to.not.include("end");
            expect(lines).to.include('s1_db_0 -.->|"backup every 6 h (21600 s)"| s1_backup_0_0');
        });

        it("lists the formula, value and source of every term", () => {
            const md = report();
            expect(md).to.include("| **RTO = 240 s** | | | the worst loss: a sum of sequential steps, or max(traffic, data) where the two fail over in parallel (see the composition row) | |");
            expect(md).to.include("| RTO | detection (health check billing.example.com-use1-hc) | 90 s | requestInterval 30 s x failureThreshold 3 | Route 53 health check billing.example.com-use1-hc |");
            expect(md).to.include("| RPO | replication lag use1-db -> usc1-sql (dms-cdc) | 60 s |");
            expect(md).to.include("assumption: <https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Task.CDC.html>");
            expect(md).to.include("| availability | gcp-us-central1: Google Cloud Run service | 99.95% | usc1-run: Cloud Run | <https://cloud.google.com/run/sla> |");
            expect(md).to.include("| RTO | restore use1-db | **unknown** |");
        });

        it("lists the parallel composition of an RTO: the trigger and the max of the two paths", () => {
            const md = renderMarkdownReport([{ stack: "prod", services: estimates(awsActivePassive().d), targets: prodTargets, resourceCount: 40, violations: [] }]);
            expect(md).to.include("| RTO | promotion trigger (alarm checkout-writer-down) | 180 s | alarm checkout-writer-down on HealthCheckStatus of checkout.example.com-use1-hc: evaluationPeriods 3 x period 60 s");
            expect(md).to.include(
                "| RTO | traffic and data paths | 360 s | traffic and data fail over in parallel: max(traffic 90 + 30 + 60 = 180 s, data 90 + 30 + 180 + 60 = 360 s) = 360 s; " +
                    "both start when checkout.example.com-use1-hc finds aws-us-east-1 down (the promotion alarm reads its status) | composed |",
            );
            expect(md).to.include("- The promotion of use1-db is started from us-east-1, the writer's own region");
        });

        it("groups policy violations by enforcement level, mandatory first, escaping table pipes", () => {
            const md = report();
            const mandatory = md.indexOf("#### mandatory (1)");
            const advisory = md.indexOf("#### advisory (1)");
            expect(mandatory).to.be.greaterThan(-1);
            expect(advisory).to.be.greaterThan(mandatory);
            expect(md).to.include("- **rds-multi-az** (nonstop-resilience): db must be Multi-AZ");
            expect(md).to.include("- **resilience-budget** (nonstop-resilience) `aws:route53/record:Record::billing`: billing: RTO \\| too long");
            expect(md).to.include("### Policy violations\n\nNone.");
        });
    });

    describe("Mermaid safety", () => {
        it("makes ids from anything: letters, digits and _ only, starting with a letter", () => {
            expect(mermaidId("s0_aws_us-east-1")).to.equal("s0_aws_us_east_1");
            expect(mermaidId("1st site.example.com")).to.equal("n_1st_site_example_com");
            expect(mermaidId('a"b[c]{d}')).to.equal("a_b_c__d_");
        });

        it("quotes labels and escapes their quotes and line breaks", () => {
            expect(mermaidLabel('say "hi"\nthere')).to.equal('"say #quot;hi#quot;<br/>there"');
        });
    });

    describe("servicesJson", () => {
        it("gives [{name, topology, sites, rtoSeconds, rpoSeconds, availability, terms}] as plain JSON, null for unknown", () => {
            const json = servicesJson(estimates(awsActivePassive({ interval: UNKNOWN }).d));
            expect(json).to.have.length(1);
            expect(Object.keys(json[0])).to.deep.equal(["name", "topology", "sites", "rtoSeconds", "rpoSeconds", "availability", "terms"]);
            expect(json[0]).to.include({ name: "checkout.example.com", topology: "active-passive", rtoSeconds: null, rpoSeconds: 1 });
            expect(json[0].sites.map((s) => s.key)).to.deep.equal(["aws-us-east-1", "aws-us-west-2"]);
            expect(json[0].terms.find((t) => t.unknown)?.name).to.equal("detection (health check checkout.example.com-use1-hc)");
            expect(JSON.parse(JSON.stringify(json))).to.deep.equal(json);
        });
    });
});

describe("preview report: strings from config and programs stay inert", () => {
    const hostile = 'prod`<img src=x onerror=alert(1)>|@org/team\n```\n## fake';

    it("escapes stack names, service names, messages, resource names and what was not evaluated", () => {
        const md = renderMarkdownReport([
            {
                stack: hostile,
                services: [],
                violations: [{ policyPack: "p", policy: "rule", enforcementLevel: "advisory", urn: `urn:pulumi:s::p::aws:s3/bucket:Bucket::${hostile}`, message: hostile }],
                resourceCount: 1,
                incomplete: [{ kind: "registration", what: "x", why: hostile }],
                notes: [hostile],
            },
        ]);
        // As text: every markup character escaped, no HTML tag, no line break (so no fence or heading).
        const escaped = "prod\\`&lt;img src=x onerror=alert(1)>\\|\\@org/team \\`\\`\\` ## fake";
        expect(md).to.contain(`> ${escaped}`).and.contain(`- **resource not registered**: x: ${escaped}`);
        // In code spans (stack and resource names) the text is literal and the span cannot be closed early.
        expect(md).to.contain("## Stack `prod'<img src=x onerror=alert(1)>|@org/team ''' ## fake`");
        expect(md).to.not.contain("\n```\n").and.not.contain("\n## fake");
    });

    it("keeps Mermaid labels inside their quotes and the diagram inside its fence", () => {
        const label = mermaidLabel('cluster "x"\n```\n<b>#quot;');
        expect(label).to.equal('"cluster #quot;x#quot;<br/>#96;#96;#96;<br/>#lt;b#gt;#35;quot;"');
    });
});
