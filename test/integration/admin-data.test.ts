/**
 * The admin's figures against a real, freshly migrated database holding two shops:
 * every Home figure and series is checked exactly, and nothing of shop B ever
 * appears in shop A's results.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnswerResult } from "../../app/answering/types";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/open-database";
import { FeedbackError, purgeExpired, recordAnswer, recordFeedback } from "../../app/insights/answer-log";
import { loadHomeSummary } from "../../app/insights/home-summary";
import { exportAnswersCsv, loadInsights } from "../../app/insights/insights-report";
import { listProductChoices } from "../../app/insights/product-choices";
import { loadMonthlyUsage, recordUsage } from "../../app/insights/usage-ledger";
import { gatherPhaseSignals } from "../../app/phases/phase-signals";
import { createTestDatabase, type TestDatabase } from "../support/database";

const A = "shop-a.myshopify.com";
const B = "shop-b.myshopify.com";
// Mid-month so the projection is exact: 15.5 of November's 30 days have passed.
const NOW = new Date("2026-11-16T12:00:00Z");
const at = (iso: string) => new Date(iso);
const daysAgo = (d: number, hours = 0) => new Date(NOW.getTime() - d * 86_400_000 - hours * 3_600_000);

function result(over: Partial<AnswerResult> & { refused: boolean }, usage: Partial<AnswerResult["usage"]> = {}): AnswerResult {
  return {
    answer: over.refused ? "I don't know that from the store's data." : "Yes [S1].",
    intent: "product_fact",
    citations: over.refused ? [] : [{ id: "S1", type: "product", title: "Alpine Shell", url: "/products/alpine-shell" }],
    products: [],
    ...over,
    usage: { model: "gpt-4o-mini", inputTokens: 1000, outputTokens: 100, costUsd: 0.01, latencyMs: 100, ...usage },
  };
}

async function answer(db: Db, id: string, shop: string, question: string, createdAt: Date, refused: boolean, usage: Partial<AnswerResult["usage"]> = {}, extra: { productHandle?: string; surface?: string } = {}) {
  await recordAnswer(db, {
    id,
    shop,
    surface: extra.surface ?? "storefront",
    question,
    locale: "en",
    productHandle: extra.productHandle ?? null,
    result: result({ refused }, usage),
    sources: [],
    validation: { ok: true, problems: [] },
    clientHash: "h",
    createdAt,
  });
}

function product(handle: string, title: string, description: string, options: string[] = ["Size"]) {
  return JSON.stringify({ handle, title, descriptionHtml: `<p>${description}</p>`, options: options.map((name) => ({ name, values: ["A"] })) });
}

describe("admin figures over two shops", () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url);
    db = openDatabase(database.url);

    const item = (shop: string, sourceType: string, sourceId: string, title: string, data: string, visible = true, handle: string | null = null) =>
      db.catalogItem.create({ data: { shop, sourceType, sourceId, handle, title, data, visible, contentHash: sourceId, sourceUpdatedAt: NOW } });
    await item(A, "product", "1", "Alpine Shell", product("alpine-shell", "Alpine Shell", "x".repeat(320), ["Size", "Colour"]), true, "alpine-shell");
    await item(A, "product", "2", "Trail Runner", product("trail-runner", "Trail Runner", "short"), true, "trail-runner");
    await item(A, "product", "3", "Wool Beanie", product("wool-beanie", "Wool Beanie", "y".repeat(299)), true, "wool-beanie");
    await item(A, "product", "4", "Draft Parka", product("draft-parka", "Draft Parka", "z".repeat(400)), false, "draft-parka");
    await item(A, "policy", "refund", "Refund policy", "{}");
    await item(A, "policy", "shipping", "Shipping policy", "{}");
    await item(A, "page", "p1", "Size guide", "{}");
    for (let i = 0; i < 6; i++) await item(B, "product", `b${i}`, `B product ${i}`, product(`b-${i}`, `B product ${i}`, "b".repeat(500), ["Flavour"]), true, `b-${i}`);

    await db.webhookDelivery.create({ data: { shop: A, webhookId: "a1", topic: "products/update", receivedAt: daysAgo(0, 1) } });
    await db.webhookDelivery.create({ data: { shop: A, webhookId: "a2", topic: "inventory_levels/update", receivedAt: daysAgo(3) } });
    await db.webhookDelivery.create({ data: { shop: A, webhookId: "a3", topic: "products/create", receivedAt: daysAgo(20) } });
    await db.webhookDelivery.create({ data: { shop: B, webhookId: "b1", topic: "shop/update", receivedAt: daysAgo(0, 0.5) } });

    const job = (shop: string, status: string, key: string) => db.job.create({ data: { shop, kind: "product.upsert", key, status } });
    await job(A, "queued", "a-1");
    await job(A, "queued", "a-2");
    await job(A, "dead", "a-3");
    await job(A, "done", "a-4");
    for (let i = 0; i < 5; i++) await job(B, "queued", `b-${i}`);
    await job(B, "dead", "b-x");

    // Shop A this week: five answers, two refused; latencies 100..1000 ms.
    await answer(db, "a-w1", A, "Is the Alpine Shell waterproof?", at("2026-11-16T09:00:00Z"), false, { latencyMs: 100, costUsd: 0.01 });
    await answer(db, "a-w2", A, "Is there a size chart?", at("2026-11-16T10:00:00Z"), true, { latencyMs: 200, costUsd: 0.02 }, { productHandle: "alpine-shell" });
    await answer(db, "a-w3", A, "is the alpine shell waterproof", at("2026-11-15T10:00:00Z"), false, { latencyMs: 300, costUsd: 0.03 });
    await answer(db, "a-w4", A, "Does it run small?", at("2026-11-13T10:00:00Z"), true, { latencyMs: 400, costUsd: 0.04 }, { productHandle: "trail-runner" });
    await answer(db, "a-w5", A, "Write a description of the beanie", at("2026-11-10T13:00:00Z"), false, { latencyMs: 1000, costUsd: 0.05 }, { surface: "playground" });
    // Outside the week, inside the month and the 30-day series.
    await answer(db, "a-old", A, "=cmd|' /C calc'!A0", at("2026-11-05T08:00:00Z"), false, { latencyMs: 5000, costUsd: 0.1 });
    // Older than the month, still in the 30-day series (Oct 20).
    await recordUsage(db, { shop: A, kind: "embedding", model: "text-embedding-3-small", inputTokens: 100, outputTokens: 0, costUsd: 2, latencyMs: 50, createdAt: at("2026-10-20T12:00:00Z") });
    await recordUsage(db, { shop: A, kind: "embedding", model: "text-embedding-3-small", inputTokens: 100, outputTokens: 0, costUsd: 1, latencyMs: 50, createdAt: at("2026-11-02T12:00:00Z") });
    // Outside everything: two months ago.
    await answer(db, "a-ancient", A, "Do you ship to Canada?", at("2026-09-01T08:00:00Z"), true, { latencyMs: 9000, costUsd: 0.5 });

    await recordFeedback(db, { shop: A, answerLogId: "a-w1", rating: 1, createdAt: daysAgo(0, 2) });
    await recordFeedback(db, { shop: A, answerLogId: "a-w3", rating: 1, createdAt: daysAgo(1) });
    await recordFeedback(db, { shop: A, answerLogId: "a-w2", rating: -1, reason: "No size chart", createdAt: daysAgo(0, 1) });

    // Shop B: busier, slower, pricier; none of it may leak into A's figures.
    for (let i = 0; i < 8; i++) {
      await answer(db, `b-${i}`, B, i % 2 ? "Do you ship to Mars?" : "Flavour of the b-0?", daysAgo(0, i + 1), i % 2 === 1, { latencyMs: 20_000 + i, costUsd: 7 }, { productHandle: "b-0" });
    }
    await recordFeedback(db, { shop: B, answerLogId: "b-0", rating: -1, reason: "B reason" });
    await recordUsage(db, { shop: B, kind: "training", model: "gpt-4o-mini", inputTokens: 1, outputTokens: 1, costUsd: 500, latencyMs: 1, createdAt: daysAgo(1) });
    await db.shopSettings.create({ data: { shop: B, data: JSON.stringify({ spendThresholdUsd: 1, phase: 3 }) } });
  }, 60_000);

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it("computes every Home figure for shop A exactly", async () => {
    const s = await loadHomeSummary(db, A, NOW);
    expect(s.productsIndexed).toBe(3);
    expect(s.contentIndexed).toBe(3);
    expect(s.sync).toEqual({
      itemsBySourceType: { product: 3, policy: 2, page: 1, document: 0 },
      hiddenItems: 1,
      lastWebhook: { topic: "products/update", receivedAt: daysAgo(0, 1).toISOString() },
      jobsQueued: 2,
      jobsDead: 1,
    });
    expect(s.questionsThisWeek).toBe(5);
    expect(s.answerRate).toBeCloseTo(3 / 5, 12);
    expect(s.refusalRate).toBeCloseTo(2 / 5, 12);
    expect(s.thumbsUpRate).toBeCloseTo(2 / 3, 12);
    expect(s.ratingsThisWeek).toBe(3);
    expect(s.p95LatencyMs).toBe(1000);
    // November: five answers this week + the Nov 5 one + the Nov 2 embedding.
    const november = 0.01 + 0.02 + 0.03 + 0.04 + 0.05 + 0.1 + 1;
    expect(s.costThisMonthUsd).toBeCloseTo(november, 10);
    expect(s.projectedMonthUsd).toBeCloseTo(november / (15.5 / 30), 10);
  });

  it("builds the 30-day series for shop A exactly", async () => {
    const { daily } = await loadHomeSummary(db, A, NOW);
    expect(daily).toHaveLength(30);
    expect(daily[0].day).toBe("2026-10-18");
    expect(daily[29].day).toBe("2026-11-16");
    const byDay = Object.fromEntries(daily.map((d) => [d.day, d]));
    expect(byDay["2026-11-16"]).toMatchObject({ questions: 2, answered: 1, answerRate: 0.5 });
    expect(byDay["2026-11-16"].costUsd).toBeCloseTo(0.03, 10);
    expect(byDay["2026-11-15"]).toMatchObject({ questions: 1, answered: 1, answerRate: 1 });
    expect(byDay["2026-11-13"]).toMatchObject({ questions: 1, answered: 0, answerRate: 0 });
    expect(byDay["2026-11-05"]).toMatchObject({ questions: 1, answered: 1 });
    expect(byDay["2026-11-02"]).toMatchObject({ questions: 0, answerRate: null, costUsd: 1 });
    expect(byDay["2026-10-20"].costUsd).toBe(2);
    expect(daily.reduce((n, d) => n + d.questions, 0)).toBe(6);
  });

  it("keeps shop B's figures to shop B", async () => {
    const s = await loadHomeSummary(db, B, NOW);
    expect(s.questionsThisWeek).toBe(8);
    expect(s.sync.lastWebhook?.topic).toBe("shop/update");
    expect(s.sync.jobsQueued).toBe(5);
    expect(s.costThisMonthUsd).toBeCloseTo(8 * 7 + 500, 8);
    const usageA = await loadMonthlyUsage(db, A, NOW);
    expect(usageA.byKind.training.calls).toBe(0);
    expect(usageA.byModel.map((m) => m.model).sort()).toEqual(["gpt-4o-mini", "text-embedding-3-small"]);
  });

  it("refuses feedback on another shop's answer and replaces a second vote", async () => {
    await expect(recordFeedback(db, { shop: A, answerLogId: "b-1", rating: 1 })).rejects.toMatchObject({ code: "answer_not_found" });
    await expect(recordFeedback(db, { shop: A, answerLogId: "nope", rating: 1 })).rejects.toBeInstanceOf(FeedbackError);
    expect(await db.feedback.count({ where: { answerLogId: "b-1" } })).toBe(0);
    const again = await recordFeedback(db, { shop: B, answerLogId: "b-0", rating: 1, reason: "changed my mind" });
    expect(again.replaced).toBe(true);
    expect(await db.feedback.count({ where: { shop: B } })).toBe(1);
  });

  it("reports insights for shop A only, with themes naming the products asked about", async () => {
    const r = await loadInsights(db, A, NOW, 30);
    expect(r.questions).toBe(6);
    expect(r.refused).toBe(2);
    // Two wordings, once each: the tie goes to the first in sort order, so the pick never wobbles.
    expect(r.topQuestions[0]).toEqual({ question: "is the alpine shell waterproof", normalized: "is the alpine shell waterproof", count: 2, refused: 0 });
    expect(r.themes).toHaveLength(1);
    expect(r.themes[0]).toMatchObject({ id: "size-chart", count: 2 });
    expect(r.themes[0].suggestedFix).toBe("Add a size chart (or measurements) to these 2 products: Alpine Shell and Trail Runner.");
    expect(r.feedback).toMatchObject({ up: 2, down: 1, reasons: [{ reason: "No size chart", count: 1 }] });
    expect(r.feedback.rows[0]).toMatchObject({ answerId: "a-w2", question: "Is there a size chart?", rating: -1 });
    const all = JSON.stringify(r);
    expect(all).not.toContain("Mars");
    expect(all).not.toContain("B reason");
    expect(await listProductChoices(db, A)).toEqual([
      { handle: "alpine-shell", title: "Alpine Shell" },
      { handle: "trail-runner", title: "Trail Runner" },
      { handle: "wool-beanie", title: "Wool Beanie" },
    ]);
  });

  it("exports shop A's answers as CSV with formulas defused", async () => {
    const csv = await exportAnswersCsv(db, A, NOW, 30);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("created_at,surface,locale,question,product_handle,intent,refused,answer,model,input_tokens,output_tokens,cost_usd,latency_ms,rating,feedback_reason");
    expect(lines).toHaveLength(7);
    expect(lines[1]).toContain(",'=cmd|' /C calc'!A0,");
    expect(csv).toContain("No size chart");
    expect(csv).not.toContain("Mars");
  });

  it("gathers the advisor's signals for one shop", async () => {
    const a = await gatherPhaseSignals(db, A, NOW);
    expect(a).toMatchObject({
      catalogSize: 3,
      catalogChangeEvents: 2, // the products/create 20 days ago is outside the 14 days
      questionsInWindow: 6,
      longFormRequests: 1,
      productsWithGoodCopy: 1, // 320 characters; 299 is too short; the hidden one does not count
      phase1Answers: 3, // answered, not from the playground
      ratings: 3,
      spendThresholdUsd: 200,
      enabledPhase: 1,
      voiceDrift: null,
    });
    const b = await gatherPhaseSignals(db, B, NOW);
    expect(b).toMatchObject({ catalogSize: 6, catalogChangeEvents: 0, productsWithGoodCopy: 6, spendThresholdUsd: 1, enabledPhase: 3 });
  });

  it("purges only the shop's expired questions and their feedback", async () => {
    const before = await db.answerLog.count({ where: { shop: B } });
    const purged = await purgeExpired(db, A, 30, NOW);
    expect(purged).toEqual({ answers: 1, feedback: 0 });
    expect(await db.answerLog.findUnique({ where: { id: "a-ancient" } })).toBeNull();
    expect(await db.answerLog.count({ where: { shop: A } })).toBe(6);
    expect(await db.answerLog.count({ where: { shop: B } })).toBe(before);
    const byWeek = await purgeExpired(db, A, 7, NOW);
    expect(byWeek.answers).toBe(1); // the Nov 5 one
  });
});
