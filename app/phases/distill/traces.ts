/**
 * Teacher traces are answer-log rows that carry the teacher's prompt (the `trace` column),
 * read with their ratings. There is no separate trace store: retention and redaction of the
 * answer log cover them.
 */
import type { Intent } from "../../answering/types";
import type { Db } from "../../db/open-database";
import type { AnswerValidationSummary, StoredTrace } from "../../insights/answer-log";
import type { Trace } from "./types";

export async function loadTraces(db: Db, shop: string, where: { ids?: string[] } = {}): Promise<Trace[]> {
  const rows = await db.answerLog.findMany({
    where: { shop, tier: "teacher", trace: { not: null }, ...(where.ids ? { id: { in: where.ids } } : {}) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const ratings = new Map<string, number>();
  for (let i = 0; i < rows.length; i += 500) {
    const feedback = await db.feedback.findMany({ where: { shop, answerLogId: { in: rows.slice(i, i + 500).map((r) => r.id) } }, select: { answerLogId: true, rating: true } });
    for (const f of feedback) ratings.set(f.answerLogId, f.rating);
  }
  return rows.map((row) => {
    const trace = JSON.parse(row.trace as string) as StoredTrace;
    const validation = JSON.parse(row.validation) as AnswerValidationSummary;
    const citations = JSON.parse(row.citations) as { id: string }[];
    return {
      answerLogId: row.id,
      shop: row.shop,
      question: row.question,
      locale: row.locale,
      intent: row.intent as Intent,
      productHandle: row.productHandle,
      answer: row.answer,
      refused: row.refused,
      citationIds: citations.map((c) => c.id),
      validationOk: validation.ok === true,
      rating: ratings.get(row.id) ?? 0,
      messages: trace.messages,
      sources: trace.sources,
      understanding: trace.understanding,
      matches: trace.matches,
      model: row.model,
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      costUsd: row.costUsd,
      latencyMs: row.latencyMs,
      createdAt: row.createdAt,
    };
  });
}

export async function countTraces(db: Db, shop: string): Promise<number> {
  return db.answerLog.count({ where: { shop, tier: "teacher", trace: { not: null } } });
}
