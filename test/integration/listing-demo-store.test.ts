/**
 * The seed's catalog-wide questions on the demo store through the real pipeline:
 * CSV import, chunking, the built-in embedding model, an sqlite-vec index, the
 * local answerer and the validator. GIVEN the demo store indexed, WHEN a shopper
 * asks which dresses they can buy in size 8 now, for all waterproof jackets under
 * $200, or what goes with the dress they are looking at, THEN every answer is
 * read from the whole catalog, counted, cited and valid.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerQuestion, answerQuestionDetailed, type AnswerQuestionDeps } from "../../app/answering/answer-question";
import { loadCatalogFiles } from "../../app/catalog/load-files";
import type { CatalogBatch, CatalogProduct } from "../../app/catalog/types";
import type { VectorStore } from "../../app/stores/types";
import { localPipeline } from "../support/local-pipeline";

const demoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../demo-store");
const SHOP = "groundwork-demo.myshopify.com";

describe.skipIf(!existsSync(demoDir))("listings and complements on the demo store", () => {
  let store: VectorStore;
  let deps: AnswerQuestionDeps;
  let visible: CatalogProduct[];

  beforeAll(async () => {
    const batch: CatalogBatch = await loadCatalogFiles([demoDir]);
    visible = batch.products.filter((p) => p.status === "active" && p.published);
    ({ deps, store } = await localPipeline(SHOP, batch, { name: "Groundwork Demo", contactEmail: "help@demo.example", currency: "USD" }));
  });

  afterAll(async () => {
    await store?.close();
  });

  /** Counted independently from the catalog: dresses with a size-8 variant in stock. */
  const dressesIn8Now = () =>
    visible
      .filter((p) => p.productType === "Dresses" && p.variants.some((v) => v.available && Object.values(v.options).includes("8")))
      .map((p) => p.handle)
      .sort();

  it("lists every dress that can be bought in size 8 right now, instead of asking which product", async () => {
    const out = await answerQuestionDetailed(deps, { shop: SHOP, question: "Which of your dresses can I buy in a size 8 right now?", locale: "en" });
    expect(out.result.intent).toBe("listing");
    expect(out.result.answer).not.toContain("Which product do you mean");
    expect([...(out.result.matches?.handles ?? [])].sort()).toEqual(dressesIn8Now());
    expect(out.result.matches?.total).toBe(dressesIn8Now().length);
    expect(out.result.answer).toContain(`I found ${dressesIn8Now().length} products in stock in size 8 among the Dresses`);
    expect(out.result.citations.length).toBe(out.result.products.length);
    expect(out.validation.ok).toBe(true);
  });

  it("lists all waterproof jackets under $200: labelled waterproof by the merchant, not merely mentioned in a description", async () => {
    const out = await answerQuestion(deps, { shop: SHOP, question: "all waterproof jackets under $200", locale: "en" });
    expect(out.matches?.handles.sort()).toEqual(["harbor-packable-rain-jacket", "ridgeline-rain-shell"]);
    // The waxed jacket's description says it is showerproof "rather than fully waterproof".
    expect(out.matches?.handles).not.toContain("quay-waxed-cotton-jacket");
    expect(out.answer).toContain("Ridgeline Rain Shell — $189.00.");
  });

  it("recommends what goes with the dress in view: other kinds of product, in stock in size 8 where they have sizes, never the dress", async () => {
    const dress = visible.find((p) => p.handle === "rowan-wrap-midi-dress") as CatalogProduct;
    const out = await answerQuestionDetailed(deps, { shop: SHOP, question: "What would go with this dress that's in stock in size 8?", locale: "en", productHandle: dress.handle });
    const picks = out.result.matches?.handles ?? [];
    expect(picks.length).toBeGreaterThan(0);
    expect(picks).not.toContain(dress.handle);
    for (const handle of picks) {
      const p = visible.find((x) => x.handle === handle) as CatalogProduct;
      expect(p.productType).not.toBe("Dresses");
      const has8 = p.variants.some((v) => Object.values(v.options).includes("8"));
      expect(p.variants.some((v) => v.available && (!has8 || Object.values(v.options).includes("8")))).toBe(true);
    }
    expect(out.result.answer).toContain("To go with the Rowan Wrap Midi Dress");
    expect(out.result.products.map((c) => c.handle)).toEqual(picks);
    expect(out.validation.ok).toBe(true);
  });

  it("answers the same asks in German", async () => {
    const out = await answerQuestion(deps, { shop: SHOP, question: "Was passt zu diesem Kleid und ist in Größe 8 auf Lager?", locale: "de", productHandle: "rowan-wrap-midi-dress" });
    expect(out.answer).toContain("Zu Rowan Wrap Midi Dress passen");
    expect(out.matches?.handles).not.toContain("rowan-wrap-midi-dress");
  });
});
