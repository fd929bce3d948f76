/**
 * Syncing a store through the Admin GraphQL API, against a local fake that
 * speaks Shopify's wire format over HTTP: bulk export, policies, pages, one
 * product, throttling and a rejected token.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAdminRestProducts } from "../../app/catalog/admin-rest-json";
import {
  ShopifyAdminError,
  createAdminGraphqlClient,
  withThrottleRetry,
  type AdminGraphqlClient,
} from "../../app/catalog/shopify-admin-client";
import {
  completeProductBulkSync,
  runProductBulkSync,
  startProductBulkSync,
  type BulkSyncProgress,
} from "../../app/catalog/shopify-bulk-sync";
import {
  fetchPages,
  fetchProductById,
  fetchShopPolicies,
  fetchShopProfile,
  fetchVariantProductIdByInventoryItem,
} from "../../app/catalog/shopify-content";
import type { CatalogPage, CatalogPolicy, CatalogProduct } from "../../app/catalog/types";
import { startFakeShopifyAdmin, type FakeShopifyAdmin } from "../fakes/shopify-admin-server";
import { hasSharedData, sharedDataPath, sharedDataSkipReason } from "../support/shared-data";

const SHOP = "alpine-outfitters.myshopify.com";
const noSleep = async () => {};

function clientFor(fake: FakeShopifyAdmin, token = fake.accessToken): AdminGraphqlClient {
  return createAdminGraphqlClient({ shop: SHOP, accessToken: token, endpoint: fake.endpointFor(SHOP) });
}

const products: CatalogProduct[] = [
  {
    id: "1001",
    handle: "alpine-rain-shell",
    title: "Alpine Rain Shell",
    descriptionHtml: "<p>Waterproof 2.5-layer shell with taped seams.</p>",
    productType: "Jackets",
    vendor: "Alpine Co",
    tags: ["rain", "outerwear"],
    status: "active",
    published: true,
    options: [
      { name: "Size", values: ["S", "M"] },
      { name: "Color", values: ["Navy"] },
    ],
    variants: [
      { id: "2001", title: "S / Navy", sku: "ARS-S-NV", price: 149, compareAtPrice: 179, available: true, inventoryQuantity: 4, options: { Size: "S", Color: "Navy" } },
      { id: "2002", title: "M / Navy", sku: null, price: 149.5, compareAtPrice: null, available: false, inventoryQuantity: 0, options: { Size: "M", Color: "Navy" } },
    ],
    collections: ["Outerwear", "Rain gear"],
    metafields: [{ namespace: "custom", key: "material", value: "Recycled nylon", label: "Fabric" }],
    images: [{ url: "https://cdn.example/shell.jpg", altText: "Shell, front" }],
    url: "/products/alpine-rain-shell",
    updatedAt: "2025-04-02T08:30:00Z",
    currency: "EUR",
  },
  {
    id: "1002",
    handle: "trail-socks",
    title: "Trail Socks",
    descriptionHtml: "",
    productType: "Socks",
    vendor: "Alpine Co",
    tags: [],
    status: "draft",
    published: false,
    options: [],
    variants: [{ id: "2003", title: "Default Title", sku: "TS-1", price: 12, compareAtPrice: null, available: true, inventoryQuantity: null, options: {} }],
    collections: ["Outerwear"],
    metafields: [],
    images: [],
    url: "/products/trail-socks",
    updatedAt: "2025-04-03T08:30:00Z",
    currency: "EUR",
  },
];

const policies: CatalogPolicy[] = [
  { id: "41", type: "refund", title: "Refund policy", body: "<h2>Returns</h2><p>30 days, unworn.</p>", url: "/policies/refund-policy", updatedAt: "2025-01-01T00:00:00Z" },
  { id: "42", type: "shipping", title: "Shipping policy", body: "<p>Free over €50.</p>", url: "/policies/shipping-policy", updatedAt: "2025-01-01T00:00:00Z" },
  { id: "43", type: "privacy", title: "Privacy policy", body: "", url: "/policies/privacy-policy", updatedAt: "2025-01-01T00:00:00Z" },
];

const pages: CatalogPage[] = Array.from({ length: 5 }, (_, i) => ({
  id: String(61 + i),
  handle: `page-${i + 1}`,
  title: `Page ${i + 1}`,
  body: `<p>About &amp; page ${i + 1}</p>`,
  url: `/pages/page-${i + 1}`,
  published: i !== 4,
  updatedAt: "2025-02-01T00:00:00Z",
}));

describe("Shopify sync through the Admin GraphQL fake", () => {
  let fake: FakeShopifyAdmin;

  beforeAll(async () => {
    fake = await startFakeShopifyAdmin({
      products,
      policies,
      pages,
      shop: { myshopifyDomain: SHOP, name: "Alpine Outfitters", currencyCode: "EUR", primaryDomainUrl: "https://alpine.example" },
    });
  });
  afterAll(() => fake.close());

  it("GIVEN a catalog WHEN a bulk sync runs THEN the same products come back, with progress reported", async () => {
    const progress: BulkSyncProgress[] = [];
    const result = await runProductBulkSync(clientFor(fake), {
      pollIntervalMs: 0,
      sleep: noSleep,
      currency: "EUR",
      onProgress: (p) => progress.push(p),
    });

    expect(result.batch.issues).toEqual([]);
    expect(result.batch.products).toEqual(products);
    expect(result.operationId).toMatch(/^gid:\/\/shopify\/BulkOperation\/\d+$/);
    // 2 products + 3 variants + 3 collection links + 1 metafield + 1 image.
    expect(result.objectCount).toBe(10);
    expect(progress.map((p) => p.status)).toEqual(["CREATED", "RUNNING", "COMPLETED"]);

    const op = fake.bulkOperations.find((o) => o.id === result.operationId)!;
    expect(op.jsonl.split("\n")[1]).toContain('"__parentId":"gid://shopify/Product/1001"');
  });

  it("GIVEN a running export WHEN another starts THEN it is refused as in progress; the finish webhook path completes it", async () => {
    const client = clientFor(fake);
    const { operationId } = await startProductBulkSync(client);
    await expect(startProductBulkSync(client)).rejects.toMatchObject({
      code: "bulk_operation_in_progress",
      details: expect.objectContaining({ runningOperationId: operationId }),
    });

    fake.finishBulkOperation(operationId);
    const finished = await completeProductBulkSync(client, operationId, { currency: "EUR" });
    expect(finished.batch.products.map((p) => p.id)).toEqual(["1001", "1002"]);
  });

  it("GIVEN an export still running WHEN completion is asked for THEN it says so instead of returning a partial catalog", async () => {
    const client = clientFor(fake);
    const { operationId } = await startProductBulkSync(client);
    await expect(completeProductBulkSync(client, operationId)).rejects.toMatchObject({ code: "bulk_operation_not_finished" });
    fake.finishBulkOperation(operationId);
  });

  it("GIVEN Shopify fails the export WHEN the sync polls THEN it raises bulk_operation_failed with the reason", async () => {
    fake.failNextBulkOperation("ACCESS_DENIED");
    const error = await runProductBulkSync(clientFor(fake), { pollIntervalMs: 0, sleep: noSleep }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyAdminError);
    expect(error).toMatchObject({ code: "bulk_operation_failed", retriable: false });
    expect((error as Error).message).toMatch(/access scope/);
  });

  it("GIVEN the sync is aborted WHEN polling THEN it stops with sync_aborted", async () => {
    const controller = new AbortController();
    const error = await runProductBulkSync(clientFor(fake), {
      pollIntervalMs: 0,
      sleep: async () => controller.abort(),
      abortSignal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "sync_aborted" });
    fake.finishBulkOperation(fake.bulkOperations[fake.bulkOperations.length - 1].id);
  });

  it("GIVEN policies WHEN fetched THEN types map to ours, HTML becomes text, empty ones are left out", async () => {
    const fetched = await fetchShopPolicies(clientFor(fake));
    expect(fetched).toEqual([
      { id: "41", type: "refund", title: "Refund policy", body: "## Returns\n\n30 days, unworn.", url: "/policies/refund-policy", updatedAt: "2025-01-01T00:00:00Z" },
      { id: "42", type: "shipping", title: "Shipping policy", body: "Free over €50.", url: "/policies/shipping-policy", updatedAt: "2025-01-01T00:00:00Z" },
    ]);
  });

  it("GIVEN five pages WHEN fetched two at a time THEN cursors are followed over three requests", async () => {
    const before = fake.requests.length;
    const fetched = await fetchPages(clientFor(fake), { pageSize: 2 });
    const calls = fake.requests.slice(before);

    expect(fetched.map((p) => p.handle)).toEqual(["page-1", "page-2", "page-3", "page-4", "page-5"]);
    expect(fetched[0]).toEqual({ id: "61", handle: "page-1", title: "Page 1", body: "About & page 1", url: "/pages/page-1", published: true, updatedAt: "2025-02-01T00:00:00Z" });
    expect(fetched[4].published).toBe(false);
    expect(calls.map((c) => c.variables.after ?? null)).toEqual([null, expect.any(String), expect.any(String)]);
  });

  it("GIVEN the shop WHEN its profile is fetched THEN name, currency and domains come back", async () => {
    expect(await fetchShopProfile(clientFor(fake))).toEqual({
      name: "Alpine Outfitters",
      contactEmail: "help@groundwork-test.example",
      currency: "EUR",
      primaryDomainUrl: "https://alpine.example",
      myshopifyDomain: SHOP,
    });
  });

  it("GIVEN an inventory item id from a webhook WHEN resolved THEN the product is found and refetched whole", async () => {
    const client = clientFor(fake);
    const itemId = fake.inventoryItemIdOf("2002");
    expect(itemId).not.toBe("2002");
    const ref = await fetchVariantProductIdByInventoryItem(client, itemId);
    expect(ref).toEqual({ productId: "1001", variantId: "2002" });

    expect(await fetchProductById(client, ref!.productId, { currency: "EUR" })).toEqual(products[0]);
    expect(await fetchProductById(client, "gid://shopify/Product/999")).toBeNull();
    expect(await fetchVariantProductIdByInventoryItem(client, "1")).toBeNull();
  });

  it("GIVEN throttling WHEN the client retries THEN it waits the refill time and succeeds; past its retries it gives a coded error", async () => {
    const waits: number[] = [];
    const retrying = withThrottleRetry(clientFor(fake), { maxRetries: 3, baseDelayMs: 1, sleep: async (ms) => void waits.push(ms) });
    fake.setThrottle(2);
    const before = fake.requests.length;
    const fetched = await fetchShopPolicies(retrying);

    expect(fetched).toHaveLength(2);
    expect(fake.requests.slice(before).map((r) => r.throttled)).toEqual([true, true, false]);
    // The fake reports one point missing: 1/50 s = 20 ms, more than the 1-2 ms backoff.
    expect(waits).toEqual([20, 20]);

    fake.setThrottle(10);
    await expect(fetchShopPolicies(withThrottleRetry(clientFor(fake), { maxRetries: 2, sleep: noSleep }))).rejects.toMatchObject({
      code: "shopify_throttled",
    });
    fake.setThrottle(0);
  });

  it("GIVEN a wrong access token WHEN anything is fetched THEN a 401 becomes shopify_unauthorized with advice", async () => {
    const error = await fetchShopPolicies(clientFor(fake, "shpat_revoked")).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "shopify_unauthorized", status: 401 });
    expect((error as Error).message).toMatch(/reauthorize/);
  });

  it("GIVEN an unknown field WHEN queried THEN the fake answers a GraphQL error, as Shopify does", async () => {
    const response = await clientFor(fake)("{ shop { name favouriteColour } }");
    expect(response.errors?.[0].message).toBe("Field 'favouriteColour' doesn't exist on type 'Shop'");
    expect(response.extensions?.cost?.throttleStatus.maximumAvailable).toBe(1000);
  });
});

describe("an empty shop", () => {
  it("GIVEN no products WHEN a bulk sync runs THEN the completed operation has no file and the batch is empty", async () => {
    const fake = await startFakeShopifyAdmin({ shop: { myshopifyDomain: SHOP } });
    try {
      const result = await runProductBulkSync(clientFor(fake), { pollIntervalMs: 0, sleep: noSleep });
      expect(result.batch.products).toEqual([]);
      expect(result.objectCount).toBe(0);
      expect(fake.requests.some((r) => r.path.startsWith("/bulk-results/"))).toBe(false);
    } finally {
      await fake.close();
    }
  });
});

describe.skipIf(!hasSharedData)("a real catalog through the fake", () => {
  it("GIVEN spacire-uk-sleep's Admin REST export WHEN synced through bulk THEN products and variants match the file import", async () => {
    const file = sharedDataPath("stores", "spacire-uk-sleep", "products_admin_rest.json");
    const imported = parseAdminRestProducts(readFileSync(file, "utf8"), { file, currency: "GBP" });
    expect(imported.products.length).toBeGreaterThan(400);

    const fake = await startFakeShopifyAdmin({ products: imported.products, shop: { myshopifyDomain: SHOP, currencyCode: "GBP" } });
    try {
      const client = withThrottleRetry(clientFor(fake), { sleep: noSleep });
      const result = await runProductBulkSync(client, { pollIntervalMs: 0, sleep: noSleep, currency: "GBP" });

      expect(result.batch.issues).toEqual([]);
      expect(result.batch.products.length).toBe(imported.products.length);
      const variantCount = (ps: CatalogProduct[]) => ps.reduce((n, p) => n + p.variants.length, 0);
      expect(variantCount(result.batch.products)).toBe(variantCount(imported.products));
      expect(result.batch.products).toEqual(imported.products);
    } finally {
      await fake.close();
    }
  });
});

if (!hasSharedData) console.warn(sharedDataSkipReason);
