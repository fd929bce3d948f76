/**
 * Where a webhook delivery and the job it causes are written: one transaction, two
 * inserts, so either both are stored or neither (a crash loses nothing, a replay adds
 * nothing: the delivery's unique key on shop + X-Shopify-Webhook-Id is the dedupe).
 *
 * On SQLite this is the hottest write in the app, and it shares the file's single write
 * lock with the worker process (docs/decisions/010). So it skips Prisma and writes
 * through its own better-sqlite3 connection: prepared statements, BEGIN IMMEDIATE, both
 * inserts and COMMIT in one synchronous step (the lock is never held across an await),
 * and no busy timeout: when the worker holds the lock, the write is retried a
 * millisecond later by a timer instead of SQLite sleeping on the server's event loop.
 * On PostgreSQL, Prisma's batch transaction does the same job without a single lock.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import type { Db } from "../db/open-database";
import { databaseProvider } from "../db/open-database";
import { sqliteFilePath } from "../db/migrate";

export interface WebhookRecord {
  shop: string;
  webhookId: string;
  /** Normalized topic. */
  topic: string;
  job: { kind: string; key: string; payload: string; eventAt: Date | null };
}

export type WebhookRecordResult = { status: "stored"; jobId: number } | { status: "duplicate" };

export interface WebhookStore {
  record(input: WebhookRecord): Promise<WebhookRecordResult>;
  close(): Promise<void>;
}

/** How long a delivery waits for the write lock before it fails (Prisma's SQLite connections wait as long). */
const LOCK_WAIT_MS = 5000;
/** How often the checkpointer thread copies the write-ahead log into the database file. */
const CHECKPOINT_EVERY_MS = 250;
/**
 * The intake's own connection checkpoints only if the log grows this long (pages of 4 KiB),
 * e.g. when the checkpointer thread is gone; SQLite's default is 1000.
 */
const FALLBACK_CHECKPOINT_PAGES = 10_000;

/**
 * A checkpoint fsyncs the log and the database file (milliseconds each). SQLite runs one
 * inside whichever COMMIT finds the log past 1000 pages, which at 200 deliveries a second
 * is the intake's, on the server's event loop, about once a second. This thread runs them
 * instead, on its own connection with the same synchronous setting (durability unchanged);
 * a PASSIVE checkpoint never blocks writers.
 */
const CHECKPOINTER_SOURCE = `
const { workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 1000");
setInterval(() => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch { /* busy or closing: the next tick tries again */ }
}, workerData.everyMs);
`;

function startCheckpointer(file: string): Worker | null {
  try {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    const thread = new Worker(CHECKPOINTER_SOURCE, { eval: true, workerData: { driver, file, everyMs: CHECKPOINT_EVERY_MS } });
    // If it fails, the intake's connection checkpoints by itself (FALLBACK_CHECKPOINT_PAGES).
    thread.on("error", (error) => console.warn(`[webhooks] WAL checkpointer stopped: ${error.message}`));
    thread.unref();
    return thread;
  } catch {
    return null;
  }
}

export function createWebhookStore(db: Db, dbUrl: string): WebhookStore {
  return databaseProvider(dbUrl) === "sqlite" ? createSqliteWebhookStore(sqliteFilePath(dbUrl)) : createPrismaWebhookStore(db);
}

function createPrismaWebhookStore(db: Db): WebhookStore {
  return {
    async record(input) {
      try {
        const [, job] = await db.$transaction([
          db.webhookDelivery.create({ data: { shop: input.shop, webhookId: input.webhookId, topic: input.topic } }),
          db.job.create({
            data: { shop: input.shop, kind: input.job.kind, key: input.job.key, payload: input.job.payload, eventAt: input.job.eventAt },
            select: { id: true },
          }),
        ]);
        return { status: "stored", jobId: job.id };
      } catch (error) {
        if (isPrismaUniqueViolation(error)) return { status: "duplicate" };
        throw error;
      }
    },
    async close() {
      // The Prisma client belongs to the services; they disconnect it.
    },
  };
}

/** Dates as Prisma's SQLite adapter writes them (ISO 8601, "+00:00"), so its reads and range filters agree. */
function sqliteDate(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}

function createSqliteWebhookStore(file: string): WebhookStore {
  // Opened on first use: the store is created with the services, possibly before migrations ran.
  let opened: { conn: Database.Database; checkpointer: Worker | null; write: (input: WebhookRecord) => number } | null = null;

  function open() {
    const conn = new Database(file);
    conn.pragma("journal_mode = WAL");
    // Never sleep inside SQLite on the server's thread: a busy lock throws and is retried by a timer.
    conn.pragma("busy_timeout = 0");
    const checkpointer = startCheckpointer(file);
    if (checkpointer) conn.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
    const insertDelivery = conn.prepare(`INSERT INTO "WebhookDelivery" ("shop", "webhookId", "topic", "receivedAt") VALUES (?, ?, ?, ?)`);
    const insertJob = conn.prepare(
      `INSERT INTO "Job" ("shop", "kind", "key", "payload", "status", "attempts", "maxAttempts", "runAt", "eventAt", "createdAt", "updatedAt")
       VALUES (?, ?, ?, ?, 'queued', 0, 5, ?, ?, ?, ?)`,
    );
    // The same columns and defaults as db.job.create in the queue (status queued, 5 attempts, runAt now).
    const write = conn.transaction((input: WebhookRecord): number => {
      const now = sqliteDate(new Date());
      insertDelivery.run(input.shop, input.webhookId, input.topic, now);
      const eventAt = input.job.eventAt ? sqliteDate(input.job.eventAt) : null;
      return Number(insertJob.run(input.shop, input.job.kind, input.job.key, input.job.payload, now, eventAt, now, now).lastInsertRowid);
    });
    return { conn, checkpointer, write: (input: WebhookRecord) => write.immediate(input) };
  }

  return {
    async record(input) {
      opened ??= open();
      const deadline = Date.now() + LOCK_WAIT_MS;
      for (let attempt = 1; ; attempt++) {
        try {
          return { status: "stored", jobId: opened.write(input) };
        } catch (error) {
          // The transaction rolled back: nothing of this delivery is stored.
          if (sqliteCode(error) === "SQLITE_CONSTRAINT_UNIQUE") return { status: "duplicate" };
          if (!sqliteCode(error).startsWith("SQLITE_BUSY") || Date.now() >= deadline) throw error;
        }
        // The worker's writes are single short statements: poll soon, back off a little.
        await new Promise((resolve) => setTimeout(resolve, Math.min(attempt, 5)));
      }
    },
    async close() {
      await opened?.checkpointer?.terminate();
      opened?.conn.close();
      opened = null;
    },
  };
}

function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

function isPrismaUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; meta?: { driverAdapterError?: { cause?: { kind?: string } } }; message?: string };
  return e.code === "P2002" || e.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation" || /Unique constraint/i.test(e.message ?? "");
}
