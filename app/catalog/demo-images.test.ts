import { describe, expect, it } from "vitest";
import { demoImagePath, parseDemoImageName, withDemoImages, withDemoStoreImages } from "./demo-images";
import { createEmptyBatch } from "./batch";
import type { CatalogProduct } from "./types";

function product(urls: string[]): CatalogProduct {
  return {
    id: "p1", handle: "ridgeline-rain-shell", title: "Ridgeline Rain Shell", descriptionHtml: "", productType: "Jackets", vendor: "", tags: [],
    status: "active", published: true, options: [], variants: [], collections: [], metafields: [],
    images: urls.map((url) => ({ url, altText: "alt" })), url: "/products/ridgeline-rain-shell", updatedAt: "2026-01-01T00:00:00Z", currency: "USD",
  };
}

describe("demoImagePath", () => {
  it("turns the demo host's photos into the app's generated images", () => {
    expect(demoImagePath("https://images.harborandheath.example/products/ridgeline-rain-shell-1.jpg")).toBe("/demo-images/ridgeline-rain-shell-1.svg");
    expect(demoImagePath("https://images.harborandheath.example/products/stoneware-mug-02.png")).toBe("/demo-images/stoneware-mug-2.svg");
  });

  it.each([
    "https://cdn.shopify.com/s/files/1/0001/products/ridgeline-rain-shell-1.jpg",
    "http://images.harborandheath.example/products/ridgeline-rain-shell-1.jpg",
    "https://images.harborandheath.example.evil.test/products/ridgeline-rain-shell-1.jpg",
    "https://images.harborandheath.example/products/../admin-1.jpg",
    "https://images.harborandheath.example/products/Ridgeline-1.jpg?x=1",
    "/demo-images/ridgeline-rain-shell-1.svg",
  ])("leaves %s alone", (url) => {
    expect(demoImagePath(url)).toBeNull();
  });
});

describe("parseDemoImageName", () => {
  it("reads handle and position, and nothing that is not a generated image's name", () => {
    expect(parseDemoImageName("everyday-straight-leg-trousers-petite-2.svg")).toEqual({ handle: "everyday-straight-leg-trousers-petite", position: 2 });
    for (const name of ["x.svg", "a-0.svg", "../a-1.svg", "a-1.svg.js", "A-1.svg", "a-1.jpg", "a-123.svg"]) expect(parseDemoImageName(name), name).toBeNull();
  });
});

describe("withDemoStoreImages", () => {
  it("rewrites only the demo host's URLs and keeps every other product as it was", () => {
    const mixed = product(["https://images.harborandheath.example/products/ridgeline-rain-shell-1.jpg", "https://cdn.shopify.com/a.jpg"]);
    const merchant = product(["https://cdn.shopify.com/b.jpg"]);
    const batch = withDemoStoreImages({ ...createEmptyBatch(), products: [mixed, merchant] });
    expect(batch.products[0].images).toEqual([
      { url: "/demo-images/ridgeline-rain-shell-1.svg", altText: "alt" },
      { url: "https://cdn.shopify.com/a.jpg", altText: "alt" },
    ]);
    expect(batch.products[1]).toBe(merchant);
    expect(withDemoImages(merchant)).toBe(merchant);
    // The input batch is not changed in place.
    expect(mixed.images[0].url).toContain("harborandheath.example");
  });
});
