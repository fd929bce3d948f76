import { describe, expect, it } from "vitest";
import { LATE_INTERACTION_FEATURES, lateInteraction, tokenIdf, type TokenVectors } from "./late-interaction";

const text = (ids: number[], vectors: number[][]): TokenVectors => ({ ids, vectors: vectors.map((v) => Float32Array.from(v)) });
const h = Math.SQRT1_2;

describe("tokenIdf", () => {
  it("weighs a token by how few passages hold it, counting a passage once however often it repeats it", () => {
    // GIVEN three passages: token 1 in all, token 2 twice in one, token 3 nowhere
    const idf = tokenIdf([[1, 2, 2], [1], [1, 4]]);
    // THEN rarer tokens weigh more, repeats do not count, and an unseen token weighs most
    expect(idf(2)).toBeCloseTo(idf(4));
    expect(idf(1)).toBeLessThan(idf(2));
    expect(idf(2)).toBeLessThan(idf(3));
  });
});

describe("lateInteraction", () => {
  const idf = (id: number) => (id === 20 ? 3 : 1);
  const question = text([10, 20], [[1, 0, 0], [0, 1, 0]]);

  it("averages each question token's best match in the passage, and each passage token's best match in the question", () => {
    // GIVEN a passage with the question's first token and a token half like its second
    const passage = text([10, 30], [[1, 0, 0], [0, h, h]]);
    // WHEN the two are compared token by token
    const [forward, forwardIdf, backward, backwardIdf] = lateInteraction(question, passage, idf);
    // THEN forward: (1 + 0.707) / 2, the rarer second token weighing 3; backward: (1 + 0.707) / 2, equal weights
    expect(LATE_INTERACTION_FEATURES).toHaveLength(4);
    expect(forward).toBeCloseTo((1 + h) / 2);
    expect(forwardIdf).toBeCloseTo((1 + 3 * h) / 4);
    expect(backward).toBeCloseTo((1 + h) / 2);
    expect(backwardIdf).toBeCloseTo((1 + h) / 2);
  });

  it("scores a passage that covers the rare question token above one that covers only the common one", () => {
    const common = text([10], [[1, 0, 0]]);
    const rare = text([20], [[0, 1, 0]]);
    expect(lateInteraction(question, rare, idf)[1]).toBeGreaterThan(lateInteraction(question, common, idf)[1]);
    // Unweighted, the two cover the question equally.
    expect(lateInteraction(question, rare, idf)[0]).toBeCloseTo(lateInteraction(question, common, idf)[0]);
  });

  it("gives zeros for an empty text instead of failing", () => {
    expect(lateInteraction(question, text([], []), idf)).toEqual([0, 0, 0, 0]);
  });
});
