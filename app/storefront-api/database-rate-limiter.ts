/**
 * The storefront rate limit shared by every app process on PostgreSQL: the same token
 * buckets as rate-limiter.ts (one per shopper, one per shop, refilled continuously), kept
 * in the RateBucket table. Several processes or machines serving one shop then spend one
 * budget between them, where in-memory buckets would each allow the full rate.
 *
 * One transaction per request: an upsert refills both buckets and locks their rows (in a
 * fixed order, client then shop, so two requests never wait on each other in a cycle),
 * then both give a token only if both have one. Refills use the database's clock, read
 * when the row is written (clock_timestamp, not the transaction's start: a request that
 * waited for the row lock must not count time backwards), so the processes' clocks never
 * disagree about a bucket.
 */
import type { Db } from "../db/open-database";
import { bucketWaitSeconds, RATE_EPSILON, type RateLimiter, type RateLimitOptions, type RateLimitResult } from "./rate-limiter";

export interface DatabaseRateLimitOptions extends Omit<RateLimitOptions, "now" | "maxBuckets"> {
  /** Keeps two limiters (e.g. questions and lighter calls) apart in the one table. */
  name: string;
  /** Idle buckets are deleted every this many requests (they are full again after a minute). */
  pruneEvery?: number;
}

const IDLE_MINUTES_BEFORE_DELETE = 10;

export function createDatabaseRateLimiter(db: Db, options: DatabaseRateLimitOptions): RateLimiter {
  const pruneEvery = options.pruneEvery ?? 500;
  let takes = 0;

  function prune(): void {
    db.$executeRawUnsafe(`DELETE FROM "RateBucket" WHERE "updatedAt" < now() - interval '${IDLE_MINUTES_BEFORE_DELETE} minutes'`).catch((error: unknown) => {
      console.warn(`[rate-limit] could not delete idle buckets: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  return {
    async take(shop, clientKey): Promise<RateLimitResult> {
      if (++takes % pruneEvery === 0) prune();
      const clientBucket = `${options.name}|c|${shop}|${clientKey}`;
      const shopBucket = `${options.name}|s|${shop}`;
      const perClient = options.perClientPerMinute;
      const perShop = options.perShopPerMinute;
      return db.$transaction(async (tx) => {
        // EXCLUDED.tokens is the bucket's capacity: a new bucket starts full, an old one refills
        // capacity/60 tokens a second up to it.
        const rows = await tx.$queryRaw<{ key: string; tokens: number }[]>`
          INSERT INTO "RateBucket" ("key", "tokens", "updatedAt")
          VALUES (${clientBucket}, ${perClient}, clock_timestamp()), (${shopBucket}, ${perShop}, clock_timestamp())
          ON CONFLICT ("key") DO UPDATE SET
            "tokens" = LEAST(EXCLUDED."tokens", "RateBucket"."tokens" + GREATEST(0, EXTRACT(EPOCH FROM (EXCLUDED."updatedAt" - "RateBucket"."updatedAt"))) * EXCLUDED."tokens" / 60.0),
            "updatedAt" = GREATEST(EXCLUDED."updatedAt", "RateBucket"."updatedAt")
          RETURNING "key", "tokens"`;
        const client = Number(rows.find((r) => r.key === clientBucket)?.tokens ?? 0);
        const whole = Number(rows.find((r) => r.key === shopBucket)?.tokens ?? 0);
        // The client's own limit is the answer a shopper can act on: report it first.
        if (client < 1 - RATE_EPSILON) return { allowed: false, scope: "client", retryAfterSeconds: bucketWaitSeconds(client, perClient) };
        if (whole < 1 - RATE_EPSILON) return { allowed: false, scope: "shop", retryAfterSeconds: bucketWaitSeconds(whole, perShop) };
        await tx.$executeRaw`UPDATE "RateBucket" SET "tokens" = GREATEST(0, "tokens" - 1) WHERE "key" IN (${clientBucket}, ${shopBucket})`;
        return { allowed: true };
      });
    },
  };
}
