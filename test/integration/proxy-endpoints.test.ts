/**
 * The storefront endpoints over HTTP against the real, built server in real
 * (non-demo) mode, seeded with `groundwork import` before it starts. Requests
 * are signed the way Shopify's app proxy signs them.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnswerResult } from "../../app/answering/types";
import { openDatabase, type Db } from "../../app/db/open-database";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { repoRoot, startTestServer, type TestServer } from "../support/server";
import { appProxyQuery } from "../support/shopify-signing";

const SHOP_A = "proxy-a.myshopify.com";
const SHOP_B = "proxy-b.myshopify.com";
const RATE_LIMIT = 5;

const variant = (id: number, size: string) => ({ id, title: size, option1: size, price: "120.00", sku: `HRS-${size}`, inventory_quantity: 5, inventory_management: "shopify" });
const catalogA = {
  products: [
    {
      id: 9001,
      title: "Harbour Rain Shell",
      handle: "harbour-rain-shell",
      body_html: "<p>A waterproof 3-layer rain shell with taped seams.</p>",
      vendor: "Proxy Test",
      product_type: "Jackets",
      status: "active",
      published_at: "2026-01-01T00:00:00Z",
      tags: "rain, waterproof",
      options: [{ name: "Size", values: ["S", "M", "L"] }],
      variants: [variant(90011, "S"), variant(90012, "M"), variant(90013, "L")],
    },
    {
      id: 9002,
      title: "Trail <script>alert(1)</script> Cap",
      handle: "trail-cap",
      body_html: "<p>A cotton cap.</p><script>window.__xss = 1</script>",
      vendor: "Proxy Test",
      product_type: "Hats",
      status: "active",
      published_at: "2026-01-01T00:00:00Z",
      options: [{ name: "Title", values: ["Default Title"] }],
      variants: [{ id: 90021, title: "Default Title", price: "25.00", inventory_quantity: 3, inventory_management: "shopify" }],
    },
  ],
};

interface AskBody extends AnswerResult {
  answerId: string;
}

describe("storefront endpoints behind the app proxy, over HTTP", () => {
  let server: TestServer;
  let database: TestDatabase;
  let dataDir: string;
  let db: Db;
  let ip = 0;
  /** A fresh client address per test, so the rate limit of one test never touches another. */
  const nextIp = () => `203.0.113.${++ip}`;

  function proxyUrl(endpoint: string, shop: string, options: { secret?: string; timestamp?: number; extra?: Record<string, string> } = {}) {
    return `${server.url}/proxy/${endpoint}?${appProxyQuery({ shop, secret: options.secret ?? server.secret, timestamp: options.timestamp, extra: options.extra })}`;
  }

  function ask(shop: string, body: unknown, options: { ip?: string; accept?: string; secret?: string; timestamp?: number } = {}) {
    return fetch(proxyUrl("ask", shop, options), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: options.accept ?? "application/json", "X-Forwarded-For": options.ip ?? nextIp() },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "gw-proxy-"));
    database = await createTestDatabase();
    writeFileSync(path.join(dataDir, "catalog-a.json"), JSON.stringify(catalogA));
    writeFileSync(path.join(dataDir, "notes-b.jsonl"), `${JSON.stringify({ id: "care", title: "Care notes", text: "Wash wool by hand in cold water.", url: "/pages/care" })}\n`);
    const env = { ...process.env, GROUNDWORK_DATA_DIR: dataDir, DATABASE_URL: database.url };
    for (const [shop, file] of [
      [SHOP_A, "catalog-a.json"],
      [SHOP_B, "notes-b.jsonl"],
    ]) {
      const run = spawnSync(process.execPath, [path.join(repoRoot, "bin/groundwork.mjs"), "import", "--shop", shop, path.join(dataDir, file)], { cwd: repoRoot, env, encoding: "utf8", timeout: 120_000 });
      expect(run.status, run.stderr).toBe(0);
    }
    server = await startTestServer({ database, env: { GROUNDWORK_DATA_DIR: dataDir, GROUNDWORK_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) } });
    db = openDatabase(database.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("GIVEN a signed question about a product WHEN asked THEN 200 with a cited answer, an answer id and no caching", async () => {
    const response = await ask(SHOP_A, { question: "Does the Harbour Rain Shell come in size M?" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as AskBody;
    expect(body.refused).toBe(false);
    expect(body.answer).toMatch(/\bM\b/);
    expect(body.citations.map((c) => c.url)).toContain("/products/harbour-rain-shell");
    expect(body.answerId).toMatch(/^[\w-]{8,}$/);
    expect(response.headers.get("x-groundwork-answer-id")).toBe(body.answerId);
    const logged = await db.answerLog.findUnique({ where: { id: body.answerId } });
    expect(logged).toMatchObject({ shop: SHOP_A, surface: "storefront" });
    expect(logged?.clientHash).toMatch(/^[0-9a-f]{32}$/);
  });

  it("GIVEN a missing, wrongly signed or stale signature THEN 400 invalid_signature and nothing is answered", async () => {
    const before = await db.answerLog.count();
    const body = JSON.stringify({ question: "Does the Harbour Rain Shell come in size M?" });
    const missing = await fetch(`${server.url}/proxy/ask?shop=${SHOP_A}&timestamp=${Math.floor(Date.now() / 1000)}`, { method: "POST", body });
    const wrong = await ask(SHOP_A, body, { secret: "not-the-app-secret" });
    const stale = await ask(SHOP_A, body, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    const tampered = await fetch(proxyUrl("ask", SHOP_A).replace(SHOP_A, SHOP_B), { method: "POST", body });
    for (const response of [missing, wrong, stale, tampered]) {
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_signature");
    }
    const questions = await fetch(`${server.url}/proxy/questions?shop=${SHOP_A}&product=harbour-rain-shell`);
    expect(questions.status).toBe(400);
    expect(await db.answerLog.count()).toBe(before);
  });

  it("GIVEN a body naming another shop THEN the signed shop answers, from its own catalog only", async () => {
    const asA = (await (await ask(SHOP_A, { question: "Does the Harbour Rain Shell come in size M?", shop: SHOP_B })).json()) as AskBody;
    expect(asA.citations.map((c) => c.url)).toContain("/products/harbour-rain-shell");
    expect((await db.answerLog.findUnique({ where: { id: asA.answerId } }))?.shop).toBe(SHOP_A);

    const asB = (await (await ask(SHOP_B, { question: "Does the Harbour Rain Shell come in size M?", shop: SHOP_A })).json()) as AskBody;
    expect(asB.citations.map((c) => c.url)).not.toContain("/products/harbour-rain-shell");
    expect(asB.products).toEqual([]);
    expect((await db.answerLog.findUnique({ where: { id: asB.answerId } }))?.shop).toBe(SHOP_B);
  });

  it("answers too-long questions, oversized bodies and bad JSON with clear errors", async () => {
    const long = await ask(SHOP_A, { question: "Is it warm? ".repeat(50) });
    expect(long.status).toBe(413);
    expect(await long.json()).toEqual({ error: { code: "question_too_long", message: expect.stringMatching(/under 500 characters/) } });

    const huge = await ask(SHOP_A, { question: "hi", padding: "x".repeat(9 * 1024) });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe("body_too_large");

    const bad = await ask(SHOP_A, "{question: nope");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: "invalid_json", message: "The request body must be JSON." } });

    const wrongType = await ask(SHOP_A, { question: ["a"] });
    expect(wrongType.status).toBe(400);
    expect(((await wrongType.json()) as { error: { code: string; message: string } }).error).toEqual({ code: "invalid_request", message: "question must be text" });
  });

  it(`GIVEN ${RATE_LIMIT} questions a minute per shopper WHEN one more comes THEN 429 with Retry-After, and other shoppers still get answers`, async () => {
    const shopper = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMIT; i++) statuses.push((await ask(SHOP_A, { question: `What sizes does the Harbour Rain Shell come in? (${i})` }, { ip: shopper })).status);
    expect(statuses).toEqual([...Array(RATE_LIMIT).fill(200), 429]);
    const limited = await ask(SHOP_A, { question: "One more?" }, { ip: shopper });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(/try again in \d+ seconds/) } });
    expect((await ask(SHOP_A, { question: "Does the Harbour Rain Shell come in size L?" })).status).toBe(200);
  });

  it("streams delta events then done with the answer and its id when the client accepts text/event-stream", async () => {
    const response = await ask(SHOP_A, { question: "Does the Harbour Rain Shell come in size L?" }, { accept: "text/event-stream, application/json" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toContain("no-store");
    const frames = (await response.text())
      .trim()
      .split("\n\n")
      .map((frame) => {
        const [event, data] = frame.split("\n");
        return { event: event.replace("event: ", ""), data: JSON.parse(data.replace("data: ", "")) as Record<string, unknown> };
      });
    const kinds = frames.map((f) => f.event);
    expect(kinds.at(-1)).toBe("done");
    expect(kinds.slice(0, -1).length).toBeGreaterThan(1);
    expect(new Set(kinds.slice(0, -1))).toEqual(new Set(["delta"]));
    const done = frames.at(-1)!.data as unknown as AskBody;
    expect(frames.slice(0, -1).map((f) => f.data.text).join("")).toBe(done.answer);
    expect(done.citations.map((c) => c.url)).toContain("/products/harbour-rain-shell");
    expect(await db.answerLog.count({ where: { id: done.answerId, shop: SHOP_A } })).toBe(1);
  });

  it("GIVEN an answer of shop A WHEN shop B rates it THEN 404; shop A's rating is kept once, the later one replacing the earlier", async () => {
    const answer = (await (await ask(SHOP_A, { question: "Does the Harbour Rain Shell come in size S?" })).json()) as AskBody;
    const rate = (shop: string, body: unknown) =>
      fetch(proxyUrl("feedback", shop), { method: "POST", headers: { "Content-Type": "application/json", "X-Forwarded-For": nextIp() }, body: JSON.stringify(body) });

    const foreign = await rate(SHOP_B, { answerId: answer.answerId, rating: "up" });
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe("answer_not_found");
    expect(await db.feedback.count({ where: { answerLogId: answer.answerId } })).toBe(0);

    expect(await (await rate(SHOP_A, { answerId: answer.answerId, rating: "up" })).json()).toEqual({ ok: true, replaced: false });
    expect(await (await rate(SHOP_A, { answerId: answer.answerId, rating: "down", reason: "Wanted the fit" })).json()).toEqual({ ok: true, replaced: true });
    const rows = await db.feedback.findMany({ where: { answerLogId: answer.answerId } });
    expect(rows.map((r) => [r.shop, r.rating, r.reason])).toEqual([[SHOP_A, -1, "Wanted the fit"]]);

    const invalid = await rate(SHOP_A, { answerId: answer.answerId, rating: "meh" });
    expect(invalid.status).toBe(400);
  });

  it("suggests questions from the product's options and from what different shoppers asked", async () => {
    const popular = "Is the Harbour Rain Shell waterproof?";
    for (const ipAddress of [nextIp(), nextIp()]) {
      expect((await ask(SHOP_A, { question: popular, productHandle: "harbour-rain-shell" }, { ip: ipAddress })).status).toBe(200);
    }
    const response = await fetch(proxyUrl("questions", SHOP_A, { extra: { product: "harbour-rain-shell", locale: "en" } }), { headers: { "X-Forwarded-For": nextIp() } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { questions } = (await response.json()) as { questions: string[] };
    expect(questions[0]).toBe(popular);
    expect(questions).toContain("Does it come in L?");

    const french = (await (await fetch(proxyUrl("questions", SHOP_A, { extra: { product: "harbour-rain-shell", locale: "fr" } }))).json()) as { questions: string[] };
    expect(french.questions).toContain("Existe-t-il en L ?");
    expect(french.questions).not.toContain(popular);
  });

  it("GIVEN product text with <script> WHEN it comes back THEN as escaped JSON, never as markup", async () => {
    const response = await ask(SHOP_A, { question: "How much is the Trail Cap?", productHandle: "trail-cap" });
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const raw = await response.text();
    const body = JSON.parse(raw) as AskBody;
    const titles = [...body.citations.map((c) => c.title), ...body.products.map((p) => p.title)];
    expect(titles).toContain("Trail <script>alert(1)</script> Cap");
    expect(body.answer).toContain("<script>");
    expect(raw).toContain("\\u003cscript\\u003e");
    expect(raw).not.toMatch(/[<>]/);

    const stream = await (await ask(SHOP_A, { question: "How much is the Trail Cap?", productHandle: "trail-cap" }, { accept: "text/event-stream" })).text();
    expect(stream).toContain("\\u003cscript\\u003e");
    expect(stream).not.toMatch(/[<>]/);
  });

  it("never serves the demo storefront preview or the demo proxy in a real install", async () => {
    expect((await fetch(`${server.url}/products/harbour-rain-shell`)).status).toBe(404);
    expect((await fetch(`${server.url}/cart.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/extension-assets/groundwork-loader.js`)).status).toBe(404);
    const demoProxy = await fetch(`${server.url}/apps/groundwork/ask`, { method: "POST", body: JSON.stringify({ question: "hi" }) });
    expect(demoProxy.status).toBe(404);
    const home = await fetch(`${server.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('action="/auth/login"');
  });
});
