import { describe, expect, it } from "vitest";
import { canvasBelt, espadrille, rainShell, sampleProduct, sampleVariant, wrapDress } from "../answering/sample-catalog";
import { vocabularyOf } from "../catalog/memory-catalog";
import type { CatalogProduct } from "../catalog/types";
import { complementMatches, listingMatches } from "./catalog-matches";
import { understandQuery } from "./understand-query";

/** Twelve dresses: more than any search would hand the answerer, so a listing must read the catalog. */
const dresses = Array.from({ length: 12 }, (_, i) =>
  sampleProduct({
    handle: `dress-${String(i).padStart(2, "0")}`,
    title: `Dress ${String(i).padStart(2, "0")}`,
    productType: "Dresses",
    // Every third dress has no size 8; every fourth has its 8 sold out.
    variants: [
      sampleVariant(`d${i}-6`, { Size: "6" }, 80 + i, true),
      ...(i % 3 === 0 ? [] : [sampleVariant(`d${i}-8`, { Size: "8" }, 80 + i, i % 4 !== 0)]),
    ],
  }),
);

const understand = (question: string, products: CatalogProduct[], context?: CatalogProduct) =>
  understandQuery({ question, locale: "en", productInContext: context, ...vocabularyOf(products) });

describe("listingMatches", () => {
  it("covers every product of the catalog meeting the constraints, not only the first few", () => {
    const catalog = [...dresses, rainShell, canvasBelt];
    const question = "Which of your dresses can I buy in a size 8 right now?";
    const found = listingMatches(catalog, understand(question, catalog), question);
    const expected = dresses.filter((_, i) => i % 3 !== 0 && i % 4 !== 0).map((d) => d.handle);
    expect(found.map((m) => m.product.handle).sort()).toEqual(expected);
    expect(found.length).toBe(6);
    // The matching variants are the in-stock 8s only.
    expect(found.every((m) => m.variants.every((v) => v.options.Size === "8" && v.available))).toBe(true);
  });

  it("without 'right now' a sold-out 8 still counts as coming in 8, listed after those in stock", () => {
    const catalog = dresses;
    const question = "Which of your dresses come in a size 8?";
    const found = listingMatches(catalog, understand(question, catalog), question);
    expect(found).toHaveLength(8);
    expect(found.at(-1)?.variants.some((v) => v.available)).toBe(false);
  });

  it("reads an attribute from the merchant's labels (tags, facts), never from a description that only mentions it", () => {
    const shell = sampleProduct({ ...rainShell, handle: "shell", title: "Storm Shell", tags: ["waterproof"], variants: [sampleVariant("s1", { Size: "M" }, 189, true)] });
    const coated = sampleProduct({
      handle: "coated",
      title: "Coated Jacket",
      productType: "Jackets",
      metafields: [{ namespace: "custom", key: "material", value: "Nylon with a waterproof coating", label: "Material" }],
      variants: [sampleVariant("c1", { Size: "M" }, 120, true)],
    });
    const waxed = sampleProduct({
      handle: "waxed",
      title: "Waxed Jacket",
      productType: "Jackets",
      descriptionHtml: "<p>Showerproof rather than fully waterproof.</p>",
      variants: [sampleVariant("w1", { Size: "M" }, 150, true)],
    });
    const pricey = sampleProduct({ handle: "pricey", title: "Expedition Shell", productType: "Jackets", tags: ["waterproof"], variants: [sampleVariant("p1", { Size: "M" }, 420, true)] });
    const boot = sampleProduct({ handle: "boot", title: "Rain Boot", productType: "Boots", tags: ["waterproof"], variants: [sampleVariant("b1", { Size: "8" }, 85, true)] });
    const catalog = [shell, coated, waxed, pricey, boot];
    const question = "all waterproof jackets under $200";
    const found = listingMatches(catalog, understand(question, catalog), question);
    expect(found.map((m) => m.product.handle)).toEqual(["coated", "shell"]);
  });

  it("reads no attribute from the grammar of a question in another language", () => {
    const plant = sampleProduct({ handle: "olive", title: "Olivier à planter", productType: "Plantes", tags: ["puis", "extérieur"], variants: [sampleVariant("o1", {}, 20, true)] });
    const other = sampleProduct({ handle: "fig", title: "Figuier", productType: "Plantes", variants: [sampleVariant("f1", {}, 24, true)] });
    const catalog = [plant, other];
    const question = "Quels Plantes à moins de 26 puis-je acheter maintenant ?";
    expect(listingMatches(catalog, understand(question, catalog), question).map((m) => m.product.handle)).toEqual(["fig", "olive"]);
  });

  it("matches a value only where the product's own options hold it, whatever the option is called", () => {
    const ring = sampleProduct({ handle: "ring", title: "Band Ring", productType: "Rings", variants: [sampleVariant("r1", { "Choose Ring Size": "8", "Choose Material": "Gold" }, 60, true)] });
    const silver = sampleProduct({ handle: "silver", title: "Silver Ring", productType: "Rings", variants: [sampleVariant("r2", { "Choose Ring Size": "8", "Choose Material": "Silver" }, 40, true)] });
    const catalog = [ring, silver];
    const question = "which rings do you have in gold in size 8?";
    const found = listingMatches(catalog, understand(question, catalog), question);
    expect(found.map((m) => m.product.handle)).toEqual(["ring"]);
  });
});

describe("complementMatches", () => {
  const scarf = sampleProduct({ handle: "scarf", title: "Linen Scarf", productType: "Accessories", variants: [sampleVariant("sc", { Color: "Sand" }, 25, true)] });
  const dress2 = sampleProduct({ handle: "dress-two", title: "Shirt Dress", productType: "Dresses", variants: [sampleVariant("x8", { Size: "8" }, 99, true)] });
  const soldOutHat = sampleProduct({ handle: "hat", title: "Straw Hat", productType: "Hats", variants: [sampleVariant("h", { Color: "Sand" }, 30, false)] });
  const tagged = (p: CatalogProduct) => ({ ...p, tags: ["summer"], collections: ["Summer edit"] });
  const unrelated = sampleProduct({ handle: "mug", title: "Stoneware Mug", productType: "Mugs", tags: ["kitchen"], variants: [sampleVariant("m", {}, 18, true)] });
  const filler = Array.from({ length: 6 }, (_, i) => sampleProduct({ handle: `filler-${i}`, title: `Filler ${i}`, productType: "Other", tags: ["kitchen"], variants: [sampleVariant(`f${i}`, {}, 10, true)] }));

  it("picks products of other types sharing the dress's labels, in stock, in size 8 where they have sizes; never the dress itself", () => {
    const dress = tagged(wrapDress);
    const catalog = [dress, tagged(dress2), tagged(canvasBelt), tagged(espadrille), tagged(scarf), tagged(soldOutHat), unrelated, ...filler];
    const u = understand("What would go with this dress that's in stock in size 8?", catalog, dress);
    const found = complementMatches(catalog, dress, u).map((m) => m.product.handle);
    // The belt has an 8 in stock; the scarf has no sizes, so size 8 does not rule it out.
    // Out: the dress itself, another dress, the espadrille (its 8 is sold out), the sold-out hat, the unrelated mug.
    expect(found.sort()).toEqual(["scarf", "woven-canvas-belt"]);
  });

  it("uses the merchant's own complementary products when set, in their order, still only what can be bought", () => {
    const dress = { ...wrapDress, complementaryProducts: ["gid-canvas-espadrille", "scarf", "gid-woven-canvas-belt", "gid-linen-wrap-dress"] };
    const catalog = [dress, canvasBelt, espadrille, scarf, tagged(soldOutHat), ...filler];
    const u = understand("what goes with this?", catalog, dress);
    expect(complementMatches(catalog, dress, u).map((m) => m.product.handle)).toEqual(["canvas-espadrille", "scarf", "woven-canvas-belt"]);
    const in8 = understand("what goes with this in size 8 in stock?", catalog, dress);
    expect(complementMatches(catalog, dress, in8).map((m) => m.product.handle)).toEqual(["scarf", "woven-canvas-belt"]);
  });

  it("keeps to the department when the catalog has categories: no cushion for a dress", () => {
    const dress = { ...tagged(wrapDress), category: "Apparel > Clothing > Dresses" };
    const cushion = { ...tagged(scarf), handle: "cushion", title: "Linen Cushion", productType: "Cushions", category: "Home > Decor > Pillows" };
    const sandal = { ...tagged(scarf), handle: "sandal", title: "Sandal", productType: "Sandals", category: "Apparel > Shoes > Sandals" };
    const catalog = [dress, cushion, sandal, ...filler];
    const u = understand("what goes with this?", catalog, dress);
    expect(complementMatches(catalog, dress, u).map((m) => m.product.handle)).toEqual(["sandal"]);
  });
});
