/**
 * Demo mode's whole phase 3 cycle, offline and labelled simulated: the demo store's generated
 * questions are answered by a teacher LLM on the local simulated server and logged as traces,
 * the dataset is built, a student is trained on the simulated provider, the gate measures it,
 * and, when the gate passes, the rollout moves through shadow and canary to full with live
 * questions answered at each stage.
 */
import { randomUUID } from "node:crypto";
import { answerQuestionDetailed, type AnswerQuestionDeps } from "../../answering/answer-question";
import { createLlmAnswerer } from "../../answering/llm-answerer";
import { createLocalAnswerer } from "../../answering/local-answerer";
import type { CatalogBatch } from "../../catalog/types";
import type { Db } from "../../db/open-database";
import { generateAnyStoreQuestions } from "../../evaluation/any-store-questions";
import { generateCatalogQuestions } from "../../evaluation/catalog-questions";
import { recordAnswer } from "../../insights/answer-log";
import type { PriceTable } from "../../insights/usage-ledger";
import { createOpenAIChatModel } from "../../providers/openai-chat";
import { SIMULATED_STUDENT_BASE, SIMULATED_TEACHER_MODEL } from "../../providers/training/simulated-prices";
import { pollTrainingJob, type TrainingDeps } from "../training-jobs";
import { refreshDataset } from "./dataset";
import { loadGateReport, runGateEvaluation } from "./gate";
import { applyGate, changeStage, loadRollout, saveRollout } from "./rollout";
import { createRoute } from "./route";
import { withStudentPrice } from "./student-price";
import { startStudentTraining, syncStudentTraining } from "./train-student";

export interface SimulatedCycleInput {
  db: Db;
  shop: string;
  /** The shop's answering parts (store, embedder, catalog, profile); the answerer is replaced. */
  deps: Omit<AnswerQuestionDeps, "answerer">;
  catalog: Pick<CatalogBatch, "products" | "policies" | "pages" | "documents">;
  /** The simulated server's base URL (with /v1): where the simulated teacher answers. */
  simulatedUrl: string;
  /** Phase 2's training job tracking, on the shop's training provider (the simulated one in the demo). */
  training: TrainingDeps;
  /** The shop's price table in demo mode: the simulated models' entries price teacher and student. */
  priceTable: PriceTable;
  storeName: string;
  /** The store's currency, for price caps written in questions. */
  currency?: string;
  log?: (line: string) => void;
}

export interface DemoQuestion {
  question: string;
  locale: string;
  productHandle?: string;
}

/**
 * The shopper questions the demo's teacher answers: the evaluation's generated questions for
 * every product (sizes, stock, prices, policies, what the data cannot answer) and the "any
 * store" set (listings, recommendations, comparisons, policies, in every widget language), so
 * that each intent has enough held-out answers for the gate to measure. Deterministic.
 */
export function demoQuestions(catalog: SimulatedCycleInput["catalog"], currency?: string): DemoQuestion[] {
  const visible = catalog.products.filter((p) => p.status === "active" && p.published && p.variants.length > 0);
  const seen = new Set<string>();
  const out: DemoQuestion[] = [];
  const add = (q: DemoQuestion) => {
    const key = `${q.locale}|${q.productHandle ?? ""}|${q.question}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(q);
  };
  for (const q of generateCatalogQuestions(catalog, { maxProducts: visible.length })) add({ question: q.question, locale: "en", productHandle: q.productHandle });
  for (const q of generateAnyStoreQuestions({ products: catalog.products, policies: catalog.policies }, { products: DEMO_ANY_STORE_PRODUCTS, currency })) {
    add({ question: q.question, locale: q.locale, productHandle: q.productHandle });
  }
  return out;
}

/** Products the "any store" questions are drawn from: enough for every intent to reach the gate. */
const DEMO_ANY_STORE_PRODUCTS = 16;

export interface SimulatedCycleResult {
  traces: number;
  gatePassed: boolean;
  stage: string;
}

export async function runSimulatedCycle(input: SimulatedCycleInput): Promise<SimulatedCycleResult> {
  const { db, shop } = input;
  const log = input.log ?? (() => {});
  const priceTable = input.priceTable;
  const chat = (model: string) => createOpenAIChatModel({ baseURL: input.simulatedUrl, apiKey: "simulated", model, maxRetries: 0 });
  const teacher = createLlmAnswerer({ chat: chat(SIMULATED_TEACHER_MODEL), storeName: input.storeName });
  const questions = demoQuestions(input.catalog, input.currency);
  const ask = async (deps: AnswerQuestionDeps, q: DemoQuestion, id = randomUUID()) => {
    const out = await answerQuestionDetailed(deps, { shop, question: q.question, locale: q.locale, productHandle: q.productHandle });
    await recordAnswer(db, {
      id,
      shop,
      surface: "simulated",
      question: q.question,
      locale: q.locale,
      productHandle: q.productHandle ?? null,
      result: out.result,
      sources: out.sources,
      validation: out.validation,
      tier: out.tier,
      routeReason: out.routeReason,
      teacherPrompt: out.teacherPrompt,
      understanding: out.understanding,
    });
    await out.shadowDone;
    return out;
  };
  const teacherDeps: AnswerQuestionDeps = { ...input.deps, answerer: teacher, priceTable };
  for (const q of questions) await ask(teacherDeps, q);
  log(`simulated teacher answered ${questions.length} questions`);
  await refreshDataset(db, shop);

  // Phase 2's job tracking: a TrainingJob on the shop's training provider (the simulated one
  // in the demo), polled by the same handler the queue runs; its spend enters the ledger once.
  const training = await startStudentTraining(input.training, shop, { baseModel: SIMULATED_STUDENT_BASE });
  let student = null;
  for (let i = 0; i < 120 && !student; i++) {
    await pollTrainingJob(input.training, shop, { trainingJobId: training.trainingJobId });
    student = (await syncStudentTraining(input.training, shop, { trainingJobId: training.trainingJobId })).student;
    if (!student) await new Promise((r) => setTimeout(r, 250));
  }
  if (!student) throw new Error("The simulated training did not finish in 30 seconds.");
  log(`simulated student ${student.model} trained`);
  // The student is called with the key of the provider that trained it, from the shop's training settings.
  const endpoint = (await input.training.providerFor(shop, student.providerKind)).endpointFor(student.model);
  const studentAnswerer = createLlmAnswerer({
    chat: createOpenAIChatModel({ baseURL: student.baseURL, apiKey: endpoint.apiKey, model: student.model, maxRetries: 0 }),
    storeName: input.storeName,
  });
  // Priced by its base model's entry in the price table, like the teacher by its own.
  const pricedTable = withStudentPrice(priceTable, student);
  const runId = await runGateEvaluation({ db, answerers: { local: createLocalAnswerer(), student: studentAnswerer }, priceTable: pricedTable, storeName: input.storeName, storeContact: {} }, shop);
  const gate = await loadGateReport(db, shop, runId);
  await applyGate(db, shop, gate);
  if (!gate.passed) return { traces: questions.length, gatePassed: false, stage: "off" };

  const stages = [
    { stage: "shadow" as const, canaryPercent: undefined },
    { stage: "canary" as const, canaryPercent: 25 },
    { stage: "full" as const, canaryPercent: undefined },
  ];
  const sample = questions.slice(0, 12);
  for (const s of stages) {
    await changeStage(db, shop, { stage: s.stage, canaryPercent: s.canaryPercent, reason: "simulated cycle" });
    if (s.stage === "shadow") await saveRollout(db, shop, { ...(await loadRollout(db, shop)), shadowSampleRate: 0.5 });
    for (const q of sample) {
      const id = randomUUID();
      const state = await loadRollout(db, shop);
      const route = createRoute({ db, shop, state, teacher, answerers: { local: createLocalAnswerer(), student: studentAnswerer }, answerId: id });
      await ask({ ...teacherDeps, priceTable: pricedTable, route }, q, id);
    }
    log(`${s.stage}: ${sample.length} live questions`);
  }
  return { traces: questions.length, gatePassed: true, stage: "full" };
}
