/** Figures for the admin's Home page, computed from stored data only, always for one shop. */
import type { Db } from "../db/open-database";
import { dayKey, lastDays, percentile, ratio, startOfDays } from "./stats";
import { loadMonthlyUsage } from "./usage-ledger";

export interface SyncHealth {
  /** Items by source type (product, policy, page, document), visible ones only. */
  itemsBySourceType: Record<string, number>;
  hiddenItems: number;
  lastWebhook: { topic: string; receivedAt: string } | null;
  jobsQueued: number;
  jobsDead: number;
}

export interface DailyPoint {
  day: string;
  questions: number;
  answered: number;
  /** Null on a day without questions. */
  answerRate: number | null;
  costUsd: number;
}

export interface HomeSummary {
  productsIndexed: number;
  contentIndexed: number;
  sync: SyncHealth;
  questionsThisWeek: number;
  answerRate: number | null;
  refusalRate: number | null;
  /** Share of this week's ratings that were thumbs up. */
  thumbsUpRate: number | null;
  ratingsThisWeek: number;
  p95LatencyMs: number | null;
  costThisMonthUsd: number;
  projectedMonthUsd: number | null;
  /** 30 UTC days ending today, oldest first. */
  daily: DailyPoint[];
}

const WEEK_MS = 7 * 24 * 3600 * 1000;
export const SERIES_DAYS = 30;

export async function loadHomeSummary(db: Db, shop: string, now: Date): Promise<HomeSummary> {
  const weekAgo = new Date(now.getTime() - WEEK_MS);
  const seriesStart = startOfDays(now, SERIES_DAYS);
  const [items, lastWebhook, jobs, week, ratings, answersForSeries, usageForSeries, usage] = await Promise.all([
    db.catalogItem.groupBy({ by: ["sourceType", "visible"], where: { shop }, _count: { _all: true } }),
    db.webhookDelivery.findFirst({ where: { shop }, orderBy: { receivedAt: "desc" }, select: { topic: true, receivedAt: true } }),
    db.job.groupBy({ by: ["status"], where: { shop, status: { in: ["queued", "dead"] } }, _count: { _all: true } }),
    db.answerLog.findMany({ where: { shop, createdAt: { gte: weekAgo, lte: now } }, select: { refused: true, latencyMs: true } }),
    db.feedback.findMany({ where: { shop, createdAt: { gte: weekAgo, lte: now } }, select: { rating: true } }),
    db.answerLog.findMany({ where: { shop, createdAt: { gte: seriesStart, lte: now } }, select: { createdAt: true, refused: true } }),
    db.usageEvent.findMany({ where: { shop, createdAt: { gte: seriesStart, lte: now } }, select: { createdAt: true, costUsd: true } }),
    loadMonthlyUsage(db, shop, now),
  ]);

  const itemsBySourceType: Record<string, number> = { product: 0, policy: 0, page: 0, document: 0 };
  let hiddenItems = 0;
  for (const g of items) {
    if (g.visible) itemsBySourceType[g.sourceType] = (itemsBySourceType[g.sourceType] ?? 0) + g._count._all;
    else hiddenItems += g._count._all;
  }
  const jobCount = (status: string) => jobs.find((j) => j.status === status)?._count._all ?? 0;

  const answered = week.filter((a) => !a.refused).length;
  const ups = ratings.filter((r) => r.rating > 0).length;

  const byDay = new Map<string, DailyPoint>(lastDays(now, SERIES_DAYS).map((day) => [day, { day, questions: 0, answered: 0, answerRate: null, costUsd: 0 }]));
  for (const a of answersForSeries) {
    const point = byDay.get(dayKey(a.createdAt));
    if (!point) continue;
    point.questions += 1;
    if (!a.refused) point.answered += 1;
  }
  for (const u of usageForSeries) {
    const point = byDay.get(dayKey(u.createdAt));
    if (point) point.costUsd += u.costUsd;
  }
  const daily = [...byDay.values()].map((p) => ({ ...p, answerRate: ratio(p.answered, p.questions) }));

  return {
    productsIndexed: itemsBySourceType.product,
    contentIndexed: itemsBySourceType.policy + itemsBySourceType.page + itemsBySourceType.document,
    sync: {
      itemsBySourceType,
      hiddenItems,
      lastWebhook: lastWebhook ? { topic: lastWebhook.topic, receivedAt: lastWebhook.receivedAt.toISOString() } : null,
      jobsQueued: jobCount("queued"),
      jobsDead: jobCount("dead"),
    },
    questionsThisWeek: week.length,
    answerRate: ratio(answered, week.length),
    refusalRate: ratio(week.length - answered, week.length),
    thumbsUpRate: ratio(ups, ratings.length),
    ratingsThisWeek: ratings.length,
    p95LatencyMs: percentile(week.map((a) => a.latencyMs), 95),
    costThisMonthUsd: usage.costUsd,
    projectedMonthUsd: usage.projectedUsd,
    daily,
  };
}
