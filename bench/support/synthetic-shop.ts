/**
 * The synthetic shop the answer benchmarks share: the demo store's products grown to
 * `size`, chunks with clustered random vectors (see ../retrieval-latency.ts), in an
 * in-memory embedded index, with the real local embedding model for questions.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCatalogFiles } from "../../app/catalog/load-files";
import { createMemoryCatalog } from "../../app/catalog/memory-catalog";
import { syntheticChunks, synthesizeProducts } from "../../app/evaluation/synthetic-catalog";
import { createLocalEmbeddingModel } from "../../app/providers/local-embedding";
import { createSqliteVecStore } from "../../app/stores/sqlite-vec-store";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SHOP = "bench.myshopify.com";

/** `--name value` from the command line, else the fallback. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

export async function buildSyntheticShop(size: number) {
  const demo = await loadCatalogFiles([path.join(root, "demo-store")]);
  const embedder = createLocalEmbeddingModel();
  const products = synthesizeProducts(demo.products, size);
  const chunks = syntheticChunks(products, embedder.dimensions);
  const store = createSqliteVecStore({ db: ":memory:", indexName: embedder.id, dimensions: embedder.dimensions });
  for (let i = 0; i < chunks.length; i += 1000) await store.upsert(SHOP, chunks.slice(i, i + 1000));
  const catalog = createMemoryCatalog({ [SHOP]: { products, policies: demo.policies } });
  return { demo, embedder, products, chunks, store, catalog };
}
