/**
 * The first sync embeds on worker threads. A thread that dies mid-sync fails the sync with
 * a clear error; running it again indexes the rest, without losing or repeating a chunk,
 * and the index then holds the same vectors a single-threaded sync makes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/open-database";
import { indexCatalog, type IndexDeps } from "../../app/indexing/index-catalog";
import { createEmbeddingWorkerPool, type EmbeddingWorkerPool } from "../../app/providers/embedding-worker-pool";
import { createLocalEmbeddingModel } from "../../app/providers/local-embedding";
import { ProviderError, type EmbeddingModel } from "../../app/providers/types";
import { createSqliteVecStore } from "../../app/stores/sqlite-vec-store";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { repoRoot } from "../support/server";
import { makeProduct } from "./sync-support";

const SHOP = "threads-test.myshopify.com";
// More than one indexing group (50 sources), so the crash lands after some were stored.
const products = Array.from({ length: 60 }, (_, i) =>
  makeProduct(700 + i, {
    title: `Canvas Tote ${i}`,
    // Every third product shares its description with another: embedded once, stored for both.
    descriptionHtml: `<p>Tote number ${i % 3 === 0 ? "shared" : i}, recycled cotton canvas, brass rivets, inner pocket for a phone and keys.</p>`,
  }),
);
const batch = { products, policies: [], pages: [], documents: [] };

let database: TestDatabase;
let db: Db;
let dir: string;
let pool: EmbeddingWorkerPool;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateDatabase(database.url, repoRoot);
  db = openDatabase(database.url);
  dir = mkdtempSync(path.join(os.tmpdir(), "gw-threads-"));
  // The threads run tfjs: this test stops them mid-batch, and a thread stopped inside onnxruntime aborts the process.
  // The single-threaded sync below runs the default runtime, so the last check also compares the two.
  pool = createEmbeddingWorkerPool({
    size: 2,
    workerUrl: new URL("../../app/providers/local-embedding-thread.mjs", import.meta.url),
    env: { GROUNDWORK_EMBEDDING_RUNTIME: "tfjs" },
  });
});

afterAll(async () => {
  await pool?.close();
  await db?.$disconnect();
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("indexing on embedding threads", () => {
  it("fails with worker_stopped when a thread dies, then resumes without loss or duplication", async () => {
    // GIVEN the local model on two threads, and a model whose second call loses its threads mid-batch
    const threaded = createLocalEmbeddingModel({ pool });
    const calls: Promise<unknown>[] = [];
    const losingThreads: EmbeddingModel = {
      ...threaded,
      async embed(input) {
        const running = threaded.embed(input);
        // The caller awaits it below; it may fail while the threads are being stopped.
        let settled = false;
        running.then(
          () => (settled = true),
          () => (settled = true),
        );
        calls.push(running);
        if (calls.length === 2) {
          // The first group's vectors are in; stop the threads while they run the second's.
          await calls[0];
          while (pool.busy() === 0 && !settled) await new Promise((resolve) => setTimeout(resolve, 1));
          await Promise.all(pool.threads().map((t) => t.terminate()));
        }
        return running;
      },
    };
    const store = createSqliteVecStore({ db: path.join(dir, "index.sqlite"), indexName: "threads", dimensions: 512 });
    const deps = (embedder: EmbeddingModel): IndexDeps => ({ db, store, embedder });

    // WHEN the first sync runs
    const failure = await indexCatalog(deps(losingThreads), SHOP, batch).then(
      () => null,
      (e: unknown) => e,
    );

    // THEN it fails with a clear error, and the first group is stored
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).code).toBe("worker_stopped");
    const afterCrash = await store.contentHashes(SHOP);
    expect(afterCrash.size).toBeGreaterThan(0);
    expect(await db.catalogItem.count({ where: { shop: SHOP } })).toBe(50);

    // WHEN the sync runs again
    const resumed = await indexCatalog(deps(threaded), SHOP, batch);

    // THEN only what was missing is embedded, and every chunk is stored exactly once
    expect(resumed.unchanged).toBe(afterCrash.size);
    expect(resumed.embedded + resumed.unchanged).toBe(resumed.chunks);
    const hashes = await store.contentHashes(SHOP);
    expect(hashes.size).toBe(resumed.chunks);
    expect(await db.catalogItem.count({ where: { shop: SHOP } })).toBe(products.length);

    // AND the stored vectors are those of a single-threaded sync into a fresh index
    const singleStore = createSqliteVecStore({ db: path.join(dir, "single.sqlite"), indexName: "single", dimensions: 512 });
    await indexCatalog({ db, store: singleStore, embedder: createLocalEmbeddingModel({ threads: 1 }) }, "single-thread.myshopify.com", batch);
    const query = (await threaded.embed({ values: ["canvas tote with a phone pocket"] })).embeddings[0];
    const a = await store.search(SHOP, { mode: "dense", vector: query, k: 10 });
    const b = await singleStore.search("single-thread.myshopify.com", { mode: "dense", vector: query, k: 10 });
    expect(a.map((h) => h.chunk.id)).toEqual(b.map((h) => h.chunk.id));
    a.forEach((hit, i) => expect(hit.score).toBeCloseTo(b[i].score, 5));
  }, 240_000);
});
