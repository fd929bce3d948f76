/**
 * The evaluation end to end: GIVEN the demo store (and the shared ePQA file when
 * present), WHEN the evaluation runs on a small limit, THEN it writes both reports
 * and the demo store meets the answer targets.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runEpqaRankingEval } from "../../app/evaluation/epqa-ranking";
import { runEvaluation } from "../../app/evaluation/run-evaluation";
import { createLocalEmbeddingModel, createLocalTokenEncoder } from "../../app/providers/local-embedding";
import { createSqliteVecStore } from "../../app/stores/sqlite-vec-store";
import { hasSharedData, sharedDataPath, sharedDataSkipReason } from "../support/shared-data";

const demoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../demo-store");
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe.skipIf(!existsSync(demoDir))("runEvaluation on the demo store", () => {
  it("writes eval-report.json and eval-report.md, and meets the answer targets", async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), "groundwork-eval-"));
    dirs.push(outDir);
    const summary = await runEvaluation({ dataDir: demoDir, outDir, limit: 4 });
    expect(summary.catalogs.map((c) => c.catalog)).toEqual(["demo-store"]);
    expect(summary.totals.questions).toBeGreaterThan(10);
    expect(summary.targets).toMatchObject({ structuredClaims: true, citationValidity: true, refusals: true, hybridBeatsBm25AndDense: null });
    const json = JSON.parse(await readFile(path.join(outDir, "eval-report.json"), "utf8"));
    expect(json.totals.claims.accuracy).toBe(1);
    // The "any store" section asks the demo store too, in every widget language.
    expect(json.anyStore.stores.map((s: { store: string }) => s.store)).toEqual(["demo-store"]);
    expect(Object.keys(json.anyStore.byLocale).sort()).toEqual(["de", "en", "es", "fr", "nl"]);
    expect(await readFile(path.join(outDir, "eval-report.md"), "utf8")).toContain("| structured claims 100% correct |");
  });
});

describe.skipIf(!hasSharedData)("ePQA ranking on real product questions", () => {
  if (!hasSharedData) console.warn(sharedDataSkipReason);
  it("scores BM25, dense, hybrid and the cross-validated learned rankings in one run", async () => {
    const embedder = createLocalEmbeddingModel();
    // The token vectors need onnxruntime-node; without it the learned reranker runs without late interaction.
    const tokenEncoder = await createLocalTokenEncoder().catch(() => undefined);
    const result = await runEpqaRankingEval(
      sharedDataPath("product-qa", "epqa-dev-even-qids.csv"),
      { embedder, tokenEncoder, createStore: (d) => createSqliteVecStore({ db: ":memory:", indexName: embedder.id, dimensions: d }) },
      { limit: 15 },
    );
    expect(result.questions).toBe(15);
    expect(Object.keys(result.methods).sort()).toEqual(["bm25", "dense", "hybrid", "hybrid_rrf", "learned"]);
    expect(result.learnedOverBm25).toBeGreaterThan(0);
    const named = Object.keys(result.learnedWeights);
    if (tokenEncoder) expect(named).toEqual(expect.arrayContaining(["lateForwardRank", "lateForwardIdfRelative", "lateBackwardRank", "lateBackwardIdfRelative"]));
    else expect(named).not.toContain("lateForwardRank");
    for (const m of Object.values(result.methods)) {
      for (const v of [m.ndcgAt1, m.ndcgAt3, m.mrr]) {
        expect(v).toBeGreaterThan(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
  });
});
