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

export function createDbCatalog(db: Db): DbCatalog {
  // Vocabulary is derived from every product; cache it briefly per shop.
  const vocabCache = new Map<string, { at: number; value: ShopVocabulary }>();
  const parseProducts = (rows: { data: string }[]) => rows.map((r) => JSON.parse(r.data) as CatalogProduct);
  const allProducts = async (shop: string) =>
    parseProducts(await db.catalogItem.findMany({ where: { shop, sourceType: "product", visible: true }, select: { data: true } }));
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
      const value = vocabularyOf(await allProducts(shop));
      vocabCache.set(shop, { at: Date.now(), value });
      return value;
    },
    products: allProducts,
    async productSummaries(shop, limit = 500) {
      const rows = await db.catalogItem.findMany({ where: { shop, sourceType: "product", visible: true }, select: { handle: true, title: true }, orderBy: { title: "asc" }, take: limit });
      return rows.map((r) => ({ handle: r.handle ?? "", title: r.title }));
    },
  };
}
