/**
 * Writing what shoppers asked and what they thought of it. The answering pipeline
 * calls `recordAnswer` once per answer shown (or refused); the storefront calls
 * `recordFeedback` for a thumbs up or down.
 */
import type { AnswerResult, AnswerSource } from "../answering/types";
import type { Db } from "../db/open-database";
import type { ChatMessage } from "../providers/types";
import type { QueryUnderstanding } from "../retrieval/understand-query";
import { scrubPersonalData } from "./scrub-personal-data";

export interface AnswerValidationSummary {
  ok: boolean;
  problems: { code: string; message: string }[];
}

export interface RecordAnswerInput {
  id: string;
  shop: string;
  surface: string;
  question: string;
  locale: string;
  productHandle?: string | null;
  result: AnswerResult;
  sources: AnswerSource[];
  validation: AnswerValidationSummary;
  clientHash?: string | null;
  /** Who wrote the answer (phase 3 routing) and why; default the teacher, unrouted. */
  tier?: string;
  routeReason?: string | null;
  /** The teacher LLM's exact messages: stored with the full sources as a distillation trace. */
  teacherPrompt?: ChatMessage[] | null;
  /** What query understanding read, stored with a trace so other answerers can be judged on the same request. */
  understanding?: QueryUnderstanding;
  /** For imports and tests; defaults to now. */
  createdAt?: Date;
}

/** A teacher trace: what the teacher was sent, with the sources its claims are checked against. */
export interface StoredTrace {
  messages: ChatMessage[];
  sources: AnswerSource[];
  understanding?: QueryUnderstanding;
  /** Listings and complements: every product meeting the constraints, which the teacher's prompt counted. */
  matches?: AnswerResult["matches"];
}

/** The question as the shopper typed it is replaced, inside the prompt too, by its scrubbed form. */
function scrubbedTrace(question: string, scrubbed: string, input: RecordAnswerInput & { teacherPrompt: ChatMessage[] }): string {
  const clean = input.teacherPrompt.map((m) => (m.role === "user" && question !== scrubbed ? { ...m, content: m.content.split(question).join(scrubbed) } : m));
  const understanding = input.understanding ? { ...input.understanding, searchText: scrubPersonalData(input.understanding.searchText) } : undefined;
  return JSON.stringify({ messages: clean, sources: input.sources, understanding, matches: input.result.matches } satisfies StoredTrace);
}

/** What is kept of a source: enough to show and audit it, not its whole text. */
export interface LoggedSource {
  id: string;
  type: AnswerSource["type"];
  title: string;
  url: string;
  score: number;
  productHandle?: string;
}

export function logSourcesOf(sources: AnswerSource[]): LoggedSource[] {
  return sources.map((s) => ({
    id: s.id,
    type: s.type,
    title: s.title,
    url: s.url,
    score: s.score,
    ...(s.product ? { productHandle: s.product.handle } : {}),
  }));
}

/**
 * Writes the AnswerLog row and, in the same transaction, the answer's chat call in the
 * usage ledger (ref = answer id), so the pipeline does not record that call twice.
 */
export async function recordAnswer(db: Db, input: RecordAnswerInput): Promise<void> {
  const { result } = input;
  const createdAt = input.createdAt ?? new Date();
  const question = scrubPersonalData(input.question);
  await db.$transaction([
    db.answerLog.create({
      data: {
        id: input.id,
        shop: input.shop,
        surface: input.surface,
        question,
        locale: input.locale,
        productHandle: input.productHandle ?? null,
        intent: result.intent,
        answer: result.answer,
        refused: result.refused,
        citations: JSON.stringify(result.citations),
        sources: JSON.stringify(logSourcesOf(input.sources)),
        validation: JSON.stringify(input.validation),
        model: result.usage.model,
        inputTokens: result.usage.inputTokens,
        outputTokens: result.usage.outputTokens,
        costUsd: result.usage.costUsd,
        latencyMs: Math.round(result.usage.latencyMs),
        clientHash: input.clientHash ?? null,
        tier: input.tier ?? "teacher",
        routeReason: input.routeReason ?? null,
        trace: input.teacherPrompt ? scrubbedTrace(input.question, question, { ...input, teacherPrompt: input.teacherPrompt }) : null,
        createdAt,
      },
    }),
    db.usageEvent.create({
      data: {
        shop: input.shop,
        kind: "chat",
        model: result.usage.model,
        inputTokens: result.usage.inputTokens,
        outputTokens: result.usage.outputTokens,
        costUsd: result.usage.costUsd,
        latencyMs: Math.round(result.usage.latencyMs),
        ref: input.id,
        createdAt,
      },
    }),
  ]);
}

export type FeedbackErrorCode = "answer_not_found" | "invalid_rating" | "reason_too_long";

export class FeedbackError extends Error {
  constructor(
    readonly code: FeedbackErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "FeedbackError";
  }
}

export interface RecordFeedbackInput {
  shop: string;
  answerLogId: string;
  rating: 1 | -1;
  reason?: string | null;
  createdAt?: Date;
}

export const MAX_FEEDBACK_REASON = 500;

/**
 * One rating per answer: a second vote replaces the first. Feedback for an answer of
 * another shop is refused exactly like an unknown id, so ids reveal nothing.
 */
export async function recordFeedback(db: Db, input: RecordFeedbackInput): Promise<{ id: number; replaced: boolean }> {
  if (input.rating !== 1 && input.rating !== -1) throw new FeedbackError("invalid_rating", "Rating must be 1 (helpful) or -1 (not helpful).");
  const reason = input.reason?.trim() || null;
  if (reason && reason.length > MAX_FEEDBACK_REASON) {
    throw new FeedbackError("reason_too_long", `Please keep the reason under ${MAX_FEEDBACK_REASON} characters.`);
  }
  const answer = await db.answerLog.findFirst({ where: { id: input.answerLogId, shop: input.shop }, select: { id: true } });
  if (!answer) throw new FeedbackError("answer_not_found", "That answer was not found; it may have expired.");
  const existing = await db.feedback.findFirst({ where: { shop: input.shop, answerLogId: input.answerLogId } });
  if (existing) {
    await db.feedback.update({ where: { id: existing.id }, data: { rating: input.rating, reason } });
    return { id: existing.id, replaced: true };
  }
  const row = await db.feedback.create({
    data: { shop: input.shop, answerLogId: input.answerLogId, rating: input.rating, reason, ...(input.createdAt ? { createdAt: input.createdAt } : {}) },
  });
  return { id: row.id, replaced: false };
}

/** Deletes questions, answers and feedback older than the shop's retention window. */
export async function purgeExpired(db: Db, shop: string, retentionDays: number, now: Date = new Date()): Promise<{ answers: number; feedback: number }> {
  if (!Number.isFinite(retentionDays) || retentionDays < 1) throw new RangeError("retentionDays must be at least 1");
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const expired = await db.answerLog.findMany({ where: { shop, createdAt: { lt: cutoff } }, select: { id: true } });
  const ids = expired.map((a) => a.id);
  let feedback = (await db.feedback.deleteMany({ where: { shop, createdAt: { lt: cutoff } } })).count;
  // Feedback given after the cutoff on an expired answer goes with its answer; in slices to stay under bind limits.
  for (let i = 0; i < ids.length; i += 500) {
    feedback += (await db.feedback.deleteMany({ where: { shop, answerLogId: { in: ids.slice(i, i + 500) } } })).count;
    await deleteDistillRowsOf(db, shop, ids.slice(i, i + 500));
  }
  const answers = await db.answerLog.deleteMany({ where: { shop, createdAt: { lt: cutoff } } });
  return { answers: answers.count, feedback };
}

/**
 * Traces (the teacher's prompts and full sources) have their own, usually shorter, retention:
 * after it the answer stays for insights but no longer feeds distillation.
 */
export async function purgeExpiredTraces(db: Db, shop: string, traceRetentionDays: number, now: Date = new Date()): Promise<number> {
  if (!Number.isFinite(traceRetentionDays) || traceRetentionDays < 1) throw new RangeError("traceRetentionDays must be at least 1");
  const cutoff = new Date(now.getTime() - traceRetentionDays * 86_400_000);
  const expired = await db.answerLog.findMany({ where: { shop, createdAt: { lt: cutoff }, trace: { not: null } }, select: { id: true } });
  const ids = expired.map((a) => a.id);
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    await db.$transaction([
      db.distillExample.deleteMany({ where: { shop, answerLogId: { in: slice } } }),
      db.answerLog.updateMany({ where: { shop, id: { in: slice } }, data: { trace: null } }),
    ]);
  }
  return ids.length;
}

/** The phase 3 rows that point at these answers: dataset membership, gate and shadow results. */
export async function deleteDistillRowsOf(db: Db, shop: string, answerLogIds: string[]): Promise<void> {
  if (answerLogIds.length === 0) return;
  await db.$transaction([
    db.distillExample.deleteMany({ where: { shop, answerLogId: { in: answerLogIds } } }),
    db.distillEvalResult.deleteMany({ where: { shop, answerLogId: { in: answerLogIds } } }),
    db.distillShadowResult.deleteMany({ where: { shop, answerLogId: { in: answerLogIds } } }),
  ]);
}
