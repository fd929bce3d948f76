/**
 * What a shopper may see. Drafts, archived and unpublished products, and
 * unpublished pages, never reach the index, so they can never be cited.
 */
import type { CatalogPage, CatalogProduct } from "../catalog/types";

export function isShopperVisible(item: CatalogProduct | CatalogPage): boolean {
  if ("status" in item) return item.status === "active" && item.published;
  return item.published;
}
