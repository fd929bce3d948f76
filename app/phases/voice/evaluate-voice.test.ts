import { describe, expect, it } from "vitest";
import type { ChatModel, EmbeddingModel } from "../../providers/types";
import { blindOrder, checkAdoption, evaluateVoice, type HeldOutProduct } from "./evaluate-voice";
import { factBasisOf } from "./fact-check";
import { createLocalCopywriter } from "./local-copywriter";
import { styleStats } from "./voice-measure";
import { diffWords } from "./write-description";

/** Bag-of-letters vectors: copy that shares words with the reference sits closer to it. */
const embedder: EmbeddingModel = {
  id: "letters",
  dimensions: 26,
  maxEmbeddingsPerCall: 64,
  async embed({ values }) {
    return {
      embeddings: values.map((v) => {
        const vec = new Array<number>(26).fill(0);
        for (const c of v.toLowerCase()) if (c >= "a" && c <= "z") vec[c.charCodeAt(0) - 97]++;
        return vec;
      }),
      usage: { tokens: 0 },
    };
  },
};

function fixedModel(id: string, text: string): ChatModel {
  return {
    id,
    async generate() {
      return { text, usage: { model: id, inputTokens: 0, outputTokens: 0 } };
    },
    async *stream() {},
  };
}

const product = {
  id: "1", handle: "tide-mug", title: "Tide Mug", descriptionHtml: "", productType: "Mug", vendor: "Harbour Clay", tags: [], status: "active" as const, published: true,
  options: [{ name: "Colour", values: ["Sea Blue"] }], variants: [], collections: [], metafields: [{ namespace: "c", key: "m", value: "stoneware", label: "Material" }], images: [], url: "/products/tide-mug", updatedAt: "", currency: "USD",
};
const heldOut: HeldOutProduct[] = [
  {
    handle: "tide-mug",
    title: "Tide Mug",
    factsText: "Title: Tide Mug\nType: Mug\nVendor: Harbour Clay\nColour: Sea Blue\nMaterial: stoneware",
    basis: factBasisOf(product),
    referenceHtml: "<p>Morning coffee tastes of the harbour. The Tide Mug is thrown in stoneware and glazed sea blue.</p><p>Hold it close.</p>",
  },
];

describe("evaluateVoice", () => {
  it("scores the draft that writes like the merchant higher, and fails a draft that invents a material", async () => {
    const fineTuned = fixedModel("voice-ft", "<p>Evening tea tastes of the harbour. The Tide Mug is thrown in stoneware and glazed sea blue.</p><p>Hold it close.</p>");
    const result = await evaluateVoice({ brief: "Harbour voice.", heldOut, prompting: createLocalCopywriter(), fineTuned, embedder });
    const [p] = result.products;
    expect(p.fineTuned.voice.score).toBeGreaterThan(p.prompting.voice.score);
    expect(result.summary.fineTuneBeatsPrompting).toBe(true);
    expect(result.summary.noUnbackedClaims).toBe(true);
    expect(result.summary.voiceDrift).toBeCloseTo(1 - result.summary.prompting.voice, 3);

    const inventing = fixedModel("voice-ft", "<p>The Tide Mug is thrown in porcelain and holds 350 ml.</p>");
    const bad = await evaluateVoice({ brief: "Harbour voice.", heldOut, prompting: createLocalCopywriter(), fineTuned: inventing, embedder });
    expect(bad.products[0].fineTuned.claims.map((c) => c.text).sort()).toEqual(["350", "porcelain"]);
    expect(bad.summary.noUnbackedClaims).toBe(false);
    const check = checkAdoption(bad.summary, [{ chosen: "fineTuned" }]);
    expect(check.canAdopt).toBe(false);
    expect(check.missing.join(" ")).toMatch(/stated facts the product data lacks/);
  });

  it("needs blind picks before adoption", () => {
    const summary = { products: 5, prompting: { model: "p", voice: 0.4, similarity: 0.4, style: 0.4, unbackedProducts: 0 }, fineTuned: { model: "f", voice: 0.7, similarity: 0.7, style: 0.7, unbackedProducts: 0 }, voiceDrift: 0.6, fineTuneBeatsPrompting: true, noUnbackedClaims: true };
    expect(checkAdoption(summary, [{ chosen: "fineTuned" }]).missing).toEqual(["Pick between the two unlabelled drafts for 2 more products."]);
    expect(checkAdoption(summary, [{ chosen: "fineTuned" }, { chosen: "prompting" }, { chosen: "fineTuned" }])).toMatchObject({ canAdopt: true, blind: { choices: 3, fineTunedChosen: 2 } });
  });

  it("shows the two drafts in an order fixed per product but not always the same side", () => {
    const orders = ["a", "b", "c", "d", "e", "f", "g", "h"].map((h) => blindOrder(7, h)[0]);
    expect(new Set(orders).size).toBe(2);
    expect(blindOrder(7, "a")).toEqual(blindOrder(7, "a"));
  });
});

describe("styleStats and diffWords", () => {
  it("counts sentences, formatting and vocabulary", () => {
    const stats = styleStats("<p>One short line. Another short line.</p><ul><li><strong>Soft</strong></li></ul>");
    expect(stats).toMatchObject({ paragraphs: 1, listItems: 1, emphasis: 1 });
    expect(stats.sentences).toBe(3);
  });

  it("marks added and removed words", () => {
    expect(diffWords("A warm blue mug", "A calm blue mug")).toEqual([
      { kind: "same", text: "A " },
      { kind: "removed", text: "warm " },
      { kind: "added", text: "calm " },
      { kind: "same", text: "blue mug" },
    ]);
  });
});
