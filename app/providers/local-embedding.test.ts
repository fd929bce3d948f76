import { describe, expect, it } from "vitest";
import { createLocalEmbeddingModel, LOCAL_MAX_TOKENS } from "./local-embedding";

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

describe("what the local model reads", () => {
  it("reads the first LOCAL_MAX_TOKENS tokens of a long text, and a text's position never depends on its length", async () => {
    // GIVEN one in-process model and a text far longer than the model reads
    const model = createLocalEmbeddingModel({ threads: 1 });
    const head = Array.from({ length: 40 }, (_, i) => `sentence ${i} about a linen shirt`).join(". ");
    const long = `${head}. ${"Extra care instructions follow. ".repeat(200)}`;

    // WHEN the long text is embedded alone and between short ones
    const alone = await model.embed({ values: [long] });
    const mixed = await model.embed({ values: ["short one", long, "another short text"] });
    const cutShorter = await model.embed({ values: [head.slice(0, 200)] });

    // THEN the long text costs at most the cap in tokens, keeps its place, and differs from a shorter head
    expect(alone.usage.tokens).toBe(LOCAL_MAX_TOKENS);
    for (let d = 0; d < 512; d++) expect(Math.abs(mixed.embeddings[1][d] - alone.embeddings[0][d])).toBeLessThan(1e-6);
    expect(dot(alone.embeddings[0], mixed.embeddings[0])).toBeLessThan(0.99);
    expect(dot(alone.embeddings[0], cutShorter.embeddings[0])).toBeLessThan(0.999);
  });
});
