/**
 * Listing questions and complementary recommendations through the answering
 * pipeline: the catalog is read in full (no search decides what is listed), the
 * answer counts every match and names the first few, complements never repeat
 * the product in view, and the validator holds any answerer to the matches.
 */
import { describe, expect, it } from "vitest";
import { HashedWordsEmbedder } from "../../test/support/hashed-words-embedder";
import { createMemoryCatalog } from "../catalog/memory-catalog";
import type { CatalogProduct } from "../catalog/types";
import type { SearchRequest, VectorStore } from "../stores/types";
import { answerQuestionDetailed, type AnswerQuestionDeps } from "./answer-question";
import { LISTING_SHOWN } from "./catalog-sources";
import { createLocalAnswerer } from "./local-answerer";
import { buildAnswerPrompt } from "./prompt";
import { canvasBelt, espadrille, productSource, refundPolicy, sampleProduct, sampleVariant, wrapDress } from "./sample-catalog";
import type { AnswerRequest, Answerer, DraftAnswer } from "./types";
import { validateAnswer } from "./validate-answer";

/** Fourteen dresses; ten have a size 8 in stock. */
const dresses = Array.from({ length: 14 }, (_, i) =>
  sampleProduct({
    handle: `dress-${String(i).padStart(2, "0")}`,
    title: `Dress ${String(i).padStart(2, "0")}`,
    productType: "Dresses",
    tags: ["summer"],
    variants: [sampleVariant(`d${i}-6`, { Size: "6" }, 70, true), sampleVariant(`d${i}-8`, { Size: "8" }, 80, i >= 4)],
  }),
);
const scarf = sampleProduct({ handle: "scarf", title: "Linen Scarf", productType: "Accessories", tags: ["summer"], variants: [sampleVariant("sc", { Color: "Sand" }, 25, true)] });
const summer = (p: CatalogProduct) => ({ ...p, tags: ["summer"] });
const filler = Array.from({ length: 20 }, (_, i) => sampleProduct({ handle: `mug-${i}`, title: `Mug ${i}`, productType: "Mugs", tags: ["kitchen"], variants: [sampleVariant(`m${i}`, {}, 18, true)] }));
const products = [...dresses, summer(wrapDress), summer(canvasBelt), summer(espadrille), scarf, ...filler];

const searches: SearchRequest[] = [];
const store = {
  indexName: "recording",
  async search(_shop: string, request: SearchRequest) {
    searches.push(request);
    return [];
  },
} as unknown as VectorStore;
const embedder = new HashedWordsEmbedder("hashed", 16);

function depsWith(answerer: Answerer): AnswerQuestionDeps {
  const catalog = createMemoryCatalog({ shop: { products, policies: [refundPolicy] } });
  return {
    store,
    embedder,
    catalog,
    answerer,
    shopProfile: async () => ({ name: "Northwind", contactEmail: "help@northwind.example", currency: "USD" }),
    vocabulary: (s) => catalog.vocabulary(s),
  };
}

const ask = (question: string, opts: { locale?: string; productHandle?: string; answerer?: Answerer } = {}) =>
  answerQuestionDetailed(depsWith(opts.answerer ?? createLocalAnswerer()), { shop: "shop", question, locale: opts.locale ?? "en", productHandle: opts.productHandle });

/** Returns the scripted drafts in turn. */
class ScriptedAnswerer implements Answerer {
  readonly id = "scripted";
  readonly seen: AnswerRequest[] = [];
  constructor(private readonly drafts: Omit<DraftAnswer, "usage" | "refused">[]) {}
  async answer(request: AnswerRequest): Promise<DraftAnswer> {
    this.seen.push(request);
    const d = this.drafts[Math.min(this.seen.length - 1, this.drafts.length - 1)];
    return { ...d, refused: false, usage: { model: this.id, inputTokens: 0, outputTokens: 0 } };
  }
}

describe("listing questions", () => {
  it("answers 'which of your dresses can I buy in a size 8 right now' with every match counted and the first few named, read from the catalog", async () => {
    searches.length = 0;
    embedder.calls = 0;
    const out = await ask("Which of your dresses can I buy in a size 8 right now?");
    const expected = dresses.slice(4).map((d) => d.handle);
    expect(out.result.intent).toBe("listing");
    expect(out.result.refused).toBe(false);
    expect(out.result.matches).toEqual({ total: 10, handles: expected });
    expect(out.result.answer).toContain(`I found 10 products in stock in size 8 among the Dresses; here are the first ${LISTING_SHOWN}:`);
    expect(out.result.answer).toContain("- Dress 04 — $80.00, in stock in 8. [S1]");
    expect(out.result.products.map((p) => p.handle)).toEqual(expected.slice(0, LISTING_SHOWN));
    expect(out.result.citations).toHaveLength(LISTING_SHOWN);
    expect(out.validation).toEqual({ ok: true, problems: [] });
    // What is listed is the catalog's, not what a search happened to rank.
    expect(searches).toEqual([]);
    expect(embedder.calls).toBe(0);
  });

  it("says plainly when nothing meets the constraints, without refusing", async () => {
    const out = await ask("Which of your dresses come in size 20?");
    expect(out.result.matches).toEqual({ total: 0, handles: [] });
    expect(out.result.refused).toBe(false);
    expect(out.result.answer).toBe("I found no product in size 20 among the Dresses in the store's catalog.");
    expect(out.validation.ok).toBe(true);
  });

  it.each(["en", "de", "fr", "es", "nl"])("answers a listing in %s, and the answer passes the validator", async (locale) => {
    const out = await ask("Which of your dresses can I buy in a size 8 right now?", { locale });
    expect(out.result.matches?.total).toBe(10);
    expect(out.result.answer).toMatch(/\b10\b/);
    expect(out.attemptValidations[0]).toEqual({ ok: true, problems: [] });
  });

  it("holds a model's listing to the catalog: a product outside the matches or a wrong count is sent back", async () => {
    const answerer = new ScriptedAnswerer([
      { answer: "We have 12 dresses in size 8, such as Dress 00 [S1].", citationIds: ["S1"], productHandles: ["dress-00"] },
      { answer: "10 dresses are in stock in size 8, for example Dress 04 and Dress 05. [S1] [S2]", citationIds: ["S1", "S2"], productHandles: ["dress-04", "dress-05"] },
    ]);
    const out = await ask("Which of your dresses can I buy in a size 8 right now?", { answerer });
    expect(out.attempts).toBe(2);
    expect(out.attemptValidations[0].problems.map((p) => p.code).sort()).toEqual(["unmatched_product", "wrong_count"]);
    expect(answerer.seen[0].matches?.total).toBe(10);
    expect(out.result.answer).toContain("10 dresses");
    expect(out.result.matches?.total).toBe(10);
  });
});

describe("complementary recommendations", () => {
  it("answers 'what would go with this dress that's in stock in size 8' with other kinds of products, in stock in 8 where they have sizes, never the dress", async () => {
    const out = await ask("What would go with this dress that's in stock in size 8?", { productHandle: wrapDress.handle });
    expect(out.result.intent).toBe("recommendation");
    expect(out.result.matches?.handles.sort()).toEqual(["scarf", "woven-canvas-belt"]);
    expect(out.result.answer).toContain("To go with the Linen Wrap Dress, here are 2 options in stock:");
    expect(out.result.answer).toContain("Woven Canvas Belt — $35.00, in stock in 8.");
    expect(out.result.answer).not.toContain("Espadrille");
    expect(out.result.products.map((p) => p.handle)).not.toContain(wrapDress.handle);
    expect(out.result.citations.map((c) => c.title)).not.toContain(wrapDress.title);
    expect(out.validation).toEqual({ ok: true, problems: [] });
  });

  it.each([
    ["de", "Was passt zu diesem Kleid in Größe 8?", "Zu Linen Wrap Dress passen diese 2 Optionen"],
    ["fr", "Qu'est-ce qui va avec cette robe en taille 8 ?", "Pour aller avec Linen Wrap Dress, voici 2 options"],
    ["es", "¿Qué combina con este vestido en talla 8?", "Para combinar con Linen Wrap Dress, aquí tienes 2 opciones"],
    ["nl", "Wat past bij deze jurk in maat 8?", "Bij Linen Wrap Dress passen deze 2 opties"],
  ])("recommends complements in %s", async (locale, question, opening) => {
    const out = await ask(question, { locale, productHandle: wrapDress.handle });
    expect(out.result.answer).toContain(opening);
    expect(out.result.matches?.handles).not.toContain(wrapDress.handle);
    expect(out.validation.ok).toBe(true);
  });

  it.each([
    ["en", "What would go with this dress that's in stock in size 8?", "Which product do you mean?"],
    ["de", "Was passt zu diesem Kleid in Größe 8?", "Welches Produkt meinen Sie?"],
    ["fr", "Qu'est-ce qui va avec cette robe en taille 8 ?", "De quel produit parlez-vous"],
    ["es", "¿Qué combina con este vestido en talla 8?", "¿A qué producto te refieres?"],
    ["nl", "Wat past bij deze jurk in maat 8?", "Welk product bedoelt u?"],
  ])("with no product in view asks which product to match in %s, for any answerer, instead of listing dresses", async (locale, question, clarification) => {
    const answerer = new ScriptedAnswerer([{ answer: "Dress 04 [S1]", citationIds: ["S1"], productHandles: ["dress-04"] }]);
    const out = await ask(question, { locale, answerer });
    expect(out.result.refused).toBe(true);
    expect(out.result.answer).toContain(clarification);
    expect(out.result.products).toEqual([]);
    expect(out.result.matches).toBeUndefined();
    expect(answerer.seen).toHaveLength(0);
  });

  it("rejects a model's complement that recommends the product in view", async () => {
    const answerer = new ScriptedAnswerer([{ answer: "The Linen Wrap Dress itself goes with everything. [S3]", citationIds: ["S3"], productHandles: [wrapDress.handle] }]);
    const out = await ask("What goes with this dress?", { productHandle: wrapDress.handle, answerer });
    expect(out.attemptValidations[0].problems.map((p) => p.code)).toContain("unmatched_product");
    expect(out.fellBack).toBe(true);
  });
});

describe("the validator and the prompt for catalog-wide answers", () => {
  const sources = [productSource("S1", dresses[4]), productSource("S2", dresses[5])];
  const expected = { matches: { total: 10, handles: dresses.slice(4).map((d) => d.handle) } };

  it("accepts a correct listing and counts written next to a size as sizes", () => {
    const draft = { answer: "10 dresses are in stock in size 8, among them Dress 04 [S1] and Dress 05 [S2].", citationIds: ["S1", "S2"], productHandles: ["dress-04", "dress-05"], refused: false };
    expect(validateAnswer(draft, sources, expected)).toEqual({ ok: true, problems: [] });
  });

  it("reads a count that contains a size's digits as a count (size 8 is not inside '18 dresses')", () => {
    const eighteen = { matches: { total: 18, handles: expected.matches.handles } };
    const draft = { answer: "I found 18 dresses in stock in size 8; here are the first 2: Dress 04 [S1] and Dress 05 [S2].", citationIds: ["S1", "S2"], productHandles: ["dress-04", "dress-05"], refused: false };
    expect(validateAnswer(draft, sources, eighteen)).toEqual({ ok: true, problems: [] });
    expect(validateAnswer({ ...draft, answer: draft.answer.replace("18", "13") }, sources, eighteen).problems.map((p) => p.code)).toEqual(["wrong_count"]);
  });

  it("rejects a count other than the catalog's and a product that does not match", () => {
    const wrongCount = { answer: "We have 3 products in size 8: Dress 04 [S1].", citationIds: ["S1"], productHandles: ["dress-04"], refused: false };
    expect(validateAnswer(wrongCount, sources, expected).problems.map((p) => p.code)).toEqual(["wrong_count"]);
    const outsider = { answer: "Dress 04 [S1] and Dress 00.", citationIds: ["S1"], productHandles: ["dress-04", "dress-00"], refused: false };
    expect(validateAnswer(outsider, sources, expected).problems.map((p) => p.code)).toEqual(["unmatched_product"]);
  });

  it("tells the model how many products match and that the product in view is never a pick", () => {
    const base: AnswerRequest = { shop: "s", question: "which dresses in size 8?", intent: "listing", sources, locale: "en", storeContact: {}, matches: expected.matches };
    const listing = buildAnswerPrompt(base, { storeName: "Northwind" }).messages[1].content;
    expect(listing).toContain("Exactly 10 products of the catalog meet the conditions; the sources are the first 2.");
    const complement = buildAnswerPrompt(
      {
        ...base,
        intent: "recommendation",
        sources: [productSource("S1", canvasBelt), productSource("S2", wrapDress)],
        matches: { total: 1, handles: [canvasBelt.handle] },
        understanding: { intent: "recommendation", filters: {}, constraints: { values: [] }, productHandles: [wrapDress.handle], searchText: "", complementFor: wrapDress.handle },
      },
      { storeName: "Northwind" },
    ).messages[1].content;
    expect(complement).toContain('what goes with "Linen Wrap Dress" (source S2)');
    expect(complement).toContain("never recommend the product in view itself");
  });
});
