/**
 * The gate: every candidate tier answers the held-out split, each answer is checked by the
 * phase 1 validator against the teacher's own sources and compared with the teacher's answer,
 * and a tier takes an intent only when every quality figure reaches the policy's share of the
 * teacher's. The routed mix must also be the policy's multiple cheaper overall. Costs come
 * from the usage ledger, written with the price table as each answer is measured.
 */
import { randomUUID } from "node:crypto";
import type { AnswerRequest, Answerer, DraftAnswer, Intent } from "../../answering/types";
import { validateAnswer, type ValidationResult } from "../../answering/validate-answer";
import type { Db } from "../../db/open-database";
import { costFor, type PriceTable } from "../../insights/usage-ledger";
import { loadDataset } from "./dataset";
import {
  CANDIDATE_TIERS,
  DEFAULT_GATE_POLICY,
  QUALITY_KEYS,
  type EvalOutcome,
  type GatePolicy,
  type GateReport,
  type GateRow,
  type QualityFigures,
  type Tier,
  type TierFigures,
  type Trace,
} from "./types";

const CITATION_CODES = new Set(["unknown_citation", "missing_citation", "answerer_error"]);
const CLAIM_CODES = new Set(["unsupported_price", "unsupported_option", "wrong_option_claim", "wrong_stock_claim", "unsupported_day_count", "answerer_error"]);

/** Numbers as written in an answer ("45,00" and "45.00" alike), the facts two answers must share. */
function numbersIn(text: string): Set<string> {
  return new Set((text.replace(/\[S\d+\]/g, "").match(/\d+(?:[.,]\d+)?/g) ?? []).map((n) => String(Number(n.replace(",", ".")))));
}

/**
 * Agreement with the teacher: the same decision to refuse, and for an answer, at least one
 * shared cited source and at least half of the teacher's numbers (prices, sizes, days) stated.
 */
export function agreesWithTeacher(teacher: Pick<Trace, "answer" | "refused" | "citationIds">, student: Pick<DraftAnswer, "answer" | "refused" | "citationIds">): boolean {
  if (teacher.refused !== student.refused) return false;
  if (teacher.refused) return true;
  const studentCited = new Set([...student.citationIds, ...[...student.answer.matchAll(/\[(S\d+)\]/g)].map((m) => m[1])]);
  if (teacher.citationIds.length > 0 && !teacher.citationIds.some((id) => studentCited.has(id))) return false;
  const wanted = numbersIn(teacher.answer);
  if (wanted.size === 0) return true;
  const stated = numbersIn(student.answer);
  let found = 0;
  for (const n of wanted) if (stated.has(n)) found += 1;
  return found / wanted.size >= 0.5;
}

/** Scores one tier's answer to one held-out example. Pure. */
export function scoreAnswer(trace: Trace, tier: Tier, draft: DraftAnswer | null, validation: ValidationResult, latencyMs: number, costUsd: number): EvalOutcome {
  const codes = validation.problems.map((p) => p.code as string);
  return {
    answerLogId: trace.answerLogId,
    tier,
    intent: trace.intent,
    citationValid: draft !== null && !codes.some((c) => CITATION_CODES.has(c)),
    claimsValid: draft !== null && !codes.some((c) => CLAIM_CODES.has(c)),
    agreed: draft !== null && agreesWithTeacher(trace, draft),
    refusalMatch: draft !== null && draft.refused === trace.refused,
    latencyMs,
    costUsd,
  };
}

export function p95(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
}

function share(items: boolean[]): number {
  return items.length === 0 ? 0 : items.filter(Boolean).length / items.length;
}

function figuresOf(tier: Tier, outcomes: EvalOutcome[]): TierFigures {
  const cost = outcomes.reduce((sum, o) => sum + o.costUsd, 0);
  return {
    tier,
    examples: outcomes.length,
    quality: {
      citationValidity: share(outcomes.map((o) => o.citationValid)),
      claimAccuracy: share(outcomes.map((o) => o.claimsValid)),
      agreement: share(outcomes.map((o) => o.agreed)),
      refusalCorrectness: share(outcomes.map((o) => o.refusalMatch)),
    },
    p95LatencyMs: p95(outcomes.map((o) => o.latencyMs)),
    costPer1000Usd: outcomes.length === 0 ? 0 : (cost / outcomes.length) * 1000,
  };
}

/** The teacher judged as a tier: its stored validation, its own answer as the reference, its ledger cost. */
export function teacherOutcomes(traces: Trace[], ledgerCost: Map<string, number>): EvalOutcome[] {
  return traces.map((t) => ({
    answerLogId: t.answerLogId,
    tier: "teacher" as const,
    intent: t.intent,
    citationValid: t.validationOk,
    claimsValid: t.validationOk,
    agreed: true,
    refusalMatch: true,
    latencyMs: t.latencyMs,
    costUsd: ledgerCost.get(t.answerLogId) ?? 0,
  }));
}

function holds(candidate: TierFigures, teacher: TierFigures, policy: GatePolicy): string | null {
  if (candidate.examples < policy.minExamplesPerIntent) return `${candidate.examples} held-out answer(s), fewer than ${policy.minExamplesPerIntent}`;
  for (const key of QUALITY_KEYS) {
    const needed = teacher.quality[key] * policy.minQualityRatio;
    if (candidate.quality[key] < needed - 1e-9) return `${key} ${pct(candidate.quality[key])} is below ${pct(needed)} (${pct(policy.minQualityRatio)} of the teacher's ${pct(teacher.quality[key])})`;
  }
  if (candidate.costPer1000Usd >= teacher.costPer1000Usd && teacher.costPer1000Usd > 0) return "not cheaper than the teacher";
  return null;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function weighted(parts: { weight: number; quality: QualityFigures }[]): QualityFigures {
  const total = parts.reduce((n, p) => n + p.weight, 0) || 1;
  const out = { citationValidity: 0, claimAccuracy: 0, agreement: 0, refusalCorrectness: 0 };
  for (const p of parts) for (const key of QUALITY_KEYS) out[key] += (p.quality[key] * p.weight) / total;
  return out;
}

/** The gate table from measured outcomes. Pure. */
export function computeGate(teacher: EvalOutcome[], candidates: EvalOutcome[], policy: GatePolicy = DEFAULT_GATE_POLICY, runId: string | null = null): GateReport {
  const intents = [...new Set(teacher.map((o) => o.intent))].sort();
  const rows: GateRow[] = [];
  const mix: { weight: number; quality: QualityFigures; cost: number; tier: Tier }[] = [];
  for (const intent of intents) {
    const teacherFigures = figuresOf("teacher", teacher.filter((o) => o.intent === intent));
    const tiers = CANDIDATE_TIERS.map((tier) => figuresOf(tier, candidates.filter((o) => o.intent === intent && o.tier === tier))).filter((f) => f.examples > 0);
    let chosen: TierFigures = teacherFigures;
    const why: string[] = [];
    for (const candidate of tiers) {
      const problem = holds(candidate, teacherFigures, policy);
      if (!problem) {
        chosen = candidate;
        why.push(`${candidate.tier} holds every figure at ${pct(policy.minQualityRatio)} of the teacher's`);
        break;
      }
      why.push(`${candidate.tier}: ${problem}`);
    }
    if (chosen.tier === "teacher" && tiers.length === 0) why.push("no student measured");
    rows.push({ intent: intent as Intent, teacher: teacherFigures, candidates: tiers, chosen: chosen.tier, reason: why.join("; ") });
    mix.push({ weight: teacherFigures.examples, quality: chosen.quality, cost: chosen.costPer1000Usd, tier: chosen.tier });
  }
  const total = mix.reduce((n, m) => n + m.weight, 0);
  const teacherOverall = figuresOf("teacher", teacher);
  const routedCost = total === 0 ? 0 : mix.reduce((n, m) => n + m.cost * m.weight, 0) / total;
  const routedQuality = weighted(mix);
  const shareByTier: Record<Tier, number> = { teacher: 0, local: 0, student: 0 };
  for (const m of mix) shareByTier[m.tier] += total === 0 ? 0 : m.weight / total;
  rows.push({
    intent: "overall",
    teacher: teacherOverall,
    candidates: CANDIDATE_TIERS.map((tier) => figuresOf(tier, candidates.filter((o) => o.tier === tier))).filter((f) => f.examples > 0),
    chosen: shareByTier.teacher === 1 ? "teacher" : shareByTier.local >= shareByTier.student ? "local" : "student",
    reason: "routed mix",
  });
  const costRatio = routedCost > 0 ? teacherOverall.costPer1000Usd / routedCost : teacherOverall.costPer1000Usd > 0 ? Number.POSITIVE_INFINITY : 1;
  const reasons: string[] = [];
  if (total === 0) reasons.push("No held-out examples yet: collect traces and build the dataset first.");
  for (const key of QUALITY_KEYS) {
    const needed = teacherOverall.quality[key] * policy.minQualityRatio;
    if (routedQuality[key] < needed - 1e-9) reasons.push(`Overall ${key} ${pct(routedQuality[key])} is below ${pct(needed)}.`);
  }
  if (costRatio < policy.minCostRatio) {
    reasons.push(`The routed mix is ${Number.isFinite(costRatio) ? costRatio.toFixed(1) : "∞"}× cheaper than the teacher; the gate asks for ${policy.minCostRatio}×.`);
  }
  return {
    runId,
    policy,
    rows,
    routed: { quality: routedQuality, costPer1000Usd: routedCost, shareByTier },
    teacher: { quality: teacherOverall.quality, costPer1000Usd: teacherOverall.costPer1000Usd },
    costRatio,
    passed: reasons.length === 0,
    reasons,
  };
}

export interface GateRunDeps {
  db: Db;
  /** The tiers to measure: the local answerer always, the student once trained. */
  answerers: Partial<Record<Exclude<Tier, "teacher">, Answerer>>;
  priceTable: PriceTable;
  storeName: string;
  storeContact: AnswerRequest["storeContact"];
  now?: () => number;
}

export const EVAL_REF_PREFIX = "distill-eval:";

/**
 * The request the teacher answered, rebuilt from its trace so every tier sees the same sources and
 * an LLM tier is sent the teacher's exact messages (a listing's count of catalog matches included);
 * the matches are rebuilt too, for the local answerer's count.
 */
export function requestOf(trace: Trace, deps: Pick<GateRunDeps, "storeName" | "storeContact">): AnswerRequest {
  return {
    shop: trace.shop,
    question: trace.question,
    intent: trace.intent,
    sources: trace.sources,
    locale: trace.locale,
    productHandle: trace.productHandle ?? undefined,
    storeContact: deps.storeContact,
    storeName: deps.storeName,
    understanding: trace.understanding,
    matches: trace.matches,
    promptMessages: trace.messages,
  };
}

/**
 * Every candidate answers every held-out example; each call goes into the usage ledger (the
 * gate reads its costs from there) and each score is stored, so the report can be rebuilt.
 */
export async function runGateEvaluation(deps: GateRunDeps, shop: string): Promise<string> {
  const now = deps.now ?? (() => performance.now());
  const runId = randomUUID();
  const held = await loadDataset(deps.db, shop, "eval");
  for (const trace of held) {
    for (const tier of CANDIDATE_TIERS) {
      const answerer = deps.answerers[tier];
      if (!answerer) continue;
      const started = now();
      let draft: DraftAnswer | null = null;
      let validation: ValidationResult;
      try {
        draft = await answerer.answer(requestOf(trace, deps));
        validation = validateAnswer(draft, trace.sources);
      } catch (error) {
        validation = { ok: false, problems: [{ code: "answerer_error", message: error instanceof Error ? error.message : String(error) }] };
      }
      const latencyMs = Math.round(now() - started);
      const usage = draft?.usage ?? { model: answerer.id, inputTokens: 0, outputTokens: 0 };
      const { costUsd } = costFor(deps.priceTable, usage.model, usage.inputTokens, usage.outputTokens);
      const outcome = scoreAnswer(trace, tier, draft, validation, latencyMs, costUsd);
      await deps.db.$transaction([
        deps.db.usageEvent.create({
          data: { shop, kind: "chat", model: usage.model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costUsd, latencyMs, ref: `${EVAL_REF_PREFIX}${runId}:${tier}:${trace.answerLogId}` },
        }),
        deps.db.distillEvalResult.create({ data: { shop, runId, ...outcome } }),
      ]);
    }
  }
  return runId;
}

/** The gate table of a stored run (the latest when none is named), with costs read from the ledger. */
export async function loadGateReport(db: Db, shop: string, runId?: string | null, policy: GatePolicy = DEFAULT_GATE_POLICY): Promise<GateReport> {
  const run = runId ?? (await db.distillEvalResult.findFirst({ where: { shop }, orderBy: { id: "desc" }, select: { runId: true } }))?.runId ?? null;
  const held = await loadDataset(db, shop, "eval");
  const ids = held.map((t) => t.answerLogId);
  const teacherCost = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 500) {
    const events = await db.usageEvent.findMany({ where: { shop, kind: "chat", ref: { in: ids.slice(i, i + 500) } }, select: { ref: true, costUsd: true } });
    for (const e of events) teacherCost.set(e.ref as string, (teacherCost.get(e.ref as string) ?? 0) + e.costUsd);
  }
  const stored = run ? await db.distillEvalResult.findMany({ where: { shop, runId: run } }) : [];
  const ledger = run ? await db.usageEvent.findMany({ where: { shop, ref: { startsWith: `${EVAL_REF_PREFIX}${run}:` } }, select: { ref: true, costUsd: true } }) : [];
  const ledgerCost = new Map(ledger.map((e) => [e.ref as string, e.costUsd]));
  const heldIds = new Set(ids);
  const candidates: EvalOutcome[] = stored
    .filter((r) => heldIds.has(r.answerLogId))
    .map((r) => ({
      answerLogId: r.answerLogId,
      tier: r.tier as Tier,
      intent: r.intent as Intent,
      citationValid: r.citationValid,
      claimsValid: r.claimsValid,
      agreed: r.agreed,
      refusalMatch: r.refusalMatch,
      latencyMs: r.latencyMs,
      costUsd: ledgerCost.get(`${EVAL_REF_PREFIX}${run}:${r.tier}:${r.answerLogId}`) ?? 0,
    }));
  return computeGate(teacherOutcomes(held, teacherCost), candidates, policy, run);
}
