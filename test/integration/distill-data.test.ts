/**
 * Phase 3's stored data: the cost report computed from a seeded usage ledger, checked to the
 * cent; `groundwork distill report --json` reading the gate table from stored traces and the
 * ledger; and redaction: after customers/redact and shop/redact no trace, dataset row, gate or
 * shadow result, or export holds that data.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleProduct, sampleVariant } from "../../app/answering/sample-catalog";
import type { AnswerSource, Intent } from "../../app/answering/types";
import { main } from "../../app/cli/main";
import { loadConfig } from "../../app/config";
import { migrateDatabase } from "../../app/db/open-database";
import { recordAnswer } from "../../app/insights/answer-log";
import { recordUsage } from "../../app/insights/usage-ledger";
import { customerClientHash, deleteShopData, redactCustomer } from "../../app/jobs/handlers";
import { loadCostReport } from "../../app/phases/distill/cost-report";
import { exportDatasetJsonl, refreshDataset } from "../../app/phases/distill/dataset";
import { loadGateReport } from "../../app/phases/distill/gate";
import { createServices, type Services } from "../../app/services";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { HashedWordsEmbedder } from "../support/hashed-words-embedder";
import { repoRoot } from "../support/server";

const SHOP = "distill-data.myshopify.com";
const OTHER = "distill-other.myshopify.com";
const mug = sampleProduct({ handle: "camp-mug", title: "Camp Mug", variants: [sampleVariant("v1", { Color: "Blue" }, 18, true)] });
const source: AnswerSource = { id: "S1", type: "product", title: mug.title, url: "/products/camp-mug", text: "A sturdy enamel mug.", score: 1, product: mug };

let seq = 0;
async function answer(
  services: Services,
  shop: string,
  opts: { intent: Intent; tier?: string; costUsd: number; question?: string; clientHash?: string | null; trace?: boolean; at?: Date },
): Promise<string> {
  const id = `a-${++seq}`;
  const question = opts.question ?? `What does the camp mug cost, variant ${seq}?`;
  await recordAnswer(services.db, {
    id,
    shop,
    surface: "storefront",
    question,
    locale: "en",
    productHandle: mug.handle,
    result: {
      answer: "The Camp Mug is 18.00 USD [S1].",
      refused: false,
      intent: opts.intent,
      citations: [{ id: "S1", type: "product", title: mug.title, url: source.url }],
      products: [],
      usage: { model: opts.tier && opts.tier !== "teacher" ? "student-model" : "gpt-4o-mini", inputTokens: 1000, outputTokens: 100, costUsd: opts.costUsd, latencyMs: 900 },
    },
    sources: [source],
    validation: { ok: true, problems: [] },
    clientHash: opts.clientHash ?? null,
    tier: opts.tier ?? "teacher",
    teacherPrompt: opts.trace === false ? null : [
      { role: "system", content: "rules" },
      { role: "user", content: `<sources>…</sources>\n<question>\n${question}\n</question>` },
    ],
    createdAt: opts.at,
  });
  return id;
}

describe("phase 3 stored data", () => {
  let database: TestDatabase;
  let services: Services;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    dataDir = mkdtempSync(path.join(os.tmpdir(), "gw-distill-data-"));
    services = createServices(loadConfig({ DATABASE_URL: database.url, GROUNDWORK_DATA_DIR: dataDir }, { requireShopify: false }), { embedder: new HashedWordsEmbedder("distill-data", 32) });
  });
  afterAll(async () => {
    await services?.close();
    await database?.drop();
  });

  it("GIVEN a seeded ledger THEN every figure of the cost report is computed from it, to the cent", async () => {
    const shop = "distill-cost.myshopify.com";
    const now = new Date("2026-11-20T12:00:00Z");
    const day = (d: number) => new Date(now.getTime() - d * 86_400_000);
    await answer(services, shop, { intent: "product_fact", costUsd: 0.4, at: day(40) });
    await answer(services, shop, { intent: "product_fact", costUsd: 0.6, at: day(10) });
    await answer(services, shop, { intent: "policy", costUsd: 1.0, at: day(9) });
    for (let i = 0; i < 3; i++) await answer(services, shop, { intent: "product_fact", tier: "local", costUsd: 0, trace: false, at: day(5) });
    for (let i = 0; i < 2; i++) await answer(services, shop, { intent: "policy", tier: "student", costUsd: 0.05, trace: false, at: day(3) });
    await recordUsage(services.db, { shop, kind: "training", model: "base", inputTokens: 0, outputTokens: 0, costUsd: 2.0, latencyMs: 0, ref: "distill-training:job-1", createdAt: day(8) });
    await recordUsage(services.db, { shop, kind: "chat", model: "student-model", inputTokens: 10, outputTokens: 1, costUsd: 0.1, latencyMs: 5, ref: "distill-eval:run:student:a-1", createdAt: day(7) });
    await recordUsage(services.db, { shop, kind: "chat", model: "student-model", inputTokens: 10, outputTokens: 1, costUsd: 0.04, latencyMs: 5, ref: "distill-shadow:a-2", createdAt: day(6) });
    // Another shop's spend never counts.
    await answer(services, OTHER, { intent: "policy", costUsd: 9, at: day(2) });

    const report = await loadCostReport(services.db, shop, null, now);
    const cents = (x: number) => Math.round(x * 100);
    expect(report.teacher.answers).toBe(3);
    expect(cents(report.teacher.costUsd)).toBe(200);
    expect(cents(report.teacher.costPerAnswerUsd)).toBe(67);
    expect(report.routed.answers).toBe(5);
    expect(cents(report.routed.costUsd)).toBe(10);
    expect(report.routed.byTier.local).toEqual({ answers: 3, costUsd: 0 });
    expect(cents(report.routed.byTier.student.costUsd)).toBe(10);
    // 3 product answers at the teacher's $0.50 average + 2 policy answers at $1.00.
    expect(cents(report.teacherEquivalentUsd)).toBe(350);
    expect(cents(report.grossSavingUsd)).toBe(340);
    expect(cents(report.trainingSpendUsd)).toBe(200);
    expect(cents(report.gateSpendUsd)).toBe(10);
    expect(cents(report.shadowSpendUsd)).toBe(4);
    expect(cents(report.netSavingUsd)).toBe(126);
    expect(report.answersLast30Days).toBe(7);
    expect(report.projectedMonthlySavingUsd).toBeNull();
  });

  it("GIVEN stored traces and gate results WHEN `groundwork distill report --json` runs THEN it prints the gate table from them", async () => {
    for (let i = 0; i < 8; i++) await answer(services, SHOP, { intent: "product_fact", costUsd: 0.002, question: `Question number ${i} about the mug ${"abcdefgh"[i]}?` });
    await refreshDataset(services.db, SHOP);
    const held = await services.db.distillExample.findMany({ where: { shop: SHOP, split: "eval" } });
    expect(held.length).toBeGreaterThan(0);
    const runId = "run-cli";
    for (const e of held) {
      await services.db.distillEvalResult.create({
        data: { shop: SHOP, runId, answerLogId: e.answerLogId, tier: "local", intent: e.intent, citationValid: true, claimsValid: true, agreed: true, refusalMatch: true, latencyMs: 3, costUsd: 0 },
      });
      await recordUsage(services.db, { shop: SHOP, kind: "chat", model: "local-composer", inputTokens: 0, outputTokens: 0, costUsd: 0, latencyMs: 3, ref: `distill-eval:${runId}:local:${e.answerLogId}` });
    }
    const lines: string[] = [];
    const code = await main(["--data-dir", dataDir, "distill", "report", "--shop", SHOP, "--json"], { out: (l) => lines.push(l), err: (l) => lines.push(l), env: { ...process.env, DATABASE_URL: database.url } });
    expect(code).toBe(0);
    const printed = JSON.parse(lines.join("\n"));
    const expected = await loadGateReport(services.db, SHOP);
    expect(printed.gate.rows).toEqual(JSON.parse(JSON.stringify(expected.rows)));
    const productRow = printed.gate.rows.find((r: { intent: string }) => r.intent === "product_fact");
    expect(productRow.chosen).toBe("local");
    expect(productRow.teacher.costPer1000Usd).toBeCloseTo(2, 6);
    expect(printed.gate.passed).toBe(true);
    expect(printed.gate.costRatio).toBeNull();
  });

  it("GIVEN a customer's traces in the dataset WHEN customers/redact and then shop/redact run THEN no trace, dataset row, result or export holds their data", async () => {
    const customerHash = customerClientHash(services, SHOP, "777");
    const secret = "Does the violet mug fit a dishwasher for Ms Example?";
    const mine = [];
    for (let i = 0; i < 4; i++) mine.push(await answer(services, SHOP, { intent: "availability", costUsd: 0.001, question: `${secret} ${i} ${"wxyz"[i]}`, clientHash: customerHash }));
    const others = await answer(services, SHOP, { intent: "availability", costUsd: 0.001, question: "Is the green mug in stock at all?" });
    await refreshDataset(services.db, SHOP);
    for (const id of mine) {
      await services.db.distillEvalResult.create({ data: { shop: SHOP, runId: "r", answerLogId: id, tier: "local", intent: "availability", citationValid: true, claimsValid: true, agreed: true, refusalMatch: true, latencyMs: 1, costUsd: 0 } });
      await services.db.distillShadowResult.create({ data: { shop: SHOP, answerLogId: id, tier: "student", intent: "availability", validated: true, refused: false, agreed: true, costUsd: 0, latencyMs: 1 } });
    }
    const exported = (await exportDatasetJsonl(services.db, SHOP, "train")) + (await exportDatasetJsonl(services.db, SHOP, "eval"));
    expect(exported).toContain(secret);

    await redactCustomer(services, SHOP, "777");
    const after = (await exportDatasetJsonl(services.db, SHOP, "train")) + (await exportDatasetJsonl(services.db, SHOP, "eval"));
    expect(after).not.toContain(secret);
    expect(after).toContain("green mug");
    expect(await services.db.answerLog.count({ where: { id: { in: mine } } })).toBe(0);
    for (const table of [services.db.distillExample, services.db.distillEvalResult, services.db.distillShadowResult] as unknown as { count(a: unknown): Promise<number> }[]) {
      expect(await table.count({ where: { answerLogId: { in: mine } } })).toBe(0);
    }
    expect(await services.db.distillExample.count({ where: { answerLogId: others } })).toBe(1);

    await deleteShopData(services, SHOP);
    expect(await exportDatasetJsonl(services.db, SHOP, "train")).toBe("");
    for (const table of ["answerLog", "distillExample", "distillEvalResult", "distillShadowResult", "distillRollout", "usageEvent"] as const) {
      expect(await (services.db[table] as unknown as { count(a: unknown): Promise<number> }).count({ where: { shop: SHOP } })).toBe(0);
    }
    // The other shop is untouched.
    expect(await services.db.answerLog.count({ where: { shop: OTHER } })).toBe(1);
  });
});
