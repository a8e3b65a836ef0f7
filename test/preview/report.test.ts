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
        it("prints one row per service: RTO reads and writes, RPO, availability reads and writes as P50 (range), the SLA product as an upper bound, target and verdict", () => {
            const services = [...estimates(awsActivePassive({ standbyTasks: 0 }).d), ...estimates(awsActiveActive(["us-east-1", "us-west-2"], { app: "global" }))];
            const text = renderResilienceTable("prod", services, prodTargets);
            const lines = text.split("\n");
            expect(lines[0]).to.equal("Resilience of stack prod");
            expect(lines[1].trim().split(/\s{2,}/)).to.deep.equal([
                "service",
                "topology",
                "sites",
                "RTO reads P50 (P10-P90)",
                "RTO writes P50 (P10-P90)",
                "RPO worst P50 (P10-P90)",
                "availability reads P50 (P90-P10)",
                "availability writes P50 (P90-P10)",
                "SLA product (upper bound)",
                "target",
                "verdict",
            ]);
            const row = (name: string) => (lines.find((l) => l.trim().startsWith(name)) ?? "").trim().split(/\s{2,}/);
            const checkout = row("checkout.example.com");
            expect(checkout.slice(0, 3)).to.deep.equal(["checkout.example.com", "active-passive (pilot-light)", "aws-us-east-1 > aws-us-west-2"]);
            for (const cell of checkout.slice(3, 6)) expect(cell).to.match(/^[\d.]+ (s|min|h) \([\d.]+ (s|min|h)-[\d.]+ (s|min|h)\)$/);
            for (const cell of checkout.slice(6, 8)) expect(cell).to.match(/^[\d.]+% \([\d.]+%-[\d.]+%\)$/);
            expect(checkout[8]).to.equal("<= 99.999991%");
            // The pilot light waits for people; the Aurora lag's tail (P90 over a minute) misses the RPO.
            expect(checkout.slice(9)).to.deep.equal(["RTO 300 s, RPO 60 s, 99.95%", "fail (RTO, RPO, availability)"]);
            expect(row("orders.example.com").slice(0, 3)).to.deep.equal(["orders.example.com", "active-active", "aws-us-east-1 w100 + aws-us-west-2 w100"]);
            expect(text).to.match(/checkout\.example\.com: RTO [\d.]+ h at P90: decided by (reads|writes) after losing /);
            expect(text).to.include("checkout.example.com: largest failure modes (downtime a year, likely, reads / writes): ");
            expect(text).to.include("checkout.example.com: fix: aws-us-west-2: a pilot light that nothing scales out never takes traffic");
            expect(text).to.include("What if (stack prod): for each failure domain");
        });

        it("shows unknown numbers and verdicts, and '-' without targets", () => {
            const unknown = estimates(awsActivePassive({ interval: UNKNOWN }).d);
            const withTargets = renderResilienceTable("dev", unknown, { rtoSeconds: 1800 });
            expect(withTargets).to.match(/checkout\.example\.com\s+active-passive \(warm\)\s+aws-us-east-1 > aws-us-west-2\s+unknown\s+unknown\s+/);
            expect(withTargets).to.match(/RTO 1800 s\s+unknown \(RTO\)/);
            expect(withTargets).to.include("checkout.example.com: rtoSeconds: detection (health check checkout.example.com-use1-hc): checkout.example.com-use1-hc: requestInterval is unknown at preview");
            expect(renderResilienceTable("dev", unknown)).to.match(/<= 99\.999991%\s+-\s+-\n/);
        });

        it("says so when a stack has no services", () => {
            expect(renderResilienceTable("empty", [])).to.equal(
                "Resilience of stack empty\n  no services found (no DNS record points at a site, and no public entry point: load balancer, Ingress, LoadBalancer Service, Cloud Run, CloudFront)\n",
            );
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

        it("has a section per stack with its counts, the services table and the what-if matrix", () => {
            const md = report();
            expect(md.startsWith("# Resilience preview\n")).to.equal(true);
            expect(md).to.include("## Stack `prod`\n\n57 resources, 1 service, policy violations: 1 advisory, 1 mandatory.");
            expect(md).to.include("## Stack `dev`\n\n30 resources, 1 service, no policy violations.");
            expect(md).to.include(
                "| service | topology | sites | RTO reads P50 (P10-P90) | RTO writes P50 (P10-P90) | RPO worst P50 (P10-P90) | availability reads P50 (P90-P10) | availability writes P50 (P90-P10) | SLA product (upper bound) | target | verdict |",
            );
            expect(md).to.match(/\| billing\.example\.com \| active-passive \(warm\) \| aws-us-east-1 > gcp-us-central1 \| [^|]+ \| [^|]+ \| [^|]+ \| [^|]+ \| [^|]+ \| &lt;= 99\.999979% \| RTO 300 s, RPO 60 s, 99\.95% \| fail \(RTO, RPO, availability\) \|/);
            expect(md).to.include("### What if\n");
            expect(md).to.include("#### What if: billing.example.com\n\n| failure domain | reads | writes | data lost (typical, worst) | why |");
            expect(md).to.match(/\| `region:aws\/us-east-1` AWS us-east-1 \| 100 % fail, back after [^|]+ \| 100 % fail, back after people act: [^|]+ \+ failback \|/);
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

        it("lists the formula, the range and the source of every term, and the upper bound as such", () => {
            const md = report();
            expect(md).to.match(/\| \*\*RTO\*\* reads [^|]+, writes [^|]+ \| \| \| the slowest recovery of reads and of writes/);
            // The worst single loss of this design is the writer alone: the primary keeps its traffic and waits for it.
            expect(md).to.include("| RTO | worst single loss: the writer database use1-db (its region up) |  | reads: aws-us-east-1: its data stores (use1-db) are lost;");
            expect(md).to.include("| RTO | writer database outage duration | 30 min / 2 h / 8 h | 1800 / 7200 / 28800 s (low / likely / high) | assumption: <https://aws.amazon.com/rds/aurora/sla/> |");
            expect(md).to.include("| AVAILABILITY | AWS us-east-1 | ");
            expect(md).to.match(/\| AVAILABILITY \| AWS us-east-1 \| [^|]+ \| rate-region-aws-us-east-1 x \(share failing x min\(recovery, outage-region\)\)[^|]+\| assumption: <https:\/\/aws\.amazon\.com\/premiumsupport\/technology\/pes\/> \|/);
            expect(md).to.include("| RPO | replication lag use1-db -> usc1-sql (tail) | 60 s / 10 min / 60 min |");
            expect(md).to.match(/\| AVAILABILITY \| gray failures \(assumption\)[^|]+\| [\d.]+ (s|min|h) \/ [\d.]+ (s|min|h) \/ [\d.]+ (s|min|h) \|/);
            expect(md).to.include("| AVAILABILITY | independent-SLA product (upper bound, not an estimate) | 99.999979% |");
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
        it("gives each service with its ranges, failure modes, automation and terms as plain JSON, null for unknown", () => {
            const json = servicesJson(estimates(awsActivePassive({ interval: UNKNOWN }).d));
            expect(json).to.have.length(1);
            expect(Object.keys(json[0])).to.deep.equal([
                "name",
                "discoveredBy",
                "topology",
                "standby",
                "sites",
                "externalDataStores",
                "automation",
                "rtoSeconds",
                "rpoSeconds",
                "availability",
                "ranges",
                "slaUpperBound",
                "modes",
                "terms",
                "unknowns",
                "notes",
                "fixes",
            ]);
            expect(json[0]).to.include({ name: "checkout.example.com", topology: "active-passive", rtoSeconds: null, availability: null });
            expect((json[0].sites as { key: string }[]).map((s) => s.key)).to.deep.equal(["aws-us-east-1", "aws-us-west-2"]);
            expect((json[0].ranges as { rto: { reads: unknown } }).rto.reads).to.equal(null);
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
