/**
 * Phase 2 through its doors, on real parts: the demo store imported into the suite's
 * database, the `groundwork voice` CLI building the dataset, evaluating a fine-tuned
 * model served by the OpenAI-compatible fake (through the real `openai` SDK) and writing
 * a draft; units sold read from orders by a bulk operation on the Admin GraphQL fake
 * (product ids and quantities only); and publishing with `productUpdate` only after the
 * merchant's click, then restoring the previous copy.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../app/cli/main";
import { importCatalogFiles } from "../../app/catalog/import-files";
import { createAdminGraphqlClient } from "../../app/catalog/shopify-admin-client";
import { loadConfig, type Config } from "../../app/config";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/open-database";
import { fetchSalesRanking } from "../../app/phases/voice/order-sales";
import { editDraft, listRevisions, publishDraft, restorePrevious, saveDraft } from "../../app/phases/voice/publish-copy";
import { createShopifyCopyWriter } from "../../app/phases/voice/shopify-copy-writer";
import { loadShopProducts, saveVoiceProfile } from "../../app/phases/voice/voice-store";
import { createServices, type Services } from "../../app/services";
import { loadShopSettings } from "../../app/settings/shop-settings";
import { startFakeOpenAI, FAKE_API_KEY, type FakeOpenAI } from "../fakes/openai-server";
import { startFakeShopifyAdmin } from "../fakes/shopify-admin-server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { HashedWordsEmbedder } from "../support/hashed-words-embedder";
import { repoRoot } from "../support/server";

const SHOP = "voice-journey.myshopify.com";
const BRIEF = "You write for an outdoor shop: calm, concrete, second person, short paragraphs. Only the facts given.";
const VOICE_MODEL = "demo-voice-ft";

describe.sequential("phase 2, brand voice", () => {
  let database: TestDatabase;
  let db: Db;
  let dataDir: string;
  let outDir: string;
  let config: Config;
  let services: Services;
  let openai: FakeOpenAI;
  let env: Record<string, string>;

  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { env: { ...env } as NodeJS.ProcessEnv, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    db = openDatabase(database.url);
    dataDir = mkdtempSync(path.join(os.tmpdir(), "gw-voice-"));
    outDir = path.join(dataDir, "dataset");
    // The fine-tuned model answers in a voice: the product's title and its facts as one short paragraph.
    openai = await startFakeOpenAI({
      chatModels: [VOICE_MODEL],
      chatHandler: (request) => {
        const facts = request.messages.find((m) => m.role === "user")?.content ?? "";
        const title = /^Title: (.*)$/m.exec(facts)?.[1] ?? "It";
        const type = /^Type: (.*)$/m.exec(facts)?.[1] ?? "piece";
        return { content: `<p>Meet the ${title}. A ${type.toLowerCase()} made for long days outside, and easy to live with.</p><p>Take it where the weather turns.</p>` };
      },
    });
    env = { GROUNDWORK_DATA_DIR: dataDir, DATABASE_URL: database.url, GROUNDWORK_ENCRYPTION_KEY: randomBytes(32).toString("base64"), GROUNDWORK_VOICE_API_KEY: FAKE_API_KEY };
    config = loadConfig(env, { requireShopify: false });
    services = createServices(config, { db, embedder: new HashedWordsEmbedder("voice-test", 32) });
    await importCatalogFiles(services.indexDeps, SHOP, [path.join(repoRoot, "demo-store")], { currency: "USD" });
  });

  afterAll(async () => {
    await services?.store.close();
    await db?.$disconnect();
    await openai?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("GIVEN no brief WHEN the dataset is built THEN it is refused with a message and no file is written", async () => {
    const r = await cli(["voice", "dataset", "--shop", SHOP, "--out", outDir, "--json"]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.out) as { errors: { code: string; message: string }[] };
    expect(summary.errors.map((e) => e.code)).toEqual(["missing_brief"]);
    expect(() => readFileSync(path.join(outDir, "train.jsonl"))).toThrow();
  });

  it("WHEN the brief is given THEN train.jsonl and validation.jsonl hold chat examples, split by product", async () => {
    const r = await cli(["voice", "dataset", "--shop", SHOP, "--out", outDir, "--json", "--brief", BRIEF]);
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out) as { examples: number; train: { handles: string[]; tokens: number }; validation: { handles: string[]; tokens: number }; flagged: { handle: string; reason: string }[]; dropped: unknown[] };
    expect(summary.examples).toBe(summary.train.handles.length + summary.validation.handles.length);
    expect(summary.validation.handles.length).toBeGreaterThan(0);
    const train = readFileSync(path.join(outDir, "train.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(train).toHaveLength(summary.train.handles.length);
    expect(train[0].messages[0]).toEqual({ role: "system", content: BRIEF });
    expect(train[0].messages[1].content).toMatch(/^Title: /);
    expect(summary.train.tokens).toBeGreaterThan(train.length * 20);
  });

  it("WHEN the fine-tune is evaluated THEN both candidates get the same facts, every number is kept, and the voice drift reaches the advisor", async () => {
    const r = await cli(["voice", "evaluate", "--shop", SHOP, "--model", VOICE_MODEL, "--base-url", openai.url, "--json"]);
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out) as { summary: { products: number; voiceDrift: number; prompting: { voice: number; model: string }; fineTuned: { voice: number; model: string; unbackedProducts: number } }; products: { fineTuned: { voice: { similarity: number; style: number; stats: { sentenceLength: number } } } }[] };
    expect(result.summary.products).toBeGreaterThan(0);
    expect(result.summary.prompting.model).toBe("local-copywriter");
    expect(result.summary.fineTuned.model).toBe(VOICE_MODEL);
    expect(result.products[0].fineTuned.voice.stats.sentenceLength).toBeGreaterThan(0);
    // The fine-tuned model was asked as it was trained: the brief, then the facts.
    const calls = openai.requests.filter((q) => q.path === "/v1/chat/completions");
    expect(calls).toHaveLength(result.summary.products);
    expect(calls[0].body.messages[0]).toEqual({ role: "system", content: BRIEF });
    const settings = await loadShopSettings(db, SHOP);
    expect(settings.measurements.voiceDrift?.score).toBe(result.summary.voiceDrift);
  });

  it("WHEN a description is written from the CLI THEN it is saved as a draft and nothing is published", async () => {
    const handle = (await loadShopProducts(db, SHOP))[0].handle;
    const r = await cli(["voice", "write", "--shop", SHOP, "--product", handle, "--model", VOICE_MODEL, "--base-url", openai.url, "--json"]);
    expect(r.code, r.err).toBe(0);
    const draft = JSON.parse(r.out) as { revision: number; html: string; diff: { kind: string }[] };
    expect(draft.html).toMatch(/^<p>Meet the /);
    expect(draft.diff.some((d) => d.kind === "added")).toBe(true);
    const [revision] = await listRevisions(db, SHOP, handle);
    expect(revision).toMatchObject({ id: draft.revision, status: "draft", publishedHtml: null });
  });

  it("GIVEN orders WHEN units sold are read THEN only product ids and quantities are asked for, and the dataset ranks by them", async () => {
    // The demo store's CSV has no Shopify ids; in the store (the fake) its products carry numeric ones, as orders name them.
    const stored = await loadShopProducts(db, SHOP);
    const products = stored.map((p, i) => ({ ...p, id: String(7000 + i) }));
    const recent = new Date(Date.now() - 5 * 86_400_000).toISOString();
    const old = new Date(Date.now() - 200 * 86_400_000).toISOString();
    const orders = Array.from({ length: 24 }, (_, i) => ({ id: String(500 + i), createdAt: recent, customerEmail: `shopper${i}@example.com`, lineItems: [{ productId: products[1].id, quantity: 2 }, { productId: products[2].id, quantity: 1 }] }));
    orders.push({ id: "900", createdAt: old, customerEmail: "old@example.com", lineItems: [{ productId: products[3].id, quantity: 50 }] });
    const admin = await startFakeShopifyAdmin({ products, orders, shop: { myshopifyDomain: SHOP }, pollsToComplete: 1 });
    try {
      const client = createAdminGraphqlClient({ shop: SHOP, accessToken: admin.accessToken, endpoint: admin.endpointFor(SHOP) });
      const outcome = await fetchSalesRanking(client, { windowDays: 90, grantedScopes: ["read_products", "read_orders"], sleep: async () => {} });
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      // read_orders reaches 60 days: the 200-day-old order is not counted, and the merchant is told why.
      expect(outcome.ranking.windowDays).toBe(60);
      expect(outcome.note).toMatch(/read_all_orders/);
      expect(outcome.ranking.orders).toBe(24);
      expect(outcome.ranking.units).toEqual({ "7001": 48, "7002": 24 });
      const query = admin.bulkOperations[0].query;
      expect(query).toMatch(/quantity product \{ id \}/);
      expect(query).not.toMatch(/customer|email|address|price|name/i);

      const byStoreId = new Map(products.map((p, i) => [p.id, stored[i].id]));
      const units = Object.fromEntries(Object.entries(outcome.ranking.units).map(([id, n]) => [byStoreId.get(id)!, n]));
      await saveVoiceProfile(db, SHOP, { sales: { ...outcome.ranking, units } });
      const r = await cli(["voice", "dataset", "--shop", SHOP, "--out", outDir, "--json"]);
      const summary = JSON.parse(r.out) as { ranking: { source: string; note: string }; train: { handles: string[] }; validation: { handles: string[] }; errors: { code: string }[] };
      expect(summary.ranking.source).toBe("orders");
      expect(summary.ranking.note).toMatch(/24 orders/);
      expect([...summary.train.handles, ...summary.validation.handles].sort()).toEqual([stored[1].handle, stored[2].handle].sort());
      // Two products sold: too few to train on, so nothing is written and the merchant reads why.
      expect(summary.errors.map((e) => e.code)).toEqual(["too_few_examples"]);
      expect(r.code).toBe(1);
    } finally {
      await admin.close();
      await saveVoiceProfile(db, SHOP, { sales: null });
    }
  });

  it("GIVEN no read_orders scope THEN orders are not read and the reason is given", async () => {
    const admin = await startFakeShopifyAdmin({ shop: { myshopifyDomain: SHOP }, grantedScopes: ["read_products"] });
    try {
      const client = createAdminGraphqlClient({ shop: SHOP, accessToken: admin.accessToken, endpoint: admin.endpointFor(SHOP) });
      expect(await fetchSalesRanking(client, { windowDays: 30, grantedScopes: ["read_products"] })).toEqual({ ok: false, reason: expect.stringMatching(/read_orders/) });
      // Granted in the session but refused by Shopify: the same answer, from Shopify's own error.
      expect(await fetchSalesRanking(client, { windowDays: 30, grantedScopes: ["read_orders"] })).toEqual({ ok: false, reason: expect.stringMatching(/denied/) });
    } finally {
      await admin.close();
    }
  });

  it("WHEN the merchant edits and publishes THEN productUpdate carries the exact HTML only after the click, and restore sends the previous copy back", async () => {
    const product = { ...(await loadShopProducts(db, SHOP))[0], id: "7100" };
    const admin = await startFakeShopifyAdmin({ products: [product], shop: { myshopifyDomain: SHOP } });
    try {
      const writer = createShopifyCopyWriter(createAdminGraphqlClient({ shop: SHOP, accessToken: admin.accessToken, endpoint: admin.endpointFor(SHOP) }));
      const draft = await saveDraft(db, SHOP, { handle: product.handle, productId: product.id, html: "<p>Draft</p>", model: VOICE_MODEL, claims: [], diff: [] }, product.descriptionHtml);
      const edited = await editDraft(db, SHOP, draft.id, `<p onclick="x()">Meet the ${product.title}.</p><script>alert(1)</script><p>Edited by hand &amp; checked.</p>`);
      expect(edited.draftHtml).toBe(`<p>Meet the ${product.title}.</p><p>Edited by hand &amp; checked.</p>`);
      // Drafting and editing never reach the store.
      expect(admin.productUpdates).toEqual([]);

      const published = await publishDraft(db, writer, SHOP, draft.id);
      expect(admin.productUpdates).toEqual([{ id: `gid://shopify/Product/${product.id}`, descriptionHtml: edited.draftHtml }]);
      expect(admin.descriptionOf(product.id)).toBe(edited.draftHtml);
      expect(published.status).toBe("published");
      await expect(publishDraft(db, writer, SHOP, draft.id)).rejects.toMatchObject({ code: "not_a_draft" });

      const restored = await restorePrevious(db, writer, SHOP, draft.id);
      expect(admin.productUpdates[1]).toEqual({ id: `gid://shopify/Product/${product.id}`, descriptionHtml: product.descriptionHtml });
      expect(admin.descriptionOf(product.id)).toBe(product.descriptionHtml);
      expect(restored.status).toBe("restored");
      // Another shop cannot reach this shop's drafts.
      await expect(publishDraft(db, writer, "other-shop.myshopify.com", draft.id)).rejects.toMatchObject({ code: "not_found" });
    } finally {
      await admin.close();
    }
  });
});
