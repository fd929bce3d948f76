/**
 * Retrieval latency on the embedded index (sqlite-vec + FTS5, in memory) at 5,000
 * and 50,000 products synthesized from the demo store's vocabulary. The index holds
 * random unit vectors clustered by product type (embedding 50,000 products with the
 * real model would take hours here); query embedding is excluded from the retrieval
 * figures and measured separately with the real model.
 *
 * The file also holds a neighbour shop (2,000 products), as an embedded index serving several
 * shops does: every search must stay inside its shop. Each question is asked both with and
 * without a product in context. Besides end-to-end retrieval, the store's own search time
 * is reported per mode (dense, sparse, hybrid, hybrid with a same-variant filter).
 *
 * Targets: p95 < 30 ms at 5,000 products, < 80 ms at 50,000.
 * Run: npx tsx bench/retrieval-latency.ts [--sizes 5000,50000] [--queries 200]
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCatalogFiles } from "../app/catalog/load-files";
import { createMemoryCatalog } from "../app/catalog/memory-catalog";
import type { EmbeddingModel } from "../app/providers/types";
import type { SearchMode, VectorStore } from "../app/stores/types";
import { createLocalEmbeddingModel } from "../app/providers/local-embedding";
import { retrieve } from "../app/retrieval/retrieve";
import { understandQuery } from "../app/retrieval/understand-query";
import { createRandom, randomUnitVector, syntheticChunks, synthesizeProducts } from "../app/evaluation/synthetic-catalog";
import { createSqliteVecStore } from "../app/stores/sqlite-vec-store";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIM = 512;
const SHOP = "bench.myshopify.com";
const NEIGHBOUR_SHOP = "neighbour.myshopify.com";
const NEIGHBOUR_PRODUCTS = 2000;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const BENCH_QUESTIONS = [
  "does this jacket come in tall sizes?",
  "what goes with this dress that is in stock in size 8?",
  "warm wool sweater under $100",
  "waterproof boots in size 9",
  "linen shirt in stock in M",
  "what is the return window for sale items in the EU?",
  "is this machine washable?",
  "merino beanie",
  "recommend a gift under $50",
  "how much is this?",
];

/** An embedder that never runs: retrieval gets its query vector handed in. */
const noEmbedder: EmbeddingModel = {
  id: "bench-random",
  dimensions: DIM,
  maxEmbeddingsPerCall: 1,
  async embed() {
    throw new Error("query vectors are precomputed in this benchmark");
  },
};

async function main() {
  const sizes = arg("sizes", "5000,50000").split(",").map(Number);
  const queries = Number(arg("queries", "200"));
  const demo = await loadCatalogFiles([path.join(root, "demo-store")]);
  const rows: Record<string, unknown>[] = [];
  const storeRows: Record<string, unknown>[] = [];

  for (const size of sizes) {
    const products = synthesizeProducts(demo.products, size);
    const chunks = syntheticChunks(products, DIM);
    const store = createSqliteVecStore({ db: ":memory:", indexName: "bench", dimensions: DIM });
    const buildStart = performance.now();
    for (let i = 0; i < chunks.length; i += 1000) await store.upsert(SHOP, chunks.slice(i, i + 1000));
    const buildS = (performance.now() - buildStart) / 1000;
    const neighbour = syntheticChunks(synthesizeProducts(demo.products, NEIGHBOUR_PRODUCTS, 99), DIM, 99);
    for (let i = 0; i < neighbour.length; i += 1000) await store.upsert(NEIGHBOUR_SHOP, neighbour.slice(i, i + 1000));
    const catalog = createMemoryCatalog({ [SHOP]: { products, policies: demo.policies } });
    const vocabulary = await catalog.vocabulary(SHOP);
    const random = createRandom(size);
    const timings: number[] = [];
    for (let q = 0; q < queries + 10; q++) {
      const question = BENCH_QUESTIONS[q % BENCH_QUESTIONS.length];
      const context = withContext(q) ? products[Math.floor(random() * products.length)] : undefined;
      const understanding = understandQuery({ question, locale: "en", productInContext: context, knownOptions: vocabulary.knownOptions, productTypes: vocabulary.productTypes });
      const started = performance.now();
      await retrieve(
        { store, embedder: noEmbedder, catalog },
        { shop: SHOP, question, understanding, productHandle: context?.handle, k: 6, queryVector: randomUnitVector(DIM, random) },
      );
      if (q >= 10) timings.push(performance.now() - started); // the first few warm statement caches
    }
    const storeTimes = await timeStoreModes(store, products, vocabulary, random, Math.max(20, Math.floor(queries / 4)));
    const memoryMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
    const target = size <= 5000 ? 30 : 80;
    rows.push({
      products: size,
      chunks: chunks.length,
      buildS: Math.round(buildS * 10) / 10,
      p50Ms: round(percentile(timings, 50)),
      p95Ms: round(percentile(timings, 95)),
      meanMs: round(timings.reduce((a, b) => a + b, 0) / timings.length),
      targetP95Ms: target,
      met: percentile(timings, 95) < target,
      rssMb: memoryMb,
    });
    storeRows.push(...storeTimes.map((r) => ({ products: size, ...r })));
    await store.close();
  }

  // Query embedding with the real model, measured on its own.
  const embedder = createLocalEmbeddingModel();
  await embedder.embed({ values: ["warm up"] });
  const embedTimes: number[] = [];
  for (let i = 0; i < 40; i++) {
    const started = performance.now();
    await embedder.embed({ values: [BENCH_QUESTIONS[i % BENCH_QUESTIONS.length]] });
    embedTimes.push(performance.now() - started);
  }
  const embedding = { model: embedder.id, p50Ms: round(percentile(embedTimes, 50)), p95Ms: round(percentile(embedTimes, 95)) };

  console.log("\nRetrieval latency (hybrid search + variant filters + rerank + MMR; query embedding excluded)\n");
  console.table(rows);
  console.log("\nStore search alone, per mode (k = 24, as retrieval asks; filters from the question)\n");
  console.table(storeRows);
  console.log(`Query embedding (${embedding.model}, one question): p50 ${embedding.p50Ms} ms, p95 ${embedding.p95Ms} ms\n`);
  const out = {
    name: "retrieval-latency",
    date: new Date().toISOString(),
    node: process.version,
    cpus: (await import("node:os")).cpus().length,
    queriesPerSize: queries,
    note: "Index vectors are random unit vectors clustered by product type (not model embeddings); products synthesized from the demo store. Query embedding excluded from retrieval figures and reported separately.",
    results: rows,
    storeSearch: storeRows,
    queryEmbedding: embedding,
  };
  await mkdir(path.join(root, "bench/results"), { recursive: true });
  await writeFile(path.join(root, "bench/results/retrieval-latency.json"), JSON.stringify(out, null, 2) + "\n");
}

/** Every question both with and without a product in context (alternating per pass over a list of `questions`). */
export function withContext(q: number, questions = BENCH_QUESTIONS.length): boolean {
  return Math.floor(q / questions) % 2 === 0;
}

/** The store's own search time per mode, on the bench questions' text and filters. */
async function timeStoreModes(
  store: VectorStore,
  products: ReturnType<typeof synthesizeProducts>,
  vocabulary: { knownOptions: Record<string, string[]>; productTypes: string[] },
  random: () => number,
  queries: number,
): Promise<Record<string, unknown>[]> {
  const cases: { name: string; mode: SearchMode; variantOnly: boolean }[] = [
    { name: "dense", mode: "dense", variantOnly: false },
    { name: "sparse (BM25)", mode: "sparse", variantOnly: false },
    { name: "hybrid", mode: "hybrid", variantOnly: false },
    { name: "hybrid, same-variant filter", mode: "hybrid", variantOnly: true },
  ];
  const out: Record<string, unknown>[] = [];
  for (const c of cases) {
    const questions = BENCH_QUESTIONS.map((question, i) => ({ question, i })).filter(({ i }) =>
      c.variantOnly ? i === 1 : true,
    );
    const times: number[] = [];
    for (let q = 0; q < queries + 5; q++) {
      const { question } = questions[q % questions.length];
      const context = withContext(q) || c.variantOnly ? products[Math.floor(random() * products.length)] : undefined;
      const u = understandQuery({ question, locale: "en", productInContext: context, knownOptions: vocabulary.knownOptions, productTypes: vocabulary.productTypes });
      // The dress question with a dress in context: "size 8, in stock" on one variant, no product type.
      const filter = c.variantOnly ? { ...u.filters, variant: u.filters.variant ?? { options: { Size: "8" }, available: true } } : u.filters;
      const started = performance.now();
      await store.search(SHOP, { mode: c.mode, vector: randomUnitVector(DIM, random), text: u.searchText, k: 24, filter: Object.keys(filter).length > 0 ? filter : undefined });
      if (q >= 5) times.push(performance.now() - started);
    }
    out.push({ search: c.name, p50Ms: round(percentile(times, 50)), p95Ms: round(percentile(times, 95)) });
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
