/**
 * The ONNX embedder end to end, offline: GIVEN GROUNDWORK_EMBEDDER=onnx and a model folder
 * (a tiny genuine transformers.js export written by test/support/tiny-onnx-model.ts), WHEN the
 * app's services import the demo store, THEN the catalog is embedded by transformers.js and
 * onnxruntime-node into an index named after the model, and searches find products by their
 * words, by meaning alone (dense) as well as hybrid. On the suite's database and the embedded index.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCatalogFiles, type ImportFilesResult } from "../../app/catalog/import-files";
import { loadConfig } from "../../app/config";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/open-database";
import { createServices, indexNameFor, type Services } from "../../app/services";
import type { SearchMode } from "../../app/stores/types";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { repoRoot } from "../support/server";
import { writeTinyOnnxModel } from "../support/tiny-onnx-model";

const SHOP = "onnx-demo.myshopify.com";
const HIDDEN = 16;

describe.sequential("ONNX embedding model through the app's services", () => {
  let database: TestDatabase;
  let db: Db;
  let workDir: string;
  let services: Services;
  let imported: ImportFilesResult;

  async function searchTitles(mode: SearchMode, query: string): Promise<string[]> {
    const [vector] = (await services.embedder.embed({ values: [query] })).embeddings;
    const hits = await services.store.search(SHOP, { mode, vector, text: query, k: 5, filter: { sourceTypes: ["product"] } });
    return hits.map((hit) => hit.chunk.title);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    db = openDatabase(database.url);
    workDir = mkdtempSync(path.join(os.tmpdir(), "gw-onnx-"));
    writeTinyOnnxModel(path.join(workDir, "tiny-bert"), { hiddenSize: HIDDEN });
    const config = loadConfig(
      {
        GROUNDWORK_DATA_DIR: path.join(workDir, "data"),
        DATABASE_URL: database.url,
        GROUNDWORK_EMBEDDER: "onnx",
        // Relative, as a merchant would write it: resolved against the working directory given.
        GROUNDWORK_ONNX_MODEL_DIR: "tiny-bert",
      },
      { requireShopify: false, cwd: workDir },
    );
    services = createServices(config, { db });
    imported = await importCatalogFiles(services.indexDeps, SHOP, [path.join(repoRoot, "demo-store")], { currency: "USD" });
  });

  afterAll(async () => {
    await services?.store.close();
    await db?.$disconnect();
    await database?.drop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it("GIVEN GROUNDWORK_EMBEDDER=onnx THEN the services embed with the folder's model into an index named after it", async () => {
    expect(services.config.embedder).toEqual({ kind: "onnx", modelDir: path.join(workDir, "tiny-bert") });
    expect(services.embedder.id).toBe(`onnx:tiny-bert:${HIDDEN}`);
    expect(services.embedder.dimensions).toBe(HIDDEN);
    expect(indexNameFor(services.embedder)).toBe(`chunks-onnx-tiny-bert-${HIDDEN}`);
    expect(services.store.indexName).toBe(`chunks-onnx-tiny-bert-${HIDDEN}`);

    const row = await db.searchIndex.findUniqueOrThrow({ where: { shop_name: { shop: SHOP, name: `chunks-onnx-tiny-bert-${HIDDEN}` } } });
    expect(row).toMatchObject({ model: `onnx:tiny-bert:${HIDDEN}`, dimensions: HIDDEN, status: "ready" });
    expect(imported.skipped).toBe(0);
    expect(imported.embedded).toBeGreaterThan(40);
    expect(await services.store.count(SHOP)).toBe(imported.embedded);
  });

  it("WHEN a shopper searches a product's words THEN hybrid search returns that product first", async () => {
    expect((await searchTitles("hybrid", "Ridgeline Rain Shell"))[0]).toBe("Ridgeline Rain Shell");
    expect((await searchTitles("hybrid", "Merino Crew Sweater"))[0]).toBe("Merino Crew Sweater");
  });

  it("WHEN the search uses the vectors alone THEN the model's themes decide: knitwear for wool, candles for fragrance", async () => {
    const knitwear = await searchTitles("dense", "merino wool knit");
    expect(knitwear).toHaveLength(5);
    for (const title of knitwear) expect(title).toMatch(/merino|wool|cardigan|sweater|beanie|scarf/i);
    const candles = await searchTitles("dense", "cedar candle fragrance");
    expect(candles).toHaveLength(5);
    for (const title of candles) expect(title).toMatch(/candle/i);
  });
});
