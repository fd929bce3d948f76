/**
 * Index generations: one search index per embedding model, and per shop a record
 * (SearchIndex rows) of which index is building, ready or retired. Each shop has a
 * target index: the server-wide model's, or the one for the embedding model the shop
 * set in Settings (docs/decisions/008, 009). A change of target rebuilds the shop's
 * index from the stored catalog while the previous index keeps answering in BM25 mode:
 * - writes go to the shop's target;
 * - a shop's reads go to its target once it is ready for that shop, or when the shop
 *   never had another ready index (a fresh shop); otherwise to the newest older ready
 *   index, in sparse mode, because the older model cannot embed the query;
 * - deletes reach every index that still holds the shop, so a removed product never
 *   comes back from an older index.
 */
import type { CatalogBatch, CatalogDocument, CatalogPage, CatalogPolicy, CatalogProduct, SourceType } from "../catalog/types";
import type { Db } from "../db/open-database";
import type { Queue } from "../jobs/queue";
import type { EmbeddingModel } from "../providers/types";
import type { EmbeddedChunk, SearchHit, SearchRequest, VectorStore } from "../stores/types";
import { indexCatalog, type IndexCatalogResult, type IndexDeps, type IndexProgress } from "./index-catalog";

export type SearchIndexStatus = "building" | "ready" | "retired";

/** An index as the registry knows it: its name in the backend, the model that fills it, and its vector size. */
export interface SearchIndexRef {
  name: string;
  model: string;
  dimensions: number;
}

/** Where a shop's chunks are written, and the model that embeds them and its queries. */
export interface IndexTarget {
  index: SearchIndexRef;
  store: VectorStore;
  embedder: EmbeddingModel;
}

/** The index and model of a shop's own embedding settings; null: the shop uses the server default. */
export type ShopTargetResolver = (shop: string) => Promise<{ index: SearchIndexRef; embedder: EmbeddingModel } | null>;

/** Reaches indexes other than the server default, wherever the backend keeps them. */
export interface IndexOpener {
  /** Opens an existing index, or null when the backend no longer holds it (it must never create one). */
  open(index: SearchIndexRef): VectorStore | null;
  /** Opens an index, creating it when missing: a shop's own target may not exist yet. Without it, every shop uses the default. */
  create?(index: SearchIndexRef): VectorStore;
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
  /** The server-wide model's index: the target of every shop without an embedding model of its own. */
  readonly defaultTarget: IndexTarget;
  readonly opener: IndexOpener;
  /** The shop's target: where its writes go, and the model for its chunks and queries. */
  targetFor(shop: string): Promise<IndexTarget>;
  /** Which index answers the shop's searches now. */
  readTarget(shop: string): Promise<ReadTarget>;
  /** An older index, opened once and kept until close (null when the backend lacks it). */
  openOlder(index: SearchIndexRef): VectorStore | null;
  /** Closes and forgets an older index (before its backend drops it). Never the default. */
  releaseOlder(name: string): Promise<void>;
  /** Forgets what is known about the shop's target and indexes (after its settings or the registry changed). */
  invalidate(shop?: string): void;
}

interface Route {
  at: number;
  /** The target's index name this route was worked out for. */
  target: string;
  /** null: the target index answers. */
  older: { ref: SearchIndexRef; store: VectorStore } | null;
  /** The target is recorded ready for the shop: nothing about this shop changes until its target does. */
  settled: boolean;
}

/** Routing decided for a shop whose target is not yet ready is looked at again after this long. */
const UNSETTLED_ROUTE_TTL_MS = 2_000;
/**
 * A shop's target is looked up again after this long: Settings are saved by the server
 * process while the worker writes, so an in-process invalidate cannot reach every process.
 */
export const TARGET_TTL_MS = 5_000;

function refOf(row: { name: string; model: string; dimensions: number }): SearchIndexRef {
  return { name: row.name, model: row.model, dimensions: row.dimensions };
}

export function createIndexRouter(options: {
  db: Db;
  /** The server default's index and the model that fills it. */
  store: VectorStore;
  embedder: EmbeddingModel;
  opener?: IndexOpener;
  /** Which shops have an embedding model of their own (needs an opener that can create). */
  shopTarget?: ShopTargetResolver;
  now?: () => number;
}): IndexRouter {
  const { db } = options;
  const opener = options.opener ?? NO_OLDER_INDEXES;
  const now = options.now ?? Date.now;
  const defaultIndex: SearchIndexRef = { name: options.store.indexName, model: options.embedder.id, dimensions: options.embedder.dimensions };
  const defaultTarget: IndexTarget = { index: defaultIndex, store: options.store, embedder: options.embedder };
  const resolveShop = opener.create && options.shopTarget ? options.shopTarget : null;
  /** Open stores by index name; null: the backend lacked it when asked. */
  const stores = new Map<string, VectorStore | null>([[defaultIndex.name, options.store]]);
  /** Targets by shop; stores are looked up by name each time, so a dropped and recreated index is reopened. */
  const targets = new Map<string, { at: number; index: SearchIndexRef; embedder: EmbeddingModel }>();
  const routes = new Map<string, Route>();

  function openOlder(ref: SearchIndexRef): VectorStore | null {
    if (!stores.has(ref.name)) stores.set(ref.name, opener.open(ref));
    return stores.get(ref.name) ?? null;
  }

  function openTarget(ref: SearchIndexRef): VectorStore {
    let store = stores.get(ref.name);
    if (!store) {
      store = opener.create!(ref);
      stores.set(ref.name, store);
    }
    return store;
  }

  async function targetFor(shop: string): Promise<IndexTarget> {
    // No per-shop targets: the default path costs nothing beyond today's.
    if (!resolveShop) return defaultTarget;
    let known = targets.get(shop);
    if (!known || now() - known.at >= TARGET_TTL_MS) {
      const own = await resolveShop(shop);
      known = own ? { at: now(), index: own.index, embedder: own.embedder } : { at: now(), index: defaultIndex, embedder: defaultTarget.embedder };
      targets.set(shop, known);
    }
    if (known.index.name === defaultIndex.name && known.embedder === defaultTarget.embedder) return defaultTarget;
    return { index: known.index, embedder: known.embedder, store: openTarget(known.index) };
  }

  async function route(shop: string): Promise<Route & { targetIndex: IndexTarget }> {
    const target = await targetFor(shop);
    const cached = routes.get(shop);
    if (cached && cached.target === target.index.name && (cached.settled || now() - cached.at < UNSETTLED_ROUTE_TTL_MS)) return { ...cached, targetIndex: target };
    const rows = await db.searchIndex.findMany({ where: { shop } });
    const mine = rows.find((r) => r.name === target.index.name);
    let next: Route = { at: now(), target: target.index.name, older: null, settled: mine?.status === "ready" };
    if (!next.settled) {
      const candidates = rows
        .filter((r) => r.name !== target.index.name && r.status === "ready")
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
    return { ...next, targetIndex: target };
  }

  /** Every index holding the shop's chunks besides its target. */
  async function olderStoresOf(shop: string, target: IndexTarget): Promise<VectorStore[]> {
    const rows = await db.searchIndex.findMany({ where: { shop, name: { not: target.index.name }, status: { not: "retired" } } });
    return rows.map((r) => openOlder(refOf(r))).filter((s): s is VectorStore => s !== null && s !== target.store);
  }

  async function deleteEverywhere(shop: string, remove: (store: VectorStore) => Promise<number>): Promise<number> {
    const target = await targetFor(shop);
    let removed = await remove(target.store);
    for (const store of await olderStoresOf(shop, target)) removed = Math.max(removed, await remove(store));
    return removed;
  }

  return {
    indexName: defaultIndex.name,
    defaultTarget,
    opener,
    openOlder,
    targetFor,

    async releaseOlder(name) {
      if (name === defaultIndex.name) return;
      const store = stores.get(name);
      stores.delete(name);
      for (const [shop, r] of routes) if (r.older?.ref.name === name) routes.delete(shop);
      await store?.close();
    },

    invalidate(shop) {
      if (shop === undefined) {
        routes.clear();
        targets.clear();
      } else {
        routes.delete(shop);
        targets.delete(shop);
      }
    },

    async readTarget(shop) {
      const r = await route(shop);
      return r.older ? { index: r.older.ref, sparseOnly: true } : { index: r.targetIndex.index, sparseOnly: false };
    },

    async upsert(shop, chunks: EmbeddedChunk[]) {
      const r = await route(shop);
      const target = r.targetIndex;
      await target.store.upsert(shop, chunks);
      // A shop that never had another ready index is answered from this one already:
      // record it ready, so that a later change of target knows what to keep serving.
      if (!r.settled && !r.older && chunks.length > 0) {
        await recordIndexStatus(db, shop, target.index, "ready", { chunks: await target.store.count(shop) });
        routes.set(shop, { at: now(), target: target.index.name, older: null, settled: true });
      }
    },

    async contentHashes(shop, source) {
      return (await targetFor(shop)).store.contentHashes(shop, source);
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
      targets.delete(shop);
      return removed;
    },

    async search(shop, request: SearchRequest): Promise<SearchHit[]> {
      const first = await route(shop);
      // BM25 needs only the text; without text there is nothing the older index can do.
      if (!first.older || !request.text?.trim()) return first.targetIndex.store.search(shop, request);
      const sparse: SearchRequest = { mode: "sparse", text: request.text, k: request.k, filter: request.filter };
      let hits: SearchHit[] = [];
      let failure: unknown = null;
      try {
        hits = await first.older.store.search(shop, sparse);
        if (hits.length > 0) return hits;
      } catch (error) {
        failure = error;
      }
      // Nothing there, or the index is gone: a rebuild in another process may just have retired it.
      routes.delete(shop);
      const next = await route(shop);
      if (next.older?.ref.name === first.older.ref.name) {
        if (failure) throw failure;
        return hits;
      }
      return next.older ? next.older.store.search(shop, sparse) : next.targetIndex.store.search(shop, request);
    },

    async count(shop) {
      const r = await route(shop);
      return (r.older?.store ?? r.targetIndex.store).count(shop);
    },

    async close() {
      for (const store of stores.values()) await store?.close();
      stores.clear();
      routes.clear();
      targets.clear();
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
 * Fills the shop's target index from the stored catalog, then makes it the one that
 * answers and deletes the shop's chunks from older indexes. Safe to run again:
 * unchanged chunks are skipped by content hash.
 */
export async function rebuildShopIndex(
  router: IndexRouter,
  deps: IndexDeps,
  shop: string,
  options: { onProgress?: (p: IndexProgress) => void | Promise<void>; abortSignal?: AbortSignal } = {},
): Promise<RebuildShopIndexResult> {
  const { db } = deps;
  // The job may run in another process than the Settings save that queued it: look the target up afresh.
  router.invalidate(shop);
  // One target for the whole run: its model embeds every chunk written into it.
  const target = await router.targetFor(shop);
  await recordIndexStatus(db, shop, target.index, (await isReady(db, shop, target.index)) ? "ready" : "building");
  const batch = await loadStoredCatalog(db, shop);
  const result = await indexCatalog({ db, store: target.store, embedder: target.embedder }, shop, batch, options);
  await recordIndexStatus(db, shop, target.index, "ready", { chunks: await target.store.count(shop) });
  router.invalidate(shop);
  const retired = await retireOlderIndexes(router, db, shop, target.index.name);
  return { ...result, index: target.index.name, retired };
}

async function isReady(db: Db, shop: string, index: SearchIndexRef): Promise<boolean> {
  const row = await db.searchIndex.findUnique({ where: { shop_name: { shop, name: index.name } }, select: { status: true } });
  return row?.status === "ready";
}

/**
 * Deletes the shop's chunks from every index but the one kept (its target unless named),
 * and frees indexes left empty that no shop is building, reading or keeping.
 */
export async function retireOlderIndexes(router: IndexRouter, db: Db, shop: string, keep?: string): Promise<string[]> {
  const kept = keep ?? (await router.targetFor(shop)).index.name;
  const rows = await db.searchIndex.findMany({ where: { shop, name: { not: kept }, status: { not: "retired" } } });
  const retired: string[] = [];
  for (const row of rows) {
    const store = router.openOlder(refOf(row));
    if (store) await store.deleteShop(shop);
    await recordIndexStatus(db, shop, refOf(row), "retired");
    retired.push(row.name);
    router.invalidate(shop);
    // The default index stays open for every shop; one another shop still uses stays too.
    if (router.opener.dropIfEmpty && row.name !== router.defaultTarget.index.name) {
      const inUse = await db.searchIndex.count({ where: { name: row.name, status: { not: "retired" } } });
      if (inUse > 0) continue;
      await router.releaseOlder(row.name);
      await router.opener.dropIfEmpty(row.name);
    }
  }
  return retired;
}

export interface PlanIndexRebuildsResult {
  /** Shops whose target index is being rebuilt while an older one answers. */
  enqueued: string[];
  /** Shops indexed before the registry existed, now recorded. */
  adopted: string[];
}

/**
 * At start: records shops indexed before the registry existed, then queues a rebuild for
 * every shop with a catalog whose target index is not ready while an older one is.
 * Run it before any worker starts writing, so no write mistakes a shop for a fresh one.
 */
export async function planIndexRebuilds(router: IndexRouter, db: Db, queue: Pick<Queue, "enqueue">): Promise<PlanIndexRebuildsResult> {
  router.invalidate();
  const shops = (await db.catalogItem.findMany({ distinct: ["shop"], select: { shop: true } })).map((r) => r.shop);
  const rows = await db.searchIndex.findMany({ where: { shop: { in: shops } }, select: { shop: true, name: true, status: true } });
  const targets = new Map<string, IndexTarget>();
  for (const shop of shops) targets.set(shop, await router.targetFor(shop));
  const adopted: string[] = [];
  for (const shop of shops) {
    if (rows.some((r) => r.shop === shop)) continue;
    const found = await findUnregisteredIndex(router, shop, targets.get(shop)!);
    if (!found) continue;
    await recordIndexStatus(db, shop, found.ref, "ready", { chunks: found.chunks });
    rows.push({ shop, name: found.ref.name, status: "ready" });
    adopted.push(shop);
  }
  const enqueued: string[] = [];
  for (const shop of shops) {
    const target = targets.get(shop)!.index.name;
    const mine = rows.filter((r) => r.shop === shop);
    if (mine.some((r) => r.name === target && r.status === "ready")) continue;
    if (!mine.some((r) => r.name !== target && r.status === "ready")) continue;
    await queue.enqueue({ shop, kind: "index.rebuild", key: "reindex" });
    enqueued.push(shop);
  }
  router.invalidate();
  return { enqueued, adopted };
}

/** Which index holds an unregistered shop's chunks: its target first, then the default, else one the backend lists. */
async function findUnregisteredIndex(router: IndexRouter, shop: string, target: IndexTarget): Promise<{ ref: SearchIndexRef; chunks: number } | null> {
  const candidates = [target, router.defaultTarget].filter((t, i, all) => all.findIndex((o) => o.index.name === t.index.name) === i);
  for (const t of candidates) {
    const own = await t.store.count(shop);
    if (own > 0) return { ref: t.index, chunks: own };
  }
  const known = new Set(candidates.map((t) => t.index.name));
  for (const ref of (router.opener.list?.() ?? []).filter((r) => !known.has(r.name)).reverse()) {
    const store = router.openOlder(ref);
    const chunks = store ? await store.count(shop) : 0;
    if (chunks > 0) return { ref, chunks };
  }
  return null;
}
