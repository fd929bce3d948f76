/** Every shopper-visible item of a batch, chunked. Policies and documents are always visible. */
import type { CatalogBatch } from "../catalog/types";
import type { IndexChunk } from "../stores/types";
import { chunkDocument } from "./chunk-document";
import { chunkPage } from "./chunk-page";
import { chunkPolicy } from "./chunk-policy";
import { chunkProduct } from "./chunk-product";
import { isShopperVisible } from "./visibility";

export function chunkCatalog(batch: Pick<CatalogBatch, "products" | "policies" | "pages" | "documents">): IndexChunk[] {
  return [
    ...batch.products.filter(isShopperVisible).flatMap(chunkProduct),
    ...batch.policies.flatMap(chunkPolicy),
    ...batch.pages.filter(isShopperVisible).flatMap(chunkPage),
    ...batch.documents.flatMap(chunkDocument),
  ];
}
