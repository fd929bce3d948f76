/**
 * Training jobs across a server crash, and demo mode's simulated provider, against the real
 * server over HTTP (its inline worker polls; the Together fake stands in for Together).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SHOP } from "../../app/config";
import { migrateDatabase, openDatabase, type Db } from "../../app/db/open-database";
import { createQueue } from "../../app/jobs/queue";
import { getTrainingJob, prepareTraining, startTrainingJob, TRAINING_POLL_KIND, type TrainingDeps } from "../../app/phases/training-jobs";
import { createTogetherTraining } from "../../app/providers/training/together-training";
import { encryptSecret } from "../../app/settings/secrets";
import { startFakeTogether, type FakeTogether } from "../fakes/together-server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { repoRoot, startTestServer, type TestServer } from "../support/server";

const SHOP = "loom-and-ladle.myshopify.com";
const LINE = JSON.stringify({ messages: [{ role: "user", content: "Title: Oak ladle" }, { role: "assistant", content: "<p>Carved from one piece of oak.</p>" }] });

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("training jobs and the server", () => {
  let database: TestDatabase;
  let db: Db;
  let fake: FakeTogether;
  const encryptionKey = randomBytes(32).toString("base64");
  const servers: TestServer[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    db = openDatabase(database.url);
    fake = await startFakeTogether({ apiKey: "tg-key" });
  });
  afterAll(async () => {
    for (const server of servers) await server.stop().catch(() => {});
    expect(fake?.violations).toEqual([]);
    await fake?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it("GIVEN a job polled by the server's worker WHEN the server crashes and starts again THEN the job completes once", async () => {
    // The shop trains on Together (the fake), with its key sealed as Settings seals it.
    const training = JSON.stringify({ provider: "together", baseUrl: fake.url });
    const trainingSecrets = encryptSecret(JSON.stringify({ apiKey: "tg-key" }), encryptionKey);
    await db.shopSettings.upsert({ where: { shop: SHOP }, create: { shop: SHOP, training, trainingSecrets }, update: { training, trainingSecrets } });
    const env = { GROUNDWORK_ENCRYPTION_KEY: encryptionKey };
    const first = await startTestServer({ database, env });
    servers.push(first);

    const deps: TrainingDeps = { db, queue: createQueue(db, database.url), providerFor: async () => createTogetherTraining({ apiKey: "tg-key", baseURL: fake.url, maxRetries: 0 }), pollIntervalMs: 1000 };
    const prepared = await prepareTraining(deps, { shop: SHOP, baseModel: "Qwen/Qwen3-4B-Instruct", train: { filename: "t.jsonl", jsonl: `${LINE}\n` }, trainingTokens: 20 });
    const started = await startTrainingJob(deps, { shop: SHOP, purpose: "distill", baseModel: "Qwen/Qwen3-4B-Instruct", trainingFileId: prepared.trainingFileId, suffix: "student", estimate: prepared.estimate });
    fake.advance(1000);
    const queued = await waitFor(() => getTrainingJob(db, SHOP, started.id), (j) => j?.status === "queued", 30_000);
    expect(queued?.status).toBe("queued");

    await first.kill("SIGKILL"); // no goodbye: leases and queued polls are all that is left
    fake.advance(20_000); // the provider finishes while the app is down

    const second = await startTestServer({ database, env });
    servers.push(second);
    // Outside demo mode a running job is polled every 30 s.
    const done = await waitFor(() => getTrainingJob(db, SHOP, started.id), (j) => j?.status === "completed", 90_000);
    expect(done).toMatchObject({ status: "completed", resultModel: expect.stringContaining("student"), simulated: false });
    expect(done!.lossPoints.length).toBeGreaterThan(3);
    expect(fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/fine-tunes")).toHaveLength(1);
    // The poll that saw the completion finishes its hook after the job row reads "completed"; then none is left.
    await expect.poll(() => db.job.count({ where: { kind: TRAINING_POLL_KIND, status: { in: ["queued", "running"] } } }), { timeout: 30_000 }).toBe(0);
    await second.stop();
  }, 240_000);
  it("GIVEN demo mode THEN the demo shop trains on the simulated provider, labelled as such on the Settings page", async () => {
    // As a fresh demo shop: no training choice made yet (the demo store is already imported).
    await db.shopSettings.updateMany({ where: { shop: DEMO_SHOP }, data: { training: "{}", trainingSecrets: null } });
    // The first demo start imports the demo store, which takes a while on a busy machine.
    const server = await startTestServer({ demo: true, database, env: { GROUNDWORK_WORKER: "off", GROUNDWORK_ENCRYPTION_KEY: encryptionKey }, readyTimeoutMs: 150_000 });
    servers.push(server);
    const data = (await (await fetch(`${server.url}/app/settings?_data=routes%2Fapp.settings`)).json()) as { training: { label: string; simulated: boolean; settings: { baseUrl: string } } };
    expect(data.training).toMatchObject({ label: "simulated training", simulated: true });
    const models = (await (await fetch(`${data.training.settings.baseUrl}/fine-tunes/models/supported`)).json()) as { models: string[] };
    expect(models.models.length).toBeGreaterThan(0);
    expect(await (await fetch(`${server.url}/app/settings`)).text()).toContain("simulated training");
    await server.stop();
  }, 180_000);

});
