import { describe, expect, it } from "vitest";
import { sampleProduct, sampleVariant } from "../answering/sample-catalog";
import { applicableWishes, compareValue, findValue, matchingVariants, productSatisfies, variantsMeetingHeld, wishAppliesTo, wishesFromQuestion } from "./product-match";
import { sizedDress as dress, hoodie, optionShapes as catalog, pendant as letters, phoneCase as cases, ring, tee } from "./sample-option-shapes";

const knownOptions: Record<string, string[]> = {};
for (const p of catalog) for (const o of p.options) knownOptions[o.name] = [...new Set([...(knownOptions[o.name] ?? []), ...o.values])];

const wishes = (q: string, productTitles: string[] = []) => wishesFromQuestion(q, { knownOptions, productTitles });
const ids = (vs: { id: string }[]) => vs.map((v) => v.id);

describe("wishes belong to each product's own options", () => {
  it("GIVEN a ring whose options are 'Choose Material' and 'Choose Ring Size' WHEN asked for Gold THEN its Gold variants match, with no colour option required", () => {
    const w = wishes("Does the Twisted Band Ring come in gold?", [ring.title]);
    expect(w.values.map((v) => v.value)).toEqual(["Gold"]);
    expect(ids(matchingVariants(ring, w))).toEqual(["r1", "r2"]);
    expect(ids(matchingVariants(tee, w))).toEqual(["t1"]);
  });

  it("GIVEN a hoodie with 'Colors', 'Zipper color' and 'Size' WHEN asked for black THEN any variant with black in any of its options matches", () => {
    const w = wishes("is this available in black?");
    expect(ids(matchingVariants(hoodie, w))).toEqual(["h1", "h2", "h3"]);
    expect(ids(matchingVariants(hoodie, { ...w, inStock: true }))).toEqual(["h1", "h2"]);
  });

  it("variantsMeetingHeld gives what matchingVariants gives on the wishes the product holds, for every option shape", () => {
    for (const q of ["do you have it in black in size L?", "in gold, in stock", "size 8 under $100", "Does it come in S20+?"]) {
      const w = wishes(q);
      for (const p of catalog) expect(ids(variantsMeetingHeld(p, w))).toEqual(ids(matchingVariants(p, applicableWishes(p, w))));
    }
  });

  it("combines several values with AND on one variant, across differently named options", () => {
    const w = wishes("do you have it in black in size L?");
    expect(w.values.map((v) => v.value).sort()).toEqual(["Black", "L"]);
    expect(ids(matchingVariants(hoodie, w))).toEqual(["h3"]);
    expect(productSatisfies(hoodie, w, { inStock: true })).toBe(false);
    expect(ids(matchingVariants(ring, wishes("gold in size 6")))).toEqual(["r1"]);
  });

  it("says a missing value is a real no only where the product has an option of that kind", () => {
    const gold = wishes("in gold?").values[0];
    expect(wishAppliesTo(hoodie, gold)).toBe(false);
    expect(wishAppliesTo(ring, gold)).toBe(true);
    const size14 = wishes("in size 14?").values[0];
    expect(size14).toMatchObject({ value: "14", size: true });
    expect(wishAppliesTo(ring, size14)).toBe(true);
    expect(wishAppliesTo(sampleProduct({ handle: "gift-card", title: "Gift Card", variants: [sampleVariant("g", {}, 10, true)] }), size14)).toBe(false);
  });
});

describe("values compared without dropping characters, in any script", () => {
  it("keeps 'S20' and 'S20+' apart, in the question and on the product", () => {
    expect(compareValue("Galaxy S20+", "Galaxy S20")).toBe("none");
    expect(findValue("Is there one for the Galaxy S20+?", "Galaxy S20")).toBeUndefined();
    expect(ids(matchingVariants(cases, wishes("Is there one for the Galaxy S20+?")))).toEqual(["c2"]);
    expect(ids(matchingVariants(cases, wishes("Is there one for the Galaxy S20?")))).toEqual(["c1"]);
  });

  it("reads a single Arabic letter as the value it is and matches only that variant", () => {
    const w = wishes("Do you have the pendant with the letter ب?");
    expect(w.values.map((v) => v.value)).toEqual(["ب"]);
    expect(ids(matchingVariants(letters, w))).toEqual(["l1"]);
    expect(productSatisfies(letters, wishes("letter ب in stock"), {})).toBe(false);
    expect(productSatisfies(letters, wishes("letter ج in stock"), {})).toBe(true);
  });

  it("folds case and compatibility forms (full-width letters, ß) before comparing", () => {
    expect(compareValue("ＧＯＬＤ", "gold")).toBe("exact");
    expect(compareValue("Weiß", "WEISS")).toBe("exact");
  });
});

describe("sizes as the store writes them", () => {
  it("matches '8' to 'UK 8 / EU 36' and '38' to 'UK 10 / EU 38', never '8' to '38'", () => {
    expect(ids(matchingVariants(dress, wishes("does it come in size 8?")))).toEqual(["d1"]);
    expect(ids(matchingVariants(dress, wishes("maat 38?")))).toEqual(["d2"]);
    expect(compareValue("EU 38", "8")).toBe("none");
  });

  it("reads 'tall sizes' as every value holding the word Tall", () => {
    const w = wishes("does it come in tall sizes?");
    expect(w.values).toMatchObject([{ value: "Tall", group: true }]);
    expect(ids(matchingVariants(dress, w))).toEqual(["d3", "d4"]);
  });

  it("does not read numbers of days or a product's own title as option values", () => {
    expect(wishes("can I return it within 8 days?").values).toEqual([]);
    expect(wishes("tell me about the Gold Hoops", ["Gold Hoops"]).values).toEqual([]);
  });
});

describe("price and stock", () => {
  it.each([
    ["anything under $50 in stock?", { priceMax: 50, inStock: true }],
    ["zwischen 20 und 50 € auf Lager", { priceMin: 20, priceMax: 50, inStock: true }],
    ["moins de 30 euros", { priceMax: 30 }],
    ["which dresses can I buy in size 8 right now?", { inStock: true }],
    // Amounts as stores format them: thousands separators, any currency sign before or after, a full stop after.
    ["Which products under ₹14,001 can I buy right now?", { priceMax: 14001, inStock: true }],
    ["Quels produits à moins de 14\u202f001 ₹ puis-je acheter maintenant ?", { priceMax: 14001 }],
    ["Welche Kleider unter 1.299 € gibt es?", { priceMax: 1299 }],
    ["Welche Kleider unter 49,50 € gibt es?", { priceMax: 49.5 }],
    ["anything under $200.", { priceMax: 200 }],
    ["anything under 500 ₺?", { priceMax: 500 }],
    ["zwischen 1.000 und 2.500 €", { priceMin: 1000, priceMax: 2500 }],
    ["Kleider unter 50 mit Taschen", { priceMax: 50 }],
    ["under 50 ml", {}],
  ])("%s", (q, expected) => {
    const { values: _values, ...rest } = wishes(q);
    expect(rest).toEqual(expected);
  });
});

describe("words that are not choices", () => {
  it("does not read a value spelled 'Size' as a wish when the shopper asks for a size", () => {
    const w = wishesFromQuestion("in stock in size 95x155cm?", { knownOptions: { Title: ["Size", "Colour"], Dimensions: ["95x155cm", "120x200cm"] } });
    expect(w.values.map((v) => v.value)).toEqual(["95x155cm"]);
  });

  it("does not read the word 'size' as a group when several values of an option contain it", () => {
    // GIVEN a shop whose lumbar pillow sizes read "Small Size 60 X45cm" and "Large Size 70x50cm"
    const knownOptions = { Size: ["Small Size 60 X45cm", "Large Size 70x50cm", "51x91CM A pair", "51x66cm A pair"], Color: ["White"] };

    // WHEN a shopper asks for one size of a pillowcase, or for a size the shop does not sell
    const pair = wishesFromQuestion("Does this come in size 51x91CM A pair?", { knownOptions });
    const unsold = wishesFromQuestion("Does this come in size 60X50cm?", { knownOptions });

    // THEN the asked size alone is the wish, and "size" never becomes a group that no variant holds
    expect(pair.values.map((v) => ({ value: v.value, group: v.group }))).toEqual([{ value: "51x91CM A pair", group: false }]);
    expect(unsold.values.map((v) => v.value.toLowerCase())).toEqual(["60x50cm"]);
    expect(unsold.values.some((v) => v.group)).toBe(false);
  });
});

describe("scripts written without spaces", () => {
  it("finds a Chinese or Japanese value inside a question with no spaces", () => {
    const knownOptions = { 颜色: ["黑色", "白色"], カラー: ["ネイビー"] };
    expect(wishesFromQuestion("这个有黑色吗？", { knownOptions }).values.map((v) => v.value)).toEqual(["黑色"]);
    expect(wishesFromQuestion("ネイビーはありますか", { knownOptions }).values.map((v) => v.value)).toEqual(["ネイビー"]);
  });
});
