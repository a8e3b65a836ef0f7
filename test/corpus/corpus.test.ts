// The pack on realistic programs (test/fixtures/programs/*): every defect a program's expect.json
// lists is found by the rule named, on the resource named; no mandatory finding is anything else
// (so the corrected programs have none); and docs/corpus.md reports exactly this measurement.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { allPolicies } from "../../policies/rules";
import { corpusDocFile, CorpusResult, corpusPrograms, measureCorpus, programsDir, renderCorpusDoc } from "./corpus";

const names = corpusPrograms();

describe("the corpus of realistic programs", function () {
    this.timeout(120000);
    let result: CorpusResult;
    const program = (name: string) => {
        const p = result.programs.find((x) => x.name === name);
        if (!p) throw new Error(`${name} was not run`);
        return p;
    };
    const show = (vs: readonly { policy: string; urn?: string; message: string }[]) => vs.map((v) => `[${v.policy}] ${v.message.split("\n").pop()}`).join("\n");

    before(async () => {
        result = await measureCorpus();
    });

    it("holds the programs the issue asks for, each a Pulumi project with a test stack, and a corrected version of each", () => {
        for (const base of ["webapp-rds-ecs", "k8s-shop", "eks-cluster", "gke-cloudsql", "single-vm"]) {
            expect(names).to.include(base).and.to.include(`${base}-fixed`);
            for (const file of ["Pulumi.yaml", "Pulumi.test.yaml", "index.ts", "expect.json"]) expect(fs.existsSync(path.join(programsDir, base, file)), `${base}/${file}`).to.equal(true);
        }
    });

    it("names only rules of the pack in its expectations", () => {
        const rules = new Set(allPolicies.map((p) => p.name));
        for (const p of result.programs) for (const d of p.expect.defects) expect(rules, `${p.name}: ${d.rule}`).to.include(d.rule);
    });

    for (const name of names) {
        it(`${name}: finds every listed defect, with the rule named, on the resource named`, () => {
            const p = program(name);
            expect(p.missed.map((d) => `${d.rule} on ${d.resource}: ${d.what}`), show(p.violations)).to.deep.equal([]);
        });

        it(`${name}: makes no mandatory finding that is not a listed defect`, () => {
            expect(show(program(name).falseFindings)).to.equal("");
        });
    }

    it("lists what it cannot see into as NOT JUDGED, advisory, never as a finding or a pass (the Helm release of the shop)", () => {
        const gaps = program("k8s-shop").violations.filter((v) => v.policy === "not-judged");
        expect(gaps.map((v) => v.urn?.split("::").pop())).to.deep.equal(["ingress"]);
        expect(gaps[0].enforcementLevel).to.equal("advisory");
        expect(gaps[0].message).to.include('NOT JUDGED: a Helm release (chart "ingress-nginx")');
    });

    it("says each problem once: no two findings on one resource from rules that defer to each other", () => {
        // The pairs lib/facts settles: the second rule must not repeat the first's fact.
        const pairs = [
            ["rds-multi-az", "replication-factor", "Set multiAz"],
            ["cloudsql-high-availability", "replication-factor", 'availabilityType: "REGIONAL"'],
            ["k8s-data-persistence", "k8s-statefulset-volumes", ""],
            ["replication-factor", "k8s-deployment-replicas", ""],
        ];
        for (const p of result.programs) {
            for (const [owner, other, fragment] of pairs) {
                for (const v of p.violations.filter((x) => x.policy === owner)) {
                    const repeated = p.violations.filter((x) => x.policy === other && x.urn === v.urn && (fragment === "" || x.message.includes(fragment)));
                    expect(show(repeated), `${p.name}: ${other} repeats ${owner}`).to.equal("");
                }
            }
        }
    });

    it("finds every defect listed and nothing else mandatory: recall 100%, 0 false findings", () => {
        expect(result.defects).to.be.greaterThan(50);
        expect(result.found).to.equal(result.defects);
        expect(result.falseFindings).to.equal(0);
    });

    it("is reported as measured in docs/corpus.md (run `npm run docs` after changing a rule or a program)", () => {
        expect(fs.readFileSync(corpusDocFile, "utf8")).to.equal(renderCorpusDoc(result));
    });
});
