import { describe, expect, it } from "vitest";
import { ndcgAt, parseEpqaCsv, reciprocalRank } from "./epqa-ranking";

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
