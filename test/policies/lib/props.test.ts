import { expect } from "chai";
import { plain, UNKNOWN } from "../../../policies/lib/props";

// The sentinel @pulumi/policy's deserializer leaves for an unknown string.
const POLICY_UNKNOWN = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";

describe("plain (props as rules read them)", () => {
    it("returns a part with no unknown inside as it is, without copying it", () => {
        const props = { tags: { team: "a" }, rules: [{ port: 443 }], name: "x" };
        expect(plain(props)).to.equal(props);
    });

    it("copies only the path to an unknown, writes UNKNOWN there and leaves the decoded props untouched", () => {
        const tags = { team: "a" };
        const props = { tags, rules: [{ port: 443 }, { port: POLICY_UNKNOWN }], name: POLICY_UNKNOWN };
        const out = plain(props) as { tags: unknown; rules: { port: unknown }[]; name: unknown };
        expect(out).to.not.equal(props);
        expect(out.tags).to.equal(tags);
        expect(out.rules[0]).to.equal(props.rules[0]);
        expect(out.rules[1].port).to.equal(UNKNOWN);
        expect(out.name).to.equal(UNKNOWN);
        expect(props.rules[1].port).to.equal(POLICY_UNKNOWN);
        expect(props.name).to.equal(POLICY_UNKNOWN);
    });

    it("reads through a policy props proxy to the object behind it", () => {
        const target = { a: 1 };
        const proxy = new Proxy(target, { get: (t, k) => (k === "__getSpecialProxyTarget" ? t : (t as Record<string | symbol, unknown>)[k]) });
        expect(plain(proxy)).to.equal(target);
        expect(plain({ nested: proxy })).to.deep.equal({ nested: target });
    });
});
