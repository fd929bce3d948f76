/**
 * Late interaction: a question and a passage compared token by token, on the embedding
 * model's own contextual token vectors, instead of through one pooled vector each. Every
 * question token finds its best-matching passage token (and the reverse); the mean of those
 * best matches says how much of the question the passage speaks to, word sense included,
 * which neither BM25 (exact words) nor one pooled cosine (the gist) measures.
 */

/** One text as the model read it: its token ids and one unit vector per token. */
export interface TokenVectors {
  ids: number[];
  vectors: Float32Array[];
}

/** A model's token-level view of texts (the built-in model's is `createLocalTokenEncoder`). */
export interface TokenEncoder {
  /** The embedding model whose token vectors these are. */
  id: string;
  /** Token ids only (no model run): enough for the IDF statistics. */
  tokenize(text: string): number[];
  encode(texts: string[]): Promise<TokenVectors[]>;
}

export const LATE_INTERACTION_FEATURES = ["lateForward", "lateForwardIdf", "lateBackward", "lateBackwardIdf"] as const;

/**
 * Inverse document frequency of token ids over a collection of texts (the passages being
 * ranked): rare pieces weigh more than "the" or "?". Label-free, like BM25's own statistics.
 */
export function tokenIdf(documents: number[][]): (id: number) => number {
  const frequency = new Map<number, number>();
  for (const ids of documents) for (const id of new Set(ids)) frequency.set(id, (frequency.get(id) ?? 0) + 1);
  const count = documents.length;
  return (id) => Math.log((count + 1) / ((frequency.get(id) ?? 0) + 1)) + 1;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Mean of `values`, weighted by `weights` when given. */
function weightedMean(values: number[], weights?: number[]): number {
  if (values.length === 0) return 0;
  if (!weights) return values.reduce((s, v) => s + v, 0) / values.length;
  const total = weights.reduce((s, w) => s + w, 0);
  return total === 0 ? 0 : values.reduce((s, v, i) => s + v * weights[i], 0) / total;
}

/**
 * In LATE_INTERACTION_FEATURES order: each question token's best cosine to a passage token,
 * averaged plainly and by IDF (how much of the question is covered), then each passage token's
 * best cosine to a question token, averaged the same two ways (how much of the passage is on topic).
 */
export function lateInteraction(question: TokenVectors, passage: TokenVectors, idf: (id: number) => number): number[] {
  if (question.vectors.length === 0 || passage.vectors.length === 0) return [0, 0, 0, 0];
  const similarity = question.vectors.map((q) => passage.vectors.map((p) => dot(q, p)));
  const forward = similarity.map((row) => Math.max(...row));
  const backward = passage.vectors.map((_, j) => Math.max(...similarity.map((row) => row[j])));
  return [weightedMean(forward), weightedMean(forward, question.ids.map(idf)), weightedMean(backward), weightedMean(backward, passage.ids.map(idf))];
}
