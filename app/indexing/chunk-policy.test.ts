import { describe, expect, it } from "vitest";
import type { CatalogPolicy } from "../catalog/types";
import { chunkPolicy } from "./chunk-policy";

const POLICY: CatalogPolicy = {
  id: "refund-policy",
  type: "refund",
  title: "Refund policy",
  url: "/policies/refund-policy",
  updatedAt: "2025-01-01T00:00:00.000Z",
  body: [
    "# Refund policy",
    "",
    "We want you to love it.",
    "",
    "## Returns",
    "",
    "Return within 30 days.",
    "",
    "### EU customers",
    "",
    "You may withdraw within 14 days.",
    "",
    "## Sale items",
    "",
    "Sale items are final sale.",
    "",
    "## Returns",
    "",
    "A second section with the same heading.",
  ].join("\n"),
};

describe("chunkPolicy", () => {
  it("chunks by section with heading paths, anchors and the policy type", () => {
    const chunks = chunkPolicy(POLICY);
    expect(chunks.map((c) => [c.id, c.title, c.url])).toEqual([
      ["policy:refund-policy:0", "Refund policy", "/policies/refund-policy"],
      ["policy:refund-policy:1", "Refund policy > Returns", "/policies/refund-policy#returns"],
      ["policy:refund-policy:2", "Refund policy > Returns > EU customers", "/policies/refund-policy#eu-customers"],
      ["policy:refund-policy:3", "Refund policy > Sale items", "/policies/refund-policy#sale-items"],
      ["policy:refund-policy:4", "Refund policy > Returns", "/policies/refund-policy#returns-2"],
    ]);
    expect(chunks[3].text).toBe("Refund policy > Sale items\n\nSale items are final sale.");
    expect(chunks.every((c) => c.fields.policyType === "refund" && c.sourceType === "policy")).toBe(true);
  });

  it("splits a long section on paragraphs, keeping its heading path on each piece", () => {
    const long = Array.from({ length: 6 }, (_, i) => `Paragraph ${i} ${"word ".repeat(60)}`.trim()).join("\n\n");
    const chunks = chunkPolicy({ ...POLICY, body: `## Shipping to the EU\n\n${long}` });
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.title).toBe("Refund policy > Shipping to the EU");
      expect(c.url).toBe("/policies/refund-policy#shipping-to-the-eu");
      expect(c.text.startsWith("Refund policy > Shipping to the EU\n\n")).toBe(true);
    }
    expect(chunks.map((c) => c.id)).toEqual(chunks.map((_, i) => `policy:refund-policy:${i}`));
  });

  it("reads HTML bodies (as Shopify returns them) by their headings", () => {
    const chunks = chunkPolicy({ ...POLICY, body: "<h2>Sale items</h2><p>Final sale, except in the EU.</p>" });
    expect(chunks.map((c) => [c.url, c.text])).toEqual([["/policies/refund-policy#sale-items", "Refund policy > Sale items\n\nFinal sale, except in the EU."]]);
  });
});
