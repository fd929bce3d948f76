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

/** Student answers per intent, newest last: the rollback window. */
type Windows = Partial<Record<Intent, { ok: boolean; refused: boolean }[]>>;

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
  outcome: { validationOk: boolean; refused: boolean },
  at: Date = new Date(),
): Rollback | null {
  const policy = state.rollbackPolicy;
  const window = [...(state.windows[intent] ?? []), { ok: outcome.validationOk, refused: outcome.refused }].slice(-policy.window);
  state.windows[intent] = window;
  if (window.length < policy.minAnswers) return null;
  if (state.rollbacks.some((r) => r.intent === intent)) return null;
  const failures = window.filter((w) => !w.ok).length / window.length;
  const refusals = window.filter((w) => w.refused).length / window.length;
  let reason: string | null = null;
  if (failures > policy.maxValidatorFailureRate) {
    reason = `validator failures ${Math.round(failures * 100)}% over the last ${window.length} ${tier} answers (limit ${Math.round(policy.maxValidatorFailureRate * 100)}%)`;
  } else if (refusals > policy.maxRefusalRate) {
    reason = `refusals ${Math.round(refusals * 100)}% over the last ${window.length} ${tier} answers (limit ${Math.round(policy.maxRefusalRate * 100)}%)`;
  }
  if (!reason) return null;
  const rollback: Rollback = { intent, tier, at: at.toISOString(), reason };
  state.rollbacks.push(rollback);
  return rollback;
}

/** Records a student answer (live or shadow) and persists any rollback it caused. */
export async function recordStudentAnswer(db: Db, shop: string, intent: Intent, tier: Tier, outcome: { validationOk: boolean; refused: boolean; shadowCostUsd?: number }): Promise<Rollback | null> {
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
