// Strings from stack config and programs (names, clusters, messages) reach a terminal and a
// pull-request comment. Neither may let them act: a terminal must not receive control sequences
// (cursor moves, colours, title changes, OSC hyperlinks), and Markdown must not turn them into
// table cells, code fences, HTML, links, images or @-mentions.

/**
 * Text for a terminal: C0 and C1 control characters (ESC, BEL, backspace, carriage return...) and
 * DEL removed; line feeds and tabs kept.
 */
export function stripControl(text: string): string {
    // eslint-disable-next-line no-control-regex
    return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
}

/**
 * Characters that act inline in GitHub Markdown (emphasis, code, links and images, table cells,
 * strikethrough, @-mentions), escaped with a backslash.
 */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]|~@]/g;

/**
 * Inline Markdown text: one line, no control characters, markup characters backslash-escaped and
 * `<` and `&` as entities (no HTML tag or entity can start), so the text reads as written inside
 * a paragraph, list item or table cell. (`>` starts nothing inline: it stays readable.)
 */
export function escapeMarkdown(text: string): string {
    return stripControl(text.replace(/\r?\n/g, " "))
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`);
}

/** Text inside a Markdown code span: backticks and line breaks cannot end or break the span. */
export function markdownCode(text: string): string {
    return `\`${stripControl(text.replace(/\r?\n/g, " ")).replace(/`/g, "'")}\``;
}

/**
 * A quoted Mermaid label: entity codes for the characters Mermaid or the Markdown fence would
 * interpret (`"`, `#`, `<`, `>`, `&`, backtick), line breaks as `<br/>`.
 */
export function mermaidText(text: string): string {
    return text
        .split(/\r?\n/)
        .map((line) =>
            stripControl(line)
                .replace(/#/g, "#35;")
                .replace(/"/g, "#quot;")
                .replace(/&/g, "#amp;")
                .replace(/</g, "#lt;")
                .replace(/>/g, "#gt;")
                .replace(/`/g, "#96;"),
        )
        .join("<br/>");
}
