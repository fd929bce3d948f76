/**
 * A CatalogReader over batches held in memory: for the CLI's file imports, the
 * evaluation and tests. Also exposes the shop's vocabulary (option values,
 * product types, titles) that query understanding reads against.
 */
import type { CatalogBatch, CatalogPolicy, CatalogProduct, CatalogReader } from "./types";

export interface ShopVocabulary {
  /** Option name -> every value any shopper-visible product offers. */
  knownOptions: Record<string, string[]>;
  productTypes: string[];
  knownProducts: { handle: string; title: string }[];
}

export interface MemoryCatalog extends CatalogReader {
  vocabulary(shop: string): Promise<ShopVocabulary>;
  products(shop: string): Promise<readonly CatalogProduct[]>;
}

export function vocabularyOf(products: CatalogProduct[]): ShopVocabulary {
  const options = new Map<string, Set<string>>();
  const types = new Set<string>();
  for (const p of products) {
    if (p.productType) types.add(p.productType);
    for (const o of p.options) {
      const set = options.get(o.name) ?? new Set<string>();
      for (const v of o.values) set.add(v);
      options.set(o.name, set);
    }
    for (const v of p.variants) {
      for (const [name, value] of Object.entries(v.options)) {
        const set = options.get(name) ?? new Set<string>();
        set.add(value);
        options.set(name, set);
      }
    }
  }
  // Shopify's placeholder ("Title: Default Title") is no choice; an option the merchant named "Title" is.
  for (const [name, values] of options) {
    values.delete("Default Title");
    if (values.size === 0) options.delete(name);
  }
  return {
    knownOptions: Object.fromEntries([...options].map(([name, values]) => [name, [...values]])),
    productTypes: [...types],
    knownProducts: products.map((p) => ({ handle: p.handle, title: p.title })),
  };
}

function isVisible(p: CatalogProduct): boolean {
  return p.status === "active" && p.published;
}

export function createMemoryCatalog(batchesByShop: Record<string, Pick<CatalogBatch, "products" | "policies">>): MemoryCatalog {
  const byShop = new Map<
    string,
    { byId: Map<string, CatalogProduct>; byHandle: Map<string, CatalogProduct>; products: CatalogProduct[]; policies: CatalogPolicy[]; vocabulary: ShopVocabulary }
  >();
  for (const [shop, batch] of Object.entries(batchesByShop)) {
    // Shoppers never see drafts or unpublished products, so neither do answers.
    const visible = batch.products.filter(isVisible);
    const byId = new Map(visible.map((p) => [p.id, p]));
    byShop.set(shop, {
      byId,
      byHandle: new Map(visible.map((p) => [p.handle, p])),
      // One array for the catalog's life: what listings work out from it is kept with it (catalog-matches.ts).
      products: [...byId.values()],
      policies: batch.policies,
      vocabulary: vocabularyOf(visible),
    });
  }
  const empty = { byId: new Map(), byHandle: new Map(), products: [], policies: [], vocabulary: { knownOptions: {}, productTypes: [], knownProducts: [] } };
  const get = (shop: string) => byShop.get(shop) ?? empty;
  return {
    async productsByIds(shop, ids) {
      const { byId } = get(shop);
      return ids.map((id) => byId.get(id)).filter((p): p is CatalogProduct => p !== undefined);
    },
    async productByHandle(shop, handle) {
      return get(shop).byHandle.get(handle) ?? null;
    },
    async policies(shop) {
      return get(shop).policies;
    },
    async vocabulary(shop) {
      return get(shop).vocabulary;
    },
    async products(shop) {
      return get(shop).products;
    },
  };
}
