import { describe, expect, it } from "vitest";
import { GraphqlQueryError, HttpResponseError } from "@shopify/shopify-api";
import {
  ShopifyAdminError,
  adaptRemixAdminGraphql,
  createAdminGraphqlClient,
  numericIdFromGid,
  refillWaitMs,
  requireData,
  withThrottleRetry,
  type AdminGraphqlClient,
  type AdminGraphqlResponse,
} from "./shopify-admin-client";

const throttled = (requested: number, available: number): AdminGraphqlResponse => ({
  errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
  extensions: {
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: available, restoreRate: 50 },
    },
  },
});

/** A client that answers from a script, one entry per call (a function throws). */
function scriptedClient(script: (AdminGraphqlResponse | (() => never))[]): AdminGraphqlClient & { calls: number } {
  const client = (async () => {
    const step = script[client.calls++];
    if (typeof step === "function") step();
    return step as AdminGraphqlResponse;
  }) as unknown as AdminGraphqlClient & { calls: number };
  client.calls = 0;
  return client;
}

describe("withThrottleRetry", () => {
  it("GIVEN a THROTTLED answer WHEN retried THEN it waits for the bucket to refill for the requested cost", async () => {
    const waits: number[] = [];
    const client = scriptedClient([throttled(300, 100), { data: { shop: { name: "A" } } }]);
    const retrying = withThrottleRetry(client, { maxRetries: 3, baseDelayMs: 100, sleep: async (ms) => void waits.push(ms) });

    const response = await retrying("{ shop { name } }");

    expect(response.data).toEqual({ shop: { name: "A" } });
    expect(client.calls).toBe(2);
    // 200 points missing at 50 points/s.
    expect(waits).toEqual([4000]);
  });

  it("GIVEN repeated throttling with a full-enough bucket WHEN retried THEN backoff grows each time", async () => {
    const waits: number[] = [];
    const client = scriptedClient([throttled(10, 999), throttled(10, 999), throttled(10, 999), { data: {} }]);
    const retrying = withThrottleRetry(client, { maxRetries: 5, baseDelayMs: 100, sleep: async (ms) => void waits.push(ms) });
    await retrying("{ shop { name } }");
    expect(waits).toEqual([100, 200, 400]);
  });

  it("GIVEN throttling that never ends WHEN retries run out THEN it raises shopify_throttled", async () => {
    const client = scriptedClient([throttled(10, 0), throttled(10, 0), throttled(10, 0)]);
    const retrying = withThrottleRetry(client, { maxRetries: 2, sleep: async () => {} });
    const error = await retrying("{ shop { name } }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyAdminError);
    expect((error as ShopifyAdminError).code).toBe("shopify_throttled");
    expect(client.calls).toBe(3);
  });

  it("GIVEN a retriable transport error WHEN retried THEN Retry-After is honoured; a 401 is not retried", async () => {
    const waits: number[] = [];
    const flaky = scriptedClient([
      () => {
        throw new ShopifyAdminError("shopify_throttled", "429", { retriable: true, retryAfterMs: 2000 });
      },
      { data: { ok: true } },
    ]);
    await withThrottleRetry(flaky, { baseDelayMs: 10, sleep: async (ms) => void waits.push(ms) })("{ a }");
    expect(waits).toEqual([2000]);

    const denied = scriptedClient([
      () => {
        throw new ShopifyAdminError("shopify_unauthorized", "401");
      },
    ]);
    await expect(withThrottleRetry(denied, { sleep: async () => {} })("{ a }")).rejects.toMatchObject({ code: "shopify_unauthorized" });
    expect(denied.calls).toBe(1);
  });
});

describe("createAdminGraphqlClient", () => {
  it("GIVEN a shop and token WHEN it queries THEN it POSTs JSON to the versioned endpoint with the token header", async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return new Response(JSON.stringify({ data: { shop: { name: "A" } } }), { status: 200 });
    }) as unknown as typeof fetch;
    const client = createAdminGraphqlClient({ shop: "alpine.myshopify.com", accessToken: "shpat_x", apiVersion: "2025-10", fetch: fakeFetch });

    const response = await client("query Q($id: ID!) { node(id: $id) { id } }", { id: "gid://shopify/Product/1" });

    expect(response.data).toEqual({ shop: { name: "A" } });
    expect(seen[0].url).toBe("https://alpine.myshopify.com/admin/api/2025-10/graphql.json");
    expect(seen[0].init.method).toBe("POST");
    expect((seen[0].init.headers as Record<string, string>)["X-Shopify-Access-Token"]).toBe("shpat_x");
    expect(JSON.parse(String(seen[0].init.body))).toEqual({
      query: "query Q($id: ID!) { node(id: $id) { id } }",
      variables: { id: "gid://shopify/Product/1" },
    });
  });

  it("GIVEN HTTP failures WHEN they come back THEN each maps to a coded error", async () => {
    const answering = (status: number, headers: Record<string, string> = {}) =>
      createAdminGraphqlClient({
        shop: "alpine.myshopify.com",
        accessToken: "t",
        fetch: (async () => new Response("nope", { status, headers })) as unknown as typeof fetch,
      });
    await expect(answering(401)("{ a }")).rejects.toMatchObject({ code: "shopify_unauthorized", retriable: false });
    await expect(answering(403)("{ a }")).rejects.toMatchObject({ code: "shopify_forbidden" });
    await expect(answering(404)("{ a }")).rejects.toMatchObject({ code: "shopify_shop_not_found" });
    await expect(answering(429, { "Retry-After": "2" })("{ a }")).rejects.toMatchObject({ code: "shopify_throttled", retryAfterMs: 2000 });
    await expect(answering(503)("{ a }")).rejects.toMatchObject({ code: "shopify_server_error", retriable: true });
  });

  it("GIVEN something that is not a myshopify domain WHEN a client is made THEN it refuses", () => {
    expect(() => createAdminGraphqlClient({ shop: "evil.example.com/x", accessToken: "t" })).toThrow(
      expect.objectContaining({ code: "invalid_shop_domain" }),
    );
  });
});

describe("adaptRemixAdminGraphql", () => {
  it("GIVEN admin.graphql answers WHEN called THEN the JSON envelope comes through with the variables passed on", async () => {
    const seen: unknown[] = [];
    const client = adaptRemixAdminGraphql(async (query, options) => {
      seen.push({ query, options });
      return new Response(JSON.stringify({ data: { shop: { name: "A" } }, extensions: {} }));
    });
    expect((await client("{ shop { name } }", { a: 1 })).data).toEqual({ shop: { name: "A" } });
    expect(seen).toEqual([{ query: "{ shop { name } }", options: { variables: { a: 1 } } }]);
  });

  it("GIVEN the library throws for THROTTLED WHEN wrapped with retries THEN it is retried like a plain answer", async () => {
    let calls = 0;
    const throttledBody = throttled(100, 50);
    const graphql = async () => {
      if (calls++ === 0) {
        // What @shopify/shopify-api throws for GraphQL errors: the client's body, errors under graphQLErrors.
        throw new GraphqlQueryError({
          message: "Throttled",
          response: {} as Record<string, unknown>,
          body: { data: null, errors: { networkStatusCode: 200, message: "GraphQL Client: An error occurred", graphQLErrors: throttledBody.errors }, extensions: throttledBody.extensions },
        });
      }
      return new Response(JSON.stringify({ data: { ok: true } }));
    };
    const waits: number[] = [];
    const client = withThrottleRetry(adaptRemixAdminGraphql(graphql), { sleep: async (ms) => void waits.push(ms) });
    expect((await client("{ a }")).data).toEqual({ ok: true });
    expect(waits).toEqual([1000]);
  });

  it("GIVEN the library throws an HTTP 401 WHEN called THEN it becomes shopify_unauthorized", async () => {
    const client = adaptRemixAdminGraphql(async () => {
      throw new HttpResponseError({ message: "Unauthorized", code: 401, statusText: "Unauthorized" });
    }, "alpine.myshopify.com");
    await expect(client("{ a }")).rejects.toMatchObject({ code: "shopify_unauthorized" });
  });
});

describe("helpers", () => {
  it("reads refill time, data and ids", () => {
    expect(refillWaitMs(throttled(150, 100))).toBe(1000);
    expect(refillWaitMs({ errors: [] })).toBeNull();
    expect(() => requireData({ errors: [{ message: "Field 'x' doesn't exist" }] }, "the shop")).toThrow(/the shop: Field 'x'/);
    expect(() => requireData({ errors: [{ message: "no", extensions: { code: "ACCESS_DENIED" } }] }, "pages")).toThrow(
      expect.objectContaining({ code: "shopify_forbidden" }),
    );
    expect(numericIdFromGid("gid://shopify/ProductVariant/42")).toBe("42");
    expect(numericIdFromGid("gid://shopify/Product/not-a-number")).toBeNull();
  });
});
