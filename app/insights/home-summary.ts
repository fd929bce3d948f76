/** Figures for the admin's Home page, computed from stored data only. */
import type { Db } from "../db/open-database";

export interface HomeSummary {
  productsIndexed: number;
  contentIndexed: number;
  questionsThisWeek: number;
  answerRate: number | null;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

export async function loadHomeSummary(db: Db, shop: string, now: Date): Promise<HomeSummary> {
  const since = new Date(now.getTime() - WEEK_MS);
  const [productsIndexed, contentIndexed, questionsThisWeek, answered] = await Promise.all([
    db.catalogItem.count({ where: { shop, sourceType: "product", visible: true } }),
    db.catalogItem.count({ where: { shop, sourceType: { in: ["policy", "page", "document"] }, visible: true } }),
    db.answerLog.count({ where: { shop, createdAt: { gte: since } } }),
    db.answerLog.count({ where: { shop, createdAt: { gte: since }, refused: false } }),
  ]);
  return { productsIndexed, contentIndexed, questionsThisWeek, answerRate: questionsThisWeek ? answered / questionsThisWeek : null };
}
