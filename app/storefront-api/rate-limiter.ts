/**
 * Token buckets in memory: one per client and one per shop, both must have a
 * token for a request to pass. A bucket holds a minute's budget and refills
 * continuously, so a burst is allowed and a steady flood is not. Pure: the
 * clock is passed in. Per process: on PostgreSQL, where several processes serve one
 * shop, database-rate-limiter.ts keeps the same buckets in a shared table.
 */

export interface RateLimitOptions {
  /** Requests one client (shopper) may make per minute. */
  perClientPerMinute: number;
  /** Requests all clients of one shop may make together per minute. */
  perShopPerMinute: number;
  /** Milliseconds; Date.now by default. */
  now?: () => number;
  /** Buckets kept before full (idle) ones are dropped. */
  maxBuckets?: number;
}

export type RateLimitResult = { allowed: true } | { allowed: false; scope: "client" | "shop"; retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes a token from the shopper's and the shop's bucket, or says how long to wait. */
  take(shop: string, clientKey: string): RateLimitResult | Promise<RateLimitResult>;
}

// Refills are fractions of a token: compare with a little slack so 0.9999999 counts as 1.
export const RATE_EPSILON = 1e-9;
const EPSILON = RATE_EPSILON;

/** Seconds until a bucket holding `tokens` has one whole token again. */
export function bucketWaitSeconds(tokens: number, perMinute: number): number {
  return Math.max(1, Math.ceil(((1 - tokens) * 60) / perMinute - EPSILON));
}

interface Bucket {
  tokens: number;
  at: number;
}

/** In memory the answer is immediate. */
export interface MemoryRateLimiter extends RateLimiter {
  take(shop: string, clientKey: string): RateLimitResult;
}

export function createRateLimiter(options: RateLimitOptions): MemoryRateLimiter {
  const now = options.now ?? Date.now;
  const maxBuckets = options.maxBuckets ?? 50_000;
  const buckets = new Map<string, Bucket>();

  function refill(key: string, perMinute: number, t: number): Bucket {
    const bucket = buckets.get(key) ?? { tokens: perMinute, at: t };
    bucket.tokens = Math.min(perMinute, bucket.tokens + ((t - bucket.at) / 60_000) * perMinute);
    bucket.at = t;
    buckets.set(key, bucket);
    return bucket;
  }

  function wait(bucket: Bucket, perMinute: number): number {
    return bucketWaitSeconds(bucket.tokens, perMinute);
  }

  function prune(t: number) {
    if (buckets.size <= maxBuckets) return;
    // Idle buckets are full again after a minute: forgetting them changes nothing.
    for (const [key, bucket] of buckets) if (t - bucket.at >= 60_000) buckets.delete(key);
    // Still too many (a flood of new clients): drop the oldest entries.
    for (const key of buckets.keys()) {
      if (buckets.size <= maxBuckets) break;
      buckets.delete(key);
    }
  }

  return {
    take(shop, clientKey) {
      const t = now();
      prune(t);
      const shopBucket = refill(`s\u0000${shop}`, options.perShopPerMinute, t);
      const clientBucket = refill(`c\u0000${shop}\u0000${clientKey}`, options.perClientPerMinute, t);
      // The client's own limit is the answer a shopper can act on: report it first.
      if (clientBucket.tokens < 1 - EPSILON) return { allowed: false, scope: "client", retryAfterSeconds: wait(clientBucket, options.perClientPerMinute) };
      if (shopBucket.tokens < 1 - EPSILON) return { allowed: false, scope: "shop", retryAfterSeconds: wait(shopBucket, options.perShopPerMinute) };
      clientBucket.tokens = Math.max(0, clientBucket.tokens - 1);
      shopBucket.tokens = Math.max(0, shopBucket.tokens - 1);
      return { allowed: true };
    },
  };
}
