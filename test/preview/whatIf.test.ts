// The what-if matrix as a reviewer reads it: text, markdown rows, --json rows and one scenario in full.
import { expect } from "chai";
import { estimateServices, ServiceEstimate } from "../../policies/model";
import { parseArgs } from "../../preview/cli";
import { matchesDomain, pathCell, renderMatrixText, renderScenario, whatIfJson, whatIfText } from "../../preview/whatIf";
import { awsActiveActive, awsActivePassive, Design } from "../policies/model/designs";

function estimates(d: Design): ServiceEstimate[] {
    return estimateServices(d.graph());
}

describe("what-if matrix", () => {
    const services = () => [...estimates(awsActivePassive({ standbyTasks: 0 }).d), ...estimates(awsActiveActive(["us-east-1", "us-west-2"], { app: "own" }))];

    it("prints the affected rows as a table and names the domains that affect nothing", () => {
        const lines = renderMatrixText("prod", services());
        expect(lines[0]).to.match(/^What if \(stack prod\): for each failure domain/);
        expect(lines[1].trim().split(/\s{2,}/)).to.deep.equal(["domain", "service", "reads", "writes", "data lost"]);
        const steady = lines.find((l) => l.includes("steady-state") && l.includes("orders.example.com")) ?? "";
        expect(steady.trim().split(/\s{2,}/)).to.deep.equal(["steady-state", "orders.example.com", "ok", "50 % FAIL always", "-"]);
        const region = lines.find((l) => l.includes("region:aws/us-east-1") && l.includes("checkout.example.com")) ?? "";
        expect(region).to.match(/100 % fail, back after people act: [\d.]+ min \([\d.]+ min-[\d.]+ (min|h)\)/);
    });

    it("says how each path fares: ok, a share failing until a time, until recovery, or always", () => {
        expect(pathCell({ outcome: "unaffected", share: 0, afterSeconds: null, manual: false, why: "" })).to.equal("ok");
        expect(pathCell({ outcome: "fails", share: 0.3, afterSeconds: null, manual: false, why: "" })).to.equal("30 % FAIL always");
        expect(pathCell({ outcome: "until-recovery", share: 0.5, afterSeconds: null, manual: true, why: "" })).to.equal("50 % fail until recovery (or by hand)");
        expect(pathCell({ outcome: "until-recovery", share: 0.03, afterSeconds: null, manual: true, why: "" }, "release")).to.equal("3 % fail until rolled back");
        const after = { p10: 100, p50: 200, p90: 400, low: 50, likely: 200, high: 900 };
        expect(pathCell({ outcome: "recovers", share: 1, afterSeconds: after, manual: false, why: "" })).to.equal("100 % fail, back after 3.3 min (100 s-6.7 min)");
    });

    it("--json: one plain row per domain and service, steady state first", () => {
        const rows = whatIfJson(services()) as { domain: string; service: string; kind: string; reads: object; writes: object; dataLoss: object; timeline: object[] }[];
        expect(rows[0]).to.include({ domain: "steady-state", kind: "steady-state", service: "checkout.example.com" });
        const region = rows.find((r) => r.domain === "region:aws/us-east-1" && r.service === "checkout.example.com");
        expect(region?.timeline.length).to.be.greaterThan(3);
        expect(Object.keys(region?.dataLoss ?? {})).to.have.members(["typicalSeconds", "worstSeconds", "why"]);
        expect(JSON.parse(JSON.stringify(rows))).to.deep.equal(rows);
    });

    it("--what-if DOMAIN prints one scenario in full with its timeline; a zone name finds its zone group", () => {
        const text = renderScenario("prod", services(), "region:aws/us-east-1") ?? "";
        expect(text).to.match(/^What if region:aws\/us-east-1 \(AWS us-east-1\) is lost - stack prod\n/);
        expect(text).to.include("  checkout.example.com\n    reads:     100 % fail, back after people act:");
        expect(text).to.include("aws-us-west-2 is a pilot light");
        expect(text).to.match(/timeline \(P50, P10-P90\):\n\s+0 s\s+AWS us-east-1 lost: aws-us-east-1/);
        expect(text).to.include("at recovery");
        const zone = services()[0].whatIf.find((r) => r.kind === "zone");
        expect(zone && matchesDomain(zone, "zone:aws/us-east-1b")).to.equal(true);
        expect(zone && matchesDomain(zone, "zone:aws/us-east-2b")).to.equal(false);
    });

    it("--what-if takes one domain (`nonstop preview --what-if region:aws/us-east-1`)", () => {
        expect(parseArgs(["preview", "--what-if", "region:aws/us-east-1"])).to.include({ whatIf: "region:aws/us-east-1" });
        expect(parseArgs(["preview", "--what-if=zone:aws/us-east-1b"])).to.include({ whatIf: "zone:aws/us-east-1b" });
        expect(() => parseArgs(["preview", "--what-if"])).to.throw("--what-if needs a value");
    });

    it("an unknown domain is an error that lists the domains of every stack", () => {
        const result = whatIfText([{ stack: "prod", services: services() }], "region:aws/eu-north-1");
        expect("error" in result && result.error).to.match(/^--what-if region:aws\/eu-north-1: no such failure domain in prod; the domains are:\n  prod: steady-state, zone:aws\/us-east-1a\|b\|c, /);
        const ok = whatIfText([{ stack: "prod", services: services() }], "dns:route53");
        expect("text" in ok && ok.text).to.include("What if dns:route53 (the DNS provider (Route 53)) is lost - stack prod");
    });
});
