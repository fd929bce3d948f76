import { describe, expect, it } from "vitest";
import type { CatalogProduct } from "../../catalog/types";
import { factBasisOf, findUnbackedClaims } from "./fact-check";

function product(overrides: Partial<CatalogProduct> = {}): CatalogProduct {
  return {
    id: "101",
    handle: "harbour-knit",
    title: "Harbour Knit Jumper",
    descriptionHtml: "",
    productType: "Jumper",
    vendor: "North Loom",
    tags: ["knitwear"],
    status: "active",
    published: true,
    options: [
      { name: "Size", values: ["S", "M", "L"] },
      { name: "Colour", values: ["Navy", "Oat"] },
    ],
    variants: [{ id: "1", title: "S / Navy", sku: null, price: 89, compareAtPrice: null, available: true, inventoryQuantity: 3, options: { Size: "S", Colour: "Navy" } }],
    collections: [],
    metafields: [{ namespace: "custom", key: "material", value: "100% merino wool", label: "Material" }],
    images: [],
    url: "/products/harbour-knit",
    updatedAt: "2026-01-01T00:00:00Z",
    currency: "GBP",
    ...overrides,
  };
}

describe("findUnbackedClaims", () => {
  const basis = factBasisOf(product());

  it("accepts copy that states only the product's facts", () => {
    // GIVEN copy naming the material, a colour and a size the product has
    const copy = "<p>Knitted from 100% merino wool, in navy or oat. Size M fits most.</p>";
    // THEN nothing is unbacked
    expect(findUnbackedClaims(copy, basis)).toEqual([]);
  });

  it("catches an invented size", () => {
    const claims = findUnbackedClaims("<p>Now also in size XL for a roomier fit.</p>", basis);
    expect(claims.map((c) => [c.kind, c.text])).toEqual([["size", "XL"]]);
  });

  it("catches an invented material", () => {
    const claims = findUnbackedClaims("<p>A soft cashmere blend you will wear all winter.</p>", basis);
    expect(claims.map((c) => [c.kind, c.text])).toEqual([["material", "cashmere"]]);
    expect(claims[0].sentence).toContain("cashmere blend");
  });

  it("catches an invented number, price and day count", () => {
    const claims = findUnbackedClaims("<p>Weighs just 350 grams. Only £59 and returns within 60 days.</p>", basis);
    expect(claims.map((c) => c.kind).sort()).toEqual(["day_count", "number", "price"]);
    expect(claims.find((c) => c.kind === "number")?.text).toBe("350");
  });

  it("accepts the product's own price and a number written in its facts, in another notation", () => {
    const withWeight = factBasisOf(product({ metafields: [{ namespace: "c", key: "w", value: "0,35 kg", label: "Weight" }] }));
    expect(findUnbackedClaims("<p>£89, and only 0.35 kg.</p>", withWeight)).toEqual([]);
  });

  it("catches an invented colour, and reads German material words", () => {
    const claims = findUnbackedClaims("<p>Jetzt in Rot, aus reiner Seide.</p>", basis);
    expect(claims.map((c) => c.kind).sort()).toEqual(["colour", "material"]);
  });
});
