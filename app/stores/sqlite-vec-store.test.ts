import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { describeVectorStoreConformance } from "../../test/support/vector-store-conformance";
import {
  createSqliteVecStore,
  dropSqliteIndex,
  filterFacet,
  variantFacets,
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

  it("rebuilds a full-text table written before words were cut in any script, so CJK words inside longer runs match", async () => {
    const db = openDb();
    const store = createSqliteVecStore({ db, indexName: "legacy-words", dimensions: 8 });
    await store.upsert("a.myshopify.com", [{ ...chunk("one", [1, 0, 0, 0, 0, 0, 0, 0]), title: "轻便防水夹克", text: "适合徒步。" }]);
    await store.close();
    // The earlier table: default tokenizer options, the text as written (one token for the whole CJK run).
    const prefix = listSqliteIndexes(db)[0].tablePrefix;
    db.exec(`DROP TABLE ${prefix}_fts;
      CREATE VIRTUAL TABLE ${prefix}_fts USING fts5(shop, title, text, facets, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2');
      INSERT INTO ${prefix}_fts (rowid, shop, title, text, facets) SELECT rowid, '${shopToken("a.myshopify.com")}', title, text, '' FROM ${prefix}_chunks;`);
    const reopened = createSqliteVecStore({ db, indexName: "legacy-words", dimensions: 8 });
    const hits = await reopened.search("a.myshopify.com", { mode: "sparse", text: "夹克", k: 5 });
    expect(hits.map((h) => h.chunk.id)).toEqual(["one"]);
    await reopened.close();
  });

  it("holds a same-variant filter of one, two and three options on one variant, also after an upgrade adds facets", async () => {
    const db = openDb();
    const store = createSqliteVecStore({ db, indexName: "facets", dimensions: 8, prefilterMaxRows: 0 });
    const variant = (id: string, options: Record<string, string>, available: boolean) => ({ id, options, available, price: 10 });
    const jacket = {
      ...chunk("jacket", [1, 0, 0, 0, 0, 0, 0, 0]),
      title: "Rain jacket",
      fields: {
        variants: [
          variant("j1", { Size: "8", Colour: "Red", Fit: "Tall" }, true),
          variant("j2", { Size: "10", Colour: "Blue", Fit: "Regular" }, false),
        ],
      },
    };
    const coat = {
      ...chunk("coat", [0.9, 0.1, 0, 0, 0, 0, 0, 0]),
      title: "Rain coat",
      fields: { variants: [variant("c1", { Size: "8", Colour: "Blue", Fit: "Regular" }, true)] },
    };
    await store.upsert("a.myshopify.com", [jacket, coat]);
    const ids = async (s: typeof store, options: Record<string, string>, available?: boolean) => {
      const out: Record<string, string[]> = {};
      for (const mode of ["dense", "sparse", "hybrid"] as const) {
        const hits = await s.search("a.myshopify.com", { mode, text: "rain", vector: [1, 0, 0, 0, 0, 0, 0, 0], k: 5, filter: { variant: { options, available } } });
        out[mode] = hits.map((h) => h.chunk.id).sort();
      }
      return out;
    };
    const same = (list: string[]) => ({ dense: list, sparse: list, hybrid: list });
    const expectations = async (s: typeof store) => {
      expect(await ids(s, { size: "8" }, true)).toEqual(same(["coat", "jacket"]));
      // Size 10 and blue are on the jacket's one variant, which is sold out.
      expect(await ids(s, { size: "10", colour: "blue" })).toEqual(same(["jacket"]));
      expect(await ids(s, { size: "10", colour: "blue" }, true)).toEqual(same([]));
      // Size 8 and blue exist on the jacket only on different variants.
      expect(await ids(s, { size: "8", colour: "blue" })).toEqual(same(["coat"]));
      expect(await ids(s, { size: "8", colour: "red", fit: "tall" }, true)).toEqual(same(["jacket"]));
      expect(await ids(s, { size: "8", colour: "blue", fit: "tall" })).toEqual(same([]));
    };
    await expectations(store);
    await store.close();
    // The layout before facets: no facet table, full text without the facet column.
    const prefix = listSqliteIndexes(db)[0].tablePrefix;
    db.exec(`DROP TABLE ${prefix}_facets; DROP TABLE ${prefix}_fts;
      CREATE VIRTUAL TABLE ${prefix}_fts USING fts5(shop, title, text, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2');`);
    const reopened = createSqliteVecStore({ db, indexName: "facets", dimensions: 8, prefilterMaxRows: 0 });
    await expectations(reopened);
    expect((await reopened.search("a.myshopify.com", { mode: "sparse", text: "jacket", k: 5 })).map((h) => h.chunk.id)).toEqual(["jacket"]);
  });

  it("names each option, pair of options and availability of a variant as facet keys", () => {
    const keys = variantFacets({ options: { Size: "8", Colour: "Red" }, available: false });
    expect(keys.sort()).toEqual(["*|0", "colour=red", "colour=red&size=8", "colour=red&size=8|0", "colour=red|0", "size=8", "size=8|0"].sort());
    expect(filterFacet({ options: [["size", "8"], ["colour", "red"]], available: false })).toEqual({ key: "colour=red&size=8|0", exact: true });
    expect(filterFacet({ options: [["size", "8"]] })).toEqual({ key: "size=8", exact: true });
    expect(filterFacet({ options: [], available: true })).toEqual({ key: "*|1", exact: true });
    expect(filterFacet({ options: [["size", "8"], ["fit", "tall"], ["colour", "red"]] }).exact).toBe(false);
  });

  it("leaves words most rows hold out of a large index's full-text match, unless all words are that common", async () => {
    const db = openDb();
    const store = createSqliteVecStore({ db, indexName: "common", dimensions: 8, commonWordMinRows: 10 });
    const doc = (id: string, text: string) => ({ ...chunk(id, [1, 0, 0, 0, 0, 0, 0, 0]), title: id, text });
    await store.upsert("a.myshopify.com", [
      ...Array.from({ length: 12 }, (_, i) => doc(`plain-${i}`, "Available in every size and colour")),
      doc("jacket-1", "A rain jacket in every size"),
      doc("jacket-2", "Rain jacket, packable"),
    ]);
    const sparse = async (text: string) => (await store.search("a.myshopify.com", { mode: "sparse", text, k: 20 })).map((h) => h.chunk.id).sort();
    // "size" is in 13 of 14 rows: matching it would return them all for next to no ranking weight.
    expect(await sparse("jacket size")).toEqual(["jacket-1", "jacket-2"]);
    // Every word common: the rarest still matches.
    expect((await sparse("size colour")).length).toBe(12);
    // One word is kept whatever its share.
    expect((await sparse("size")).length).toBe(13);
    // Below the size where it pays, nothing is left out.
    const small = createSqliteVecStore({ db, indexName: "common", dimensions: 8 });
    expect((await small.search("a.myshopify.com", { mode: "sparse", text: "jacket size", k: 20 })).length).toBe(14);
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
    expect(toFtsQuery("防水夹克")).toBe('"防" OR "防水" OR "水" OR "水夹" OR "夹" OR "夹克" OR "克"');
  });
});
