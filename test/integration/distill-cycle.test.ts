/**
 * Phase 3 end to end against the local provider servers: live answers from the teacher (an
 * OpenAI-compatible server through the real SDK) become traces, the dataset holds out an
 * evaluation split, the student is trained through the Together adapter against the Together
 * fake, the gate measures every tier, and the rollout goes shadow → canary → full. A student
 * that starts failing the validator mid-canary is rolled back per intent, and a cheap student
 * that gets prices wrong is refused by the gate.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoStoreDir } from "../../app/catalog/demo-store";
import { importCatalogFiles } from "../../app/catalog/import-files";
import { loadConfig } from "../../app/config";
import { migrateDatabase } from "../../app/db/open-database";
import { generateCatalogQuestions } from "../../app/evaluation/catalog-questions";
import { loadCatalogFilesForShop } from "../../app/catalog/import-files";
import { exportDatasetJsonl, loadDataset, refreshDataset } from "../../app/phases/distill/dataset";
import { loadDistillReport } from "../../app/phases/distill/distill-report";
import { loadGateReport, runGateEvaluation } from "../../app/phases/distill/gate";
import { applyGate, changeStage, loadRollout, saveRollout } from "../../app/phases/distill/rollout";
import { startStudentTraining, syncStudentTraining } from "../../app/phases/distill/train-student";
import { trainingDepsFor } from "../../app/jobs/handlers";
import { pollTrainingJob } from "../../app/phases/training-jobs";
import { encryptSecret } from "../../app/settings/secrets";
import { createLlmAnswerer } from "../../app/answering/llm-answerer";
import { createLocalAnswerer } from "../../app/answering/local-answerer";
import { createOpenAIChatModel } from "../../app/providers/openai-chat";
import { effectivePriceTable, DEFAULT_SETTINGS } from "../../app/settings/schema";
import { createServices, type Services } from "../../app/services";
import { FAKE_API_KEY, startFakeOpenAI, type FakeOpenAI } from "../fakes/openai-server";
import { startFakeTogether, type FakeTogether } from "../fakes/together-server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { groundedReply } from "../support/grounded-teacher";
import { HashedWordsEmbedder } from "../support/hashed-words-embedder";
import { repoRoot } from "../support/server";

const SHOP = "distill-cycle.myshopify.com";
const INTENTS = ["product_fact", "availability", "recommendation", "comparison", "policy"] as const;
const STUDENT_PRICE = { inputPerMTok: 0.01, outputPerMTok: 0.02 };
/** The shop's training provider key (Settings, sealed): the only key the student is called with. */
const TRAINING_KEY = "together-student-key";
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");

describe("phase 3: distillation cycle", () => {
  let database: TestDatabase;
  let services: Services;
  let openai: FakeOpenAI;
  let together: FakeTogether;
  /** Where the trained student is served (Together serves fine-tuned models OpenAI-compatibly), with the training key only. */
  let serving: FakeOpenAI;
  let studentModel = "";
  /** The student's behaviour, switched by the tests: fine, or stating wrong prices. */
  let studentMisstates = 0;
  let questions: { question: string; productHandle?: string }[] = [];
  /** The models the chat server serves; the trained student joins once training completes. */
  const chatModels = ["gpt-4o-mini"];
  const studentModels: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, repoRoot);
    together = await startFakeTogether({ apiKey: TRAINING_KEY });
    openai = await startFakeOpenAI({ chatModels });
    openai.setChatHandler((request) => groundedReply(request, { misstate: request.model === studentModel ? studentMisstates : 0 }));
    serving = await startFakeOpenAI({ chatModels: studentModels, apiKey: TRAINING_KEY });
    serving.setChatHandler((request) => groundedReply(request, { misstate: studentMisstates }));
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "gw-distill-"));
    services = createServices(
      loadConfig({ DATABASE_URL: database.url, GROUNDWORK_DATA_DIR: dataDir, GROUNDWORK_ANSWERER: "openai", OPENAI_API_KEY: FAKE_API_KEY, OPENAI_BASE_URL: openai.url, GROUNDWORK_ENCRYPTION_KEY: ENCRYPTION_KEY }, { requireShopify: false }),
      { embedder: new HashedWordsEmbedder("distill-test", 64) },
    );
    // The shop trains on Together (the fake) with its own key, sealed in its training settings.
    const training = JSON.stringify({ provider: "together", baseUrl: together.url });
    const trainingSecrets = encryptSecret(JSON.stringify({ apiKey: TRAINING_KEY }), ENCRYPTION_KEY);
    await services.db.shopSettings.upsert({ where: { shop: SHOP }, create: { shop: SHOP, training, trainingSecrets }, update: { training, trainingSecrets } });
    await importCatalogFiles(services.indexDeps, SHOP, [demoStoreDir(repoRoot)], { currency: "USD" });
    const batch = await loadCatalogFilesForShop(SHOP, [demoStoreDir(repoRoot)], { currency: "USD" });
    questions = generateCatalogQuestions(batch, { maxProducts: 12 }).map((q) => ({ question: q.question, productHandle: q.productHandle }));
  }, 180_000);
  afterAll(async () => {
    await services?.close();
    await openai?.close();
    await serving?.close();
    await together?.close();
    await database?.drop();
  });

  const ask = (question: string, productHandle?: string) => services.ask({ shop: SHOP, question, productHandle, surface: "storefront" });

  it("GIVEN live teacher answers WHEN the cycle runs THEN traces, dataset, training, gate, shadow, canary and full each do their part", async () => {
    // Traces: each live answer keeps the teacher's exact messages and full sources.
    for (const q of questions) await ask(q.question, q.productHandle);
    // Listings and complements: their prompt counts the catalog's matches, which the gate must send too.
    await ask("Which of your dresses can I buy in a size 8 right now?");
    await ask("all waterproof jackets under $200");
    await ask("What would go with this dress that's in stock in size 8?", "rowan-wrap-midi-dress");
    await ask("What goes well with this jacket?", "harbor-packable-rain-jacket");
    await ask("My email is jo@example.com and my order #10422 is late: do you ship to Canada?");
    const logged = await services.db.answerLog.findMany({ where: { shop: SHOP, trace: { not: null } } });
    expect(logged.length).toBeGreaterThan(10);
    const trace = JSON.parse(logged[0].trace as string);
    expect(trace.messages.map((m: { role: string }) => m.role)).toEqual(["system", "user"]);
    expect(trace.sources[0].text.length).toBeGreaterThan(0);
    const scrubbed = await services.db.answerLog.findFirst({ where: { shop: SHOP, question: { contains: "Canada" } } });
    expect(scrubbed?.question).toBe("My email is [email] and my order [order] is late: do you ship to Canada?");
    expect(scrubbed?.trace ?? "").not.toContain("jo@example.com");

    // Dataset: a held-out split per intent, never trained on; the same prompt layout as at run time.
    const dataset = await refreshDataset(services.db, SHOP);
    expect(dataset.eval).toBeGreaterThan(0);
    expect(dataset.train).toBeGreaterThan(dataset.eval);
    const again = await refreshDataset(services.db, SHOP);
    expect(again.train + again.eval).toBe(dataset.train + dataset.eval);
    const jsonl = await exportDatasetJsonl(services.db, SHOP, "train");
    const example = JSON.parse(jsonl.split("\n")[0]);
    expect(example.messages.map((m: { role: string }) => m.role)).toEqual(["system", "user", "assistant"]);
    expect(example.messages[1].content).toContain("<sources>");
    expect(JSON.parse(example.messages[2].content)).toMatchObject({ citation_ids: expect.any(Array), refused: expect.any(Boolean) });
    // No held-out example (its exact prompt: question and sources) is among the training lines.
    const trainedPrompts = new Set(jsonl.split("\n").filter(Boolean).map((line) => JSON.parse(line).messages[1].content));
    const heldOut = await loadDataset(services.db, SHOP, "eval");
    expect(heldOut.length).toBe(dataset.eval);
    for (const t of heldOut) expect(trainedPrompts.has(t.messages[1].content)).toBe(false);
    const heldQuestions = heldOut.map((t) => ({ question: t.question, intent: t.intent }));

    // Training through phase 2's job tracking (a TrainingJob polled by "training.poll"), on the shop's training provider: the Together fake.
    const jobs = trainingDepsFor(services);
    const training = await startStudentTraining(jobs, SHOP, { baseModel: "Qwen/Qwen3-4B-Instruct" });
    expect(training.providerJobId).toBeTruthy();
    expect(await services.db.trainingJob.findUnique({ where: { id: training.trainingJobId } })).toMatchObject({ shop: SHOP, purpose: "distill", provider: "together" });
    expect(await services.db.job.count({ where: { shop: SHOP, kind: "training.poll" } })).toBe(1);
    await pollTrainingJob(jobs, SHOP, { trainingJobId: training.trainingJobId });
    expect((await syncStudentTraining(jobs, SHOP)).student).toBeNull();
    together.advance(60_000);
    await pollTrainingJob(jobs, SHOP, { trainingJobId: training.trainingJobId });
    // The poll that saw it complete adopted the student; polling and reading again changes nothing.
    expect((await loadRollout(services.db, SHOP)).student?.model).toMatch(/distill/);
    await pollTrainingJob(jobs, SHOP, { trainingJobId: training.trainingJobId });
    await pollTrainingJob(jobs, SHOP, { trainingJobId: training.trainingJobId });
    await syncStudentTraining(jobs, SHOP);
    const spend = await services.db.usageEvent.findMany({ where: { shop: SHOP, kind: "training" } });
    expect(spend).toHaveLength(1);
    expect(spend[0].costUsd).toBe((await services.db.trainingJob.findUnique({ where: { id: training.trainingJobId } }))!.estimatedPriceUsd);
    // Together serves fine-tuned models on its OpenAI-compatible chat endpoint; here a chat fake that accepts only the training key stands in for it.
    const { student } = await syncStudentTraining(jobs, SHOP, { servingBaseURL: serving.url });
    expect(student?.model).toMatch(/distill/);
    expect(student).toMatchObject({ providerKind: "together", trainingJobId: training.trainingJobId, baseModel: "Qwen/Qwen3-4B-Instruct" });
    studentModel = student!.model;
    studentModels.push(studentModel);
    expect(await services.db.usageEvent.count({ where: { shop: SHOP, kind: "training" } })).toBe(1);

    // The gate: every tier on the held-out split, costs from the ledger.
    const priceTable = { ...effectivePriceTable(DEFAULT_SETTINGS), [studentModel]: STUDENT_PRICE };
    const studentAnswerer = createLlmAnswerer({ chat: createOpenAIChatModel({ baseURL: serving.url, apiKey: TRAINING_KEY, model: studentModel }), storeName: "Harbor & Heath" });
    const servedBeforeGate = serving.requests.length;
    const runId = await runGateEvaluation({ db: services.db, answerers: { local: createLocalAnswerer(), student: studentAnswerer }, priceTable, storeName: "Harbor & Heath", storeContact: {} }, SHOP);
    // The gate sends the student exactly each held-out trace's messages, a listing's or
    // recommendation's count of the catalog's matches included.
    const gateCalls = serving.requests.slice(servedBeforeGate).filter((r) => r.path.endsWith("/chat/completions"));
    expect(gateCalls.map((r) => r.body.messages)).toEqual(heldOut.map((t) => t.messages.map((m) => ({ role: m.role, content: m.content }))));
    expect(heldOut.filter((t) => / of the catalog meets? the conditions|asks what goes with/.test(t.messages[1].content)).length).toBeGreaterThan(0);
    const gate = await loadGateReport(services.db, SHOP, runId);
    expect(gate.reasons).toEqual([]);
    expect(gate.passed).toBe(true);
    expect(gate.costRatio).toBeGreaterThanOrEqual(5);
    const overallStudent = gate.rows.find((r) => r.intent === "overall")!.candidates.find((c) => c.tier === "student")!;
    expect(overallStudent.quality.claimAccuracy).toBe(1);
    expect(overallStudent.costPer1000Usd).toBeLessThan(gate.teacher.costPer1000Usd / 5);
    await expect(changeStage(services.db, SHOP, { stage: "canary" })).rejects.toMatchObject({ code: "gate_not_run" });
    await applyGate(services.db, SHOP, gate);

    // Shadow: the student answers in the background, never shown.
    await changeStage(services.db, SHOP, { stage: "shadow" });
    const state = await loadRollout(services.db, SHOP);
    await saveRollout(services.db, SHOP, { ...state, shadowSampleRate: 1 });
    const routedIntent = Object.keys(state.routes)[0];
    const q = questions.find((x) => heldQuestions.some((h) => h.question === x.question && h.intent === routedIntent)) ?? questions[0];
    const shadowed = await ask(q.question, q.productHandle);
    expect(shadowed.tier).toBe("teacher");
    await shadowed.shadowDone;
    const shadowRows = await services.db.distillShadowResult.findMany({ where: { shop: SHOP } });
    expect(shadowRows.length).toBe(1);
    expect(shadowRows[0].validated).toBe(true);

    // Canary at 100%, then full: routed intents are answered by their tier, with the reason logged.
    await changeStage(services.db, SHOP, { stage: "canary", canaryPercent: 100 });
    const canary = await ask(q.question, q.productHandle);
    expect(canary.tier).not.toBe("teacher");
    expect(canary.routeReason).toMatch(/canary/);
    // The student's live request carries exactly the prompt layout it was trained on: the
    // held-out trace's messages (training lines are the same messages plus the reply), same
    // system prompt, same sources block, structured output, its own model and training key.
    const studentIntent = Object.entries(state.routes).find(([, tier]) => tier === "student")?.[0];
    expect(studentIntent).toBeDefined();
    const heldForStudent = heldOut.find((t) => t.intent === studentIntent)!;
    const servedBefore = serving.requests.length;
    const live = await ask(heldForStudent.question, heldForStudent.productHandle ?? undefined);
    expect(live.tier).toBe("student");
    const studentCalls = serving.requests.slice(servedBefore).filter((r) => r.path.endsWith("/chat/completions"));
    expect(studentCalls).toHaveLength(1);
    expect(studentCalls[0].body.model).toBe(studentModel);
    expect(studentCalls[0].headers.authorization).toBe(`Bearer ${TRAINING_KEY}`);
    expect(studentCalls[0].body.response_format?.json_schema?.name).toBe("grounded_answer");
    expect(studentCalls[0].body.messages).toEqual(heldForStudent.messages.map((m) => ({ role: m.role, content: m.content })));
    expect(studentCalls[0].body.messages.map((m: { role: string }) => m.role)).toEqual(example.messages.slice(0, -1).map((m: { role: string }) => m.role));
    expect(studentCalls[0].body.messages[0].content).toBe(example.messages[0].content);
    // A correct student answering live is not rolled back.
    expect(live.validation.ok).toBe(true);
    expect((await loadRollout(services.db, SHOP)).rollbacks).toEqual([]);
    await changeStage(services.db, SHOP, { stage: "full" });
    const full = await ask(q.question, q.productHandle);
    expect(full.routeReason).toBe("full rollout");
    const logRow = await services.db.answerLog.findUnique({ where: { id: full.answerId } });
    expect(logRow?.tier).toBe(full.tier);
    expect(logRow?.routeReason).toBe("full rollout");

    expect((await loadRollout(services.db, SHOP)).rollbacks).toEqual([]);

    const report = await loadDistillReport(services.db, SHOP);
    expect(report.funnel).toMatchObject({ stage: "full", gate: { passed: true }, training: { status: "completed" } });
    expect(report.shadow.answers).toBe(1);
  });

  it("GIVEN the student starts failing the validator mid-canary THEN each failed answer is the teacher's, and the intent rolls back", async () => {
    const state = await loadRollout(services.db, SHOP);
    await saveRollout(services.db, SHOP, { ...state, stage: "canary", canaryPercent: 100, routes: Object.fromEntries(INTENTS.map((i) => [i, "student"])), windows: {}, rollbacks: [] });
    const priced = questions.filter((q) => /price|cost|how much/i.test(q.question));
    const q = priced[0] ?? questions[0];
    const before = await ask(q.question, q.productHandle);
    const intent = before.understanding.intent;
    expect(before.tier).toBe("student");
    studentMisstates = 7;
    const policy = state.rollbackPolicy;
    for (let i = 0; i < policy.minAnswers + 1; i++) {
      const out = await ask(q.question, q.productHandle);
      // The shopper never sees the student's wrong price: the teacher answered.
      expect(out.tier).toBe("teacher");
      expect(out.validation.ok).toBe(true);
      expect(out.routeReason ?? "").toMatch(/failed validation|rolled back/);
    }
    const after = await loadRollout(services.db, SHOP);
    expect(after.rollbacks.map((r) => r.intent)).toContain(intent);
    expect(after.rollbacks[0].reason).toMatch(/validator failures/);
    // In plain words: what the answer check caught, and that the teacher answered those same questions correctly.
    expect(after.rollbacks[0].reason).toMatch(/The answer check stopped \d+ student answers: gave a price no cited product has/);
    expect(after.rollbacks[0].reason).toMatch(/The teacher answered \d+ of these questions correctly\./);
    const next = await ask(q.question, q.productHandle);
    expect(next.tier).toBe("teacher");
    expect(next.routeReason).toMatch(/^rolled back/);
    studentMisstates = 0;
  });

  it("GIVEN a cheap student that gets prices wrong THEN the gate refuses it and keeps those intents with the teacher", async () => {
    studentMisstates = 3;
    const priceTable = { ...effectivePriceTable(DEFAULT_SETTINGS), [studentModel]: STUDENT_PRICE };
    const studentAnswerer = createLlmAnswerer({ chat: createOpenAIChatModel({ baseURL: serving.url, apiKey: TRAINING_KEY, model: studentModel }), storeName: "Harbor & Heath" });
    // Only the student is measured: the cheap tier that is wrong.
    const runId = await runGateEvaluation({ db: services.db, answerers: { student: studentAnswerer }, priceTable, storeName: "Harbor & Heath", storeContact: {} }, SHOP);
    const gate = await loadGateReport(services.db, SHOP, runId);
    studentMisstates = 0;
    const student = gate.rows.find((r) => r.intent === "overall")!.candidates.find((c) => c.tier === "student")!;
    expect(student.costPer1000Usd).toBeLessThan(gate.teacher.costPer1000Usd / 5);
    expect(student.quality.claimAccuracy).toBeLessThan(0.95);
    expect(gate.passed).toBe(false);
    const priceIntents = gate.rows.filter((r) => r.intent !== "overall" && r.candidates.some((c) => c.tier === "student" && c.examples >= gate.policy.minExamplesPerIntent && c.quality.claimAccuracy < 0.95));
    expect(priceIntents.length).toBeGreaterThan(0);
    for (const row of priceIntents) {
      expect(row.chosen).toBe("teacher");
      expect(row.reason).toMatch(/claimAccuracy/);
    }
    await applyGate(services.db, SHOP, gate);
    await expect(changeStage(services.db, SHOP, { stage: "full" })).rejects.toMatchObject({ code: "gate_failed" });
  });
});
