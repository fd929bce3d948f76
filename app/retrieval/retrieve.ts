/**
 * Retrieval: hybrid search (dense + BM25, fused by the store), structured filters
 * on variants, the products in context always considered, a lexical reranker,
 * and MMR for recommendations. Returns numbered sources with the full catalog
 * facts behind each product, which is what answers are checked against.
 */
import type { AnswerSource } from "../answering/types";
import type { CatalogProduct, CatalogReader } from "../catalog/types";
import { chunkProduct } from "../indexing/chunk-product";
import type { EmbeddingModel } from "../providers/types";
import type { ChunkFilter, IndexChunk, SearchHit, SearchMode, VectorStore } from "../stores/types";
import { fuseRrf } from "./fuse-rrf";
import { jaccard, selectMmr } from "./mmr";
import { rerank, type RerankedCandidate } from "./rerank";
import { contentTokens } from "./text";
import type { QueryUnderstanding } from "./understand-query";

export { fuseRrf } from "./fuse-rrf";

export interface RetrieveDeps {
  store: VectorStore;
  embedder: EmbeddingModel;
  catalog: CatalogReader;
}

export interface RetrieveRequest {
  shop: string;
  question: string;
  understanding: QueryUnderstanding;
  /** The product the shopper is looking at. */
  productHandle?: string;
  /** Number of sources to return. */
  k: number;
  /** Hybrid unless a comparison run asks for one retriever alone. */
  mode?: SearchMode;
  /** A query vector computed elsewhere (benchmarks exclude embedding time this way). */
  queryVector?: number[];
}

export interface RetrievalTimings {
  embedMs: number;
  searchMs: number;
  catalogMs: number;
  rerankMs: number;
  totalMs: number;
}

export interface RetrievalResult {
  sources: AnswerSource[];
  timings: RetrievalTimings;
  /** Reranked chunks with their features, for logs and diagnostics. */
  candidates: RerankedCandidate[];
}

const SOURCE_TEXT_CHARS = 1800;

function now(): number {
  return performance.now();
}

export async function retrieve(deps: RetrieveDeps, request: RetrieveRequest): Promise<RetrievalResult> {
  const started = now();
  const { understanding: u, shop } = request;
  const mode = request.mode ?? "hybrid";
  const k = Math.max(1, request.k);
  const candidateK = Math.max(20, k * 4);

  let vector = request.queryVector;
  const embedStart = now();
  if (!vector && mode !== "sparse") {
    vector = (await deps.embedder.embed({ values: [u.searchText] })).embeddings[0];
  }
  const embedMs = now() - embedStart;

  const catalogStart = now();
  const handles = [...new Set([request.productHandle, ...u.productHandles].filter((h): h is string => !!h))];
  const pinned = (await Promise.all(handles.map((h) => deps.catalog.productByHandle(shop, h)))).filter(
    (p): p is CatalogProduct => p !== null,
  );
  let catalogMs = now() - catalogStart;

  const searchStart = now();
  const search = (filter: ChunkFilter | undefined, kk: number) =>
    deps.store.search(shop, { mode, vector, text: u.searchText, k: kk, filter: filter && Object.keys(filter).length > 0 ? filter : undefined });
  const lists: SearchHit[][] = [];
  const main = await search(u.filters, candidateK);
  lists.push(main);
  const strict = u.filters.variant || u.filters.priceMax !== undefined || u.filters.priceMin !== undefined || u.filters.productType;
  if (strict && main.length < k) {
    // Nothing (or little) meets every constraint: look wider, so the answer can say what does exist.
    lists.push(await search({ sourceTypes: u.filters.sourceTypes }, candidateK));
  }
  // The products in context are always considered, whatever the search ranks. Their chunks are
  // rebuilt from the catalog (the same ids and text the index holds) instead of searched: one
  // query fewer, and the freshest facts.
  for (const p of pinned) lists.push(chunkProduct(p).map((chunk, i) => ({ chunk, score: 1 / (i + 1) })));
  const searchMs = now() - searchStart;

  const rerankStart = now();
  const fused = fuseRrf(lists);
  const reranked = rerank(fused, {
    question: request.question,
    intent: u.intent,
    constraints: u.constraints,
    policyTopic: u.policyTopic,
    productInContext: request.productHandle,
    complementOf: u.complementOf,
    mentionedProducts: u.productHandles,
  });
  let rerankMs = now() - rerankStart;

  const productIds = [...new Set(reranked.filter((c) => c.chunk.sourceType === "product").map((c) => c.chunk.sourceId))];
  const catalogStart2 = now();
  const products = new Map<string, CatalogProduct>();
  for (const p of pinned) products.set(p.id, p);
  const missing = productIds.filter((id) => !products.has(id));
  if (missing.length > 0) for (const p of await deps.catalog.productsByIds(shop, missing)) products.set(p.id, p);
  catalogMs += now() - catalogStart2;

  const groupStart = now();
  const sources = groupIntoSources(reranked, products);
  const pinnedIds = new Set(pinned.map((p) => p.id));
  let chosen: GroupedSource[];
  if (u.intent === "recommendation") {
    const productSources = sources.filter((s) => s.product && !pinnedIds.has(s.product.id));
    const tokensOf = (s: GroupedSource) => contentTokens(`${s.title} ${s.product?.productType ?? ""}`);
    chosen = selectMmr(productSources, { relevance: (s) => s.score, similarity: (a, b) => jaccard(tokensOf(a), tokensOf(b)), lambda: 0.7, k });
    chosen.push(...sources.filter((s) => !s.product).slice(0, 1));
  } else {
    chosen = sources.slice(0, k);
  }
  for (const s of sources) {
    if (s.product && pinnedIds.has(s.product.id) && !chosen.includes(s)) chosen.push(s);
  }
  // Products in context whose chunks the index lacks still count, from the catalog's facts.
  for (const p of pinned) {
    if (!chosen.some((s) => s.product?.id === p.id)) chosen.push(productOnlySource(p));
  }
  rerankMs += now() - groupStart;

  return {
    sources: chosen.map((s, i) => ({ ...s, id: `S${i + 1}` })),
    timings: { embedMs, searchMs, catalogMs, rerankMs, totalMs: now() - started },
    candidates: reranked,
  };
}

type GroupedSource = Omit<AnswerSource, "id">;

function citationType(chunk: IndexChunk): AnswerSource["type"] {
  return chunk.sourceType;
}

/** One source per product (its chunks merged) and one per policy/page/document section. */
export function groupIntoSources(reranked: RerankedCandidate[], products: Map<string, CatalogProduct>): GroupedSource[] {
  const out: GroupedSource[] = [];
  const byProduct = new Map<string, GroupedSource>();
  for (const c of reranked) {
    const { chunk } = c;
    if (chunk.sourceType === "product") {
      const product = products.get(chunk.sourceId);
      // A chunk whose product is gone or hidden is stale: never evidence.
      if (!product) continue;
      const existing = byProduct.get(product.id);
      if (existing) {
        if (existing.text.length < SOURCE_TEXT_CHARS && !existing.text.includes(chunk.text)) {
          existing.text = `${existing.text}\n\n${chunk.text}`.slice(0, SOURCE_TEXT_CHARS * 1.5);
        }
        continue;
      }
      const source: GroupedSource = { type: "product", title: product.title, url: product.url, text: chunk.text, score: c.rerankScore, product };
      byProduct.set(product.id, source);
      out.push(source);
    } else {
      out.push({
        type: citationType(chunk),
        title: chunk.title,
        url: chunk.url,
        text: chunk.text,
        score: c.rerankScore,
        ...(chunk.fields.policyType ? { policyType: chunk.fields.policyType } : {}),
      });
    }
  }
  return out;
}

function productOnlySource(p: CatalogProduct): GroupedSource {
  return { type: "product", title: p.title, url: p.url, text: p.title, score: 0, product: p };
}
