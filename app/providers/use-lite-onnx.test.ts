import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalogFiles } from "../catalog/load-files";
import { chunkProduct } from "../indexing/chunk-product";
import { embeddingInput } from "../indexing/embed-chunks";
import { hasSharedData, sharedDataPath, sharedDataSkipReason } from "../../test/support/shared-data";
import { LOCAL_MAX_TOKENS, loadTfjsGraph, type LocalGraph } from "./local-embedding";
import { normalizeVector } from "./normalize-vector";
import { createSentencePieceTokenizer, type VocabularyEntry } from "./sentencepiece-tokenizer";
import { useLitePackageDir } from "./use-lite-onnx";
import { loadUseLiteOrt, loadUseLiteTokenOrt, paddedIds, type UseLiteOrt } from "./use-lite-ort";

// onnxruntime-node is a native package: where it does not load, the app runs tfjs and these tests skip.
const ort: UseLiteOrt | Error = await loadUseLiteOrt().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
const ortSkipReason = ort instanceof Error ? `onnxruntime-node does not load here (${ort.message.split("\n")[0]}): skipping the ONNX model's tests` : "";
if (ortSkipReason) console.warn(ortSkipReason);

let tfjsGraph: Promise<LocalGraph> | undefined;
const shippedGraph = () => (tfjsGraph ??= loadTfjsGraph());

async function tokenizer() {
  const vocabulary = JSON.parse(await readFile(path.join(useLitePackageDir(), "vocab.json"), "utf8")) as VocabularyEntry[];
  return createSentencePieceTokenizer(vocabulary);
}

/** The lowest cosine between the two runtimes' vectors, over batches of mixed lengths (the most padding). */
async function lowestCosine(tfjs: LocalGraph, onnx: UseLiteOrt, rows: number[][], batchSize: number): Promise<number> {
  let lowest = 1;
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const a = await tfjs.run(batch);
    const b = await onnx.run(batch);
    expect([b.count, b.width]).toEqual([a.count, a.width]);
    for (let r = 0; r < batch.length; r++) {
      const u = normalizeVector(a.data.subarray(r * a.width, (r + 1) * a.width));
      const v = normalizeVector(b.data.subarray(r * b.width, (r + 1) * b.width));
      lowest = Math.min(lowest, u.reduce((sum, x, i) => sum + x * v[i], 0));
    }
  }
  return lowest;
}

describe("paddedIds", () => {
  it("pads rows to the longest with -1, keeps id 0 (<unk>) as a token, and cuts at 128 positions", () => {
    // GIVEN rows of different lengths, one with the unknown-piece id 0 and one longer than the graph reads
    const long = Array.from({ length: 130 }, (_, i) => i + 1);
    // WHEN they are laid out for the ONNX model
    const short = paddedIds([[5, 0, 7], [9]]);
    const clipped = paddedIds([long]);
    // THEN padding is -1, 0 stays, and nothing past position 128 is read
    expect(short.tokens).toBe(3);
    expect(Array.from(short.ids)).toEqual([5, 0, 7, 9, -1, -1]);
    expect(clipped.tokens).toBe(128);
    expect(Array.from(clipped.ids)).toEqual(long.slice(0, 128));
  });
});

describe.skipIf(ort instanceof Error)("the ONNX rewrite of USE-lite", () => {
  it("gives the TF.js graph's vectors for questions, odd texts and a text past 128 tokens", async () => {
    // GIVEN the shipped graph on tfjs wasm, the ONNX model on onnxruntime, and short texts
    const [tfjs, tokens] = await Promise.all([shippedGraph(), tokenizer()]);
    const texts = [
      "Do you ship to Canada?",
      "what is your return policy",
      "rain jacket",
      " ",
      "a",
      "ÜÑÎÇØDÉ ☃ 🚀 zzqqxx unknown pieces",
      "מחברת A5 בכריכה קשה",
      `${"linen shirt, relaxed fit, mother-of-pearl buttons. ".repeat(30)}`,
    ];
    const rows = texts.map((text) => tokens.encode(text).slice(0, LOCAL_MAX_TOKENS));
    expect(rows.some((row) => row.includes(0))).toBe(true);
    // WHEN both embed them, in one batch and one by one
    const together = await lowestCosine(tfjs, ort as UseLiteOrt, rows, rows.length);
    const alone = await lowestCosine(tfjs, ort as UseLiteOrt, rows, 1);
    // THEN every vector matches
    expect(together).toBeGreaterThanOrEqual(0.9999);
    expect(alone).toBeGreaterThanOrEqual(0.9999);
  });

  it.skipIf(!hasSharedData)("gives the TF.js graph's vectors for 200 product chunks of real stores", async () => {
    if (!hasSharedData) return console.warn(sharedDataSkipReason);
    // GIVEN 20 product chunks of each of the ten stores in ../shared/data, as the indexer embeds them
    const [tfjs, tokens] = await Promise.all([shippedGraph(), tokenizer()]);
    const inputs: string[] = [];
    for (const store of readdirSync(sharedDataPath("stores")).sort().slice(0, 10)) {
      const batch = await loadCatalogFiles([sharedDataPath("stores", store)], { currency: null });
      inputs.push(...batch.products.slice(0, 12).flatMap(chunkProduct).map(embeddingInput).slice(0, 20));
    }
    expect(inputs.length).toBe(200);
    const rows = inputs.map((text) => tokens.encode(text).slice(0, LOCAL_MAX_TOKENS));
    // WHEN both embed them in batches of 32 mixed lengths
    const lowest = await lowestCosine(tfjs, ort as UseLiteOrt, rows, 32);
    // THEN every vector matches
    expect(lowest).toBeGreaterThanOrEqual(0.9999);
  }, 120_000);

  it("returns one unit vector per token read, the pooled embedding for a one-token text, the same with or without padding", async () => {
    // GIVEN the model with its token output, a one-token text, a longer one and a text past 128 tokens
    const [tokens, withTokens] = await Promise.all([tokenizer(), loadUseLiteTokenOrt()]);
    const one = tokens.encode("jacket");
    expect(one).toHaveLength(1);
    const sentence = tokens.encode("Does this jacket come in tall sizes?");
    const long = tokens.encode("linen shirt, relaxed fit. ".repeat(40));
    // WHEN the texts run alone and together (the short ones padded to the longest)
    const [alone] = await withTokens.run([sentence]);
    const [oneTokens, together, longTokens] = await withTokens.run([one, sentence, long]);
    const pooled = await (ort as UseLiteOrt).run([one]);
    // THEN a one-token text's token vector is its embedding, lengths follow the tokens (at most 128),
    // every vector is a unit vector, and padding changes nothing
    const embedding = normalizeVector(pooled.data);
    expect(oneTokens).toHaveLength(1);
    expect(Array.from(oneTokens[0]).reduce((s, x, i) => s + x * embedding[i], 0)).toBeGreaterThan(0.99999);
    expect(together).toHaveLength(sentence.length);
    expect(longTokens).toHaveLength(LOCAL_MAX_TOKENS);
    for (const vector of [...together, ...longTokens]) expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    together.forEach((vector, t) => expect(Array.from(vector).reduce((s, x, i) => s + x * alone[t][i], 0)).toBeGreaterThan(0.99999));
  });
});
