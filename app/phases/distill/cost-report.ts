/**
 * What phase 3 saved, from the usage ledger only: each answer a cheaper tier wrote is
 * compared with what the teacher's answers of the same intent cost on average, and the
 * spend phase 3 itself caused (training, the gate's measurements, shadow answers) is
 * subtracted. No figure here is a constant.
 */
import type { Db } from "../../db/open-database";
import { EVAL_REF_PREFIX } from "./gate";
import type { GateReport } from "./types";

export const SHADOW_REF_PREFIX = "distill-shadow:";

export interface CostReport {
  since: string | null;
  teacher: { answers: number; costUsd: number; costPerAnswerUsd: number };
  routed: { answers: number; costUsd: number; byTier: Record<string, { answers: number; costUsd: number }> };
  /** What the routed answers would have cost at the teacher's average for their intents. */
  teacherEquivalentUsd: number;
  grossSavingUsd: number;
  trainingSpendUsd: number;
  gateSpendUsd: number;
  shadowSpendUsd: number;
  netSavingUsd: number;
  /** Answers in the last 30 days, the base of the projection. */
  answersLast30Days: number;
  /** (teacher − routed cost per 1,000 in the gate) × last 30 days' answers; null without a gate. */
  projectedMonthlySavingUsd: number | null;
}

export async function loadCostReport(db: Db, shop: string, gate: GateReport | null, now: Date = new Date()): Promise<CostReport> {
  const answers = await db.answerLog.findMany({ where: { shop }, select: { id: true, intent: true, tier: true, createdAt: true } });
  const events = await db.usageEvent.findMany({ where: { shop }, select: { kind: true, ref: true, costUsd: true, createdAt: true } });
  const costByRef = new Map<string, number>();
  let trainingSpendUsd = 0;
  let gateSpendUsd = 0;
  let shadowSpendUsd = 0;
  for (const e of events) {
    if (e.kind === "training") trainingSpendUsd += e.costUsd;
    else if (e.ref?.startsWith(EVAL_REF_PREFIX)) gateSpendUsd += e.costUsd;
    else if (e.ref?.startsWith(SHADOW_REF_PREFIX)) shadowSpendUsd += e.costUsd;
    else if (e.kind === "chat" && e.ref) costByRef.set(e.ref, (costByRef.get(e.ref) ?? 0) + e.costUsd);
  }
  const teacherByIntent = new Map<string, { answers: number; costUsd: number }>();
  const teacher = { answers: 0, costUsd: 0, costPerAnswerUsd: 0 };
  const routed: CostReport["routed"] = { answers: 0, costUsd: 0, byTier: {} };
  let since: Date | null = null;
  for (const a of answers) {
    const cost = costByRef.get(a.id) ?? 0;
    if (a.tier === "teacher") {
      teacher.answers += 1;
      teacher.costUsd += cost;
      const t = teacherByIntent.get(a.intent) ?? { answers: 0, costUsd: 0 };
      t.answers += 1;
      t.costUsd += cost;
      teacherByIntent.set(a.intent, t);
    } else {
      routed.answers += 1;
      routed.costUsd += cost;
      const t = (routed.byTier[a.tier] ??= { answers: 0, costUsd: 0 });
      t.answers += 1;
      t.costUsd += cost;
      if (!since || a.createdAt < since) since = a.createdAt;
    }
  }
  teacher.costPerAnswerUsd = teacher.answers === 0 ? 0 : teacher.costUsd / teacher.answers;
  let teacherEquivalentUsd = 0;
  for (const a of answers) {
    if (a.tier === "teacher") continue;
    const t = teacherByIntent.get(a.intent);
    teacherEquivalentUsd += t && t.answers > 0 ? t.costUsd / t.answers : teacher.costPerAnswerUsd;
  }
  const grossSavingUsd = teacherEquivalentUsd - routed.costUsd;
  const monthAgo = new Date(now.getTime() - 30 * 86_400_000);
  const answersLast30Days = answers.filter((a) => a.createdAt >= monthAgo && a.createdAt <= now).length;
  const projectedMonthlySavingUsd =
    gate && gate.runId ? Math.max(0, ((gate.teacher.costPer1000Usd - gate.routed.costPer1000Usd) / 1000) * answersLast30Days) : null;
  return {
    since: since ? (since as Date).toISOString() : null,
    teacher,
    routed,
    teacherEquivalentUsd,
    grossSavingUsd,
    trainingSpendUsd,
    gateSpendUsd,
    shadowSpendUsd,
    netSavingUsd: grossSavingUsd - trainingSpendUsd - gateSpendUsd - shadowSpendUsd,
    answersLast30Days,
    projectedMonthlySavingUsd,
  };
}
