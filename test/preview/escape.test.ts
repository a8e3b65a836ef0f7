// Strings from config and programs reach terminals and pull-request comments without acting there.
import { expect } from "chai";
import { escapeMarkdown, markdownCode, mermaidText, stripControl } from "../../preview/escape";

describe("escaping (preview/escape.ts)", () => {
    it("strips terminal control sequences but keeps line feeds and tabs", () => {
        expect(stripControl("cluster \u001b[2J\u001b]0;pwned\u0007name\r\n\tnext\u009b")).to.equal("cluster [2J]0;pwnedname\n\tnext");
    });

    it("keeps Markdown inert: no HTML, links, images, code, table cells or mentions", () => {
        const hostile = '<img src=x onerror=alert(1)> ![t](https://evil.example/p.png) [x](https://evil.example) `code` a|b @org/team *b* _i_ ~s~\nnext';
        const md = escapeMarkdown(hostile);
        expect(md).to.not.contain("<img").and.not.contain("\n");
        expect(md).to.contain("&lt;img").and.contain("!\\[t\\]").and.contain("\\[x\\]").and.contain("\\`code\\`").and.contain("a\\|b").and.contain("\\@org/team");
    });

    it("keeps a code span closed whatever the text holds", () => {
        expect(markdownCode("a`b\nc")).to.equal("`a'b c`");
    });

    it("makes Mermaid labels inert: entity codes for quotes, tags, fences and '#'", () => {
        expect(mermaidText('k8s "prod"\n<b>```#quot;&')).to.equal("k8s #quot;prod#quot;<br/>#lt;b#gt;#96;#96;#96;#35;quot;#amp;");
    });
});
