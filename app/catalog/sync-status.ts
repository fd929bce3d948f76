/**
 * What the Sync page shows a merchant: the current (or last) full sync and its
 * progress, what is indexed per source type, the last webhook heard, how far the
 * queue lags, and the jobs that failed for good. Every query names the shop.
 */
import type { Db } from "../db/open-database";
import type { Queue } from "../jobs/queue";

export interface SyncRunView {
  id: number;
  kind: string;
  status: string;
  phase: string | null;
  processed: number;
  total: number | null;
  error: string | null;
  counts: Record<string, number>;
  startedAt: string;
  finishedAt: string | null;
}

export interface SourceCounts {
  sourceType: string;
  visible: number;
  hidden: number;
}

export interface DeadLetterView {
  id: number;
  kind: string;
  key: string;
  lastError: string | null;
  attempts: number;
  finishedAt: string | null;
}

export interface RetryingJobView {
  id: number;
  kind: string;
  key: string;
  lastError: string;
  attempts: number;
  maxAttempts: number;
  runAt: string;
}

export interface SyncStatus {
  /** The running full sync, else the latest one. */
  run: SyncRunView | null;
  /** True while a full sync runs or waits in the queue: the page refreshes itself. */
  syncing: boolean;
  sources: SourceCounts[];
  lastWebhook: { topic: string; receivedAt: string } | null;
  queue: { queued: number; running: number; dead: number; oldestQueuedAgeMs: number | null };
  /** Jobs that failed and will be tried again. */
  retrying: RetryingJobView[];
  deadLetters: DeadLetterView[];
}

/** Job kinds that rebuild the whole catalog (the progress bar follows them). */
export const FULL_SYNC_KINDS = ["sync.full", "bulk.finish", "demo.reimport", "index.rebuild"] as const;

const SOURCE_ORDER = ["product", "policy", "page", "document"];

function parseCounts(text: string): Record<string, number> {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, number] => typeof e[1] === "number"));
  } catch {
    return {};
  }
}

export async function loadSyncStatus(db: Db, shop: string, now: Date = new Date()): Promise<SyncStatus> {
  const [running, latest, groups, lastWebhook, jobGroups, oldest, fullSyncJobs, retrying, dead] = await Promise.all([
    db.syncRun.findFirst({ where: { shop, status: "running" }, orderBy: { id: "desc" } }),
    db.syncRun.findFirst({ where: { shop }, orderBy: { id: "desc" } }),
    db.catalogItem.groupBy({ by: ["sourceType", "visible"], where: { shop }, _count: { _all: true } }),
    db.webhookDelivery.findFirst({ where: { shop }, orderBy: { receivedAt: "desc" }, select: { topic: true, receivedAt: true } }),
    db.job.groupBy({ by: ["status"], where: { shop, status: { in: ["queued", "running", "dead"] } }, _count: { _all: true } }),
    db.job.findFirst({ where: { shop, status: { in: ["queued", "running"] } }, orderBy: { createdAt: "asc" }, select: { createdAt: true } }),
    db.job.count({ where: { shop, kind: { in: [...FULL_SYNC_KINDS] }, status: { in: ["queued", "running"] } } }),
    db.job.findMany({ where: { shop, status: "queued", lastError: { not: null } }, orderBy: { id: "desc" }, take: 20 }),
    db.job.findMany({ where: { shop, status: "dead" }, orderBy: { id: "desc" }, take: 50 }),
  ]);

  const run = running ?? latest;
  const bySource = new Map<string, SourceCounts>();
  for (const g of groups) {
    const row = bySource.get(g.sourceType) ?? { sourceType: g.sourceType, visible: 0, hidden: 0 };
    if (g.visible) row.visible += g._count._all;
    else row.hidden += g._count._all;
    bySource.set(g.sourceType, row);
  }
  for (const type of SOURCE_ORDER) if (!bySource.has(type)) bySource.set(type, { sourceType: type, visible: 0, hidden: 0 });
  const sources = [...bySource.values()].sort((a, b) => rank(a.sourceType) - rank(b.sourceType));

  const count = (status: string) => jobGroups.find((g) => g.status === status)?._count._all ?? 0;
  return {
    run: run
      ? {
          id: run.id,
          kind: run.kind,
          status: run.status,
          phase: run.phase,
          processed: run.processed,
          total: run.total,
          error: run.error,
          counts: parseCounts(run.counts),
          startedAt: run.startedAt.toISOString(),
          finishedAt: run.finishedAt?.toISOString() ?? null,
        }
      : null,
    syncing: Boolean(running) || fullSyncJobs > 0,
    sources,
    lastWebhook: lastWebhook ? { topic: lastWebhook.topic, receivedAt: lastWebhook.receivedAt.toISOString() } : null,
    queue: {
      queued: count("queued"),
      running: count("running"),
      dead: count("dead"),
      oldestQueuedAgeMs: oldest ? Math.max(0, now.getTime() - oldest.createdAt.getTime()) : null,
    },
    retrying: retrying.map((j) => ({
      id: j.id,
      kind: j.kind,
      key: j.key,
      lastError: j.lastError ?? "",
      attempts: j.attempts,
      maxAttempts: j.maxAttempts,
      runAt: j.runAt.toISOString(),
    })),
    deadLetters: dead.map((j) => ({
      id: j.id,
      kind: j.kind,
      key: j.key,
      lastError: j.lastError,
      attempts: j.attempts,
      finishedAt: j.finishedAt?.toISOString() ?? null,
    })),
  };
}

function rank(sourceType: string): number {
  const i = SOURCE_ORDER.indexOf(sourceType);
  return i < 0 ? SOURCE_ORDER.length : i;
}

export type RequestResyncResult = { kind: string; jobId: number; coalesced: boolean };

/**
 * Queues a rebuild of the shop's index: a full sync from the Admin API, or, in demo
 * mode (no Admin API), a re-import of the demo store. Pressing twice coalesces.
 */
export async function requestResync(queue: Queue, shop: string, options: { demo: boolean }): Promise<RequestResyncResult> {
  const kind = options.demo ? "demo.reimport" : "sync.full";
  const { id, coalesced } = await queue.enqueue({ shop, kind, key: "sync" });
  return { kind, jobId: id, coalesced };
}

/** 0..1 for a progress bar; null when the total is not known yet. */
export function syncProgressFraction(run: Pick<SyncRunView, "processed" | "total" | "status">): number | null {
  if (run.status === "done") return 1;
  if (!run.total || run.total <= 0) return null;
  return Math.max(0, Math.min(1, run.processed / run.total));
}
