import { describe, expect, it } from "vitest";
import type { CatalogPage, CatalogProduct } from "../catalog/types";
import { chunkCatalog } from "./chunk-catalog";
import { isShopperVisible } from "./visibility";

const base: CatalogProduct = {
  id: "1", handle: "a", title: "A", descriptionHtml: "", productType: "", vendor: "", tags: [], status: "active", published: true,
  options: [], variants: [], collections: [], metafields: [], images: [], url: "/products/a", updatedAt: "x", currency: null,
};
const page: CatalogPage = { id: "faq", handle: "faq", title: "FAQ", body: "Q and A.", url: "/pages/faq", published: true, updatedAt: "x" };

describe("isShopperVisible", () => {
  it("shows only active, published products and published pages", () => {
    expect(isShopperVisible(base)).toBe(true);
    expect(isShopperVisible({ ...base, status: "draft" })).toBe(false);
    expect(isShopperVisible({ ...base, status: "archived" })).toBe(false);
    expect(isShopperVisible({ ...base, published: false })).toBe(false);
    expect(isShopperVisible(page)).toBe(true);
    expect(isShopperVisible({ ...page, published: false })).toBe(false);
  });

  it("keeps drafts and unpublished items out of the chunks", () => {
    const chunks = chunkCatalog({
      products: [base, { ...base, id: "2", handle: "b", status: "draft" }, { ...base, id: "3", handle: "c", published: false }],
      pages: [page, { ...page, id: "hidden", published: false }],
      policies: [],
      documents: [],
    });
    expect([...new Set(chunks.map((c) => `${c.sourceType}:${c.sourceId}`))]).toEqual(["product:1", "page:faq"]);
  });
});
