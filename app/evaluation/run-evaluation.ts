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
import { createLocalEmbeddingModel, createLocalTokenEncoder } from "../providers/local-embedding";
import type { EmbeddingModel } from "../providers/types";
import type { TokenEncoder } from "../retrieval/late-interaction";
import { createSqliteVecStore } from "../stores/sqlite-vec-store";
import type { VectorStore } from "../stores/types";
import { runAnyStoreEval, summarizeAnyStore, type AnyStoreStoreResult } from "./any-store-eval";
import { generateAnyStoreQuestions } from "./any-store-questions";
import { runCatalogEval, type CatalogEvalResult } from "./catalog-eval";
import { renderPhase3Markdown, startPhase3Session, type Phase3Summary } from "./phase3-eval";
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
  /** Generated questions the phase 3 section asks per store, a fixed spread sample (default 40). */
  phase3Questions?: number;
  /** Products indexed beside the ones asked about, per shared catalog (default 40). */
  distractors?: number;
  embedder?: EmbeddingModel;
  log?: (line: string) => void;
  /** Sections to run (default all): "catalog" (generated questions), "any-store", "epqa" (ranking). */
  sections?: EvalSection[];
  /** Only catalogs whose name contains one of these (the demo store is "demo-store"). */
  stores?: string[];
}

export const EVAL_SECTIONS = ["catalog", "any-store", "epqa", "phase3"] as const;

/** Per store, the phase 3 section asks this many generated questions at most: minutes on two cores, not hours. */
export const PHASE3_QUESTIONS_PER_STORE = 40;
export type EvalSection = (typeof EVAL_SECTIONS)[number];

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

export async function runEvaluation(options: RunEvaluationOptions): Promise<EvalSummary & { phase3: Phase3Summary | null }> {
  const log = options.log ?? (() => {});
  const embedder = options.embedder ?? createLocalEmbeddingModel();
  const store: VectorStore = createSqliteVecStore({ db: ":memory:", indexName: embedder.id, dimensions: embedder.dimensions });
  const answerer = createLocalAnswerer();
  const maxProducts = options.limit ?? 12;
  const specs: CatalogSpec[] = [{ name: "demo-store", paths: [options.dataDir], profile: await readStoreJson(options.dataDir), full: true }];
  const shared = resolveShared(options.sharedDir);
  if (shared) specs.push(...(await sharedCatalogs(shared)));
  const notes: string[] = [];

  const sections = new Set<EvalSection>(options.sections ?? EVAL_SECTIONS);
  const wanted = (name: string) => !options.stores || options.stores.some((s) => name.includes(s));
  const results: CatalogEvalResult[] = [];
  const anyStore: AnyStoreStoreResult[] = [];
  const phase3 = options.phase3 === false || !sections.has("phase3") ? null : await startPhase3Session();
  if (phase3 && !shared) notes.push(`Phase 3 ran on the demo store only: the shared catalogs were not found (${options.sharedDir ?? "no --shared folder given"}).`);
  try {
    for (const spec of specs.filter((s) => wanted(s.name) && (sections.has("catalog") || sections.has("any-store") || phase3))) {
      const batch: CatalogBatch = await loadCatalogFiles(spec.paths);
      const shop = `eval-${spec.name}`;
      const visible = batch.products.filter((p) => p.status === "active" && p.published && p.variants.length > 0);
      const generated = generateCatalogQuestions(batch, { maxProducts });
      const catalogQuestions = sections.has("catalog") ? generated : [];
      // Phase 3 asks a bounded, deterministic sample per store: the teacher, student and gate answer each one several times.
      const phase3Questions = phase3 ? spreadSample(generated, options.phase3Questions ?? PHASE3_QUESTIONS_PER_STORE) : [];
      const questions = [...catalogQuestions, ...phase3Questions.filter((q) => !catalogQuestions.includes(q))];
      // Large catalogs: index the products asked about plus evenly spread distractors (the model embeds ~5-50 texts/s).
      let indexed: CatalogProduct[] = visible;
      if (!spec.full) {
        const asked = new Set(questions.map((q) => q.expected.productHandle).filter(Boolean));
        const distractors = spreadSample(visible.filter((p) => !asked.has(p.handle)), options.distractors ?? 40);
        indexed = [...visible.filter((p) => asked.has(p.handle)), ...distractors];
        if (indexed.length < visible.length) notes.push(`${spec.name}: indexed ${indexed.length} of ${visible.length} products (those asked about + ${distractors.length} distractors).`);
      }
      // The "any store" questions treat the indexed products as the whole store: listings are complete over them.
      const anyQuestions = sections.has("any-store")
        ? generateAnyStoreQuestions({ products: indexed, policies: batch.policies }, { products: options.limit ? Math.min(6, options.limit) : 6, currency: spec.profile.currency })
        : [];
      if (questions.length === 0 && anyQuestions.length === 0) continue;
      const started = performance.now();
      const { chunks } = await indexBatch(store, embedder, shop, { ...batch, products: indexed });
      log(`${spec.name}: ${chunks} chunks indexed in ${((performance.now() - started) / 1000).toFixed(1)} s; ${catalogQuestions.length} + ${anyQuestions.length} questions${phase3 ? `, ${phase3Questions.length} for phase 3` : ""}`);
      const catalog = createMemoryCatalog({ [shop]: { products: indexed, policies: batch.policies } });
      const deps: AnswerQuestionDeps = {
        store,
        embedder,
        catalog,
        answerer,
        shopProfile: async () => spec.profile,
        vocabulary: (s) => catalog.vocabulary(s),
      };
      if (catalogQuestions.length > 0) {
        const result = await runCatalogEval(deps, { catalog: spec.name, shop, questions: catalogQuestions, products: indexed, currency: spec.profile.currency });
        log(`${spec.name}: claims ${result.claims.correct}/${result.claims.checked}, citations ${result.citations.valid}/${result.citations.checked}, refusals ${result.refusals.correct}/${result.refusals.checked}`);
        results.push(result);
      }
      if (anyQuestions.length > 0) {
        const askedAt = performance.now();
        const result = await runAnyStoreEval(deps, { store: spec.name, shop, questions: anyQuestions, products: indexed });
        const kinds = Object.entries(result.byKind).map(([k, v]) => `${k} ${v.right}/${v.asked}`);
        log(`${spec.name}: any store ${result.score.right}/${result.score.asked} (${kinds.join(", ")}) in ${((performance.now() - askedAt) / 1000).toFixed(1)} s`);
        anyStore.push(result);
      }
      if (phase3 && phase3Questions.length > 0) {
        const phase3Started = performance.now();
        const store = await phase3.runCatalog(deps, { catalog: spec.name, shop, questions: phase3Questions, storeName: spec.profile.name });
        log(`${spec.name}: phase 3 ${store.traces} traces, ${store.heldOut} held out, cost ratio ${store.costRatio ?? "∞"}× in ${((performance.now() - phase3Started) / 1000).toFixed(1)} s`);
      }
      await store.deleteShop(shop);
    }

    let epqa: EpqaRankingResult | null = null;
    const epqaPath = shared ? path.join(shared, "product-qa", "epqa-dev-even-qids.csv") : undefined;
    if (!sections.has("epqa")) {
      notes.push("ePQA ranking not run: section not selected.");
    } else if (epqaPath && existsSync(epqaPath)) {
      const started = performance.now();
      const tokenEncoder = await epqaTokenEncoder(embedder, notes);
      epqa = await runEpqaRankingEval(
        epqaPath,
        { embedder, tokenEncoder, createStore: (d) => createSqliteVecStore({ db: ":memory:", indexName: embedder.id, dimensions: d }) },
        { limit: options.limit ? options.limit * 10 : undefined },
      );
      log(`ePQA: ${epqa.questions} questions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } else {
      notes.push("ePQA ranking not run: shared data absent.");
    }
    const summary = {
      ...summarizeEval({
        answerer: answerer.id,
        embedder: embedder.id,
        catalogs: results,
        anyStore: sections.has("any-store") ? summarizeAnyStore(anyStore) : null,
        epqa,
        notes,
      }),
      phase3: phase3?.summary() ?? null,
    };
    const written = await writeEvalReport(summary, options.outDir);
    await appendFile(written.markdown, renderPhase3Markdown(summary.phase3));
    return summary;
  } finally {
    await phase3?.close();
    await store.close();
  }
}

/** The built-in model's token vectors for the ranking features, where onnxruntime-node loads; a note where not. */
async function epqaTokenEncoder(embedder: EmbeddingModel, notes: string[]): Promise<TokenEncoder | undefined> {
  if (embedder.id !== "use-lite-512") {
    notes.push(`ePQA: late-interaction features left out: token vectors are read from the built-in model only, not from ${embedder.id}.`);
    return undefined;
  }
  try {
    return await createLocalTokenEncoder();
  } catch (error) {
    notes.push(`ePQA: late-interaction features left out: the built-in model's token vectors need onnxruntime-node (${error instanceof Error ? error.message.split("\n")[0] : String(error)}).`);
    return undefined;
  }
}
