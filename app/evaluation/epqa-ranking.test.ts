import { describe, expect, it } from "vitest";
import { candidateFeatures, denseInteractionNames, denseInteractions, LATE_RANKING_FEATURES, ndcgAt, parseEpqaCsv, RANKING_FEATURES, reciprocalRank, withinQuestion } from "./epqa-ranking";

describe("ranking metrics", () => {
  it("nDCG is 1 for the ideal order and lower otherwise", () => {
    expect(ndcgAt([2, 1, 0], [0, 1, 2], 3)).toBe(1);
    expect(ndcgAt([0, 1, 2], [0, 1, 2], 3)).toBeLessThan(1);
    expect(ndcgAt([0, 2], [2, 0], 1)).toBe(0);
    expect(ndcgAt([0, 0], [0, 0], 3)).toBe(0);
  });

  it("MRR counts the first candidate labelled 1 or 2", () => {
    expect(reciprocalRank([0, 0, 1])).toBeCloseTo(1 / 3);
    expect(reciprocalRank([0, 0])).toBe(0);
  });
});

describe("parseEpqaCsv", () => {
  it("groups candidates by qid, reading the columns by name", () => {
    const csv = [
      "qid,question,ASIN,candidate,source,qa_pair_id,title,label,answer",
      '7,"does it fit, really?",B1,"yes, it fits",cqa,70,T,2,yes',
      "7,does it fit?,B1,made of steel,bullet,71,T,0,",
      "8,is it blue?,B2,blue,attribute,80,U,1,",
    ].join("\n");
    const qs = parseEpqaCsv(csv);
    expect(qs.map((q) => q.qid)).toEqual(["7", "8"]);
    expect(qs[0].question).toBe("does it fit, really?");
    expect(qs[0].candidates.map((c) => [c.text, c.label])).toEqual([["yes, it fits", 2], ["made of steel", 0]]);
  });
});

describe("candidateFeatures", () => {
  const candidates = [
    { id: "a", text: "it comes in white and black", source: "review", vector: [0.6, 0.8, 0] },
    { id: "b", text: "made of steel", source: "attribute", vector: [0, 0.6, 0.8] },
  ];
  const hits = (scores: number[]) => candidates.map((c, i) => ({ chunk: { id: c.id } as never, score: scores[i] }));
  const input = { question: "does it come in white?", candidates, sparse: hits([2, 1]), dense: hits([0.9, 0.1]) };

  it("gives the named features only, without the question's vector", () => {
    for (const row of candidateFeatures(input)) expect(row).toHaveLength(RANKING_FEATURES.length);
  });

  it("appends one product per vector dimension with the question's vector: they sum to the dot product", () => {
    const questionVector = [1, 0, 0.5];
    const rows = candidateFeatures({ ...input, questionVector });
    expect(denseInteractionNames(3)).toEqual(["q*c:0", "q*c:1", "q*c:2"]);
    rows.forEach((row, i) => {
      expect(row.slice(0, RANKING_FEATURES.length)).toEqual(candidateFeatures(input)[i]);
      const products = row.slice(RANKING_FEATURES.length);
      expect(products).toEqual(denseInteractions(questionVector, candidates[i].vector));
      expect(products.reduce((s, x) => s + x, 0)).toBeCloseTo(questionVector.reduce((s, x, d) => s + x * candidates[i].vector[d], 0));
    });
  });

  it("puts the late-interaction features between the named features and the dense interactions", () => {
    const questionVector = [1, 0, 0.5];
    const late = [
      [0.9, 0.8, 0.7, 0.6],
      [0.1, 0.2, 0.3, 0.4],
    ];
    const rows = candidateFeatures({ ...input, questionVector, lateInteraction: late });
    rows.forEach((row, i) => {
      expect(row.slice(0, RANKING_FEATURES.length)).toEqual(candidateFeatures(input)[i]);
      expect(row.slice(RANKING_FEATURES.length, RANKING_FEATURES.length + LATE_RANKING_FEATURES.length)).toEqual(withinQuestion(late)[i]);
      expect(row.slice(RANKING_FEATURES.length + LATE_RANKING_FEATURES.length)).toEqual(denseInteractions(questionVector, candidates[i].vector));
    });
  });

  it("reads each late-interaction score as its rank and its place between the question's best and worst", () => {
    // GIVEN three candidates' scores on two features, one column all equal
    const rows = withinQuestion([
      [0.9, 0.5],
      [0.6, 0.5],
      [0.3, 0.5],
    ]);
    // THEN the best ranks 1 at the top of the range, the worst 1/3 at its bottom, and a flat column gives rank 1, place 1
    expect(LATE_RANKING_FEATURES.slice(0, 2)).toEqual(["lateForwardRank", "lateForwardRelative"]);
    expect(rows[0]).toEqual([1, 1, 1, 1]);
    expect(rows[1][0]).toBe(0.5);
    expect(rows[1][1]).toBeCloseTo(0.5);
    expect(rows[2]).toEqual([1 / 3, 0, 1, 1]);
  });
});
