/**
 * The sync pipeline under abuse, end to end: signed webhooks over HTTP to the real
 * server -> durable jobs -> the inline worker -> the Admin API (a local fake behind
 * a proxy, so "what Shopify says" can change mid-test) -> the embedded index, read
 * back from the index file the server writes.
 *
 * Two shops: SHOP_A is installed (an offline session; the worker refetches every
 * product from the Admin API), SHOP_B has no Admin access (file-imported; the
 * worker indexes the webhook payload itself, so event order matters there).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogProduct } from "../../app/catalog/types";
import { openDatabase, type Db } from "../../app/db/open-database";
import { chunkProduct } from "../../app/indexing/chunk-product";
import { createQueue } from "../../app/jobs/queue";
import { startFakeShopifyAdmin, type FakeShopifyAdmin } from "../fakes/shopify-admin-server";
import { repoRoot, startTestServer, type TestServer } from "../support/server";
import { signedWebhook } from "../support/shopify-signing";
import { adminRestProduct, insertOfflineSession, makeProduct, readIndex, startSwitchableProxy, waitFor, waitForQueueDrain, type SwitchableProxy } from "./sync-support";

const SHOP_A = "sync-alpha.myshopify.com";
const SHOP_B = "sync-bravo.myshopify.com";
const SHOP_C = "sync-charlie.myshopify.com";
const TOKEN = "shpat_sync_webhooks_token";

const T1 = "2026-03-01T10:00:00Z";
const T2 = "2026-03-02T10:00:00Z";
const T3 = "2026-03-03T10:00:00Z";

const shell = makeProduct(101, { title: "Harbour Rain Shell", handle: "harbour-rain-shell", descriptionHtml: "<p>A waterproof rain shell with taped seams.</p>", updatedAt: T1 });
const pack = makeProduct(102, { title: "Alpine Day Pack", handle: "alpine-day-pack", descriptionHtml: "<p>A 20 litre day pack for short hikes.</p>", updatedAt: T1 });
const cap = makeProduct(103, { title: "Trail Cap", handle: "trail-cap", descriptionHtml: "<p>A light cap that dries fast.</p>", updatedAt: T1 });

describe("sync pipeline: webhooks -> jobs -> worker -> index", () => {
  let server: TestServer;
  let db: Db;
  let proxy: SwitchableProxy;
  let fake: FakeShopifyAdmin | null = null;

  /** What the Admin API says about SHOP_A from now on. */
  async function setAdminCatalog(products: CatalogProduct[]): Promise<void> {
    const next = await startFakeShopifyAdmin({ products, accessToken: TOKEN, shop: { myshopifyDomain: SHOP_A, name: "Sync Alpha" } });
    proxy.setUpstream(SHOP_A, next.url);
    await fake?.close();
    fake = next;
  }

  async function post(topic: string, shop: string, payload: unknown, options: { webhookId?: string; secret?: string; rawBody?: string } = {}) {
    const { url, init } = signedWebhook(server.url, { topic, shop, payload, secret: options.secret ?? server.secret, webhookId: options.webhookId, rawBody: options.rawBody });
    return fetch(url, init);
  }

  const index = (shop: string) => readIndex(server.dataDir, shop);
  const chunksOf = (shop: string, productId: string) => index(shop).chunkIds.filter((id) => id.startsWith(`product:${productId}:`));
  const textOf = (shop: string, productId: string) =>
    [...index(shop).textById.entries()]
      .filter(([id]) => id.startsWith(`product:${productId}:`))
      .map(([, text]) => text)
      .join("\n");

  /** No duplicates anywhere: ids unique, and one dense and one full-text row per chunk. */
  function expectIndexConsistent(shop: string): void {
    const snap = index(shop);
    expect(new Set(snap.chunkIds).size).toBe(snap.chunkIds.length);
    expect(snap.vecRows).toBe(snap.chunkIds.length);
    expect(snap.ftsRows).toBe(snap.chunkIds.length);
  }

  beforeAll(async () => {
    proxy = await startSwitchableProxy();
    await setAdminCatalog([shell, pack, cap]);
    server = await startTestServer({ env: { SHOPIFY_ADMIN_API_ORIGIN: proxy.url } });
    db = openDatabase(server.database.url);
    await insertOfflineSession(db, SHOP_A, TOKEN);
    // GIVEN SHOP_A installed and fully synced, and SHOP_B holding two products from webhooks.
    await createQueue(db, server.database.url).enqueue({ shop: SHOP_A, kind: "sync.full", key: "sync" });
    for (const p of [shell, pack]) expect((await post("products/create", SHOP_B, adminRestProduct(p))).status).toBe(200);
    await waitForQueueDrain(db, { timeoutMs: 60_000 });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
    await fake?.close();
    await proxy?.close();
  });

  it("GIVEN a full sync WHEN it ends THEN every product is indexed once, as the chunker splits it", async () => {
    expect(await db.job.count({ where: { status: "dead" } })).toBe(0);
    for (const p of [shell, pack, cap]) expect(chunksOf(SHOP_A, p.id)).toEqual(chunkProduct(p).map((c) => c.id).sort());
    for (const p of [shell, pack]) expect(chunksOf(SHOP_B, p.id)).toHaveLength(chunkProduct(p).length);
    expect(await db.syncRun.findFirst({ where: { shop: SHOP_A } })).toMatchObject({ status: "done", phase: "done" });
    expectIndexConsistent(SHOP_A);
    expectIndexConsistent(SHOP_B);
  });

  it("GIVEN a webhook signed with the wrong secret WHEN posted THEN 401 and nothing changes", async () => {
    const before = index(SHOP_A);
    const jobs = await db.job.count();
    const response = await post("products/delete", SHOP_A, { id: Number(shell.id) }, { secret: "not-the-app-secret" });
    expect(response.status).toBe(401);
    await new Promise((r) => setTimeout(r, 600)); // longer than one worker poll
    expect(await db.job.count()).toBe(jobs);
    expect(await db.webhookDelivery.count({ where: { shop: SHOP_A } })).toBe(0);
    expect(index(SHOP_A).chunkIds).toEqual(before.chunkIds);
  });

  it("GIVEN an update WHEN the same delivery is replayed and duplicated concurrently THEN one delivery is kept and the index holds the new text once", async () => {
    const renamed = { ...shell, title: "Harbour Storm Shell", descriptionHtml: "<p>A storm-proof shell with a stowable hood.</p>", updatedAt: T2 };
    await setAdminCatalog([renamed, pack, cap]);
    const payload = adminRestProduct(renamed);
    const responses = await Promise.all([
      post("products/update", SHOP_A, payload, { webhookId: "replayed-1" }),
      post("products/update", SHOP_A, payload, { webhookId: "replayed-1" }),
      post("products/update", SHOP_A, payload, { webhookId: "replayed-1" }),
      // Shopify can also send one change twice under different delivery ids.
      post("products/update", SHOP_A, payload, { webhookId: "replayed-2" }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await db.webhookDelivery.count({ where: { shop: SHOP_A, webhookId: "replayed-1" } })).toBe(1);
    await waitForQueueDrain(db, { shop: SHOP_A });
    expect(chunksOf(SHOP_A, shell.id)).toEqual(chunkProduct(renamed).map((c) => c.id).sort());
    expect(textOf(SHOP_A, shell.id)).toContain("Harbour Storm Shell");
    expect(textOf(SHOP_A, shell.id)).not.toContain("Harbour Rain Shell");
    expect(await db.catalogItem.findFirst({ where: { shop: SHOP_A, sourceId: shell.id } })).toMatchObject({ title: "Harbour Storm Shell" });
    expectIndexConsistent(SHOP_A);
  });

  it("GIVEN an installed shop WHEN an older update arrives after a newer one THEN the newer state stays", async () => {
    const older = { ...pack, title: "Alpine Day Pack (old)", updatedAt: T1 };
    const newer = { ...pack, title: "Alpine Summit Pack", descriptionHtml: "<p>A 28 litre summit pack with a hip belt.</p>", updatedAt: T2 };
    await setAdminCatalog([{ ...shell, title: "Harbour Storm Shell", descriptionHtml: "<p>A storm-proof shell with a stowable hood.</p>", updatedAt: T2 }, newer, cap]);
    expect((await post("products/update", SHOP_A, adminRestProduct(newer))).status).toBe(200);
    await waitForQueueDrain(db, { shop: SHOP_A });
    expect((await post("products/update", SHOP_A, adminRestProduct(older))).status).toBe(200);
    await waitForQueueDrain(db, { shop: SHOP_A });
    expect(textOf(SHOP_A, pack.id)).toContain("Alpine Summit Pack");
    expect(textOf(SHOP_A, pack.id)).not.toContain("(old)");
    expectIndexConsistent(SHOP_A);
  });

  it("GIVEN a shop without Admin access WHEN updates arrive out of order, queued together or apart, THEN the newest payload wins", async () => {
    const v1 = { ...pack, title: "Alpine Day Pack v1", updatedAt: T1 };
    const v2 = { ...pack, title: "Alpine Day Pack v2", updatedAt: T2 };
    const v3 = { ...pack, title: "Alpine Day Pack v3", updatedAt: T3 };
    // Apart: v2 is indexed, then v1 arrives late.
    expect((await post("products/update", SHOP_B, adminRestProduct(v2))).status).toBe(200);
    await waitForQueueDrain(db, { shop: SHOP_B });
    expect((await post("products/update", SHOP_B, adminRestProduct(v1))).status).toBe(200);
    await waitForQueueDrain(db, { shop: SHOP_B });
    expect(textOf(SHOP_B, pack.id)).toContain("Alpine Day Pack v2");
    // Together: v3 then v1 and v2 land in the queue before the worker wakes.
    await Promise.all([adminRestProduct(v3), adminRestProduct(v1), adminRestProduct(v2)].map((p) => post("products/update", SHOP_B, p)));
    await waitForQueueDrain(db, { shop: SHOP_B });
    expect(textOf(SHOP_B, pack.id)).toContain("Alpine Day Pack v3");
    const row = await db.catalogItem.findFirst({ where: { shop: SHOP_B, sourceType: "product", sourceId: pack.id } });
    expect(row?.sourceUpdatedAt.toISOString()).toBe(new Date(T3).toISOString());
    expect(chunksOf(SHOP_B, pack.id)).toHaveLength(chunkProduct(v3).length);
    expectIndexConsistent(SHOP_B);
  });

  it("GIVEN malformed deliveries WHEN posted THEN they are refused or parked, and the index is unchanged", async () => {
    const before = index(SHOP_A);
    const jobsBefore = await db.job.count();
    // No product id: refused at the door with a clear error.
    const noId = await post("products/update", SHOP_A, { title: "no id here" });
    expect(noId.status).toBe(400);
    expect(await noId.json()).toEqual({ error: { code: "malformed_payload", message: "product payload has no id" } });
    // Not an object.
    expect((await post("products/update", SHOP_A, [1, 2, 3])).status).toBe(400);
    // Not JSON at all, though correctly signed: never accepted.
    const notJson = await post("products/update", SHOP_A, null, { rawBody: "{not json" });
    expect(notJson.status).toBeGreaterThanOrEqual(400);
    expect(await db.job.count()).toBe(jobsBefore);
    expect(index(SHOP_A).chunkIds).toEqual(before.chunkIds);

    // A payload with an id but no title, for a shop whose payloads are indexed as sent:
    // the job fails (and will retry, then land in the dead letters), nothing is indexed.
    const broken = { ...adminRestProduct(makeProduct(301)), title: "" };
    expect((await post("products/update", SHOP_C, broken)).status).toBe(200);
    const failed = await waitFor("the broken job to fail once", () => db.job.findFirst({ where: { shop: SHOP_C, lastError: { not: null } } }));
    expect(failed.lastError).toContain("has no title");
    expect(failed.status).toMatch(/queued|dead/);
    expect(index(SHOP_C).chunkIds).toEqual([]);
    expect(await db.catalogItem.count({ where: { shop: SHOP_C } })).toBe(0);
  });

  it("GIVEN products/delete WHEN processed THEN the product's chunks and catalog row are gone, and a late older update does not bring it back", async () => {
    await setAdminCatalog([{ ...shell, title: "Harbour Storm Shell", updatedAt: T2 }, { ...pack, title: "Alpine Summit Pack", updatedAt: T2 }]);
    expect(chunksOf(SHOP_A, cap.id).length).toBeGreaterThan(0);
    expect((await post("products/delete", SHOP_A, { id: Number(cap.id) })).status).toBe(200);
    await waitForQueueDrain(db, { shop: SHOP_A });
    expect(chunksOf(SHOP_A, cap.id)).toEqual([]);
    expect(await db.catalogItem.count({ where: { shop: SHOP_A, sourceId: cap.id } })).toBe(0);
    expect((await post("products/update", SHOP_A, adminRestProduct(cap))).status).toBe(200);
    await waitForQueueDrain(db, { shop: SHOP_A });
    expect(chunksOf(SHOP_A, cap.id)).toEqual([]);

    // The same on a shop without Admin access: the late update carries the old payload.
    expect(chunksOf(SHOP_B, shell.id).length).toBeGreaterThan(0);
    expect((await post("products/delete", SHOP_B, { id: Number(shell.id) })).status).toBe(200);
    await waitForQueueDrain(db, { shop: SHOP_B });
    expect(chunksOf(SHOP_B, shell.id)).toEqual([]);
    expect((await post("products/update", SHOP_B, adminRestProduct(shell))).status).toBe(200);
    await waitForQueueDrain(db, { shop: SHOP_B });
    expect(chunksOf(SHOP_B, shell.id)).toEqual([]);
    expect(await db.catalogItem.count({ where: { shop: SHOP_B, sourceId: shell.id } })).toBe(0);
    expectIndexConsistent(SHOP_A);
    expectIndexConsistent(SHOP_B);
  });

  it("GIVEN a product set to draft WHEN the update is processed THEN it leaves the index at once and search no longer finds it", async () => {
    const draft = { ...shell, title: "Harbour Storm Shell", status: "draft" as const, published: false, updatedAt: T3 };
    await setAdminCatalog([draft, { ...pack, title: "Alpine Summit Pack", updatedAt: T2 }]);
    expect(chunksOf(SHOP_A, shell.id).length).toBeGreaterThan(0);
    expect((await post("products/update", SHOP_A, adminRestProduct(draft))).status).toBe(200);
    await waitForQueueDrain(db, { shop: SHOP_A });
    expect(chunksOf(SHOP_A, shell.id)).toEqual([]);
    // The catalog keeps the row, hidden, so the Sync page can count it.
    expect(await db.catalogItem.findFirst({ where: { shop: SHOP_A, sourceId: shell.id } })).toMatchObject({ visible: false });

    const hits = await searchJson(server, SHOP_A, "Harbour Storm Shell stowable hood");
    expect(hits.some((h) => h.sourceId === shell.id)).toBe(false);
    expect(hits.some((h) => h.sourceId === pack.id)).toBe(true);
  });

  it("GIVEN two shops WHEN one sends shop/redact THEN all of its data goes, index included, and the other's stays", async () => {
    const bBefore = { chunks: index(SHOP_B).chunkIds, items: await db.catalogItem.count({ where: { shop: SHOP_B } }) };
    expect(bBefore.chunks.length).toBeGreaterThan(0);
    expect(index(SHOP_A).chunkIds.length).toBeGreaterThan(0);
    // Storefront rate buckets of both shops (kept in the database on PostgreSQL).
    const bucketKeys = [`ask|s|${SHOP_A}`, `ask|c|${SHOP_A}|client-1`, `ask|s|${SHOP_B}`, `ask|c|${SHOP_B}|client-1`];
    for (const key of bucketKeys) await db.rateBucket.create({ data: { key, tokens: 3, updatedAt: new Date() } });
    expect((await post("shop/redact", SHOP_A, { shop_id: 1, shop_domain: SHOP_A })).status).toBe(200);
    await waitForQueueDrain(db, { shop: SHOP_A });
    expect(index(SHOP_A).chunkIds).toEqual([]);
    for (const count of [
      db.catalogItem.count({ where: { shop: SHOP_A } }),
      db.syncRun.count({ where: { shop: SHOP_A } }),
      db.session.count({ where: { shop: SHOP_A } }),
      db.shop.count({ where: { domain: SHOP_A } }),
      db.job.count({ where: { shop: SHOP_A, kind: { not: "shop.redact" } } }),
    ]) {
      expect(await count).toBe(0);
    }
    expect(index(SHOP_B).chunkIds).toEqual(bBefore.chunks);
    expect(await db.catalogItem.count({ where: { shop: SHOP_B } })).toBe(bBefore.items);
    expect((await db.rateBucket.findMany({ orderBy: { key: "asc" } })).map((b) => b.key)).toEqual(bucketKeys.slice(2).sort());
  });
});

/** `groundwork search --json` as a child process against the server's data. */
async function searchJson(server: TestServer, shop: string, query: string): Promise<{ sourceId: string; title: string }[]> {
  const env: Record<string, string> = { ...server.env, GROUNDWORK_WORKER: "off" };
  const child = spawn(process.execPath, [path.join(repoRoot, "bin/groundwork.mjs"), "search", "--shop", shop, "--json", "--k", "20", query], {
    cwd: repoRoot,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`groundwork search exited ${code}: ${err}`);
  return (JSON.parse(out) as { results: { sourceId: string; title: string }[] }).results;
}
