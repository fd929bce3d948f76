/**
 * A shop's own embedding model on the production backend (docs/decisions/009): the same
 * switch-over as shop-embedding.test.ts, with Qdrant as the index (the local fake that checks
 * every request against Qdrant's OpenAPI contract). GIVEN two shops indexed in the server
 * model's collection, WHEN shop A saves an OpenAI-compatible embedding model, THEN the rebuild
 * fills a new collection sized for that model, A's points leave the old collection, A's
 * queries go to the new one, and B's points and queries stay where they were.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCatalogFiles } from "../../app/catalog/import-files";
import { loadConfig, type Config } from "../../app/config";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/open-database";
import { createJobHandlers } from "../../app/jobs/handlers";
import { drainQueue } from "../../app/jobs/worker";
import { createServices, shopIndexNameFor, type Services } from "../../app/services";
import { saveShopSettings } from "../../app/settings/shop-settings";
import { createQdrantStore } from "../../app/stores/qdrant-store";
import { FAKE_API_KEY, startFakeOpenAI, type FakeOpenAI } from "../fakes/openai-server";
import { startFakeQdrant, type FakeQdrant } from "../fakes/qdrant-server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { HashedWordsEmbedder } from "../support/hashed-words-embedder";
import { repoRoot } from "../support/server";

const SHOP_A = "qdrant-own-a.myshopify.com";
const SHOP_B = "qdrant-own-b.myshopify.com";
const DEFAULT_COLLECTION = "chunks-test-local";
const FAKE_MODEL = "fake-embed-small";
const FAKE_DIMENSIONS = 48;

describe.sequential("a shop's own embedding model on Qdrant", () => {
  let database: TestDatabase;
  let db: Db;
  let dataDir: string;
  let config: Config;
  let openai: FakeOpenAI;
  let qdrant: FakeQdrant;
  let web: Services;
  let worker: Services;
  let ownCollection: string;
  const local = new HashedWordsEmbedder("test-local", 32);
  const imported: Record<string, number> = {};

  /** Points of a shop in a collection, counted through the real client (the collection must exist). */
  const pointsOf = (collection: string, dimensions: number, shop: string) =>
    createQdrantStore({ url: qdrant.url, indexName: collection, dimensions }).count(shop);
  const collections = async () =>
    ((await (await fetch(`${qdrant.url}/collections`)).json()) as { result: { collections: { name: string }[] } }).result.collections.map((c) => c.name).sort();
  const queriedCollections = (from: number) =>
    qdrant.requests.slice(from).flatMap((r) => (r.method === "POST" && /\/points\/query$/.test(r.path) ? [r.path.split("/")[2]] : []));

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    db = openDatabase(database.url);
    dataDir = mkdtempSync(path.join(os.tmpdir(), "gw-own-qdrant-"));
    openai = await startFakeOpenAI({ embeddingModels: { [FAKE_MODEL]: FAKE_DIMENSIONS } });
    qdrant = await startFakeQdrant();
    config = loadConfig(
      { GROUNDWORK_DATA_DIR: dataDir, DATABASE_URL: database.url, QDRANT_URL: qdrant.url, GROUNDWORK_ENCRYPTION_KEY: randomBytes(32).toString("base64") },
      { requireShopify: false },
    );
    web = createServices(config, { db, embedder: local });
    worker = createServices(config, { db, embedder: local });
    for (const shop of [SHOP_A, SHOP_B]) {
      const result = await importCatalogFiles(web.indexDeps, shop, [path.join(repoRoot, "demo-store")], { currency: "USD" });
      imported[shop] = result.chunks;
    }
    ownCollection = shopIndexNameFor({ baseURL: openai.url, model: FAKE_MODEL, dimensions: FAKE_DIMENSIONS });
  });

  afterAll(async () => {
    await web?.store.close();
    await worker?.store.close();
    await db?.$disconnect();
    await openai?.close();
    await qdrant?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("switches A to a new collection of the model's size, leaving B where it was", async () => {
    expect(await collections()).toEqual([DEFAULT_COLLECTION]);
    expect(imported[SHOP_A]).toBeGreaterThan(10);
    expect(await pointsOf(DEFAULT_COLLECTION, 32, SHOP_A)).toBe(imported[SHOP_A]);

    const form = new URLSearchParams({
      answererKind: "openai-compatible",
      baseUrl: openai.url,
      chatModel: "gpt-4o-mini",
      embeddingModel: FAKE_MODEL,
      apiKey: FAKE_API_KEY,
      tone: "friendly",
      maxAnswerLength: "800",
      pages: "all",
      retentionDays: "90",
      spendThresholdUsd: "200",
    });
    for (const p of ["refund", "shipping", "privacy", "terms", "contact"]) form.append("policyTypes", p);
    const saved = await saveShopSettings(db, SHOP_A, form, { encryptionKey: config.encryptionKey, reindex: (s) => web.reindexShop(s) });
    expect(saved).toMatchObject({ ok: true, reindexing: true });

    // Until the rebuild runs, A is answered from the old collection, by BM25 (the sparse vector).
    let mark = qdrant.requests.length;
    const before = await web.store.search(SHOP_A, { mode: "hybrid", vector: new Array(FAKE_DIMENSIONS).fill(0.1), text: "waterproof rain jacket", k: 5 });
    expect(before.some((h) => /rain/i.test(h.chunk.title))).toBe(true);
    expect(queriedCollections(mark)).toEqual([DEFAULT_COLLECTION]);

    expect(await drainQueue({ queue: worker.queue, handlers: createJobHandlers(worker), workerId: "qdrant-worker" })).toMatchObject({ processed: 1, failed: 0 });

    expect(await collections()).toEqual([DEFAULT_COLLECTION, ownCollection].sort());
    const created = qdrant.requests.find((r) => r.method === "PUT" && r.path === `/collections/${ownCollection}`);
    expect(created?.body).toMatchObject({ vectors: { dense: { size: FAKE_DIMENSIONS, distance: "Cosine" } } });
    expect(await pointsOf(ownCollection, FAKE_DIMENSIONS, SHOP_A)).toBe(imported[SHOP_A]);
    expect(await pointsOf(DEFAULT_COLLECTION, 32, SHOP_A)).toBe(0);
    expect(await pointsOf(DEFAULT_COLLECTION, 32, SHOP_B)).toBe(imported[SHOP_B]);
    expect(await pointsOf(ownCollection, FAKE_DIMENSIONS, SHOP_B)).toBe(0);

    // A's questions are embedded by its model and searched in its collection; B's stay on the default.
    // The first question after the worker's switch may still try the old collection, find A gone
    // there and look again; from then on A goes straight to its own.
    const askA = () => web.ask({ shop: SHOP_A, question: "what is the return window for sale items in the EU?", surface: "cli" });
    mark = qdrant.requests.length;
    expect((await askA()).sources.some((s) => s.type === "policy")).toBe(true);
    expect(queriedCollections(mark).at(-1)).toBe(ownCollection);
    mark = qdrant.requests.length;
    expect((await askA()).sources.some((s) => s.type === "policy")).toBe(true);
    expect(new Set(queriedCollections(mark))).toEqual(new Set([ownCollection]));
    mark = qdrant.requests.length;
    await web.ask({ shop: SHOP_B, question: "what is the return window for sale items in the EU?", surface: "cli" });
    expect(new Set(queriedCollections(mark))).toEqual(new Set([DEFAULT_COLLECTION]));

    expect(qdrant.violations).toEqual([]);
  });
});
