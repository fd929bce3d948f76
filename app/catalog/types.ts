/**
 * The normalized catalog: what every source (Shopify bulk sync, webhooks, CSV,
 * Admin REST JSON, bulk JSONL, policy files, generic JSONL) is turned into before
 * it is chunked and indexed. Pure data; no I/O here.
 */

export type SourceType = "product" | "policy" | "page" | "document";

export type PolicyType =
  | "refund"
  | "shipping"
  | "privacy"
  | "terms"
  | "contact"
  | "legal_notice"
  | "subscription";

export interface CatalogVariant {
  /** Shopify numeric id as a string (or a stable synthetic id for file imports). */
  id: string;
  title: string;
  sku: string | null;
  /** Decimal amount in the shop currency, e.g. 49.5 */
  price: number;
  compareAtPrice: number | null;
  /** Shopify availableForSale: in stock, or sold when out of stock (inventory policy "continue"). */
  available: boolean;
  inventoryQuantity: number | null;
  /** Option name -> value, e.g. { Size: "M", Color: "Navy" } */
  options: Record<string, string>;
}

export interface CatalogMetafield {
  namespace: string;
  key: string;
  value: string;
  /** Human label for the fact, e.g. "Material" (from a definition name or the CSV header). */
  label: string;
}

export interface CatalogProduct {
  id: string;
  handle: string;
  title: string;
  /** HTML as the merchant wrote it; converted to text by the chunker. */
  descriptionHtml: string;
  productType: string;
  vendor: string;
  tags: string[];
  status: "active" | "draft" | "archived";
  /** Published to the online store; shoppers never see unpublished products. */
  published: boolean;
  options: { name: string; values: string[] }[];
  variants: CatalogVariant[];
  collections: string[];
  metafields: CatalogMetafield[];
  images: { url: string; altText: string | null }[];
  /** Shopify Standard Product Taxonomy path, e.g. "Apparel & Accessories > Clothing > Dresses", when the source has one. */
  category?: string;
  /**
   * Products the merchant chose as complementary in Shopify's Search & Discovery app (the
   * `shopify--discovery--product_recommendation.complementary_products` metafield): product ids
   * or handles, in the merchant's order. Absent when none were set.
   */
  complementaryProducts?: string[];
  /** Storefront path, e.g. "/products/alpine-rain-shell". */
  url: string;
  /** ISO timestamp; used to drop stale webhook events. */
  updatedAt: string;
  currency: string | null;
}

export interface CatalogPolicy {
  id: string;
  type: PolicyType;
  title: string;
  /** Markdown or plain text; HTML is converted before it gets here. */
  body: string;
  url: string;
  updatedAt: string;
}

export interface CatalogPage {
  id: string;
  handle: string;
  title: string;
  body: string;
  url: string;
  published: boolean;
  updatedAt: string;
}

/** Generic documents imported from JSONL ({"id","title","text","url"?,"productHandle"?}). */
export interface CatalogDocument {
  id: string;
  title: string;
  text: string;
  url: string | null;
  productHandle: string | null;
  updatedAt: string;
}

/** A problem with one row/record of an input file: reported, skipped, the rest imports. */
export interface ImportIssue {
  file: string;
  line: number;
  message: string;
  /** Stable reason, for the few issues a caller may act on (e.g. "duplicate_variant"). */
  code?: string;
}

export interface CatalogBatch {
  products: CatalogProduct[];
  policies: CatalogPolicy[];
  pages: CatalogPage[];
  documents: CatalogDocument[];
  issues: ImportIssue[];
}

/** Read access to the indexed catalog, for retrieval and answering (facts behind claims). */
export interface CatalogReader {
  productsByIds(shop: string, ids: string[]): Promise<CatalogProduct[]>;
  productByHandle(shop: string, handle: string): Promise<CatalogProduct | null>;
  /**
   * Every shopper-visible product of the shop: listing questions cover the whole catalog. The
   * same array may be handed out again until the catalog changes: never mutate it.
   */
  products(shop: string): Promise<readonly CatalogProduct[]>;
  policies(shop: string): Promise<CatalogPolicy[]>;
}
