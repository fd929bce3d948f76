/**
 * Maximal marginal relevance (Carbonell & Goldstein 1998): pick items one by one,
 * trading relevance against similarity to what is already picked, so a list of
 * recommendations is not five colours of one shirt. Pure.
 */
export interface MmrOptions<T> {
  relevance: (item: T) => number;
  /** 0..1, 1 = the same. */
  similarity: (a: T, b: T) => number;
  /** 1 = relevance only, 0 = diversity only. */
  lambda?: number;
  k: number;
}

export function selectMmr<T>(items: T[], options: MmrOptions<T>): T[] {
  const lambda = options.lambda ?? 0.7;
  const pool = [...items];
  const picked: T[] = [];
  const maxRelevance = Math.max(1e-9, ...pool.map((i) => Math.abs(options.relevance(i))));
  while (picked.length < options.k && pool.length > 0) {
    let bestIndex = 0;
    let bestScore = -Infinity;
    pool.forEach((item, index) => {
      const redundancy = picked.length === 0 ? 0 : Math.max(...picked.map((p) => options.similarity(item, p)));
      const score = lambda * (options.relevance(item) / maxRelevance) - (1 - lambda) * redundancy;
      if (score > bestScore) {
        bestScore = score;
        bestIndex = index;
      }
    });
    picked.push(pool.splice(bestIndex, 1)[0]);
  }
  return picked;
}

/** Jaccard similarity of two token sets; a cheap stand-in for vector similarity. */
export function jaccard(a: Iterable<string>, b: Iterable<string>): number {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size === 0 && sb.size === 0) return 0;
  let inter = 0;
  for (const t of sa) if (sb.has(t)) inter++;
  return inter / (sa.size + sb.size - inter);
}
