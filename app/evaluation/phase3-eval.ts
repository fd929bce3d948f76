/**
 * The evaluation's phase 3 section: on each catalog the teacher (an LLM on the local
 * simulated OpenAI-compatible server) answers the generated questions; its validated answers
 * become the dataset; a student is trained on the training split through the Together adapter
 * against the simulated provider; the local answerer and the student answer the held-out
 * split; the gate's figures and cost per 1,000 answers are reported per tier and for the
 * routed mix. Everything runs offline and is labelled simulated.
 */
import { answerQuestionDetailed, type AnswerQuestionDeps } from "../answering/answer-question";
import { createLlmAnswerer } from "../answering/llm-answerer";
import { createLocalAnswerer } from "../answering/local-answerer";
import type { Answerer, DraftAnswer } from "../answering/types";
import { validateAnswer, type ValidationResult } from "../answering/validate-answer";
import { costFor, type PriceTable } from "../insights/usage-ledger";
import { selectExamples, toJsonl } from "../phases/distill/dataset";
import { computeGate, requestOf, scoreAnswer, teacherOutcomes } from "../phases/distill/gate";
import { withStudentPrice } from "../phases/distill/student-price";
import type { EvalOutcome, GateReport, QualityFigures, Tier, Trace } from "../phases/distill/types";
import { createOpenAIChatModel } from "../providers/openai-chat";
import { SIMULATED_MODEL_PRICES, SIMULATED_STUDENT_BASE, SIMULATED_TEACHER_MODEL } from "../providers/training/simulated-chat";
import { startSimulatedTrainingServer, type SimulatedTrainingServer } from "../providers/training/simulated-training-server";
import { createTogetherTraining } from "../providers/training/together-training";
import type { TrainingProvider } from "../providers/training/types";
import type { EvalQuestion } from "./catalog-questions";

export interface Phase3TierSummary {
  costPer1000Usd: number;
  quality: QualityFigures;
}

export interface Phase3Summary {
  simulated: true;
  teacher: Phase3TierSummary;
  routed: Phase3TierSummary & { shareByTier: Record<Tier, number> };
  /** Teacher cost over routed cost; null when the routed mix costs nothing. */
  costRatio: number | null;
  gatePassed: boolean;
  byTier: Record<string, Phase3TierSummary & { examples: number }>;
  catalogs: Phase3CatalogLine[];
  /** The same figures per store (the demo store and each shared catalog), each from its own student and gate. */
  byStore: Record<string, Phase3StoreSummary>;
}

export interface Phase3CatalogLine {
  catalog: string;
  traces: number;
  heldOut: number;
  costRatio: number | null;
  shareByTier: Record<Tier, number>;
}

export interface Phase3StoreSummary {
  questions: number;
  traces: number;
  heldOut: number;
  teacher: Phase3TierSummary;
  routed: Phase3TierSummary & { shareByTier: Record<Tier, number> };
  costRatio: number | null;
  gatePassed: boolean;
}

export interface Phase3Session {
  runCatalog(deps: AnswerQuestionDeps, input: { catalog: string; shop: string; questions: EvalQuestion[]; storeName: string }): Promise<Phase3CatalogLine>;
  summary(): Phase3Summary | null;
  close(): Promise<void>;
}

/** The simulated models' price table entries: the student is priced by its base model's. */
const PRICES: PriceTable = { ...SIMULATED_MODEL_PRICES };

export async function startPhase3Session(): Promise<Phase3Session> {
  // A short simulated schedule: the evaluation measures answers, not waiting.
  const server: SimulatedTrainingServer = await startSimulatedTrainingServer({ pendingMs: 0, queuedMs: 0, trainingMs: 50, uploadingMs: 0 });
  const provider = createTogetherTraining({ apiKey: "simulated", baseURL: server.url, label: "simulated training", simulated: true });
  const chat = (model: string) => createOpenAIChatModel({ baseURL: server.url, apiKey: "simulated", model, maxRetries: 0 });
  const teacherOutcomesAll: EvalOutcome[] = [];
  const candidatesAll: EvalOutcome[] = [];
  const catalogs: Phase3Summary["catalogs"] = [];
  const byStore: Phase3Summary["byStore"] = {};

  return {
    async runCatalog(deps, input) {
      const teacher = createLlmAnswerer({ chat: chat(SIMULATED_TEACHER_MODEL), storeName: input.storeName });
      const traces: Trace[] = [];
      for (const q of input.questions) {
        const out = await answerQuestionDetailed({ ...deps, answerer: teacher, priceTable: PRICES }, { shop: input.shop, question: q.question, locale: "en", productHandle: q.productHandle });
        if (!out.teacherPrompt) continue;
        traces.push({
          answerLogId: `${input.catalog}:${q.id}`,
          shop: input.shop,
          question: q.question,
          locale: "en",
          intent: out.result.intent,
          productHandle: q.productHandle ?? null,
          answer: out.result.answer,
          refused: out.result.refused,
          citationIds: out.result.citations.map((c) => c.id),
          validationOk: out.validation.ok,
          rating: 0,
          messages: out.teacherPrompt,
          sources: out.sources,
          understanding: out.understanding,
          matches: out.result.matches,
          model: out.result.usage.model,
          inputTokens: out.result.usage.inputTokens,
          outputTokens: out.result.usage.outputTokens,
          costUsd: out.result.usage.costUsd,
          latencyMs: out.result.usage.latencyMs,
          createdAt: new Date(),
        });
      }
      const { added } = selectExamples(traces, []);
      const split = new Map(added.map((e) => [e.answerLogId, e.split]));
      const train = traces.filter((t) => split.get(t.answerLogId) === "train");
      const held = traces.filter((t) => split.get(t.answerLogId) === "eval");
      const studentModel = train.length > 0 ? await trainStudent(provider, toJsonl(train)) : null;
      const answerers: Partial<Record<Exclude<Tier, "teacher">, Answerer>> = { local: createLocalAnswerer() };
      if (studentModel) answerers.student = createLlmAnswerer({ chat: chat(studentModel), storeName: input.storeName });
      const prices = studentModel ? withStudentPrice(PRICES, { model: studentModel, baseModel: SIMULATED_STUDENT_BASE }) : PRICES;
      const teacherScores = teacherOutcomes(held, new Map(held.map((t) => [t.answerLogId, t.costUsd])));
      const candidates: EvalOutcome[] = [];
      for (const trace of held) {
        for (const [tier, answerer] of Object.entries(answerers) as [Exclude<Tier, "teacher">, Answerer][]) {
          const started = performance.now();
          let draft: DraftAnswer | null = null;
          let validation: ValidationResult;
          try {
            draft = await answerer.answer(requestOf(trace, { storeName: input.storeName, storeContact: {} }));
            validation = validateAnswer(draft, trace.sources);
          } catch (error) {
            validation = { ok: false, problems: [{ code: "answerer_error", message: error instanceof Error ? error.message : String(error) }] };
          }
          const usage = draft?.usage ?? { model: answerer.id, inputTokens: 0, outputTokens: 0 };
          const cost = costFor(prices, usage.model, usage.inputTokens, usage.outputTokens).costUsd;
          candidates.push(scoreAnswer(trace, tier, draft, validation, Math.round(performance.now() - started), cost));
        }
      }
      teacherOutcomesAll.push(...teacherScores);
      candidatesAll.push(...candidates);
      const gate = computeGate(teacherScores, candidates);
      const line = { catalog: input.catalog, traces: traces.length, heldOut: held.length, costRatio: finite(gate.costRatio), shareByTier: gate.routed.shareByTier };
      catalogs.push(line);
      byStore[input.catalog] = {
        questions: input.questions.length,
        traces: traces.length,
        heldOut: held.length,
        teacher: rounded(gate.teacher),
        routed: rounded(gate.routed),
        costRatio: finite(gate.costRatio),
        gatePassed: gate.passed,
      };
      return line;
    },
    summary() {
      if (teacherOutcomesAll.length === 0) return null;
      return summarize(computeGate(teacherOutcomesAll, candidatesAll), catalogs, byStore);
    },
    close: () => server.close(),
  };
}

/** Trains on the simulated provider and waits for the model (a few hundred milliseconds). */
async function trainStudent(provider: TrainingProvider, jsonl: string): Promise<string | null> {
  const file = await provider.uploadDataset({ filename: "distill-train.jsonl", jsonl });
  let job = await provider.createJob({ baseModel: SIMULATED_STUDENT_BASE, trainingFileId: file.fileId, suffix: "distill" });
  for (let i = 0; i < 100 && job.status !== "completed" && job.status !== "failed" && job.status !== "cancelled"; i++) {
    await new Promise((r) => setTimeout(r, 50));
    job = await provider.getJob(job.providerJobId);
  }
  return job.status === "completed" ? job.resultModel ?? null : null;
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? Math.round(x * 100) / 100 : null;
}

/** Four decimals: weighted sums otherwise print as 0.9999999999999999. */
function rounded<T extends { quality: QualityFigures; costPer1000Usd: number }>(part: T): T {
  const r = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    ...part,
    costPer1000Usd: Math.round(part.costPer1000Usd * 1_000_000) / 1_000_000,
    quality: { citationValidity: r(part.quality.citationValidity), claimAccuracy: r(part.quality.claimAccuracy), agreement: r(part.quality.agreement), refusalCorrectness: r(part.quality.refusalCorrectness) },
  };
}

function summarize(gate: GateReport, catalogs: Phase3Summary["catalogs"], byStore: Phase3Summary["byStore"]): Phase3Summary {
  const overall = gate.rows.find((r) => r.intent === "overall");
  const byTier: Phase3Summary["byTier"] = {};
  if (overall) for (const f of [overall.teacher, ...overall.candidates]) byTier[f.tier] = rounded({ costPer1000Usd: f.costPer1000Usd, quality: f.quality, examples: f.examples });
  return {
    simulated: true,
    teacher: rounded(gate.teacher),
    routed: rounded(gate.routed),
    costRatio: finite(gate.costRatio),
    gatePassed: gate.passed,
    byTier,
    catalogs,
    byStore,
  };
}

export function renderPhase3Markdown(p: Phase3Summary | null | undefined): string {
  if (!p) return "";
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    "## Phase 3: distillation (simulated teacher and training)",
    "",
    "| tier | examples | cost / 1,000 | citations | claims | agreement | refusals |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const [tier, f] of Object.entries(p.byTier)) {
    lines.push(`| ${tier} | ${f.examples} | $${f.costPer1000Usd.toFixed(4)} | ${pct(f.quality.citationValidity)} | ${pct(f.quality.claimAccuracy)} | ${pct(f.quality.agreement)} | ${pct(f.quality.refusalCorrectness)} |`);
  }
  const q = p.routed.quality;
  lines.push(`| routed | | $${p.routed.costPer1000Usd.toFixed(4)} | ${pct(q.citationValidity)} | ${pct(q.claimAccuracy)} | ${pct(q.agreement)} | ${pct(q.refusalCorrectness)} |`);
  lines.push("");
  lines.push(`Cost ratio (teacher / routed): ${p.costRatio === null ? "∞" : `${p.costRatio}×`}; gate ${p.gatePassed ? "passed" : "not passed"}. Share by tier: ${Object.entries(p.routed.shareByTier).map(([t, s]) => `${t} ${pct(s)}`).join(", ")}.`);
  lines.push("", "| store | questions | traces | held out | teacher / 1,000 | routed / 1,000 | ratio | gate | routed claims | routed agreement |", "|---|---|---|---|---|---|---|---|---|---|");
  for (const [store, f] of Object.entries(p.byStore ?? {})) {
    lines.push(
      `| ${store} | ${f.questions} | ${f.traces} | ${f.heldOut} | $${f.teacher.costPer1000Usd.toFixed(4)} | $${f.routed.costPer1000Usd.toFixed(4)} | ${f.costRatio === null ? "∞" : `${f.costRatio}×`} | ${f.gatePassed ? "passed" : "not passed"} | ${pct(f.routed.quality.claimAccuracy)} | ${pct(f.routed.quality.agreement)} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
