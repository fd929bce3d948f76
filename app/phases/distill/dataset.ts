/**
 * The distillation dataset: teacher traces whose answer passed validation and was not rated
 * down, near-duplicate questions removed, split per intent into training and a held-out
 * evaluation set. A trace's split is stored once and never changes, so no evaluation example
 * is ever trained on. Training examples are the teacher's own messages (the run-time prompt
 * layout, sources included) with its structured reply, so the student learns to answer from
 * sources and cite them.
 */
import { createHash } from "node:crypto";
import type { Db } from "../../db/open-database";
import { loadTraces } from "./traces";
import type { DatasetExample, DatasetSummary, Split, Trace } from "./types";

export interface DatasetOptions {
  /** Share of each intent held out for the gate (default 0.25). */
  evalFraction: number;
  /** Word-set overlap (Jaccard) at which two questions count as the same (default 0.8). */
  duplicateSimilarity: number;
}

export const DEFAULT_DATASET_OPTIONS: DatasetOptions = { evalFraction: 0.25, duplicateSimilarity: 0.8 };

export function isTrainable(trace: Trace): boolean {
  return trace.validationOk && trace.rating >= 0 && trace.messages.length > 0;
}

/** Words of a question in any script, lowercased; order and punctuation do not matter. */
export function questionWords(question: string): Set<string> {
  return new Set(question.toLowerCase().normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? []);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** The sources an answer cites, by address: the same policy section cited from two pages is the same. */
function citedSourcesOf(trace: Trace): string {
  const cited = new Set(trace.citationIds);
  return trace.sources
    .filter((s) => cited.has(s.id))
    .map((s) => `${s.url}|${s.title}`)
    .sort()
    .join("\n");
}

/** A stable order that does not follow arrival time, so the held-out set is not just the newest. */
function splitKey(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

/**
 * Assigns splits to the traces not yet in the dataset. Pure. `existing` is what is stored:
 * those keep their split, and a new question too close to one already kept is dropped.
 */
export function selectExamples(
  traces: Trace[],
  existing: DatasetExample[],
  options: DatasetOptions = DEFAULT_DATASET_OPTIONS,
): { added: DatasetExample[]; summary: DatasetSummary } {
  const byId = new Map(traces.map((t) => [t.answerLogId, t]));
  const kept: { trace: Trace; words: Set<string> }[] = [];
  for (const e of existing) {
    const t = byId.get(e.answerLogId);
    if (t) kept.push({ trace: t, words: questionWords(t.question) });
  }
  const known = new Set(existing.map((e) => e.answerLogId));
  let excluded = 0;
  let nearDuplicates = 0;
  const fresh: Trace[] = [];
  for (const trace of traces) {
    if (known.has(trace.answerLogId)) continue;
    if (!isTrainable(trace)) {
      excluded += 1;
      continue;
    }
    const words = questionWords(trace.question);
    const cited = citedSourcesOf(trace);
    // The same words about the same product page, or answered from the same sources, teach nothing new.
    const same = kept.some(
      (k) =>
        k.trace.intent === trace.intent &&
        jaccard(k.words, words) >= options.duplicateSimilarity &&
        (k.trace.productHandle === trace.productHandle || citedSourcesOf(k.trace) === cited),
    );
    if (same) {
      nearDuplicates += 1;
      continue;
    }
    kept.push({ trace, words });
    fresh.push(trace);
  }

  const counts: Record<string, { train: number; eval: number }> = {};
  for (const e of existing) {
    if (!byId.has(e.answerLogId)) continue;
    (counts[e.intent] ??= { train: 0, eval: 0 })[e.split] += 1;
  }
  const added: DatasetExample[] = [];
  const freshByIntent = new Map<string, Trace[]>();
  for (const t of fresh) freshByIntent.set(t.intent, [...(freshByIntent.get(t.intent) ?? []), t]);
  for (const [intent, group] of freshByIntent) {
    const c = (counts[intent] ??= { train: 0, eval: 0 });
    const total = c.train + c.eval + group.length;
    // At least one held-out example per intent once there are two, so every intent is gated.
    const wantEval = Math.max(total >= 2 ? 1 : 0, Math.round(total * options.evalFraction));
    const ordered = [...group].sort((a, b) => splitKey(a.answerLogId).localeCompare(splitKey(b.answerLogId)));
    for (const t of ordered) {
      const split: Split = c.eval < wantEval ? "eval" : "train";
      c[split] += 1;
      added.push({ answerLogId: t.answerLogId, intent: t.intent, split });
    }
  }
  const train = Object.values(counts).reduce((n, c) => n + c.train, 0);
  const evalCount = Object.values(counts).reduce((n, c) => n + c.eval, 0);
  return { added, summary: { traces: traces.length, excluded, nearDuplicates, train, eval: evalCount, byIntent: counts } };
}

/** Adds the shop's new traces to its stored dataset and returns the dataset's counts. */
export async function refreshDataset(db: Db, shop: string, options: DatasetOptions = DEFAULT_DATASET_OPTIONS): Promise<DatasetSummary> {
  const traces = await loadTraces(db, shop);
  const stored = await db.distillExample.findMany({ where: { shop }, select: { answerLogId: true, intent: true, split: true } });
  const existing = stored.map((e) => ({ answerLogId: e.answerLogId, intent: e.intent as Trace["intent"], split: e.split as Split }));
  const { added, summary } = selectExamples(traces, existing, options);
  if (added.length > 0) await db.distillExample.createMany({ data: added.map((e) => ({ shop, ...e })) });
  return summary;
}

export async function loadDataset(db: Db, shop: string, split: Split): Promise<Trace[]> {
  const rows = await db.distillExample.findMany({ where: { shop, split }, select: { answerLogId: true } });
  const ids = rows.map((r) => r.answerLogId);
  const traces: Trace[] = [];
  for (let i = 0; i < ids.length; i += 500) traces.push(...(await loadTraces(db, shop, { ids: ids.slice(i, i + 500) })));
  return traces;
}

/** The structured reply the app asks every answerer for, as the training target. */
export function assistantReply(trace: Trace): string {
  const cited = new Set(trace.citationIds);
  const productHandles = [...new Set(trace.sources.filter((s) => cited.has(s.id) && s.product).map((s) => s.product!.handle))];
  return JSON.stringify({ answer: trace.answer, citation_ids: trace.citationIds, product_handles: productHandles, refused: trace.refused });
}

/** One chat fine-tuning example a line ({"messages": [...]}) in the layout OpenAI and Together accept. */
export function toJsonl(traces: Trace[]): string {
  return traces
    .map((t) => JSON.stringify({ messages: [...t.messages.map((m) => ({ role: m.role, content: m.content })), { role: "assistant", content: assistantReply(t) }] }))
    .map((line) => `${line}\n`)
    .join("");
}

export async function exportDatasetJsonl(db: Db, shop: string, split: Split = "train"): Promise<string> {
  return toJsonl(await loadDataset(db, shop, split));
}

