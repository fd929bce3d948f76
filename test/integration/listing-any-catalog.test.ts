/**
 * Listing questions and complementary recommendations on every real catalog in
 * ../shared/data and on the demo store: questions generated with their ground
 * truth from each catalog (in every widget language), answered through the real
 * pipeline with the local answerer, and judged like the "any store" evaluation.
 * These intents read the catalog, never the search index, so no index is built;
 * a store that records searches proves it.
 */
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { answerQuestionDetailed } from "../../app/answering/answer-question";
import { createLocalAnswerer } from "../../app/answering/local-answerer";
import { loadCatalogFiles } from "../../app/catalog/load-files";
import { createMemoryCatalog } from "../../app/catalog/memory-catalog";
import { judgeAnyStoreAnswer } from "../../app/evaluation/any-store-eval";
import { generateAnyStoreQuestions, isVisible } from "../../app/evaluation/any-store-questions";
import type { SearchRequest, VectorStore } from "../../app/stores/types";
import { HashedWordsEmbedder } from "../support/hashed-words-embedder";
import { hasSharedData, sharedDataPath, sharedDataSkipReason } from "../support/shared-data";

const demoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../demo-store");
const KINDS = new Set(["listing", "listing_price", "complementary"]);
const MAX_PRODUCTS = 150;

function spread<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]);
}

async function catalogs(): Promise<{ name: string; paths: string[] }[]> {
  const out = existsSync(demoDir) ? [{ name: "demo-store", paths: [demoDir] }] : [];
  if (!hasSharedData) return out;
  for (const entry of (await readdir(sharedDataPath("stores"))).sort()) out.push({ name: entry, paths: [sharedDataPath("stores", entry)] });
  for (const file of (await readdir(sharedDataPath("shopify-sample-csvs"))).filter((f) => f.endsWith(".csv")).sort()) {
    out.push({ name: file, paths: [sharedDataPath("shopify-sample-csvs", file)] });
  }
  return out;
}

describe("listings and complements on every catalog", () => {
  if (!hasSharedData) console.warn(sharedDataSkipReason);

  it("answers every generated listing and complement question right, from the catalog, without a search", async () => {
    const searches: SearchRequest[] = [];
    const store = { indexName: "recording", search: async (_shop: string, r: SearchRequest) => (searches.push(r), []) } as unknown as VectorStore;
    const report: string[] = [];
    let asked = 0;
    for (const spec of await catalogs()) {
      const batch = await loadCatalogFiles(spec.paths);
      // Large catalogs are cut to an even spread of products, as the evaluation does: question generation grows fast with size.
      const products = spread(batch.products.filter((p) => isVisible(p) && p.variants.length > 0), MAX_PRODUCTS);
      const shop = `listing-${spec.name}`;
      const catalog = createMemoryCatalog({ [shop]: { products, policies: [] } });
      const deps = {
        store,
        embedder: new HashedWordsEmbedder("hashed", 16),
        catalog,
        answerer: createLocalAnswerer(),
        shopProfile: async () => ({ name: spec.name, contactEmail: "help@store.example" }),
        vocabulary: (s: string) => catalog.vocabulary(s),
      };
      const byHandle = new Map(products.map((p) => [p.handle, p]));
      const questions = generateAnyStoreQuestions({ products, policies: [] }, { products: 6 }).filter((q) => KINDS.has(q.kind));
      let right = 0;
      for (const q of questions) {
        const detailed = await answerQuestionDetailed(deps, { shop, question: q.question, locale: q.locale, productHandle: q.productHandle });
        const problem = judgeAnyStoreAnswer(q, detailed, byHandle);
        if (problem === null) right++;
        else report.push(`${spec.name} [${q.kind} ${q.locale}] "${q.question}": ${problem} — ${detailed.result.answer.slice(0, 160)}`);
      }
      asked += questions.length;
      report.unshift(`${spec.name}: ${right}/${questions.length}`);
    }
    console.log(report.join("\n"));
    expect(asked).toBeGreaterThan(0);
    expect(report.filter((line) => line.includes('"'))).toEqual([]);
    expect(searches).toEqual([]);
  }, 600_000);
});
