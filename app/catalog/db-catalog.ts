/**
 * The catalog as last indexed, read from the app database: the facts answers are
 * checked against. Only shopper-visible items are returned, always for one shop.
 */
import type { Db } from "../db/open-database";
import { vocabularyOf, type ShopVocabulary } from "./memory-catalog";
import type { CatalogPolicy, CatalogProduct, CatalogReader } from "./types";

export interface DbCatalog extends CatalogReader {
  vocabulary(shop: string): Promise<ShopVocabulary>;
  productSummaries(shop: string, limit?: number): Promise<{ handle: string; title: string }[]>;
}

/** Shops whose parsed product list is kept between questions (the most recently asked). */
export const PRODUCT_SNAPSHOT_SHOPS = 16;
/**
 * A catalog last written this recently may be written again within the same millisecond (a sync
 * in progress), which its version would not show: such a read is not kept.
 */
export const SNAPSHOT_QUIET_MS = 2_000;

export function createDbCatalog(db: Db, options: { now?: () => number } = {}): DbCatalog {
  const now = options.now ?? Date.now;
  // Vocabulary is derived from every product; cache it briefly per shop.
  const vocabCache = new Map<string, { at: number; value: ShopVocabulary }>();
  const vocabularyBySnapshot = new WeakMap<readonly CatalogProduct[], ShopVocabulary>();
  const parseProducts = (rows: { data: string }[]) => rows.map((r) => JSON.parse(r.data) as CatalogProduct);
  const allProducts = async (shop: string) =>
    parseProducts(await db.catalogItem.findMany({ where: { shop, sourceType: "product", visible: true }, select: { data: true } }));

  /**
   * The shop's product rows as last written, in one cheap aggregate: a create raises the count
   * and the largest id, a delete lowers the count, an update (visibility included) moves the
   * latest updatedAt. Writes come from the worker process too, so the database, not this
   * process, says whether the catalog changed.
   */
  const productsVersion = async (shop: string) => {
    const a = await db.catalogItem.aggregate({ where: { shop, sourceType: "product" }, _count: { _all: true }, _max: { id: true, updatedAt: true } });
    const lastWrite = a._max.updatedAt?.getTime() ?? 0;
    return { key: `${a._count._all}:${a._max.id ?? 0}:${lastWrite}`, lastWrite };
  };
  // Parsed products per shop, with the version they were read at; the same array is handed out
  // until the catalog changes, so what listings work out from it is kept too (catalog-matches.ts).
  const snapshots = new Map<string, { version: string; products: CatalogProduct[] }>();
  const snapshot = async (shop: string): Promise<CatalogProduct[]> => {
    const version = await productsVersion(shop);
    const kept = snapshots.get(shop);
    if (kept && kept.version === version.key) {
      snapshots.delete(shop);
      snapshots.set(shop, kept);
      return kept.products;
    }
    // Read after the version: a write in between makes the next version differ, so it is read again.
    const products = await allProducts(shop);
    snapshots.delete(shop);
    if (now() - version.lastWrite >= SNAPSHOT_QUIET_MS) {
      snapshots.set(shop, { version: version.key, products });
      if (snapshots.size > PRODUCT_SNAPSHOT_SHOPS) snapshots.delete(snapshots.keys().next().value as string);
    }
    return products;
  };
  return {
    async productsByIds(shop, ids) {
      if (!ids.length) return [];
      const rows = await db.catalogItem.findMany({ where: { shop, sourceType: "product", visible: true, sourceId: { in: ids } }, select: { data: true } });
      return parseProducts(rows);
    },
    async productByHandle(shop, handle) {
      const row = await db.catalogItem.findFirst({ where: { shop, sourceType: "product", visible: true, handle }, select: { data: true } });
      return row ? (JSON.parse(row.data) as CatalogProduct) : null;
    },
    async policies(shop) {
      const rows = await db.catalogItem.findMany({ where: { shop, sourceType: "policy", visible: true }, select: { data: true } });
      return rows.map((r) => JSON.parse(r.data) as CatalogPolicy);
    },
    async vocabulary(shop) {
      const hit = vocabCache.get(shop);
      if (hit && Date.now() - hit.at < 30_000) return hit.value;
      // Looked at again after a while: an unchanged catalog costs one aggregate, not a parse of every product.
      const products = await snapshot(shop);
      let value = vocabularyBySnapshot.get(products);
      if (!value) {
        value = vocabularyOf(products);
        vocabularyBySnapshot.set(products, value);
      }
      vocabCache.set(shop, { at: Date.now(), value });
      return value;
    },
    products: snapshot,
    async productSummaries(shop, limit = 500) {
      const rows = await db.catalogItem.findMany({ where: { shop, sourceType: "product", visible: true }, select: { handle: true, title: true }, orderBy: { title: "asc" }, take: limit });
      return rows.map((r) => ({ handle: r.handle ?? "", title: r.title }));
    },
  };
}
