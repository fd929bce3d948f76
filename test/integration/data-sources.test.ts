/**
 * Settings > Data sources decide which policies and pages the assistant may read:
 * a deselected policy type or page leaves the index and the catalog the answers
 * are checked against, and comes back when selected again.
 */
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCatalogFiles } from "../../app/catalog/import-files";
import { loadConfig } from "../../app/config";
import { migrateDatabase } from "../../app/db/open-database";
import { reapplySourceRules } from "../../app/indexing/index-catalog";
import type { EmbeddingModel } from "../../app/providers/types";
import { createServices, type Services } from "../../app/services";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { repoRoot } from "../support/server";

const SHOP = "sources.myshopify.com";

/** A tiny deterministic embedder: hashed words, 64 dimensions. */
const hashedWords: EmbeddingModel = {
  id: "test-hashed-64",
  dimensions: 64,
  maxEmbeddingsPerCall: 256,
  async embed({ values }) {
    const embeddings = values.map((text) => {
      const v = new Array(64).fill(0);
      for (const w of text.toLowerCase().match(/\p{L}+/gu) ?? []) v[createHash("md5").update(w).digest()[0] % 64] += 1;
      const norm = Math.hypot(...v) || 1;
      return v.map((x) => x / norm);
    });
    return { embeddings, usage: { tokens: 0 } };
  },
};

describe("data sources", () => {
  let database: TestDatabase;
  let services: Services;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "gw-sources-"));
    services = createServices(loadConfig({ DATABASE_URL: database.url, GROUNDWORK_DATA_DIR: dataDir }, { requireShopify: false }), { embedder: hashedWords });
    await importCatalogFiles(services.indexDeps, SHOP, [path.join(repoRoot, "demo-store/policies"), path.join(repoRoot, "demo-store/pages")]);
  });
  afterAll(async () => {
    await services?.close();
    await database?.drop();
  });

  const policyTypes = async () => (await services.catalog.policies(SHOP)).map((p) => p.type).sort();
  const searchTypes = async (text: string) => (await services.store.search(SHOP, { mode: "sparse", text, k: 50 })).map((h) => h.chunk.sourceType);

  it("GIVEN an import WHEN chunks were embedded THEN the usage ledger records the embedding calls for that shop", async () => {
    const rows = await services.db.usageEvent.findMany({ where: { shop: SHOP, kind: "embedding" } });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.model === "test-hashed-64" && r.costUsd === 0)).toBe(true);
    expect(await services.db.usageEvent.count({ where: { shop: "other.myshopify.com" } })).toBe(0);
  });

  it("GIVEN refund policies and pages deselected WHEN re-applied THEN they leave the index and the catalog, and come back when selected", async () => {
    expect(await policyTypes()).toContain("refund");
    expect(await searchTypes("size guide measurements")).toContain("page");

    await services.db.shopSettings.upsert({
      where: { shop: SHOP },
      create: { shop: SHOP, data: JSON.stringify({ dataSources: { policyTypes: ["shipping", "privacy", "terms", "contact"], pages: "none", pageHandles: [] } }) },
      update: {},
    });
    await reapplySourceRules(services.indexDeps, SHOP);
    expect(await policyTypes()).not.toContain("refund");
    expect(await searchTypes("size guide measurements")).not.toContain("page");
    const refundHits = (await services.store.search(SHOP, { mode: "sparse", text: "refund return window", k: 50 })).filter((h) => h.chunk.fields.policyType === "refund");
    expect(refundHits).toHaveLength(0);

    await services.db.shopSettings.update({ where: { shop: SHOP }, data: { data: JSON.stringify({}) } });
    await reapplySourceRules(services.indexDeps, SHOP);
    expect(await policyTypes()).toContain("refund");
    expect(await searchTypes("size guide measurements")).toContain("page");
  });
});
