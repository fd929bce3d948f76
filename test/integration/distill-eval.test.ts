/**
 * The evaluation's phase 3 section on the demo store: a simulated teacher answers, a student
 * is trained on the simulated provider, and eval-report.json carries the cost per 1,000
 * answers and the gate's quality figures per tier and for the routed mix.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PHASE3_QUESTIONS_PER_STORE, runEvaluation } from "../../app/evaluation/run-evaluation";
import { repoRoot } from "../support/server";
import { hasSharedData, sharedDataDir, sharedDataSkipReason } from "../support/shared-data";

const demoDir = path.join(repoRoot, "demo-store");

describe.skipIf(!existsSync(demoDir))("phase 3 in the evaluation", () => {
  it("GIVEN the demo store WHEN the evaluation runs THEN phase3 reports teacher and routed cost per 1,000 and quality as fractions", async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), "groundwork-eval-p3-"));
    await runEvaluation({ dataDir: demoDir, outDir, limit: 6, sharedDir: path.join(outDir, "no-shared-data") });
    const json = JSON.parse(await readFile(path.join(outDir, "eval-report.json"), "utf8"));
    const p3 = json.phase3;
    expect(p3.simulated).toBe(true);
    for (const part of [p3.teacher, p3.routed]) {
      expect(part.costPer1000Usd).toBeGreaterThanOrEqual(0);
      for (const key of ["citationValidity", "claimAccuracy", "agreement", "refusalCorrectness"]) {
        expect(part.quality[key]).toBeGreaterThanOrEqual(0);
        expect(part.quality[key]).toBeLessThanOrEqual(1);
      }
    }
    expect(p3.teacher.costPer1000Usd).toBeGreaterThan(0);
    const shares = Object.values(p3.routed.shareByTier as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(shares).toBeCloseTo(1, 6);
    expect(p3.byTier.local.costPer1000Usd).toBe(0);
    expect(p3.byTier.student.examples).toBeGreaterThan(0);
    expect(p3.byTier.student.costPer1000Usd).toBeLessThan(p3.teacher.costPer1000Usd);
    expect(p3.catalogs.map((c: { catalog: string }) => c.catalog)).toContain("demo-store");
    expect(p3.byStore["demo-store"]).toMatchObject({ questions: expect.any(Number), heldOut: expect.any(Number), teacher: { costPer1000Usd: expect.any(Number) }, routed: { shareByTier: expect.any(Object) } });
    expect(await readFile(path.join(outDir, "eval-report.md"), "utf8")).toContain("## Phase 3: distillation");
    // Without the shared catalogs the section says so rather than passing for a full run.
    expect(json.notes.join("\n")).toMatch(/Phase 3 ran on the demo store only: the shared catalogs were not found/);
  });
});

describe.skipIf(!hasSharedData)(`phase 3 on the shared catalogs${hasSharedData ? "" : ` (${sharedDataSkipReason})`}`, () => {
  it("GIVEN --section phase3 WHEN it runs on a shared catalog THEN each store has its own bounded, deterministic figures beside the overall ones", async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), "groundwork-eval-p3-shared-"));
    const run = () => runEvaluation({ dataDir: demoDir, outDir, sharedDir: sharedDataDir, sections: ["phase3"], stores: ["demo-store", "spacire-uk-sleep"], phase3Questions: 12, distractors: 5 });
    const summary = await run();
    const p3 = summary.phase3!;
    expect(Object.keys(p3.byStore).sort()).toEqual(["demo-store", "spacire-uk-sleep"]);
    for (const store of Object.values(p3.byStore)) {
      expect(store.questions).toBeLessThanOrEqual(12);
      expect(store.traces).toBeGreaterThan(0);
      expect(store.teacher.costPer1000Usd).toBeGreaterThan(0);
    }
    // Only phase 3 ran: no catalog section figures.
    expect(summary.catalogs).toEqual([]);
    const json = JSON.parse(await readFile(path.join(outDir, "eval-report.json"), "utf8"));
    expect(Object.keys(json.phase3)).toEqual(expect.arrayContaining(["teacher", "routed", "costRatio", "byStore"]));
    expect(PHASE3_QUESTIONS_PER_STORE).toBe(40);
    // The same sample every time.
    const again = (await run()).phase3!;
    expect(again.byStore["spacire-uk-sleep"].questions).toBe(p3.byStore["spacire-uk-sleep"].questions);
    expect(again.byStore["spacire-uk-sleep"].heldOut).toBe(p3.byStore["spacire-uk-sleep"].heldOut);
  });
});
