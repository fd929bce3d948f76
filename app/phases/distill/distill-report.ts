/**
 * Everything the phase 3 page and `groundwork distill report` show, read from what is stored:
 * the funnel (traces → dataset → training → gate → shadow → canary → full), the gate table,
 * live routing share per intent, rollbacks, shadow comparisons and the cost report.
 */
import type { Db } from "../../db/open-database";
import { loadCostReport, type CostReport } from "./cost-report";
import { loadGateReport } from "./gate";
import { loadRollout } from "./rollout";
import { countTraces } from "./traces";
import type { GateReport, Rollback, RolloutStage, StudentModel, Tier } from "./types";

export interface DistillReport {
  shop: string;
  funnel: {
    traces: number;
    dataset: { train: number; eval: number };
    training: { status: string; provider: string; simulated: boolean; baseModel: string } | null;
    gate: { runId: string; passed: boolean } | null;
    stage: RolloutStage;
  };
  gate: GateReport;
  rollout: { stage: RolloutStage; canaryPercent: number; routes: Record<string, Tier>; rollbacks: Rollback[]; student: StudentModel | null; history: { at: string; stage: RolloutStage; reason: string }[] };
  /** Live answers in the last 30 days, per intent and tier (shares sum to 1 per intent). */
  routingShare: Record<string, Record<string, number>>;
  shadow: { answers: number; validated: number; agreed: number; spentUsd: number; capUsd: number };
  cost: CostReport;
  /** True when any part ran on the simulated provider (demo mode). */
  simulated: boolean;
}

export async function loadDistillReport(db: Db, shop: string, now: Date = new Date()): Promise<DistillReport> {
  const rollout = await loadRollout(db, shop);
  const gate = await loadGateReport(db, shop);
  const [traces, train, held, shadowRows, live] = await Promise.all([
    countTraces(db, shop),
    db.distillExample.count({ where: { shop, split: "train" } }),
    db.distillExample.count({ where: { shop, split: "eval" } }),
    db.distillShadowResult.findMany({ where: { shop }, select: { validated: true, agreed: true } }),
    db.answerLog.groupBy({ by: ["intent", "tier"], where: { shop, createdAt: { gte: new Date(now.getTime() - 30 * 86_400_000) } }, _count: { _all: true } }),
  ]);
  const routingShare: DistillReport["routingShare"] = {};
  const totals = new Map<string, number>();
  for (const row of live) totals.set(row.intent, (totals.get(row.intent) ?? 0) + row._count._all);
  for (const row of live) (routingShare[row.intent] ??= {})[row.tier] = row._count._all / (totals.get(row.intent) ?? 1);
  const cost = await loadCostReport(db, shop, gate, now);
  const training = rollout.training;
  return {
    shop,
    funnel: {
      traces,
      dataset: { train, eval: held },
      training: training ? { status: training.status, provider: training.provider, simulated: training.simulated, baseModel: training.baseModel } : null,
      gate: gate.runId ? { runId: gate.runId, passed: gate.passed } : null,
      stage: rollout.stage,
    },
    gate,
    rollout: {
      stage: rollout.stage,
      canaryPercent: rollout.canaryPercent,
      routes: rollout.routes as Record<string, Tier>,
      rollbacks: rollout.rollbacks,
      student: rollout.student,
      history: rollout.history,
    },
    routingShare,
    shadow: {
      answers: shadowRows.length,
      validated: shadowRows.filter((r) => r.validated).length,
      agreed: shadowRows.filter((r) => r.agreed).length,
      spentUsd: rollout.shadowSpentUsd,
      capUsd: rollout.shadowSpendCapUsd,
    },
    cost,
    simulated: Boolean(training?.simulated || rollout.student?.simulated),
  };
}
