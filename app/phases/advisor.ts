/**
 * The phase advisor. Three questions decide the path, each answered from live numbers:
 *   1. Is the data the assistant needs static, or does it change daily?  -> retrieval keeps facts fresh
 *   2. Is the task writing in the brand's voice, or retrieving facts?     -> a voice fine-tune (phase 2)
 *   3. Is inference spend large?                                          -> a smaller distilled model (phase 3)
 * and gates decide when phases 2 and 3 may be switched on. Pure: signals in, advice out.
 */

export type Phase = 1 | 2 | 3;

export interface PhaseSignals {
  /** Visible products in the catalog. */
  catalogSize: number;
  /** products/* and inventory_levels/* deliveries over the window. */
  catalogChangeEvents: number;
  changeWindowDays: number;
  /** Questions logged over the demand window, and how many asked for long-form writing. */
  questionsInWindow: number;
  longFormRequests: number;
  demandWindowDays: number;
  /** Measured drift from the brand voice (0 = on voice, 1 = far off), when phase 2 has measured it. */
  voiceDrift: number | null;
  /** Spend this month so far and projected for the whole month (USD). */
  monthSpendUsd: number;
  projectedMonthSpendUsd: number | null;
  spendThresholdUsd: number;
  /** Products whose description has at least GOOD_COPY_MIN_CHARS characters of text. */
  productsWithGoodCopy: number;
  /** Phase 1 answers logged so far, and the thumbs-up share of their ratings. */
  phase1Answers: number;
  ratings: number;
  thumbsUpRate: number | null;
  enabledPhase: Phase;
  /** Monthly saving the phase 3 gate projects for the routed mix at this volume; null before a gate ran. */
  projectedDistillSavingUsd?: number | null;
}

export const THRESHOLDS = {
  /** Changes per product per day above which the catalog counts as changing daily. */
  dailyChangeRate: 0.02,
  /** Long-form requests: at least this share of questions, and at least this many. */
  longFormShare: 0.1,
  longFormMinCount: 20,
  /** Voice drift above which prompting is not holding the voice. */
  voiceDrift: 0.3,
  goodCopyProducts: 50,
  goodCopyMinChars: 300,
  phase3Answers: 1000,
  phase3ThumbsUp: 0.7,
} as const;

export type Verdict = "retrieval" | "fine-tune" | "distill" | "not-yet";

export interface AdvisorAnswer {
  id: "data-freshness" | "voice-or-facts" | "inference-spend";
  question: string;
  /** A short answer, e.g. "Changing daily". */
  answer: string;
  /** The numbers behind it, in words. */
  evidence: string;
  recommendation: string;
  why: string;
  verdict: Verdict;
  /** False when the signal has no data yet. */
  measured: boolean;
}

export interface GateCheck {
  id: string;
  label: string;
  met: boolean;
  have: string;
  need: string;
}

export interface PhaseGate {
  phase: Phase;
  title: string;
  unlocked: boolean;
  checks: GateCheck[];
  /** What is missing, in one sentence per unmet check; empty when unlocked. */
  missing: string[];
}

export interface PhaseAdvice {
  answers: AdvisorAnswer[];
  gates: PhaseGate[];
  /** The highest phase whose gate is open. */
  recommendedPhase: Phase;
  enabledPhase: Phase;
  /** The next phase after the enabled one, with its readiness checklist; null at phase 3. */
  next: PhaseGate | null;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const usd = (x: number) => `$${x.toFixed(2)}`;
const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

export function dailyChangeRate(s: PhaseSignals): number | null {
  if (s.catalogSize === 0 || s.changeWindowDays <= 0) return null;
  return s.catalogChangeEvents / s.changeWindowDays / s.catalogSize;
}

export function longFormShare(s: PhaseSignals): number | null {
  return s.questionsInWindow > 0 ? s.longFormRequests / s.questionsInWindow : null;
}

/** Projected spend when the month has run long enough to project, else spend so far. */
export function monthlySpend(s: PhaseSignals): number {
  return s.projectedMonthSpendUsd ?? s.monthSpendUsd;
}

export function longFormDemandIsReal(s: PhaseSignals): boolean {
  const share = longFormShare(s);
  return share !== null && share >= THRESHOLDS.longFormShare && s.longFormRequests >= THRESHOLDS.longFormMinCount;
}

function answerFreshness(s: PhaseSignals): AdvisorAnswer {
  const rate = dailyChangeRate(s);
  const question = "Is the data the assistant needs static, or does it change daily?";
  if (rate === null) {
    return {
      id: "data-freshness",
      question,
      answer: "Not measured yet",
      evidence: "No products are indexed yet, so there is no change rate to measure.",
      recommendation: "Stay on retrieval (phase 1).",
      why: "Until the catalog is synced there is nothing to learn from; retrieval works from day one.",
      verdict: "retrieval",
      measured: false,
    };
  }
  const perDay = s.catalogChangeEvents / s.changeWindowDays;
  const evidence = `${count(s.catalogChangeEvents, "product or inventory change")} in ${s.changeWindowDays} days (${perDay.toFixed(1)} a day) across ${count(s.catalogSize, "product")}: ${pct(rate)} of the catalog a day.`;
  if (rate >= THRESHOLDS.dailyChangeRate) {
    return {
      id: "data-freshness",
      question,
      answer: "Changing daily",
      evidence,
      recommendation: "Keep facts in retrieval (phase 1), whatever else you add.",
      why: "Prices, stock and variants change faster than any model could be retrained; retrieval reads them fresh for every answer.",
      verdict: "retrieval",
      measured: true,
    };
  }
  return {
    id: "data-freshness",
    question,
    answer: "Mostly static",
    evidence,
    recommendation: "Retrieval still serves facts best; a static catalog makes a voice fine-tune safe to add.",
    why: "A model trained on slow-moving copy stays correct for longer, but stock and prices should still come from retrieval.",
    verdict: "retrieval",
    measured: true,
  };
}

function answerVoice(s: PhaseSignals): AdvisorAnswer {
  const share = longFormShare(s);
  const question = "Is the task writing in your brand's voice, or retrieving facts?";
  const drift =
    s.voiceDrift === null
      ? "Voice drift: not measured yet."
      : `Voice drift: ${s.voiceDrift.toFixed(2)} (${s.voiceDrift > THRESHOLDS.voiceDrift ? "above" : "within"} the ${THRESHOLDS.voiceDrift} limit).`;
  if (share === null) {
    return {
      id: "voice-or-facts",
      question,
      answer: "Not measured yet",
      evidence: `No questions logged in the last ${s.demandWindowDays} days. ${drift}`,
      recommendation: "Stay on retrieval (phase 1).",
      why: "Shoppers' questions show whether they want facts or writing; there are none yet.",
      verdict: "not-yet",
      measured: false,
    };
  }
  const evidence = `${count(s.longFormRequests, "request")} to write or describe out of ${count(s.questionsInWindow, "question")} in ${s.demandWindowDays} days (${pct(share)}). ${drift}`;
  const real = longFormDemandIsReal(s);
  const drifting = s.voiceDrift !== null && s.voiceDrift > THRESHOLDS.voiceDrift;
  if (real) {
    return {
      id: "voice-or-facts",
      question,
      answer: "Writing in your voice",
      evidence,
      recommendation: drifting || s.voiceDrift === null ? "Consider a brand-voice fine-tune (phase 2) for long-form copy." : "Prompting holds your voice for now; revisit if drift grows.",
      why: "Long-form copy is where prompting struggles to keep a brand's voice; facts inside it still come from retrieval.",
      verdict: drifting || s.voiceDrift === null ? "fine-tune" : "retrieval",
      measured: true,
    };
  }
  return {
    id: "voice-or-facts",
    question,
    answer: "Retrieving facts",
    evidence,
    recommendation: "Stay on retrieval (phase 1).",
    why: `Most questions ask for facts, which retrieval answers with citations; a voice fine-tune pays off when at least ${pct(THRESHOLDS.longFormShare)} of requests (and ${THRESHOLDS.longFormMinCount}+) ask for writing.`,
    verdict: "retrieval",
    measured: true,
  };
}

function answerSpend(s: PhaseSignals): AdvisorAnswer {
  const spend = monthlySpend(s);
  const basis = s.projectedMonthSpendUsd !== null ? `projected ${usd(s.projectedMonthSpendUsd)} for the month (${usd(s.monthSpendUsd)} so far)` : `${usd(s.monthSpendUsd)} so far this month`;
  const saving =
    s.projectedDistillSavingUsd !== undefined && s.projectedDistillSavingUsd !== null
      ? ` The distillation gate projects a saving of ${usd(s.projectedDistillSavingUsd)} a month at the last 30 days' volume.`
      : "";
  const evidence = `Inference spend: ${basis}; your threshold is ${usd(s.spendThresholdUsd)} a month.${saving}`;
  const question = "Is inference spend large?";
  if (spend > s.spendThresholdUsd) {
    return {
      id: "inference-spend",
      question,
      answer: "Large",
      evidence,
      recommendation: "Distill a smaller model from your best-rated answers (phase 3).",
      why: "At this volume a small model trained on your own good answers costs a fraction per answer, with retrieval still supplying the facts.",
      verdict: "distill",
      measured: true,
    };
  }
  return {
    id: "inference-spend",
    question,
    answer: spend === 0 ? "None" : "Small",
    evidence,
    recommendation: "Keep the current model.",
    why: "Training and running a distilled model has its own cost; it pays back only once spend is above your threshold.",
    verdict: "not-yet",
    measured: true,
  };
}

export function gatePhase2(s: PhaseSignals): PhaseGate {
  const share = longFormShare(s);
  const checks: GateCheck[] = [
    {
      id: "good-copy",
      label: `At least ${THRESHOLDS.goodCopyProducts} products with descriptions of ${THRESHOLDS.goodCopyMinChars}+ characters (training examples of your voice)`,
      met: s.productsWithGoodCopy >= THRESHOLDS.goodCopyProducts,
      have: count(s.productsWithGoodCopy, "product"),
      need: count(THRESHOLDS.goodCopyProducts, "product"),
    },
    {
      id: "long-form-demand",
      label: `Real demand for long-form writing (${pct(THRESHOLDS.longFormShare)}+ of questions and ${THRESHOLDS.longFormMinCount}+ requests in ${s.demandWindowDays} days)`,
      met: longFormDemandIsReal(s),
      have: `${count(s.longFormRequests, "request")}${share === null ? "" : ` (${pct(share)})`}`,
      need: `${THRESHOLDS.longFormMinCount} requests and ${pct(THRESHOLDS.longFormShare)}`,
    },
  ];
  return finishGate(2, "Phase 2: brand-voice fine-tune", checks);
}

export function gatePhase3(s: PhaseSignals): PhaseGate {
  const spend = monthlySpend(s);
  const checks: GateCheck[] = [
    {
      id: "answers",
      label: `At least ${THRESHOLDS.phase3Answers.toLocaleString("en-US")} logged phase 1 answers (the distillation's training set)`,
      met: s.phase1Answers >= THRESHOLDS.phase3Answers,
      have: count(s.phase1Answers, "answer"),
      need: count(THRESHOLDS.phase3Answers, "answer"),
    },
    {
      id: "thumbs-up",
      label: `Thumbs-up rate of at least ${pct(THRESHOLDS.phase3ThumbsUp)} (answers good enough to learn from)`,
      met: s.thumbsUpRate !== null && s.thumbsUpRate >= THRESHOLDS.phase3ThumbsUp,
      have: s.thumbsUpRate === null ? "no ratings yet" : `${pct(s.thumbsUpRate)} of ${count(s.ratings, "rating")}`,
      need: pct(THRESHOLDS.phase3ThumbsUp),
    },
    {
      id: "spend",
      label: `Monthly inference spend above your ${usd(s.spendThresholdUsd)} threshold`,
      met: spend > s.spendThresholdUsd,
      have: `${usd(spend)}${s.projectedMonthSpendUsd !== null ? " projected" : " so far"}`,
      need: `more than ${usd(s.spendThresholdUsd)}`,
    },
  ];
  return finishGate(3, "Phase 3: distilled model", checks);
}

function finishGate(phase: Phase, title: string, checks: GateCheck[]): PhaseGate {
  const missing = checks.filter((c) => !c.met).map((c) => `${c.label}: you have ${c.have}, need ${c.need}.`);
  return { phase, title, unlocked: missing.length === 0, checks, missing };
}

export function advisePhases(s: PhaseSignals): PhaseAdvice {
  const gate1: PhaseGate = { phase: 1, title: "Phase 1: retrieval with citations", unlocked: true, checks: [], missing: [] };
  const gates = [gate1, gatePhase2(s), gatePhase3(s)];
  const recommendedPhase = ([...gates].reverse().find((g) => g.unlocked)?.phase ?? 1) as Phase;
  return {
    answers: [answerFreshness(s), answerVoice(s), answerSpend(s)],
    gates,
    recommendedPhase,
    enabledPhase: s.enabledPhase,
    next: s.enabledPhase < 3 ? gates[s.enabledPhase] : null,
  };
}

export type PhaseChange = { ok: true; phase: Phase } | { ok: false; code: "phase_locked"; message: string; missing: string[] };

/** Whether a shop may switch to `phase` now; going back to phase 1 is always allowed. */
export function checkPhaseChange(s: PhaseSignals, phase: Phase): PhaseChange {
  if (phase === 1) return { ok: true, phase };
  const gate = phase === 2 ? gatePhase2(s) : gatePhase3(s);
  if (gate.unlocked) return { ok: true, phase };
  return { ok: false, code: "phase_locked", message: `${gate.title} is not unlocked yet. ${gate.missing.join(" ")}`, missing: gate.missing };
}

const LONG_FORM = /\b(write|rewrite|draft|compose|describe|description|blurb|tagline|caption|copy ?write|story|poem|summari[sz]e (it|this) for|product copy)\b/i;

/** A request for long-form generation rather than a fact ("write a description of ...", "describe ..."). */
export function isLongFormRequest(question: string): boolean {
  return LONG_FORM.test(question);
}
