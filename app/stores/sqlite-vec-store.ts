/**
 * The embedded vector index: sqlite-vec (`vec0`) for dense search, FTS5 for BM25, both
 * in one SQLite file beside a plain chunks table. Every index gets its own tables
 * (named after the embedding model), so a model change builds a new index beside the old.
 *
 * Every statement names its shop: `vec0` partitions on it, FTS rows carry a per-shop token
 * and are joined to the shop's filter rows, and variant rows are reached only through the
 * shop's chunk rows.
 *
 * Where the time goes at 100k chunks in one shop, and what each layout choice is for:
 * - BM25 joins every full-text match to its chunk's filter columns: a narrow `filters`
 *   table (a few dozen bytes a row) keeps that join cheap, where the wide chunks row
 *   (text and fields JSON, ~2 KB) cost ~60 ms a query.
 * - The shop token narrows the full-text match to the shop when the shop is a minority
 *   of the file; for a shop that is most of the file the token only adds work, so it is
 *   skipped then (confinement always holds through the join on `filters.shop`).
 * - Same-variant filters read a facet index (one key per option, pair of options and
 *   availability of each variant): the matching chunks are one index range, a check on one
 *   chunk is one lookup, and BM25 intersects the facet's full-text token with the words
 *   (walking the variant rows, ~10 per chunk, cost ~70 ms for a filter held by 32k chunks).
 * - Dense search under such a filter still over-fetches and checks: vec0 can only take the
 *   matching rows as a `rowid IN` list, which costs ~65 ms for 30k rows.
 * - vec0's KNN costs ~n*k (k=24: 5 ms, k=192: 20 ms at 100k bits): the binary first pass
 *   oversamples what the caller needs, not the extra depth hybrid fusion asks for.
 * - Words held by most rows ("size" in a catalog) carry no BM25 weight but are most of a
 *   match's cost: large indexes leave them out of the match.
 * - vec0 stores vectors in chunk blobs; a point lookup walks the blob's overflow pages,
 *   so float tables use small chunks (cheap exact rescoring of binary candidates).
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
import { foldForMatching, tokenize } from "../retrieval/text";
import { STOPWORDS } from "./sparse-text";
import type { SourceType } from "../catalog/types";
import {
  assertChunks,
  assertSearchRequest,
  assertShop,
  chunkPriceRange,
  fuseByReciprocalRank,
  normalizeFilter,
  normalizeFilterText,
  type NormalizedFilter,
} from "./store-input";
import type { EmbeddedChunk, IndexChunk, SearchHit, SearchRequest, VectorStore } from "./types";
import { VectorStoreError } from "./types";

type SqliteDatabase = Database.Database;

export interface SqliteVecStoreOptions {
  /** An open better-sqlite3 database (left open by close()), or a file path / ":memory:" the store opens and closes. */
  db: SqliteDatabase | string;
  indexName: string;
  dimensions: number;
  /**
   * Shops with more chunks than this (default 50,000) are searched on a binary-quantized copy
   * first and the candidates rescored exactly: a full float scan grows linearly (~118 ms at 150k).
   */
  binaryQuantizationThreshold?: number;
  /**
   * Shops of up to this many chunks select the rows matching a filter vec0 cannot evaluate
   * (same-variant) before the dense scan; larger shops check it on the nearest rows first.
   */
  prefilterMaxRows?: number;
  /** Indexes of at least this many rows (default 20,000) leave very common words out of BM25 matches. */
  commonWordMinRows?: number;
}

export interface SqliteIndexInfo {
  name: string;
  dimensions: number;
  tablePrefix: string;
  createdAt: string;
  chunkCount: number;
}

const REGISTRY_TABLE = "vector_indexes";
/**
 * Measured here (512-d, k=10): an exact float scan costs ~15 ms at 30k chunks, where the binary
 * pass saves little and loses recall; at 120k it costs 65-150 ms against ~40 ms for the binary pass.
 */
const DEFAULT_BINARY_THRESHOLD = 50_000;
/** sqlite-vec refuses k above this. */
const MAX_KNN_K = 4096;
const DEFAULT_PREFILTER_MAX_ROWS = 10_000;
/**
 * vec0 vectors per chunk blob in the float table. A point lookup (exact rescoring) walks the
 * blob's overflow pages: ~250 us at 1024 (the default), ~10 us at 64; a full scan slows ~20%
 * at 64. 128 balances the two.
 */
const FLOAT_CHUNK_SIZE = 128;
/**
 * A filter the SQL engine can only check row by row (same-variant) is applied to a bounded
 * candidate list first, widened by this factor a few times before the exact (slower) path.
 */
const POST_FILTER_FIRST = 3;
const POST_FILTER_MIN = 64;
const POST_FILTER_GROWTH = 4;
const POST_FILTER_ROUNDS = 2;
/** Up to this many rows matching such a filter, score them one by one (~0.03 ms each). */
const POINT_LOOKUP_MAX_ROWS = 256;
/**
 * Candidates the binary first pass hands to exact rescoring, per requested hit. The bit scan
 * slows steeply as its k grows (100k chunks: k=100 ~11 ms, k=240 ~26 ms, k=960 ~140 ms),
 * so oversample moderately.
 */
const BINARY_OVERSAMPLING = 4;
const BINARY_MIN_CANDIDATES = 100;
/**
 * Query words held by more than this share of the index's rows are left out of the full-text
 * match in indexes of at least COMMON_WORD_MIN_ROWS rows. FTS5's IDF there is under 0.41
 * (a word in 10% of rows: 2.2), while matching such a word is most of a query's cost
 * (100k chunks: "jacket come tall sizes" 49 ms, without "sizes", in 60% of rows, 17 ms).
 */
const COMMON_WORD_SHARE = 0.4;
const COMMON_WORD_MIN_ROWS = 20_000;
const WORD_COUNT_TTL_MS = 10 * 60_000;
const WORD_COUNT_CACHE_MAX = 5_000;
const RRF_K = 60;

const TABLE_SUFFIXES = ["chunks", "variants", "variant_options", "vec", "bits", "fts", "filters", "shops", "facets"] as const;

/** Sentinels: vec0 metadata columns cannot hold NULL. */
const UNKNOWN_NUMBER = -1;
const UNKNOWN_TEXT = "";

interface ChunkRow {
  rowid: number;
  chunk_id: string;
  source_type: string;
  source_id: string;
  title: string;
  url: string;
  text: string;
  content_hash: string;
  fields_json: string;
}

interface Scored {
  rowid: number;
  score: number;
}

export function createSqliteVecStore(options: SqliteVecStoreOptions): VectorStore {
  const { indexName, dimensions } = options;
  if (typeof indexName !== "string" || indexName.trim() === "") {
    throw new VectorStoreError("invalid_input", "The vector index needs a name (the embedding model id).");
  }
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new VectorStoreError("invalid_input", "The vector index needs a positive whole number of dimensions.");
  }
  const ownsDb = typeof options.db === "string";
  const db = openDatabase(options.db);
  const prefix = ensureIndexTables(db, indexName, dimensions);
  const t = tableNames(prefix);
  // vec_quantize_binary packs 8 dimensions per byte.
  const hasBits = dimensions % 8 === 0;
  const binaryThreshold = options.binaryQuantizationThreshold ?? DEFAULT_BINARY_THRESHOLD;
  const prefilterMaxRows = options.prefilterMaxRows ?? DEFAULT_PREFILTER_MAX_ROWS;
  const commonWordMinRows = options.commonWordMinRows ?? COMMON_WORD_MIN_ROWS;
  const statements = new Map<string, Database.Statement>();
  let closed = false;

  function stmt(sql: string): Database.Statement {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  }

  function assertOpen(): void {
    if (closed) throw new VectorStoreError("store_closed", `The vector index ${indexName} was closed.`);
  }

  const writeChunks = db.transaction((shop: string, chunks: EmbeddedChunk[]) => {
    for (const chunk of chunks) writeChunk(shop, chunk);
  });

  function writeChunk(shop: string, chunk: EmbeddedChunk): void {
    const fields = chunk.fields ?? {};
    const price = chunkPriceRange(fields);
    const productType = fields.productType ? normalizeFilterText(fields.productType) : null;
    const policyType = fields.policyType ? normalizeFilterText(fields.policyType) : null;
    const available = typeof fields.available === "boolean" ? (fields.available ? 1 : 0) : null;
    const values = [
      chunk.sourceType,
      chunk.sourceId,
      chunk.title,
      chunk.url,
      chunk.text,
      chunk.contentHash,
      JSON.stringify(fields),
      productType,
      policyType,
      price?.min ?? null,
      price?.max ?? null,
      available,
    ];
    const existing = stmt(`SELECT rowid FROM ${t.chunks} WHERE shop = ? AND chunk_id = ?`).get(shop, chunk.id) as
      | { rowid: number }
      | undefined;
    let rowid: number;
    const filterValues = [chunk.sourceType, chunk.sourceId, productType, policyType, price?.min ?? null, price?.max ?? null, available];
    if (existing) {
      rowid = existing.rowid;
      stmt(
        `UPDATE ${t.chunks} SET source_type = ?, source_id = ?, title = ?, url = ?, text = ?, content_hash = ?,
         fields_json = ?, product_type = ?, policy_type = ?, price_min = ?, price_max = ?, available = ?
         WHERE rowid = ? AND shop = ?`,
      ).run(...values, rowid, shop);
      stmt(
        `UPDATE ${t.filters} SET source_type = ?, source_id = ?, product_type = ?, policy_type = ?, price_min = ?,
         price_max = ?, available = ? WHERE rowid = ? AND shop = ?`,
      ).run(...filterValues, rowid, shop);
      removeIndexedRows(shop, rowid);
    } else {
      const info = stmt(
        `INSERT INTO ${t.chunks} (shop, chunk_id, source_type, source_id, title, url, text, content_hash,
         fields_json, product_type, policy_type, price_min, price_max, available)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(shop, chunk.id, ...values);
      rowid = Number(info.lastInsertRowid);
      stmt(
        `INSERT INTO ${t.filters} (rowid, shop, source_type, source_id, product_type, policy_type, price_min, price_max, available)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(rowid, shop, ...filterValues);
    }
    const vector = new Float32Array(chunk.vector);
    const metadata = [
      chunk.sourceType,
      available === null ? BigInt(UNKNOWN_NUMBER) : BigInt(available),
      price?.min ?? UNKNOWN_NUMBER,
      price?.max ?? UNKNOWN_NUMBER,
      productType ?? UNKNOWN_TEXT,
      policyType ?? UNKNOWN_TEXT,
    ];
    const vecColumns =
      "rowid, shop, embedding, source_type, available, price_min, price_max, product_type, policy_type";
    stmt(`INSERT INTO ${t.vec} (${vecColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      BigInt(rowid),
      shop,
      vector,
      ...metadata,
    );
    if (hasBits) {
      stmt(`INSERT INTO ${t.bits} (${vecColumns}) VALUES (?, ?, vec_quantize_binary(?), ?, ?, ?, ?, ?, ?)`).run(
        BigInt(rowid),
        shop,
        vector,
        ...metadata,
      );
    }
    const facets = new Set<string>();
    for (const variant of fields.variants ?? []) {
      for (const key of variantFacets(variant)) facets.add(key);
      const info = stmt(`INSERT INTO ${t.variants} (chunk_rowid, shop, available) VALUES (?, ?, ?)`).run(
        rowid,
        shop,
        variant.available ? 1 : 0,
      );
      for (const [name, value] of Object.entries(variant.options ?? {})) {
        stmt(`INSERT OR REPLACE INTO ${t.variantOptions} (variant_rowid, name, value) VALUES (?, ?, ?)`).run(
          info.lastInsertRowid,
          normalizeFilterText(name),
          normalizeFilterText(String(value)),
        );
      }
    }
    const addFacet = stmt(`INSERT OR IGNORE INTO ${t.facets} (shop, key, chunk_rowid) VALUES (?, ?, ?)`);
    for (const key of facets) addFacet.run(shop, key, rowid);
    stmt(`INSERT INTO ${t.fts} (rowid, shop, title, text, facets) VALUES (?, ?, ?, ?, ?)`).run(
      rowid,
      shopToken(shop),
      ftsText(chunk.title),
      ftsText(chunk.text),
      facetTokens(facets),
    );
  }

  /** Everything derived from a chunk row, so the row can be rewritten or removed. */
  function removeIndexedRows(shop: string, rowid: number): void {
    stmt(`DELETE FROM ${t.vec} WHERE rowid = ?`).run(BigInt(rowid));
    if (hasBits) stmt(`DELETE FROM ${t.bits} WHERE rowid = ?`).run(BigInt(rowid));
    stmt(`DELETE FROM ${t.fts} WHERE rowid = ?`).run(rowid);
    stmt(
      `DELETE FROM ${t.variantOptions} WHERE variant_rowid IN
       (SELECT rowid FROM ${t.variants} WHERE chunk_rowid = ? AND shop = ?)`,
    ).run(rowid, shop);
    stmt(`DELETE FROM ${t.variants} WHERE chunk_rowid = ? AND shop = ?`).run(rowid, shop);
    stmt(`DELETE FROM ${t.facets} WHERE chunk_rowid = ? AND shop = ?`).run(rowid, shop);
  }

  const removeRows = db.transaction((shop: string, rowids: number[]) => {
    for (const rowid of rowids) {
      removeIndexedRows(shop, rowid);
      stmt(`DELETE FROM ${t.filters} WHERE rowid = ? AND shop = ?`).run(rowid, shop);
      stmt(`DELETE FROM ${t.chunks} WHERE rowid = ? AND shop = ?`).run(rowid, shop);
    }
    return rowids.length;
  });

  /** Set-wise removal: a large shop's uninstall must not cost one statement per row. */
  const removeShopRows = db.transaction((shop: string): number => {
    const shopRows = `SELECT rowid FROM ${t.chunks} WHERE shop = ?`;
    stmt(`DELETE FROM ${t.vec} WHERE shop = ?`).run(shop);
    if (hasBits) stmt(`DELETE FROM ${t.bits} WHERE shop = ?`).run(shop);
    stmt(`DELETE FROM ${t.fts} WHERE rowid IN (${shopRows})`).run(shop);
    stmt(`DELETE FROM ${t.variantOptions} WHERE variant_rowid IN (SELECT rowid FROM ${t.variants} WHERE shop = ?)`).run(
      shop,
    );
    stmt(`DELETE FROM ${t.variants} WHERE shop = ?`).run(shop);
    stmt(`DELETE FROM ${t.facets} WHERE shop = ?`).run(shop);
    stmt(`DELETE FROM ${t.filters} WHERE shop = ?`).run(shop);
    return stmt(`DELETE FROM ${t.chunks} WHERE shop = ?`).run(shop).changes;
  });

  /**
   * SQL conditions on the filters table (alias c) for the filter. The same-variant condition
   * is written either per row (`EXISTS`, cheap on a bounded candidate list) or as the set of
   * chunks holding such a variant (`IN`, read from the facet index).
   */
  function chunkConditions(
    shop: string,
    f: NormalizedFilter,
    variant: "exists" | "set" | "skip",
  ): { sql: string; params: unknown[] } {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (f.sourceTypes) {
      parts.push("c.source_type IN (SELECT value FROM json_each(?))");
      params.push(JSON.stringify(f.sourceTypes));
    }
    if (f.sourceIds) {
      parts.push("c.source_id IN (SELECT value FROM json_each(?))");
      params.push(JSON.stringify(f.sourceIds));
    }
    if (f.productType) {
      parts.push("c.product_type = ?");
      params.push(f.productType);
    }
    if (f.policyType) {
      parts.push("c.policy_type = ?");
      params.push(f.policyType);
    }
    if (f.available !== undefined) {
      parts.push("c.available = ?");
      params.push(f.available ? 1 : 0);
    }
    // A chunk matches a price filter when its price range overlaps the asked range.
    if (f.priceMin !== undefined) {
      parts.push("c.price_max >= ?");
      params.push(f.priceMin);
    }
    if (f.priceMax !== undefined) {
      parts.push("c.price_min <= ?");
      params.push(f.priceMax);
    }
    if (f.variant && variant !== "skip") {
      // A facet key answers "one variant has these options (and this availability)" in one
      // indexed lookup: exactly for up to two options, as a narrowing step for more.
      const { key, exact } = filterFacet(f.variant);
      parts.push(
        variant === "exists"
          ? `EXISTS (SELECT 1 FROM ${t.facets} fc WHERE fc.shop = ? AND fc.key = ? AND fc.chunk_rowid = c.rowid)`
          : `c.rowid IN (SELECT fc.chunk_rowid FROM ${t.facets} fc WHERE fc.shop = ? AND fc.key = ?)`,
      );
      params.push(shop, key);
      if (!exact) {
        // Per row, from the chunk's own variants (CROSS JOIN fixes that order; the planner would
        // otherwise start from every variant holding the option).
        const joins = f.variant.options
          .map((_, i) => ` CROSS JOIN ${t.variantOptions} o${i} ON o${i}.variant_rowid = v.rowid AND o${i}.name = ? AND o${i}.value = ?`)
          .join("");
        for (const [name, value] of f.variant.options) params.push(name, value);
        let where = "v.shop = ?";
        params.push(shop);
        if (f.variant.available !== undefined) {
          where += " AND v.available = ?";
          params.push(f.variant.available ? 1 : 0);
        }
        parts.push(`EXISTS (SELECT 1 FROM ${t.variants} v${joins} WHERE v.chunk_rowid = c.rowid AND ${where})`);
      }
    }
    return { sql: parts.map((p) => ` AND ${p}`).join(""), params };
  }

  /** The part of the filter vec0 metadata columns can evaluate inside the KNN scan. */
  function vecConditions(f: NormalizedFilter): { sql: string; params: unknown[] } {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (f.sourceTypes) {
      parts.push(`source_type IN (${f.sourceTypes.map(() => "?").join(", ")})`);
      params.push(...f.sourceTypes);
    }
    if (f.productType) {
      parts.push("product_type = ?");
      params.push(f.productType);
    }
    if (f.policyType) {
      parts.push("policy_type = ?");
      params.push(f.policyType);
    }
    if (f.available !== undefined) {
      parts.push("available = ?");
      params.push(f.available ? 1n : 0n);
    }
    if (f.priceMin !== undefined) {
      parts.push("price_max >= ?");
      params.push(Math.max(f.priceMin, 0));
    }
    if (f.priceMax !== undefined) {
      // The lower bound skips the "unknown price" sentinel.
      parts.push("price_min <= ?", "price_min >= 0");
      params.push(f.priceMax);
    }
    return { sql: parts.map((p) => ` AND ${p}`).join(""), params };
  }

  /** Rows of the shop matching the whole filter, found from the filter's own indexes. */
  function allowedRows(shop: string, f: NormalizedFilter): number[] {
    const cond = chunkConditions(shop, f, "set");
    return (
      stmt(`SELECT c.rowid AS rowid FROM ${t.filters} c WHERE c.shop = ?${cond.sql}`).all(shop, ...cond.params) as {
        rowid: number;
      }[]
    ).map((r) => r.rowid);
  }

  /** Which of these rows (of the shop) satisfy the whole filter: one indexed check per row. */
  function keepRows(shop: string, f: NormalizedFilter, rowids: number[]): Set<number> {
    if (rowids.length === 0) return new Set();
    const cond = chunkConditions(shop, f, "exists");
    const rows = stmt(
      `SELECT c.rowid AS rowid FROM ${t.filters} c
       WHERE c.rowid IN (SELECT value FROM json_each(?)) AND c.shop = ?${cond.sql}`,
    ).all(JSON.stringify(rowids), shop, ...cond.params) as { rowid: number }[];
    return new Set(rows.map((r) => r.rowid));
  }

  /**
   * Top rows of a ranked search under a filter checked row by row: rank a bounded list without
   * that condition, keep the rows that pass, and widen while too few pass. `want` rows are
   * returned when found; `minimum` is enough (the caller's own need). Returns undefined when
   * the condition is too selective for that, so the caller takes its exact path.
   */
  function postFiltered<T extends { rowid: number }>(
    shop: string,
    f: NormalizedFilter,
    size: { want: number; minimum: number; first: number; limit: number },
    ranked: (fetch: number) => T[],
  ): T[] | undefined {
    const { want, limit } = size;
    const minimum = Math.min(size.minimum, want);
    let fetch = Math.min(size.first, limit);
    for (let round = 0; round < POST_FILTER_ROUNDS; round++) {
      const rows = ranked(fetch);
      const keep = keepRows(
        shop,
        f,
        rows.map((r) => r.rowid),
      );
      const kept = rows.filter((r) => keep.has(r.rowid));
      if (kept.length >= minimum || rows.length < fetch) return kept.slice(0, want);
      // None of a full list passing means the ranking favours rows the filter excludes (the
      // product in context, say): widening would rank again for little, selecting rows is surer.
      if (fetch >= limit || kept.length === 0) break;
      // Widen by the pass rate seen so far (with a margin), at most by POST_FILTER_GROWTH.
      const needed = kept.length > 0 ? Math.ceil((fetch * minimum * 1.5) / kept.length) : fetch * POST_FILTER_GROWTH;
      fetch = Math.min(Math.max(needed, fetch * 2), fetch * POST_FILTER_GROWTH, limit);
    }
    return undefined;
  }

  function knn(
    table: string,
    shop: string,
    query: Float32Array,
    k: number,
    f: NormalizedFilter,
    allowed?: number[],
  ): { rowid: number; distance: number }[] {
    const cond = vecConditions(f);
    const embedding = table === t.bits ? "vec_quantize_binary(?)" : "?";
    const allowedSql = allowed ? " AND rowid IN (SELECT value FROM json_each(?))" : "";
    const params: unknown[] = [query, k, shop, ...cond.params];
    if (allowed) params.push(JSON.stringify(allowed));
    return stmt(
      `SELECT rowid, distance FROM ${table} WHERE embedding MATCH ${embedding} AND k = ? AND shop = ?${cond.sql}${allowedSql}
       ORDER BY distance`,
    ).all(...params) as { rowid: number; distance: number }[];
  }

  /**
   * Nearest rows that satisfy the whole filter (`want` of them; `minimum` is enough when the
   * filter is checked on an over-fetched list). Conditions vec0 evaluates cheaply run inside the
   * scan. Others select the matching rows first when that is cheap (a source-id filter, or a
   * shop of up to prefilterMaxRows chunks): a few are scored one by one, more restrict the scan
   * (`rowid IN`). In a larger shop they are checked on an over-fetched list of nearest rows
   * instead (the vec0 scan slows steeply with its k, so a filter too selective for that falls
   * back to selecting its rows).
   */
  function nearestRows(table: string, shop: string, shopRows: number, query: Float32Array, want: number, minimum: number, f: NormalizedFilter) {
    if (f.sourceIds === undefined && f.variant === undefined) return knn(table, shop, query, want, f);
    if (f.sourceIds === undefined && shopRows > prefilterMaxRows) {
      // The bit table's list is already oversampled: start near it and widen once by the pass
      // rate. The float table takes one wider pass (a scan with k in the thousands costs more
      // than selecting the rows).
      const onePass = Math.min(Math.max(want * POST_FILTER_FIRST, POST_FILTER_MIN), MAX_KNN_K);
      const size =
        table === t.bits
          ? { want, minimum, first: Math.ceil(want * 1.5), limit: Math.min(want * POST_FILTER_GROWTH, MAX_KNN_K) }
          : { want, minimum, first: onePass, limit: onePass };
      const found = postFiltered(shop, f, size, (fetch) => knn(table, shop, query, fetch, f));
      if (found) return found;
    }
    const allowed = allowedRows(shop, f);
    if (allowed.length === 0) return [];
    if (allowed.length <= POINT_LOOKUP_MAX_ROWS) return exactDistances(query, allowed).slice(0, want);
    return knn(table, shop, query, Math.min(want, allowed.length), f, allowed);
  }

  /** Exact float distances of a few rows, by rowid point lookups (sorted, nearest first). */
  function exactDistances(query: Float32Array, rowids: number[]): { rowid: number; distance: number }[] {
    // Point lookups: a `rowid IN (...)` over vec0 scans the whole table instead.
    const lookup = stmt(`SELECT vec_distance_cosine(embedding, ?) AS distance FROM ${t.vec} WHERE rowid = ?`);
    return rowids
      .flatMap((rowid) => {
        const row = lookup.get(query, BigInt(rowid)) as { distance: number } | undefined;
        return row ? [{ rowid, distance: row.distance }] : [];
      })
      .sort((a, b) => a.distance - b.distance);
  }

  /**
   * The `n` nearest rows. `need` (at most n) is how many the caller must have well ranked; a
   * hybrid search asks for more (depth for the fusion) than it needs. A large shop's bit pass
   * oversamples `need`, not `n`: its cost grows with its k (~n*k in vec0), and the rows past
   * `need` come from the exactly rescored candidates anyway.
   */
  function denseSearch(shop: string, vector: number[], n: number, f: NormalizedFilter, need = n): Scored[] {
    const query = new Float32Array(vector);
    const k = Math.min(n, MAX_KNN_K);
    const shopRows = countShop(shop);
    if (!hasBits || shopRows <= binaryThreshold) {
      return nearestRows(t.vec, shop, shopRows, query, k, Math.min(need, k), f).map((r) => ({ rowid: r.rowid, score: 1 - r.distance }));
    }
    const wanted = Math.min(Math.max(need * BINARY_OVERSAMPLING, BINARY_MIN_CANDIDATES, k), MAX_KNN_K);
    // Under a filter checked afterwards, a list holding `need` passing candidates is enough to
    // rescore (most hold more): widening the bit pass costs more than the rest of the search.
    const candidates = nearestRows(t.bits, shop, shopRows, query, wanted, Math.min(wanted, need), f);
    if (candidates.length === 0) return [];
    return exactDistances(
      query,
      candidates.map((c) => c.rowid),
    )
      .slice(0, k)
      .map((r) => ({ rowid: r.rowid, score: 1 - r.distance }));
  }

  /** The shop's rows and all rows of the index (every shop's share the full-text table). */
  function fullTextRows(shop: string): { own: number; all: number } {
    return stmt(
      `SELECT coalesce((SELECT chunk_count FROM ${t.shops} WHERE shop = ?), 0) AS own,
              coalesce((SELECT sum(chunk_count) FROM ${t.shops}), 0) AS "all"`,
    ).get(shop) as { own: number; all: number };
  }

  /** How many full-text rows hold each word, remembered a while: a word's share moves slowly. */
  const wordCounts = new Map<string, { rows: number; at: number }>();

  function rowsHolding(word: string): number {
    const cached = wordCounts.get(word);
    if (cached && Date.now() - cached.at < WORD_COUNT_TTL_MS) return cached.rows;
    if (wordCounts.size >= WORD_COUNT_CACHE_MAX) wordCounts.clear();
    // ~2.5 ms for a word in 60k rows, once per word and TTL: cheaper than matching it every time.
    const rows = (stmt(`SELECT count(*) AS n FROM ${t.fts} WHERE ${t.fts} MATCH ?`).get(`{title text} : "${word}"`) as { n: number }).n;
    wordCounts.set(word, { rows, at: Date.now() });
    return rows;
  }

  /**
   * The query words worth matching. In a large index, a word held by a large share of all rows
   * weighs next to nothing in FTS5's BM25 (its IDF is ~0) yet costs the most to score: it is
   * left out, unless every word is that common (then the rarest stays).
   */
  function informativeWords(words: string[], total: number): string[] {
    if (total < commonWordMinRows || words.length < 2) return words;
    const counted = words.map((word) => ({ word, rows: rowsHolding(word) }));
    const kept = counted.filter((c) => c.rows <= total * COMMON_WORD_SHARE);
    if (kept.length > 0) return kept.map((c) => c.word);
    return [counted.reduce((a, b) => (b.rows < a.rows ? b : a)).word];
  }

  /** The `n` best BM25 rows under the filter. */
  function sparseSearch(shop: string, text: string, n: number, f: NormalizedFilter): Scored[] {
    const found = ftsWords(text);
    if (!found) return [];
    const rows = fullTextRows(shop);
    const words = informativeWords(found, rows.all)
      .map((w) => `"${w}"`)
      .join(" OR ");
    // The shop column is searched only through its token, and only when the shop is a minority
    // of the index (then the token narrows the match); query words search title and text.
    // A same-variant filter joins the match as its facet token: FTS5 then scores only the
    // chunks holding such a variant, where checking ranked rows afterwards could rank every
    // match several times (a product in context pulls in rows the filter excludes).
    const facet = f.variant ? filterFacet(f.variant) : undefined;
    const match =
      (rows.own * 2 < rows.all ? `shop : "${shopToken(shop)}" AND {title text} : (${words})` : `{title text} : (${words})`) +
      (facet ? ` AND facets : "${facetToken(facet.key)}"` : "");
    // Title matches weigh double: a product named for the query is usually the answer.
    const cond = chunkConditions(shop, f, facet && !facet.exact ? "exists" : "skip");
    return (
      stmt(
        `SELECT c.rowid AS rowid, bm25(${t.fts}, 0.0, 2.0, 1.0, 0.0) AS rank FROM ${t.fts}
         JOIN ${t.filters} c ON c.rowid = ${t.fts}.rowid
         WHERE ${t.fts} MATCH ? AND c.shop = ?${cond.sql} ORDER BY rank LIMIT ?`,
      ).all(match, shop, ...cond.params, n) as { rowid: number; rank: number }[]
    ).map((r) => ({ rowid: r.rowid, score: -r.rank }));
  }

  function loadChunks(shop: string, rowids: number[]): Map<number, IndexChunk> {
    const rows = stmt(
      `SELECT rowid, chunk_id, source_type, source_id, title, url, text, content_hash, fields_json
       FROM ${t.chunks} WHERE shop = ? AND rowid IN (SELECT value FROM json_each(?))`,
    ).all(shop, JSON.stringify(rowids)) as ChunkRow[];
    return new Map(rows.map((r) => [r.rowid, toIndexChunk(r)]));
  }

  function countShop(shop: string): number {
    const row = stmt(`SELECT chunk_count AS n FROM ${t.shops} WHERE shop = ?`).get(shop) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  function rowidsWhere(shop: string, where: string, params: unknown[]): number[] {
    return (
      stmt(`SELECT rowid FROM ${t.chunks} WHERE shop = ?${where}`).all(shop, ...params) as { rowid: number }[]
    ).map((r) => r.rowid);
  }

  return {
    indexName,

    async upsert(shop, chunks) {
      assertOpen();
      assertShop(shop);
      assertChunks(chunks, dimensions);
      writeChunks.immediate(shop, chunks);
    },

    async contentHashes(shop, source) {
      assertOpen();
      assertShop(shop);
      const where = source ? " AND source_type = ? AND source_id = ?" : "";
      const rows = stmt(`SELECT chunk_id, content_hash FROM ${t.chunks} WHERE shop = ?${where}`).all(
        shop,
        ...(source ? [source.sourceType, source.sourceId] : []),
      ) as { chunk_id: string; content_hash: string }[];
      return new Map(rows.map((r) => [r.chunk_id, r.content_hash]));
    },

    async deleteChunks(shop, chunkIds) {
      assertOpen();
      assertShop(shop);
      if (chunkIds.length === 0) return 0;
      const rowids = rowidsWhere(shop, " AND chunk_id IN (SELECT value FROM json_each(?))", [JSON.stringify(chunkIds)]);
      return removeRows.immediate(shop, rowids);
    },

    async deleteSource(shop, sourceType: SourceType, sourceId) {
      assertOpen();
      assertShop(shop);
      const rowids = rowidsWhere(shop, " AND source_type = ? AND source_id = ?", [sourceType, sourceId]);
      return removeRows.immediate(shop, rowids);
    },

    async deleteShop(shop) {
      assertOpen();
      assertShop(shop);
      return removeShopRows.immediate(shop);
    },

    async search(shop, request: SearchRequest): Promise<SearchHit[]> {
      assertOpen();
      assertShop(shop);
      assertSearchRequest(request, dimensions);
      const f = normalizeFilter(request.filter);
      const { k } = request;
      let scored: Scored[];
      if (request.mode === "dense") scored = denseSearch(shop, request.vector!, k, f);
      else if (request.mode === "sparse") scored = sparseSearch(shop, request.text!, k, f);
      else {
        // Each list reaches past k so a chunk ranked moderately in both can still win.
        // Twice k is deep enough for that, and keeps the binary first pass of a large shop small.
        const depth = Math.min(Math.max(k * 2, 40), MAX_KNN_K);
        const fused = fuseByReciprocalRank(
          [denseSearch(shop, request.vector!, depth, f, k), sparseSearch(shop, request.text!, depth, f)],
          (s) => String(s.rowid),
          RRF_K,
        );
        scored = fused.slice(0, k).map(({ item, score }) => ({ rowid: item.rowid, score }));
      }
      const chunks = loadChunks(
        shop,
        scored.map((s) => s.rowid),
      );
      return scored.flatMap((s) => {
        const chunk = chunks.get(s.rowid);
        return chunk ? [{ chunk, score: s.score }] : [];
      });
    },

    async count(shop) {
      assertOpen();
      assertShop(shop);
      return countShop(shop);
    },

    async close() {
      if (closed) return;
      closed = true;
      statements.clear();
      if (ownsDb) db.close();
    },
  };
}

/** Indexes held in this SQLite file, one per embedding model. */
export function listSqliteIndexes(dbOrPath: SqliteDatabase | string): SqliteIndexInfo[] {
  return withDatabase(dbOrPath, (db) => {
    if (!registryExists(db)) return [];
    const rows = db
      .prepare(`SELECT name, dimensions, table_prefix, created_at FROM ${REGISTRY_TABLE} ORDER BY created_at, name`)
      .all() as { name: string; dimensions: number; table_prefix: string; created_at: string }[];
    return rows.map((r) => ({
      name: r.name,
      dimensions: r.dimensions,
      tablePrefix: r.table_prefix,
      createdAt: r.created_at,
      chunkCount: (db.prepare(`SELECT count(*) AS n FROM ${r.table_prefix}_chunks`).get() as { n: number }).n,
    }));
  });
}

/** Drops an index's tables (after a switch to another embedding model). Returns whether it existed. */
export function dropSqliteIndex(dbOrPath: SqliteDatabase | string, indexName: string): boolean {
  return withDatabase(dbOrPath, (db) => {
    if (!registryExists(db)) return false;
    const row = db.prepare(`SELECT table_prefix FROM ${REGISTRY_TABLE} WHERE name = ?`).get(indexName) as
      | { table_prefix: string }
      | undefined;
    if (!row) return false;
    db.transaction(() => {
      for (const table of Object.values(tableNames(row.table_prefix))) db.exec(`DROP TABLE IF EXISTS ${table}`);
      db.prepare(`DELETE FROM ${REGISTRY_TABLE} WHERE name = ?`).run(indexName);
    }).immediate();
    return true;
  });
}

function withDatabase<T>(dbOrPath: SqliteDatabase | string, use: (db: SqliteDatabase) => T): T {
  const db = openDatabase(dbOrPath);
  try {
    return use(db);
  } finally {
    if (typeof dbOrPath === "string") db.close();
  }
}

function openDatabase(dbOrPath: SqliteDatabase | string): SqliteDatabase {
  let db: SqliteDatabase;
  if (typeof dbOrPath === "string") {
    try {
      db = new Database(dbOrPath);
    } catch (error) {
      throw new VectorStoreError("unavailable", `Could not open the vector index file ${dbOrPath}.`, { cause: error });
    }
    if (dbOrPath !== ":memory:") {
      db.pragma("journal_mode = WAL");
      db.pragma("busy_timeout = 5000");
    }
  } else {
    db = dbOrPath;
  }
  try {
    db.prepare("SELECT vec_version()").get();
  } catch {
    sqliteVec.load(db);
  }
  return db;
}

function registryExists(db: SqliteDatabase): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(REGISTRY_TABLE);
}

function tableNames(prefix: string) {
  const [chunks, variants, variantOptions, vec, bits, fts, filters, shops, facets] = TABLE_SUFFIXES.map((s) => `${prefix}_${s}`);
  return { chunks, variants, variantOptions, vec, bits, fts, filters, shops, facets };
}

/** One full-text token per shop (a domain would split into several common words). */
export function shopToken(shop: string): string {
  return `shop${createHash("sha256").update(shop).digest("hex").slice(0, 20)}`;
}

/** Table prefix: readable, SQL-safe, and unique per name even when two names sanitize alike. */
export function sqliteTablePrefix(indexName: string): string {
  const readable = indexName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40);
  const hash = createHash("sha256").update(indexName).digest("hex").slice(0, 8);
  return `vi_${readable || "index"}_${hash}`;
}

/**
 * Marks (Devanagari vowel signs, Hebrew points) are part of a word, not separators. The
 * text written is already cut into words by the app's own tokenizer (ftsText), so CJK
 * runs arrive as characters and pairs; an index whose table lacks this option was
 * written before that and is rebuilt from its chunks (upgradeIndexTables).
 */
const FTS_TOKENIZER = "porter unicode61 remove_diacritics 2 categories ''L* N* Co M*''";

/** What the full-text table holds for a title or text: the words as retrieval/text.ts cuts them. */
export function ftsText(text: string): string {
  return tokenize(foldForMatching(text)).join(" ");
}

/**
 * The narrow per-chunk filter table (the full-text join reads it for every match), the per-shop
 * counts kept by triggers, and the full-text table with its shop-token column.
 */
const FILTER_TABLES_SQL = (t: ReturnType<typeof tableNames>) => `
  CREATE TABLE IF NOT EXISTS ${t.filters} (
    rowid INTEGER PRIMARY KEY,
    shop TEXT NOT NULL,
    source_type TEXT NOT NULL,
    source_id TEXT NOT NULL,
    product_type TEXT,
    policy_type TEXT,
    price_min REAL,
    price_max REAL,
    available INTEGER
  );
  CREATE INDEX IF NOT EXISTS ${t.filters}_source ON ${t.filters} (shop, source_type, source_id);
  ${FACET_TABLE_SQL(t)}
  CREATE TABLE IF NOT EXISTS ${t.shops} (shop TEXT PRIMARY KEY, chunk_count INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TRIGGER IF NOT EXISTS ${t.filters}_count_insert AFTER INSERT ON ${t.filters} BEGIN
    INSERT INTO ${t.shops} (shop, chunk_count) VALUES (new.shop, 1)
      ON CONFLICT (shop) DO UPDATE SET chunk_count = chunk_count + 1;
  END;
  CREATE TRIGGER IF NOT EXISTS ${t.filters}_count_delete AFTER DELETE ON ${t.filters} BEGIN
    UPDATE ${t.shops} SET chunk_count = chunk_count - 1 WHERE shop = old.shop;
    DELETE FROM ${t.shops} WHERE shop = old.shop AND chunk_count <= 0;
  END;
  CREATE VIRTUAL TABLE IF NOT EXISTS ${t.fts} USING fts5(
    shop, title, text, facets, content='', contentless_delete=1, tokenize='${FTS_TOKENIZER}'
  );
`;

/**
 * Per chunk, one row per facet key of its variants (see variantFacets): the same-variant
 * filter becomes one index range (the chunks holding such a variant) or one point lookup
 * (does this chunk hold one), where walking the variant tables cost ~70 ms at 100k chunks.
 */
const FACET_TABLE_SQL = (t: ReturnType<typeof tableNames>) => `
  CREATE TABLE IF NOT EXISTS ${t.facets} (
    shop TEXT NOT NULL,
    key TEXT NOT NULL,
    chunk_rowid INTEGER NOT NULL,
    PRIMARY KEY (shop, key, chunk_rowid)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS ${t.facets}_chunk ON ${t.facets} (chunk_rowid);
`;

/** Orders option names as SQLite's BINARY collation does (UTF-8 bytes), so keys written by SQL and by code agree. */
function byUtf8(a: [string, string], b: [string, string]): number {
  return Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]));
}

const FACET_ANY_OPTION = "*";

/**
 * A variant's facet keys: each option ("size=8") and each pair of options
 * ("colour=red&size=8", names in order), each alone and with the variant's availability
 * ("size=8|1"); and its availability alone ("*|1").
 */
export function variantFacets(variant: { options?: Record<string, string>; available?: boolean }): string[] {
  const options = Object.entries(variant.options ?? {})
    .map(([name, value]): [string, string] => [normalizeFilterText(name), normalizeFilterText(String(value))])
    .sort(byUtf8);
  const bare: string[] = options.map(([n, v]) => `${n}=${v}`);
  for (let i = 0; i < options.length; i++) {
    for (let j = i + 1; j < options.length; j++) bare.push(`${options[i][0]}=${options[i][1]}&${options[j][0]}=${options[j][1]}`);
  }
  const availability = `|${variant.available ? 1 : 0}`;
  return [...bare, ...bare.map((k) => k + availability), FACET_ANY_OPTION + availability];
}

/**
 * A facet key as one full-text token: a letter and decimal digits pass the tokenizer whole
 * (no separator splits them, no stemming rule applies) and never equal a word of the text.
 */
export function facetToken(key: string): string {
  return `k${createHash("sha256").update(key).digest().readBigUInt64BE(0).toString()}`;
}

function facetTokens(keys: Iterable<string>): string {
  return [...keys].map(facetToken).join(" ");
}

/** The facet key a same-variant filter looks up, and whether that key alone decides it (up to two options). */
export function filterFacet(variant: { options: [string, string][]; available?: boolean }): { key: string; exact: boolean } {
  const options = [...variant.options].sort(byUtf8).slice(0, 2);
  const suffix = variant.available === undefined ? "" : `|${variant.available ? 1 : 0}`;
  const key = options.length === 0 ? `${FACET_ANY_OPTION}${suffix || "|1"}` : options.map(([n, v]) => `${n}=${v}`).join("&") + suffix;
  if (options.length === 0 && variant.available === undefined) return { key, exact: false };
  return { key, exact: variant.options.length <= 2 };
}

/** Fills the facet table of an index written before it existed, from the variant tables. */
function backfillFacets(db: SqliteDatabase, t: ReturnType<typeof tableNames>): void {
  const insert = (keySql: string, from: string) =>
    db.exec(`INSERT OR IGNORE INTO ${t.facets} (shop, key, chunk_rowid)
      SELECT v.shop, ${keySql}, v.chunk_rowid FROM ${t.variants} v ${from}`);
  const one = `JOIN ${t.variantOptions} o1 ON o1.variant_rowid = v.rowid`;
  const two = `${one} JOIN ${t.variantOptions} o2 ON o2.variant_rowid = v.rowid AND o2.name > o1.name`;
  const single = "o1.name || '=' || o1.value";
  const pair = "o1.name || '=' || o1.value || '&' || o2.name || '=' || o2.value";
  insert(single, one);
  insert(`${single} || '|' || v.available`, one);
  insert(pair, two);
  insert(`${pair} || '|' || v.available`, two);
  insert(`'${FACET_ANY_OPTION}|' || v.available`, "");
}

/** Covers the same-variant set query (option -> variant) without visiting the table rows. */
const VARIANT_OPTION_INDEX_SQL = (t: ReturnType<typeof tableNames>) =>
  `CREATE INDEX IF NOT EXISTS ${t.variantOptions}_value ON ${t.variantOptions} (name, value, variant_rowid);`;

/**
 * Brings an index written by an earlier layout (no filter table, full text without the shop
 * column) up to date from its chunks table, in one transaction. Vectors are kept as they are.
 */
function upgradeIndexTables(db: SqliteDatabase, prefix: string): void {
  const t = tableNames(prefix);
  const exists = (name: string) => !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
  const layout = () => {
    const hasFilters = exists(t.filters);
    const ftsSql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").pluck().get(t.fts) as string | undefined) ?? "";
    const ftsCurrent =
      hasFilters &&
      ftsSql.includes("categories") &&
      (db.prepare(`SELECT * FROM ${t.fts} LIMIT 0`).columns() as { name: string }[]).some((c) => c.name === "facets");
    return { hasFacets: exists(t.facets), hasFilters, current: exists(t.facets) && ftsCurrent };
  };
  if (layout().current) return;
  db.transaction(() => {
    // Looked at again under the write lock: another process may have upgraded meanwhile.
    const { hasFacets, hasFilters, current } = layout();
    if (current) return;
    if (!hasFacets) {
      db.exec(FACET_TABLE_SQL(t));
      backfillFacets(db, t);
    }
    if (!hasFilters) {
      db.exec(`DROP INDEX IF EXISTS ${t.variantOptions}_value`);
      db.exec(VARIANT_OPTION_INDEX_SQL(t));
    }
    // The full-text table is derived: rebuilt whole from the chunks and their facets.
    db.exec(`DROP TABLE IF EXISTS ${t.fts}`);
    db.exec(FILTER_TABLES_SQL(t));
    if (!hasFilters) {
      db.exec(`INSERT INTO ${t.filters} (rowid, shop, source_type, source_id, product_type, policy_type, price_min, price_max, available)
        SELECT rowid, shop, source_type, source_id, product_type, policy_type, price_min, price_max, available FROM ${t.chunks}`);
    }
    // In pages: a connection cannot write while a statement iterates.
    const page = db.prepare(`SELECT rowid, shop, title, text FROM ${t.chunks} WHERE rowid > ? ORDER BY rowid LIMIT 2000`);
    const keysOf = db.prepare(`SELECT key FROM ${t.facets} WHERE chunk_rowid = ?`).pluck();
    const fill = db.prepare(`INSERT INTO ${t.fts} (rowid, shop, title, text, facets) VALUES (?, ?, ?, ?, ?)`);
    for (let after = 0; ; ) {
      const rows = page.all(after) as { rowid: number; shop: string; title: string; text: string }[];
      if (rows.length === 0) break;
      for (const r of rows) fill.run(r.rowid, shopToken(r.shop), ftsText(r.title), ftsText(r.text), facetTokens(keysOf.all(r.rowid) as string[]));
      after = rows[rows.length - 1].rowid;
    }
  }).immediate();
}

function ensureIndexTables(db: SqliteDatabase, indexName: string, dimensions: number): string {
  db.exec(`CREATE TABLE IF NOT EXISTS ${REGISTRY_TABLE} (
    name TEXT PRIMARY KEY,
    table_prefix TEXT NOT NULL UNIQUE,
    dimensions INTEGER NOT NULL,
    created_at TEXT NOT NULL
  )`);
  const existing = db
    .prepare(`SELECT table_prefix, dimensions FROM ${REGISTRY_TABLE} WHERE name = ?`)
    .get(indexName) as { table_prefix: string; dimensions: number } | undefined;
  if (existing) {
    if (existing.dimensions !== dimensions) {
      throw new VectorStoreError(
        "dimension_mismatch",
        `The vector index ${indexName} holds ${existing.dimensions}-dimension vectors, not ${dimensions}: ` +
          "use the model that built it, or rebuild the index under a new name.",
      );
    }
    upgradeIndexTables(db, existing.table_prefix);
    return existing.table_prefix;
  }
  const prefix = sqliteTablePrefix(indexName);
  const t = tableNames(prefix);
  const metadataColumns =
    "source_type text, available integer, price_min float, price_max float, product_type text, policy_type text";
  db.transaction(() => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${t.chunks} (
        rowid INTEGER PRIMARY KEY,
        shop TEXT NOT NULL,
        chunk_id TEXT NOT NULL,
        source_type TEXT NOT NULL,
        source_id TEXT NOT NULL,
        title TEXT NOT NULL,
        url TEXT NOT NULL,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        fields_json TEXT NOT NULL,
        product_type TEXT,
        policy_type TEXT,
        price_min REAL,
        price_max REAL,
        available INTEGER,
        UNIQUE (shop, chunk_id)
      );
      CREATE INDEX IF NOT EXISTS ${t.chunks}_source ON ${t.chunks} (shop, source_type, source_id);
      CREATE TABLE IF NOT EXISTS ${t.variants} (
        rowid INTEGER PRIMARY KEY,
        chunk_rowid INTEGER NOT NULL,
        shop TEXT NOT NULL,
        available INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS ${t.variants}_chunk ON ${t.variants} (chunk_rowid);
      CREATE TABLE IF NOT EXISTS ${t.variantOptions} (
        variant_rowid INTEGER NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (variant_rowid, name)
      );
      ${VARIANT_OPTION_INDEX_SQL(t)}
      CREATE VIRTUAL TABLE IF NOT EXISTS ${t.vec} USING vec0(
        shop text partition key,
        embedding float[${dimensions}] distance_metric=cosine,
        ${metadataColumns},
        chunk_size=${FLOAT_CHUNK_SIZE}
      );
      ${FILTER_TABLES_SQL(t)}
    `);
    if (dimensions % 8 === 0) {
      db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${t.bits} USING vec0(
        shop text partition key,
        embedding bit[${dimensions}],
        ${metadataColumns}
      )`);
    }
    // OR IGNORE: another process may have created the same index (same name, same tables) first.
    db.prepare(`INSERT OR IGNORE INTO ${REGISTRY_TABLE} (name, table_prefix, dimensions, created_at) VALUES (?, ?, ?, ?)`).run(
      indexName,
      prefix,
      dimensions,
      new Date().toISOString(),
    );
  }).immediate();
  return prefix;
}

/** Any words of the query may match (OR); BM25 ranks chunks holding more and rarer ones first. */
export function toFtsQuery(text: string): string | undefined {
  return ftsWords(text)
    ?.map((w) => `"${w}"`)
    .join(" OR ");
}

/**
 * The query's distinct words, cut as the indexed text was (ftsText), without stopwords
 * (quoting them makes FTS5 syntax inert).
 */
export function ftsWords(text: string): string[] | undefined {
  const words = tokenize(foldForMatching(text));
  if (words.length === 0) return undefined;
  // Stopwords match nearly every chunk: BM25 would score tens of thousands of rows
  // for "is this ...". A query of stopwords alone keeps them rather than match nothing.
  const meaningful = words.filter((w) => !STOPWORDS.has(w));
  return [...new Set(meaningful.length ? meaningful : words)].slice(0, 64);
}

function toIndexChunk(row: ChunkRow): IndexChunk {
  return {
    id: row.chunk_id,
    sourceType: row.source_type as SourceType,
    sourceId: row.source_id,
    title: row.title,
    url: row.url,
    text: row.text,
    contentHash: row.content_hash,
    fields: JSON.parse(row.fields_json) as IndexChunk["fields"],
  };
}
