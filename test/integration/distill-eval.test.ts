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
import { runEvaluation } from "../../app/evaluation/run-evaluation";
import { repoRoot } from "../support/server";

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
    expect(await readFile(path.join(outDir, "eval-report.md"), "utf8")).toContain("## Phase 3: distillation");
  });
});
