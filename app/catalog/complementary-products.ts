/**
 * The merchant's own complementary products ("pairs well with"), set in Shopify's
 * Search & Discovery app. Shopify keeps them in a product metafield of type
 * list.product_reference; the Admin API gives its value as a JSON list of product
 * gids, and a product CSV export has it as a column of the same name. Read here
 * once for every import path, and kept off the product's shopper-facing facts.
 */
import { numericIdFromGid } from "./shopify-admin-client";
import type { CatalogProduct } from "./types";

export const COMPLEMENTARY_NAMESPACE = "shopify--discovery--product_recommendation";
export const COMPLEMENTARY_KEY = "complementary_products";

export function isComplementaryMetafield(namespace: string, key: string): boolean {
  return namespace === COMPLEMENTARY_NAMESPACE && key === COMPLEMENTARY_KEY;
}

/**
 * Product references as ids or handles, in order: a JSON list of gids
 * (`["gid://shopify/Product/1"]`), or gids or handles separated by commas, semicolons or lines.
 */
export function parseProductReferences(value: string): string[] {
  const trimmed = value.trim();
  let items: string[];
  try {
    const parsed: unknown = JSON.parse(trimmed);
    items = Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : typeof parsed === "string" ? [parsed] : [];
  } catch {
    items = trimmed.split(/[,;\n]+/);
  }
  const out: string[] = [];
  for (const raw of items) {
    const item = raw.trim().replace(/^["']|["']$/g, "");
    if (!item) continue;
    const ref = item.startsWith("gid://") ? numericIdFromGid(item) : item;
    if (ref && !out.includes(ref)) out.push(ref);
  }
  return out;
}

/** Moves the complementary-products metafield, when present, into `complementaryProducts`. */
export function withComplementaryProducts(product: CatalogProduct): CatalogProduct {
  const field = product.metafields.find((m) => isComplementaryMetafield(m.namespace, m.key));
  if (!field) return product;
  const refs = parseProductReferences(field.value);
  const metafields = product.metafields.filter((m) => m !== field);
  return refs.length > 0 ? { ...product, metafields, complementaryProducts: refs } : { ...product, metafields };
}
