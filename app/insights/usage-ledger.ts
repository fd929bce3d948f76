/**
 * The usage ledger: one row per model call (chat, embedding, training) with its
 * tokens, cost and latency, and the monthly figures the Home page and the phase
 * advisor read. Prices are USD per million tokens; the local models cost nothing.
 */
import type { Db } from "../db/open-database";

export type UsageKind = "chat" | "embedding" | "training";

/** USD per million tokens, by model id (same shape the answering pipeline takes). */
export type PriceTable = Record<string, { inputPerMTok: number; outputPerMTok: number }>;

/**
 * Defaults for common OpenAI models (list prices per million tokens). A merchant's
 * own table in Settings overrides these; unknown models cost 0 and are flagged.
 */
export const DEFAULT_PRICE_TABLE: PriceTable = {
  "local-composer": { inputPerMTok: 0, outputPerMTok: 0 },
  "use-lite-512": { inputPerMTok: 0, outputPerMTok: 0 },
  "gpt-4o-mini": { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  "gpt-4o": { inputPerMTok: 2.5, outputPerMTok: 10 },
  "gpt-4.1": { inputPerMTok: 2, outputPerMTok: 8 },
  "gpt-4.1-mini": { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  "gpt-4.1-nano": { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  "text-embedding-3-small": { inputPerMTok: 0.02, outputPerMTok: 0 },
  "text-embedding-3-large": { inputPerMTok: 0.13, outputPerMTok: 0 },
};

export interface CostResult {
  costUsd: number;
  /** False when the model is not in the table (its cost is counted as 0). */
  priced: boolean;
}

/** Cost of one call. The merchant's table wins over the defaults, model by model. */
export function costFor(priceTable: PriceTable | undefined, model: string, inputTokens: number, outputTokens: number): CostResult {
  const price = priceTable?.[model] ?? DEFAULT_PRICE_TABLE[model];
  if (!price) return { costUsd: 0, priced: false };
  const costUsd = (Math.max(0, inputTokens) * price.inputPerMTok + Math.max(0, outputTokens) * price.outputPerMTok) / 1_000_000;
  return { costUsd, priced: true };
}

export interface UsageRecord {
  shop: string;
  kind: UsageKind;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  ref?: string;
  /** For imports and tests; defaults to now. */
  createdAt?: Date;
}

export async function recordUsage(db: Db, usage: UsageRecord): Promise<void> {
  await db.usageEvent.create({
    data: {
      shop: usage.shop,
      kind: usage.kind,
      model: usage.model,
      inputTokens: Math.round(usage.inputTokens),
      outputTokens: Math.round(usage.outputTokens),
      costUsd: usage.costUsd,
      latencyMs: Math.round(usage.latencyMs),
      ref: usage.ref ?? null,
      ...(usage.createdAt ? { createdAt: usage.createdAt } : {}),
    },
  });
}

/** The calendar month (UTC) containing `now`. */
export function monthBounds(now: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end };
}

/**
 * Spend so far divided by the elapsed fraction of the month. In the month's first
 * hour the fraction is tiny and the projection wild, so it waits for one hour of data.
 */
export function projectMonthlySpend(spentSoFar: number, now: Date): number | null {
  const { start, end } = monthBounds(now);
  const elapsed = now.getTime() - start.getTime();
  if (elapsed < 3600_000) return null;
  return spentSoFar / (elapsed / (end.getTime() - start.getTime()));
}

export interface MonthlyUsage {
  monthStart: string;
  costUsd: number;
  projectedUsd: number | null;
  inputTokens: number;
  outputTokens: number;
  calls: number;
  byKind: Record<UsageKind, { costUsd: number; calls: number }>;
  byModel: { model: string; costUsd: number; calls: number }[];
}

export async function loadMonthlyUsage(db: Db, shop: string, now: Date): Promise<MonthlyUsage> {
  const { start } = monthBounds(now);
  const rows = await db.usageEvent.findMany({
    where: { shop, createdAt: { gte: start, lte: now } },
    select: { kind: true, model: true, inputTokens: true, outputTokens: true, costUsd: true },
  });
  const byKind: MonthlyUsage["byKind"] = { chat: { costUsd: 0, calls: 0 }, embedding: { costUsd: 0, calls: 0 }, training: { costUsd: 0, calls: 0 } };
  const byModel = new Map<string, { model: string; costUsd: number; calls: number }>();
  let costUsd = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  for (const r of rows) {
    costUsd += r.costUsd;
    inputTokens += r.inputTokens;
    outputTokens += r.outputTokens;
    const k = byKind[r.kind as UsageKind];
    if (k) {
      k.costUsd += r.costUsd;
      k.calls += 1;
    }
    const m = byModel.get(r.model) ?? { model: r.model, costUsd: 0, calls: 0 };
    m.costUsd += r.costUsd;
    m.calls += 1;
    byModel.set(r.model, m);
  }
  return {
    monthStart: start.toISOString(),
    costUsd,
    projectedUsd: projectMonthlySpend(costUsd, now),
    inputTokens,
    outputTokens,
    calls: rows.length,
    byKind,
    byModel: [...byModel.values()].sort((a, b) => b.costUsd - a.costUsd),
  };
}
