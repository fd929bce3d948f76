/**
 * Token buckets in memory: one per client and one per shop, both must have a
 * token for a request to pass. A bucket holds a minute's budget and refills
 * continuously, so a burst is allowed and a steady flood is not. Pure: the
 * clock is passed in. Per process: several server processes each keep their own.
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
  take(shop: string, clientKey: string): RateLimitResult;
}

// Refills are fractions of a token: compare with a little slack so 0.9999999 counts as 1.
const EPSILON = 1e-9;

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
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

  /** Seconds until the bucket holds one whole token again. */
  function wait(bucket: Bucket, perMinute: number): number {
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / perMinute - EPSILON));
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
