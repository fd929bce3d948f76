/**
 * Changing the embedding model (docs/decisions/008): GIVEN two shops indexed with model A,
 * WHEN the app restarts with model B, THEN answers keep coming from A's index (BM25) until
 * a shop's rebuild completes, then from B's; A's chunks for that shop are deleted, and the
 * other shop is untouched until its own rebuild. On the suite's database (SQLite, or
 * PostgreSQL when DATABASE_URL says so) and the embedded index.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCatalogFiles } from "../../app/catalog/import-files";
import { loadConfig, type Config } from "../../app/config";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/open-database";
import { planIndexRebuilds } from "../../app/indexing/index-generations";
import { removeSource } from "../../app/indexing/index-catalog";
import { createJobHandlers } from "../../app/jobs/handlers";
import { drainQueue } from "../../app/jobs/worker";
import { createServices, type Services } from "../../app/services";
import { createSqliteVecStore, listSqliteIndexes } from "../../app/stores/sqlite-vec-store";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { HashedWordsEmbedder } from "../support/hashed-words-embedder";
import { repoRoot } from "../support/server";
import { readIndex } from "./sync-support";

const SHOP = "switch-one.myshopify.com";
const OTHER = "switch-two.myshopify.com";
/** Indexed before the registry existed: chunks in A, no SearchIndex rows. */
const LEGACY = "switch-legacy.myshopify.com";
const demoDir = path.join(repoRoot, "demo-store");
const INDEX_A = "chunks-test-a";
const INDEX_B = "chunks-test-b";

const EU_RETURNS = "what is the return window for sale items in the EU?";

describe.sequential("embedding model switchover", () => {
  let database: TestDatabase;
  let db: Db;
  let dataDir: string;
  let config: Config;
  let b: Services;
  let otherChunksInA = 0;
  const indexFile = () => path.join(dataDir, "index.sqlite");

  async function askGrounded(services: Services, shop: string) {
    const { result } = await services.ask({ shop, question: EU_RETURNS, surface: "cli" });
    expect(result.refused).toBe(false);
    expect(result.answer).toContain("14");
    expect(result.citations.some((c) => c.type === "policy" && /refund/i.test(c.title))).toBe(true);
    return result;
  }

  async function statusOf(shop: string) {
    const rows = await db.searchIndex.findMany({ where: { shop }, orderBy: { name: "asc" } });
    return Object.fromEntries(rows.map((r) => [r.name, r.status]));
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    db = openDatabase(database.url);
    dataDir = mkdtempSync(path.join(os.tmpdir(), "gw-switch-"));
    config = loadConfig({ GROUNDWORK_DATA_DIR: dataDir, DATABASE_URL: database.url }, { requireShopify: false });

    // Model A indexes both shops, as a running install would have.
    const a = createServices(config, { db, embedder: new HashedWordsEmbedder("test-a", 64) });
    for (const shop of [SHOP, OTHER]) await importCatalogFiles(a.indexDeps, shop, [demoDir], { currency: "USD" });
    await askGrounded(a, SHOP);
    await a.store.close();
    const legacyEmbedder = new HashedWordsEmbedder("test-a", 64);
    const rawA = createSqliteVecStore({ db: indexFile(), indexName: INDEX_A, dimensions: 64 });
    await importCatalogFiles({ db, store: rawA, embedder: legacyEmbedder }, LEGACY, [demoDir], { currency: "USD" });
    await rawA.close();
    otherChunksInA = readIndex(dataDir, OTHER, INDEX_A).chunkIds.length;

    // The restart with model B.
    b = createServices(config, { db, embedder: new HashedWordsEmbedder("test-b", 32) });
  });

  afterAll(async () => {
    await b?.store.close();
    await db?.$disconnect();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("GIVEN a full import with model A THEN A is recorded ready for each shop", async () => {
    expect(await statusOf(SHOP)).toEqual({ [INDEX_A]: "ready" });
    expect(await statusOf(OTHER)).toEqual({ [INDEX_A]: "ready" });
    expect(otherChunksInA).toBeGreaterThan(10);
  });

  it("GIVEN model B with an empty index WHEN shoppers ask THEN A's index answers in BM25 mode, grounded and cited", async () => {
    expect(await b.indexes.defaultTarget.store.count(SHOP)).toBe(0);
    expect(await b.indexes.readTarget(SHOP)).toEqual({ index: { name: INDEX_A, model: "test-a", dimensions: 64 }, sparseOnly: true });
    const hits = await b.store.search(SHOP, { mode: "hybrid", vector: new Array(32).fill(0.1), text: "waterproof rain jacket", k: 5 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.some((h) => /rain/i.test(h.chunk.title))).toBe(true);
    await askGrounded(b, SHOP);
    await askGrounded(b, OTHER);
  });

  it("GIVEN the rebuild queued WHEN a page is deleted meanwhile THEN it leaves A's index too", async () => {
    const page = await db.catalogItem.findFirstOrThrow({ where: { shop: SHOP, sourceType: "page" } });
    expect([...readIndex(dataDir, SHOP, INDEX_A).perSource.keys()]).toContain(`page:${page.sourceId}`);
    await removeSource(b.indexDeps, SHOP, "page", page.sourceId);
    expect([...readIndex(dataDir, SHOP, INDEX_A).perSource.keys()]).not.toContain(`page:${page.sourceId}`);
  });

  it("WHEN the shop's rebuild runs THEN B answers, A is retired and emptied for it, and the other shop is untouched", async () => {
    await b.queue.enqueue({ shop: SHOP, kind: "index.rebuild", key: "reindex" });
    const drained = await drainQueue({ queue: b.queue, handlers: createJobHandlers(b), workerId: "test" });
    expect(drained).toMatchObject({ processed: 1, failed: 0 });

    expect(await statusOf(SHOP)).toEqual({ [INDEX_A]: "retired", [INDEX_B]: "ready" });
    const row = await db.searchIndex.findUniqueOrThrow({ where: { shop_name: { shop: SHOP, name: INDEX_B } } });
    expect(row).toMatchObject({ model: "test-b", dimensions: 32 });
    expect(row.chunks).toBe(readIndex(dataDir, SHOP, INDEX_B).chunkIds.length);
    expect(row.chunks).toBeGreaterThan(10);
    expect(readIndex(dataDir, SHOP, INDEX_A).chunkIds).toEqual([]);
    const run = await db.syncRun.findFirstOrThrow({ where: { shop: SHOP, kind: "reindex" } });
    expect(run).toMatchObject({ status: "done", processed: run.total });

    expect(await b.indexes.readTarget(SHOP)).toEqual({ index: { name: INDEX_B, model: "test-b", dimensions: 32 }, sparseOnly: false });
    await askGrounded(b, SHOP);

    // The other shop still answers from A, with all its chunks, and B holds none of them.
    expect(await statusOf(OTHER)).toEqual({ [INDEX_A]: "ready" });
    expect(readIndex(dataDir, OTHER, INDEX_A).chunkIds.length).toBe(otherChunksInA);
    expect(readIndex(dataDir, OTHER, INDEX_B).chunkIds).toEqual([]);
    expect((await b.indexes.readTarget(OTHER)).index.name).toBe(INDEX_A);
    await askGrounded(b, OTHER);
  });

  it("WHEN the app starts again THEN only shops still on A are queued (one found unregistered), and after their rebuilds A's index is gone", async () => {
    expect(await statusOf(LEGACY)).toEqual({});
    const plan = await planIndexRebuilds(b.indexes, db, b.queue);
    expect(plan.adopted).toEqual([LEGACY]);
    expect(plan.enqueued.sort()).toEqual([OTHER, LEGACY].sort());
    // The shop indexed before the registry is recognised on A and answers from it meanwhile.
    expect(await statusOf(LEGACY)).toEqual({ [INDEX_A]: "ready" });
    expect((await b.indexes.readTarget(LEGACY)).index.name).toBe(INDEX_A);
    await askGrounded(b, LEGACY);
    await drainQueue({ queue: b.queue, handlers: createJobHandlers(b), workerId: "test" });
    expect(await statusOf(OTHER)).toEqual({ [INDEX_A]: "retired", [INDEX_B]: "ready" });
    expect(await statusOf(LEGACY)).toEqual({ [INDEX_A]: "retired", [INDEX_B]: "ready" });
    expect(listSqliteIndexes(indexFile()).map((i) => i.name)).toEqual([INDEX_B]);
    expect((await b.indexes.readTarget(OTHER)).sparseOnly).toBe(false);
    await askGrounded(b, OTHER);
    expect(await planIndexRebuilds(b.indexes, db, b.queue)).toEqual({ enqueued: [], adopted: [] });
  });

  it("WHEN a shop is redacted THEN its chunks and registry rows go, and the other shop keeps its own", async () => {
    await b.store.deleteShop(SHOP);
    expect(await statusOf(SHOP)).toEqual({});
    expect(readIndex(dataDir, SHOP, INDEX_B).chunkIds).toEqual([]);
    expect(readIndex(dataDir, OTHER, INDEX_B).chunkIds.length).toBeGreaterThan(10);
  });
});
