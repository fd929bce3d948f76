/** Gathers the advisor's live signals for one shop from the stored data. */
import { htmlToText } from "../catalog/html-to-text";
import type { Db } from "../db/open-database";
import { loadMonthlyUsage } from "../insights/usage-ledger";
import { loadShopSettings } from "../settings/shop-settings";
import { isLongFormRequest, THRESHOLDS, type PhaseSignals } from "./advisor";
import { loadCostReport } from "./distill/cost-report";
import { loadGateReport } from "./distill/gate";

export const CHANGE_TOPICS = ["products/create", "products/update", "products/delete", "inventory_levels/update"];
export const CHANGE_WINDOW_DAYS = 14;
export const DEMAND_WINDOW_DAYS = 30;

/** Characters of visible text in a product's description (HTML stripped). */
export function descriptionLength(productJson: string): number {
  try {
    const p = JSON.parse(productJson) as { descriptionHtml?: unknown };
    return typeof p.descriptionHtml === "string" ? htmlToText(p.descriptionHtml).trim().length : 0;
  } catch {
    return 0;
  }
}

export async function gatherPhaseSignals(db: Db, shop: string, now: Date): Promise<PhaseSignals> {
  const changeSince = new Date(now.getTime() - CHANGE_WINDOW_DAYS * 86_400_000);
  const demandSince = new Date(now.getTime() - DEMAND_WINDOW_DAYS * 86_400_000);
  const [settings, catalogSize, changes, questions, products, phase1Answers, ratings, usage] = await Promise.all([
    loadShopSettings(db, shop),
    db.catalogItem.count({ where: { shop, sourceType: "product", visible: true } }),
    db.webhookDelivery.count({ where: { shop, topic: { in: CHANGE_TOPICS }, receivedAt: { gte: changeSince, lte: now } } }),
    db.answerLog.findMany({ where: { shop, createdAt: { gte: demandSince, lte: now } }, select: { question: true } }),
    db.catalogItem.findMany({ where: { shop, sourceType: "product", visible: true }, select: { data: true } }),
    // Phase 1 answers are the ones the retrieval pipeline gave (playground tries excluded).
    db.answerLog.count({ where: { shop, refused: false, surface: { not: "playground" } } }),
    db.feedback.findMany({ where: { shop }, select: { rating: true } }),
    loadMonthlyUsage(db, shop, now),
  ]);
  const ups = ratings.filter((r) => r.rating > 0).length;
  const gate = await loadGateReport(db, shop);
  const distillSaving = gate.runId ? (await loadCostReport(db, shop, gate, now)).projectedMonthlySavingUsd : null;
  return {
    catalogSize,
    catalogChangeEvents: changes,
    changeWindowDays: CHANGE_WINDOW_DAYS,
    questionsInWindow: questions.length,
    longFormRequests: questions.filter((q) => isLongFormRequest(q.question)).length,
    demandWindowDays: DEMAND_WINDOW_DAYS,
    voiceDrift: settings.measurements.voiceDrift?.score ?? null,
    monthSpendUsd: usage.costUsd,
    projectedMonthSpendUsd: usage.projectedUsd,
    spendThresholdUsd: settings.spendThresholdUsd,
    productsWithGoodCopy: products.filter((p) => descriptionLength(p.data) >= THRESHOLDS.goodCopyMinChars).length,
    phase1Answers,
    ratings: ratings.length,
    thumbsUpRate: ratings.length ? ups / ratings.length : null,
    enabledPhase: settings.phase,
    projectedDistillSavingUsd: distillSaving,
  };
}
