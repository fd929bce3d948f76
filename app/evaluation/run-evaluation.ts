/**
 * The whole evaluation, behind `groundwork eval`: the demo store and every
 * catalog in the shared data (when present) are indexed into a fresh in-memory
 * sqlite-vec store with the built-in embedding model, asked generated questions
 * with ground truth, and scored; then the ePQA ranking comparison runs. Writes
 * eval-report.json and eval-report.md and returns the summary.
 */
import { existsSync } from "node:fs";
import { appendFile, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { AnswerQuestionDeps, ShopProfile } from "../answering/answer-question";
import { createLocalAnswerer } from "../answering/local-answerer";
import { loadCatalogFiles } from "../catalog/load-files";
import { createMemoryCatalog } from "../catalog/memory-catalog";
import type { CatalogBatch, CatalogProduct } from "../catalog/types";
import { createLocalEmbeddingModel } from "../providers/local-embedding";
import type { EmbeddingModel } from "../providers/types";
import { createSqliteVecStore } from "../stores/sqlite-vec-store";
import type { VectorStore } from "../stores/types";
import { runCatalogEval, type CatalogEvalResult } from "./catalog-eval";
import { renderPhase3Markdown, startPhase3Session } from "./phase3-eval";
import { generateCatalogQuestions } from "./catalog-questions";
import { runEpqaRankingEval, type EpqaRankingResult } from "./epqa-ranking";
import { indexBatch } from "./index-batch";
import { summarizeEval, writeEvalReport, type EvalSummary } from "./report";

export interface RunEvaluationOptions {
  /** The demo store folder (products.csv, policies/, pages/, store.json). */
  dataDir: string;
  /** The shared data folder (or its parent); skipped when absent. */
  sharedDir?: string;
  outDir: string;
  /** Caps products asked about per catalog and ePQA questions: a quick run. */
  limit?: number;
  /** The phase 3 section (simulated teacher, training and student); default on. */
  phase3?: boolean;
  /** Products indexed beside the ones asked about, per shared catalog (default 40). */
  distractors?: number;
  embedder?: EmbeddingModel;
  log?: (line: string) => void;
}

interface CatalogSpec {
  name: string;
  paths: string[];
  profile: ShopProfile;
  /** Index every product (the demo store), or a sample plus distractors (large shared catalogs). */
  full: boolean;
}

async function readStoreJson(dir: string): Promise<ShopProfile> {
  try {
    const raw = JSON.parse(await readFile(path.join(dir, "store.json"), "utf8")) as Record<string, string>;
    return { name: raw.name ?? "the store", contactEmail: raw.contactEmail, contactUrl: raw.contactUrl, currency: raw.currency };
  } catch {
    return { name: "the store" };
  }
}

function resolveShared(sharedDir: string | undefined): string | undefined {
  if (!sharedDir) return undefined;
  if (existsSync(path.join(sharedDir, "data", "SOURCES.md"))) return path.join(sharedDir, "data");
  return existsSync(sharedDir) ? sharedDir : undefined;
}

const CURRENCY_BY_CATALOG: [RegExp, string][] = [
  [/-uk-/, "GBP"],
  [/-in-/, "INR"],
  [/-de-/, "EUR"],
  [/-us-|shopify-sample/, "USD"],
];

async function sharedCatalogs(dataDir: string): Promise<CatalogSpec[]> {
  const specs: CatalogSpec[] = [];
  const profile = (name: string): ShopProfile => ({
    name,
    contactEmail: `help@${name}.example`,
    currency: CURRENCY_BY_CATALOG.find(([re]) => re.test(name))?.[1],
  });
  const storesDir = path.join(dataDir, "stores");
  if (existsSync(storesDir)) {
    for (const entry of (await readdir(storesDir)).sort()) specs.push({ name: entry, paths: [path.join(storesDir, entry)], profile: profile(entry), full: false });
  }
  const csvDir = path.join(dataDir, "shopify-sample-csvs");
  if (existsSync(csvDir)) {
    for (const file of (await readdir(csvDir)).filter((f) => f.endsWith(".csv")).sort()) {
      const name = `shopify-sample-${file.replace(/\.csv$/, "")}`;
      specs.push({ name, paths: [path.join(csvDir, file)], profile: profile(name), full: false });
    }
  }
  const policiesDir = path.join(dataDir, "policies");
  if (existsSync(policiesDir)) {
    for (const entry of (await readdir(policiesDir)).sort()) specs.push({ name: `policies-${entry}`, paths: [path.join(policiesDir, entry)], profile: profile(entry), full: true });
  }
  return specs;
}

function spreadSample<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  const step = items.length / n;
  return Array.from({ length: n }, (_, i) => items[Math.floor(i * step)]);
}

export async function runEvaluation(options: RunEvaluationOptions): Promise<EvalSummary> {
  const log = options.log ?? (() => {});
  const embedder = options.embedder ?? createLocalEmbeddingModel();
  const store: VectorStore = createSqliteVecStore({ db: ":memory:", indexName: embedder.id, dimensions: embedder.dimensions });
  const answerer = createLocalAnswerer();
  const maxProducts = options.limit ?? 12;
  const specs: CatalogSpec[] = [{ name: "demo-store", paths: [options.dataDir], profile: await readStoreJson(options.dataDir), full: true }];
  const shared = resolveShared(options.sharedDir);
  if (shared) specs.push(...(await sharedCatalogs(shared)));
  const notes: string[] = [];

  const results: CatalogEvalResult[] = [];
  const phase3 = options.phase3 === false ? null : await startPhase3Session();
  try {
    for (const spec of specs) {
      const batch: CatalogBatch = await loadCatalogFiles(spec.paths);
      const shop = `eval-${spec.name}`;
      const visible = batch.products.filter((p) => p.status === "active" && p.published && p.variants.length > 0);
      const questions = generateCatalogQuestions(batch, { maxProducts });
      if (questions.length === 0) continue;
      // Large catalogs: index the products asked about plus evenly spread distractors (the model embeds ~5-50 texts/s).
      let indexed: CatalogProduct[] = visible;
      if (!spec.full) {
        const asked = new Set(questions.map((q) => q.expected.productHandle).filter(Boolean));
        const distractors = spreadSample(visible.filter((p) => !asked.has(p.handle)), options.distractors ?? 40);
        indexed = [...visible.filter((p) => asked.has(p.handle)), ...distractors];
        if (indexed.length < visible.length) notes.push(`${spec.name}: indexed ${indexed.length} of ${visible.length} products (those asked about + ${distractors.length} distractors).`);
      }
      const started = performance.now();
      const { chunks } = await indexBatch(store, embedder, shop, { ...batch, products: indexed });
      log(`${spec.name}: ${chunks} chunks indexed in ${((performance.now() - started) / 1000).toFixed(1)} s; ${questions.length} questions`);
      const catalog = createMemoryCatalog({ [shop]: { products: indexed, policies: batch.policies } });
      const deps: AnswerQuestionDeps = {
        store,
        embedder,
        catalog,
        answerer,
        shopProfile: async () => spec.profile,
        vocabulary: (s) => catalog.vocabulary(s),
      };
      const result = await runCatalogEval(deps, { catalog: spec.name, shop, questions, products: indexed, currency: spec.profile.currency });
      log(`${spec.name}: claims ${result.claims.correct}/${result.claims.checked}, citations ${result.citations.valid}/${result.citations.checked}, refusals ${result.refusals.correct}/${result.refusals.checked}`);
      results.push(result);
      if (phase3) await phase3.runCatalog(deps, { catalog: spec.name, shop, questions, storeName: spec.profile.name });
      await store.deleteShop(shop);
    }

    let epqa: EpqaRankingResult | null = null;
    const epqaPath = shared ? path.join(shared, "product-qa", "epqa-dev-even-qids.csv") : undefined;
    if (epqaPath && existsSync(epqaPath)) {
      const started = performance.now();
      epqa = await runEpqaRankingEval(epqaPath, { embedder, createStore: (d) => createSqliteVecStore({ db: ":memory:", indexName: embedder.id, dimensions: d }) }, { limit: options.limit ? options.limit * 10 : undefined });
      log(`ePQA: ${epqa.questions} questions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } else {
      notes.push("ePQA ranking not run: shared data absent.");
    }
    const summary = { ...summarizeEval({ answerer: answerer.id, embedder: embedder.id, catalogs: results, epqa, notes }), phase3: phase3?.summary() ?? null };
    const written = await writeEvalReport(summary, options.outDir);
    await appendFile(written.markdown, renderPhase3Markdown(summary.phase3));
    return summary;
  } finally {
    await phase3?.close();
    await store.close();
  }
}
