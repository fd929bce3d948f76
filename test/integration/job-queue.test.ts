/** The durable queue on the suite's database (SQLite, or PostgreSQL when DATABASE_URL says so). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/open-database";
import { createQueue } from "../../app/jobs/queue";
import { drainQueue } from "../../app/jobs/worker";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { repoRoot } from "../support/server";

describe("job queue", () => {
  let database: TestDatabase;
  let db: Db;
  let clock = new Date("2026-11-01T10:00:00Z");
  const now = () => clock;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    db = openDatabase(database.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it("GIVEN two events for one product WHEN queued THEN they coalesce into one job carrying the newer event", async () => {
    const queue = createQueue(db, database.url, { now });
    const a = await queue.enqueue({ shop: "a.myshopify.com", kind: "product.upsert", key: "product:1", payload: { v: 2 }, eventAt: new Date("2026-11-01T09:00:00Z") });
    const b = await queue.enqueue({ shop: "a.myshopify.com", kind: "product.upsert", key: "product:1", payload: { v: 1 }, eventAt: new Date("2026-11-01T08:00:00Z") });
    expect(b).toEqual({ id: a.id, coalesced: true });
    const job = await db.job.findUniqueOrThrow({ where: { id: a.id } });
    // The older, late event did not overwrite the newer one.
    expect(JSON.parse(job.payload)).toEqual({ v: 2 });
    const other = await queue.enqueue({ shop: "b.myshopify.com", kind: "product.upsert", key: "product:1", payload: {} });
    expect(other.coalesced).toBe(false);
  });

  it("GIVEN a claimed job WHEN its worker dies THEN another worker gets it after the lease, and only then", async () => {
    const queue = createQueue(db, database.url, { now });
    await db.job.deleteMany();
    await queue.enqueue({ shop: "a.myshopify.com", kind: "k", key: "x" });
    const first = await queue.claim("w1", { leaseMs: 60_000 });
    expect(first).toHaveLength(1);
    expect(await queue.claim("w2", { leaseMs: 60_000 })).toHaveLength(0);
    clock = new Date(clock.getTime() + 61_000);
    const second = await queue.claim("w2", { leaseMs: 60_000 });
    expect(second.map((j) => j.id)).toEqual(first.map((j) => j.id));
    expect(second[0].attempts).toBe(2);
    // The dead worker's late completion is ignored: the job belongs to w2 now.
    await queue.complete(first[0]);
    expect((await db.job.findUniqueOrThrow({ where: { id: first[0].id } })).status).toBe("running");
    await queue.complete(second[0]);
    expect((await db.job.findUniqueOrThrow({ where: { id: first[0].id } })).status).toBe("done");
  });

  it("GIVEN a job that always fails WHEN it runs out of attempts THEN it is a dead letter that can be retried", async () => {
    const queue = createQueue(db, database.url);
    await db.job.deleteMany();
    await queue.enqueue({ shop: "a.myshopify.com", kind: "boom", key: "y", maxAttempts: 2 });
    const handlers = { boom: async () => Promise.reject(new Error("bad data")) };
    await drainQueue({ queue, handlers, workerId: "w" });
    await db.job.updateMany({ data: { runAt: new Date(0) } });
    await drainQueue({ queue, handlers, workerId: "w" });
    const dead = await queue.deadLetters("a.myshopify.com");
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ kind: "boom", status: "dead", lastError: "bad data", attempts: 2 });
    expect(await queue.deadLetters("b.myshopify.com")).toHaveLength(0);
    expect(await queue.retryDead("b.myshopify.com", dead[0].id)).toBe(false);
    expect(await queue.retryDead("a.myshopify.com", dead[0].id)).toBe(true);
    expect((await queue.stats("a.myshopify.com")).queued).toBe(1);
  });
});
