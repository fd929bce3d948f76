/**
 * The embedded vector index: sqlite-vec (`vec0`) for dense search, FTS5 for BM25, both
 * in one SQLite file beside a plain chunks table. Every index gets its own tables
 * (named after the embedding model), so a model change builds a new index beside the old.
 *
 * Every statement names its shop: `vec0` partitions on it, and chunk, FTS and variant
 * rows are reached only through the shop's chunk rows.
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
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
  /** Up to this many rows matching a filter vec0 cannot evaluate (source ids, variants), search only those rows. */
  prefilterMaxRows?: number;
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
/** Up to this many rows matching such a filter, score them one by one (~0.03 ms each). */
const POINT_LOOKUP_MAX_ROWS = 256;
/**
 * Candidates the binary first pass hands to exact rescoring, per requested hit. The bit scan
 * slows as its k grows (k=50: 2.8 ms, k=200: 9 ms at 30k chunks), so oversample moderately.
 */
const BINARY_OVERSAMPLING = 10;
const BINARY_MIN_CANDIDATES = 100;
const RRF_K = 60;

const TABLE_SUFFIXES = ["chunks", "variants", "variant_options", "vec", "bits", "fts"] as const;

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
    if (existing) {
      rowid = existing.rowid;
      stmt(
        `UPDATE ${t.chunks} SET source_type = ?, source_id = ?, title = ?, url = ?, text = ?, content_hash = ?,
         fields_json = ?, product_type = ?, policy_type = ?, price_min = ?, price_max = ?, available = ?
         WHERE rowid = ? AND shop = ?`,
      ).run(...values, rowid, shop);
      removeIndexedRows(shop, rowid);
    } else {
      const info = stmt(
        `INSERT INTO ${t.chunks} (shop, chunk_id, source_type, source_id, title, url, text, content_hash,
         fields_json, product_type, policy_type, price_min, price_max, available)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(shop, chunk.id, ...values);
      rowid = Number(info.lastInsertRowid);
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
    stmt(`INSERT INTO ${t.fts} (rowid, title, text) VALUES (?, ?, ?)`).run(rowid, chunk.title, chunk.text);
    for (const variant of fields.variants ?? []) {
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
  }

  const removeRows = db.transaction((shop: string, rowids: number[]) => {
    for (const rowid of rowids) {
      removeIndexedRows(shop, rowid);
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
    return stmt(`DELETE FROM ${t.chunks} WHERE shop = ?`).run(shop).changes;
  });

  /** SQL conditions on the chunks table (alias c) for the whole filter. */
  function chunkConditions(shop: string, f: NormalizedFilter): { sql: string; params: unknown[] } {
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
    if (f.variant) {
      // Driven from the (name, value) index: only variants holding the first option are visited.
      const joins = f.variant.options
        .map(
          (_, i) =>
            ` JOIN ${t.variantOptions} o${i} ON o${i}.variant_rowid = v.rowid AND o${i}.name = ? AND o${i}.value = ?`,
        )
        .join("");
      for (const [name, value] of f.variant.options) params.push(name, value);
      let where = "v.shop = ?";
      params.push(shop);
      if (f.variant.available !== undefined) {
        where += " AND v.available = ?";
        params.push(f.variant.available ? 1 : 0);
      }
      parts.push(`c.rowid IN (SELECT v.chunk_rowid FROM ${t.variants} v${joins} WHERE ${where})`);
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

  function needsChunkFilter(f: NormalizedFilter): boolean {
    return f.sourceIds !== undefined || f.variant !== undefined;
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
   * Top-n nearest rows that satisfy the whole filter. Conditions vec0 can evaluate run inside
   * the scan. Others (source ids, same-variant) select the matching rows first: a few are
   * scored one by one, more restrict the scan (`rowid IN`), and when the filter is not
   * selective an over-fetched list is filtered and grown until it holds n.
   */
  function nearestRows(table: string, shop: string, query: Float32Array, n: number, f: NormalizedFilter) {
    if (!needsChunkFilter(f)) return knn(table, shop, query, n, f);
    const cond = chunkConditions(shop, f);
    const allowed = (
      stmt(`SELECT c.rowid AS rowid FROM ${t.chunks} c WHERE c.shop = ?${cond.sql}`).all(shop, ...cond.params) as {
        rowid: number;
      }[]
    ).map((r) => r.rowid);
    if (allowed.length === 0) return [];
    if (allowed.length <= prefilterMaxRows) {
      if (allowed.length <= POINT_LOOKUP_MAX_ROWS) return exactDistances(query, allowed).slice(0, n);
      return knn(table, shop, query, Math.min(n, allowed.length), f, allowed);
    }
    const allowedSet = new Set(allowed);
    for (let fetch = Math.min(n * 4, MAX_KNN_K); ; fetch = Math.min(fetch * 4, MAX_KNN_K)) {
      const rows = knn(table, shop, query, fetch, f);
      const kept = rows.filter((r) => allowedSet.has(r.rowid));
      if (kept.length >= n || rows.length < fetch) return kept.slice(0, n);
      if (fetch === MAX_KNN_K) return knn(table, shop, query, n, f, allowed);
    }
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

  function denseSearch(shop: string, vector: number[], n: number, f: NormalizedFilter): Scored[] {
    const query = new Float32Array(vector);
    const k = Math.min(n, MAX_KNN_K);
    const useBits = hasBits && countShop(shop) > binaryThreshold;
    if (!useBits) {
      return nearestRows(t.vec, shop, query, k, f).map((r) => ({ rowid: r.rowid, score: 1 - r.distance }));
    }
    const candidates = nearestRows(
      t.bits,
      shop,
      query,
      Math.min(Math.max(k * BINARY_OVERSAMPLING, BINARY_MIN_CANDIDATES), MAX_KNN_K),
      f,
    );
    if (candidates.length === 0) return [];
    return exactDistances(
      query,
      candidates.map((c) => c.rowid),
    )
      .slice(0, k)
      .map((r) => ({ rowid: r.rowid, score: 1 - r.distance }));
  }

  function sparseSearch(shop: string, text: string, n: number, f: NormalizedFilter): Scored[] {
    const match = toFtsQuery(text);
    if (!match) return [];
    const cond = chunkConditions(shop, f);
    // Title matches weigh double: a product named for the query is usually the answer.
    const rows = stmt(
      `SELECT c.rowid AS rowid, bm25(${t.fts}, 2.0, 1.0) AS rank FROM ${t.fts}
       JOIN ${t.chunks} c ON c.rowid = ${t.fts}.rowid
       WHERE ${t.fts} MATCH ? AND c.shop = ?${cond.sql} ORDER BY rank LIMIT ?`,
    ).all(match, shop, ...cond.params, n) as { rowid: number; rank: number }[];
    return rows.map((r) => ({ rowid: r.rowid, score: -r.rank }));
  }

  function loadChunks(shop: string, rowids: number[]): Map<number, IndexChunk> {
    const rows = stmt(
      `SELECT rowid, chunk_id, source_type, source_id, title, url, text, content_hash, fields_json
       FROM ${t.chunks} WHERE shop = ? AND rowid IN (SELECT value FROM json_each(?))`,
    ).all(shop, JSON.stringify(rowids)) as ChunkRow[];
    return new Map(rows.map((r) => [r.rowid, toIndexChunk(r)]));
  }

  function countShop(shop: string): number {
    return (stmt(`SELECT count(*) AS n FROM ${t.chunks} WHERE shop = ?`).get(shop) as { n: number }).n;
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
      writeChunks(shop, chunks);
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
      return removeRows(shop, rowids);
    },

    async deleteSource(shop, sourceType: SourceType, sourceId) {
      assertOpen();
      assertShop(shop);
      const rowids = rowidsWhere(shop, " AND source_type = ? AND source_id = ?", [sourceType, sourceId]);
      return removeRows(shop, rowids);
    },

    async deleteShop(shop) {
      assertOpen();
      assertShop(shop);
      return removeShopRows(shop);
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
        const depth = Math.min(Math.max(k * 4, 40), MAX_KNN_K);
        const fused = fuseByReciprocalRank(
          [denseSearch(shop, request.vector!, depth, f), sparseSearch(shop, request.text!, depth, f)],
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
    })();
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
  const [chunks, variants, variantOptions, vec, bits, fts] = TABLE_SUFFIXES.map((s) => `${prefix}_${s}`);
  return { chunks, variants, variantOptions, vec, bits, fts };
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
      CREATE INDEX IF NOT EXISTS ${t.variantOptions}_value ON ${t.variantOptions} (name, value);
      CREATE VIRTUAL TABLE IF NOT EXISTS ${t.vec} USING vec0(
        shop text partition key,
        embedding float[${dimensions}] distance_metric=cosine,
        ${metadataColumns}
      );
      CREATE VIRTUAL TABLE IF NOT EXISTS ${t.fts} USING fts5(
        title, text, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2'
      );
    `);
    if (dimensions % 8 === 0) {
      db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${t.bits} USING vec0(
        shop text partition key,
        embedding bit[${dimensions}],
        ${metadataColumns}
      )`);
    }
    db.prepare(`INSERT INTO ${REGISTRY_TABLE} (name, table_prefix, dimensions, created_at) VALUES (?, ?, ?, ?)`).run(
      indexName,
      prefix,
      dimensions,
      new Date().toISOString(),
    );
  })();
  return prefix;
}

/** Any words of the query may match (OR); BM25 ranks chunks holding more and rarer ones first. */
export function toFtsQuery(text: string): string | undefined {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu);
  if (!words) return undefined;
  const unique = [...new Set(words)].slice(0, 64);
  return unique.map((w) => `"${w}"`).join(" OR ");
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
