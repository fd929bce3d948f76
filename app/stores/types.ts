/**
 * The vector index port. Two implementations (sqlite-vec + FTS5, Qdrant) pass one
 * conformance suite. Every call names its shop: there is no call that spans shops.
 */
import type { SourceType } from "../catalog/types";

/** Structured fields a chunk carries so retrieval can filter on them. */
export interface ChunkFields {
  productHandle?: string;
  productType?: string;
  vendor?: string;
  tags?: string[];
  priceMin?: number;
  priceMax?: number;
  /** Any variant available for sale. */
  available?: boolean;
  policyType?: string;
  /** Per-variant facts, so "size 8 AND in stock" must hold on one variant. */
  variants?: { id: string; options: Record<string, string>; available: boolean; price: number }[];
}

export interface IndexChunk {
  /** Stable id: the same source section always gets the same id. */
  id: string;
  sourceType: SourceType;
  sourceId: string;
  title: string;
  /** Storefront URL (+ anchor) used in citations. */
  url: string;
  text: string;
  /** Hash of the text and fields: unchanged chunks are not re-embedded. */
  contentHash: string;
  fields: ChunkFields;
}

export interface EmbeddedChunk extends IndexChunk {
  vector: number[];
}

export interface ChunkFilter {
  sourceTypes?: SourceType[];
  sourceIds?: string[];
  productType?: string;
  priceMin?: number;
  priceMax?: number;
  available?: boolean;
  policyType?: string;
  /** All conditions must hold on one and the same variant. */
  variant?: { options?: Record<string, string>; available?: boolean };
}

export type SearchMode = "dense" | "sparse" | "hybrid";

export interface SearchRequest {
  mode: SearchMode;
  /** Required for dense and hybrid. */
  vector?: number[];
  /** Required for sparse and hybrid. */
  text?: string;
  k: number;
  filter?: ChunkFilter;
}

export interface SearchHit {
  chunk: IndexChunk;
  /** Higher is better; comparable within one result list only. */
  score: number;
}

export interface VectorStore {
  /** Name of the index (one per embedding model), e.g. "use-lite-512". */
  readonly indexName: string;
  upsert(shop: string, chunks: EmbeddedChunk[]): Promise<void>;
  /** chunk id -> contentHash for the shop (optionally one source), to skip unchanged chunks. */
  contentHashes(shop: string, source?: { sourceType: SourceType; sourceId: string }): Promise<Map<string, string>>;
  deleteChunks(shop: string, chunkIds: string[]): Promise<number>;
  deleteSource(shop: string, sourceType: SourceType, sourceId: string): Promise<number>;
  deleteShop(shop: string): Promise<number>;
  search(shop: string, request: SearchRequest): Promise<SearchHit[]>;
  count(shop: string): Promise<number>;
  close(): Promise<void>;
}

export type VectorStoreErrorCode =
  /** A chunk or request the store cannot accept (wrong vector size, missing text, bad k). */
  | "invalid_input"
  /** The index exists with another vector size: a different embedding model built it. */
  | "dimension_mismatch"
  /** The store was closed; create a new one. */
  | "store_closed"
  /** The backing service could not be reached or refused the request. */
  | "unavailable"
  /** The backing service answered something the store cannot use. */
  | "bad_response";

/** Errors a merchant can act on; nothing already stored is lost when one is thrown. */
export class VectorStoreError extends Error {
  constructor(
    readonly code: VectorStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "VectorStoreError";
  }
}
