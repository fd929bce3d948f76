import { describe, expect, it } from "vitest";
import { vocabularyOf } from "../catalog/memory-catalog";
import type { CatalogProduct } from "../catalog/types";
import { understandQuery } from "../retrieval/understand-query";
import { composeLocalAnswer } from "./local-answerer";
import { hoodie, optionShapes as catalog, pendant, phoneCase, ring, squarePlanter, tote } from "../retrieval/sample-option-shapes";
import { policySource, productSource, sampleProduct, sampleVariant } from "./sample-catalog";
import { validateAnswer } from "./validate-answer";

const vocab = vocabularyOf(catalog);

function ask(question: string, context: CatalogProduct, locale = "en") {
  const sources = [productSource("S1", context)];
  const understanding = understandQuery({ question, locale, productInContext: context, ...vocab });
  const draft = composeLocalAnswer({
    shop: "demo",
    question,
    intent: understanding.intent,
    sources,
    locale,
    productHandle: context.handle,
    storeContact: { email: "help@shop.example" },
    storeName: "Shop",
    understanding,
  });
  return { understanding, draft, validation: validateAnswer(draft, sources) };
}

describe("availability on the product page, whatever the options are called", () => {
  it("GIVEN a ring with 'Choose Material' and 'Choose Ring Size' WHEN asked for gold THEN yes, without asking for a colour option the ring lacks", () => {
    const { draft, validation } = ask("Does this come in gold?", ring);
    expect(draft.refused).toBe(false);
    expect(draft.answer).toMatch(/^Yes — the Twisted Band Ring comes in Gold/);
    expect(draft.answer).not.toMatch(/Gold \/ Gold/);
    expect(validation).toEqual({ ok: true, problems: [] });
  });

  it("GIVEN the ring WHEN asked for gold in size 7 THEN both values meet on one variant, which is out of stock", () => {
    const { draft, validation } = ask("Is the gold one in stock in size 7?", ring);
    expect(draft.answer).toMatch(/out of stock/);
    expect(draft.answer).not.toMatch(/^No — .* doesn't come in/);
    expect(validation.ok).toBe(true);
  });

  it("GIVEN a hoodie whose 'Colors' and 'Zipper color' both hold Black WHEN asked for black THEN the variants with black in either option", () => {
    const { draft, validation } = ask("Do you have this in black?", hoodie);
    expect(draft.refused).toBe(false);
    expect(draft.answer).toMatch(/^Yes — the Harbour Zip Hoodie comes in Black/);
    expect(validation).toEqual({ ok: true, problems: [] });
  });

  it("GIVEN the hoodie WHEN asked which black one is in stock THEN a label repeating Black names the variant black on both options", () => {
    const { draft, validation } = ask("Which black ones are in stock?", hoodie);
    expect(draft.answer).toMatch(/Black \/ Silver, Grey \/ Black/);
    expect(draft.answer).toMatch(/Black \/ Black is out of stock|Black \/ Black.*out of stock/);
    expect(validation).toEqual({ ok: true, problems: [] });
  });

  it("GIVEN the hoodie WHEN asked for gold (a colour another product sells) THEN a plain no listing what it has", () => {
    const { draft, validation } = ask("Does this come in gold?", hoodie);
    expect(draft.answer).toMatch(/^No — the Harbour Zip Hoodie doesn't come in Gold\./);
    expect(validation.ok).toBe(true);
  });

  it("GIVEN sizes written with measurements WHEN asked for another product's size THEN a no about the whole value, not the 'M' inside it", () => {
    const { draft, validation } = ask("Does this come in M - Ø 45 cm - Height 40 cm?", squarePlanter);
    expect(draft.answer).toMatch(/^No — the Square Planter doesn't come in size M - Ø 45 cm - Height 40 cm\. It comes in: S - 30 x 30 cm - Height 50 cm, M - 40 x 40 cm - Height 70 cm\./);
    expect(validation).toEqual({ ok: true, problems: [] });
    expect(ask("Does this come in M?", squarePlanter).draft.answer).toMatch(/^Yes — the Square Planter comes in size M/);
  });

  it("GIVEN another product's option named 'Title' holding amounts WHEN asked for one THEN a no about that value, not a price claim", () => {
    const { understanding, draft, validation } = ask("Does this come in $4.00?", hoodie);
    expect(understanding.constraints.values.map((w) => w.value)).toEqual(["$4.00"]);
    expect(draft.answer).toBe("No — the Harbour Zip Hoodie doesn't come in $4.00. It comes in: Black, Grey, Silver, M, L. [S1]");
    expect(validation).toEqual({ ok: true, problems: [] });
  });

  it("keeps 'Galaxy S20' and 'Galaxy S20+' apart", () => {
    const plus = ask("Is it in stock for the Galaxy S20+?", phoneCase);
    expect(plus.draft.answer).toMatch(/in stock/);
    expect(plus.draft.answer).not.toMatch(/out of stock/);
    const plain = ask("Is it in stock for the Galaxy S20?", phoneCase);
    expect(plain.draft.answer).toMatch(/out of stock/);
    expect(plain.draft.answer).not.toMatch(/S20\+/);
    expect(plus.validation.ok && plain.validation.ok).toBe(true);
  });

  it("answers for a single Arabic letter as written", () => {
    const { draft, validation } = ask("Is the letter ب in stock?", pendant);
    expect(draft.answer).toMatch(/ب/);
    expect(draft.answer).toMatch(/out of stock/);
    expect(validation.ok).toBe(true);
  });
});

describe("comparisons whose values are small numbers", () => {
  const bolts = sampleProduct({ handle: "deck-bolts", title: "Deck Bolts", variants: [sampleVariant("k1", { Talla: "1", Color: "black" }, 15, true)] });
  const deck = sampleProduct({ handle: "street-deck", title: "Street Deck", variants: [sampleVariant("k2", { Talla: "8.50", Color: "black gold" }, 60, true)] });

  it.each(["en", "de", "fr", "es", "nl"])("%s: a count of variants in stock is not read as the option value '1'", (locale) => {
    const question = "Deck Bolts vs Street Deck";
    const sources = [productSource("S1", bolts), productSource("S2", deck)];
    const understanding = understandQuery({ question, locale, ...vocabularyOf([bolts, deck]) });
    expect(understanding.intent).toBe("comparison");
    const draft = composeLocalAnswer({ shop: "demo", question, intent: understanding.intent, sources, locale, storeContact: { email: "help@shop.example" }, storeName: "Shop", understanding });
    expect(draft.refused).toBe(false);
    expect(validateAnswer(draft, sources)).toEqual({ ok: true, problems: [] });
  });
});

describe("products named in the question", () => {
  it("names both products when one title is part of the other", () => {
    const u = understandQuery({ question: "Quelle est la différence entre Sunny Swimsuit et Sunny Swimsuit - Black ?", locale: "fr", ...vocab });
    expect(u.intent).toBe("comparison");
    expect(u.productHandles).toEqual(["sunny-swimsuit", "sunny-swimsuit-black"]);
    expect(understandQuery({ question: "Is the Sunny Swimsuit - Black in stock?", locale: "en", ...vocab }).productHandles).toEqual(["sunny-swimsuit-black"]);
  });
});

describe("policy questions in every widget language", () => {
  it.each([
    ["nl", "hoe lang heb ik om een solden-artikel uit België terug te sturen?"],
    ["fr", "combien de temps ai-je pour retourner un article soldé depuis la Belgique ?"],
    ["de", "Wie lange habe ich Zeit, einen reduzierten Artikel aus Belgien zurückzuschicken?"],
    ["es", "¿Cuánto tiempo tengo para devolver un artículo rebajado desde Bélgica?"],
    ["en", "How long do I have to return a sale item from Belgium?"],
  ])("%s: %s is a refund question for the EU about sale items", (locale, question) => {
    const u = understandQuery({ question, locale, ...vocab });
    expect(u).toMatchObject({ intent: "policy", policyTopic: "refund", constraints: { region: "EU", saleItems: true } });
  });

  it.each([
    ["nl", "Verzenden jullie naar Duitsland?", "shipping", "EU"],
    ["fr", "Livrez-vous au Royaume-Uni ?", "shipping", "UK"],
    ["es", "¿Hacen envíos a Estados Unidos?", "shipping", "US"],
    ["de", "Liefern Sie nach Österreich?", "shipping", "EU"],
  ])("%s: %s", (locale, question, topic, region) => {
    expect(understandQuery({ question, locale, ...vocab })).toMatchObject({ intent: "policy", policyTopic: topic, constraints: { region } });
  });

  it.each([
    ["en", "How long does shipping take?"],
    ["de", "Wie lange dauert der Versand?"],
    ["fr", "Combien de temps prend la livraison ?"],
    ["es", "¿Cuánto tarda el envío?"],
    ["nl", "Hoe lang duurt de verzending?"],
  ])("%s: '%s' is answered with the shipping policy's day count", (locale, question) => {
    const shipping = { id: "shipping", type: "shipping" as const, title: "Shipping policy", url: "/policies/shipping-policy", updatedAt: "2026-01-01T00:00:00Z", body: "Orders ship within 2 business days. Delivery takes 3-5 business days within the country." };
    const sources = [policySource("S1", shipping)];
    const understanding = understandQuery({ question, locale, ...vocab });
    const draft = composeLocalAnswer({ shop: "demo", question, intent: understanding.intent, sources, locale, storeContact: { email: "help@shop.example" }, storeName: "Shop", understanding });
    expect(draft.refused).toBe(false);
    expect(draft.answer).toMatch(/3-5 business days/);
    expect(validateAnswer(draft, sources).ok).toBe(true);
  });

  it("reads no region from a product title that names a country", () => {
    expect(understandQuery({ question: "How long does shipping take for this?", locale: "en", productInContext: tote, ...vocab }).constraints.region).toBeUndefined();
    expect(understandQuery({ question: "Is the Made in USA Canvas Tote in stock?", locale: "en", ...vocab }).constraints.region).toBeUndefined();
    expect(understandQuery({ question: "Does the tote ship to the USA?", locale: "en", productInContext: tote, ...vocab }).constraints.region).toBe("US");
  });
});

describe("what goes with the product in view, in stock in a size", () => {
  const dress = sampleProduct({ handle: "day-dress", title: "Day Dress", productType: "Dresses", variants: [sampleVariant("x1", { Size: "8" }, 70, true)] });
  const soldOutIn8 = sampleProduct({ handle: "block-heel", title: "Block Heel", productType: "Shoes", variants: [sampleVariant("y1", { "Shoe size": "8" }, 90, false), sampleVariant("y2", { "Shoe size": "9" }, 90, true)] });
  const inStockIn8 = sampleProduct({ handle: "ballet-flat", title: "Ballet Flat", productType: "Shoes", variants: [sampleVariant("z1", { "Shoe size": "8" }, 60, true)] });
  const bag = sampleProduct({ handle: "woven-bag", title: "Woven Bag", productType: "Bags", variants: [sampleVariant("b1", { Colour: "Natural" }, 40, true)] });

  it("binds the size only to items sold in that size, and never picks the product in view", () => {
    const question = "What would go with this dress that's in stock in size 8?";
    const sources = [productSource("S1", dress), productSource("S2", soldOutIn8), productSource("S3", inStockIn8), productSource("S4", bag)];
    const understanding = understandQuery({ question, locale: "en", productInContext: dress, ...vocabularyOf([dress, soldOutIn8, inStockIn8, bag]) });
    expect(understanding).toMatchObject({ intent: "recommendation", complementOf: "Dresses", constraints: { inStock: true } });
    const draft = composeLocalAnswer({ shop: "demo", question, intent: understanding.intent, sources, locale: "en", productHandle: dress.handle, storeContact: { email: "help@shop.example" }, storeName: "Shop", understanding });
    expect(draft.productHandles).toEqual(["ballet-flat", "woven-bag"]);
    expect(validateAnswer(draft, sources)).toEqual({ ok: true, problems: [] });
  });
});
