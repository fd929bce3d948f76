/**
 * Phase 3, distillation: the shapes shared by the trace reader, the dataset, the gate,
 * the router and the cost report. The core here is framework-free; routes and the CLI
 * only call into it.
 */
import type { AnswerResult, AnswerSource, Intent } from "../../answering/types";
import type { ChatMessage } from "../../providers/types";
import type { QueryUnderstanding } from "../../retrieval/understand-query";

/** Who answers: the shop's LLM (teacher), the local extractive answerer, or the fine-tuned student. */
export type Tier = "teacher" | "local" | "student";

/** Cheapest first: the cascade tries tiers in this order. */
export const CANDIDATE_TIERS: readonly Exclude<Tier, "teacher">[] = ["local", "student"];

/** A teacher answer with everything needed to train on it and to judge a student against it. */
export interface Trace {
  answerLogId: string;
  shop: string;
  question: string;
  locale: string;
  intent: Intent;
  productHandle: string | null;
  answer: string;
  refused: boolean;
  citationIds: string[];
  validationOk: boolean;
  /** -1 rated down, 1 rated up, 0 not rated. */
  rating: number;
  messages: ChatMessage[];
  sources: AnswerSource[];
  understanding?: QueryUnderstanding;
  /** Listings and complements: the catalog's matches the teacher's prompt was built with (its "Exactly N products" line). */
  matches?: AnswerResult["matches"];
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  createdAt: Date;
}

export type Split = "train" | "eval";

export interface DatasetExample {
  answerLogId: string;
  intent: Intent;
  split: Split;
}

export interface DatasetSummary {
  traces: number;
  /** Failed validation, fell back or was rated down. */
  excluded: number;
  nearDuplicates: number;
  train: number;
  eval: number;
  byIntent: Record<string, { train: number; eval: number }>;
}

/** The gate's quality figures, each a fraction of held-out examples. */
export interface QualityFigures {
  citationValidity: number;
  claimAccuracy: number;
  agreement: number;
  refusalCorrectness: number;
}

export const QUALITY_KEYS: readonly (keyof QualityFigures)[] = ["citationValidity", "claimAccuracy", "agreement", "refusalCorrectness"];

/** One tier's measured figures on a set of held-out examples. */
export interface TierFigures {
  tier: Tier;
  examples: number;
  quality: QualityFigures;
  p95LatencyMs: number;
  costPer1000Usd: number;
}

export interface GateRow {
  intent: Intent | "overall";
  teacher: TierFigures;
  candidates: TierFigures[];
  /** The cheapest tier that holds every quality figure at the threshold (teacher when none does). */
  chosen: Tier;
  reason: string;
}

export interface GatePolicy {
  /** Each student quality figure must reach this share of the teacher's (default 0.95). */
  minQualityRatio: number;
  /** The routed mix must be at least this many times cheaper than the teacher (default 5). */
  minCostRatio: number;
  /** Fewer held-out examples than this and an intent stays with the teacher. */
  minExamplesPerIntent: number;
}

export const DEFAULT_GATE_POLICY: GatePolicy = { minQualityRatio: 0.95, minCostRatio: 5, minExamplesPerIntent: 2 };

export interface GateReport {
  runId: string | null;
  policy: GatePolicy;
  rows: GateRow[];
  /** The routed mix: quality and cost weighted by each intent's share of held-out examples. */
  routed: { quality: QualityFigures; costPer1000Usd: number; shareByTier: Record<Tier, number> };
  teacher: { quality: QualityFigures; costPer1000Usd: number };
  /** Teacher cost over routed cost (Infinity when the routed mix costs nothing). */
  costRatio: number;
  passed: boolean;
  reasons: string[];
}

/** One held-out example answered by one tier, as stored. */
export interface EvalOutcome {
  answerLogId: string;
  tier: Tier;
  intent: Intent;
  citationValid: boolean;
  claimsValid: boolean;
  agreed: boolean;
  refusalMatch: boolean;
  latencyMs: number;
  costUsd: number;
}

export type RolloutStage = "off" | "shadow" | "canary" | "full";

export const ROLLOUT_STAGES: readonly RolloutStage[] = ["off", "shadow", "canary", "full"];

export interface Rollback {
  intent: Intent;
  tier: Tier;
  at: string;
  reason: string;
}

export interface RollbackPolicy {
  /** Student answers per intent the rates are measured over. */
  window: number;
  /** Fewest answers in the window before a rate is trusted. */
  minAnswers: number;
  maxValidatorFailureRate: number;
  maxRefusalRate: number;
}

export const DEFAULT_ROLLBACK_POLICY: RollbackPolicy = { window: 20, minAnswers: 5, maxValidatorFailureRate: 0.2, maxRefusalRate: 0.5 };

/** The student model, as the training provider returned it. */
export interface StudentModel {
  model: string;
  baseURL: string;
  /** Shown wherever the student appears: demo training is simulated. */
  simulated: boolean;
  providerJobId?: string;
  provider?: string;
  /** The training provider it was trained on: its key (from the shop's training settings) calls it. */
  providerKind?: "together" | "openai" | "simulated";
  /** The TrainingJob row it came from. */
  trainingJobId?: number;
  /** The base it was trained from: a trained model is priced by its base's price table entry. */
  baseModel?: string;
  /** USD per million tokens when the merchant's price table lists neither the model nor its base. */
  price?: { inputPerMTok: number; outputPerMTok: number };
}

export interface RolloutState {
  stage: RolloutStage;
  /** Share of live questions (0–100) the routed tiers answer in canary. */
  canaryPercent: number;
  /** Share of questions (0–1) the student also answers in the background during shadow. */
  shadowSampleRate: number;
  shadowSpendCapUsd: number;
  shadowSpentUsd: number;
  /** Per intent, the tier the gate allowed. Intents absent stay with the teacher. */
  routes: Partial<Record<Intent, Tier>>;
  rollbacks: Rollback[];
  student: StudentModel | null;
  /** The latest student training job, as last read from the provider. */
  training?: import("./train-student").StudentTraining;
  gateRunId: string | null;
  gatePassed: boolean;
  rollbackPolicy: RollbackPolicy;
  /** Stage changes, newest last, with their reasons. */
  history: { at: string; stage: RolloutStage; reason: string }[];
}

export const DEFAULT_ROLLOUT: RolloutState = {
  stage: "off",
  canaryPercent: 10,
  shadowSampleRate: 0.2,
  shadowSpendCapUsd: 5,
  shadowSpentUsd: 0,
  routes: {},
  rollbacks: [],
  student: null,
  gateRunId: null,
  gatePassed: false,
  rollbackPolicy: DEFAULT_ROLLBACK_POLICY,
  history: [],
};
