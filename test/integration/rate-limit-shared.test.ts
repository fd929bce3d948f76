/**
 * The storefront rate limit on PostgreSQL is one budget however many app processes serve
 * the shop: two limiters with their own database connections (two processes) draw from the
 * same buckets, concurrent requests never overspend them, and buckets refill by the
 * database's clock. Needs PostgreSQL (DATABASE_URL=postgresql://…); on SQLite a single
 * server process keeps its buckets in memory (rate-limiter.test.ts) and this file skips.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/open-database";
import { createDatabaseRateLimiter } from "../../app/storefront-api/database-rate-limiter";
import { createTestDatabase, usingPostgres, type TestDatabase } from "../support/database";
import { repoRoot } from "../support/server";

describe.skipIf(!usingPostgres)("the storefront rate limit shared through PostgreSQL", () => {
  let database: TestDatabase;
  let first: Db;
  let second: Db;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    first = openDatabase(database.url);
    second = openDatabase(database.url);
  });

  afterAll(async () => {
    await first?.$disconnect();
    await second?.$disconnect();
    await database?.drop();
  });

  it("GIVEN two processes WHEN one shopper asks through both THEN they spend one budget, and another shop's is untouched", async () => {
    const options = { name: "ask", perClientPerMinute: 3, perShopPerMinute: 100 };
    const a = createDatabaseRateLimiter(first, options);
    const b = createDatabaseRateLimiter(second, options);
    expect(await a.take("one.myshopify.com", "shopper")).toEqual({ allowed: true });
    expect(await b.take("one.myshopify.com", "shopper")).toEqual({ allowed: true });
    expect(await a.take("one.myshopify.com", "shopper")).toEqual({ allowed: true });
    // Three a minute: the next token comes in about 20 seconds.
    const refused = await b.take("one.myshopify.com", "shopper");
    expect(refused).toMatchObject({ allowed: false, scope: "client" });
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThanOrEqual(19);
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeLessThanOrEqual(20);
    expect(await a.take("one.myshopify.com", "another-shopper")).toEqual({ allowed: true });
    expect(await b.take("two.myshopify.com", "shopper")).toEqual({ allowed: true });
    // A differently named limiter (lighter calls) has buckets of its own.
    expect(await createDatabaseRateLimiter(second, { ...options, name: "light" }).take("one.myshopify.com", "shopper")).toEqual({ allowed: true });
  });

  it("GIVEN many requests at once from both processes THEN exactly the budget passes", async () => {
    const options = { name: "burst", perClientPerMinute: 1000, perShopPerMinute: 7 };
    const a = createDatabaseRateLimiter(first, options);
    const b = createDatabaseRateLimiter(second, options);
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).take("burst.myshopify.com", `shopper-${i}`)));
    expect(results.filter((r) => r.allowed)).toHaveLength(7);
    expect(results.filter((r) => !r.allowed && r.scope === "shop")).toHaveLength(17);
  });

  it("GIVEN an empty bucket WHEN time passes on the database's clock THEN it refills at its rate, up to its size", async () => {
    const limiter = createDatabaseRateLimiter(first, { name: "refill", perClientPerMinute: 2, perShopPerMinute: 100 });
    expect(await limiter.take("refill.myshopify.com", "s")).toEqual({ allowed: true });
    expect(await limiter.take("refill.myshopify.com", "s")).toEqual({ allowed: true });
    expect(await limiter.take("refill.myshopify.com", "s")).toMatchObject({ allowed: false, scope: "client" });
    // 30 seconds at 2 a minute is one token.
    await first.$executeRaw`UPDATE "RateBucket" SET "updatedAt" = "updatedAt" - interval '31 seconds' WHERE "key" = 'refill|c|refill.myshopify.com|s'`;
    expect(await limiter.take("refill.myshopify.com", "s")).toEqual({ allowed: true });
    expect(await limiter.take("refill.myshopify.com", "s")).toMatchObject({ allowed: false });
    // An hour idle fills it to its size, not beyond.
    await first.$executeRaw`UPDATE "RateBucket" SET "updatedAt" = "updatedAt" - interval '1 hour' WHERE "key" = 'refill|c|refill.myshopify.com|s'`;
    const after = await Promise.all([1, 2, 3].map(() => limiter.take("refill.myshopify.com", "s")));
    expect(after.filter((r) => r.allowed)).toHaveLength(2);
  });

  it("deletes idle buckets as it goes, losing nothing (an idle bucket is full)", async () => {
    const limiter = createDatabaseRateLimiter(first, { name: "prune", perClientPerMinute: 5, perShopPerMinute: 100, pruneEvery: 2 });
    await first.$executeRaw`INSERT INTO "RateBucket" ("key", "tokens", "updatedAt") VALUES ('prune|c|old.myshopify.com|gone', 0, now() - interval '1 hour')`;
    await limiter.take("prune.myshopify.com", "x");
    await limiter.take("prune.myshopify.com", "x");
    await expect.poll(async () => (await first.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "RateBucket" WHERE "key" = 'prune|c|old.myshopify.com|gone'`)[0].n).toBe(0n);
  });
});

if (!usingPostgres) console.warn("rate-limit-shared: the shared limiter needs PostgreSQL (DATABASE_URL=postgresql://…); skipped on SQLite");
