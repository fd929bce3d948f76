/**
 * Ranking evaluation on ePQA (Amazon's contextual product QA, dev split): each
 * question comes with 10 candidate evidence passages labelled 0 (irrelevant),
 * 1 (partly relevant) or 2 (relevant). The candidates of one question are indexed
 * as the documents of a throwaway shop, then ranked by BM25 alone, dense alone,
 * and the hybrid pipeline (RRF of the two, then the reranker), in the same run.
 */
import { readFile } from "node:fs/promises";
import { readCsvRecords } from "../catalog/csv";
import { cosine } from "../providers/normalize-vector";
import type { EmbeddingModel } from "../providers/types";
import { fuseRrf } from "../retrieval/fuse-rrf";
import { LATE_INTERACTION_FEATURES, lateInteraction, tokenIdf, type TokenEncoder } from "../retrieval/late-interaction";
import { jaccard } from "../retrieval/mmr";
import { crossValidatedScores, type LinearRanker, type RankingExample } from "../retrieval/learned-rerank";
import { rerank } from "../retrieval/rerank";
import { contentTokens, lexicalOverlap } from "../retrieval/text";
import type { EmbeddedChunk, SearchHit, VectorStore } from "../stores/types";

export interface EpqaQuestion {
  qid: string;
  question: string;
  candidates: { id: string; text: string; source: string; label: number }[];
}

export type EpqaMethod = "bm25" | "dense" | "hybrid_rrf" | "hybrid" | "learned";

export interface RankingMetrics {
  ndcgAt1: number;
  ndcgAt3: number;
  mrr: number;
}

export interface EpqaRankingResult {
  dataset: string;
  questions: number;
  /** Questions whose candidates are all labelled 0 have no ideal ranking and are left out. */
  skippedNoRelevant: number;
  methods: Record<EpqaMethod, RankingMetrics>;
  /** The learned reranker's nDCG@3 over BM25's, in the same run. */
  learnedOverBm25: number;
  /** Folds of the learned reranker's cross-validation (split by question id). */
  folds: number;
  /** The learned weights of each fold, feature by feature (standardised features). */
  learnedWeights: Record<string, number[]>;
  /** The L2 penalty each fold chose by inner cross-validation on its training questions. */
  learnedL2: number[];
  notes: string[];
}

/** Where an ePQA candidate comes from: customer Q&A, a review, or a field of the product page. */
export const EPQA_SOURCES = ["cqa", "review", "attribute", "bullet", "description"] as const;

/**
 * Features of one candidate for the learned reranker: the retrievers' ranks and
 * scores (relative within the question, since scales differ between questions),
 * word overlap, the source type and the text's length, and how central the candidate is among
 * the question's candidates (passages that agree with the others tend to be on topic).
 */
export const RANKING_FEATURES = [
  "bm25Rank",
  "bm25Score",
  "denseRank",
  "denseScore",
  "rrfRank",
  "overlap",
  "logLength",
  ...EPQA_SOURCES.map((s) => `source:${s}`),
  ...EPQA_SOURCES.map((s) => `overlap:${s}`),
  "wordCentrality",
  "denseCentrality",
];

/**
 * The per-dimension products of the question's and the candidate's vectors, one feature per
 * dimension: their sum is the dot product (the dense score), and a learned weight per dimension
 * turns it into a similarity that counts the dimensions that separate relevant evidence from the
 * rest. Computable for any store at answer time (both vectors are at hand); learned from labels.
 */
export function denseInteractions(questionVector: number[], candidateVector: number[]): number[] {
  return questionVector.map((v, i) => v * (candidateVector[i] ?? 0));
}

export function denseInteractionNames(dimensions: number): string[] {
  return Array.from({ length: dimensions }, (_, i) => `q*c:${i}`);
}

/**
 * The late-interaction features (app/retrieval/late-interaction.ts) as the learned reranker reads
 * them: like the retrievers' scores, each one's rank and its place between the question's best and
 * worst candidate, since raw token similarities run higher for some questions than for others.
 */
export const LATE_RANKING_FEATURES = LATE_INTERACTION_FEATURES.flatMap((name) => [`${name}Rank`, `${name}Relative`]);

/** Each column of `rows` (one row per candidate) as [rank, relative] pairs within the question. */
export function withinQuestion(rows: number[][]): number[][] {
  const columns = (rows[0] ?? []).map((_, f) => rows.map((row) => row[f]));
  return rows.map((row) => row.flatMap((x, f) => [rankAmong(columns[f], x), placeAmong(columns[f], x)]));
}

/**
 * 1 / (1 + the number of scores strictly higher): equal scores share a rank, so the order
 * candidates come in (the file's order) never reaches the model.
 */
function rankAmong(scores: number[], score: number): number {
  return 1 / (1 + scores.filter((s) => s > score).length);
}

/** Where a score sits between the list's worst (0) and best (1); 1 when all are equal. */
function placeAmong(scores: number[], score: number): number {
  const best = Math.max(...scores);
  const worst = Math.min(...scores);
  return best === worst ? 1 : (score - worst) / (best - worst);
}

/** Penalties the wide (named + interaction) model chooses among, per fold, by inner cross-validation. */
export const LEARNED_L2_GRID = [0.03, 0.1, 0.3, 1];

/** The hit's rank among the hits (0 when not returned). */
function rankFeature(hits: SearchHit[], id: string): number {
  const hit = hits.find((h) => h.chunk.id === id);
  return hit ? rankAmong(hits.map((h) => h.score), hit.score) : 0;
}

/** The hit's place between the list's worst and best score (0 when not returned): comparable across questions. */
function relativeScore(hits: SearchHit[], id: string): number {
  const hit = hits.find((h) => h.chunk.id === id);
  return hit ? placeAmong(hits.map((h) => h.score), hit.score) : 0;
}

export interface EpqaCandidateInput {
  id: string;
  text: string;
  source: string;
  vector: number[];
}

/**
 * Features of every candidate of one question, in RANKING_FEATURES order; then, when the raw
 * late-interaction scores are given (a row per candidate, LATE_INTERACTION_FEATURES order), their
 * ranks and relative scores (LATE_RANKING_FEATURES); then the dense interactions when the
 * question's vector is given. Labels are never read here.
 */
export function candidateFeatures(input: {
  question: string;
  questionVector?: number[];
  candidates: EpqaCandidateInput[];
  sparse: SearchHit[];
  dense: SearchHit[];
  lateInteraction?: number[][];
}): number[][] {
  const queryTokens = contentTokens(input.question);
  const tokens = input.candidates.map((c) => contentTokens(c.text));
  const others = input.candidates.length - 1;
  const late = input.lateInteraction ? withinQuestion(input.lateInteraction) : undefined;
  return input.candidates.map((c, i) => {
    const overlap = lexicalOverlap(queryTokens, tokens[i]);
    const source = EPQA_SOURCES.map((s) => (c.source === s ? 1 : 0));
    const bm25Rank = rankFeature(input.sparse, c.id);
    const denseRank = rankFeature(input.dense, c.id);
    let words = 0;
    let dense = 0;
    input.candidates.forEach((o, j) => {
      if (j === i) return;
      words += jaccard(tokens[i], tokens[j]);
      dense += cosine(c.vector, o.vector);
    });
    return [
      bm25Rank,
      relativeScore(input.sparse, c.id),
      denseRank,
      relativeScore(input.dense, c.id),
      // Reciprocal rank fusion (k = 60) of the two tie-aware ranks.
      (bm25Rank > 0 ? 1 / (60 + 1 / bm25Rank) : 0) + (denseRank > 0 ? 1 / (60 + 1 / denseRank) : 0),
      overlap,
      Math.log1p(c.text.length),
      ...source,
      ...source.map((x) => x * overlap),
      others > 0 ? words / others : 0,
      others > 0 ? dense / others : 0,
      ...(late?.[i] ?? []),
      ...(input.questionVector ? denseInteractions(input.questionVector, c.vector) : []),
    ];
  });
}

export interface EpqaDeps {
  embedder: EmbeddingModel;
  /** A fresh, empty store for this run (the throwaway shops live in it). */
  createStore: (dimensions: number) => VectorStore | Promise<VectorStore>;
  /** The same model's token vectors: adds the late-interaction features to the learned reranker. */
  tokenEncoder?: TokenEncoder;
}

export function parseEpqaCsv(text: string): EpqaQuestion[] {
  const { records } = readCsvRecords(text);
  const [header, ...rows] = records;
  if (!header) return [];
  const col = (name: string) => {
    const i = header.fields.indexOf(name);
    if (i < 0) throw new Error(`The ePQA file has no "${name}" column (found: ${header.fields.join(", ")}).`);
    return i;
  };
  const [qidI, questionI, candidateI, sourceI, idI, labelI] = ["qid", "question", "candidate", "source", "qa_pair_id", "label"].map(col);
  const byQid = new Map<string, EpqaQuestion>();
  for (const r of rows) {
    const qid = r.fields[qidI];
    if (!qid) continue;
    const q = byQid.get(qid) ?? { qid, question: r.fields[questionI], candidates: [] };
    q.candidates.push({ id: r.fields[idI] || `${qid}-${q.candidates.length}`, text: r.fields[candidateI] ?? "", source: r.fields[sourceI] ?? "", label: Number(r.fields[labelI]) || 0 });
    byQid.set(qid, q);
  }
  return [...byQid.values()];
}

function gain(label: number): number {
  return 2 ** label - 1;
}

export function ndcgAt(labels: number[], idealLabels: number[], k: number): number {
  const dcg = (ls: number[]) => ls.slice(0, k).reduce((sum, l, i) => sum + gain(l) / Math.log2(i + 2), 0);
  const ideal = dcg([...idealLabels].sort((a, b) => b - a));
  return ideal === 0 ? 0 : dcg(labels) / ideal;
}

/** Reciprocal rank of the first candidate labelled 1 or 2. */
export function reciprocalRank(labels: number[]): number {
  const i = labels.findIndex((l) => l >= 1);
  return i < 0 ? 0 : 1 / (i + 1);
}

/** A stable pseudo-random order (for candidates a retriever did not return): no help from file order. */
function seededOrder<T>(items: T[], seed: string): T[] {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  const keyed = items.map((item, i) => {
    let x = (h ^ Math.imul(i + 1, 2654435761)) >>> 0;
    x ^= x >>> 15;
    x = Math.imul(x, 2246822519) >>> 0;
    return { item, key: x };
  });
  return keyed.sort((a, b) => a.key - b.key).map((k) => k.item);
}

function completeRanking(hits: SearchHit[], all: string[], seed: string): string[] {
  const ranked = hits.map((h) => h.chunk.id);
  const rest = seededOrder(
    all.filter((id) => !ranked.includes(id)),
    seed,
  );
  return [...ranked, ...rest];
}

export async function runEpqaRankingEval(csvPath: string, deps: EpqaDeps, options: { limit?: number } = {}): Promise<EpqaRankingResult> {
  const all = parseEpqaCsv(await readFile(csvPath, "utf8"));
  const withRelevant = all.filter((q) => q.candidates.some((c) => c.label > 0));
  const questions = withRelevant.slice(0, options.limit ?? withRelevant.length);
  const store = await deps.createStore(deps.embedder.dimensions);

  const texts = questions.flatMap((q) => [q.question, ...q.candidates.map((c) => c.text)]);
  const vectors: number[][] = [];
  const size = Math.max(1, deps.embedder.maxEmbeddingsPerCall);
  for (let i = 0; i < texts.length; i += size) vectors.push(...(await deps.embedder.embed({ values: texts.slice(i, i + size) })).embeddings);

  const sums: Record<EpqaMethod, RankingMetrics> = {
    bm25: { ndcgAt1: 0, ndcgAt3: 0, mrr: 0 },
    dense: { ndcgAt1: 0, ndcgAt3: 0, mrr: 0 },
    hybrid_rrf: { ndcgAt1: 0, ndcgAt3: 0, mrr: 0 },
    hybrid: { ndcgAt1: 0, ndcgAt3: 0, mrr: 0 },
    learned: { ndcgAt1: 0, ndcgAt3: 0, mrr: 0 },
  };
  const examples: RankingExample[] = [];
  const tokenEncoder = deps.tokenEncoder?.id === deps.embedder.id ? deps.tokenEncoder : undefined;
  // Token rarity over every candidate passage (the collection being ranked), as BM25 keeps its own statistics.
  const idf = tokenEncoder ? tokenIdf(questions.flatMap((q) => q.candidates.map((c) => tokenEncoder.tokenize(c.text)))) : undefined;
  let v = 0;
  for (const q of questions) {
    const shop = `epqa-${q.qid}`;
    const qVector = vectors[v++];
    const chunks: EmbeddedChunk[] = q.candidates.map((c, i) => ({
      id: `c${i}`,
      sourceType: "document",
      sourceId: `c${i}`,
      title: "",
      url: "",
      text: c.text,
      contentHash: `c${i}`,
      fields: {},
      vector: vectors[v++],
    }));
    await store.upsert(shop, chunks);
    const labelOf = new Map(chunks.map((c, i) => [c.id, q.candidates[i].label]));
    const ids = chunks.map((c) => c.id);
    const k = chunks.length;

    const sparse = await store.search(shop, { mode: "sparse", text: q.question, k });
    const dense = await store.search(shop, { mode: "dense", vector: qVector, k });
    const fused = fuseRrf([sparse, dense]);
    const reranked = rerank(fused, { question: q.question });
    let late: number[][] | undefined;
    if (tokenEncoder && idf) {
      const [questionTokens, ...candidateTokens] = await tokenEncoder.encode([q.question, ...q.candidates.map((c) => c.text)]);
      late = candidateTokens.map((c) => lateInteraction(questionTokens, c, idf));
    }
    const features = candidateFeatures({
      question: q.question,
      questionVector: qVector,
      candidates: q.candidates.map((c, i) => ({ id: chunks[i].id, text: c.text, source: c.source, vector: chunks[i].vector })),
      sparse,
      dense,
      lateInteraction: late,
    });
    q.candidates.forEach((c, i) => examples.push({ group: q.qid, label: c.label, features: features[i] }));
    const rankings: Omit<Record<EpqaMethod, string[]>, "learned"> = {
      bm25: completeRanking(sparse, ids, q.qid),
      dense: completeRanking(dense, ids, q.qid),
      hybrid_rrf: completeRanking(fused, ids, q.qid),
      hybrid: completeRanking(
        reranked.map((r) => ({ chunk: r.chunk, score: r.rerankScore })),
        ids,
        q.qid,
      ),
    };
    for (const method of Object.keys(rankings) as (keyof typeof rankings)[]) {
      addMetrics(sums[method], rankings[method].map((id) => labelOf.get(id) ?? 0), q.candidates.map((c) => c.label));
    }
    await store.deleteShop(shop);
  }
  // The learned reranker, scored on each question by a model trained on the other folds' questions only.
  const folds = 5;
  const namedFeatures = [...RANKING_FEATURES, ...(tokenEncoder ? LATE_RANKING_FEATURES : [])];
  const featureNames = [...namedFeatures, ...denseInteractionNames(deps.embedder.dimensions)];
  const { scores, models, l2 } = crossValidatedScores(examples, featureNames, folds, { solver: "gradient", l2Grid: LEARNED_L2_GRID });
  let offset = 0;
  for (const q of questions) {
    const labels = q.candidates.map((c) => c.label);
    // Equal scores are broken in the same fixed pseudo-random order as the baselines' unreturned candidates, never by file order.
    const tieOrder = new Map(seededOrder(labels.map((_, i) => i), q.qid).map((i, position) => [i, position]));
    const order = labels.map((_, i) => i).sort((a, b) => scores[offset + b] - scores[offset + a] || tieOrder.get(a)! - tieOrder.get(b)!);
    addMetrics(sums.learned, order.map((i) => labels[i]), labels);
    offset += q.candidates.length;
  }
  const n = Math.max(1, questions.length);
  const methods = Object.fromEntries(
    Object.entries(sums).map(([m, s]) => [m, { ndcgAt1: round(s.ndcgAt1 / n), ndcgAt3: round(s.ndcgAt3 / n), mrr: round(s.mrr / n) }]),
  ) as Record<EpqaMethod, RankingMetrics>;
  return {
    dataset: csvPath.split(/[\\/]/).pop() ?? csvPath,
    questions: questions.length,
    skippedNoRelevant: all.length - withRelevant.length,
    methods,
    learnedOverBm25: methods.bm25.ndcgAt3 === 0 ? 0 : round(methods.learned.ndcgAt3 / methods.bm25.ndcgAt3),
    folds,
    learnedWeights: weightsByFeature(models, namedFeatures),
    learnedL2: l2,
    notes: [
      `Dense: ${deps.embedder.id}. BM25: the store's full-text index. hybrid_rrf: RRF (k=60) of the two; hybrid: RRF then the lexical reranker.`,
      `learned: a linear pairwise reranker (app/retrieval/learned-rerank.ts) over ${featureNames.length} features (BM25, dense and RRF ranks and scores, word overlap, length, source type, centrality among the candidates, ${tokenEncoder ? "late interaction over the model's token vectors, as ranks and relative scores (app/retrieval/late-interaction.ts)" : "no late interaction (the model's token vectors need onnxruntime-node)"}, and the ${deps.embedder.dimensions} per-dimension products of the question's and the candidate's vectors), ${folds}-fold cross-validated by question id: no question is scored by a model trained on it; each fold picks its L2 penalty by an inner cross-validation on its own training questions.`,
      "Gains 2^label - 1; MRR counts labels 1 and 2 as relevant. Candidates a retriever did not return are appended in a fixed pseudo-random order.",
    ],
  };
}

function addMetrics(into: RankingMetrics, labels: number[], ideal: number[]): void {
  into.ndcgAt1 += ndcgAt(labels, ideal, 1);
  into.ndcgAt3 += ndcgAt(labels, ideal, 3);
  into.mrr += reciprocalRank(labels);
}

/** The named features' weights, fold by fold; the dense interactions as the root mean square of their weights. */
function weightsByFeature(models: LinearRanker[], namedFeatures: readonly string[]): Record<string, number[]> {
  const named = namedFeatures.map((name, i) => [name, models.map((m) => round(m.weights[i]))]);
  const rms = models.map((m) => {
    const rest = m.weights.slice(namedFeatures.length);
    return round(rest.length === 0 ? 0 : Math.sqrt(rest.reduce((s, w) => s + w * w, 0) / rest.length));
  });
  return Object.fromEntries([...named, ["q*c (rms)", rms]]);
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
