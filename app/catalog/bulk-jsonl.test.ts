import { describe, expect, it } from "vitest";
import { parseBulkJsonl } from "./bulk-jsonl";

const lines = (...objects: unknown[]) => objects.map((o) => (typeof o === "string" ? o : JSON.stringify(o))).join("\n");

const shell = {
  id: "gid://shopify/Product/1001",
  handle: "alpine-rain-shell",
  title: "Alpine Rain Shell",
  descriptionHtml: "<p>Waterproof, 2.5-layer.</p>",
  productType: "Jackets",
  vendor: "Alpine Co",
  tags: ["rain", "outerwear"],
  status: "ACTIVE",
  publishedAt: "2025-03-01T10:00:00Z",
  onlineStoreUrl: "https://alpine.example/products/alpine-rain-shell",
  updatedAt: "2025-04-02T08:30:00Z",
  options: [{ name: "Size", values: ["S", "M"] }],
};

describe("parseBulkJsonl", () => {
  it("GIVEN a product with children on their own lines WHEN parsed THEN they are assembled under it", () => {
    const text = lines(
      shell,
      {
        id: "gid://shopify/ProductVariant/2001",
        title: "S",
        sku: "ARS-S",
        price: "149.00",
        compareAtPrice: "179.00",
        availableForSale: true,
        inventoryQuantity: 4,
        selectedOptions: [{ name: "Size", value: "S" }],
        __parentId: "gid://shopify/Product/1001",
      },
      {
        id: "gid://shopify/ProductVariant/2002",
        title: "M",
        sku: "",
        price: "149.00",
        compareAtPrice: null,
        availableForSale: false,
        inventoryQuantity: 0,
        selectedOptions: [{ name: "Size", value: "M" }],
        __parentId: "gid://shopify/Product/1001",
      },
      { id: "gid://shopify/Collection/31", title: "Outerwear", __parentId: "gid://shopify/Product/1001" },
      {
        id: "gid://shopify/Metafield/41",
        namespace: "custom",
        key: "material",
        value: "Recycled nylon",
        type: "single_line_text_field",
        definition: { name: "Fabric" },
        __parentId: "gid://shopify/Product/1001",
      },
      {
        id: "gid://shopify/Metafield/42",
        namespace: "custom",
        key: "care_guide",
        value: "Wash cold",
        type: "single_line_text_field",
        definition: null,
        __parentId: "gid://shopify/Product/1001",
      },
      {
        id: "gid://shopify/MediaImage/51",
        alt: "Front view",
        mediaContentType: "IMAGE",
        image: { url: "https://cdn.example/shell.jpg", altText: "Shell, front" },
        preview: { image: { url: "https://cdn.example/shell.jpg", altText: "Shell, front" } },
        __parentId: "gid://shopify/Product/1001",
      },
      {
        id: "gid://shopify/Video/52",
        alt: "Walkthrough",
        mediaContentType: "VIDEO",
        preview: { image: { url: "https://cdn.example/video.jpg", altText: null } },
        __parentId: "gid://shopify/Product/1001",
      },
    );

    const batch = parseBulkJsonl(text, { file: "export.jsonl", currency: "EUR" });

    expect(batch.issues).toEqual([]);
    expect(batch.products).toEqual([
      {
        id: "1001",
        handle: "alpine-rain-shell",
        title: "Alpine Rain Shell",
        descriptionHtml: "<p>Waterproof, 2.5-layer.</p>",
        productType: "Jackets",
        vendor: "Alpine Co",
        tags: ["rain", "outerwear"],
        status: "active",
        published: true,
        options: [{ name: "Size", values: ["S", "M"] }],
        variants: [
          { id: "2001", title: "S", sku: "ARS-S", price: 149, compareAtPrice: 179, available: true, inventoryQuantity: 4, options: { Size: "S" } },
          { id: "2002", title: "M", sku: null, price: 149, compareAtPrice: null, available: false, inventoryQuantity: 0, options: { Size: "M" } },
        ],
        collections: ["Outerwear"],
        metafields: [
          { namespace: "custom", key: "material", value: "Recycled nylon", label: "Fabric" },
          { namespace: "custom", key: "care_guide", value: "Wash cold", label: "Care guide" },
        ],
        images: [{ url: "https://cdn.example/shell.jpg", altText: "Shell, front" }],
        url: "/products/alpine-rain-shell",
        updatedAt: "2025-04-02T08:30:00Z",
        currency: "EUR",
      },
    ]);
  });

  it("GIVEN children before their parent (ungrouped output) WHEN parsed THEN they still attach", () => {
    const variant = {
      id: "gid://shopify/ProductVariant/2001",
      title: "S",
      price: "10.00",
      availableForSale: true,
      selectedOptions: [{ name: "Size", value: "S" }],
      __parentId: "gid://shopify/Product/1001",
    };
    const batch = parseBulkJsonl(lines(variant, shell), { file: "f.jsonl" });
    expect(batch.issues).toEqual([]);
    expect(batch.products[0].variants.map((v) => v.id)).toEqual(["2001"]);
    expect(batch.products[0].currency).toBeNull();
  });

  it("GIVEN no publication date, a draft and an unlisted product WHEN parsed THEN none is published", () => {
    const batch = parseBulkJsonl(
      lines(
        { ...shell, id: "gid://shopify/Product/1", handle: "a", publishedAt: null },
        { ...shell, id: "gid://shopify/Product/2", handle: "b", status: "DRAFT", publishedAt: null },
        { ...shell, id: "gid://shopify/Product/3", handle: "c", status: "UNLISTED" },
      ),
      { file: "f.jsonl" },
    );
    expect(batch.products.map((p) => [p.id, p.status, p.published])).toEqual([
      ["1", "active", false],
      ["2", "draft", false],
      ["3", "active", false],
    ]);
  });

  it("GIVEN a default-only product WHEN parsed THEN the 'Title' option is dropped like the file parsers do", () => {
    const batch = parseBulkJsonl(
      lines(
        { ...shell, options: [{ name: "Title", values: ["Default Title"] }] },
        {
          id: "gid://shopify/ProductVariant/9",
          title: "Default Title",
          price: "5.00",
          availableForSale: true,
          selectedOptions: [{ name: "Title", value: "Default Title" }],
          __parentId: shell.id,
        },
      ),
      { file: "f.jsonl" },
    );
    expect(batch.products[0].options).toEqual([]);
    expect(batch.products[0].variants[0].options).toEqual({});
  });

  it("GIVEN bad lines WHEN parsed THEN each becomes an issue with its line number and the rest imports", () => {
    const text = lines(
      shell,
      "{not json",
      "[1,2]",
      { id: "gid://shopify/Collection/5", title: "Orphan", __parentId: "gid://shopify/Product/404" },
      { id: "gid://shopify/ProductVariant/7", title: "Bad price", price: "abc", __parentId: shell.id },
      { id: "gid://shopify/Customer/8", __parentId: shell.id },
      { id: "gid://shopify/Product/1002", title: "No handle" },
      "",
      { ...shell },
    );
    const batch = parseBulkJsonl(text, { file: "broken.jsonl" });

    expect(batch.products.map((p) => p.id)).toEqual(["1001"]);
    expect(batch.products[0].variants).toEqual([]);
    expect(batch.issues.map((i) => [i.file, i.line])).toEqual([
      ["broken.jsonl", 2],
      ["broken.jsonl", 3],
      ["broken.jsonl", 9],
      ["broken.jsonl", 4],
      ["broken.jsonl", 6],
      ["broken.jsonl", 1],
      ["broken.jsonl", 7],
    ]);
    expect(batch.issues[0].message).toMatch(/not valid JSON/);
    expect(batch.issues[2].message).toMatch(/appears twice/);
    expect(batch.issues[3].message).toMatch(/Product\/404/);
    expect(batch.issues[5].message).toMatch(/variant 7 has no valid price/);
    expect(batch.issues[6].message).toMatch(/no handle/);
  });

  it("GIVEN variants whose values differ only in punctuation or are single Arabic letters WHEN parsed THEN each keeps its own variant", () => {
    const variant = (n: number, value: string) => ({
      id: `gid://shopify/ProductVariant/${3000 + n}`,
      title: value,
      price: "20.00",
      availableForSale: true,
      selectedOptions: [{ name: "Model", value }],
      __parentId: shell.id,
    });
    const values = ["Galaxy S20", "Galaxy S20+", "Black/Ivory", "Black, Ivory", "ب", "ت"];
    const batch = parseBulkJsonl(lines({ ...shell, options: [{ name: "Model", values }] }, ...values.map((v, n) => variant(n, v))), { file: "bulk.jsonl" });
    expect(batch.issues).toEqual([]);
    expect(batch.products[0].variants.map((v) => v.options.Model)).toEqual(values);
  });

  it("GIVEN the same variant on two lines WHEN parsed THEN the second is skipped and the issue names both lines", () => {
    const variant = { id: "gid://shopify/ProductVariant/2001", title: "S", price: "149.00", availableForSale: true, selectedOptions: [{ name: "Size", value: "S" }], __parentId: shell.id };
    const batch = parseBulkJsonl(lines(shell, variant, variant), { file: "bulk.jsonl" });
    expect(batch.products[0].variants).toHaveLength(1);
    expect(batch.issues).toEqual([
      { file: "bulk.jsonl", line: 3, code: "duplicate_variant", message: "repeats variant gid://shopify/ProductVariant/2001 of line 2; line 3 skipped" },
    ]);
  });

  it("GIVEN an empty file WHEN parsed THEN the batch is empty without issues", () => {
    expect(parseBulkJsonl("\n", { file: "empty.jsonl" })).toEqual({ products: [], policies: [], pages: [], documents: [], issues: [] });
  });
});
