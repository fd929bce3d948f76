/**
 * A full sync through the real server: a sync.full job, the inline worker, the
 * Admin API fake (bulk operation, policies, pages) and the local embedding model,
 * compared with a file import (`groundwork import`) of the same data. SyncRun rows
 * must show the progress as it happens.
 *
 * Embedding all of spacire-uk-sleep (507 products) with the local model takes
 * minutes on two cores, so the server runs a literal catalog and a slice of
 * Spacire; the whole of Spacire goes through the same runFullSync and file-import
 * code in-process, with a small deterministic embedder of our own, and is
 * compared on catalog rows, variants and chunk counts.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAdminRestProducts } from "../../app/catalog/admin-rest-json";
import { importCatalogFiles } from "../../app/catalog/import-files";
import { createAdminGraphqlClient } from "../../app/catalog/shopify-admin-client";
import { runFullSync } from "../../app/catalog/sync-shop";
import type { CatalogPage, CatalogPolicy, CatalogProduct } from "../../app/catalog/types";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/open-database";
import type { IndexDeps } from "../../app/indexing/index-catalog";
import { createQueue } from "../../app/jobs/queue";
import type { EmbeddingModel } from "../../app/providers/types";
import { createSqliteVecStore } from "../../app/stores/sqlite-vec-store";
import { startFakeShopifyAdmin, type FakeShopifyAdmin } from "../fakes/shopify-admin-server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { repoRoot, startTestServer, type TestServer } from "../support/server";
import { hasSharedData, sharedDataPath, sharedDataSkipReason } from "../support/shared-data";
import { adminRestProduct, insertOfflineSession, makeProduct, readIndex, startSwitchableProxy, waitForQueueDrain, type SwitchableProxy } from "./sync-support";

const SPACIRE_FILE = sharedDataPath("stores", "spacire-uk-sleep", "products_admin_rest.json");
const SPACIRE_SLICE = 12;

const LITERAL_PRODUCTS: CatalogProduct[] = [
  ...Array.from({ length: 6 }, (_, i) => makeProduct(400 + i, { updatedAt: "2026-02-01T00:00:00Z" })),
  makeProduct(406, { title: "Unreleased Tote", status: "draft", published: false }),
  makeProduct(407, { title: "Online-only Cap", published: false }),
];
const LITERAL_POLICIES: CatalogPolicy[] = [
  { id: "9001", type: "refund", title: "Refund policy", body: "Return unworn items within 30 days for a full refund.", url: "/policies/refund-policy", updatedAt: "2026-01-01T00:00:00Z" },
  { id: "9002", type: "shipping", title: "Shipping policy", body: "Orders ship within 2 business days; free over $50.", url: "/policies/shipping-policy", updatedAt: "2026-01-01T00:00:00Z" },
];
const LITERAL_PAGES: CatalogPage[] = [
  { id: "9101", handle: "about", title: "About us", body: "We make bags and hats that last.", url: "/pages/about", published: true, updatedAt: "2026-01-01T00:00:00Z" },
];

interface SyncRunSnapshot {
  status: string;
  phase: string | null;
  processed: number;
  total: number | null;
}

interface Counts {
  products: number;
  visible: number;
  hidden: number;
  variants: number;
  chunksPerProduct: Map<string, number>;
}

async function catalogCounts(db: Db, dataDir: string | null, shop: string): Promise<Counts> {
  const rows = await db.catalogItem.findMany({ where: { shop, sourceType: "product" }, select: { visible: true, data: true } });
  const perSource = dataDir ? readIndex(dataDir, shop).perSource : new Map<string, number>();
  return {
    products: rows.length,
    visible: rows.filter((r) => r.visible).length,
    hidden: rows.filter((r) => !r.visible).length,
    variants: rows.reduce((n, r) => n + (JSON.parse(r.data) as CatalogProduct).variants.length, 0),
    chunksPerProduct: new Map([...perSource].filter(([k]) => k.startsWith("product:"))),
  };
}

function groundworkImport(server: TestServer, shop: string, file: string, currency: string): Promise<string> {
  const child = spawn(process.execPath, [path.join(repoRoot, "bin/groundwork.mjs"), "import", "--shop", shop, "--currency", currency, "--json", file], {
    cwd: repoRoot,
    env: server.env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`groundwork import exited ${code}:\n${out}`)))),
  );
}

describe("full sync through the server", () => {
  let server: TestServer;
  let db: Db;
  let proxy: SwitchableProxy;
  const fakes: FakeShopifyAdmin[] = [];
  let workDir: string;

  async function serveShop(shop: string, options: { products: CatalogProduct[]; policies?: CatalogPolicy[]; pages?: CatalogPage[]; currency?: string }) {
    const fake = await startFakeShopifyAdmin({ ...options, accessToken: `shpat_${shop}`, shop: { myshopifyDomain: shop, currencyCode: options.currency ?? "USD" } });
    fakes.push(fake);
    proxy.setUpstream(shop, fake.url);
    await insertOfflineSession(db, shop, fake.accessToken);
  }

  /** Queues sync.full and records every distinct state of the shop's SyncRun until the queue drains. */
  async function syncAndWatch(shop: string): Promise<SyncRunSnapshot[]> {
    await createQueue(db, server.database.url).enqueue({ shop, kind: "sync.full", key: "sync" });
    const seen: SyncRunSnapshot[] = [];
    let drained = false;
    const watching = (async () => {
      while (!drained) {
        const run = await db.syncRun.findFirst({ where: { shop }, orderBy: { id: "desc" }, select: { status: true, phase: true, processed: true, total: true } });
        const last = seen[seen.length - 1];
        if (run && (!last || JSON.stringify(last) !== JSON.stringify(run))) seen.push(run);
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    await waitForQueueDrain(db, { shop, timeoutMs: 90_000 });
    drained = true;
    await watching;
    const final = await db.syncRun.findFirst({ where: { shop }, orderBy: { id: "desc" }, select: { status: true, phase: true, processed: true, total: true } });
    if (final) seen.push(final);
    return seen;
  }

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), "gw-sync-full-"));
    proxy = await startSwitchableProxy();
    server = await startTestServer({ env: { SHOPIFY_ADMIN_API_ORIGIN: proxy.url } });
    db = openDatabase(server.database.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
    for (const f of fakes) await f.close();
    await proxy?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("GIVEN a literal catalog WHEN a sync.full job runs THEN progress moves and the counts equal a file import of the same data", async () => {
    const shop = "full-literal.myshopify.com";
    await serveShop(shop, { products: LITERAL_PRODUCTS, policies: LITERAL_POLICIES, pages: LITERAL_PAGES });
    const seen = await syncAndWatch(shop);

    // Progress: seen running in at least one working phase, then done with every item counted.
    expect(seen.some((s) => s.status === "running" && ["content", "export", "index"].includes(s.phase ?? ""))).toBe(true);
    expect(seen[seen.length - 1]).toEqual({ status: "done", phase: "done", processed: LITERAL_PRODUCTS.length, total: LITERAL_PRODUCTS.length });
    const run = await db.syncRun.findFirst({ where: { shop }, orderBy: { id: "desc" } });
    expect(JSON.parse(run!.counts)).toMatchObject({ products: 8, variants: 16 });
    expect(await db.catalogItem.count({ where: { shop, sourceType: "policy" } })).toBe(2);
    expect(await db.catalogItem.count({ where: { shop, sourceType: "page" } })).toBe(1);
    expect(await db.job.count({ where: { shop, status: "dead" } })).toBe(0);

    const twin = "file-literal.myshopify.com";
    const file = path.join(workDir, "literal.json");
    writeFileSync(file, JSON.stringify({ products: LITERAL_PRODUCTS.map(adminRestProduct) }));
    await groundworkImport(server, twin, file, "USD");
    const synced = await catalogCounts(db, server.dataDir, shop);
    const imported = await catalogCounts(db, server.dataDir, twin);
    expect(synced).toEqual(imported);
    expect(synced).toMatchObject({ products: 8, visible: 6, hidden: 2, variants: 16 });
  });

  it.skipIf(!hasSharedData)("GIVEN a slice of spacire-uk-sleep WHEN synced through the server THEN products, variants and chunks equal a file import", async () => {
    const raw = (JSON.parse(readFileSync(SPACIRE_FILE, "utf8")) as { products: unknown[] }).products.slice(0, SPACIRE_SLICE);
    const file = path.join(workDir, "spacire-slice.json");
    writeFileSync(file, JSON.stringify({ products: raw }));
    const parsed = parseAdminRestProducts(readFileSync(file, "utf8"), { file, currency: "GBP" });
    expect(parsed.issues).toEqual([]);

    const shop = "full-spacire.myshopify.com";
    await serveShop(shop, { products: parsed.products, currency: "GBP" });
    const seen = await syncAndWatch(shop);
    expect(seen[seen.length - 1]).toMatchObject({ status: "done", processed: SPACIRE_SLICE, total: SPACIRE_SLICE });

    const twin = "file-spacire.myshopify.com";
    await groundworkImport(server, twin, file, "GBP");
    const synced = await catalogCounts(db, server.dataDir, shop);
    const imported = await catalogCounts(db, server.dataDir, twin);
    expect(synced.products).toBe(SPACIRE_SLICE);
    expect(synced.variants).toBe(parsed.products.reduce((n, p) => n + p.variants.length, 0));
    expect(synced).toEqual(imported);
  });
});

/** A deterministic bag-of-words embedder: fast, so a whole real catalog can be indexed in a test. */
function createHashingEmbedder(dimensions = 64): EmbeddingModel & { calls: number } {
  const model = {
    id: `hashing-${dimensions}`,
    dimensions,
    maxEmbeddingsPerCall: 256,
    calls: 0,
    async embed({ values }: { values: string[] }) {
      model.calls++;
      const embeddings = values.map((text) => {
        const v = new Array<number>(dimensions).fill(0);
        for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) v[createHash("md5").update(word).digest()[0] % dimensions] += 1;
        const norm = Math.hypot(...v) || 1;
        return v.map((x) => x / norm);
      });
      return { embeddings, usage: { tokens: values.reduce((n, t) => n + Math.ceil(t.length / 4), 0) } };
    },
  };
  return model;
}

describe.skipIf(!hasSharedData)(`the whole of spacire-uk-sleep, full sync against file import${hasSharedData ? "" : ` (${sharedDataSkipReason})`}`, () => {
  let database: TestDatabase;
  let db: Db;
  let dir: string;
  let fake: FakeShopifyAdmin;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    db = openDatabase(database.url);
    dir = mkdtempSync(path.join(os.tmpdir(), "gw-spacire-"));
  });
  afterAll(async () => {
    await fake?.close();
    await db?.$disconnect();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("GIVEN all 507 products WHEN synced by bulk operation and imported from the file THEN catalog rows, variants and chunks agree", async () => {
    const parsed = parseAdminRestProducts(readFileSync(SPACIRE_FILE, "utf8"), { file: SPACIRE_FILE, currency: "GBP" });
    const shop = "spacire-sync.myshopify.com";
    const twin = "spacire-file.myshopify.com";
    fake = await startFakeShopifyAdmin({ products: parsed.products, shop: { myshopifyDomain: shop, currencyCode: "GBP" } });
    const embedder = createHashingEmbedder();
    const store = createSqliteVecStore({ db: path.join(dir, "index.sqlite"), indexName: `chunks-${embedder.id}`, dimensions: embedder.dimensions });
    const deps: IndexDeps = { db, store, embedder };
    try {
      const progress: string[] = [];
      const client = createAdminGraphqlClient({ shop, accessToken: fake.accessToken, endpoint: fake.endpointFor(shop) });
      const synced = await runFullSync(deps, client, shop, { onProgress: (phase) => void progress.push(phase) });
      const imported = await importCatalogFiles(deps, twin, [SPACIRE_FILE], { currency: "GBP" });

      expect(synced.products).toBe(parsed.products.length);
      expect(synced.variants).toBe(parsed.products.reduce((n, p) => n + p.variants.length, 0));
      expect({ products: synced.products, variants: synced.variants, chunks: synced.chunks, hidden: synced.hidden }).toEqual({
        products: imported.products,
        variants: imported.variants,
        chunks: imported.chunks,
        hidden: imported.hidden,
      });
      expect(new Set(progress)).toEqual(new Set(["content", "export", "index"]));
      const a = await catalogCounts(db, null, shop);
      const b = await catalogCounts(db, null, twin);
      expect(a).toEqual(b);
      expect(a.products).toBe(parsed.products.length);
      expect(await store.count(shop)).toBe(synced.chunks);
      expect(await store.count(twin)).toBe(imported.chunks);
    } finally {
      await store.close();
    }
  });
});

if (!hasSharedData) console.warn(sharedDataSkipReason);
