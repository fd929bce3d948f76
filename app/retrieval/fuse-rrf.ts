/**
 * Reciprocal rank fusion (Cormack et al. 2009): each list votes 1 / (k + rank)
 * for its items. Scores of different retrievers are not comparable; ranks are.
 * Pure.
 */
import { fuseByReciprocalRank } from "../stores/store-input";
import type { SearchHit } from "../stores/types";

export function fuseRrf(lists: SearchHit[][], k = 60): SearchHit[] {
  // Ties keep first-seen order, so the first list breaks ties.
  return fuseByReciprocalRank(lists, (hit) => hit.chunk.id, k).map(({ item, score }) => ({ chunk: item.chunk, score }));
}
