/**
 * Brings the index and the stored catalog in line with a batch of sources
 * (products, policies, pages, documents), incrementally and idempotently:
 * - a source older than what is stored is a stale event and is skipped;
 * - only chunks whose content hash changed are embedded (the model is the cost);
 * - chunks a source no longer has are deleted; hidden sources leave the index;
 * - vectors are written before the catalog row, so a crash in between is
 *   repaired by running the same batch again (stable chunk ids: no duplicates).
 */
import { createHash } from "node:crypto";
import type { CatalogBatch, CatalogDocument, CatalogPage, CatalogPolicy, CatalogProduct, SourceType } from "../catalog/types";
import type { Db } from "../db/open-database";
import type { EmbeddingModel } from "../providers/types";
import type { IndexChunk, VectorStore } from "../stores/types";
import { chunkDocument } from "./chunk-document";
import { chunkPage } from "./chunk-page";
import { chunkPolicy } from "./chunk-policy";
import { chunkProduct } from "./chunk-product";
import { stableStringify } from "./chunk-text";
import { embedChunks } from "./embed-chunks";
import { costFor, recordUsage } from "../insights/usage-ledger";
import { readSettings } from "../settings/schema";
import { isShopperVisible } from "./visibility";

export interface IndexDeps {
  db: Db;
  store: VectorStore;
  /** The model that embeds chunks, unless embedderFor names a shop's own. */
  embedder: EmbeddingModel;
  /** The shop's own model (the index router's target for it): chunks must be embedded by the model of the index they go to. */
  embedderFor?(shop: string): Promise<EmbeddingModel>;
}

export interface IndexProgress {
  processed: number;
  total: number;
}

export interface IndexCatalogResult {
  products: number;
  variants: number;
  policies: number;
  pages: number;
  documents: number;
  chunks: number;
  embedded: number;
  unchanged: number;
  removedChunks: number;
  hidden: number;
  stale: number;
  embeddingTokens: number;
}

interface SourceItem {
  sourceType: SourceType;
  sourceId: string;
  title: string;
  handle: string | null;
  visible: boolean;
  updatedAt: Date;
  data: CatalogProduct | CatalogPolicy | CatalogPage | CatalogDocument;
  chunks: IndexChunk[];
}

function toDate(iso: string | undefined): Date {
  const d = iso ? new Date(iso) : new Date(0);
  return Number.isNaN(d.getTime()) ? new Date(0) : d;
}

/** Which policies and pages the merchant lets the assistant read (Settings > Data sources). */
export interface SourceRules {
  policyTypes: string[];
  pages: "all" | "none" | "only";
  pageHandles: string[];
}

const ALL_SOURCES: SourceRules = { policyTypes: ["refund", "shipping", "privacy", "terms", "contact", "legal_notice", "subscription"], pages: "all", pageHandles: [] };

function pageAllowed(rules: SourceRules, handle: string): boolean {
  return rules.pages === "all" || (rules.pages === "only" && rules.pageHandles.includes(handle));
}

function sourcesOf(batch: Pick<CatalogBatch, "products" | "policies" | "pages" | "documents">, rules: SourceRules): SourceItem[] {
  const items: SourceItem[] = [];
  for (const p of batch.products) {
    const visible = isShopperVisible(p);
    items.push({ sourceType: "product", sourceId: p.id, title: p.title, handle: p.handle, visible, updatedAt: toDate(p.updatedAt), data: p, chunks: visible ? chunkProduct(p) : [] });
  }
  for (const p of batch.policies) {
    const visible = rules.policyTypes.includes(p.type);
    items.push({ sourceType: "policy", sourceId: p.id, title: p.title, handle: p.type, visible, updatedAt: toDate(p.updatedAt), data: p, chunks: visible ? chunkPolicy(p) : [] });
  }
  for (const p of batch.pages) {
    const visible = isShopperVisible(p) && pageAllowed(rules, p.handle);
    items.push({ sourceType: "page", sourceId: p.id, title: p.title, handle: p.handle, visible, updatedAt: toDate(p.updatedAt), data: p, chunks: visible ? chunkPage(p) : [] });
  }
  for (const d of batch.documents) {
    items.push({ sourceType: "document", sourceId: d.id, title: d.title, handle: d.productHandle, visible: true, updatedAt: toDate(d.updatedAt), data: d, chunks: chunkDocument(d) });
  }
  return items;
}

function dataHash(item: SourceItem): string {
  return createHash("sha256").update(stableStringify({ v: item.visible, d: item.data })).digest("hex");
}

const GROUP = 50;

export async function indexCatalog(
  deps: IndexDeps,
  shop: string,
  batch: Pick<CatalogBatch, "products" | "policies" | "pages" | "documents">,
  options: { onProgress?: (p: IndexProgress) => void | Promise<void>; abortSignal?: AbortSignal; sourceRules?: SourceRules } = {},
): Promise<IndexCatalogResult> {
  const rules = options.sourceRules ?? (await loadSourceRules(deps.db, shop));
  const embedder = deps.embedderFor ? await deps.embedderFor(shop) : deps.embedder;
  const items = sourcesOf(batch, rules);
  const result: IndexCatalogResult = {
    products: batch.products.length,
    variants: batch.products.reduce((n, p) => n + p.variants.length, 0),
    policies: batch.policies.length,
    pages: batch.pages.length,
    documents: batch.documents.length,
    chunks: 0,
    embedded: 0,
    unchanged: 0,
    removedChunks: 0,
    hidden: 0,
    stale: 0,
    embeddingTokens: 0,
  };
  // Large batches: one read of the shop's hashes beats one read per source.
  const shopHashes = items.length > GROUP ? await deps.store.contentHashes(shop) : null;

  // Plans a group: which sources are fresh, which chunks need a vector, which chunks go.
  async function plan(start: number) {
    const group = items.slice(start, start + GROUP);
    const existing = await deps.db.catalogItem.findMany({
      where: { shop, OR: group.map((i) => ({ sourceType: i.sourceType, sourceId: i.sourceId })) },
      select: { sourceType: true, sourceId: true, sourceUpdatedAt: true, contentHash: true, indexedAt: true },
    });
    const stored = new Map(existing.map((e) => [`${e.sourceType}:${e.sourceId}`, e]));

    const fresh: SourceItem[] = [];
    for (const item of group) {
      const prev = stored.get(`${item.sourceType}:${item.sourceId}`);
      if (prev && prev.sourceUpdatedAt > item.updatedAt) {
        result.stale++;
        continue;
      }
      fresh.push(item);
    }

    const toEmbed: IndexChunk[] = [];
    const toDelete: string[] = [];
    for (const item of fresh) {
      const prefix = `${item.sourceType}:${item.sourceId}:`;
      const hashes = shopHashes ?? (await deps.store.contentHashes(shop, { sourceType: item.sourceType, sourceId: item.sourceId }));
      const keep = new Set(item.chunks.map((c) => c.id));
      for (const chunk of item.chunks) {
        if (hashes.get(chunk.id) === chunk.contentHash) result.unchanged++;
        else toEmbed.push(chunk);
      }
      for (const id of hashes.keys()) if (id.startsWith(prefix) && !keep.has(id)) toDelete.push(id);
      if (!item.visible) result.hidden++;
      result.chunks += item.chunks.length;
    }
    const embedStarted = performance.now();
    const embedded = toEmbed.length ? embedChunks(embedder, toEmbed, { abortSignal: options.abortSignal }) : null;
    // Awaited in order below; until then a failure must not count as unhandled.
    embedded?.catch(() => undefined);
    return { start, group, fresh, toEmbed, toDelete, embedded, embedStarted };
  }

  // The next group is embedded (on the model's threads) while this one is written: the
  // writes still happen group by group, in order, so a crash leaves a clean prefix.
  let next = items.length > 0 ? await plan(0) : null;
  while (next) {
    if (options.abortSignal?.aborted) throw new Error("indexing was cancelled");
    const { start, group, fresh, toEmbed, toDelete, embedded, embedStarted } = next;
    const following = start + GROUP < items.length ? plan(start + GROUP) : null;
    following?.catch(() => undefined);

    if (embedded) {
      const { chunks, tokens } = await embedded;
      result.embeddingTokens += tokens;
      // The usage ledger records every model call, indexing included (local models cost 0),
      // under the model that actually embedded: the shop's own when it has one.
      const model = embedder.id;
      await recordUsage(deps.db, {
        shop,
        kind: "embedding",
        model,
        inputTokens: tokens,
        outputTokens: 0,
        costUsd: costFor(undefined, model.replace(/^openai:/, "").replace(/:\d+$/, ""), tokens, 0).costUsd,
        latencyMs: Math.round(performance.now() - embedStarted),
        ref: `index:${toEmbed.length}`,
      });
      await deps.store.upsert(shop, chunks);
      result.embedded += chunks.length;
    }
    if (toDelete.length) result.removedChunks += await deps.store.deleteChunks(shop, toDelete);

    const now = new Date();
    for (const item of fresh) {
      const row = {
        handle: item.handle,
        title: item.title,
        visible: item.visible,
        data: JSON.stringify(item.data),
        contentHash: dataHash(item),
        sourceUpdatedAt: item.updatedAt,
        indexedAt: now,
      };
      await deps.db.catalogItem.upsert({
        where: { shop_sourceType_sourceId: { shop, sourceType: item.sourceType, sourceId: item.sourceId } },
        create: { shop, sourceType: item.sourceType, sourceId: item.sourceId, ...row },
        update: row,
      });
    }
    await options.onProgress?.({ processed: Math.min(items.length, start + group.length), total: items.length });
    next = following ? await following : null;
  }
  return result;
}

export async function loadSourceRules(db: Db, shop: string): Promise<SourceRules> {
  const row = await db.shopSettings.findUnique({ where: { shop }, select: { data: true } });
  if (!row) return ALL_SOURCES;
  return readSettings(row.data).dataSources;
}

/** After the merchant changes data sources: re-apply them to the stored policies and pages. */
export async function reapplySourceRules(deps: IndexDeps, shop: string): Promise<IndexCatalogResult> {
  const rows = await deps.db.catalogItem.findMany({ where: { shop, sourceType: { in: ["policy", "page"] } }, select: { sourceType: true, data: true } });
  const policies = rows.filter((r) => r.sourceType === "policy").map((r) => JSON.parse(r.data) as CatalogPolicy);
  const pages = rows.filter((r) => r.sourceType === "page").map((r) => JSON.parse(r.data) as CatalogPage);
  return indexCatalog(deps, shop, { products: [], policies, pages, documents: [] });
}

/** Removes a source from the index and the stored catalog (products/delete and the like). */
export async function removeSource(deps: Pick<IndexDeps, "db" | "store">, shop: string, sourceType: SourceType, sourceId: string): Promise<number> {
  const removed = await deps.store.deleteSource(shop, sourceType, sourceId);
  await deps.db.catalogItem.deleteMany({ where: { shop, sourceType, sourceId } });
  return removed;
}

/**
 * After a full sync: sources of these types that the sync did not see were deleted
 * in the store while we were not listening, so they leave the index too.
 */
export async function removeMissingSources(
  deps: Pick<IndexDeps, "db" | "store">,
  shop: string,
  sourceType: SourceType,
  seenIds: Set<string>,
): Promise<number> {
  const rows = await deps.db.catalogItem.findMany({ where: { shop, sourceType }, select: { sourceId: true } });
  const missing = rows.filter((r) => !seenIds.has(r.sourceId));
  // Counts sources, not chunks: a hidden source has a catalog row but no chunks, and goes too.
  for (const r of missing) await removeSource(deps, shop, sourceType, r.sourceId);
  return missing.length;
}
