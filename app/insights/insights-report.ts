/** The Insights page's tables and the CSV export, for one shop over a window of days. */
import type { Db } from "../db/open-database";
import { toCsv } from "./csv";
import { dayKey, lastDays, ratio, startOfDays } from "./stats";
import { clusterRefusals, topQuestions, type RefusalTheme, type TopQuestion } from "./themes";

export interface FeedbackRow {
  answerId: string;
  createdAt: string;
  rating: 1 | -1;
  reason: string | null;
  question: string;
  answer: string;
  refused: boolean;
}

export interface InsightsReport {
  days: number;
  questions: number;
  refused: number;
  topQuestions: TopQuestion[];
  themes: RefusalTheme[];
  feedback: { up: number; down: number; rows: FeedbackRow[]; reasons: { reason: string; count: number }[] };
  daily: { day: string; questions: number; refused: number; answerRate: number | null }[];
}

export const INSIGHTS_WINDOWS = [7, 30, 90] as const;

/** Distinct option names (Size, Color, ...) across the shop's products. */
export async function loadOptionNames(db: Db, shop: string, limit = 2000): Promise<string[]> {
  const rows = await db.catalogItem.findMany({ where: { shop, sourceType: "product" }, select: { data: true }, take: limit, orderBy: { id: "asc" } });
  const names = new Set<string>();
  for (const r of rows) {
    try {
      const product = JSON.parse(r.data) as { options?: { name?: unknown }[] };
      for (const o of product.options ?? []) if (typeof o.name === "string" && o.name && o.name !== "Title") names.add(o.name);
    } catch {
      // A malformed row is the sync's problem to report; it just adds no option names here.
    }
  }
  return [...names].sort();
}

export async function loadProductTitles(db: Db, shop: string, handles: string[]): Promise<Map<string, string>> {
  if (handles.length === 0) return new Map();
  const rows = await db.catalogItem.findMany({ where: { shop, sourceType: "product", handle: { in: handles } }, select: { handle: true, title: true } });
  return new Map(rows.filter((r) => r.handle).map((r) => [r.handle as string, r.title]));
}

export async function loadInsights(db: Db, shop: string, now: Date, days = 30): Promise<InsightsReport> {
  const since = startOfDays(now, days);
  const [answers, feedback, optionNames] = await Promise.all([
    db.answerLog.findMany({
      where: { shop, createdAt: { gte: since, lte: now } },
      select: { id: true, question: true, refused: true, productHandle: true, createdAt: true },
    }),
    db.feedback.findMany({ where: { shop, createdAt: { gte: since, lte: now } }, orderBy: { createdAt: "desc" } }),
    loadOptionNames(db, shop),
  ]);
  const refusedRows = answers.filter((a) => a.refused);
  const handles = [...new Set(refusedRows.map((a) => a.productHandle).filter((h): h is string => Boolean(h)))];
  const titles = await loadProductTitles(db, shop, handles);

  // The latest rows are shown with the question and answer they rate (which may predate the window).
  const shown = feedback.slice(0, 50);
  const texts = shown.length
    ? await db.answerLog.findMany({ where: { shop, id: { in: [...new Set(shown.map((f) => f.answerLogId))] } }, select: { id: true, question: true, answer: true, refused: true } })
    : [];
  const answerTexts = new Map(texts.map((t) => [t.id, t]));

  const reasons = new Map<string, number>();
  for (const f of feedback) {
    const r = f.reason?.trim();
    if (r) reasons.set(r, (reasons.get(r) ?? 0) + 1);
  }

  const byDay = new Map(lastDays(now, days).map((day) => [day, { day, questions: 0, refused: 0, answerRate: null as number | null }]));
  for (const a of answers) {
    const p = byDay.get(dayKey(a.createdAt));
    if (!p) continue;
    p.questions += 1;
    if (a.refused) p.refused += 1;
  }

  return {
    days,
    questions: answers.length,
    refused: refusedRows.length,
    topQuestions: topQuestions(answers, 20),
    themes: clusterRefusals(refusedRows, { titles, optionNames }),
    feedback: {
      up: feedback.filter((f) => f.rating > 0).length,
      down: feedback.filter((f) => f.rating < 0).length,
      rows: shown.map((f) => {
        const a = answerTexts.get(f.answerLogId);
        return {
          answerId: f.answerLogId,
          createdAt: f.createdAt.toISOString(),
          rating: f.rating > 0 ? 1 : -1,
          reason: f.reason,
          question: a?.question ?? "",
          answer: a?.answer ?? "",
          refused: a?.refused ?? false,
        };
      }),
      reasons: [...reasons.entries()].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    },
    daily: [...byDay.values()].map((p) => ({ ...p, answerRate: ratio(p.questions - p.refused, p.questions) })),
  };
}

export const EXPORT_COLUMNS = [
  "created_at",
  "surface",
  "locale",
  "question",
  "product_handle",
  "intent",
  "refused",
  "answer",
  "model",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "latency_ms",
  "rating",
  "feedback_reason",
] as const;

/** Every answer of the window with its rating, oldest first, as CSV text. */
export async function exportAnswersCsv(db: Db, shop: string, now: Date, days = 30): Promise<string> {
  const since = startOfDays(now, days);
  const [answers, feedback] = await Promise.all([
    db.answerLog.findMany({ where: { shop, createdAt: { gte: since, lte: now } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    db.feedback.findMany({ where: { shop, createdAt: { gte: since } }, select: { answerLogId: true, rating: true, reason: true } }),
  ]);
  const ratings = new Map(feedback.map((f) => [f.answerLogId, f]));
  return toCsv(
    EXPORT_COLUMNS,
    answers.map((a) => {
      const f = ratings.get(a.id);
      return [
        a.createdAt,
        a.surface,
        a.locale,
        a.question,
        a.productHandle,
        a.intent,
        a.refused ? "yes" : "no",
        a.answer,
        a.model,
        a.inputTokens,
        a.outputTokens,
        a.costUsd,
        a.latencyMs,
        f ? (f.rating > 0 ? "up" : "down") : "",
        f?.reason ?? "",
      ];
    }),
  );
}
