import { describe, expect, it } from "vitest";
import { cleanMarkdown, parsePolicyFiles, policyTypeForFileName, splitFrontMatter } from "./policy-files";

describe("parsePolicyFiles", () => {
  it("types policies by file name and gives each its storefront URL", () => {
    const batch = parsePolicyFiles([
      { name: "refund-policy.md", content: "# Refund policy\n\nReturns within 30 days." },
      { name: "shipping-policy.html", content: "<h1>Shipping</h1><h2>EU</h2><p>3&ndash;5 days.</p>" },
      { name: "contact.md", content: "Email help@shop.example" },
      { name: "legal-notice.md", content: "Registered in Ghent." },
      { name: "subscription-policy.md", content: "Cancel any time." },
      { name: "terms-of-service.md", content: "Be nice." },
      { name: "privacy-policy.md", content: "We keep little." },
      { name: "contact-information.md", content: "Phone 555." },
    ]);
    expect(batch.issues).toEqual([]);
    expect(batch.policies.map((p) => [p.type, p.url, p.title])).toEqual([
      ["refund", "/policies/refund-policy", "Refund policy"],
      ["shipping", "/policies/shipping-policy", "Shipping"],
      ["contact", "/policies/contact", "Contact information"],
      ["legal_notice", "/policies/legal-notice", "Legal notice"],
      ["subscription", "/policies/subscription-policy", "Subscription policy"],
      ["terms", "/policies/terms-of-service", "Terms of service"],
      ["privacy", "/policies/privacy-policy", "Privacy policy"],
      ["contact", "/policies/contact-information", "Contact information"],
    ]);
    // HTML keeps its headings as Markdown so the chunker can find sections.
    expect(batch.policies[1].body).toBe("# Shipping\n\n## EU\n\n3–5 days.");
  });

  it("turns other names into pages and reads the title from front matter", () => {
    const batch = parsePolicyFiles([{ name: "Size Guide.md", content: '---\ntitle: "Size &amp; fit"\nlayout: page\n---\n\nMeasure your chest.', updatedAt: "2025-05-01T00:00:00.000Z" }]);
    expect(batch.pages).toEqual([
      { id: "size-guide", handle: "size-guide", title: "Size & fit", body: "Measure your chest.", url: "/pages/size-guide", published: true, updatedAt: "2025-05-01T00:00:00.000Z" },
    ]);
  });

  it("reports unsupported and empty files", () => {
    const batch = parsePolicyFiles([
      { name: "refund-policy.pdf", content: "%PDF" },
      { name: "faq.md", content: "---\ntitle: FAQ\n---\n" },
    ]);
    expect(batch.issues.map((i) => i.file)).toEqual(["refund-policy.pdf", "faq.md"]);
    expect(batch.policies).toEqual([]);
    expect(batch.pages).toEqual([]);
  });
});

describe("Markdown helpers", () => {
  it("drops HTML blocks inside Markdown but keeps the text and the Markdown", () => {
    const md = '## Reach us\n\n<div class="row">\n  <a href="mailto:a@b.example"><h4>Email</h4><p>a@b.example</p></a>\n</div>\n\nOr call<br>555 0100';
    expect(cleanMarkdown(md)).toBe("## Reach us\n\n#### Email\n\na@b.example\n\nOr call\n555 0100");
  });

  it("reads front matter only at the very start", () => {
    expect(splitFrontMatter("---\ntitle: Terms\n---\nBody")).toEqual({ title: "Terms", body: "Body" });
    expect(splitFrontMatter("Intro\n---\ntitle: x\n---")).toEqual({ title: null, body: "Intro\n---\ntitle: x\n---" });
  });

  it("knows policy names", () => {
    expect([policyTypeForFileName("dir/Refund-Policy.MD"), policyTypeForFileName("faq.md")]).toEqual(["refund", null]);
  });
});
