import { describe, expect, it } from "vitest";
import { textToSafeHtml, toSafeHtml } from "./safe-html";

describe("toSafeHtml", () => {
  it("keeps prose tags and drops attributes, scripts, styles and links", () => {
    const html = `<div class="x"><p style="color:red" onclick="evil()">Soft <strong>merino</strong> &amp; more</p><script>alert(1)</script><a href="javascript:x">link text</a><img src=x onerror=alert(1)></div>`;
    expect(toSafeHtml(html)).toBe("<p>Soft <strong>merino</strong> &amp; more</p><p>link text</p>");
  });

  it("is idempotent and balances unclosed tags", () => {
    const once = toSafeHtml("<ul><li>One<li>Two</ul><p>Open <em>end");
    expect(once).toBe("<ul><li>One</li><li>Two</li></ul><p>Open <em>end</em></p>");
    expect(toSafeHtml(once)).toBe(once);
  });

  it("turns plain text into escaped paragraphs and lists", () => {
    expect(textToSafeHtml("A <b>bold</b> claim\n\n- one\n- two")).toBe("<p>A &lt;b&gt;bold&lt;/b&gt; claim</p><ul><li>one</li><li>two</li></ul>");
  });
});
