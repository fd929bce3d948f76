/**
 * Fine-tuning jobs tracked on the durable queue, against the Together fake over HTTP and the
 * suite's database (SQLite, or PostgreSQL when DATABASE_URL says so).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/open-database";
import { createQueue } from "../../app/jobs/queue";
import { runOneBatch } from "../../app/jobs/worker";
import { cancelTrainingJob, getTrainingJob, trainedModelEndpoint, pollTrainingJob, prepareTraining, startTrainingJob, TRAINING_POLL_KIND, type TrainingDeps } from "../../app/phases/training-jobs";
import { createTogetherTraining } from "../../app/providers/training/together-training";
import { loadShopSettings } from "../../app/settings/shop-settings";
import { startFakeTogether, type FakeTogether } from "../fakes/together-server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { repoRoot } from "../support/server";

const SHOP = "loom-and-ladle.myshopify.com";
const LINE = JSON.stringify({ messages: [{ role: "system", content: "Warm, brief." }, { role: "user", content: "Title: Oak ladle" }, { role: "assistant", content: "<p>Carved from one piece of oak.</p>" }] });

describe("training jobs on the durable queue", () => {
  let database: TestDatabase;
  let db: Db;
  let fake: FakeTogether;
  let clock = new Date("2026-11-02T09:00:00Z");
  const now = () => clock;
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
    fake.advance(ms);
  };

  const depsOn = (database: Db): TrainingDeps => ({
    db: database,
    queue: createQueue(database, databaseUrl(), { now }),
    providerFor: async () => createTogetherTraining({ apiKey: "tg-key", baseURL: fake.url, maxRetries: 0 }),
    now,
    pollIntervalMs: 1000,
  });
  const databaseUrl = () => database.url;
  const handlersFor = (deps: TrainingDeps) => ({ [TRAINING_POLL_KIND]: (job: { shop: string }, payload: unknown) => pollTrainingJob(deps, job.shop, payload as { trainingJobId: number }) });

  async function startOne(deps: TrainingDeps, suffix = "voice") {
    const prepared = await prepareTraining(deps, { shop: SHOP, baseModel: "Qwen/Qwen3-4B-Instruct", train: { filename: "voice-train.jsonl", jsonl: `${LINE}\n${LINE}\n` }, trainingTokens: 60, hyperparameters: { epochs: 2 } });
    expect(prepared.estimate.source).toBe("provider");
    return startTrainingJob(deps, { shop: SHOP, purpose: "voice", baseModel: "Qwen/Qwen3-4B-Instruct", trainingFileId: prepared.trainingFileId, suffix, hyperparameters: { epochs: 2 }, estimate: prepared.estimate });
  }

  /** Runs workers until no poll is left, moving both clocks a second at a time. */
  async function runUntilIdle(deps: TrainingDeps, workerId: string, maxTicks = 60) {
    for (let i = 0; i < maxTicks; i++) {
      await runOneBatch({ queue: deps.queue, handlers: handlersFor(deps), workerId, leaseMs: 30_000 });
      if ((await db.job.count({ where: { kind: TRAINING_POLL_KIND, status: { in: ["queued", "running"] } } })) === 0) return;
      advance(1000);
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    db = openDatabase(database.url);
    fake = await startFakeTogether({ apiKey: "tg-key", failSuffix: /^broken/ });
  });
  beforeEach(async () => {
    await db.job.deleteMany();
    await db.trainingJob.deleteMany();
  });
  afterAll(async () => {
    expect(fake?.violations).toEqual([]);
    await fake?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it("GIVEN a job being polled WHEN its worker dies mid-poll and a new worker starts THEN the job completes once, with its loss curve and model", async () => {
    const deps = depsOn(db);
    const started = await startOne(deps);
    expect(started).toMatchObject({ status: "pending", provider: "together", simulated: false, estimatedPriceUsd: expect.any(Number) });

    // Worker A claims the poll and dies without finishing it (the process is gone).
    advance(1000);
    const claimed = await deps.queue.claim("worker-a", { leaseMs: 30_000 });
    expect(claimed.map((j) => j.kind)).toEqual([TRAINING_POLL_KIND]);

    // A new process: its own database connection, queue and worker.
    const db2 = openDatabase(database.url);
    try {
      const deps2 = depsOn(db2);
      advance(31_000); // worker A's lease runs out
      await runUntilIdle(deps2, "worker-b");
      const done = (await getTrainingJob(db2, SHOP, started.id))!;
      expect(done).toMatchObject({ status: "completed", providerStatus: "completed", errorCode: null, resultModel: expect.stringContaining("voice") });
      expect(done.lossPoints.length).toBeGreaterThan(5);
      expect(done.lossPoints.at(-1)!.loss).toBeLessThan(done.lossPoints[0].loss);
      expect(done.checkpoints.at(-1)?.modelId).toBe(done.resultModel);
      expect(done.finishedAt).not.toBeNull();
      expect(await trainedModelEndpoint(deps2, done)).toEqual({ baseURL: fake.url, model: done.resultModel, apiKey: "tg-key" });
      // Created once at the provider, and nothing left polling.
      expect(fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/fine-tunes")).toHaveLength(1);
      expect(await db2.job.count({ where: { kind: TRAINING_POLL_KIND, status: { in: ["queued", "running"] } } })).toBe(0);
      // Worker A coming back late changes nothing.
      await deps.queue.complete(claimed[0]);
      expect((await getTrainingJob(db, SHOP, started.id))!.finishedAt).toEqual(done.finishedAt);
    } finally {
      await db2.$disconnect();
    }
  });

  it("GIVEN a completed job WHEN it is polled again THEN what its purpose does with the result runs once, on the poll that stored it completed", async () => {
    const completed: number[] = [];
    const deps: TrainingDeps = { ...depsOn(db), onCompleted: async (job) => void completed.push(job.id) };
    const started = await startOne(deps);
    advance(1000);
    await runUntilIdle(deps, "worker-once");
    expect((await getTrainingJob(db, SHOP, started.id))!.status).toBe("completed");
    await pollTrainingJob(deps, SHOP, { trainingJobId: started.id });
    await pollTrainingJob(deps, SHOP, { trainingJobId: started.id });
    expect(completed).toEqual([started.id]);
  });

  it("GIVEN a rate limit while polling THEN the poll waits the provider's Retry-After, shows why, and carries on", async () => {
    const deps = depsOn(db);
    const started = await startOne(deps);
    fake.inject({ method: "GET", path: /^\/fine-tunes\/[^/]+$/, status: 429, message: "Too many requests", headers: { "retry-after": "9" } });
    advance(1000);
    await runOneBatch({ queue: deps.queue, handlers: handlersFor(deps), workerId: "w" });
    const waiting = (await getTrainingJob(db, SHOP, started.id))!;
    expect(waiting).toMatchObject({ status: "pending", errorCode: "rate_limited" });
    const next = await db.job.findFirstOrThrow({ where: { kind: TRAINING_POLL_KIND, status: "queued" } });
    expect(next.runAt.getTime() - clock.getTime()).toBeGreaterThanOrEqual(9000);
    await runUntilIdle(deps, "w");
    expect(await getTrainingJob(db, SHOP, started.id)).toMatchObject({ status: "completed", errorCode: null, error: null });
  });

  it("GIVEN a job that fails at the provider THEN its reason is stored as given, and the shop stays in its phase", async () => {
    const deps = depsOn(db);
    const started = await startOne(deps, "broken-voice");
    await runUntilIdle(deps, "w");
    const failed = (await getTrainingJob(db, SHOP, started.id))!;
    expect(failed).toMatchObject({ status: "failed", errorCode: "job_failed", resultModel: null });
    expect(failed.error).toMatch(/loss diverged/);
    await expect(trainedModelEndpoint(deps, failed)).rejects.toMatchObject({ code: "not_found" });
    expect((await loadShopSettings(db, SHOP)).phase).toBe(1);
  });

  it("GIVEN the provider refuses to create the job THEN the refusal is stored, shown, and nothing polls", async () => {
    const deps = depsOn(db);
    fake.inject({ method: "POST", path: /^\/fine-tunes$/, status: 403, message: "Fine-tuning is not enabled for this account", type: "permission_error" });
    const refused = await startOne(deps);
    expect(refused).toMatchObject({ status: "failed", errorCode: "auth", providerJobId: null });
    expect(refused.error).toMatch(/Fine-tuning is not enabled/);
    expect(await db.job.count({ where: { kind: TRAINING_POLL_KIND } })).toBe(0);
  });

  it("GIVEN a running job WHEN the merchant cancels THEN polling records it cancelled; other shops cannot see or cancel it", async () => {
    const deps = depsOn(db);
    const started = await startOne(deps);
    advance(2000);
    expect(await cancelTrainingJob(deps, "someone-else.myshopify.com", started.id)).toBeNull();
    expect(await getTrainingJob(db, "someone-else.myshopify.com", started.id)).toBeNull();
    await cancelTrainingJob(deps, SHOP, started.id);
    await runUntilIdle(deps, "w");
    expect(await getTrainingJob(db, SHOP, started.id)).toMatchObject({ status: "cancelled", resultModel: null });
  });
});
