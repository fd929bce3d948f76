/**
 * The demo store's product photos live on a made-up host (images.harborandheath.example,
 * a reserved .example name that never resolves). For the demo shop, whose storefront
 * is this app's own preview, those URLs become the app's generated images
 * (/demo-images/<handle>-<n>.svg). Any other URL, and every other shop, keeps its images.
 */
import type { CatalogBatch, CatalogProduct } from "./types";

export const DEMO_IMAGE_ROUTE = "/demo-images";

const DEMO_IMAGE_URL = /^https:\/\/images\.harborandheath\.example\/products\/([a-z0-9][a-z0-9-]{0,200})-(\d{1,2})\.(?:jpe?g|png|webp)$/;

/** The app-relative generated image for one of the demo host's URLs, or null for any other URL. */
export function demoImagePath(url: string): string | null {
  const match = DEMO_IMAGE_URL.exec(url);
  return match ? `${DEMO_IMAGE_ROUTE}/${match[1]}-${Number(match[2])}.svg` : null;
}

/** Parses "<handle>-<n>.svg" back into its parts; null for anything else. */
export function parseDemoImageName(name: string): { handle: string; position: number } | null {
  const match = /^([a-z0-9][a-z0-9-]{0,200})-(\d{1,2})\.svg$/.exec(name);
  if (!match) return null;
  const position = Number(match[2]);
  return position >= 1 ? { handle: match[1], position } : null;
}

export function withDemoImages(product: CatalogProduct): CatalogProduct {
  if (!product.images.some((i) => demoImagePath(i.url))) return product;
  return { ...product, images: product.images.map((i) => ({ ...i, url: demoImagePath(i.url) ?? i.url })) };
}

export function withDemoStoreImages(batch: CatalogBatch): CatalogBatch {
  return { ...batch, products: batch.products.map(withDemoImages) };
}
