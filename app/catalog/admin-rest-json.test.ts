import { describe, expect, it } from "vitest";
import { CatalogParseError, parseAdminRestProducts, productFromAdminRest } from "./admin-rest-json";

const PRODUCT = {
  id: 7001,
  title: "Linen Duvet Cover",
  body_html: "<p>Stonewashed linen.</p>",
  vendor: "Harbor",
  product_type: "Bedding",
  handle: "linen-duvet-cover",
  status: "active",
  published_at: "2025-01-02T10:00:00Z",
  tags: "bedding, linen,  sale",
  updated_at: "2025-03-01T09:00:00Z",
  options: [
    { name: "Size", values: ["Double", "King"] },
    { name: "Colour", values: ["Oat"] },
  ],
  variants: [
    { id: 1, title: "Double / Oat", price: "120.00", compare_at_price: "150.00", sku: "LD-D", inventory_quantity: 0, inventory_policy: "deny", inventory_management: "shopify", option1: "Double", option2: "Oat", option3: null, updated_at: "2025-03-05T09:00:00Z" },
    { id: 2, title: "King / Oat", price: "140.00", compare_at_price: null, sku: "", inventory_quantity: 0, inventory_policy: "continue", inventory_management: "shopify", option1: "King", option2: "Oat", option3: null },
  ],
  images: [{ src: "https://cdn.example/d.jpg", alt: "Oat duvet on a bed" }],
};

describe("productFromAdminRest", () => {
  it("maps the REST product resource, including availability and options per variant", () => {
    const p = productFromAdminRest(PRODUCT);
    expect(p).toMatchObject({
      id: "7001", handle: "linen-duvet-cover", title: "Linen Duvet Cover", descriptionHtml: "<p>Stonewashed linen.</p>",
      productType: "Bedding", vendor: "Harbor", tags: ["bedding", "linen", "sale"], status: "active", published: true,
      url: "/products/linen-duvet-cover", updatedAt: "2025-03-01T09:00:00Z",
      options: [{ name: "Size", values: ["Double", "King"] }, { name: "Colour", values: ["Oat"] }],
      images: [{ url: "https://cdn.example/d.jpg", altText: "Oat duvet on a bed" }],
    });
    expect(p.variants).toEqual([
      { id: "1", title: "Double / Oat", sku: "LD-D", price: 120, compareAtPrice: 150, available: false, inventoryQuantity: 0, options: { Size: "Double", Colour: "Oat" } },
      { id: "2", title: "King / Oat", sku: null, price: 140, compareAtPrice: null, available: true, inventoryQuantity: 0, options: { Size: "King", Colour: "Oat" } },
    ]);
  });

  it("treats a null published_at as unpublished and untracked inventory as available", () => {
    const p = productFromAdminRest({
      ...PRODUCT,
      published_at: null,
      status: "draft",
      options: [{ name: "Title", values: ["Default Title"] }],
      variants: [{ id: 9, title: "Default Title", price: "5", inventory_quantity: 0, inventory_policy: "deny", inventory_management: null, option1: "Default Title" }],
    });
    expect(p.published).toBe(false);
    expect(p.status).toBe("draft");
    expect(p.options).toEqual([]);
    expect(p.variants[0]).toMatchObject({ available: true, options: {} });
  });

  it("throws a CatalogParseError with a code for an object that is not a product", () => {
    expect(() => productFromAdminRest({ id: 1, handle: "x" })).toThrow(CatalogParseError);
    let caught: unknown = null;
    try {
      productFromAdminRest({ id: 1, title: "X", handle: "x", variants: [{ id: 2, price: "free" }] });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CatalogParseError);
    expect((caught as CatalogParseError).code).toBe("invalid_variant");
    expect((caught as Error).message).toMatch(/invalid price "free"/);
  });
});

describe("parseAdminRestProducts", () => {
  it("accepts the list response, a bare array, {product} and a single product (webhook payload)", () => {
    const text = JSON.stringify({ products: [PRODUCT, { ...PRODUCT, id: 7002, handle: "second" }] });
    expect(parseAdminRestProducts(text, { file: "p.json" }).products.map((p) => p.id)).toEqual(["7001", "7002"]);
    expect(parseAdminRestProducts([PRODUCT], { file: "a.json" }).products).toHaveLength(1);
    expect(parseAdminRestProducts({ product: PRODUCT }, { file: "b.json" }).products).toHaveLength(1);
    expect(parseAdminRestProducts(JSON.stringify(PRODUCT), { file: "c.json" }).products[0].handle).toBe("linen-duvet-cover");
  });

  it("skips a bad product with an issue on its line and imports the rest", () => {
    const text = JSON.stringify({ products: [PRODUCT, { id: 555, title: "", handle: "no-title" }] }, null, 2);
    const batch = parseAdminRestProducts(text, { file: "p.json", currency: "GBP" });
    expect(batch.products.map((p) => [p.id, p.currency])).toEqual([["7001", "GBP"]]);
    expect(batch.issues).toHaveLength(1);
    const expectedLine = text.split("\n").findIndex((l) => l.includes('"id": 555')) + 1;
    expect(batch.issues[0]).toMatchObject({ file: "p.json", line: expectedLine });
    expect(batch.issues[0].message).toMatch(/id 555.*no title/);
  });

  it("GIVEN the same variant id twice in a product WHEN parsed THEN the second is skipped and the issue names both lines", () => {
    const text = JSON.stringify({ products: [{ ...PRODUCT, variants: [PRODUCT.variants[0], PRODUCT.variants[1], { ...PRODUCT.variants[1], title: "King / Oat again" }] }] }, null, 2);
    const batch = parseAdminRestProducts(text, { file: "p.json" });
    expect(batch.products[0].variants.map((v) => v.title)).toEqual(["Double / Oat", "King / Oat"]);
    const lines = text.split("\n").flatMap((l, i) => (/^\s*"id": 2,$/.test(l) ? [i + 1] : []));
    expect(lines).toHaveLength(2);
    expect(batch.issues).toEqual([
      { file: "p.json", line: lines[1], code: "duplicate_variant", message: `Product 7001: variant 2 on line ${lines[1]} repeats the variant on line ${lines[0]}; line ${lines[1]} was skipped.` },
    ]);
  });

  it("reports invalid JSON and unrecognised shapes instead of throwing", () => {
    const broken = parseAdminRestProducts('{"products": [\n  {"id": 1,,}\n]}', { file: "x.json" });
    expect(broken.issues[0]).toMatchObject({ file: "x.json", line: 2 });
    expect(parseAdminRestProducts('{"orders": []}', { file: "o.json" }).issues[0].message).toMatch(/Expected Admin REST products/);
  });
});
