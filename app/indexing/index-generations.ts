/**
 * Index generations: one search index per embedding model, and per shop a record
 * (SearchIndex rows) of which index is building, ready or retired. A model change
 * rebuilds each shop's index from the stored catalog while the previous model's
 * index keeps answering in BM25 mode (docs/decisions/008):
 * - writes go to the current model's index;
 * - a shop's reads go to the current index once it is ready for that shop, or when the
 *   shop never had another ready index (a fresh shop); otherwise to the newest older
 *   ready index, in sparse mode, because the old model cannot embed the query;
 * - deletes reach every index that still holds the shop, so a removed product never
 *   comes back from an older index.
 */
import type { CatalogBatch, CatalogDocument, CatalogPage, CatalogPolicy, CatalogProduct, SourceType } from "../catalog/types";
import type { Db } from "../db/open-database";
import type { Queue } from "../jobs/queue";
import type { EmbeddedChunk, SearchHit, SearchRequest, VectorStore } from "../stores/types";
import { indexCatalog, type IndexCatalogResult, type IndexDeps, type IndexProgress } from "./index-catalog";

export type SearchIndexStatus = "building" | "ready" | "retired";

/** An index as the registry knows it: its name in the backend, the model that fills it, and its vector size. */
export interface SearchIndexRef {
  name: string;
  model: string;
  dimensions: number;
}

/** Reaches indexes other than the current one, wherever the backend keeps them. */
export interface IndexOpener {
  /** Opens an existing index, or null when the backend no longer holds it (it must never create one). */
  open(index: SearchIndexRef): VectorStore | null;
  /** Indexes the backend holds (sqlite-vec lists them): finds shops indexed before the registry existed. */
  list?(): SearchIndexRef[];
  /** Frees an index no shop has chunks in any more. Returns whether it did. */
  dropIfEmpty?(name: string): Promise<boolean>;
}

/** Opens nothing: for a store supplied from outside, whose older indexes are unknown. */
export const NO_OLDER_INDEXES: IndexOpener = { open: () => null };

export interface ReadTarget {
  index: SearchIndexRef;
  /** True while an older model's index answers: only BM25 works without that model. */
  sparseOnly: boolean;
}

export interface IndexRouter extends VectorStore {
  readonly current: SearchIndexRef;
  /** The current model's index itself (rebuilds and counts write and read it directly). */
  readonly currentStore: VectorStore;
  readonly opener: IndexOpener;
  /** Which index answers the shop's searches now. */
  readTarget(shop: string): Promise<ReadTarget>;
  /** An older index, opened once and kept until close (null when the backend lacks it). */
  openOlder(index: SearchIndexRef): VectorStore | null;
  /** Closes and forgets an older index (before its backend drops it). */
  releaseOlder(name: string): Promise<void>;
  /** Forgets what is known about the shop's indexes (after the registry changed). */
  invalidate(shop?: string): void;
}

interface Route {
  at: number;
  /** null: the current index. */
  older: { ref: SearchIndexRef; store: VectorStore } | null;
  /** The current index is recorded ready for the shop: nothing about this shop changes until a model change. */
  settled: boolean;
}

/** Routing decided for a shop whose current index is not yet ready is looked at again after this long. */
const UNSETTLED_ROUTE_TTL_MS = 2_000;

function refOf(row: { name: string; model: string; dimensions: number }): SearchIndexRef {
  return { name: row.name, model: row.model, dimensions: row.dimensions };
}

export function createIndexRouter(options: { db: Db; current: VectorStore; model: string; dimensions: number; opener?: IndexOpener; now?: () => number }): IndexRouter {
  const { db, current: currentStore } = options;
  const opener = options.opener ?? NO_OLDER_INDEXES;
  const now = options.now ?? Date.now;
  const current: SearchIndexRef = { name: currentStore.indexName, model: options.model, dimensions: options.dimensions };
  const routes = new Map<string, Route>();
  const older = new Map<string, VectorStore | null>();

  function openOlder(ref: SearchIndexRef): VectorStore | null {
    if (ref.name === current.name) return currentStore;
    if (!older.has(ref.name)) older.set(ref.name, opener.open(ref));
    return older.get(ref.name) ?? null;
  }

  async function route(shop: string): Promise<Route> {
    const cached = routes.get(shop);
    if (cached && (cached.settled || now() - cached.at < UNSETTLED_ROUTE_TTL_MS)) return cached;
    const rows = await db.searchIndex.findMany({ where: { shop } });
    const mine = rows.find((r) => r.name === current.name);
    let next: Route = { at: now(), older: null, settled: mine?.status === "ready" };
    if (!next.settled) {
      const candidates = rows
        .filter((r) => r.name !== current.name && r.status === "ready")
        .sort((a, b) => (b.readyAt?.getTime() ?? 0) - (a.readyAt?.getTime() ?? 0) || b.id - a.id);
      for (const row of candidates) {
        const store = openOlder(refOf(row));
        if (store) {
          next = { ...next, older: { ref: refOf(row), store } };
          break;
        }
      }
    }
    routes.set(shop, next);
    return next;
  }

  /** Every index holding the shop's chunks besides the current one. */
  async function olderStoresOf(shop: string): Promise<VectorStore[]> {
    const rows = await db.searchIndex.findMany({ where: { shop, name: { not: current.name }, status: { not: "retired" } } });
    return rows.map((r) => openOlder(refOf(r))).filter((s): s is VectorStore => s !== null && s !== currentStore);
  }

  async function deleteEverywhere(shop: string, remove: (store: VectorStore) => Promise<number>): Promise<number> {
    let removed = await remove(currentStore);
    for (const store of await olderStoresOf(shop)) removed = Math.max(removed, await remove(store));
    return removed;
  }

  return {
    indexName: current.name,
    current,
    currentStore,
    opener,
    openOlder,

    async releaseOlder(name) {
      const store = older.get(name);
      older.delete(name);
      for (const [shop, r] of routes) if (r.older?.ref.name === name) routes.delete(shop);
      await store?.close();
    },

    invalidate(shop) {
      if (shop === undefined) routes.clear();
      else routes.delete(shop);
    },

    async readTarget(shop) {
      const r = await route(shop);
      return r.older ? { index: r.older.ref, sparseOnly: true } : { index: current, sparseOnly: false };
    },

    async upsert(shop, chunks: EmbeddedChunk[]) {
      await currentStore.upsert(shop, chunks);
      const r = await route(shop);
      // A shop that never had another ready index is answered from this one already:
      // record it ready, so that a later model change knows what to keep serving.
      if (!r.settled && !r.older && chunks.length > 0) {
        await recordIndexStatus(db, shop, current, "ready", { chunks: await currentStore.count(shop) });
        routes.set(shop, { at: now(), older: null, settled: true });
      }
    },

    contentHashes(shop, source) {
      return currentStore.contentHashes(shop, source);
    },

    deleteChunks(shop, chunkIds) {
      return deleteEverywhere(shop, (s) => s.deleteChunks(shop, chunkIds));
    },

    deleteSource(shop, sourceType: SourceType, sourceId) {
      return deleteEverywhere(shop, (s) => s.deleteSource(shop, sourceType, sourceId));
    },

    async deleteShop(shop) {
      const removed = await deleteEverywhere(shop, (s) => s.deleteShop(shop));
      // Nothing of the shop is left in any index: a later install starts as a fresh shop.
      await db.searchIndex.deleteMany({ where: { shop } });
      routes.delete(shop);
      return removed;
    },

    async search(shop, request: SearchRequest): Promise<SearchHit[]> {
      const r = await route(shop);
      // BM25 needs only the text; without text there is nothing the older index can do.
      if (r.older && request.text?.trim()) {
        return r.older.store.search(shop, { mode: "sparse", text: request.text, k: request.k, filter: request.filter });
      }
      return currentStore.search(shop, request);
    },

    async count(shop) {
      const r = await route(shop);
      return (r.older?.store ?? currentStore).count(shop);
    },

    async close() {
      for (const store of older.values()) await store?.close();
      older.clear();
      routes.clear();
      await currentStore.close();
    },
  };
}

/** Records an index's status for a shop (creating the row the first time). */
export async function recordIndexStatus(db: Db, shop: string, index: SearchIndexRef, status: SearchIndexStatus, extra: { chunks?: number } = {}): Promise<void> {
  const at = new Date();
  const data = {
    status,
    model: index.model,
    dimensions: index.dimensions,
    ...(extra.chunks !== undefined ? { chunks: extra.chunks } : {}),
    ...(status === "ready" ? { readyAt: at, retiredAt: null } : {}),
    ...(status === "retired" ? { retiredAt: at, chunks: 0 } : {}),
  };
  await db.searchIndex.upsert({
    where: { shop_name: { shop, name: index.name } },
    create: { shop, name: index.name, ...data },
    update: data,
  });
}

/** The shop's catalog as stored (shopper-visible items), as a batch indexCatalog takes. */
export async function loadStoredCatalog(db: Db, shop: string): Promise<Pick<CatalogBatch, "products" | "policies" | "pages" | "documents">> {
  const rows = await db.catalogItem.findMany({ where: { shop, visible: true }, select: { sourceType: true, data: true }, orderBy: { id: "asc" } });
  const batch: Pick<CatalogBatch, "products" | "policies" | "pages" | "documents"> = { products: [], policies: [], pages: [], documents: [] };
  for (const row of rows) {
    const data: unknown = JSON.parse(row.data);
    if (row.sourceType === "product") batch.products.push(data as CatalogProduct);
    else if (row.sourceType === "policy") batch.policies.push(data as CatalogPolicy);
    else if (row.sourceType === "page") batch.pages.push(data as CatalogPage);
    else if (row.sourceType === "document") batch.documents.push(data as CatalogDocument);
  }
  return batch;
}

export interface RebuildShopIndexResult extends IndexCatalogResult {
  index: string;
  /** Older indexes whose chunks for the shop were deleted. */
  retired: string[];
}

/**
 * Fills the current model's index for one shop from the stored catalog, then makes it the
 * one that answers and deletes the shop's chunks from older indexes. Safe to run again:
 * unchanged chunks are skipped by content hash.
 */
export async function rebuildShopIndex(
  router: IndexRouter,
  deps: IndexDeps,
  shop: string,
  options: { onProgress?: (p: IndexProgress) => void | Promise<void>; abortSignal?: AbortSignal } = {},
): Promise<RebuildShopIndexResult> {
  const { db } = deps;
  await recordIndexStatus(db, shop, router.current, (await isReady(db, shop, router.current)) ? "ready" : "building");
  const batch = await loadStoredCatalog(db, shop);
  const result = await indexCatalog({ ...deps, store: router }, shop, batch, options);
  await recordIndexStatus(db, shop, router.current, "ready", { chunks: await router.currentStore.count(shop) });
  router.invalidate(shop);
  const retired = await retireOlderIndexes(router, db, shop);
  return { ...result, index: router.current.name, retired };
}

async function isReady(db: Db, shop: string, index: SearchIndexRef): Promise<boolean> {
  const row = await db.searchIndex.findUnique({ where: { shop_name: { shop, name: index.name } }, select: { status: true } });
  return row?.status === "ready";
}

/** Deletes the shop's chunks from every index but the current one, and frees indexes left empty. */
export async function retireOlderIndexes(router: IndexRouter, db: Db, shop: string): Promise<string[]> {
  const rows = await db.searchIndex.findMany({ where: { shop, name: { not: router.current.name }, status: { not: "retired" } } });
  const retired: string[] = [];
  for (const row of rows) {
    const store = router.openOlder(refOf(row));
    if (store) await store.deleteShop(shop);
    await recordIndexStatus(db, shop, refOf(row), "retired");
    retired.push(row.name);
    router.invalidate(shop);
    if (router.opener.dropIfEmpty) {
      await router.releaseOlder(row.name);
      await router.opener.dropIfEmpty(row.name);
    }
  }
  return retired;
}

export interface PlanIndexRebuildsResult {
  /** Shops whose current index is being rebuilt while an older one answers. */
  enqueued: string[];
  /** Shops indexed before the registry existed, now recorded. */
  adopted: string[];
}

/**
 * At start: records shops indexed before the registry existed, then queues a rebuild for
 * every shop with a catalog whose current index is not ready while an older one is.
 * Run it before any worker starts writing, so no write mistakes a shop for a fresh one.
 */
export async function planIndexRebuilds(router: IndexRouter, db: Db, queue: Pick<Queue, "enqueue">): Promise<PlanIndexRebuildsResult> {
  const shops = (await db.catalogItem.findMany({ distinct: ["shop"], select: { shop: true } })).map((r) => r.shop);
  const rows = await db.searchIndex.findMany({ where: { shop: { in: shops } }, select: { shop: true, name: true, status: true } });
  const adopted: string[] = [];
  for (const shop of shops) {
    if (rows.some((r) => r.shop === shop)) continue;
    const found = await findUnregisteredIndex(router, shop);
    if (!found) continue;
    await recordIndexStatus(db, shop, found.ref, "ready", { chunks: found.chunks });
    rows.push({ shop, name: found.ref.name, status: "ready" });
    adopted.push(shop);
  }
  const enqueued: string[] = [];
  for (const shop of shops) {
    const mine = rows.filter((r) => r.shop === shop);
    if (mine.some((r) => r.name === router.current.name && r.status === "ready")) continue;
    if (!mine.some((r) => r.name !== router.current.name && r.status === "ready")) continue;
    await queue.enqueue({ shop, kind: "index.rebuild", key: "reindex" });
    enqueued.push(shop);
  }
  router.invalidate();
  return { enqueued, adopted };
}

/** Which index holds an unregistered shop's chunks: the current one first, else an older one the backend lists. */
async function findUnregisteredIndex(router: IndexRouter, shop: string): Promise<{ ref: SearchIndexRef; chunks: number } | null> {
  const own = await router.currentStore.count(shop);
  if (own > 0) return { ref: router.current, chunks: own };
  for (const ref of (router.opener.list?.() ?? []).filter((r) => r.name !== router.current.name).reverse()) {
    const store = router.openOlder(ref);
    const chunks = store ? await store.count(shop) : 0;
    if (chunks > 0) return { ref, chunks };
  }
  return null;
}
