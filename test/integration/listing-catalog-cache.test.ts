/**
 * Listings read the whole catalog, which the database catalog keeps parsed between questions
 * (db-catalog.ts). GIVEN a shop's dresses written by the real write path, WHEN a listing is asked,
 * the catalog changes (a size sells out, a dress is added, one is removed, one is hidden) and the
 * listing is asked again, THEN the second listing sees the change; while nothing changes the same
 * parsed products are reused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogWideSources } from "../../app/answering/catalog-sources";
import { sampleProduct, sampleVariant } from "../../app/answering/sample-catalog";
import { createDbCatalog, SNAPSHOT_QUIET_MS } from "../../app/catalog/db-catalog";
import { vocabularyOf } from "../../app/catalog/memory-catalog";
import type { CatalogProduct } from "../../app/catalog/types";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/open-database";
import { indexCatalog, removeSource } from "../../app/indexing/index-catalog";
import { understandQuery } from "../../app/retrieval/understand-query";
import { createSqliteVecStore } from "../../app/stores/sqlite-vec-store";
import type { VectorStore } from "../../app/stores/types";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { HashedWordsEmbedder } from "../support/hashed-words-embedder";
import { repoRoot } from "../support/server";

const SHOP = "listing-cache.myshopify.com";
const QUESTION = "Which of your dresses can I buy in a size 8 right now?";

const hashedWords = new HashedWordsEmbedder("test-hashed-32", 32);

let stamp = Date.parse("2026-01-01T00:00:00Z");
/** A dress as a sync writes it; each write carries a later source timestamp, as Shopify's do. */
function dress(i: number, eight: { available: boolean } | null, over: Partial<CatalogProduct> = {}): CatalogProduct {
  stamp += 1000;
  return sampleProduct({
    handle: `dress-${i}`,
    title: `Dress ${i}`,
    productType: "Dresses",
    variants: [sampleVariant(`d${i}-6`, { Size: "6" }, 80, true), ...(eight ? [sampleVariant(`d${i}-8`, { Size: "8" }, 80, eight.available)] : [])],
    updatedAt: new Date(stamp).toISOString(),
    ...over,
  });
}

describe("listings on the database catalog", () => {
  let database: TestDatabase;
  let db: Db;
  let store: VectorStore;
  const write = (products: CatalogProduct[]) => indexCatalog({ db, store, embedder: hashedWords }, SHOP, { products, policies: [], pages: [], documents: [] });

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    db = openDatabase(database.url);
    store = createSqliteVecStore({ db: ":memory:", indexName: hashedWords.id, dimensions: hashedWords.dimensions });
    await write([dress(1, { available: true }), dress(2, { available: true }), dress(3, null)]);
  });
  afterAll(async () => {
    await store?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  async function listing(catalog: ReturnType<typeof createDbCatalog>): Promise<string[]> {
    const products = await catalog.products(SHOP);
    const u = understandQuery({ question: QUESTION, locale: "en", ...vocabularyOf([...products]) });
    expect(u.intent).toBe("listing");
    return [...(await catalogWideSources(catalog, SHOP, QUESTION, u)).matches.handles].sort();
  }

  it("GIVEN a listing asked WHEN the catalog is written THEN the next listing sees every kind of write, and an unchanged catalog is parsed once", async () => {
    // The writes above are recent; a clock past the quiet margin lets this catalog keep what it reads.
    const catalog = createDbCatalog(db, { now: () => Date.now() + SNAPSHOT_QUIET_MS + 60_000 });
    expect(await listing(catalog)).toEqual(["dress-1", "dress-2"]);
    const first = await catalog.products(SHOP);
    expect(await catalog.products(SHOP)).toBe(first);

    // An update: dress 2's size 8 sells out.
    await write([dress(2, { available: false })]);
    expect(await listing(catalog)).toEqual(["dress-1"]);
    expect(await catalog.products(SHOP)).not.toBe(first);

    // A create: a new dress in size 8.
    await write([dress(4, { available: true })]);
    expect(await listing(catalog)).toEqual(["dress-1", "dress-4"]);

    // A delete (products/delete).
    await removeSource({ db, store }, SHOP, "product", "gid-dress-1");
    expect(await listing(catalog)).toEqual(["dress-4"]);

    // Hidden from shoppers: the row stays, but the product leaves the listing.
    await write([dress(4, { available: true }, { status: "draft" })]);
    expect(await listing(catalog)).toEqual([]);

    // Back again, and a delete and a create between two questions (same number of rows).
    await write([dress(4, { available: true })]);
    expect(await listing(catalog)).toEqual(["dress-4"]);
    await removeSource({ db, store }, SHOP, "product", "gid-dress-4");
    await write([dress(5, { available: true })]);
    expect(await listing(catalog)).toEqual(["dress-5"]);
  });

  it("GIVEN a catalog written moments ago (a sync may still be writing) THEN what is read is not kept", async () => {
    await write([dress(6, { available: true })]);
    const catalog = createDbCatalog(db);
    const first = await catalog.products(SHOP);
    expect(await catalog.products(SHOP)).not.toBe(first);
    expect(await listing(catalog)).toEqual(["dress-5", "dress-6"]);
  });
});
