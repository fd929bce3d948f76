/**
 * Checks and normalizations both vector stores share, so the two implementations
 * accept the same input and read filters the same way.
 */
import type { ChunkFilter, EmbeddedChunk, SearchRequest } from "./types";
import { VectorStoreError } from "./types";

export const MAX_SEARCH_K = 1000;

/**
 * Filter values (product type, policy type, option names and values) compare as Shopify
 * compares option values: trimmed, case-insensitively, and with canonically equivalent
 * Unicode composed alike ("é" typed as one code point or as e + accent). Nothing else is
 * folded: "S20" and "S20+", or two Arabic letters, stay different values.
 */
export function normalizeFilterText(value: string): string {
  return value.trim().normalize("NFC").toLowerCase();
}

export function assertShop(shop: string): void {
  if (typeof shop !== "string" || shop.trim() === "") {
    throw new VectorStoreError("invalid_input", "A shop domain is required for every vector index call.");
  }
}

export function assertVector(vector: unknown, dimensions: number, what: string): asserts vector is number[] {
  if (!Array.isArray(vector) || vector.length !== dimensions) {
    const got = Array.isArray(vector) ? `${vector.length} numbers` : "no vector";
    throw new VectorStoreError(
      "invalid_input",
      `${what} has ${got} but this index holds ${dimensions}-dimension vectors: embed it with the index's model.`,
    );
  }
  let norm = 0;
  for (const x of vector) {
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new VectorStoreError("invalid_input", `${what} contains a value that is not a finite number.`);
    }
    norm += x * x;
  }
  if (norm === 0) throw new VectorStoreError("invalid_input", `${what} is all zeros and has no direction to compare.`);
}

/** Validates a whole batch before anything is written, so a bad chunk never leaves half a batch stored. */
export function assertChunks(chunks: EmbeddedChunk[], dimensions: number): void {
  if (!Array.isArray(chunks)) throw new VectorStoreError("invalid_input", "Chunks must be an array.");
  for (const chunk of chunks) {
    if (!chunk || typeof chunk.id !== "string" || chunk.id === "") {
      throw new VectorStoreError("invalid_input", "Every chunk needs a non-empty id.");
    }
    if (typeof chunk.sourceType !== "string" || typeof chunk.sourceId !== "string" || chunk.sourceId === "") {
      throw new VectorStoreError("invalid_input", `Chunk ${chunk.id} needs a source type and source id.`);
    }
    if (typeof chunk.text !== "string" || typeof chunk.title !== "string") {
      throw new VectorStoreError("invalid_input", `Chunk ${chunk.id} needs a title and text.`);
    }
    assertVector(chunk.vector, dimensions, `Chunk ${chunk.id}`);
  }
}

export function assertSearchRequest(request: SearchRequest, dimensions: number): void {
  if (!request || !["dense", "sparse", "hybrid"].includes(request.mode)) {
    throw new VectorStoreError("invalid_input", "Search mode must be dense, sparse or hybrid.");
  }
  if (!Number.isInteger(request.k) || request.k < 1 || request.k > MAX_SEARCH_K) {
    throw new VectorStoreError("invalid_input", `k must be a whole number from 1 to ${MAX_SEARCH_K}.`);
  }
  if (request.mode !== "sparse") assertVector(request.vector, dimensions, "The query vector");
  if (request.mode !== "dense" && typeof request.text !== "string") {
    throw new VectorStoreError("invalid_input", `A ${request.mode} search needs the query text.`);
  }
}

/** A filter with empty parts removed and text values normalized; undefined parts mean "no condition". */
export interface NormalizedFilter {
  sourceTypes?: string[];
  sourceIds?: string[];
  productType?: string;
  priceMin?: number;
  priceMax?: number;
  available?: boolean;
  policyType?: string;
  variant?: { options: [name: string, value: string][]; available?: boolean };
}

export function normalizeFilter(filter: ChunkFilter | undefined): NormalizedFilter {
  const out: NormalizedFilter = {};
  if (!filter) return out;
  // An empty list would match nothing; read it as "no condition", like an absent one.
  if (filter.sourceTypes && filter.sourceTypes.length > 0) out.sourceTypes = [...new Set(filter.sourceTypes)];
  if (filter.sourceIds && filter.sourceIds.length > 0) out.sourceIds = [...new Set(filter.sourceIds)];
  const productType = filter.productType ? normalizeFilterText(filter.productType) : "";
  if (productType) out.productType = productType;
  const policyType = filter.policyType ? normalizeFilterText(filter.policyType) : "";
  if (policyType) out.policyType = policyType;
  if (typeof filter.available === "boolean") out.available = filter.available;
  for (const key of ["priceMin", "priceMax"] as const) {
    const value = filter[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new VectorStoreError("invalid_input", `The ${key} filter must be a number.`);
    }
    out[key] = value;
  }
  if (filter.variant) {
    const options = Object.entries(filter.variant.options ?? {})
      .map(([name, value]) => [normalizeFilterText(name), normalizeFilterText(String(value))] as [string, string])
      .filter(([name]) => name !== "");
    const available = typeof filter.variant.available === "boolean" ? filter.variant.available : undefined;
    if (options.length > 0 || available !== undefined) out.variant = { options, available };
  }
  return out;
}

/** One price range per chunk: a single known bound stands for both. */
export function chunkPriceRange(fields: EmbeddedChunk["fields"]): { min: number; max: number } | undefined {
  const min = finiteOrUndefined(fields.priceMin) ?? finiteOrUndefined(fields.priceMax);
  const max = finiteOrUndefined(fields.priceMax) ?? finiteOrUndefined(fields.priceMin);
  return min === undefined || max === undefined ? undefined : { min, max };
}

function finiteOrUndefined(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Reciprocal rank fusion (1-based ranks): robust to the two lists' incomparable scores. */
export function fuseByReciprocalRank<T>(
  lists: T[][],
  keyOf: (item: T) => string,
  k = 60,
): { item: T; score: number }[] {
  const fused = new Map<string, { item: T; score: number; firstSeen: number }>();
  let order = 0;
  for (const list of lists) {
    list.forEach((item, index) => {
      const key = keyOf(item);
      const entry = fused.get(key) ?? { item, score: 0, firstSeen: order++ };
      entry.score += 1 / (k + index + 1);
      fused.set(key, entry);
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.firstSeen - b.firstSeen)
    .map(({ item, score }) => ({ item, score }));
}
