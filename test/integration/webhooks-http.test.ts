/**
 * Webhook routes over HTTP against the real, built server: a bad HMAC is refused
 * with 401 and changes nothing; a good one is accepted, queued once, and a replay
 * of the same delivery id is not queued again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../app/db/open-database";
import { signedWebhook } from "../support/shopify-signing";
import { startTestServer, type TestServer } from "../support/server";

const SHOP = "webhook-test.myshopify.com";
const product = { id: 8123456789, title: "Harbour Rain Shell", handle: "harbour-rain-shell", updated_at: "2026-11-01T10:00:00Z", variants: [] };

describe("webhook routes over HTTP", () => {
  let server: TestServer;
  let db: Db;

  beforeAll(async () => {
    // The worker is off so the test sees exactly what the routes queued.
    server = await startTestServer({ env: { GROUNDWORK_WORKER: "off" } });
    db = openDatabase(server.database.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  it("GIVEN a webhook signed with the wrong secret WHEN it is posted THEN 401 and nothing is queued", async () => {
    const { url, init } = signedWebhook(server.url, { topic: "products/update", shop: SHOP, payload: product, secret: "not-the-secret" });
    const response = await fetch(url, init);
    expect(response.status).toBe(401);
    expect(await db.job.count({ where: { shop: SHOP } })).toBe(0);
    expect(await db.webhookDelivery.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("GIVEN a webhook with no HMAC header WHEN it is posted THEN it is refused", async () => {
    const { url, init } = signedWebhook(server.url, { topic: "products/update", shop: SHOP, payload: product, secret: server.secret });
    delete init.headers["X-Shopify-Hmac-Sha256"];
    const response = await fetch(url, init);
    expect([400, 401]).toContain(response.status);
    expect(await db.job.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("GIVEN a correctly signed webhook WHEN it is posted twice with one delivery id THEN 200 both times and one job", async () => {
    const delivery = signedWebhook(server.url, { topic: "products/update", shop: SHOP, payload: product, secret: server.secret, webhookId: "delivery-1" });
    const first = await fetch(delivery.url, delivery.init);
    const replay = await fetch(delivery.url, delivery.init);
    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    const jobs = await db.job.findMany({ where: { shop: SHOP } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: "product.upsert", key: `product:${product.id}`, status: "queued" });
    expect(await db.webhookDelivery.count({ where: { shop: SHOP, webhookId: "delivery-1" } })).toBe(1);
  });

  it("GIVEN a signed webhook whose payload lacks the product id WHEN it is posted THEN 400 with a clear error", async () => {
    const { url, init } = signedWebhook(server.url, { topic: "products/delete", shop: SHOP, payload: { title: "no id" }, secret: server.secret });
    const response = await fetch(url, init);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: "malformed_payload", message: "product payload has no id" } });
  });

  it("GIVEN a correctly signed body that is not JSON WHEN it is posted THEN 400 malformed_payload and nothing is queued", async () => {
    const before = await db.job.count({ where: { shop: SHOP } });
    const { url, init } = signedWebhook(server.url, { topic: "products/update", shop: SHOP, payload: null, rawBody: "{not json", secret: server.secret });
    const response = await fetch(url, init);
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("malformed_payload");
    expect(await db.job.count({ where: { shop: SHOP } })).toBe(before);
  });

  it("GIVEN every subscribed topic WHEN a signed delivery arrives THEN each route answers 200", async () => {
    const payloads: Record<string, unknown> = {
      "products/create": product,
      "products/delete": { id: 1 },
      "inventory_levels/update": { inventory_item_id: 5, location_id: 9, available: 3, updated_at: "2026-11-01T10:00:00Z" },
      "collections/update": { id: 77, title: "Rainwear", updated_at: "2026-11-01T10:00:00Z" },
      "shop/update": { id: 1, name: "Test" },
      "bulk_operations/finish": { admin_graphql_api_id: "gid://shopify/BulkOperation/1", status: "completed" },
      "customers/data_request": { shop_domain: SHOP, customer: { id: 42 }, data_request: { id: 1 } },
      "customers/redact": { shop_domain: SHOP, customer: { id: 42 }, orders_to_redact: [] },
      "app/uninstalled": { id: 1, domain: SHOP },
      "shop/redact": { shop_id: 1, shop_domain: SHOP },
    };
    for (const [topic, payload] of Object.entries(payloads)) {
      const { url, init } = signedWebhook(server.url, { topic, shop: SHOP, payload, secret: server.secret });
      const response = await fetch(url, init);
      expect(response.status, topic).toBe(200);
    }
  });
});

describe("demo server", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ demo: true });
  });
  afterAll(async () => server?.stop());

  it("serves / and /app with 200, the admin saying it is a demo", async () => {
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    const admin = await fetch(`${server.url}/app`);
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain("Demo mode");
  });
});

describe("real (non-demo) server", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.stop());

  it("does not let a request switch demo mode on: /app without Shopify auth never shows the demo", async () => {
    const response = await fetch(`${server.url}/app?demo=1`, { headers: { "X-Groundwork-Demo": "1" }, redirect: "manual" });
    expect(response.status).not.toBe(200);
    expect([302, 401, 410]).toContain(response.status);
  });
});
