import { describe, expect, it } from "vitest";
import { parseAdminRestProducts } from "./admin-rest-json";
import { parseBulkJsonl } from "./bulk-jsonl";
import { parseProductReferences } from "./complementary-products";
import { parseShopifyCsv } from "./shopify-csv";

const COLUMN = "Complementary products (product.metafields.shopify--discovery--product_recommendation.complementary_products)";

describe("the merchant's complementary products", () => {
  it("reads product references as a JSON list of gids, or as gids or handles in a list", () => {
    expect(parseProductReferences('["gid://shopify/Product/11","gid://shopify/Product/12"]')).toEqual(["11", "12"]);
    expect(parseProductReferences("canvas-belt, straw-hat; canvas-belt")).toEqual(["canvas-belt", "straw-hat"]);
    expect(parseProductReferences("gid://shopify/Product/7\ngid://shopify/Product/8")).toEqual(["7", "8"]);
    expect(parseProductReferences("  ")).toEqual([]);
  });

  it("GIVEN a bulk export whose product has the Search & Discovery metafield WHEN parsed THEN its picks are kept apart from the shopper-facing facts", () => {
    const product = {
      id: "gid://shopify/Product/1",
      handle: "wrap-dress",
      title: "Wrap Dress",
      status: "ACTIVE",
      publishedAt: "2025-01-01T00:00:00Z",
      options: [{ name: "Title", values: ["Default Title"] }],
    };
    const metafield = (key: string, namespace: string, value: string, id: number) => ({
      id: `gid://shopify/Metafield/${id}`,
      namespace,
      key,
      value,
      type: "list.product_reference",
      __parentId: "gid://shopify/Product/1",
    });
    const text = [
      product,
      { id: "gid://shopify/ProductVariant/5", title: "Default Title", price: "89.00", availableForSale: true, selectedOptions: [{ name: "Title", value: "Default Title" }], __parentId: "gid://shopify/Product/1" },
      metafield("complementary_products", "shopify--discovery--product_recommendation", '["gid://shopify/Product/2","gid://shopify/Product/3"]', 9),
      metafield("fabric", "custom", "Linen", 10),
    ]
      .map((o) => JSON.stringify(o))
      .join("\n");
    const [p] = parseBulkJsonl(text, { file: "bulk.jsonl" }).products;
    expect(p.complementaryProducts).toEqual(["2", "3"]);
    expect(p.metafields.map((m) => m.key)).toEqual(["fabric"]);
  });

  it("GIVEN a product CSV export with the complementary-products column WHEN imported THEN the picks are read, and a product without them has none", () => {
    const header = `Handle,Title,Variant Price,Status,${COLUMN}`;
    const csv = [header, 'wrap-dress,Wrap Dress,89.00,active,"canvas-belt, straw-hat"', "canvas-belt,Canvas Belt,35.00,active,"].join("\n");
    const batch = parseShopifyCsv(csv, { file: "products.csv" });
    expect(batch.issues).toEqual([]);
    const [dress, belt] = batch.products;
    expect(dress.complementaryProducts).toEqual(["canvas-belt", "straw-hat"]);
    expect(dress.metafields).toEqual([]);
    expect(belt.complementaryProducts).toBeUndefined();
  });

  it("GIVEN Admin REST products with the metafield WHEN parsed THEN the picks are read", () => {
    const product = {
      id: 7001,
      handle: "wrap-dress",
      title: "Wrap Dress",
      status: "active",
      published_at: "2025-01-01T00:00:00Z",
      variants: [{ id: 1, price: "89.00", option1: "Default Title" }],
      options: [{ name: "Title", values: ["Default Title"] }],
      metafields: [{ namespace: "shopify--discovery--product_recommendation", key: "complementary_products", value: '["gid://shopify/Product/7002"]' }],
    };
    const [p] = parseAdminRestProducts([product], { file: "p.json" }).products;
    expect(p.complementaryProducts).toEqual(["7002"]);
    expect(p.metafields).toEqual([]);
  });
});
