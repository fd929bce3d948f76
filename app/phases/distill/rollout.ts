/**
 * The rollout: shadow (the student answers a sampled share in the background, never shown)
 * → canary (a share of live questions) → full. Each question's route is decided here with
 * its reason; each student answer feeds a sliding window per intent, and an intent whose
 * validator-failure or refusal rate crosses the threshold goes back to the teacher at once.
 */
import type { Intent } from "../../answering/types";
import type { Db } from "../../db/open-database";
import {
  DEFAULT_ROLLOUT,
  ROLLOUT_STAGES,
  type GateReport,
  type Rollback,
  type RolloutStage,
  type RolloutState,
  type StudentModel,
  type Tier,
} from "./types";

export type DistillErrorCode = "gate_not_run" | "gate_failed" | "no_student" | "invalid_stage" | "invalid_percent" | "no_dataset" | "training_failed";

/** A request the phase 3 journey cannot carry out, with what the merchant can do about it. */
export class DistillError extends Error {
  constructor(
    readonly code: DistillErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "DistillError";
  }
}

/**
 * One student answer in the rollback window: whether it passed the validator, whether it
 * refused, the validator's problem codes, and, when the teacher answered the same question
 * (shadow, or the fallback after a failed routed answer), how the teacher fared. No question
 * text: the rollout row is outside the answers' retention and redaction.
 */
export interface WindowEntry {
  ok: boolean;
  refused: boolean;
  problems?: string[];
  teacher?: { ok: boolean; refused: boolean };
}

/** Student answers per intent, newest last: the rollback window. */
type Windows = Partial<Record<Intent, WindowEntry[]>>;

/** A student answer as the window counts it. */
export interface StudentAnswerOutcome {
  validationOk: boolean;
  refused: boolean;
  problems?: string[];
  teacher?: { ok: boolean; refused: boolean };
}

interface StoredRollout extends RolloutState {
  windows?: Windows;
}

export async function loadRollout(db: Db, shop: string): Promise<RolloutState & { windows: Windows }> {
  const row = await db.distillRollout.findUnique({ where: { shop } });
  let stored: Partial<StoredRollout> = {};
  try {
    stored = row ? (JSON.parse(row.data) as Partial<StoredRollout>) : {};
  } catch {
    stored = {};
  }
  return { ...DEFAULT_ROLLOUT, ...stored, rollbackPolicy: { ...DEFAULT_ROLLOUT.rollbackPolicy, ...stored.rollbackPolicy }, windows: stored.windows ?? {} };
}

export async function saveRollout(db: Db, shop: string, state: RolloutState & { windows?: Windows }): Promise<void> {
  const data = JSON.stringify(state);
  await db.distillRollout.upsert({ where: { shop }, create: { shop, data }, update: { data } });
}

export interface RouteDecision {
  tier: Tier;
  reason: string;
  /** The tier that also answers in the background (shadow stage), never shown. */
  shadowTier: Tier | null;
}

/**
 * Who answers a question of this intent. `draw` is a number in [0, 1) (random in production,
 * fixed in tests) that samples canary and shadow shares. Pure.
 */
export function decideRoute(state: RolloutState, intent: Intent, draw: number): RouteDecision {
  const teacher = (reason: string, shadowTier: Tier | null = null): RouteDecision => ({ tier: "teacher", reason, shadowTier });
  if (state.stage === "off") return teacher("phase 3 is off");
  const tier = state.routes[intent];
  if (!tier || tier === "teacher") return teacher(`the gate kept ${intent} with the teacher`);
  if (tier === "student" && !state.student) return teacher("no trained student");
  const rollback = [...state.rollbacks].reverse().find((r) => r.intent === intent);
  if (rollback) return teacher(`rolled back ${rollback.at}: ${rollback.reason}`);
  if (state.stage === "shadow") {
    if (state.shadowSpentUsd >= state.shadowSpendCapUsd) return teacher(`shadow spend cap of $${state.shadowSpendCapUsd.toFixed(2)} reached`);
    if (draw < state.shadowSampleRate) return teacher(`shadow: ${tier} answers in the background`, tier);
    return teacher("shadow: not sampled");
  }
  if (state.stage === "canary") {
    if (draw * 100 < state.canaryPercent) return { tier, reason: `canary: in the ${state.canaryPercent}% sample`, shadowTier: null };
    return teacher(`canary: outside the ${state.canaryPercent}% sample`);
  }
  return { tier, reason: "full rollout", shadowTier: null };
}

/**
 * Adds one student answer to its intent's window and rolls the intent back to the teacher
 * when a rate crosses its threshold. Returns the rollback when one happened.
 */
export function observeStudentAnswer(
  state: RolloutState & { windows: Windows },
  intent: Intent,
  tier: Tier,
  outcome: StudentAnswerOutcome,
  at: Date = new Date(),
): Rollback | null {
  const policy = state.rollbackPolicy;
  const entry: WindowEntry = {
    ok: outcome.validationOk,
    refused: outcome.refused,
    ...(outcome.problems?.length ? { problems: [...new Set(outcome.problems)] } : {}),
    ...(outcome.teacher ? { teacher: outcome.teacher } : {}),
  };
  const window = [...(state.windows[intent] ?? []), entry].slice(-policy.window);
  state.windows[intent] = window;
  if (window.length < policy.minAnswers) return null;
  if (state.rollbacks.some((r) => r.intent === intent)) return null;
  const failures = window.filter((w) => !w.ok).length / window.length;
  const refusals = window.filter((w) => w.refused).length / window.length;
  let reason: string | null = null;
  if (failures > policy.maxValidatorFailureRate) {
    reason = `validator failures ${Math.round(failures * 100)}% over the last ${window.length} ${tier} answers (limit ${Math.round(policy.maxValidatorFailureRate * 100)}%). ${explainFailures(window, tier)}`;
  } else if (refusals > policy.maxRefusalRate) {
    reason = `refusals ${Math.round(refusals * 100)}% over the last ${window.length} ${tier} answers (limit ${Math.round(policy.maxRefusalRate * 100)}%). ${explainRefusals(window, tier)}`;
  }
  if (!reason) return null;
  const rollback: Rollback = { intent, tier, at: at.toISOString(), reason };
  state.rollbacks.push(rollback);
  return rollback;
}

/** What each validator problem means, in the merchant's words. */
const PROBLEM_WORDS: Record<string, string> = {
  unknown_citation: "cited a source that was not found for the question",
  missing_citation: "stated facts without citing a source",
  unsupported_price: "gave a price no cited product has",
  unsupported_option: "named a size or option the cited product does not list",
  wrong_option_claim: "said an option is not offered when a cited product has it",
  wrong_stock_claim: "gave a stock status the cited products do not show",
  unsupported_day_count: "gave a number of days the store's policies do not state",
  unmatched_product: "named a product that does not meet the question's conditions",
  wrong_count: "gave the wrong number of matching products",
  answerer_error: "did not answer at all (the model call failed)",
};

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Why the failed answers failed, and whether the teacher did better on the same questions. */
export function explainFailures(window: WindowEntry[], tier: Tier): string {
  const failed = window.filter((w) => !w.ok);
  const byProblem = new Map<string, number>();
  for (const w of failed) for (const code of w.problems ?? []) byProblem.set(code, (byProblem.get(code) ?? 0) + 1);
  const what = [...byProblem.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, n]) => `${PROBLEM_WORDS[code] ?? code.replace(/_/g, " ")} (${n})`)
    .join("; ");
  const lines = [`The answer check stopped ${count(failed.length, `${tier} answer`)}${what ? `: ${what}` : ""}. None of them reached a shopper: the teacher's answer was shown.`];
  lines.push(compareWithTeacher(failed, "failed", tier));
  return lines.filter(Boolean).join(" ");
}

/** How many refusals there were, and whether the teacher refused the same questions. */
export function explainRefusals(window: WindowEntry[], tier: Tier): string {
  const refused = window.filter((w) => w.refused);
  const lines = [
    `The ${tier} said it could not answer ${refused.length} of its last ${window.length} questions. A refusal is right when the store's information does not answer the question, but above the limit too many shoppers asking this get no answer, so the teacher answers them again.`,
  ];
  lines.push(compareWithTeacher(refused, "refused", tier));
  return lines.filter(Boolean).join(" ");
}

/** The teacher's verdict on the same questions, where it was asked. */
function compareWithTeacher(entries: WindowEntry[], kind: "failed" | "refused", tier: Tier): string {
  const compared = entries.filter((w) => w.teacher);
  const unknown = entries.length - compared.length;
  const notAsked = unknown === 0 ? "" : unknown === 1 ? " The teacher was not asked the remaining one." : ` The teacher was not asked the other ${unknown}.`;
  if (compared.length === 0) return unknown > 0 ? `The teacher was not asked these questions, so there is no comparison.` : "";
  if (kind === "failed") {
    const alsoFailed = compared.filter((w) => !w.teacher!.ok).length;
    if (alsoFailed === 0) return `The teacher answered ${compared.length} of these questions correctly.${notAsked}`;
    return `The teacher's own answer failed the same check on ${alsoFailed} of ${count(compared.length, "question")} compared: those questions trip the answer check whoever answers, not only the ${tier}.${notAsked}`;
  }
  const alsoRefused = compared.filter((w) => w.teacher!.refused).length;
  if (alsoRefused === 0) return `The teacher answered ${compared.length} of these questions.${notAsked}`;
  return `The teacher refused ${alsoRefused} of ${count(compared.length, "question")} compared as well: on those the ${tier} did what the teacher does.${notAsked}`;
}

/** Records a student answer (live or shadow) and persists any rollback it caused. */
export async function recordStudentAnswer(db: Db, shop: string, intent: Intent, tier: Tier, outcome: StudentAnswerOutcome & { shadowCostUsd?: number }): Promise<Rollback | null> {
  const state = await loadRollout(db, shop);
  const rollback = observeStudentAnswer(state, intent, tier, outcome);
  if (outcome.shadowCostUsd) state.shadowSpentUsd += outcome.shadowCostUsd;
  await saveRollout(db, shop, state);
  if (rollback) console.warn(`[distill] ${shop}: ${intent} rolled back to the teacher: ${rollback.reason}`);
  return rollback;
}

/** The gate's choice per intent becomes the routes; nothing is routed until the stage says so. */
export async function applyGate(db: Db, shop: string, report: GateReport): Promise<RolloutState> {
  const state = await loadRollout(db, shop);
  state.routes = Object.fromEntries(report.rows.filter((r) => r.intent !== "overall" && r.chosen !== "teacher").map((r) => [r.intent, r.chosen]));
  state.gateRunId = report.runId;
  state.gatePassed = report.passed;
  await saveRollout(db, shop, state);
  return state;
}

export async function setStudent(db: Db, shop: string, student: StudentModel): Promise<void> {
  const state = await loadRollout(db, shop);
  state.student = student;
  await saveRollout(db, shop, state);
}

export interface StageChange {
  stage: RolloutStage;
  canaryPercent?: number;
  reason?: string;
}

/**
 * Moves the rollout. Routing real questions (canary, full) needs a gate that passed; shadow
 * needs a gate run. Going back to "off" or an earlier stage is always allowed.
 */
export async function changeStage(db: Db, shop: string, change: StageChange, at: Date = new Date()): Promise<RolloutState> {
  if (!ROLLOUT_STAGES.includes(change.stage)) throw new DistillError("invalid_stage", `Choose one of ${ROLLOUT_STAGES.join(", ")}.`);
  const state = await loadRollout(db, shop);
  if (change.canaryPercent !== undefined) {
    if (!Number.isFinite(change.canaryPercent) || change.canaryPercent < 1 || change.canaryPercent > 100) {
      throw new DistillError("invalid_percent", "The canary share is a percentage from 1 to 100.");
    }
    state.canaryPercent = change.canaryPercent;
  }
  if (change.stage !== "off") {
    if (!state.gateRunId) throw new DistillError("gate_not_run", "Run the gate on the held-out answers first: nothing is routed before its figures are shown.");
    if ((change.stage === "canary" || change.stage === "full") && !state.gatePassed) {
      throw new DistillError("gate_failed", "The last gate did not pass: keep the teacher, or train a better student and run the gate again.");
    }
  }
  state.stage = change.stage;
  state.history.push({ at: at.toISOString(), stage: change.stage, reason: change.reason ?? "changed by the merchant" });
  await saveRollout(db, shop, state);
  return state;
}
