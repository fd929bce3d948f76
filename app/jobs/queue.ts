/**
 * The durable job queue, in the app database (docs/decisions/004).
 * - enqueue coalesces: a queued job for the same shop + key absorbs newer events.
 * - claim takes a lease; a worker that dies loses its lease and the job runs again.
 * - on PostgreSQL, claims use FOR UPDATE SKIP LOCKED so many workers share the queue.
 * - a job that keeps failing becomes "dead" (the dead-letter list shown in the admin).
 */
import type { Db } from "../db/open-database";
import { databaseProvider } from "../db/open-database";

export type JobStatus = "queued" | "running" | "done" | "dead";

export interface JobRecord {
  id: number;
  shop: string;
  kind: string;
  key: string;
  payload: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: string | null;
  eventAt: Date | null;
  createdAt: Date;
}

export interface EnqueueInput {
  shop: string;
  kind: string;
  /** Jobs with one key never run at once, and queued ones coalesce into the newest. */
  key: string;
  payload?: unknown;
  eventAt?: Date;
  runAt?: Date;
  maxAttempts?: number;
}

export interface Queue {
  enqueue(input: EnqueueInput): Promise<{ id: number; coalesced: boolean }>;
  claim(workerId: string, options?: { limit?: number; leaseMs?: number }): Promise<JobRecord[]>;
  complete(job: JobRecord): Promise<void>;
  fail(job: JobRecord, error: unknown): Promise<{ dead: boolean }>;
  extendLease(job: JobRecord, leaseMs: number): Promise<void>;
  /** After a job succeeded: queued jobs it made redundant (same resource, older event) are done. */
  supersede(job: JobRecord): Promise<number>;
  stats(shop?: string): Promise<Record<JobStatus, number>>;
  deadLetters(shop: string, limit?: number): Promise<JobRecord[]>;
  retryDead(shop: string, id: number): Promise<boolean>;
  deleteShop(shop: string): Promise<number>;
}

export function createQueue(db: Db, dbUrl: string, options: { now?: () => Date } = {}): Queue {
  const now = options.now ?? (() => new Date());
  const provider = databaseProvider(dbUrl);

  async function claimSqlite(workerId: string, limit: number, leaseMs: number): Promise<JobRecord[]> {
    const at = now();
    const until = new Date(at.getTime() + leaseMs);
    // One statement is its own transaction, so the claim holds SQLite's single write lock only
    // while it runs. An interactive transaction would hold it across awaits in a worker that runs
    // at low priority, and every webhook delivery waits for that lock (docs/decisions/010).
    // A key with a job running under a live lease is skipped; several queued jobs for one key
    // may be claimed together (the worker coalesces them).
    const claimed = await db.$queryRawUnsafe<{ id: number | bigint }[]>(
      `UPDATE "Job" SET "status" = 'running', "lockedBy" = ?, "lockedUntil" = ?, "attempts" = "attempts" + 1, "updatedAt" = ?
       WHERE "id" IN (
         SELECT j."id" FROM "Job" j
         WHERE ((j."status" = 'queued' AND j."runAt" <= ?) OR (j."status" = 'running' AND j."lockedUntil" < ?))
           AND NOT EXISTS (SELECT 1 FROM "Job" r WHERE r."shop" = j."shop" AND r."key" = j."key" AND r."id" <> j."id"
                           AND r."status" = 'running' AND r."lockedUntil" >= ?)
         ORDER BY j."id"
         LIMIT ?)
       RETURNING "id"`,
      workerId,
      until,
      at,
      at,
      at,
      at,
      limit,
    );
    if (claimed.length === 0) return [];
    // The rows as claimed (a read takes no write lock; only this worker changes them now).
    return (await db.job.findMany({ where: { id: { in: claimed.map((r) => Number(r.id)) } }, orderBy: { id: "asc" } })) as JobRecord[];
  }

  async function claimPostgres(workerId: string, limit: number, leaseMs: number): Promise<JobRecord[]> {
    const at = now();
    const until = new Date(at.getTime() + leaseMs);
    // SKIP LOCKED: concurrent workers each take different rows without waiting.
    const rows = await db.$queryRawUnsafe<JobRecord[]>(
      `UPDATE "Job" SET status = 'running', "lockedBy" = $1, "lockedUntil" = $2, attempts = attempts + 1, "updatedAt" = $3
       WHERE id IN (
         SELECT j.id FROM "Job" j
         WHERE ((j.status = 'queued' AND j."runAt" <= $3) OR (j.status = 'running' AND j."lockedUntil" < $3))
           AND NOT EXISTS (SELECT 1 FROM "Job" r WHERE r.shop = j.shop AND r.key = j.key AND r.id <> j.id
                           AND r.status = 'running' AND r."lockedUntil" >= $3)
         ORDER BY j.id
         FOR UPDATE SKIP LOCKED
         LIMIT $4)
       RETURNING *`,
      workerId,
      until,
      at,
      limit,
    );
    return rows.sort((a, b) => a.id - b.id);
  }

  return {
    async enqueue(input) {
      const payload = JSON.stringify(input.payload ?? {});
      const existing = await db.job.findFirst({
        where: { shop: input.shop, key: input.key, kind: input.kind, status: "queued" },
        orderBy: { id: "desc" },
      });
      if (existing) {
        // Keep the newest event; an older, late-arriving one must not overwrite it.
        const newer = !existing.eventAt || !input.eventAt || input.eventAt >= existing.eventAt;
        if (newer) {
          await db.job.update({ where: { id: existing.id }, data: { payload, eventAt: input.eventAt ?? existing.eventAt } });
        }
        return { id: existing.id, coalesced: true };
      }
      const job = await db.job.create({
        data: {
          shop: input.shop,
          kind: input.kind,
          key: input.key,
          payload,
          eventAt: input.eventAt ?? null,
          runAt: input.runAt ?? now(),
          maxAttempts: input.maxAttempts ?? 5,
        },
      });
      return { id: job.id, coalesced: false };
    },

    async claim(workerId, options = {}) {
      const limit = options.limit ?? 10;
      const leaseMs = options.leaseMs ?? 60_000;
      return provider === "sqlite" ? claimSqlite(workerId, limit, leaseMs) : claimPostgres(workerId, limit, leaseMs);
    },

    async complete(job) {
      await db.job.updateMany({
        where: { id: job.id, lockedBy: job.lockedBy },
        data: { status: "done", finishedAt: now(), lockedUntil: null, lastError: null },
      });
    },

    async fail(job, error) {
      const message = error instanceof Error ? error.message : String(error);
      const dead = job.attempts >= job.maxAttempts;
      // Exponential backoff: 2s, 4s, 8s, ... capped at 5 minutes.
      const delay = Math.min(300_000, 1000 * 2 ** job.attempts);
      await db.job.updateMany({
        where: { id: job.id, lockedBy: job.lockedBy },
        data: {
          status: dead ? "dead" : "queued",
          lastError: message.slice(0, 2000),
          lockedUntil: null,
          runAt: new Date(now().getTime() + delay),
          finishedAt: dead ? now() : null,
        },
      });
      return { dead };
    },

    async extendLease(job, leaseMs) {
      await db.job.updateMany({ where: { id: job.id, lockedBy: job.lockedBy }, data: { lockedUntil: new Date(now().getTime() + leaseMs) } });
    },

    async supersede(job) {
      // With event times, an older or equal event is covered; without, every job queued
      // before this one ran (a lower id) is: the handler read the latest state.
      const base = { shop: job.shop, kind: job.kind, key: job.key, status: "queued", id: { not: job.id } };
      const where = job.eventAt ? { ...base, eventAt: { lte: job.eventAt } } : { ...base, eventAt: null, id: { lt: job.id } };
      const r = await db.job.updateMany({ where, data: { status: "done", finishedAt: now() } });
      return r.count;
    },

    async stats(shop) {
      const groups = await db.job.groupBy({ by: ["status"], where: shop ? { shop } : {}, _count: { _all: true } });
      const out: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, dead: 0 };
      for (const g of groups) out[g.status as JobStatus] = g._count._all;
      return out;
    },

    async deadLetters(shop, limit = 50) {
      return (await db.job.findMany({ where: { shop, status: "dead" }, orderBy: { id: "desc" }, take: limit })) as JobRecord[];
    },

    async retryDead(shop, id) {
      const r = await db.job.updateMany({ where: { id, shop, status: "dead" }, data: { status: "queued", attempts: 0, runAt: now(), finishedAt: null } });
      return r.count > 0;
    },

    async deleteShop(shop) {
      return (await db.job.deleteMany({ where: { shop } })).count;
    },
  };
}
