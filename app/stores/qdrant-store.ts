/**
 * The server vector index: one Qdrant collection per embedding model, shared by all shops.
 * Tenancy: `shop` is a payload field indexed with `is_tenant: true`, and every request
 * (search, count, scroll, delete) carries a condition on it. Point ids derive from shop +
 * chunk id, so the same chunk id in two shops is two points.
 *
 * Each point holds a named dense vector "dense" (Cosine) and a named sparse vector "bm25"
 * built here from tokens (see sparse-text.ts); Qdrant applies IDF (`modifier: "idf"`).
 * Hybrid search is one Query API call: a dense and a sparse prefetch fused by RRF.
 */
import { createHash } from "node:crypto";
import { QdrantClient, type Schemas } from "@qdrant/js-client-rest";
import type { SourceType } from "../catalog/types";
import { embedSparseDocument, embedSparseQuery } from "./sparse-text";
import {
  assertChunks,
  assertSearchRequest,
  assertShop,
  chunkPriceRange,
  normalizeFilter,
  normalizeFilterText,
  type NormalizedFilter,
} from "./store-input";
import type { ChunkFields, EmbeddedChunk, IndexChunk, SearchHit, SearchRequest, VectorStore } from "./types";
import { VectorStoreError } from "./types";

export interface QdrantStoreOptions {
  /** e.g. http://localhost:6333 or https://xyz.cloud.qdrant.io:6333 */
  url: string;
  apiKey?: string;
  /** The collection name; one per embedding model. */
  indexName: string;
  dimensions: number;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
}

type Filter = Schemas["Filter"];
type Condition = Schemas["Condition"];

export const QDRANT_DENSE_VECTOR = "dense";
export const QDRANT_SPARSE_VECTOR = "bm25";

const UPSERT_BATCH = 128;
const SCROLL_PAGE = 256;
const MAX_PREFETCH = 1000;

/** Payload indexes: the tenant field first, then every field a ChunkFilter can name. */
const PAYLOAD_INDEXES: [string, Schemas["PayloadFieldSchema"]][] = [
  ["shop", { type: "keyword", is_tenant: true }],
  ["chunk_id", "keyword"],
  ["source_type", "keyword"],
  ["source_id", "keyword"],
  ["available", "bool"],
  ["price_min", "float"],
  ["price_max", "float"],
  ["product_type", "keyword"],
  ["policy_type", "keyword"],
  ["variants[].available", "bool"],
  ["variants[].options", "keyword"],
];

interface ChunkPayload {
  shop: string;
  chunk_id: string;
  source_type: string;
  source_id: string;
  title: string;
  url: string;
  text: string;
  content_hash: string;
  fields: ChunkFields;
  product_type?: string;
  policy_type?: string;
  price_min?: number;
  price_max?: number;
  available?: boolean;
  /** Filter form of the variants: one object each, so a nested filter tests one variant at a time. */
  variants?: { available: boolean; options: string[] }[];
}

export function createQdrantStore(options: QdrantStoreOptions): VectorStore {
  const { indexName: collection, dimensions } = options;
  if (typeof collection !== "string" || !/^[A-Za-z0-9_.-]{1,255}$/.test(collection)) {
    throw new VectorStoreError(
      "invalid_input",
      "The Qdrant collection name may hold only letters, digits, '.', '_' and '-' (it is the embedding model id).",
    );
  }
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new VectorStoreError("invalid_input", "The vector index needs a positive whole number of dimensions.");
  }
  if (!/^https?:\/\//.test(options.url ?? "")) {
    throw new VectorStoreError(
      "invalid_input",
      `The Qdrant URL must start with http:// or https:// (got "${options.url}").`,
    );
  }
  const client = new QdrantClient({
    url: options.url,
    apiKey: options.apiKey,
    timeout: options.timeoutMs ?? 30_000,
    // The version probe fires on construction and only logs; setup checks the collection instead.
    checkCompatibility: false,
  });
  let ready: Promise<void> | undefined;
  let closed = false;

  async function call<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toStoreError(error, action, options.url);
    }
  }

  /** Creates the collection and its payload indexes the first time the store is used. */
  function ensureCollection(): Promise<void> {
    ready ??= setUpCollection().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  }

  async function setUpCollection(): Promise<void> {
    const { exists } = await call("check the collection", () => client.collectionExists(collection));
    let indexed: Record<string, unknown> = {};
    if (!exists) {
      await call("create the collection", async () => {
        try {
          await client.createCollection(collection, {
            vectors: { [QDRANT_DENSE_VECTOR]: { size: dimensions, distance: "Cosine" } },
            sparse_vectors: { [QDRANT_SPARSE_VECTOR]: { modifier: "idf" } },
          });
        } catch (error) {
          // Another worker created it first: fine, it is checked below like any existing one.
          if (statusOf(error) !== 409) throw error;
        }
      });
    }
    const info = await call("read the collection", () => client.getCollection(collection));
    const vectors = info.config.params.vectors as Record<string, { size?: number } | undefined> | undefined;
    const dense = vectors?.[QDRANT_DENSE_VECTOR];
    if (!dense || !info.config.params.sparse_vectors?.[QDRANT_SPARSE_VECTOR]) {
      throw new VectorStoreError(
        "invalid_input",
        `The Qdrant collection ${collection} exists but lacks the "${QDRANT_DENSE_VECTOR}" and "${QDRANT_SPARSE_VECTOR}" ` +
          "vectors this app stores: choose another index name or delete that collection.",
      );
    }
    if (dense.size !== dimensions) {
      throw new VectorStoreError(
        "dimension_mismatch",
        `The Qdrant collection ${collection} holds ${dense.size}-dimension vectors, not ${dimensions}: ` +
          "use the model that built it, or rebuild the index under a new name.",
      );
    }
    indexed = info.payload_schema ?? {};
    // Also completes a setup that was interrupted between the collection and its indexes.
    for (const [field, schema] of PAYLOAD_INDEXES) {
      if (field in indexed) continue;
      await call(`index the ${field} field`, () =>
        client.createPayloadIndex(collection, { field_name: field, field_schema: schema, wait: true }),
      );
    }
  }

  async function begin(shop: string): Promise<void> {
    if (closed) throw new VectorStoreError("store_closed", `The vector index ${collection} was closed.`);
    assertShop(shop);
    await ensureCollection();
  }

  async function countWhere(filter: Filter): Promise<number> {
    const result = await call("count points", () => client.count(collection, { filter, exact: true }));
    return result.count;
  }

  /** Qdrant's delete does not report how many points it removed: count first, then delete. */
  async function deleteWhere(filter: Filter): Promise<number> {
    const count = await countWhere(filter);
    if (count > 0) await call("delete points", () => client.delete(collection, { filter, wait: true }));
    return count;
  }

  async function query(request: Parameters<QdrantClient["query"]>[1]): Promise<SearchHitsWithPayload> {
    const result = await call("search", () => client.query(collection, { ...request, with_payload: true }));
    return result.points as SearchHitsWithPayload;
  }

  return {
    indexName: collection,

    async upsert(shop, chunks) {
      await begin(shop);
      assertChunks(chunks, dimensions);
      const points = chunks.map((chunk) => toPoint(shop, chunk));
      for (let i = 0; i < points.length; i += UPSERT_BATCH) {
        const batch = points.slice(i, i + UPSERT_BATCH);
        await call("store chunks", () => client.upsert(collection, { wait: true, points: batch }));
      }
    },

    async contentHashes(shop, source) {
      await begin(shop);
      const conditions: Condition[] = source
        ? [matchValue("source_type", source.sourceType), matchValue("source_id", source.sourceId)]
        : [];
      const hashes = new Map<string, string>();
      let offset: Schemas["ExtendedPointId"] | undefined;
      do {
        const page = await call("list chunks", () =>
          client.scroll(collection, {
            filter: shopFilter(shop, conditions),
            limit: SCROLL_PAGE,
            offset,
            with_payload: ["chunk_id", "content_hash"],
            with_vector: false,
          }),
        );
        for (const point of page.points) {
          const payload = point.payload as Partial<ChunkPayload> | null | undefined;
          if (payload?.chunk_id && typeof payload.content_hash === "string") {
            hashes.set(payload.chunk_id, payload.content_hash);
          }
        }
        const next = page.next_page_offset;
        offset = typeof next === "string" || typeof next === "number" ? next : undefined;
      } while (offset !== undefined);
      return hashes;
    },

    async deleteChunks(shop, chunkIds) {
      await begin(shop);
      if (chunkIds.length === 0) return 0;
      const ids = [...new Set(chunkIds)].map((id) => pointId(shop, id));
      return deleteWhere(shopFilter(shop, [{ has_id: ids }]));
    },

    async deleteSource(shop, sourceType: SourceType, sourceId) {
      await begin(shop);
      return deleteWhere(shopFilter(shop, [matchValue("source_type", sourceType), matchValue("source_id", sourceId)]));
    },

    async deleteShop(shop) {
      await begin(shop);
      return deleteWhere(shopFilter(shop));
    },

    async search(shop, request: SearchRequest): Promise<SearchHit[]> {
      await begin(shop);
      assertSearchRequest(request, dimensions);
      const filter = shopFilter(shop, filterConditions(normalizeFilter(request.filter)));
      const { k } = request;
      const sparse = request.mode === "dense" ? undefined : embedSparseQuery(request.text!);
      let points: SearchHitsWithPayload;
      if (request.mode === "dense") {
        points = await query({ query: request.vector!, using: QDRANT_DENSE_VECTOR, filter, limit: k });
      } else if (request.mode === "sparse") {
        if (sparse!.indices.length === 0) return [];
        points = await query({ query: sparse!, using: QDRANT_SPARSE_VECTOR, filter, limit: k });
      } else {
        // Each prefetch reaches past k so a chunk ranked moderately in both lists can still win.
        const depth = Math.min(Math.max(k * 4, 40), MAX_PREFETCH);
        const prefetch: Schemas["Prefetch"][] = [
          { query: request.vector!, using: QDRANT_DENSE_VECTOR, filter, limit: depth },
        ];
        if (sparse!.indices.length > 0) {
          prefetch.push({ query: sparse!, using: QDRANT_SPARSE_VECTOR, filter, limit: depth });
        }
        points = await query({ prefetch, query: { fusion: "rrf" }, filter, limit: k });
      }
      return points.flatMap((point) => {
        const chunk = toIndexChunk(point.payload, shop);
        return chunk ? [{ chunk, score: point.score }] : [];
      });
    },

    async count(shop) {
      await begin(shop);
      return countWhere(shopFilter(shop));
    },

    async close() {
      closed = true;
    },
  };
}

type SearchHitsWithPayload = {
  id: Schemas["ExtendedPointId"];
  score: number;
  payload?: Record<string, unknown> | null;
}[];

/** Deterministic UUID (version-5 layout) from shop + chunk id: re-upserting replaces the same point. */
export function pointId(shop: string, chunkId: string): string {
  const bytes = createHash("sha256").update(`${shop}\u0000${chunkId}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** One variant option as a keyword: JSON keeps names and values holding "=" or ":" unambiguous. */
export function variantOptionKeyword(name: string, value: string): string {
  return JSON.stringify([normalizeFilterText(name), normalizeFilterText(value)]);
}

function toPoint(shop: string, chunk: EmbeddedChunk): Schemas["PointStruct"] {
  const fields = chunk.fields ?? {};
  const price = chunkPriceRange(fields);
  const payload: ChunkPayload = {
    shop,
    chunk_id: chunk.id,
    source_type: chunk.sourceType,
    source_id: chunk.sourceId,
    title: chunk.title,
    url: chunk.url,
    text: chunk.text,
    content_hash: chunk.contentHash,
    fields,
  };
  if (fields.productType) payload.product_type = normalizeFilterText(fields.productType);
  if (fields.policyType) payload.policy_type = normalizeFilterText(fields.policyType);
  if (price) {
    payload.price_min = price.min;
    payload.price_max = price.max;
  }
  if (typeof fields.available === "boolean") payload.available = fields.available;
  if (fields.variants?.length) {
    payload.variants = fields.variants.map((v) => ({
      available: v.available === true,
      options: Object.entries(v.options ?? {}).map(([name, value]) => variantOptionKeyword(name, String(value))),
    }));
  }
  // The title counts twice, as FTS5 weighs it in the embedded store.
  const sparse = embedSparseDocument(`${chunk.title}\n${chunk.title}\n${chunk.text}`);
  const vector: Record<string, number[] | Schemas["SparseVector"]> = { [QDRANT_DENSE_VECTOR]: chunk.vector };
  if (sparse.indices.length > 0) vector[QDRANT_SPARSE_VECTOR] = sparse;
  return { id: pointId(shop, chunk.id), vector, payload: payload as unknown as Schemas["Payload"] };
}

function matchValue(key: string, value: string | boolean): Condition {
  return { key, match: { value } };
}

function shopFilter(shop: string, conditions: Condition[] = []): Filter {
  return { must: [matchValue("shop", shop), ...conditions] };
}

function filterConditions(f: NormalizedFilter): Condition[] {
  const conditions: Condition[] = [];
  if (f.sourceTypes) conditions.push({ key: "source_type", match: { any: f.sourceTypes } });
  if (f.sourceIds) conditions.push({ key: "source_id", match: { any: f.sourceIds } });
  if (f.productType) conditions.push(matchValue("product_type", f.productType));
  if (f.policyType) conditions.push(matchValue("policy_type", f.policyType));
  if (f.available !== undefined) conditions.push(matchValue("available", f.available));
  // A chunk matches a price filter when its price range overlaps the asked range.
  if (f.priceMin !== undefined) conditions.push({ key: "price_max", range: { gte: f.priceMin } });
  if (f.priceMax !== undefined) conditions.push({ key: "price_min", range: { lte: f.priceMax } });
  if (f.variant) {
    const must: Condition[] = [];
    if (f.variant.available !== undefined) must.push(matchValue("available", f.variant.available));
    for (const [name, value] of f.variant.options) must.push(matchValue("options", variantOptionKeyword(name, value)));
    // `nested` tests each variant on its own, so "size 8" and "in stock" must hold on the same one.
    conditions.push({ nested: { key: "variants", filter: { must } } });
  }
  return conditions;
}

function toIndexChunk(payload: Record<string, unknown> | null | undefined, shop: string): IndexChunk | undefined {
  const p = payload as Partial<ChunkPayload> | null | undefined;
  // Shop is checked again here: a chunk of another shop never leaves the store.
  if (!p || p.shop !== shop || typeof p.chunk_id !== "string") return undefined;
  return {
    id: p.chunk_id,
    sourceType: p.source_type as SourceType,
    sourceId: p.source_id ?? "",
    title: p.title ?? "",
    url: p.url ?? "",
    text: p.text ?? "",
    contentHash: p.content_hash ?? "",
    fields: p.fields ?? {},
  };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

function toStoreError(error: unknown, action: string, url: string): VectorStoreError {
  if (error instanceof VectorStoreError) return error;
  const status = statusOf(error);
  const detail = (error as { data?: { status?: { error?: string } } } | null)?.data?.status?.error;
  if (status === 401 || status === 403) {
    return new VectorStoreError("unavailable", `Qdrant refused the API key while trying to ${action}: check the key.`, {
      cause: error,
    });
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return new VectorStoreError(
      "invalid_input",
      `Qdrant rejected the request to ${action}: ${detail ?? `HTTP ${status}`}.`,
      {
        cause: error,
      },
    );
  }
  if (status !== undefined) {
    return new VectorStoreError(
      "unavailable",
      `Qdrant failed to ${action} (HTTP ${status}${detail ? `: ${detail}` : ""}).`,
      {
        cause: error,
      },
    );
  }
  return new VectorStoreError("unavailable", `Could not reach Qdrant at ${url} to ${action}: is it running?`, {
    cause: error,
  });
}
