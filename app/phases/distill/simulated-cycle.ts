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
import { generateCatalogQuestions } from "../../evaluation/catalog-questions";
import { recordAnswer } from "../../insights/answer-log";
import { DEFAULT_PRICE_TABLE } from "../../insights/usage-ledger";
import { createOpenAIChatModel } from "../../providers/openai-chat";
import { SIMULATED_MODEL_PRICES, SIMULATED_STUDENT_BASE, SIMULATED_TEACHER_MODEL } from "../../providers/training/simulated-chat";
import { createTogetherTraining } from "../../providers/training/together-training";
import { refreshDataset } from "./dataset";
import { loadGateReport, runGateEvaluation } from "./gate";
import { applyGate, changeStage, loadRollout, saveRollout } from "./rollout";
import { createRoute } from "./route";
import { checkStudentTraining, startStudentTraining } from "./train-student";

export interface SimulatedCycleInput {
  db: Db;
  shop: string;
  /** The shop's answering parts (store, embedder, catalog, profile); the answerer is replaced. */
  deps: Omit<AnswerQuestionDeps, "answerer">;
  catalog: Pick<CatalogBatch, "products" | "policies" | "pages" | "documents">;
  /** The simulated server's base URL (with /v1). */
  simulatedUrl: string;
  storeName: string;
  log?: (line: string) => void;
}

export interface SimulatedCycleResult {
  traces: number;
  gatePassed: boolean;
  stage: string;
}

export async function runSimulatedCycle(input: SimulatedCycleInput): Promise<SimulatedCycleResult> {
  const { db, shop } = input;
  const log = input.log ?? (() => {});
  const priceTable = { ...DEFAULT_PRICE_TABLE, ...SIMULATED_MODEL_PRICES };
  const chat = (model: string) => createOpenAIChatModel({ baseURL: input.simulatedUrl, apiKey: "simulated", model, maxRetries: 0 });
  const teacher = createLlmAnswerer({ chat: chat(SIMULATED_TEACHER_MODEL), storeName: input.storeName });
  const questions = generateCatalogQuestions(input.catalog, { maxProducts: 24 });
  const ask = async (deps: AnswerQuestionDeps, q: { question: string; productHandle?: string }, id = randomUUID()) => {
    const out = await answerQuestionDetailed(deps, { shop, question: q.question, locale: "en", productHandle: q.productHandle });
    await recordAnswer(db, {
      id,
      shop,
      surface: "simulated",
      question: q.question,
      locale: "en",
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

  const provider = createTogetherTraining({ apiKey: "simulated", baseURL: input.simulatedUrl, label: "simulated training", simulated: true });
  await startStudentTraining(db, shop, provider, { baseModel: SIMULATED_STUDENT_BASE });
  let student = null;
  for (let i = 0; i < 120 && !student; i++) {
    student = (await checkStudentTraining(db, shop, provider, { price: SIMULATED_MODEL_PRICES[SIMULATED_STUDENT_BASE] })).student;
    if (!student) await new Promise((r) => setTimeout(r, 250));
  }
  if (!student) throw new Error("The simulated training did not finish in 30 seconds.");
  log(`simulated student ${student.model} trained`);
  const studentAnswerer = createLlmAnswerer({ chat: chat(student.model), storeName: input.storeName });
  const runId = await runGateEvaluation(
    { db, answerers: { local: createLocalAnswerer(), student: studentAnswerer }, priceTable: { ...priceTable, [student.model]: SIMULATED_MODEL_PRICES[SIMULATED_STUDENT_BASE] }, storeName: input.storeName, storeContact: {} },
    shop,
  );
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
      await ask({ ...teacherDeps, priceTable: { ...priceTable, [student.model]: SIMULATED_MODEL_PRICES[SIMULATED_STUDENT_BASE] }, route }, q, id);
    }
    log(`${s.stage}: ${sample.length} live questions`);
  }
  return { traces: questions.length, gatePassed: true, stage: "full" };
}
