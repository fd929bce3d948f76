import { describe, expect, it } from "vitest";
import { jaccard, selectMmr } from "./mmr";

const items = [
  { id: "shirt-navy", rel: 1.0, tokens: ["oxford", "shirt", "navy"] },
  { id: "shirt-white", rel: 0.95, tokens: ["oxford", "shirt", "white"] },
  { id: "chinos", rel: 0.8, tokens: ["chino", "trousers"] },
  { id: "belt", rel: 0.6, tokens: ["leather", "belt"] },
];

describe("selectMmr", () => {
  it("trades a near-duplicate for a different item", () => {
    const picked = selectMmr(items, { relevance: (i) => i.rel, similarity: (a, b) => jaccard(a.tokens, b.tokens), lambda: 0.5, k: 3 });
    expect(picked.map((i) => i.id)).toEqual(["shirt-navy", "chinos", "belt"]);
  });

  it("with lambda 1 is plain relevance order", () => {
    const picked = selectMmr(items, { relevance: (i) => i.rel, similarity: (a, b) => jaccard(a.tokens, b.tokens), lambda: 1, k: 2 });
    expect(picked.map((i) => i.id)).toEqual(["shirt-navy", "shirt-white"]);
  });

  it("never returns more than it has", () => {
    expect(selectMmr(items.slice(0, 1), { relevance: () => 1, similarity: () => 0, k: 5 })).toHaveLength(1);
  });

  it("jaccard is 1 for equal sets and 0 for disjoint ones", () => {
    expect(jaccard(["a", "b"], ["b", "a"])).toBe(1);
    expect(jaccard(["a"], ["b"])).toBe(0);
  });
});
