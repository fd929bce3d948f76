/**
 * Shadow answers never delay a shopper: `ask` p95 with phase 3 in shadow (every question
 * also answered in the background by the student, an LLM over HTTP on the simulated
 * provider, validated and compared) against shadow off, interleaved in the same run so the
 * machine's load weighs on both alike. The shopper's answer comes from the local answerer,
 * the fastest path, so any delay the shadow added would show.
 *
 * Target: p95 with shadow on within 5% of shadow off. Run: npx tsx bench/shadow.ts [--products 1000] [--queries 120]
 */
import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import path from "node:path";
import { answerQuestionDetailed, type AnswerQuestionDeps, type AnswerRoute, type ShadowOutcome } from "../app/answering/answer-question";
import { createLlmAnswerer } from "../app/answering/llm-answerer";
import { createLocalAnswerer } from "../app/answering/local-answerer";
import { createRandom } from "../app/evaluation/synthetic-catalog";
import { agreesWithTeacher } from "../app/phases/distill/gate";
import { createOpenAIChatModel } from "../app/providers/openai-chat";
import { SIMULATED_STUDENT_BASE } from "../app/providers/training/simulated-chat";
import { startSimulatedTrainingServer } from "../app/providers/training/simulated-training-server";
import { BENCH_QUESTIONS, percentile, withContext } from "./retrieval-latency";
import { arg, buildSyntheticShop, root, SHOP } from "./support/synthetic-shop";

async function main() {
  const size = Number(arg("products", "1000"));
  const queries = Number(arg("queries", "120"));
  const { embedder, products, store, catalog } = await buildSyntheticShop(size);
  const server = await startSimulatedTrainingServer();
  const student = createLlmAnswerer({ chat: createOpenAIChatModel({ baseURL: server.url, apiKey: "simulated", model: SIMULATED_STUDENT_BASE, maxRetries: 0 }), storeName: "Harbor & Heath" });
  const local = createLocalAnswerer();
  const shadows: Promise<void>[] = [];
  const compared = { answers: 0, validated: 0, agreed: 0 };
  const record = async (o: ShadowOutcome) => {
    compared.answers += 1;
    if (o.validation.ok) compared.validated += 1;
    if (o.draft && agreesWithTeacher({ answer: o.shown.answer, refused: o.shown.refused, citationIds: o.shown.citations.map((c) => c.id) }, o.draft)) compared.agreed += 1;
  };
  const base: AnswerQuestionDeps = {
    store,
    embedder,
    catalog,
    answerer: local,
    shopProfile: async () => ({ name: "Harbor & Heath", contactEmail: "help@harborandheath.example", currency: "USD" }),
    vocabulary: (s: string) => catalog.vocabulary(s),
  };
  const shadowRoute = async (): Promise<AnswerRoute> => ({ tier: "teacher", reason: "shadow", answerer: local, shadow: { tier: "student", answerer: student, onResult: record } });
  const withShadow: AnswerQuestionDeps = { ...base, route: shadowRoute };
  await embedder.embed({ values: ["warm up"] });

  const random = createRandom(size);
  const off: number[] = [];
  const on: number[] = [];
  for (let q = 0; q < 2 * (queries + 10); q++) {
    const question = BENCH_QUESTIONS[Math.floor(q / 2) % BENCH_QUESTIONS.length];
    const context = withContext(Math.floor(q / 2)) ? products[Math.floor(random() * products.length)] : undefined;
    // Alternate off and on, question by question: both see the same questions and the same load.
    const shadowOn = q % 2 === 1;
    const started = performance.now();
    const out = await answerQuestionDetailed(shadowOn ? withShadow : base, { shop: SHOP, question, locale: "en", productHandle: context?.handle });
    const elapsed = performance.now() - started;
    if (out.shadowDone) shadows.push(out.shadowDone);
    if (q < 20) continue;
    (shadowOn ? on : off).push(elapsed);
  }
  await Promise.all(shadows);
  const row = (name: string, values: number[]) => ({ ask: name, n: values.length, p50Ms: round(percentile(values, 50)), p95Ms: round(percentile(values, 95)) });
  const rows = [row("shadow off", off), row("shadow on", on)];
  const ratio = percentile(on, 95) / percentile(off, 95);
  const met = ratio <= 1.05;
  console.log(`\nAsk latency with phase 3 shadow off and on (interleaved), local answerer shown, ${size} products, ${queries} questions each\n`);
  console.table(rows);
  console.log(`Shadow answers: ${compared.answers} (validated ${compared.validated}, agreed with the shown answer ${compared.agreed}); none was shown.`);
  console.log(`p95 on / off: ${ratio.toFixed(3)} — target ≤ 1.05: ${met ? "met" : "NOT met"}\n`);
  await mkdir(path.join(root, "bench/results"), { recursive: true });
  await writeFile(
    path.join(root, "bench/results/shadow.json"),
    JSON.stringify(
      { name: "shadow", date: new Date().toISOString(), node: process.version, cpus: cpus().length, products: size, queries, results: rows, shadow: compared, p95Ratio: round(ratio), targetRatio: 1.05, met },
      null,
      2,
    ) + "\n",
  );
  await store.close();
  await server.close();
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
