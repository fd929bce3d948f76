/**
 * The Qdrant store through the real @qdrant/js-client-rest over HTTP: against the local fake
 * (every request checked against Qdrant's OpenAPI contract), and against a real Qdrant when
 * QDRANT_URL points at one.
 */
import { randomUUID } from "node:crypto";
import { QdrantClient } from "@qdrant/js-client-rest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createQdrantStore, pointId, variantOptionKeyword } from "../../app/stores/qdrant-store";
import { VectorStoreError } from "../../app/stores/types";
import { startFakeQdrant, type FakeQdrant } from "../fakes/qdrant-server";
import { describeVectorStoreConformance } from "../support/vector-store-conformance";

const SHOP = "alpha-outfitters.myshopify.com";

describe("Qdrant store against the contract-checking fake", () => {
  let fake: FakeQdrant;

  beforeAll(async () => {
    fake = await startFakeQdrant();
  });

  afterAll(async () => {
    // Checked once every suite below has run: no request the store sent broke the contract.
    expect(fake.violations).toEqual([]);
    await fake.close();
  });

  describeVectorStoreConformance("qdrant (fake server)", async ({ dimensions }) =>
    createQdrantStore({ url: fake.url, indexName: `conformance-${randomUUID()}`, dimensions }),
  );

  describe("wire format", () => {
    it("checks requests against the contract, so a misspelt field is caught", async () => {
      if (!fake.validated) return;
      const before = fake.violations.length;
      const response = await fetch(`${fake.url}/collections/typo-check/points/query`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: [1, 0], limt: 3 }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { status: { error: string } };
      expect(body.status.error).toContain("limt");
      expect(fake.violations.slice(before)).toHaveLength(1);
      fake.violations.splice(before); // the deliberate mistake is not the store's
    });

    it("creates the collection with named dense + idf sparse vectors and a tenant index on shop", async () => {
      const indexName = `setup-${randomUUID()}`;
      const store = createQdrantStore({ url: fake.url, indexName, dimensions: 8 });
      await store.count(SHOP);
      const create = fake.requests.find((r) => r.method === "PUT" && r.path === `/collections/${indexName}`);
      expect(create?.body).toMatchObject({
        vectors: { dense: { size: 8, distance: "Cosine" } },
        sparse_vectors: { bm25: { modifier: "idf" } },
      });
      const indexes = fake.requests
        .filter((r) => r.method === "PUT" && r.path === `/collections/${indexName}/index`)
        .map((r) => r.body as { field_name: string; field_schema: unknown });
      expect(indexes.find((i) => i.field_name === "shop")?.field_schema).toEqual({ type: "keyword", is_tenant: true });
      expect(indexes.map((i) => i.field_name)).toEqual(
        expect.arrayContaining(["source_type", "available", "price_min", "variants[].available", "variants[].options"]),
      );
      // A second store on the same collection finds it ready and creates nothing.
      const creates = fake.requests.length;
      const again = createQdrantStore({ url: fake.url, indexName, dimensions: 8 });
      await again.count(SHOP);
      expect(fake.requests.slice(creates).filter((r) => r.method === "PUT")).toEqual([]);
    });

    it("puts a shop condition in every search, count, scroll and delete", async () => {
      const indexName = `tenancy-${randomUUID()}`;
      const store = createQdrantStore({ url: fake.url, indexName, dimensions: 8 });
      const start = fake.requests.length;
      const vector = [1, 0, 0, 0, 0, 0, 0, 0];
      await store.upsert(SHOP, [
        {
          id: "c1",
          sourceType: "page",
          sourceId: "about",
          title: "About",
          url: "/pages/about",
          text: "About the shop",
          contentHash: "h",
          fields: {},
          vector,
        },
      ]);
      await store.search(SHOP, { mode: "hybrid", vector, text: "about", k: 3, filter: { sourceTypes: ["page"] } });
      await store.contentHashes(SHOP);
      await store.deleteChunks(SHOP, ["c1"]);
      await store.deleteSource(SHOP, "page", "about");
      await store.deleteShop(SHOP);
      const reads = fake.requests.slice(start).filter((r) => /\/points\/(query|count|scroll|delete)$/.test(r.path));
      // query, scroll, count + delete per delete call (no delete when the count is already 0)
      expect(reads.length).toBeGreaterThanOrEqual(6);
      expect(reads.some((r) => r.path.endsWith("/points/delete"))).toBe(true);
      const shopCondition = { key: "shop", match: { value: SHOP } };
      for (const request of reads) {
        const body = request.body as { filter: { must: unknown[] }; prefetch?: { filter: { must: unknown[] } }[] };
        expect(body.filter.must).toContainEqual(shopCondition);
        for (const prefetch of body.prefetch ?? []) expect(prefetch.filter.must).toContainEqual(shopCondition);
      }
      const hybrid = fake.requests.slice(start).find((r) => r.path.endsWith("/points/query"))!.body as {
        query: unknown;
        prefetch: { using: string }[];
      };
      expect(hybrid.query).toEqual({ fusion: "rrf" });
      expect(hybrid.prefetch.map((p) => p.using)).toEqual(["dense", "bm25"]);
    });

    it("sends the same-variant rule as a nested filter over variants", async () => {
      const store = createQdrantStore({ url: fake.url, indexName: `nested-${randomUUID()}`, dimensions: 8 });
      const start = fake.requests.length;
      await store.search(SHOP, {
        mode: "dense",
        vector: [0, 1, 0, 0, 0, 0, 0, 0],
        k: 2,
        filter: { variant: { options: { Size: "8" }, available: true } },
      });
      const body = fake.requests.slice(start).find((r) => r.path.endsWith("/points/query"))!.body as {
        filter: { must: unknown[] };
      };
      expect(body.filter.must).toContainEqual({
        nested: {
          key: "variants",
          filter: {
            must: [
              { key: "available", match: { value: true } },
              { key: "options", match: { value: variantOptionKeyword("size", "8") } },
            ],
          },
        },
      });
    });

    it("derives point ids from shop and chunk id", () => {
      expect(pointId("a.myshopify.com", "c1")).toBe(pointId("a.myshopify.com", "c1"));
      expect(pointId("a.myshopify.com", "c1")).not.toBe(pointId("b.myshopify.com", "c1"));
      expect(pointId("a.myshopify.com", "c1")).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    });

    it("refuses a collection built for another vector size", async () => {
      const indexName = `dims-${randomUUID()}`;
      await createQdrantStore({ url: fake.url, indexName, dimensions: 8 }).count(SHOP);
      const other = createQdrantStore({ url: fake.url, indexName, dimensions: 16 });
      const error = await other.count(SHOP).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VectorStoreError);
      expect((error as VectorStoreError).code).toBe("dimension_mismatch");
    });
  });
});

describe("Qdrant store errors and the fake without its contract", () => {
  it("the fake still serves, with a warning, when the contract file is missing", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const fake = await startFakeQdrant({ contractPath: "/nonexistent/qdrant-openapi.json" });
    try {
      expect(fake.validated).toBe(false);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("without validating"));
      const store = createQdrantStore({ url: fake.url, indexName: "no-contract", dimensions: 8 });
      const vector = [0, 0, 1, 0, 0, 0, 0, 0];
      await store.upsert(SHOP, [
        {
          id: "c1",
          sourceType: "page",
          sourceId: "faq",
          title: "FAQ",
          url: "/pages/faq",
          text: "Questions",
          contentHash: "h",
          fields: {},
          vector,
        },
      ]);
      const hits = await store.search(SHOP, { mode: "hybrid", vector, text: "questions", k: 1 });
      expect(hits.map((h) => h.chunk.id)).toEqual(["c1"]);
    } finally {
      warn.mockRestore();
      await fake.close();
    }
  });

  it("reports a wrong API key as a refusal the merchant can fix", async () => {
    const fake = await startFakeQdrant({ apiKey: "right-key" });
    try {
      const store = createQdrantStore({ url: fake.url, apiKey: "wrong-key", indexName: "auth", dimensions: 8 });
      const error = await store.count(SHOP).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VectorStoreError);
      expect((error as VectorStoreError).code).toBe("unavailable");
      expect((error as Error).message).toMatch(/API key/);
    } finally {
      await fake.close();
    }
  });

  it("reports an unreachable server", async () => {
    const fake = await startFakeQdrant();
    const url = fake.url;
    await fake.close();
    const store = createQdrantStore({ url, indexName: "gone", dimensions: 8, timeoutMs: 2000 });
    const error = await store.count(SHOP).catch((e: unknown) => e);
    expect((error as VectorStoreError).code).toBe("unavailable");
    expect((error as Error).message).toContain(url);
  });
});

const realQdrantUrl = process.env.QDRANT_URL;

describe.skipIf(!realQdrantUrl)("Qdrant store against a real server (QDRANT_URL)", () => {
  const created: string[] = [];
  const apiKey = process.env.QDRANT_API_KEY;

  afterAll(async () => {
    const client = new QdrantClient({ url: realQdrantUrl!, apiKey, checkCompatibility: false });
    for (const name of created) await client.deleteCollection(name).catch(() => undefined);
  });

  describeVectorStoreConformance("qdrant (real server)", async ({ dimensions }) => {
    const indexName = `groundwork-test-${randomUUID()}`;
    created.push(indexName);
    return createQdrantStore({ url: realQdrantUrl!, apiKey, indexName, dimensions });
  });
});
