import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limiter";

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("createRateLimiter", () => {
  it("GIVEN 3 per minute per client WHEN a client asks 4 times at once THEN the 4th is refused with a Retry-After", () => {
    const c = clock();
    const limiter = createRateLimiter({ perClientPerMinute: 3, perShopPerMinute: 100, now: c.now });
    expect([1, 2, 3].map(() => limiter.take("a.myshopify.com", "k1").allowed)).toEqual([true, true, true]);
    expect(limiter.take("a.myshopify.com", "k1")).toEqual({ allowed: false, scope: "client", retryAfterSeconds: 20 });
    // Another shopper of the same shop is not affected.
    expect(limiter.take("a.myshopify.com", "k2").allowed).toBe(true);
  });

  it("refills continuously: one token every 60/N seconds", () => {
    const c = clock();
    const limiter = createRateLimiter({ perClientPerMinute: 6, perShopPerMinute: 100, now: c.now });
    for (let i = 0; i < 6; i++) limiter.take("s", "k");
    expect(limiter.take("s", "k").allowed).toBe(false);
    c.advance(9_000);
    expect(limiter.take("s", "k").allowed).toBe(false);
    c.advance(1_000);
    expect(limiter.take("s", "k").allowed).toBe(true);
  });

  it("GIVEN a shop budget of 4 WHEN four shoppers use it THEN a fifth shopper is refused with scope shop, and other shops are not", () => {
    const c = clock();
    const limiter = createRateLimiter({ perClientPerMinute: 10, perShopPerMinute: 4, now: c.now });
    for (const k of ["a", "b", "c", "d"]) expect(limiter.take("s1", k).allowed).toBe(true);
    expect(limiter.take("s1", "e")).toMatchObject({ allowed: false, scope: "shop" });
    expect(limiter.take("s2", "e").allowed).toBe(true);
  });

  it("a refused request does not spend a token of the other bucket", () => {
    const c = clock();
    const limiter = createRateLimiter({ perClientPerMinute: 1, perShopPerMinute: 2, now: c.now });
    expect(limiter.take("s", "a").allowed).toBe(true);
    expect(limiter.take("s", "a").allowed).toBe(false); // client empty: shop keeps its token
    expect(limiter.take("s", "b").allowed).toBe(true);
  });

  it("keeps at most maxBuckets, forgetting idle ones first", () => {
    const c = clock();
    const limiter = createRateLimiter({ perClientPerMinute: 1, perShopPerMinute: 1000, now: c.now, maxBuckets: 10 });
    limiter.take("s", "old");
    c.advance(61_000);
    for (let i = 0; i < 20; i++) limiter.take("s", `k${i}`);
    // "old" was forgotten, which only matters because it is full again anyway.
    expect(limiter.take("s", "old").allowed).toBe(true);
  });
});
