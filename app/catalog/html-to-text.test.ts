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

  it("decodes the whole HTML5 entity set, not a hand-kept subset", () => {
    // Names a short table leaves out: Latin Extended, Greek, maths, arrows, typographic marks.
    expect(htmlToText("<p>&Ccaron;esk&yacute; &scaron;perk &ndash; &alpha;&beta;&gamma; &le; &infin; &rArr; &bigstar; &OElig;uvre &hbar; &frac78; &dollar;5 &lsaquo;x&rsaquo;</p>")).toBe(
      "Český šperk – αβγ ≤ ∞ ⇒ ★ Œuvre ℏ ⅞ $5 ‹x›",
    );
    // Legacy names without ";" decode as browsers decode them; bidi marks in Hebrew and Arabic text survive.
    expect(decodeEntities("&copy 2024 &amp &rlm;שלום&lrm; &#1575;&#1604;")).toBe("© 2024 & \u200fשלום\u200e ال");
    // A reference to no character leaves nothing; soft hyphens go, so the word stays whole.
    expect(decodeEntities("a&#0;b wa&shy;ter&shy;proof")).toBe("ab waterproof");
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
