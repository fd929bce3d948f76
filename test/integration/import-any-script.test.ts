/**
 * A catalog written in several scripts, with option values that differ only in
 * punctuation, imported into a real database and the embedded index: every variant is
 * stored once, a second import changes nothing, and its words are found by search.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCatalogFiles } from "../../app/catalog/import-files";
import { loadConfig } from "../../app/config";
import { migrateDatabase } from "../../app/db/open-database";
import { createServices, type Services } from "../../app/services";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { HashedWordsEmbedder } from "../support/hashed-words-embedder";
import { repoRoot } from "../support/server";

const SHOP = "any-script.myshopify.com";
const FIXTURE = path.join(repoRoot, "test/fixtures/option-values-any-script.csv");

describe("a catalog in any script, imported twice", () => {
  let database: TestDatabase;
  let services: Services;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "gw-any-script-"));
    const config = loadConfig({ DATABASE_URL: database.url, GROUNDWORK_DATA_DIR: dataDir }, { requireShopify: false });
    services = createServices(config, { embedder: new HashedWordsEmbedder("hashed-64", 64) });
  });
  afterAll(async () => {
    await services?.close();
    await database?.drop();
  });

  const productRows = () => services.db.catalogItem.count({ where: { shop: SHOP, sourceType: "product" } });

  it("GIVEN the first import WHEN it runs THEN every distinct variant is stored and the one true duplicate is reported", async () => {
    const result = await importCatalogFiles(services.indexDeps, SHOP, [FIXTURE]);
    expect(result.products).toBe(6);
    expect(result.variants).toBe(9 + 27 + 4 + 4 + 4 + 2);
    expect(result.issues.map((i) => i.code)).toEqual(["duplicate_variant"]);
    expect(await productRows()).toBe(6);
    const necklace = await services.catalog.productByHandle(SHOP, "letter-necklace");
    expect(necklace?.variants).toHaveLength(27);
  });

  it("GIVEN the same file again WHEN imported THEN no row is added, lost or re-embedded", async () => {
    const result = await importCatalogFiles(services.indexDeps, SHOP, [FIXTURE]);
    expect(result.embedded).toBe(0);
    expect(result.unchanged).toBe(result.chunks);
    expect(await productRows()).toBe(6);
    const phoneCase = await services.catalog.productByHandle(SHOP, "phone-case");
    expect(phoneCase?.variants.map((v) => v.options.Model)).toEqual([
      ...Array(3).fill("Galaxy S20"),
      ...Array(3).fill("Galaxy S20+"),
      ...Array(3).fill("Galaxy S20 Ultra"),
    ]);
  });

  it("finds products by words in Chinese, Arabic and Hebrew, and holds a variant filter on a single Arabic letter", async () => {
    // A CSV product's id is its handle.
    const handleOf = async (text: string) => (await services.store.search(SHOP, { mode: "sparse", text, k: 3 }))[0]?.chunk.sourceId;
    expect(await handleOf("夹克")).toBe("rain-jacket-zh");
    expect(await handleOf("قلادة")).toBe("letter-necklace");
    expect(await handleOf("מחברת")).toBe("dotted-notebook");

    const withLetter = (letter: string) =>
      services.store.search(SHOP, { mode: "sparse", text: "قلادة", k: 5, filter: { variant: { options: { "الحرف": letter } } } });
    expect((await withLetter("ب")).length).toBeGreaterThan(0);
    // Persian pe is not one of the 27 letters: a letter of its own, never folded into another.
    expect(await withLetter("پ")).toEqual([]);
  });
});
