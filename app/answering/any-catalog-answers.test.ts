import { describe, expect, it } from "vitest";
import { vocabularyOf } from "../catalog/memory-catalog";
import type { CatalogProduct } from "../catalog/types";
import { understandQuery } from "../retrieval/understand-query";
import { composeLocalAnswer } from "./local-answerer";
import { hoodie, optionShapes as catalog, pendant, phoneCase, ring, tote } from "../retrieval/sample-option-shapes";
import { productSource } from "./sample-catalog";
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

  it("reads no region from a product title that names a country", () => {
    expect(understandQuery({ question: "How long does shipping take for this?", locale: "en", productInContext: tote, ...vocab }).constraints.region).toBeUndefined();
    expect(understandQuery({ question: "Is the Made in USA Canvas Tote in stock?", locale: "en", ...vocab }).constraints.region).toBeUndefined();
    expect(understandQuery({ question: "Does the tote ship to the USA?", locale: "en", productInContext: tote, ...vocab }).constraints.region).toBe("US");
  });
});
