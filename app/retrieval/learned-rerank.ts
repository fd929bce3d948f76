/**
 * A small learned reranker: a linear scorer over standardised features, trained
 * pairwise (RankNet: for two candidates of the same question, the better-labelled
 * one should score higher) on the logistic pair loss with an L2 penalty. Linear on purpose:
 * a few thousand labelled candidates support a linear model, not a network. A narrow feature
 * set is solved by Newton's method (each weight can be read); a wide one (hundreds of features,
 * such as the per-dimension products of the question's and the candidate's vectors) by
 * full-batch first-order steps, since a Newton step's matrix grows with the square of the width.
 * Deterministic (no random initialisation), pure.
 */

export interface RankingExample {
  /** The question the candidate belongs to: pairs are only formed within one group. */
  group: string;
  features: number[];
  /** Graded relevance (e.g. 0, 1, 2). */
  label: number;
}

export interface LinearRanker {
  featureNames: string[];
  /** Standardisation learned from the training set. */
  mean: number[];
  scale: number[];
  weights: number[];
}

export interface TrainRankerOptions {
  /** Newton steps at most (it stops earlier once the weights settle). */
  steps?: number;
  /** L2 penalty on the weights. */
  l2?: number;
  /**
   * "newton" (default): exact, for a few dozen features. "gradient": `steps` (default 200)
   * full-batch Adam steps from zero weights, for wide feature sets; stopping after a fixed
   * number of steps regularises a little beyond the penalty.
   */
  solver?: "newton" | "gradient";
  /** Penalties tried by the inner cross-validation when `l2` is not given (default L2_GRID). */
  l2Grid?: number[];
}

export function scoreRanker(model: LinearRanker, features: number[]): number {
  let s = 0;
  for (let i = 0; i < model.weights.length; i++) s += model.weights[i] * ((features[i] - model.mean[i]) / model.scale[i]);
  return s;
}

function standardisation(examples: RankingExample[], width: number): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(width).fill(0);
  const scale = new Array<number>(width).fill(0);
  for (const e of examples) for (let i = 0; i < width; i++) mean[i] += e.features[i] / examples.length;
  for (const e of examples) for (let i = 0; i < width; i++) scale[i] += (e.features[i] - mean[i]) ** 2 / examples.length;
  // A constant feature carries nothing; scale 1 keeps it harmless.
  return { mean, scale: scale.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

/** Gain of a label, as nDCG counts it: pairs whose gains differ more weigh more. */
function gain(label: number): number {
  return 2 ** label - 1;
}

export function trainPairwiseRanker(examples: RankingExample[], featureNames: string[], options: TrainRankerOptions = {}): LinearRanker {
  const width = featureNames.length;
  if (examples.some((e) => e.features.length !== width)) throw new Error(`Every example needs ${width} features (${featureNames.join(", ")}).`);
  const { mean, scale } = standardisation(examples, width);
  if (options.solver === "gradient") return { featureNames, mean, scale, weights: gradientWeights(examples, mean, scale, options) };
  const x = examples.map((e) => e.features.map((v, i) => (v - mean[i]) / scale[i]));
  const byGroup = new Map<string, number[]>();
  examples.forEach((e, i) => (byGroup.get(e.group) ?? byGroup.set(e.group, []).get(e.group)!).push(i));
  // Each pair as the feature difference (better - worse) and its weight.
  const pairs: { d: number[]; w: number }[] = [];
  for (const members of byGroup.values()) {
    for (const a of members) {
      for (const b of members) {
        if (examples[a].label > examples[b].label) pairs.push({ d: x[a].map((v, i) => v - x[b][i]), w: gain(examples[a].label) - gain(examples[b].label) });
      }
    }
  }
  const total = pairs.reduce((s, p) => s + p.w, 0) || 1;
  const l2 = options.l2 ?? 1e-3;
  const weights = new Array<number>(width).fill(0);
  // Newton's method on the pairwise logistic loss: convex, a few steps reach the optimum, no learning rate to tune.
  for (let step = 0; step < (options.steps ?? 25); step++) {
    const grad = weights.map((w) => l2 * w);
    const hessian = Array.from({ length: width }, (_, i) => Array.from({ length: width }, (_, j) => (i === j ? l2 : 0)));
    for (const { d, w } of pairs) {
      let margin = 0;
      for (let i = 0; i < width; i++) margin += weights[i] * d[i];
      const p = 1 / (1 + Math.exp(margin)); // sigmoid(-margin)
      const g = (-w * p) / total;
      const h = (w * p * (1 - p)) / total;
      for (let i = 0; i < width; i++) {
        grad[i] += g * d[i];
        for (let j = 0; j <= i; j++) hessian[i][j] += h * d[i] * d[j];
      }
    }
    for (let i = 0; i < width; i++) for (let j = i + 1; j < width; j++) hessian[i][j] = hessian[j][i];
    const delta = solve(hessian, grad);
    let moved = 0;
    for (let i = 0; i < width; i++) {
      weights[i] -= delta[i];
      moved = Math.max(moved, Math.abs(delta[i]));
    }
    if (moved < 1e-6) break;
  }
  return { featureNames, mean, scale, weights };
}

/**
 * The same pairwise loss minimised by full-batch Adam (step 0.05): each step costs one pass over
 * the candidates and one over the pairs, so hundreds of features stay cheap.
 */
function gradientWeights(examples: RankingExample[], mean: number[], scale: number[], options: TrainRankerOptions): number[] {
  const width = mean.length;
  const x = examples.map((e) => Float64Array.from(e.features, (v, i) => (v - mean[i]) / scale[i]));
  const byGroup = new Map<string, number[]>();
  examples.forEach((e, i) => (byGroup.get(e.group) ?? byGroup.set(e.group, []).get(e.group)!).push(i));
  const pairs: [number, number, number][] = [];
  for (const members of byGroup.values()) {
    for (const a of members) for (const b of members) if (examples[a].label > examples[b].label) pairs.push([a, b, gain(examples[a].label) - gain(examples[b].label)]);
  }
  const total = pairs.reduce((s, p) => s + p[2], 0) || 1;
  const l2 = options.l2 ?? 1e-3;
  const rate = 0.05;
  const weights = new Float64Array(width);
  const m1 = new Float64Array(width);
  const m2 = new Float64Array(width);
  const scores = new Float64Array(examples.length);
  const pull = new Float64Array(examples.length);
  const grad = new Float64Array(width);
  const steps = options.steps ?? 200;
  for (let t = 1; t <= steps; t++) {
    for (let e = 0; e < x.length; e++) {
      let s = 0;
      for (let i = 0; i < width; i++) s += weights[i] * x[e][i];
      scores[e] = s;
    }
    pull.fill(0);
    for (const [a, b, w] of pairs) {
      const p = 1 / (1 + Math.exp(scores[a] - scores[b])); // sigmoid(-margin)
      pull[a] -= (w * p) / total;
      pull[b] += (w * p) / total;
    }
    for (let i = 0; i < width; i++) grad[i] = l2 * weights[i];
    for (let e = 0; e < x.length; e++) if (pull[e] !== 0) for (let i = 0; i < width; i++) grad[i] += pull[e] * x[e][i];
    for (let i = 0; i < width; i++) {
      m1[i] = 0.9 * m1[i] + 0.1 * grad[i];
      m2[i] = 0.999 * m2[i] + 0.001 * grad[i] * grad[i];
      weights[i] -= (rate * m1[i]) / (1 - 0.9 ** t) / (Math.sqrt(m2[i] / (1 - 0.999 ** t)) + 1e-8);
    }
  }
  return [...weights];
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small, symmetric positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    const p = m[col][col] || 1e-12;
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / p;
      if (f !== 0) for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const out = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * out[c];
    out[r] = s / (m[r][r] || 1e-12);
  }
  return out;
}

/** The fold of each group: a hash of its id, so a group's examples always land in the same fold. */
export function foldOf(group: string, k: number): number {
  let h = 2166136261;
  for (const ch of group) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return (h >>> 0) % k;
}

/** Mean nDCG@k of the examples ranked by score within each group (ties keep the examples' order). */
export function meanNdcg(examples: RankingExample[], scores: number[], k = 3): number {
  const byGroup = new Map<string, number[]>();
  examples.forEach((e, i) => (byGroup.get(e.group) ?? byGroup.set(e.group, []).get(e.group)!).push(i));
  const dcg = (labels: number[]) => labels.slice(0, k).reduce((s, l, i) => s + gain(l) / Math.log2(i + 2), 0);
  let sum = 0;
  let groups = 0;
  for (const members of byGroup.values()) {
    const ideal = dcg(members.map((i) => examples[i].label).sort((a, b) => b - a));
    if (ideal === 0) continue;
    sum += dcg([...members].sort((a, b) => scores[b] - scores[a]).map((i) => examples[i].label)) / ideal;
    groups++;
  }
  return groups === 0 ? 0 : sum / groups;
}

/** Penalties tried when none is given: the data decides, on training questions only. */
export const L2_GRID = [1e-3, 1e-2, 1e-1, 1];

function scoreFolds(examples: RankingExample[], featureNames: string[], k: number, train: (examples: RankingExample[]) => LinearRanker) {
  const folds = examples.map((e) => foldOf(e.group, k));
  const scores = new Array<number>(examples.length).fill(0);
  const models: LinearRanker[] = [];
  for (let fold = 0; fold < k; fold++) {
    const training = examples.filter((_, i) => folds[i] !== fold);
    if (training.length === 0) continue;
    const model = train(training);
    models.push(model);
    examples.forEach((e, i) => {
      if (folds[i] === fold) scores[i] = scoreRanker(model, e.features);
    });
  }
  return { scores, models };
}

/**
 * k-fold cross-validated scores: each example is scored by a model trained only on
 * the other folds' groups, so no question is ever scored by a model that saw it.
 * Without a fixed `l2`, each fold picks its penalty from `l2Grid` (default L2_GRID) by an inner
 * cross-validation over its own training groups (nested: the scored fold plays no part).
 */
export function crossValidatedScores(examples: RankingExample[], featureNames: string[], k = 5, options: TrainRankerOptions = {}): { scores: number[]; models: LinearRanker[]; l2: number[] } {
  const chosen: number[] = [];
  const train = (training: RankingExample[]) => {
    let l2 = options.l2;
    if (l2 === undefined) {
      let best = -1;
      for (const candidate of options.l2Grid ?? L2_GRID) {
        // Inner folds hash the id again, salted, so they cut the training groups differently from the outer folds.
        const salted = training.map((e) => ({ ...e, group: `inner:${e.group}` }));
        const inner = scoreFolds(salted, featureNames, k - 1, (t) => trainPairwiseRanker(t, featureNames, { ...options, l2: candidate }));
        const quality = meanNdcg(salted, inner.scores);
        if (quality > best) [best, l2] = [quality, candidate];
      }
    }
    chosen.push(l2!);
    return trainPairwiseRanker(training, featureNames, { ...options, l2 });
  };
  return { ...scoreFolds(examples, featureNames, k, train), l2: chosen };
}
