/**
 * Reciprocal rank fusion (Cormack et al. 2009): each list votes 1 / (k + rank)
 * for its items. Scores of different retrievers are not comparable; ranks are.
 * Pure.
 */
import type { SearchHit } from "../stores/types";

export function fuseRrf(lists: SearchHit[][], k = 60): SearchHit[] {
  const fused = new Map<string, SearchHit>();
  for (const list of lists) {
    list.forEach((hit, index) => {
      const vote = 1 / (k + index + 1);
      const prior = fused.get(hit.chunk.id);
      if (prior) prior.score += vote;
      else fused.set(hit.chunk.id, { chunk: hit.chunk, score: vote });
    });
  }
  // Ties keep first-seen order (Array.prototype.sort is stable), so the first list breaks ties.
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
