import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { describeVectorStoreConformance } from "../../test/support/vector-store-conformance";
import {
  createSqliteVecStore,
  dropSqliteIndex,
  listSqliteIndexes,
  sqliteTablePrefix,
  shopToken,
  toFtsQuery,
} from "./sqlite-vec-store";
import { VectorStoreError } from "./types";

describeVectorStoreConformance("sqlite-vec (in memory)", async ({ dimensions }) =>
  createSqliteVecStore({ db: ":memory:", indexName: "conformance", dimensions }),
);

// The large-shop paths, forced on small data: binary first pass + exact rescoring, and
// over-fetching when a filter vec0 cannot evaluate matches more rows than it prefilters.
describeVectorStoreConformance("sqlite-vec (binary first pass, over-fetch)", async ({ dimensions }) =>
  createSqliteVecStore({
    db: ":memory:",
    indexName: "conformance",
    dimensions,
    binaryQuantizationThreshold: 0,
    prefilterMaxRows: 0,
  }),
);

describe("sqlite-vec indexes in one file", () => {
  const dbs: Database.Database[] = [];
  afterEach(() => {
    for (const db of dbs.splice(0)) db.close();
  });
  const openDb = () => {
    const db = new Database(":memory:");
    dbs.push(db);
    return db;
  };
  const chunk = (id: string, vector: number[]) => ({
    id,
    sourceType: "page" as const,
    sourceId: id,
    title: id,
    url: `/pages/${id}`,
    text: `Text of ${id}`,
    contentHash: id,
    fields: {},
    vector,
  });

  it("keeps two models' indexes side by side, lists them and drops one", async () => {
    const db = openDb();
    const small = createSqliteVecStore({ db, indexName: "use-lite-512", dimensions: 8 });
    const large = createSqliteVecStore({ db, indexName: "text-embedding-3-small", dimensions: 16 });
    await small.upsert("a.myshopify.com", [chunk("one", [1, 0, 0, 0, 0, 0, 0, 0])]);
    await large.upsert("a.myshopify.com", [
      chunk("one", [1, ...new Array(15).fill(0)]),
      chunk("two", [0, 1, ...new Array(14).fill(0)]),
    ]);
    expect(listSqliteIndexes(db).map((i) => [i.name, i.dimensions, i.chunkCount])).toEqual([
      ["use-lite-512", 8, 1],
      ["text-embedding-3-small", 16, 2],
    ]);
    expect(dropSqliteIndex(db, "use-lite-512")).toBe(true);
    expect(dropSqliteIndex(db, "use-lite-512")).toBe(false);
    expect(listSqliteIndexes(db).map((i) => i.name)).toEqual(["text-embedding-3-small"]);
    expect(await large.count("a.myshopify.com")).toBe(2);
    // The caller's database stays open after the store closes.
    await large.close();
    expect(db.open).toBe(true);
  });

  it("deletes leave no derived rows behind (vectors, bits, full-text, variants)", async () => {
    const db = openDb();
    const store = createSqliteVecStore({ db, indexName: "cleanup", dimensions: 8 });
    const withVariant = (id: string) => ({
      ...chunk(id, [1, 0, 0, 0, 0, 0, 0, 1]),
      fields: { variants: [{ id: "v", options: { Size: "8" }, available: true, price: 1 }] },
    });
    for (const shop of ["a.myshopify.com", "b.myshopify.com"])
      await store.upsert(shop, [withVariant("one"), withVariant("two")]);
    const prefix = listSqliteIndexes(db)[0].tablePrefix;
    const rows = () =>
      ["chunks", "filters", "vec", "bits", "fts", "variants", "variant_options"].map(
        (table) => (db.prepare(`SELECT count(*) AS n FROM ${prefix}_${table}`).get() as { n: number }).n,
      );
    expect(rows()).toEqual([4, 4, 4, 4, 4, 4, 4]);
    await store.upsert("a.myshopify.com", [withVariant("one")]); // replace, not add
    expect(rows()).toEqual([4, 4, 4, 4, 4, 4, 4]);
    await store.deleteChunks("a.myshopify.com", ["one"]);
    expect(rows()).toEqual([3, 3, 3, 3, 3, 3, 3]);
    await store.deleteShop("a.myshopify.com");
    expect(rows()).toEqual([2, 2, 2, 2, 2, 2, 2]);
    expect(await store.count("b.myshopify.com")).toBe(2);
  });

  it("keeps a small shop's full-text search inside it when another shop holds most of the file", async () => {
    const db = openDb();
    const store = createSqliteVecStore({ db, indexName: "tenants", dimensions: 8 });
    const shirt = (id: string) => ({ ...chunk(id, [1, 0, 0, 0, 0, 0, 0, 0]), title: `Linen shirt ${id}` });
    await store.upsert("big.myshopify.com", Array.from({ length: 12 }, (_, i) => shirt(`big-${i}`)));
    await store.upsert("small.myshopify.com", [shirt("small-1"), shirt("small-2")]);
    const hits = await store.search("small.myshopify.com", { mode: "sparse", text: "linen shirt", k: 10 });
    expect(hits.map((h) => h.chunk.id).sort()).toEqual(["small-1", "small-2"]);
    const big = await store.search("big.myshopify.com", { mode: "hybrid", text: "linen shirt", vector: [1, 0, 0, 0, 0, 0, 0, 0], k: 20 });
    expect(big).toHaveLength(12);
    expect(big.every((h) => h.chunk.id.startsWith("big-"))).toBe(true);
    expect(shopToken("small.myshopify.com")).toMatch(/^shop[0-9a-f]{20}$/);
  });

  it("finds the one chunk whose variant matches when a large shop's first candidates hold none", async () => {
    const db = openDb();
    // prefilterMaxRows 0 takes the large-shop path: check the variant on nearest rows first.
    const store = createSqliteVecStore({ db, indexName: "variants", dimensions: 8, prefilterMaxRows: 0 });
    const shirts = Array.from({ length: 300 }, (_, i) => ({
      ...chunk(`shirt-${i}`, [1, i / 300, 0, 0, 0, 0, 0, 0]),
      title: "Linen shirt",
      fields: { variants: [{ id: `v${i}`, options: { Size: i === 299 ? "8" : "M" }, available: true, price: 1 }] },
    }));
    await store.upsert("a.myshopify.com", shirts);
    const filter = { variant: { options: { size: "8" }, available: true } };
    for (const mode of ["dense", "sparse", "hybrid"] as const) {
      const hits = await store.search("a.myshopify.com", { mode, text: "linen shirt", vector: [1, 0, 0, 0, 0, 0, 0, 0], k: 2, filter });
      expect(hits.map((h) => h.chunk.id)).toEqual(["shirt-299"]);
    }
  });

  it("upgrades an index written before the filter table and the full-text shop column", async () => {
    const db = openDb();
    const store = createSqliteVecStore({ db, indexName: "legacy", dimensions: 8 });
    await store.upsert("a.myshopify.com", [chunk("one", [1, 0, 0, 0, 0, 0, 0, 0]), chunk("two", [0, 1, 0, 0, 0, 0, 0, 0])]);
    await store.upsert("b.myshopify.com", [chunk("one", [1, 0, 0, 0, 0, 0, 0, 0])]);
    await store.close();
    // The earlier layout: no filter or shop-count tables, full text without the shop column.
    const prefix = listSqliteIndexes(db)[0].tablePrefix;
    db.exec(`DROP TABLE ${prefix}_filters; DROP TABLE ${prefix}_shops; DROP TABLE ${prefix}_fts;
      CREATE VIRTUAL TABLE ${prefix}_fts USING fts5(title, text, content='', contentless_delete=1);`);
    const reopened = createSqliteVecStore({ db, indexName: "legacy", dimensions: 8 });
    expect(await reopened.count("a.myshopify.com")).toBe(2);
    expect(await reopened.count("b.myshopify.com")).toBe(1);
    const hits = await reopened.search("a.myshopify.com", { mode: "sparse", text: "two", k: 5 });
    expect(hits.map((h) => h.chunk.id)).toEqual(["two"]);
    expect(await reopened.deleteShop("a.myshopify.com")).toBe(2);
    expect(await reopened.count("b.myshopify.com")).toBe(1);
  });

  it("refuses to reopen an index with other dimensions", () => {
    const db = openDb();
    createSqliteVecStore({ db, indexName: "model-a", dimensions: 8 });
    let error: unknown;
    try {
      createSqliteVecStore({ db, indexName: "model-a", dimensions: 16 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VectorStoreError);
    expect((error as VectorStoreError).code).toBe("dimension_mismatch");
  });

  it("derives safe, distinct table names from index names", () => {
    expect(sqliteTablePrefix("Use-Lite 512")).toMatch(/^vi_use_lite_512_[0-9a-f]{8}$/);
    expect(sqliteTablePrefix("use_lite_512")).not.toBe(sqliteTablePrefix("use-lite-512"));
    expect(sqliteTablePrefix('x"; DROP TABLE y; --')).toMatch(/^vi_[a-z0-9_]+$/);
  });

  it("turns query text into a quoted OR query FTS5 cannot misread", () => {
    expect(toFtsQuery('Size 8 "AND" boots NEAR(x)')).toBe('"size" OR "8" OR "boots" OR "near" OR "x"');
    // Stopwords are dropped, unless nothing else is left.
    expect(toFtsQuery("is it for me")).toBe('"is" OR "it" OR "for" OR "me"');
    expect(toFtsQuery("?!")).toBeUndefined();
  });
});
