import type { CatalogBatch } from "./types";

export function createEmptyBatch(): CatalogBatch {
  return { products: [], policies: [], pages: [], documents: [], issues: [] };
}

/** Concatenates batches in order; nothing is deduplicated here. */
export function mergeBatches(batches: CatalogBatch[]): CatalogBatch {
  const merged = createEmptyBatch();
  for (const b of batches) {
    merged.products.push(...b.products);
    merged.policies.push(...b.policies);
    merged.pages.push(...b.pages);
    merged.documents.push(...b.documents);
    merged.issues.push(...b.issues);
  }
  return merged;
}

/** The epoch: used as updatedAt when a file carries no timestamp, so pure parsers never read the clock. */
export const UNKNOWN_TIMESTAMP = "1970-01-01T00:00:00.000Z";
