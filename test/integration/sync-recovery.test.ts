/**
 * Crash recovery of indexing, with real processes: `groundwork import` and
 * `groundwork worker` are killed with SIGKILL mid-batch, restarted, and the index
 * must end complete (every chunk the chunker makes, and nothing else) and without
 * duplicates. Runs on SQLite or PostgreSQL, whichever DATABASE_URL picks; the
 * two-worker test needs PostgreSQL (FOR UPDATE SKIP LOCKED) and skips on SQLite.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAdminRestProducts } from "../../app/catalog/admin-rest-json";
import type { CatalogProduct } from "../../app/catalog/types";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/open-database";
import { chunkCatalog } from "../../app/indexing/chunk-catalog";
import { createQueue, type JobRecord } from "../../app/jobs/queue";
import { runOneBatch } from "../../app/jobs/worker";
import { createTestDatabase, usingPostgres, type TestDatabase } from "../support/database";
import { repoRoot } from "../support/server";
import { adminRestProduct, makeProduct, readIndex, waitFor, waitForQueueDrain } from "./sync-support";

const SHOP = "recovery-test.myshopify.com";

interface Child {
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function groundwork(args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, [path.join(repoRoot, "bin/groundwork.mjs"), ...args], {
    cwd: repoRoot,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  return { process: child, output: () => log, exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))) };
}

/** Varied products: long enough descriptions that some split into several chunks. */
function catalog(count: number, firstId: number): CatalogProduct[] {
  return Array.from({ length: count }, (_, i) => {
    const id = firstId + i;
    const extra = i % 5 === 0 ? " It has a padded laptop sleeve, two side pockets for bottles, a sternum strap and reflective trim for evening rides. ".repeat(8) : "";
    return makeProduct(id, { descriptionHtml: `<p>Everyday item ${id}: recycled canvas, brass rivets, lifetime repairs.${extra}</p>` });
  });
}

function expectCompleteAndUnique(dataDir: string, products: CatalogProduct[]): void {
  const expected = chunkCatalog({ products, policies: [], pages: [], documents: [] });
  const snap = readIndex(dataDir, SHOP);
  // Complete and nothing else: exactly the chunker's ids.
  expect(snap.chunkIds).toEqual(expected.map((c) => c.id).sort());
  // No duplicates, in the chunk table or beside it.
  expect(new Set(snap.chunkIds).size).toBe(snap.chunkIds.length);
  expect(snap.vecRows).toBe(expected.length);
  expect(snap.ftsRows).toBe(expected.length);
  const perSource = new Map<string, number>();
  for (const c of expected) perSource.set(`${c.sourceType}:${c.sourceId}`, (perSource.get(`${c.sourceType}:${c.sourceId}`) ?? 0) + 1);
  expect(snap.perSource).toEqual(perSource);
}

describe("recovery after SIGKILL", () => {
  let database: TestDatabase;
  let dataDir: string;
  let env: Record<string, string>;
  let db: Db;
  const children: Child[] = [];

  beforeEach(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(path.join(os.tmpdir(), "gw-recovery-"));
    env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      GROUNDWORK_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      // `groundwork worker` is a production process and asks for the app's credentials.
      SHOPIFY_API_KEY: "test-api-key",
      SHOPIFY_API_SECRET: randomBytes(16).toString("hex"),
      SHOPIFY_APP_URL: "http://127.0.0.1:9",
      GROUNDWORK_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    };
    await migrateDatabase(database.url, repoRoot);
    db = openDatabase(database.url);
  });

  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill("SIGKILL");
      await c.exited;
    }
    await db?.$disconnect();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("GIVEN `groundwork import` killed mid-batch WHEN run again THEN the index is complete, without duplicates, and only the rest was embedded", async () => {
    const products = catalog(60, 5000);
    const file = path.join(dataDir, "products.json");
    writeFileSync(file, JSON.stringify({ products: products.map(adminRestProduct) }));
    // The file parses back to exactly these products (the expectation below depends on it).
    expect(parseAdminRestProducts(JSON.stringify({ products: products.map(adminRestProduct) }), { file }).products.map((p) => p.id)).toEqual(products.map((p) => p.id));
    const expectedChunks = chunkCatalog({ products, policies: [], pages: [], documents: [] }).length;

    const first = groundwork(["import", "--shop", SHOP, "--json", file], env);
    children.push(first);
    await waitFor("the first chunks to be written", () => readIndex(dataDir, SHOP).chunkIds.length > 0 || first.process.exitCode !== null, 60_000, 50);
    first.process.kill("SIGKILL");
    await first.exited;
    expect(first.process.signalCode, `the import finished before it could be killed:\n${first.output()}`).toBe("SIGKILL");
    const partial = readIndex(dataDir, SHOP).chunkIds.length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(expectedChunks);

    const second = groundwork(["import", "--shop", SHOP, "--json", file], env);
    children.push(second);
    expect(await second.exited, second.output()).toBe(0);
    const result = JSON.parse(second.output().slice(second.output().indexOf("{"))) as { products: number; chunks: number; embedded: number; unchanged: number };
    expect(result).toMatchObject({ products: products.length, chunks: expectedChunks });
    // What the killed run had written was kept, not embedded again.
    expect(result.embedded + result.unchanged).toBe(expectedChunks);
    expect(result.unchanged).toBeGreaterThan(0);
    expectCompleteAndUnique(dataDir, products);
    expect(await db.catalogItem.count({ where: { shop: SHOP, sourceType: "product" } })).toBe(products.length);
  });

  it("GIVEN `groundwork worker` killed mid-batch WHEN its leases run out and a new worker starts THEN every job runs and the index is complete without duplicates", async () => {
    const products = catalog(30, 7000);
    const queue = createQueue(db, database.url);
    // A shop without Admin access: the worker indexes each webhook payload as sent.
    for (const p of products) {
      await queue.enqueue({ shop: SHOP, kind: "product.upsert", key: `product:${p.id}`, payload: { topic: "products/update", body: adminRestProduct(p) }, eventAt: new Date(p.updatedAt) });
    }

    const first = groundwork(["worker"], env);
    children.push(first);
    await waitFor("the first chunks to be written", () => readIndex(dataDir, SHOP).chunkIds.length > 0, 60_000, 50);
    first.process.kill("SIGKILL");
    await first.exited;
    const orphaned = await db.job.findMany({ where: { shop: SHOP, status: "running" } });
    expect(orphaned.length, "the killed worker held leases").toBeGreaterThan(0);
    expect(await db.job.count({ where: { shop: SHOP, status: { in: ["queued", "running"] } } })).toBeGreaterThan(0);

    // Time passes: the dead worker's leases run out (the default lease is two minutes).
    await db.job.updateMany({ where: { shop: SHOP, status: "running" }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    const second = groundwork(["worker"], env);
    children.push(second);
    await waitForQueueDrain(db, { shop: SHOP, timeoutMs: 90_000 });
    second.process.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    const jobs = await db.job.findMany({ where: { shop: SHOP } });
    expect(jobs.every((j) => j.status === "done")).toBe(true);
    // The orphaned jobs were taken over: claimed a second time, by the new worker.
    for (const j of jobs.filter((job) => orphaned.some((o) => o.id === job.id))) expect(j.attempts).toBe(2);
    expectCompleteAndUnique(dataDir, products);
  });

  it("GIVEN a job that outlasts its lease WHEN another worker polls meanwhile THEN it never takes the job over (the lease is kept alive)", async () => {
    const queue = createQueue(db, database.url);
    await queue.enqueue({ shop: SHOP, kind: "slow", key: "slow:1" });
    const stolen: JobRecord[] = [];
    let runs = 0;
    let running = true;
    const owner = runOneBatch({
      queue,
      workerId: "owner",
      leaseMs: 300,
      handlers: {
        slow: async () => {
          runs++;
          await new Promise((r) => setTimeout(r, 1500)); // five leases long
        },
      },
    });
    await waitFor("the owner to claim the job", async () => (await db.job.count({ where: { shop: SHOP, status: "running", lockedBy: "owner" } })) === 1, 10_000, 10);
    const thief = (async () => {
      while (running) {
        stolen.push(...(await queue.claim("thief", { leaseMs: 300 })));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const result = await owner;
    running = false;
    await thief;
    expect(stolen).toEqual([]);
    expect(runs).toBe(1);
    expect(result.processed).toBe(1);
    expect(await db.job.findFirst({ where: { shop: SHOP, kind: "slow" } })).toMatchObject({ status: "done", attempts: 1, lockedBy: "owner" });
  });

  it.skipIf(!usingPostgres)("GIVEN two `groundwork worker` processes on PostgreSQL WHEN they share one queue THEN no job is claimed twice and both take part", async () => {
    const workers = [groundwork(["worker"], env), groundwork(["worker"], env)];
    children.push(...workers);
    await Promise.all(workers.map((w) => waitFor("the worker to start", () => /Worker \S+ started/.test(w.output()), 60_000)));

    const queue = createQueue(db, database.url);
    const products = catalog(30, 9000);
    // Many instant jobs make the claims race; some indexing jobs keep both workers busy.
    for (let i = 0; i < 200; i++) await queue.enqueue({ shop: SHOP, kind: "customer.redact", key: `customer:${i}` });
    for (const p of products) {
      await queue.enqueue({ shop: SHOP, kind: "product.upsert", key: `product:${p.id}`, payload: { topic: "products/update", body: adminRestProduct(p) }, eventAt: new Date(p.updatedAt) });
    }
    await waitForQueueDrain(db, { shop: SHOP, timeoutMs: 90_000 });

    const jobs = await db.job.findMany({ where: { shop: SHOP } });
    expect(jobs).toHaveLength(230);
    expect(jobs.filter((j) => j.status !== "done")).toEqual([]);
    // Every claim adds an attempt: one attempt each means no job was claimed twice.
    expect(jobs.filter((j) => j.attempts !== 1).map((j) => ({ id: j.id, attempts: j.attempts }))).toEqual([]);
    expect(new Set(jobs.map((j) => j.lockedBy)).size).toBe(2);
    expectCompleteAndUnique(dataDir, products);
  });
  if (!usingPostgres) console.warn("sync-recovery: the two-worker queue test needs PostgreSQL (DATABASE_URL=postgresql://…); skipped on SQLite");
});
