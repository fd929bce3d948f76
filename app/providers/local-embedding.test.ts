import { describe, expect, it } from "vitest";
import { createLocalEmbeddingModel } from "./local-embedding";

function dot(a: number[], b: number[]): number {
  return a.reduce((sum, value, i) => sum + value * b[i], 0);
}

describe("createLocalEmbeddingModel", () => {
  it("embeds offline into unit-length 512-d vectors where paraphrases sit closer than unrelated texts", async () => {
    // GIVEN the built-in model
    const model = createLocalEmbeddingModel();
    expect(model.id).toBe("use-lite-512");
    expect(model.dimensions).toBe(512);

    // WHEN shopper questions, matching store texts, distractors and an empty text are embedded in one call
    // (USE-lite is modest: with bare two-word labels it ranks "wool sweater" above "waterproof shell"
    // for "rain jacket", so these are the sentence-length texts it is meant for.)
    const { embeddings, usage } = await model.embed({
      values: [
        "waterproof jacket for hiking in the rain",
        "rain jacket that keeps you dry on the trail",
        "knitted wool sweater for winter",
        "Do you ship to Canada?",
        "We deliver to addresses in Canada and the US.",
        "",
      ],
    });

    // THEN positions are kept, every vector is 512-d and normalized, and the paraphrases win
    expect(embeddings).toHaveLength(6);
    for (const vector of embeddings) {
      expect(vector).toHaveLength(512);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    }
    const [hikingJacket, trailRainJacket, sweater, shippingQuestion, shippingPolicy] = embeddings;
    expect(dot(hikingJacket, trailRainJacket)).toBeGreaterThan(dot(hikingJacket, sweater));
    expect(dot(shippingQuestion, shippingPolicy)).toBeGreaterThan(dot(shippingQuestion, sweater));
    expect(usage.tokens).toBeGreaterThan(20);
  });

  it("returns nothing for nothing", async () => {
    const result = await createLocalEmbeddingModel().embed({ values: [] });
    expect(result).toEqual({ embeddings: [], usage: { tokens: 0 } });
  });
});
