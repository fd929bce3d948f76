/**
 * The worker: claims jobs, coalesces those for one resource, runs their handler,
 * and records the outcome. It runs inside the server by default, or on its own
 * (`groundwork worker`); on PostgreSQL any number of them share the queue.
 */
import type { JobRecord, Queue } from "./queue";

export type JobHandler = (job: JobRecord, payload: unknown) => Promise<void>;

export interface WorkerOptions {
  queue: Queue;
  handlers: Record<string, JobHandler>;
  workerId: string;
  batchSize?: number;
  leaseMs?: number;
  idleDelayMs?: number;
  signal?: AbortSignal;
  onError?: (job: JobRecord, error: unknown, dead: boolean) => void;
}

export interface DrainResult {
  processed: number;
  failed: number;
  coalesced: number;
}

/** Claims and runs one batch. Returns how many jobs it handled. */
export async function runOneBatch(options: WorkerOptions): Promise<DrainResult> {
  const { queue, handlers, workerId } = options;
  const jobs = await queue.claim(workerId, { limit: options.batchSize ?? 20, leaseMs: options.leaseMs ?? 120_000 });
  const result: DrainResult = { processed: 0, failed: 0, coalesced: 0 };
  // Within a batch, only the newest job per resource runs; the older ones are superseded.
  const newest = new Map<string, JobRecord>();
  for (const job of jobs) {
    const k = `${job.shop}\u0000${job.kind}\u0000${job.key}`;
    const prev = newest.get(k);
    if (prev) {
      const keepNew = (job.eventAt?.getTime() ?? job.id) >= (prev.eventAt?.getTime() ?? prev.id);
      const superseded = keepNew ? prev : job;
      await queue.complete(superseded);
      result.coalesced++;
      if (keepNew) newest.set(k, job);
    } else newest.set(k, job);
  }
  // Every claimed job keeps its lease until this worker is done with it: a full sync can
  // outlast any fixed lease, and so can a batch run one job after another; without the
  // heartbeat another worker would see the lease expire and run the job a second time.
  const leaseMs = options.leaseMs ?? 120_000;
  const pending = new Set(newest.values());
  const heartbeat = setInterval(() => {
    for (const job of pending) {
      queue.extendLease(job, leaseMs).catch(() => {
        // A missed beat is retried at the next tick; the lease still has time left.
      });
    }
  }, Math.max(50, Math.floor(leaseMs / 3)));
  try {
    for (const job of newest.values()) {
      if (options.signal?.aborted) break;
      const handler = handlers[job.kind];
      try {
        if (!handler) throw new Error(`No handler for job kind "${job.kind}"`);
        await handler(job, JSON.parse(job.payload));
        pending.delete(job);
        await queue.complete(job);
        result.processed++;
        result.coalesced += await queue.supersede(job);
      } catch (error) {
        pending.delete(job);
        const { dead } = await queue.fail(job, error);
        result.failed++;
        options.onError?.(job, error, dead);
      }
    }
  } finally {
    clearInterval(heartbeat);
  }
  return result;
}

/** Runs until the queue has nothing ready (for tests, imports and the CLI). */
export async function drainQueue(options: WorkerOptions): Promise<DrainResult> {
  const total: DrainResult = { processed: 0, failed: 0, coalesced: 0 };
  for (;;) {
    const r = await runOneBatch(options);
    total.processed += r.processed;
    total.failed += r.failed;
    total.coalesced += r.coalesced;
    if (r.processed + r.failed + r.coalesced === 0 || options.signal?.aborted) return total;
  }
}

/** Runs until the signal aborts, sleeping briefly when idle. */
export async function runWorker(options: WorkerOptions): Promise<void> {
  const idle = options.idleDelayMs ?? 250;
  while (!options.signal?.aborted) {
    let r: DrainResult;
    try {
      r = await runOneBatch(options);
    } catch (error) {
      // A transient database error must not kill the loop.
      console.error(`[worker ${options.workerId}]`, error);
      r = { processed: 0, failed: 0, coalesced: 0 };
      await sleep(idle * 4, options.signal);
    }
    if (r.processed + r.failed + r.coalesced === 0) await sleep(idle, options.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
