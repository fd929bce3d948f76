/**
 * The evaluation measures the configured embedding model: GIVEN GROUNDWORK_EMBEDDER=onnx and a
 * model folder (the tiny genuine transformers.js export of test/support/tiny-onnx-model.ts) and an
 * ePQA-shaped file of our own writing, WHEN `groundwork eval --section epqa` runs, THEN every
 * ranking is computed on that model's vectors, the report names it, and the late-interaction
 * features (the built-in model's token vectors) are left out with a note. A model folder that is
 * not configured is a clear error, not a silent fallback to the built-in model.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../app/cli/main";
import { writeTinyOnnxModel } from "../support/tiny-onnx-model";

const HIDDEN = 16;

/** Ten questions, four candidates each: the relevant one shares the question's theme. */
const QUESTIONS: { question: string; relevant: string; others: string[] }[] = [
  { question: "is the rain shell waterproof", relevant: "waterproof shell with taped seams", others: ["merino wool sweater", "cedar candle", "enamel camp mug"] },
  { question: "does the jacket have a hood", relevant: "packable jacket with a storm hood", others: ["linen duvet cover", "leather trail boot", "fig tea candle"] },
  { question: "is the sweater merino wool", relevant: "knit merino wool sweater", others: ["rain shell jacket", "stoneware dinner plates", "cotton sheet"] },
  { question: "is the cardigan cashmere", relevant: "cashmere knit cardigan", others: ["hiking boots", "beeswax candles", "storm hood"] },
  { question: "are the boots leather", relevant: "leather hiking boots", others: ["wool beanie", "linen pillow", "camp mug"] },
  { question: "is this trail runner a shoe for hiking", relevant: "trail runner shoe for hiking", others: ["duvet cover", "salt candle", "rain jacket"] },
  { question: "is the duvet cover linen", relevant: "linen duvet cover", others: ["enamel mug", "merino sweater", "leather sandal"] },
  { question: "is the throw blanket cotton", relevant: "cotton throw blanket", others: ["waterproof shell", "cedar fragrance", "trail boot"] },
  { question: "what fragrance is the candle", relevant: "cedar fragrance candle", others: ["wool cardigan", "cotton sheet", "stoneware plates"] },
  { question: "is the mug stoneware", relevant: "stoneware kitchen mug", others: ["rain hood", "hiking shoe", "linen throw"] },
];

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function writeEpqaFile(sharedDir: string): void {
  const rows = [["qid", "question", "ASIN", "candidate", "source", "qa_pair_id", "title", "label", "answer"]];
  QUESTIONS.forEach((q, i) => {
    const qid = String(i * 2);
    const candidates = [
      [q.relevant, "bullet", "2"],
      ...q.others.map((text) => [text, "review", "0"]),
    ];
    candidates.forEach(([text, source, label], j) => rows.push([qid, q.question, `ASIN${i}`, text, source, `${qid}-${j}`, "Product", label, ""]));
  });
  mkdirSync(path.join(sharedDir, "product-qa"), { recursive: true });
  writeFileSync(path.join(sharedDir, "product-qa", "epqa-dev-even-qids.csv"), rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n");
}

describe.sequential("groundwork eval with a configured embedding model", () => {
  let workDir: string;

  beforeAll(() => {
    workDir = mkdtempSync(path.join(os.tmpdir(), "gw-eval-embedder-"));
    writeTinyOnnxModel(path.join(workDir, "tiny-bert"), { hiddenSize: HIDDEN });
    writeEpqaFile(path.join(workDir, "shared"));
  });

  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  async function runEval(env: Record<string, string>) {
    const out: string[] = [];
    const err: string[] = [];
    const outDir = path.join(workDir, "results");
    const code = await main(["eval", "--section", "epqa", "--shared", path.join(workDir, "shared"), "--out", outDir], {
      env: { ...process.env, GROUNDWORK_DATA_DIR: path.join(workDir, "data"), GROUNDWORK_ONNX_MODEL_DIR: "", ...env },
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    return { code, out, err: err.join("\n"), outDir };
  }

  it("GIVEN GROUNDWORK_EMBEDDER=onnx WHEN the ePQA section runs THEN it ranks with that model and says what it left out", async () => {
    const { code, err, outDir } = await runEval({ GROUNDWORK_EMBEDDER: "onnx", GROUNDWORK_ONNX_MODEL_DIR: path.join(workDir, "tiny-bert") });
    expect(code, err).toBe(0);
    expect(err).toContain(`Embedding model: onnx:tiny-bert:${HIDDEN}`);
    const report = JSON.parse(readFileSync(path.join(outDir, "eval-report.json"), "utf8"));
    expect(report.embedder).toBe(`onnx:tiny-bert:${HIDDEN}`);
    expect(report.epqa.questions).toBe(QUESTIONS.length);
    expect(report.epqa.notes[0]).toContain(`Dense: onnx:tiny-bert:${HIDDEN}`);
    // The tiny model puts each theme on its own axis: dense ranking finds every relevant candidate first.
    expect(report.epqa.methods.dense.ndcgAt1).toBe(1);
    expect(Object.keys(report.epqa.learnedWeights)).not.toContain("lateForwardRank");
    expect(report.notes.join("\n")).toContain(`late-interaction features left out: token vectors are read from the built-in model only, not from onnx:tiny-bert:${HIDDEN}`);
  });

  it("GIVEN GROUNDWORK_EMBEDDER=onnx without a model folder THEN the evaluation stops with the setting to fix", async () => {
    const { code, err } = await runEval({ GROUNDWORK_EMBEDDER: "onnx" });
    expect(code).toBe(2);
    expect(err).toContain("GROUNDWORK_ONNX_MODEL_DIR");
  });
});
