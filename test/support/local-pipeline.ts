/**
 * The answering pipeline as the storefront runs it with no external service: the
 * built-in embedding model, an in-memory sqlite-vec index holding the batch, the
 * catalog in memory and the local answerer.
 */
import type { AnswerQuestionDeps, ShopProfile } from "../../app/answering/answer-question";
import { createLocalAnswerer } from "../../app/answering/local-answerer";
import { createMemoryCatalog } from "../../app/catalog/memory-catalog";
import type { CatalogBatch } from "../../app/catalog/types";
import { indexBatch } from "../../app/evaluation/index-batch";
import { createLocalEmbeddingModel } from "../../app/providers/local-embedding";
import { createSqliteVecStore } from "../../app/stores/sqlite-vec-store";
import type { VectorStore } from "../../app/stores/types";

export async function localPipeline(
  shop: string,
  batch: Pick<CatalogBatch, "products" | "policies" | "pages" | "documents">,
  profile: ShopProfile,
): Promise<{ deps: AnswerQuestionDeps; store: VectorStore }> {
  const embedder = createLocalEmbeddingModel();
  const store = createSqliteVecStore({ db: ":memory:", indexName: embedder.id, dimensions: embedder.dimensions });
  await indexBatch(store, embedder, shop, batch);
  const catalog = createMemoryCatalog({ [shop]: batch });
  const deps: AnswerQuestionDeps = {
    store,
    embedder,
    catalog,
    answerer: createLocalAnswerer(),
    shopProfile: async () => profile,
    vocabulary: (s) => catalog.vocabulary(s),
  };
  return { deps, store };
}
