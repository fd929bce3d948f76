/**
 * Index a catalog batch into a vector store in one go: chunk, embed in batches,
 * upsert. For evaluations, demos and tests over file imports (the app's job
 * queue does the same incrementally for live shops).
 */
import type { CatalogBatch } from "../catalog/types";
import { chunkCatalog } from "../indexing/chunk-catalog";
import { embedChunks } from "../indexing/embed-chunks";
import type { EmbeddingModel } from "../providers/types";
import type { VectorStore } from "../stores/types";

export interface IndexBatchResult {
  chunks: number;
  embedMs: number;
}

export async function indexBatch(store: VectorStore, embedder: EmbeddingModel, shop: string, batch: Pick<CatalogBatch, "products" | "policies" | "pages" | "documents">): Promise<IndexBatchResult> {
  const started = performance.now();
  const chunks = chunkCatalog(batch);
  const { chunks: embedded } = await embedChunks(embedder, chunks);
  const embedMs = performance.now() - started;
  for (let i = 0; i < embedded.length; i += 500) await store.upsert(shop, embedded.slice(i, i + 500));
  return { chunks: chunks.length, embedMs };
}
