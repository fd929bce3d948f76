import { describe, expect, it } from "vitest";
import { createRandom } from "../evaluation/synthetic-catalog";
import { crossValidatedScores, foldOf, scoreRanker, trainPairwiseRanker, type RankingExample } from "./learned-rerank";

const NAMES = ["signal", "noise"];

/** Groups of candidates whose label is decided by the first feature alone; the second is noise. */
function toySet(groups: number, seed = 1): RankingExample[] {
  const random = createRandom(seed);
  const out: RankingExample[] = [];
  for (let g = 0; g < groups; g++) {
    for (let c = 0; c < 6; c++) {
      const label = c % 3;
      out.push({ group: `q${g}`, label, features: [label * 2 + random() * 0.5, random() * 10] });
    }
  }
  return out;
}

function orderedLabels(examples: RankingExample[], scores: number[], group: string): number[] {
  return examples
    .map((e, i) => ({ e, s: scores[i] }))
    .filter((x) => x.e.group === group)
    .sort((a, b) => b.s - a.s)
    .map((x) => x.e.label);
}

describe("trainPairwiseRanker", () => {
  it("learns a separable toy set: every group ranked perfectly, the signal outweighs the noise", () => {
    const examples = toySet(30);
    const model = trainPairwiseRanker(examples, NAMES);
    const scores = examples.map((e) => scoreRanker(model, e.features));
    for (let g = 0; g < 30; g++) expect(orderedLabels(examples, scores, `q${g}`)).toEqual([2, 2, 1, 1, 0, 0]);
    expect(model.weights[0]).toBeGreaterThan(10 * Math.abs(model.weights[1]));
  });

  it("is deterministic", () => {
    expect(trainPairwiseRanker(toySet(10), NAMES)).toEqual(trainPairwiseRanker(toySet(10), NAMES));
  });

  it("the gradient solver learns a wide set (one signal among 200 noise features) and is deterministic", () => {
    const random = createRandom(3);
    const names = Array.from({ length: 201 }, (_, i) => (i === 0 ? "signal" : `noise${i}`));
    const wide = toySet(40).map((e) => ({ ...e, features: [e.features[0], ...Array.from({ length: 200 }, () => random())] }));
    const model = trainPairwiseRanker(wide, names, { solver: "gradient", l2: 0.1 });
    expect(model.weights).toHaveLength(201);
    const noise = Math.max(...model.weights.slice(1).map(Math.abs));
    expect(model.weights[0]).toBeGreaterThan(5 * noise);
    const scores = wide.map((e) => scoreRanker(model, e.features));
    for (let g = 0; g < 40; g++) expect(orderedLabels(wide, scores, `q${g}`)).toEqual([2, 2, 1, 1, 0, 0]);
    expect(trainPairwiseRanker(wide, names, { solver: "gradient", l2: 0.1 })).toEqual(model);
  });

  it("rejects examples with the wrong number of features", () => {
    expect(() => trainPairwiseRanker([{ group: "a", label: 1, features: [1] }], NAMES)).toThrow(/2 features/);
  });
});

describe("crossValidatedScores", () => {
  it("never scores a group with a model trained on it", () => {
    const examples = toySet(40);
    const k = 5;
    const { models } = crossValidatedScores(examples, NAMES, k);
    expect(models).toHaveLength(k);
    for (let fold = 0; fold < k; fold++) {
      const trained = new Set(examples.filter((e) => foldOf(e.group, k) !== fold).map((e) => e.group));
      const scored = new Set(examples.filter((e) => foldOf(e.group, k) === fold).map((e) => e.group));
      for (const g of scored) expect(trained.has(g)).toBe(false);
    }
  });

  it("scores held-out groups by a model that did not see them: a group's own flipped labels do not change its scores", () => {
    const examples = toySet(40);
    const { scores } = crossValidatedScores(examples, NAMES, 5);
    const flipped = examples.map((e) => (e.group === "q7" ? { ...e, label: 2 - e.label } : e));
    const again = crossValidatedScores(flipped, NAMES, 5).scores;
    examples.forEach((e, i) => {
      if (e.group === "q7") expect(again[i]).toBe(scores[i]);
    });
    // ...while the held-out ranking still follows the signal.
    expect(orderedLabels(examples, scores, "q7")).toEqual([2, 2, 1, 1, 0, 0]);
  });

  it("chooses each fold's penalty from the grid it is given", () => {
    const { l2 } = crossValidatedScores(toySet(40), NAMES, 5, { l2Grid: [0.5, 2] });
    expect(l2).toHaveLength(5);
    for (const chosen of l2) expect([0.5, 2]).toContain(chosen);
  });

  it("spreads groups over every fold", () => {
    const folds = new Set(Array.from({ length: 200 }, (_, i) => foldOf(String(i * 2), 5)));
    expect(folds.size).toBe(5);
  });
});
