/**
 * Demo mode's store is the app's own catalog: publishing there rewrites the stored
 * product's description. A real shop publishes through Shopify (shopify-copy-writer.ts),
 * and its products/update webhook brings the change back into the catalog.
 */
import type { Db } from "../../db/open-database";
import { VoiceError, type ProductCopyWriter } from "./types";

export function createCatalogCopyWriter(db: Db, shop: string): ProductCopyWriter {
  return {
    async updateDescription(productId, html) {
      const row = await db.catalogItem.findFirst({ where: { shop, sourceType: "product", sourceId: productId } });
      if (!row) throw new VoiceError("not_found", "The product is no longer in the catalog.");
      const data = JSON.parse(row.data) as { descriptionHtml?: string };
      await db.catalogItem.update({ where: { id: row.id }, data: { data: JSON.stringify({ ...data, descriptionHtml: html }) } });
    },
  };
}
