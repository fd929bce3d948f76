/**
 * Keeping a Shopify shop in the index: the full sync (bulk operation + policies +
 * pages), the content refresh (no webhook exists for policy edits), and single
 * products for webhooks and inventory changes. Progress is kept in SyncRun rows.
 */
import type { Db } from "../db/open-database";
import { indexCatalog, removeMissingSources, removeSource, type IndexCatalogResult, type IndexDeps } from "../indexing/index-catalog";
import { createAdminGraphqlClient, withThrottleRetry, type AdminGraphqlClient } from "./shopify-admin-client";
import { completeProductBulkSync, runProductBulkSync } from "./shopify-bulk-sync";
import { fetchPages, fetchProductById, fetchShopPolicies, fetchShopProfile, fetchVariantProductIdByInventoryItem } from "./shopify-content";

export interface ShopifyAccess {
  /** Full GraphQL URL override, for a local Admin API double. */
  endpointFor?: (shop: string) => string | undefined;
  apiVersion?: string;
}

export class NoShopAccessError extends Error {
  readonly code = "no_offline_session";
  constructor(shop: string) {
    super(`No offline access token for ${shop}: the app is not installed there (or was uninstalled).`);
  }
}

/** An Admin API client from the shop's offline session, with throttle-aware retries. */
export async function adminClientFor(db: Db, shop: string, access: ShopifyAccess = {}): Promise<AdminGraphqlClient> {
  const session = await db.session.findFirst({ where: { shop, isOnline: false }, orderBy: { expires: "desc" } });
  if (!session?.accessToken) throw new NoShopAccessError(shop);
  return withThrottleRetry(
    createAdminGraphqlClient({ shop, accessToken: session.accessToken, apiVersion: access.apiVersion, endpoint: access.endpointFor?.(shop) }),
  );
}

async function shopCurrency(db: Db, shop: string): Promise<string | null> {
  return (await db.shop.findUnique({ where: { domain: shop }, select: { currency: true } }))?.currency ?? null;
}

export async function refreshShopContent(deps: IndexDeps, client: AdminGraphqlClient, shop: string): Promise<IndexCatalogResult> {
  const profile = await fetchShopProfile(client);
  await deps.db.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, name: profile.name, contactEmail: profile.contactEmail, currency: profile.currency ?? "USD", primaryDomain: profile.primaryDomainUrl },
    update: { name: profile.name, contactEmail: profile.contactEmail, currency: profile.currency ?? "USD", primaryDomain: profile.primaryDomainUrl, uninstalledAt: null },
  });
  const [policies, pages] = await Promise.all([fetchShopPolicies(client), fetchPages(client)]);
  const result = await indexCatalog(deps, shop, { products: [], policies, pages, documents: [] });
  // A policy or page removed in Shopify leaves the index too.
  await removeMissingSources(deps, shop, "policy", new Set(policies.map((p) => p.id)));
  await removeMissingSources(deps, shop, "page", new Set(pages.map((p) => p.id)));
  return result;
}

/** Full sync: every product by one bulk operation, then policies and pages. */
export async function runFullSync(
  deps: IndexDeps,
  client: AdminGraphqlClient,
  shop: string,
  options: { operationId?: string; onProgress?: (phase: string, processed: number, total: number | null) => Promise<void> | void } = {},
): Promise<IndexCatalogResult> {
  const progress = options.onProgress ?? (() => {});
  await progress("content", 0, null);
  await refreshShopContent(deps, client, shop);
  const currency = await shopCurrency(deps.db, shop);
  await progress("export", 0, null);
  const { batch } = options.operationId
    ? await completeProductBulkSync(client, options.operationId, { currency })
    : await runProductBulkSync(client, { currency, onProgress: (p) => progress("export", p.objectCount, null) });
  const result = await indexCatalog(deps, shop, batch, { onProgress: (p) => progress("index", p.processed, p.total) });
  await removeMissingSources(deps, shop, "product", new Set(batch.products.map((p) => p.id)));
  return result;
}

export async function syncOneProduct(deps: IndexDeps, client: AdminGraphqlClient, shop: string, productId: string): Promise<"indexed" | "removed"> {
  const product = await fetchProductById(client, productId, { currency: await shopCurrency(deps.db, shop) });
  if (!product) {
    await removeSource(deps, shop, "product", productId);
    return "removed";
  }
  await indexCatalog(deps, shop, { products: [product], policies: [], pages: [], documents: [] });
  return "indexed";
}

export async function syncInventoryItem(deps: IndexDeps, client: AdminGraphqlClient, shop: string, inventoryItemId: string): Promise<"indexed" | "removed" | "unknown"> {
  const ref = await fetchVariantProductIdByInventoryItem(client, inventoryItemId);
  if (!ref) return "unknown";
  return syncOneProduct(deps, client, shop, ref.productId);
}
