/**
 * The admin's loaders and actions over HTTP against the real, built server: in demo
 * mode (no Shopify auth) every page renders, the CSV downloads, and saving settings
 * with a wrong API key shows the provider's error and stores nothing; a real
 * (non-demo) server refuses /app/* without Shopify authentication.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SHOP } from "../../app/config";
import { openDatabase, type Db } from "../../app/db/open-database";
import { FAKE_API_KEY, startFakeOpenAI, type FakeOpenAI } from "../fakes/openai-server";
import { startTestServer, type TestServer } from "../support/server";

function settingsForm(overrides: Record<string, string> = {}): URLSearchParams {
  const form = new URLSearchParams({
    intent: "save",
    answererKind: "openai-compatible",
    baseUrl: "",
    chatModel: "gpt-4o-mini",
    embeddingModel: "",
    apiKey: "",
    tone: "concise",
    maxAnswerLength: "700",
    refuseOffTopic: "on",
    pages: "all",
    pageHandles: "",
    retentionDays: "60",
    spendThresholdUsd: "250",
    priceTable: "",
    ...overrides,
  });
  for (const p of ["refund", "shipping"]) form.append("policyTypes", p);
  return form;
}

// `_data` asks Remix for the action's JSON instead of the rendered page.
const SETTINGS_DATA = "/app/settings?_data=routes%2Fapp.settings";

describe("admin routes in demo mode", () => {
  let server: TestServer;
  let openai: FakeOpenAI;
  let db: Db;

  beforeAll(async () => {
    [server, openai] = await Promise.all([startTestServer({ demo: true, env: { GROUNDWORK_WORKER: "off" } }), startFakeOpenAI()]);
    db = openDatabase(server.database.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await Promise.all([server?.stop(), openai?.close()]);
  });

  it("renders every admin page", async () => {
    const pages: [string, string][] = [
      ["/app", "Questions per day"],
      ["/app/playground", "Market and language"],
      ["/app/insights", "Unanswered questions, by theme"],
      ["/app/settings", "Test connection"],
      ["/app/phases", "Is inference spend large?"],
    ];
    for (const [path, text] of pages) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toContain(text);
    }
  });

  it("GIVEN the demo store's first import THEN its made-up photo URLs became the app's drawings, which load", async () => {
    const rows = await db.catalogItem.findMany({ where: { shop: DEMO_SHOP, sourceType: "product" }, select: { data: true } });
    const urls = rows.flatMap((r) => (JSON.parse(r.data) as { images: { url: string }[] }).images.map((i) => i.url));
    expect(urls.length).toBeGreaterThan(80);
    expect(urls.every((url) => /^\/demo-images\/[a-z0-9-]+-\d\.svg$/.test(url))).toBe(true);
    const image = await fetch(`${server.url}${urls[0]}`);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
  });

  it("downloads the answers as CSV", async () => {
    const response = await fetch(`${server.url}/app/insights/export?days=7`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="groundwork-answers-.*\.csv"$/);
    expect((await response.text()).split("\r\n")[0]).toMatch(/^created_at,surface,locale,question,/);
  });

  it("GIVEN a wrong API key WHEN settings are saved THEN the provider's error is shown and nothing is stored", async () => {
    const before = await db.shopSettings.findUnique({ where: { shop: DEMO_SHOP } });
    const response = await fetch(`${server.url}${SETTINGS_DATA}`, { method: "POST", body: settingsForm({ baseUrl: openai.url, apiKey: "sk-wrong-key-000000" }) });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({ intent: "save", ok: false, error: { code: "auth" } });
    expect(body.fieldErrors.apiKey).toMatch(/API key was rejected/);
    expect(JSON.stringify(body)).not.toContain("sk-wrong-key-000000");
    expect(await db.shopSettings.findUnique({ where: { shop: DEMO_SHOP } })).toEqual(before);
    // The key really reached the endpoint, and the endpoint said no.
    expect(openai.requests.some((r) => r.headers.authorization === "Bearer sk-wrong-key-000000")).toBe(true);
  });

  it("GIVEN an unknown model WHEN the connection is tested THEN it says which model, and nothing is stored", async () => {
    const response = await fetch(`${server.url}${SETTINGS_DATA}`, { method: "POST", body: settingsForm({ intent: "test", baseUrl: openai.url, apiKey: FAKE_API_KEY, chatModel: "gpt-4o-mnii" }) });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({ intent: "test", ok: false, error: { code: "model_not_found" } });
    expect(body.fieldErrors.chatModel).toContain("gpt-4o-mnii");
    // The demo shop may hold a row for its simulated training provider; the answerer's settings and key are untouched.
    const row = await db.shopSettings.findUnique({ where: { shop: DEMO_SHOP } });
    expect(row?.secrets ?? null).toBeNull();
    expect(row?.data ?? "{}").not.toContain("gpt-4o-mnii");
  });

  it("GIVEN bad input WHEN settings are saved THEN each field gets its error", async () => {
    const response = await fetch(`${server.url}${SETTINGS_DATA}`, { method: "POST", body: settingsForm({ answererKind: "local", retentionDays: "2", maxAnswerLength: "lots" }) });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.fieldErrors).toEqual({ retentionDays: "Keep questions at least 7 days", maxAnswerLength: "Enter a number" });
  });

  it("GIVEN the right key WHEN settings are saved THEN the key is stored encrypted and only a hint comes back", async () => {
    const response = await fetch(`${server.url}${SETTINGS_DATA}`, { method: "POST", body: settingsForm({ baseUrl: openai.url, apiKey: FAKE_API_KEY, embeddingModel: "text-embedding-3-small" }) });
    const body = await response.json();
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ ok: true, view: { apiKey: { hasApiKey: true, hint: `sk-…${FAKE_API_KEY.slice(-4)}` } } });
    expect(body.view.settings).toMatchObject({ tone: "concise", retentionDays: 60, answerer: { embeddingModel: "text-embedding-3-small", embeddingDimensions: 1536 } });
    expect(JSON.stringify(body)).not.toContain(FAKE_API_KEY);
    const row = await db.shopSettings.findUniqueOrThrow({ where: { shop: DEMO_SHOP } });
    expect(row.secrets).toMatch(/^v1\./);
    expect(row.secrets).not.toContain(FAKE_API_KEY);
    expect(row.data).not.toContain(FAKE_API_KEY);

    // The page itself never carries the key either.
    const page = await (await fetch(`${server.url}/app/settings`)).text();
    expect(page).not.toContain(FAKE_API_KEY);
    expect(page).toContain("hasApiKey");

    // A new embedding model re-indexes the shop's catalog with it, and Settings says so.
    expect(body.message).toContain("re-indexed with the new embedding model");
    expect(await db.job.count({ where: { shop: DEMO_SHOP, kind: "index.rebuild", status: "queued" } })).toBe(1);
    expect(page).toContain("Re-indexing with text-embedding-3-small is about to start");

    // A later save with a wrong key keeps the stored, working one.
    const bad = await fetch(`${server.url}${SETTINGS_DATA}`, { method: "POST", body: settingsForm({ baseUrl: openai.url, apiKey: "sk-another-wrong-1111", tone: "formal" }) });
    expect(bad.status).toBe(400);
    expect(await db.shopSettings.findUniqueOrThrow({ where: { shop: DEMO_SHOP } })).toEqual(row);
  });

  it("refuses a locked phase and says what is missing", async () => {
    const response = await fetch(`${server.url}/app/phases?_data=routes%2Fapp.phases`, { method: "POST", body: new URLSearchParams({ phase: "3" }) });
    expect(response.status).toBe(409);
    const body = await response.json();
    expect(body).toMatchObject({ ok: false, code: "phase_locked" });
    expect(body.missing.join(" ")).toMatch(/1,000 logged phase 1 answers/);
  });
});

describe("admin routes on a real (non-demo) server", () => {
  let server: TestServer;
  let db: Db;
  beforeAll(async () => {
    server = await startTestServer({ env: { GROUNDWORK_WORKER: "off" } });
    db = openDatabase(server.database.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  it("refuses /app/* without Shopify authentication and changes nothing", async () => {
    for (const path of ["/app", "/app/insights", "/app/insights/export", "/app/settings", "/app/phases", "/app/playground"]) {
      const response = await fetch(`${server.url}${path}`, { redirect: "manual" });
      expect(response.status, path).not.toBe(200);
      expect([302, 401, 410], path).toContain(response.status);
    }
    const post = await fetch(`${server.url}/app/settings`, { method: "POST", body: settingsForm({ answererKind: "local" }), redirect: "manual" });
    expect(post.status).not.toBe(200);
    expect(await db.shopSettings.count()).toBe(0);
  });
});
