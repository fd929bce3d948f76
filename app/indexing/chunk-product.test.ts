import { describe, expect, it } from "vitest";
import type { CatalogProduct } from "../catalog/types";
import { chunkProduct } from "./chunk-product";

function product(overrides: Partial<CatalogProduct> = {}): CatalogProduct {
  return {
    id: "p1",
    handle: "wrap-dress",
    title: "Wrap Dress",
    descriptionHtml: "<h2>Wrap Dress</h2><p>A fluid wrap dress in washed silk.</p><p>Ties at the waist.</p>",
    productType: "Dresses",
    vendor: "Harbor",
    tags: ["sale", "dresses"],
    status: "active",
    published: true,
    options: [
      { name: "Size", values: ["6", "8"] },
      { name: "Colour", values: ["Rust"] },
    ],
    variants: [
      { id: "v6", title: "6 / Rust", sku: "WD-6", price: 98, compareAtPrice: 140, available: true, inventoryQuantity: 2, options: { Size: "6", Colour: "Rust" } },
      { id: "v8", title: "8 / Rust", sku: "WD-8", price: 110, compareAtPrice: null, available: false, inventoryQuantity: 0, options: { Size: "8", Colour: "Rust" } },
    ],
    collections: [],
    metafields: [
      { namespace: "custom", key: "material", value: "100% silk", label: "Material" },
      { namespace: "custom", key: "care", value: "Dry clean", label: "Care" },
      { namespace: "custom", key: "fit", value: "Runs small; size up", label: "Fit" },
    ],
    images: [{ url: "https://cdn.example/d.jpg", altText: "Rust wrap dress, side view" }],
    url: "/products/wrap-dress",
    updatedAt: "2025-01-01T00:00:00.000Z",
    currency: "USD",
    ...overrides,
  };
}

describe("chunkProduct", () => {
  it("keeps every fact together in the first chunk", () => {
    const [facts] = chunkProduct(product());
    expect(facts.id).toBe("product:p1:0");
    expect(facts.sourceType).toBe("product");
    expect(facts.url).toBe("/products/wrap-dress");
    for (const fact of [
      "Wrap Dress",
      "Type: Dresses",
      "Brand: Harbor",
      "Tags: sale, dresses",
      "Size options: 6, 8",
      "Colour options: Rust",
      "Price: 98.00 USD to 110.00 USD",
      "Material: 100% silk",
      "Care: Dry clean",
      "Fit: Runs small, size up",
      "- Size 6, Colour Rust | 98.00 USD | on sale, was 140.00 USD | available",
      "- Size 8, Colour Rust | 110.00 USD | sold out",
      "Images: Rust wrap dress, side view",
    ]) {
      expect(facts.text).toContain(fact);
    }
    expect(facts.fields).toEqual({
      productHandle: "wrap-dress",
      productType: "Dresses",
      vendor: "Harbor",
      tags: ["sale", "dresses"],
      priceMin: 98,
      priceMax: 110,
      available: true,
      variants: [
        { id: "v6", options: { Size: "6", Colour: "Rust" }, available: true, price: 98 },
        { id: "v8", options: { Size: "8", Colour: "Rust" }, available: false, price: 110 },
      ],
    });
  });

  it("writes description chunks that start with the title, without repeating a title heading", () => {
    const chunks = chunkProduct(product());
    expect(chunks).toHaveLength(2);
    expect(chunks[1].id).toBe("product:p1:1");
    expect(chunks[1].text).toBe("Wrap Dress\n\nA fluid wrap dress in washed silk.\n\nTies at the waist.");
    expect(chunks[1].fields).toEqual(chunks[0].fields);
  });

  it("splits a long description on paragraphs at about 1,000 characters", () => {
    const paragraph = (n: number) => `<p>${`Paragraph ${n} sentence. `.repeat(18).trim()}</p>`;
    const chunks = chunkProduct(product({ descriptionHtml: [1, 2, 3, 4, 5].map(paragraph).join("") }));
    const descriptions = chunks.slice(1);
    expect(descriptions.length).toBeGreaterThan(1);
    for (const c of descriptions) {
      expect(c.text.startsWith("Wrap Dress\n\n")).toBe(true);
      expect(c.text.length).toBeLessThanOrEqual(1000);
    }
    // No paragraph is cut in half.
    expect(descriptions.map((c) => c.text).join("\n\n").match(/Paragraph 3 sentence/g)).toHaveLength(18);
  });

  it("gives stable ids and hashes, and a new hash when a fact changes", () => {
    const a = chunkProduct(product());
    const b = chunkProduct(product());
    expect(b.map((c) => [c.id, c.contentHash])).toEqual(a.map((c) => [c.id, c.contentHash]));
    const soldOut = product();
    soldOut.variants[0] = { ...soldOut.variants[0], available: false };
    const c = chunkProduct(soldOut);
    expect(c[0].contentHash).not.toBe(a[0].contentHash);
    expect(c[0].contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("describes a single-variant product without a variant list", () => {
    const [facts] = chunkProduct(
      product({ options: [], variants: [{ id: "v", title: "Default Title", sku: "M-1", price: 24, compareAtPrice: 30, available: false, inventoryQuantity: 0, options: {} }] }),
    );
    expect(facts.text).toContain("Price: 24.00 USD");
    expect(facts.text).toContain("Availability: sold out");
    expect(facts.text).toContain("On sale: was 30.00 USD");
    expect(facts.text).not.toContain("Variants:");
    expect(facts.fields.available).toBe(false);
  });
});
