/**
 * A shop's own embedding model (docs/decisions/009): GIVEN two shops indexed with the server's
 * model, WHEN shop A saves an OpenAI-compatible embedding model in Settings, THEN a rebuild is
 * queued; until the worker runs it A keeps answering from the server's index (BM25), after it
 * A's chunks live in its own index, embedded by A's endpoint with A's key, and A's queries are
 * embedded there too; shop B stays on the server's index and never reaches A's endpoint.
 * Switching A back to local rebuilds it into the server's index. The endpoint is the local
 * OpenAI fake, reached through the real `openai` SDK; a separate services instance plays the
 * worker process. On the suite's database (SQLite, or PostgreSQL when DATABASE_URL says so).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../app/cli/main";
import { importCatalogFiles } from "../../app/catalog/import-files";
import { loadConfig, type Config } from "../../app/config";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/open-database";
import { planIndexRebuilds } from "../../app/indexing/index-generations";
import { describeReindex, loadReindexStatus } from "../../app/indexing/reindex-status";
import { createJobHandlers } from "../../app/jobs/handlers";
import { drainQueue } from "../../app/jobs/worker";
import { createServices, shopIndexNameFor, type Services } from "../../app/services";
import { saveShopSettings } from "../../app/settings/shop-settings";
import { listSqliteIndexes } from "../../app/stores/sqlite-vec-store";
import { FAKE_API_KEY, startFakeOpenAI, type FakeOpenAI } from "../fakes/openai-server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { HashedWordsEmbedder } from "../support/hashed-words-embedder";
import { repoRoot } from "../support/server";
import { readIndex } from "./sync-support";

const SHOP_A = "own-model-a.myshopify.com";
const SHOP_B = "own-model-b.myshopify.com";
const demoDir = path.join(repoRoot, "demo-store");
const DEFAULT_INDEX = "chunks-test-local";
/** Unknown to the app's table of native sizes: the size measured by the connection test is what counts. */
const FAKE_MODEL = "fake-embed-small";
const FAKE_DIMENSIONS = 48;
const EU_RETURNS = "what is the return window for sale items in the EU?";

function settingsForm(fields: Record<string, string>): URLSearchParams {
  const form = new URLSearchParams({
    answererKind: "local",
    baseUrl: "",
    chatModel: "",
    embeddingModel: "",
    apiKey: "",
    tone: "friendly",
    maxAnswerLength: "800",
    refuseOffTopic: "on",
    pages: "all",
    pageHandles: "",
    retentionDays: "90",
    spendThresholdUsd: "200",
    priceTable: "",
    ...fields,
  });
  for (const p of ["refund", "shipping", "privacy", "terms", "contact"]) form.append("policyTypes", p);
  return form;
}

describe.sequential("a shop's own embedding model", () => {
  let database: TestDatabase;
  let db: Db;
  let dataDir: string;
  let config: Config;
  let fake: FakeOpenAI;
  let web: Services;
  let worker: Services;
  let ownIndex: string;
  const local = new HashedWordsEmbedder("test-local", 32);
  const chunksOf: Record<string, number> = {};
  const indexFile = () => path.join(dataDir, "index.sqlite");
  const embeddingRequests = () => fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/embeddings");

  async function statusOf(shop: string) {
    const rows = await db.searchIndex.findMany({ where: { shop }, orderBy: { name: "asc" } });
    return Object.fromEntries(rows.map((r) => [r.name, r.status]));
  }

  function save(shop: string, fields: Record<string, string>) {
    return saveShopSettings(db, shop, settingsForm(fields), { encryptionKey: config.encryptionKey, reindex: (s) => web.reindexShop(s) });
  }

  /** The grounded sources of an answer: retrieval found the refund policy. */
  async function askSources(shop: string) {
    const outcome = await web.ask({ shop, question: EU_RETURNS, surface: "cli" });
    expect(outcome.sources.some((s) => s.type === "policy" && /refund/i.test(s.title))).toBe(true);
    return outcome;
  }

  async function drain() {
    return drainQueue({ queue: worker.queue, handlers: createJobHandlers(worker), workerId: "test-worker" });
  }

  async function rebuildJobs() {
    return db.job.findMany({ where: { kind: "index.rebuild", status: "queued" }, select: { shop: true } });
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    db = openDatabase(database.url);
    dataDir = mkdtempSync(path.join(os.tmpdir(), "gw-own-model-"));
    fake = await startFakeOpenAI({ embeddingModels: { [FAKE_MODEL]: FAKE_DIMENSIONS } });
    config = loadConfig({ GROUNDWORK_DATA_DIR: dataDir, DATABASE_URL: database.url, GROUNDWORK_ENCRYPTION_KEY: randomBytes(32).toString("base64") }, { requireShopify: false });
    web = createServices(config, { db, embedder: local });
    worker = createServices(config, { db, embedder: local });
    for (const shop of [SHOP_A, SHOP_B]) {
      await importCatalogFiles(web.indexDeps, shop, [demoDir], { currency: "USD" });
      chunksOf[shop] = readIndex(dataDir, shop, DEFAULT_INDEX).chunkIds.length;
    }
    ownIndex = shopIndexNameFor({ baseURL: fake.url, model: FAKE_MODEL, dimensions: FAKE_DIMENSIONS });
    // The worker process has looked A up already: it knows A on the server's index.
    expect((await worker.indexes.targetFor(SHOP_A)).index.name).toBe(DEFAULT_INDEX);
  });

  afterAll(async () => {
    await web?.store.close();
    await worker?.store.close();
    await db?.$disconnect();
    await fake?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("GIVEN both shops imported with the server's model THEN each is ready on the server's index, and the fake was never called", async () => {
    expect(await statusOf(SHOP_A)).toEqual({ [DEFAULT_INDEX]: "ready" });
    expect(await statusOf(SHOP_B)).toEqual({ [DEFAULT_INDEX]: "ready" });
    expect(chunksOf[SHOP_A]).toBeGreaterThan(10);
    expect(chunksOf[SHOP_B]).toBe(chunksOf[SHOP_A]);
    expect(fake.requests).toEqual([]);
  });

  it("WHEN A saves an embedding model THEN the fake answers the test, its size is recorded, and a rebuild is queued for A only", async () => {
    const result = await save(SHOP_A, { answererKind: "openai-compatible", baseUrl: fake.url, chatModel: "gpt-4o-mini", embeddingModel: FAKE_MODEL, apiKey: FAKE_API_KEY });
    expect(result).toMatchObject({ ok: true, tested: true, reindexing: true });
    expect(result.ok && result.view.settings.answerer).toMatchObject({ kind: "openai-compatible", embeddingModel: FAKE_MODEL, embeddingDimensions: FAKE_DIMENSIONS });
    expect(await rebuildJobs()).toEqual([{ shop: SHOP_A }]);

    // Saving again with the same model changes no index: nothing more is queued.
    const again = await save(SHOP_A, { answererKind: "openai-compatible", baseUrl: fake.url, chatModel: "gpt-4o-mini", embeddingModel: FAKE_MODEL, tone: "concise" });
    expect(again).toMatchObject({ ok: true, reindexing: false });
    expect(await db.job.count({ where: { kind: "index.rebuild" } })).toBe(1);

    const target = await web.indexes.targetFor(SHOP_A);
    expect(target.index).toEqual({ name: ownIndex, model: `openai:${FAKE_MODEL}:${FAKE_DIMENSIONS}`, dimensions: FAKE_DIMENSIONS });
    expect((await web.indexes.targetFor(SHOP_B)).index.name).toBe(DEFAULT_INDEX);
    // A restart now queues the same rebuild (coalesced), and nothing for B.
    expect((await planIndexRebuilds(worker.indexes, db, worker.queue)).enqueued).toEqual([SHOP_A]);
    expect(await rebuildJobs()).toEqual([{ shop: SHOP_A }]);
  });

  it("GIVEN the rebuild not yet run WHEN A is asked THEN the server's index answers in BM25 mode, and Settings says a re-index is coming", async () => {
    expect(await web.indexes.readTarget(SHOP_A)).toEqual({ index: { name: DEFAULT_INDEX, model: "test-local", dimensions: 32 }, sparseOnly: true });
    const hits = await web.store.search(SHOP_A, { mode: "hybrid", vector: new Array(FAKE_DIMENSIONS).fill(0.1), text: "waterproof rain jacket", k: 5 });
    expect(hits.some((h) => /rain/i.test(h.chunk.title))).toBe(true);
    await askSources(SHOP_A);

    const status = await loadReindexStatus(db, SHOP_A, (await web.indexes.targetFor(SHOP_A)).index);
    expect(status).toMatchObject({ state: "queued", model: FAKE_MODEL });
    expect(describeReindex(status!)).toContain(`Re-indexing with ${FAKE_MODEL}`);
  });

  it("WHEN the worker drains the queue THEN A's chunks live in its own index with the fake's vectors, embedded with A's key, and leave the server's index", async () => {
    const before = embeddingRequests().length;
    expect(await drain()).toMatchObject({ processed: 1, failed: 0 });

    expect(await statusOf(SHOP_A)).toEqual({ [DEFAULT_INDEX]: "retired", [ownIndex]: "ready" });
    const own = readIndex(dataDir, SHOP_A, ownIndex);
    expect(own.chunkIds.length).toBe(chunksOf[SHOP_A]);
    expect(own.vecRows).toBe(chunksOf[SHOP_A]);
    expect(listSqliteIndexes(indexFile()).find((i) => i.name === ownIndex)?.dimensions).toBe(FAKE_DIMENSIONS);
    expect(readIndex(dataDir, SHOP_A, DEFAULT_INDEX).chunkIds).toEqual([]);

    const calls = embeddingRequests().slice(before);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.headers.authorization).toBe(`Bearer ${FAKE_API_KEY}`);
      expect(call.body.model).toBe(FAKE_MODEL);
      // The measured size is not sent: servers that reject `dimensions` work too.
      expect(call.body.dimensions).toBeUndefined();
    }
    expect(calls.reduce((n, c) => n + (c.body.input as string[]).length, 0)).toBe(chunksOf[SHOP_A]);

    // The usage ledger has the rebuild under the model that did it.
    const usage = await db.usageEvent.findMany({ where: { shop: SHOP_A, kind: "embedding", model: `openai:${FAKE_MODEL}:${FAKE_DIMENSIONS}` } });
    expect(usage.reduce((n, u) => n + u.inputTokens, 0)).toBeGreaterThan(0);

    const status = await loadReindexStatus(db, SHOP_A, (await web.indexes.targetFor(SHOP_A)).index);
    expect(status).toMatchObject({ state: "done", model: FAKE_MODEL, chunks: chunksOf[SHOP_A] });
    expect(await planIndexRebuilds(worker.indexes, db, worker.queue)).toEqual({ enqueued: [], adopted: [] });
  });

  it("THEN A's questions are embedded by the fake with A's key, and answered from its own index in hybrid mode", async () => {
    const before = embeddingRequests().length;
    // The server process still had A routed to the emptied index: its search finds the new route itself.
    await askSources(SHOP_A);
    const calls = embeddingRequests().slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0].headers.authorization).toBe(`Bearer ${FAKE_API_KEY}`);
    expect(calls[0].body.model).toBe(FAKE_MODEL);
    expect(await web.indexes.readTarget(SHOP_A)).toEqual({ index: { name: ownIndex, model: `openai:${FAKE_MODEL}:${FAKE_DIMENSIONS}`, dimensions: FAKE_DIMENSIONS }, sparseOnly: false });

    const { embedder } = await web.indexes.targetFor(SHOP_A);
    const [vector] = (await embedder.embed({ values: ["waterproof rain jacket"] })).embeddings;
    const dense = await web.store.search(SHOP_A, { mode: "dense", vector, k: 5 });
    expect(dense.some((h) => /rain/i.test(h.chunk.title))).toBe(true);
  });

  it("THEN the CLI's search embeds A's query with A's model", async () => {
    const before = embeddingRequests().length;
    const lines: string[] = [];
    const env: Record<string, string> = { GROUNDWORK_DATA_DIR: dataDir, DATABASE_URL: database.url, GROUNDWORK_ENCRYPTION_KEY: config.encryptionKey! };
    const code = await main(["search", "--shop", SHOP_A, "--json", "waterproof rain jacket"], { env: env as NodeJS.ProcessEnv, out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect(code).toBe(0);
    const { results } = JSON.parse(lines.join("\n")) as { results: { title: string }[] };
    expect(results.some((r) => /rain/i.test(r.title))).toBe(true);
    const calls = embeddingRequests().slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0].body.input).toEqual(["waterproof rain jacket"]);
  });

  it("THEN B stayed on the server's index, untouched, and its questions never reach A's endpoint", async () => {
    const before = fake.requests.length;
    const localCalls = local.calls;
    await askSources(SHOP_B);
    expect(fake.requests.length).toBe(before);
    expect(local.calls).toBeGreaterThan(localCalls);
    expect(await statusOf(SHOP_B)).toEqual({ [DEFAULT_INDEX]: "ready" });
    expect(readIndex(dataDir, SHOP_B, DEFAULT_INDEX).chunkIds.length).toBe(chunksOf[SHOP_B]);
    expect(readIndex(dataDir, SHOP_B, ownIndex).chunkIds).toEqual([]);
    expect(await web.indexes.readTarget(SHOP_B)).toEqual({ index: { name: DEFAULT_INDEX, model: "test-local", dimensions: 32 }, sparseOnly: false });
  });

  it("WHEN A switches back to local THEN its own index answers in BM25 mode until the rebuild refills the server's index, and the emptied index is dropped", async () => {
    const result = await save(SHOP_A, { answererKind: "local" });
    expect(result).toMatchObject({ ok: true, reindexing: true });
    expect(await rebuildJobs()).toEqual([{ shop: SHOP_A }]);
    expect((await web.indexes.readTarget(SHOP_A)).index.name).toBe(ownIndex);
    expect((await web.indexes.readTarget(SHOP_A)).sparseOnly).toBe(true);
    const before = fake.requests.length;
    await askSources(SHOP_A);
    // The local answerer and the server's model: A's endpoint is no longer called.
    expect(fake.requests.length).toBe(before);

    expect(await drain()).toMatchObject({ processed: 1, failed: 0 });
    expect(await statusOf(SHOP_A)).toEqual({ [DEFAULT_INDEX]: "ready", [ownIndex]: "retired" });
    expect(readIndex(dataDir, SHOP_A, DEFAULT_INDEX).chunkIds.length).toBe(chunksOf[SHOP_A]);
    expect(listSqliteIndexes(indexFile()).map((i) => i.name)).not.toContain(ownIndex);
    expect(fake.requests.length).toBe(before);
    await askSources(SHOP_A);
    expect(await web.indexes.readTarget(SHOP_A)).toEqual({ index: { name: DEFAULT_INDEX, model: "test-local", dimensions: 32 }, sparseOnly: false });

    // B never moved.
    expect(await statusOf(SHOP_B)).toEqual({ [DEFAULT_INDEX]: "ready" });
    expect(readIndex(dataDir, SHOP_B, DEFAULT_INDEX).chunkIds.length).toBe(chunksOf[SHOP_B]);
  });
});
