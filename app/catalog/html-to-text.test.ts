import { describe, expect, it } from "vitest";
import { decodeEntities, htmlToText, looksLikeHtml } from "./html-to-text";

describe("htmlToText", () => {
  it("turns block elements into line breaks and lists into dashes", () => {
    const html = "<h2>Details</h2><p>Soft   merino\nwool.</p><ul><li>Machine wash cold</li><li>Dry <b>flat</b></li></ul><p>Line one<br>Line two</p>";
    expect(htmlToText(html)).toBe("Details\n\nSoft merino wool.\n\n- Machine wash cold\n- Dry flat\n\nLine one\nLine two");
  });

  it("drops scripts, styles and comments with their content and never keeps markup", () => {
    const html = '<style>p{color:red}</style><p onclick="x()">Hello<script>alert("x")</script> <!-- hidden -->world</p><img src=x onerror=alert(1)>';
    const text = htmlToText(html);
    expect(text).toBe("Hello world");
    expect(text).not.toMatch(/[<>]/);
  });

  it("decodes named and numeric entities", () => {
    expect(htmlToText("<p>Fish &amp; chips &ndash; &pound;5 &#8211; caf&eacute; &#x2713; Gr&ouml;&szlig;e&nbsp;M</p>")).toBe("Fish & chips – £5 – café ✓ Größe M");
    expect(decodeEntities("&unknown; &lt;b&gt;")).toBe("&unknown; <b>");
  });

  it("keeps headings as Markdown when asked, so sections can be found", () => {
    expect(htmlToText("<h1>Refunds</h1><p>30 days.</p><h3>Sale items</h3><p>Final.</p>", { markdownHeadings: true })).toBe(
      "# Refunds\n\n30 days.\n\n### Sale items\n\nFinal.",
    );
  });

  it("ends a tag with a broken attribute at the next '>' and drops an unclosed tag", () => {
    expect(htmlToText('<div class="a" "></div><p>Gent</p><div class="x')).toBe("Gent");
  });

  it("keeps the line breaks of plain text given as HTML", () => {
    expect(htmlToText("Line one\nLine two &amp; more")).toBe("Line one\nLine two & more");
  });

  it("separates table cells", () => {
    expect(htmlToText("<table><tr><th>Size</th><th>Chest</th></tr><tr><td>M</td><td>40 in</td></tr></table>")).toBe("Size | Chest\nM | 40 in");
  });
});

describe("looksLikeHtml", () => {
  it("tells markup from Markdown", () => {
    expect(looksLikeHtml("<p>Hi</p>")).toBe(true);
    expect(looksLikeHtml("## Hi\n\n- a < b")).toBe(false);
  });
});
