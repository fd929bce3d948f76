/**
 * `groundwork import` and the demo's first start: read catalog files, index them
 * for one shop, and report what happened (bad rows are listed with file and line,
 * the rest imports).
 */
import { DEMO_SHOP } from "../config";
import type { IndexDeps, IndexCatalogResult } from "../indexing/index-catalog";
import { indexCatalog } from "../indexing/index-catalog";
import { withDemoStoreImages } from "./demo-images";
import { loadCatalogFiles } from "./load-files";
import type { CatalogBatch, ImportIssue } from "./types";

export interface ImportFilesResult extends IndexCatalogResult {
  skipped: number;
  issues: ImportIssue[];
  seconds: number;
}

/**
 * Catalog files as one shop sees them. Only the demo shop's storefront is served by this
 * app, so only there can the demo host's photos become the app's generated images
 * (demo-images.ts).
 */
export async function loadCatalogFilesForShop(shop: string, paths: string[], options: { currency: string | null }): Promise<CatalogBatch> {
  const loaded = await loadCatalogFiles(paths, options);
  return shop === DEMO_SHOP ? withDemoStoreImages(loaded) : loaded;
}

export async function importCatalogFiles(
  deps: IndexDeps,
  shop: string,
  paths: string[],
  options: { currency?: string | null; onProgress?: (processed: number, total: number) => void } = {},
): Promise<ImportFilesResult> {
  const started = performance.now();
  const batch = await loadCatalogFilesForShop(shop, paths, { currency: options.currency ?? null });
  const result = await indexCatalog(deps, shop, batch, { onProgress: (p) => options.onProgress?.(p.processed, p.total) });
  return { ...result, skipped: batch.issues.length, issues: batch.issues, seconds: (performance.now() - started) / 1000 };
}
